"""`check`: one cheap authenticated call that proves the account and the credentials.

GET integration-service/account-configuration (docs/brightpearl-api.md §P1) through the manifest's declared requester, so the
API budget, throttling waits, retries and the 401 refresh all apply. Each way it can fail gets its own message.
"""

from __future__ import annotations

import logging
from typing import Any, Mapping, NamedTuple, Optional

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.endpoints import api_origin
from source_brightpearl.components.oauth import TokenRejected

CHECK_REQUESTER = "account_configuration_requester"  # a read's account check: as patient as the streams
INTERACTIVE_CHECK_REQUESTER = "interactive_account_configuration_requester"  # `check`: gives up on throttling sooner


class ConnectionProblem(NamedTuple):
    """Why the account check failed: the message for the user, and whose problem it is (config_error: fix the
    config or re-authorise; transient_error: Brightpearl or the network, retry later)."""

    message: str
    failure_type: FailureType


def _config(message: str) -> ConnectionProblem:
    return ConnectionProblem(message, FailureType.config_error)


def check_requester_name(interactive: bool) -> str:
    """The manifest definition of the account check's requester (`interactive`: the `check` command)."""
    return INTERACTIVE_CHECK_REQUESTER if interactive else CHECK_REQUESTER


def check_connection(requester: Any, config: Mapping[str, Any], logger: logging.Logger) -> Optional[ConnectionProblem]:
    """None when the account answered with its configuration; otherwise what went wrong and what to do.
    `requester` is the manifest's declared account-check requester (see `check_requester_name`)."""
    origin = api_origin(config)
    try:
        response = requester.send_request()
    except AirbyteTracedException as error:
        if isinstance(error, TokenRejected):
            return _config(error.message or str(error))  # already says what was rejected and what to do
        if error.failure_type == FailureType.config_error:
            # A 401 that survived a token refresh, or a token endpoint that refused the refresh.
            return _config(
                f"Brightpearl rejected the connector's credentials for account '{config.get('account')}' ({error.message}). "
                "Check `client_id` and `account`, then re-authorise the connector."
            )
        # Retries ran out: failures (5xx, proxy pages) or an hour of throttling. Nothing in the config to fix.
        return ConnectionProblem(
            f"Brightpearl did not answer the account check at {origin} after retrying ({error.message or error}). "
            "Retry later; if it persists, check Brightpearl's status, and whether other integrations use up the "
            "account's request quota.",
            FailureType.transient_error,
        )
    except requests.exceptions.ConnectionError:
        return _config(
            f"Could not connect to {origin}. Check `data_center` ('{config.get('data_center')}'): it is the first label of your "
            "Brightpearl app URL, e.g. euw1 or use1. If you set `base_url`, check it too."
        )
    except requests.exceptions.RequestException as error:
        return ConnectionProblem(
            f"The request to {origin} failed ({type(error).__name__}). Check your network connection and retry.",
            FailureType.transient_error,
        )
    if response is not None and response.status_code == 404:
        return _config(
            f"Brightpearl has no account '{config.get('account')}' at {origin} (HTTP 404). Check `account` (your account code) "
            f"and `data_center` ('{config.get('data_center')}'): the account must live in that data center."
        )
    if response is not None and response.status_code == 403:
        return _config(
            f"Brightpearl refused access to account '{config.get('account')}' (HTTP 403). Check that the app `{config.get('client_id')}` "
            "is installed on this account, then re-authorise."
        )
    body = _json(response)
    payload = body.get("response") if isinstance(body, dict) else None
    # Documented as {"response": {"configuration": {...}}}; accept the bare map too.
    configuration = payload.get("configuration", payload) if isinstance(payload, dict) else None
    if not isinstance(configuration, dict):
        return _config(
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
