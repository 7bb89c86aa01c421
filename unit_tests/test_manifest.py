"""Structure of manifest.yaml: the stream contract, one definition of each shared piece, sane error handling."""

import pytest
import yaml
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
from airbyte_cdk.sources.types import StreamSlice

from source_brightpearl.api.endpoints import api_prefix
from source_brightpearl.resources import load_schemas, manifest_path
from source_brightpearl.source import SourceBrightpearl
from unit_tests.record_validation import STREAMS

CONFIG = {
    "data_center": "euw1",
    "account": "acme",
    "state_length": 32,
    "scope": "",
    "client_id": "acme_app",
    "client_secret": "s",
    "response_token_key": "access_token",
    "grant_type": "authorization_code",
}


@pytest.fixture(scope="module")
def raw_manifest():
    return yaml.safe_load(manifest_path().read_text())


@pytest.fixture(scope="module")
def catalog():
    source = SourceBrightpearl(config=dict(CONFIG))
    return {stream.name: stream.as_airbyte_stream() for stream in source.streams(source._config)}


def test_streams_and_primary_keys_are_the_contract(catalog):
    assert {name: [k[0] for k in s.source_defined_primary_key] for name, s in catalog.items()} == STREAMS


def test_every_stream_has_its_schema(catalog):
    schemas = load_schemas()
    assert set(schemas) == set(STREAMS)
    for name, stream in catalog.items():
        assert stream.json_schema == schemas[name]


def test_streams_only_reference_shared_bases(raw_manifest):
    """Each stream states only what differs; requesters, authenticators and error handlers live in definitions."""
    for stream in raw_manifest["streams"]:
        assert stream["$ref"].startswith("#/definitions/"), stream["name"]
        text = yaml.safe_dump(stream)
        for inline in ("HttpRequester", "CustomAuthenticator", "DefaultErrorHandler", "OAuthAuthenticator"):
            assert inline not in text, f"stream {stream['name']} declares its own {inline}"


def test_one_authenticator_definition(raw_manifest):
    text = manifest_path().read_text()
    assert text.count("class_name: source_brightpearl.components.authenticator.BrightpearlOAuthAuthenticator") == 1
    assert raw_manifest["definitions"]["requester"]["authenticator"] == {"$ref": "#/definitions/authenticator"}


def test_error_handling_rules(raw_manifest):
    filters = raw_manifest["definitions"]["response_filters"]
    assert filters["unauthorized"]["http_codes"] == [401]
    assert filters["unauthorized"]["action"] == "REFRESH_TOKEN_THEN_RETRY"
    # Throttling (429/503) is classified in one place, api/throttling.py, not by a filter.
    assert not any({429, 503} & set(response_filter.get("http_codes", [])) for response_filter in filters.values())
    for name, response_filter in filters.items():
        # error_message_contains never sees Brightpearl's error JSON; a filter matching everything would match 200s.
        assert "error_message_contains" not in response_filter, name
        assert response_filter.get("http_codes") or response_filter.get("predicate"), f"{name} is a catch-all"
    handler = raw_manifest["definitions"]["error_handler"]
    assert handler["backoff_strategies"] == [{"$ref": "#/definitions/backoff_strategy"}]


def test_api_budget_is_a_moving_window_from_config(raw_manifest):
    budget = raw_manifest["api_budget"]
    assert budget["type"] == "HTTPAPIBudget"
    [policy] = budget["policies"]
    assert policy["type"] == "MovingWindowCallRatePolicy"  # a fixed window without a reset header blocks for days
    assert "requests_per_minute" in policy["rates"][0]["limit"]


@pytest.mark.parametrize(
    "config",
    [
        CONFIG,
        {**CONFIG, "api_domain": "ws-eu1.brightpearl.com"},
        {**CONFIG, "api_domain": "ws-eu1.brightpearl.com", "base_url": "https://proxy.example.com/"},
        {**CONFIG, "base_url": " http://127.0.0.1:8099 "},
    ],
    ids=["data-center", "api-domain", "base-url-wins", "base-url-trimmed"],
)
def test_manifest_url_formula_matches_python(raw_manifest, config):
    url = InterpolatedString.create(
        raw_manifest["definitions"]["requester"]["url"], parameters={"resource_path": "order-service/order"}
    )
    assert url.eval(config, stream_slice=None) == f"{api_prefix(config)}/order-service/order"
    detail = StreamSlice(partition={"resource_path": "order-service/order", "id_set": "1-200,205"}, cursor_slice={})
    assert url.eval(config, stream_slice=detail) == f"{api_prefix(config)}/order-service/order/1-200,205"


def _configured(*names, sync_mode="full_refresh"):
    from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer

    return ConfiguredAirbyteCatalogSerializer.load(
        {
            "streams": [
                {
                    "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
                    "sync_mode": sync_mode,
                    "destination_sync_mode": "overwrite",
                }
                for name in names
            ]
        }
    )


def test_a_read_builds_only_the_streams_of_its_catalog():
    source = SourceBrightpearl(catalog=_configured("orders", "brands"), config=dict(CONFIG))
    assert sorted(stream.name for stream in source.streams(source._config)) == ["brands", "orders"]


def test_a_catalog_of_unknown_streams_keeps_the_whole_manifest():
    # The CDK then marks the unknown stream INCOMPLETE, as it would without the pruning.
    source = SourceBrightpearl(catalog=_configured("no_such_stream"), config=dict(CONFIG))
    assert {stream.name for stream in source.streams(source._config)} == set(STREAMS)
