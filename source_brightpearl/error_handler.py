"""The manifest's error handler: the declared response filters, minus their cost on successful responses.

A response filter with a `predicate` parses the whole response body with the standard library's json module, on
every response, even a 200 (the CDK evaluates predicates before it looks at the status). Brightpearl's detail GETs
are ~0.8 MB each, and two predicate filters made that parse the single largest cost of a sync (about a third of the
CPU). A 2xx JSON response needs none of the filters, so it is accepted at once; everything else goes through them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

import requests
from airbyte_cdk.sources.declarative.requesters.error_handlers.default_error_handler import DefaultErrorHandler
from airbyte_cdk.sources.streams.http.error_handlers.response_models import SUCCESS_RESOLUTION, ErrorResolution


@dataclass
class BrightpearlErrorHandler(DefaultErrorHandler):
    def interpret_response(self, response_or_exception: Optional[Union[requests.Response, Exception]]) -> ErrorResolution:
        if (
            isinstance(response_or_exception, requests.Response)
            and 200 <= response_or_exception.status_code < 300
            and "json" in response_or_exception.headers.get("Content-Type", "")
        ):
            return SUCCESS_RESOLUTION
        return super().interpret_response(response_or_exception)
