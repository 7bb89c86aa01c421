"""Every place the connector leans on a library's internals, checked against the installed versions.

An upgrade of airbyte-cdk (or serpyco-rs) that moves one of them fails here, by name, instead of somewhere deep in a
sync. Each test says what the connector relies on and why (CONTRIBUTING.md, "Where the CDK is patched").
- source.py: `_constructor` (the component factory) and its `_api_budget`, `_prepare_for_stream_build` (overridden),
  `_source_config` (the resolved manifest), `_config` (the config every component shares), `_concurrent_source`'s
  record queue (capped);
- components/pacing.py: the budget's `acquire_call` and `update_from_response`, called by the CDK's HTTP session
  around each send, delegated to by the throttle gate's budget;
- retrievers: the CDK emits anything a retriever yields that is not a record through its message repository
  (progress estimates);
- fast_import.py: serpyco-rs's `get_attributes_doc` callers (tests in test_fast_import.py).
"""

from __future__ import annotations

import inspect
import logging
from datetime import timedelta

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.streams.call_rate import APIBudget, HttpAPIBudget, MovingWindowCallRatePolicy, Rate
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest
from airbyte_cdk.test.mock_http.request import ANY_QUERY_PARAMS

from source_brightpearl.components import pacing
from source_brightpearl.components.authenticator import BrightpearlOAuthAuthenticator
from source_brightpearl.source import SourceBrightpearl
from unit_tests import builders


@pytest.fixture
def source() -> SourceBrightpearl:
    return SourceBrightpearl(config=builders.config())


# ------------------------------------------------------------------------------------------------ source.py
def test_the_component_factory_is_where_source_py_expects_it(source):
    # declared_requester builds requesters for check and discover with the factory's public create_component.
    assert isinstance(source._constructor, ModelToComponentFactory)
    assert callable(source._constructor.create_component)
    assert hasattr(source._constructor, "_api_budget"), "the factory no longer keeps the API budget in _api_budget"


def test_the_cdk_still_rebuilds_the_budget_so_the_override_still_keeps_one(source):
    """The CDK's `_prepare_for_stream_build` builds a new API budget each time it runs (check, discover, read). The
    override keeps the first, so the account check and every stream count against one budget."""
    assert callable(getattr(ConcurrentDeclarativeSource, "_prepare_for_stream_build", None))
    source._prepare_for_stream_build()
    kept = source._constructor._api_budget
    assert isinstance(kept, pacing.PacedBudget) and isinstance(kept.budget, HttpAPIBudget)
    source._prepare_for_stream_build()
    assert source._constructor._api_budget is kept
    ConcurrentDeclarativeSource._prepare_for_stream_build(source)  # the CDK's own, without the override
    assert source._constructor._api_budget is not kept, (
        "the CDK no longer rebuilds the budget on each stream build: SourceBrightpearl._prepare_for_stream_build can go"
    )


def test_the_override_runs_when_the_cdk_builds_streams(source, monkeypatch):
    calls = []
    original = SourceBrightpearl._prepare_for_stream_build
    monkeypatch.setattr(SourceBrightpearl, "_prepare_for_stream_build", lambda self: calls.append(1) or original(self))
    source.streams(source.live_config)
    assert calls, "the CDK no longer calls _prepare_for_stream_build before building streams"


def test_the_resolved_manifest_holds_the_declared_requesters(source):
    # declared_requester reads `definitions` from the resolved manifest (public: `resolved_manifest`).
    assert source._source_config is source.resolved_manifest
    definitions = source._source_config["definitions"]
    for name in ("requester", "account_configuration_requester", "interactive_account_configuration_requester"):
        assert definitions[name]["type"] == "HttpRequester", name


def test_components_share_the_sources_config_so_token_refreshes_reach_all(source):
    """Token refreshes write into the config dict; every component must hold that very dict, not a copy."""
    assert isinstance(source._config, dict) and source.live_config is source._config
    authenticator = source.declared_requester("check").get_authenticator()
    assert isinstance(authenticator, BrightpearlOAuthAuthenticator)
    assert authenticator.config is source.live_config


# ------------------------------------------------------------------------------------------------ pacing.py
def test_the_session_calls_the_budget_around_each_send():
    """The CDK's session calls `acquire_call(request)` before a send and `update_from_response(request, response)`
    after it: the two calls the throttle gate (components/pacing.py) sits in."""
    from airbyte_cdk.sources.streams.call_rate import LimiterMixin

    source_code = inspect.getsource(LimiterMixin.send)
    assert "self._api_budget.acquire_call(request)" in source_code, "the session no longer acquires through the budget"
    assert "self._api_budget.update_from_response(request, response)" in source_code, (
        "the session no longer reports responses to the budget: the throttle gate would not see them"
    )
    for name in ("acquire_call", "update_from_response"):
        parameters = list(inspect.signature(getattr(APIBudget, name)).parameters)
        assert parameters[:2] == ["self", "request"], (name, parameters)


def test_the_cdk_reports_budget_waits_below_info_so_the_wrapper_is_still_needed(caplog):
    budget = HttpAPIBudget(policies=[MovingWindowCallRatePolicy(rates=[Rate(1, timedelta(milliseconds=300))], matchers=[])])
    with caplog.at_level(logging.INFO, logger="airbyte"):
        budget.acquire_call(object())
        budget.acquire_call(object())  # waits about 0.3 s
    assert not [record for record in caplog.records if record.levelno >= logging.INFO], (
        "the CDK now reports budget waits at INFO: components/pacing.py need not log them"
    )


def test_a_budget_wait_is_logged_at_info_once_paced(caplog, monkeypatch):
    monkeypatch.setattr(pacing, "REPORTED_WAIT_SECONDS", 0.1)
    budget = HttpAPIBudget(policies=[MovingWindowCallRatePolicy(rates=[Rate(1, timedelta(milliseconds=300))], matchers=[])])
    gated = pacing.paced(budget, 200)
    assert pacing.paced(gated, 200) is gated  # idempotent: wrapped once
    with caplog.at_level(logging.INFO, logger="airbyte"):
        for _ in range(2):
            request = object.__new__(type("Request", (), {}))
            gated.acquire_call(request)
            gated.update_from_response(request, None)
    waits = [record.getMessage() for record in caplog.records if "for the request budget" in record.getMessage()]
    assert len(waits) == 1 and "200 requests per minute" in waits[0]


def test_the_gate_is_in_the_path_of_a_real_read(monkeypatch):
    """The CDK's HTTP session calls the shared budget object for every request; the gated budget is what it calls."""
    monkeypatch.setattr(pacing, "REPORTED_WAIT_SECONDS", 0.0)  # log every acquisition, however short
    with HttpMocker() as mocker:
        mocker.get(HttpRequest(f"{builders.API}/integration-service/account-configuration"), builders.account_configuration())
        mocker.get(
            HttpRequest(f"{builders.API}/warehouse-service/warehouse", query_params=ANY_QUERY_PARAMS),
            builders.json_response({"response": [{"id": 2, "name": "Main"}]}),
        )
        output = builders.read_streams({"warehouses": SyncMode.full_refresh})
    assert builders.emitted(output, "warehouses") == [{"id": 2, "name": "Main"}]
    waits = [message for message in builders.log_messages(output) if "for the request budget" in message]
    assert len(waits) >= 2, "the account check and the stream's request both go through the gated budget"


def test_the_record_queue_is_where_source_py_caps_it(source):
    from queue import Queue

    from source_brightpearl.source import RECORD_QUEUE_SIZE

    queue = source._concurrent_source._queue
    assert isinstance(queue, Queue) and queue.maxsize == RECORD_QUEUE_SIZE
    stock = ConcurrentDeclarativeSource(source_config=source.resolved_manifest, config=dict(source.live_config))
    assert stock._concurrent_source._queue.maxsize > (RECORD_QUEUE_SIZE), (
        "the CDK's record queue is no longer larger than the cap: SourceBrightpearl._limit_record_queue can go"
    )


def test_the_cdk_emits_what_a_retriever_yields_that_is_not_a_record():
    """Progress estimates leave a retriever among its records; DeclarativePartition.read hands them to the message
    repository, which puts them on the same queue as the records, in order."""
    from airbyte_cdk.sources.declarative.stream_slicers.declarative_partition_generator import DeclarativePartition

    source_code = inspect.getsource(DeclarativePartition.read)
    assert "self._message_repository.emit_message(stream_data)" in source_code


@pytest.mark.parametrize("budget", [None, object()], ids=["no-budget", "budget-without-acquire_call"])
def test_without_the_expected_budget_nothing_is_wrapped_and_nothing_fails(budget):
    assert pacing.paced(budget, 200) is budget
