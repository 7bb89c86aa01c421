"""Every custom component builds on every Python the connector admits (3.10–3.13).

The CDK builds a custom component by reading its dataclass fields with `typing.get_type_hints`. Python 3.10 rejects a
`dataclasses.InitVar` annotation written as a string (which `from __future__ import annotations` makes of every
annotation), so `discover` failed there with "Forward references must evaluate to types". `make test` runs the unit
tests on 3.10, 3.12 and 3.13 where the machine has them; the source scan below catches the mistake on any Python.
"""

import importlib
import re
import typing
from pathlib import Path

import pytest

from source_brightpearl.resources import load_manifest

PACKAGE = Path(__file__).resolve().parents[1] / "source_brightpearl"


def _class_names(node):
    if isinstance(node, dict):
        if isinstance(node.get("class_name"), str):
            yield node["class_name"]
        for value in node.values():
            yield from _class_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _class_names(value)


CLASS_NAMES = sorted(set(_class_names(load_manifest())))


def test_the_manifest_names_custom_components():
    assert len(CLASS_NAMES) >= 5


@pytest.mark.parametrize("class_name", CLASS_NAMES)
def test_the_cdk_can_read_every_custom_components_fields(class_name):
    module_name, _, name = class_name.rpartition(".")
    component = getattr(importlib.import_module(module_name), name)
    hints = typing.get_type_hints(component)  # what the CDK's create_custom_component does
    assert hints, class_name


def test_no_initvar_annotation_is_a_string():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in sorted(PACKAGE.rglob("*.py"))
        if re.search(r"^\s+\w+: InitVar\[", path.read_text(encoding="utf-8"), re.MULTILINE)
        and re.search(r"^from __future__ import annotations", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert not offenders, (
        f"{offenders} declare an InitVar field under `from __future__ import annotations`: Python 3.10 cannot build "
        "such a component. Drop the __future__ import from these modules."
    )
