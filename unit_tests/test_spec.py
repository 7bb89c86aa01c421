"""spec.json is the config contract (CONTRIBUTING.md §7.1): pin what platforms and users depend on."""

import json
import re
import subprocess
import sys

import pytest

from source_brightpearl.resources import load_manifest, load_spec, secret_keys
from source_brightpearl.source import SourceBrightpearl

# (title, key, type, required) of the twelve fields that map Brightpearl's OAuth 2 credential setup one to one.
SEED_FIELDS = [
    ("Data center", "data_center", "string", True),
    ("Account", "account", "string", True),
    ("State length", "state_length", "integer", True),
    ("Scope", "scope", "string", True),
    ("Client ID", "client_id", "string", True),
    ("Secret", "client_secret", "string", True),
    ("Response authentication token key", "response_token_key", "string", True),
    ("Grant type", "grant_type", "string", True),
    ("Response type key", "response_type_key", "string", False),
    ("Dashboard OAuth callback URL", "oauth_callback_url", "string", False),
    ("Client type", "client_type", "string", False),
    ("OAuth authorised code (advanced)", "authorization_code", "string", False),
]
CONNECTOR_FIELDS = [
    ("Developer reference", "developer_ref", "string", False),
    ("Access token", "access_token", "string", False),
    ("Refresh token", "refresh_token", "string", False),
    ("Token expiry date", "token_expiry_date", "string", False),
    ("Start date", "start_date", "string", False),
    ("Base URL", "base_url", "string", False),
]


@pytest.fixture(scope="module")
def connection_spec():
    return load_spec()["connectionSpecification"]


@pytest.mark.parametrize(
    "title,key,json_type,required", SEED_FIELDS + CONNECTOR_FIELDS, ids=[f[1] for f in SEED_FIELDS + CONNECTOR_FIELDS]
)
def test_field_contract(connection_spec, title, key, json_type, required):
    field = connection_spec["properties"][key]
    assert field["title"] == title
    assert field["type"] == json_type
    assert (key in connection_spec["required"]) is required
    assert field.get("description"), f"{key} needs a description a user understands"


def test_fields_keep_contract_order(connection_spec):
    contract_keys = [f[1] for f in SEED_FIELDS + CONNECTOR_FIELDS]
    orders = {key: field["order"] for key, field in connection_spec["properties"].items()}
    assert sorted(contract_keys, key=orders.__getitem__) == contract_keys
    assert len(set(orders.values())) == len(orders), "two fields share an `order`"


def test_defaults_and_choices(connection_spec):
    props = connection_spec["properties"]
    assert props["response_token_key"]["default"] == "access_token"
    assert props["grant_type"]["default"] == "authorization_code"
    assert props["response_type_key"]["default"] == "code"
    assert props["client_type"]["default"] == "confidential"
    assert props["client_type"]["enum"] == ["confidential", "public"]
    assert props["oauth_callback_url"]["format"] == "uri"
    assert props["base_url"]["format"] == "uri"
    assert props["token_expiry_date"]["format"] == "date-time"
    assert props["start_date"]["format"] == "date-time"


def test_every_credential_is_marked_secret(connection_spec):
    # The connector reads the secret keys from these marks (resources.secret_keys): every field holding a secret,
    # a token or a code must carry one, and nothing else.
    credentials = {key for key in connection_spec["properties"] if re.search(r"secret|_token$|_code$", key)}
    assert credentials == {"client_secret", "authorization_code", "access_token", "refresh_token"}
    assert secret_keys() == credentials


def test_advanced_auth_declares_the_authorization_code_flow():
    auth = load_spec()["advanced_auth"]
    assert auth["auth_flow_type"] == "oauth2.0"
    oauth = auth["oauth_config_specification"]
    connector_input = oauth["oauth_connector_input_specification"]
    consent = connector_input["consent_url"]
    for part in ("{{ account }}", "{{ client_id_param }}", "{{ redirect_uri_param }}", "{{ state_param }}", "response_type=code"):
        assert part in consent
    assert "grant_type=authorization_code" in connector_input["access_token_url"]
    assert "expires_in" in connector_input["extract_output"], "without expires_in a premature refresh burns a rotating token"
    outputs = oauth["complete_oauth_output_specification"]["properties"]
    assert outputs["access_token"]["path_in_connector_config"] == ["access_token"]
    assert outputs["refresh_token"]["path_in_connector_config"] == ["refresh_token"]
    assert outputs["token_expiry_date"]["path_in_oauth_response"] == ["expires_in"]
    assert outputs["token_expiry_date"]["path_in_connector_config"] == ["token_expiry_date"]
    server_outputs = oauth["complete_oauth_server_output_specification"]["properties"]
    assert server_outputs["client_id"]["path_in_connector_config"] == ["client_id"]
    assert server_outputs["client_secret"]["path_in_connector_config"] == ["client_secret"]


def test_manifest_spec_is_generated_from_spec_json():
    spec = load_spec()
    manifest_spec = load_manifest()["spec"]
    assert manifest_spec["connection_specification"] == spec["connectionSpecification"]
    assert manifest_spec["advanced_auth"] == spec["advanced_auth"]


def test_spec_command_prints_spec_json(tmp_path):
    # Run the installed console script from an unrelated directory: the package must find its own files.
    out = subprocess.run(
        [sys.executable, "-m", "source_brightpearl.run", "spec"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    messages = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    specs = [m["spec"] for m in messages if m["type"] == "SPEC"]
    assert len(specs) == 1
    assert specs[0]["connectionSpecification"] == load_spec()["connectionSpecification"]
    assert specs[0]["advanced_auth"]["auth_flow_type"] == "oauth2.0"


def test_in_process_spec_matches():
    import logging

    spec = SourceBrightpearl().spec(logging.getLogger("test"))
    assert spec.connectionSpecification == load_spec()["connectionSpecification"]


def test_fast_spec_is_exactly_what_the_cdk_would_print():
    """`source-brightpearl spec` answers without importing the CDK; it must print the CDK's message byte for byte."""
    import logging

    import orjson
    from airbyte_cdk.models import AirbyteMessage, AirbyteMessageSerializer, Type

    from source_brightpearl.run import spec_message

    cdk = AirbyteMessage(type=Type.SPEC, spec=SourceBrightpearl().spec(logging.getLogger("test")))
    assert orjson.loads(spec_message()) == AirbyteMessageSerializer.dump(cdk)
