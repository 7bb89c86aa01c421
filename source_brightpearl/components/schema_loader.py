"""Stream schemas from schemas/<stream>.json (found by source_brightpearl/resources.py).

The CDK's file loader reads schemas through the package only, which misses the repo-root `schemas/` of an editable
install; this loader reads them wherever they are.

No `from __future__ import annotations` in a module declaring a component's `InitVar` field: the CDK reads the field
types with `typing.get_type_hints`, which on Python 3.10 rejects an `InitVar` written as a string.
"""

import copy
from dataclasses import InitVar, dataclass
from typing import Any, Mapping

from airbyte_cdk.sources.declarative.schema.schema_loader import SchemaLoader
from airbyte_cdk.sources.types import Config

from source_brightpearl.resources import load_schemas


@dataclass
class BrightpearlSchemaLoader(SchemaLoader):
    config: Config
    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream_name = parameters["name"]

    def get_json_schema(self) -> Mapping[str, Any]:
        schemas = load_schemas()
        if self._stream_name not in schemas:
            raise FileNotFoundError(f"No schema file schemas/{self._stream_name}.json for stream '{self._stream_name}'.")
        return copy.deepcopy(schemas[self._stream_name])
