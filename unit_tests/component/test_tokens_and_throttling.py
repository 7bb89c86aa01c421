"""A rejected access token and Brightpearl's throttling, met in the middle of a read."""

from __future__ import annotations

import orjson
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.mock_http import HttpMocker, HttpRequest
from airbyte_cdk.test.mock_http.request import ANY_QUERY_PARAMS

from unit_tests import builders

WAREHOUSES = f"{builders.API}/warehouse-service/warehouse"
WAREHOUSE_LIST = builders.json_response(
    {"response": [{"id": 2, "name": "Main", "typeCode": "warehouse"}, {"id": 3, "name": "Store", "typeCode": "store"}]}
)
NEW_ACCESS_TOKEN = "component-test-access-token-2"
NEW_REFRESH_TOKEN = "component-test-refresh-token-2"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_contract_token__one_401_refreshes_the_token_once_and_the_read_completes(capsys):
    with HttpMocker() as mocker:
        mocker.get(HttpRequest(f"{builders.API}/integration-service/account-configuration"), builders.account_configuration())
        # The token expires between the account check and the stream's request.
        mocker.get(
            HttpRequest(WAREHOUSES, query_params=ANY_QUERY_PARAMS, headers=_bearer(builders.ACCESS_TOKEN)),
            builders.unauthorized(),
        )
        mocker.get(HttpRequest(WAREHOUSES, query_params=ANY_QUERY_PARAMS, headers=_bearer(NEW_ACCESS_TOKEN)), WAREHOUSE_LIST)
        refresh = builders.token_refresh_request()
        mocker.post(
            refresh,
            builders.json_response(
                {
                    "access_token": NEW_ACCESS_TOKEN,
                    "refresh_token": NEW_REFRESH_TOKEN,
                    "token_type": "Bearer",
                    "expires_in": 604800,
                }
            ),
        )
        output = builders.read_streams({"warehouses": SyncMode.full_refresh})
        mocker.assert_number_of_calls(refresh, 1)  # a single-use refresh token is spent once

    assert not builders.error_messages(output)
    assert sorted(record["id"] for record in builders.emitted(output, "warehouses")) == [2, 3]
    # The platform is handed the new tokens (a CONNECTOR_CONFIG control message) so the next sync starts from them.
    controls = [orjson.loads(line) for line in capsys.readouterr().out.splitlines() if '"CONNECTOR_CONFIG"' in line]
    assert [control["control"]["connectorConfig"]["config"]["refresh_token"] for control in controls] == [NEW_REFRESH_TOKEN]


def test_contract_throttle__a_503_waits_the_announced_period_then_the_read_goes_on():
    with HttpMocker() as mocker:
        mocker.get(HttpRequest(f"{builders.API}/integration-service/account-configuration"), builders.account_configuration())
        mocker.get(HttpRequest(WAREHOUSES, query_params=ANY_QUERY_PARAMS), [builders.throttled(period_ms=300), WAREHOUSE_LIST])
        output = builders.read_streams({"warehouses": SyncMode.full_refresh})

    assert not builders.error_messages(output)
    assert sorted(record["id"] for record in builders.emitted(output, "warehouses")) == [2, 3]
    # The wait is Brightpearl's (milliseconds in brightpearl-next-throttle-period), and it is said at INFO.
    assert any("throttling (HTTP 503); waiting 0.3 s" in message for message in builders.log_messages(output))
