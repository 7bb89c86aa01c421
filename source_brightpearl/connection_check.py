"""`check`: one cheap authenticated call that proves the account and the credentials.

GET integration-service/account-configuration (PROTOCOL.md §1) through the manifest's declared requester, so the
API budget, throttling waits, retries and the 401 refresh all apply. Each way it can fail gets its own message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Optional

import requests
from airbyte_cdk.sources.declarative.models.declarative_component_schema import HttpRequester as HttpRequesterModel
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.endpoints import api_origin

if TYPE_CHECKING:
    from source_brightpearl.source import SourceBrightpearl

CHECK_REQUESTER = "account_configuration_requester"


def check_connection(source: "SourceBrightpearl", logger: logging.Logger) -> Optional[str]:
    """None when the account answered with its configuration; otherwise what went wrong and what to do."""
    config = source.live_config
    definition = dict(source._source_config["definitions"][CHECK_REQUESTER])
    requester = source._constructor.create_component(HttpRequesterModel, definition, config, name="check")
    origin = api_origin(config)
    try:
        response = requester.send_request()
    except AirbyteTracedException as error:
        # The error handler already turned 401/403/404 into config errors with a message naming the cause.
        return error.message or str(error)
    except requests.exceptions.ConnectionError:
        return (
            f"Could not connect to {origin}. Check `data_center` ('{config.get('data_center')}'): it is the first label of your "
            "Brightpearl app URL, e.g. euw1 or use1. If you set `base_url`, check it too."
        )
    except requests.exceptions.RequestException as error:
        return f"The request to {origin} failed ({type(error).__name__}). Check your network connection and retry."
    body = _json(response)
    configuration = body.get("response", {}).get("configuration") if isinstance(body, dict) else None
    if not isinstance(configuration, dict):
        return (
            f"{origin} answered, but not like Brightpearl's API (no account configuration in the response). "
            "Check `data_center` and `base_url`."
        )
    logger.info(
        f"Connected to Brightpearl account '{config.get('account')}' (time zone {configuration.get('timeZone', 'unknown')}, "
        f"base currency {configuration.get('baseCurrencyCode', 'unknown')})."
    )
    return None


def _json(response: Optional[requests.Response]) -> object:
    if response is None:
        return None
    try:
        return response.json()
    except ValueError:
        return None
