"""Units behind incremental sync: time windows, syncCursor, state checks."""

import logging
from datetime import datetime, timezone

import pytest
from airbyte_cdk.models import (
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    FailureType,
    StreamDescriptor,
)
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_brightpearl.api.datetimes import format_utc, format_utc_millis, parse_datetime
from source_brightpearl.components.retrievers import SearchRetriever
from source_brightpearl.components.retrievers.windows import window_bounds as _window_bounds
from source_brightpearl.components.retrievers.windows import window_params as _window_params
from source_brightpearl.state import checked_state


def test_parse_and_format_normalise_to_utc():
    moment = parse_datetime("2022-01-26T10:39:46.123-06:00")
    assert format_utc(moment) == "2022-01-26T16:39:46Z"
    assert format_utc_millis(moment) == "2022-01-26T16:39:46.123Z"
    assert parse_datetime("2024-01-01T00:00:00Z") == datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_window_end_is_padded_to_the_next_windows_start():
    window = StreamSlice(partition={}, cursor_slice={"start_time": "2024-01-01T00:00:00Z", "end_time": "2024-06-28T23:59:59Z"})
    bounds = _window_bounds(window)
    assert _window_params(bounds, "updatedOn") == {"updatedOn": "2024-01-01T00:00:00Z/2024-06-29T00:00:00Z"}
    assert _window_params(bounds, None) == {}
    assert _window_bounds(StreamSlice(partition={}, cursor_slice={})) == (None, None)


def _retriever(**parameters):
    return SearchRetriever(config={}, parameters={"resource_path": "x-search", "id_column": "id", **parameters}, name="s")


def test_sync_cursor_prefers_updated_on_falls_back_to_created_on_and_is_capped():
    retriever = _retriever(cursor_sources=["updatedOn", "createdOn"])
    end = parse_datetime("2024-06-29T00:00:00Z")
    assert (
        retriever._add_sync_cursor({"createdOn": "2024-01-02T00:00:00.000-06:00"}, end)["syncCursor"]
        == "2024-01-02T06:00:00.000Z"
    )
    updated = {"createdOn": "2024-01-02T00:00:00.000Z", "updatedOn": "2024-03-01T00:00:00.500Z"}
    assert retriever._add_sync_cursor(updated, end)["syncCursor"] == "2024-03-01T00:00:00.500Z"
    late = {"updatedOn": "2024-07-01T00:00:00.000Z"}  # changed between the search and the GET
    assert retriever._add_sync_cursor(late, end)["syncCursor"] == "2024-06-29T00:00:00.000Z"
    assert "syncCursor" not in _retriever()._add_sync_cursor({"updatedOn": "2024-03-01T00:00:00Z"}, end)


def test_each_key_is_claimed_once_per_sync():
    retriever = _retriever()
    assert retriever._claim(5) and not retriever._claim(5) and retriever._claim(6)


def _state(stream, value):
    return AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(value)),
    )


LOGGER = logging.getLogger("test")


def test_valid_state_is_kept():
    state = [_state("orders", {"syncCursor": "2024-01-01T00:00:00Z"})]
    assert checked_state(state, {"orders"}, LOGGER) == state


def test_foreign_state_is_dropped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        kept = checked_state([_state("orders", {"updatedOn": "2024-01-01"})], {"orders"}, LOGGER)
    assert kept == []
    assert "not this connector's" in caplog.text


@pytest.mark.parametrize(
    "value,message", [("yesterday", "not a date-time"), (12, "not a date-time"), ("2999-01-01T00:00:00Z", "in the future")]
)
def test_bad_state_is_refused(value, message):
    with pytest.raises(AirbyteTracedException) as raised:
        checked_state([_state("orders", {"syncCursor": value})], {"orders"}, LOGGER)
    assert raised.value.failure_type == FailureType.config_error
    assert message in raised.value.message and "Reset this stream" in raised.value.message


def test_state_of_full_refresh_streams_passes_through():
    state = [_state("warehouses", {"anything": 1})]
    assert checked_state(state, {"orders"}, LOGGER) == state


@pytest.mark.parametrize(
    "value,normalised",
    [
        ("2024-06-01", "2024-06-01T00:00:00.000Z"),
        ("2024-06-01T00:00:00+02:00", "2024-05-31T22:00:00.000Z"),
        ("2024-06-01T00:00:00.000-06:00", "2024-06-01T06:00:00.000Z"),
        ("2024-06-01T00:00:00.123Z", "2024-06-01T00:00:00.123Z"),
    ],
)
def test_any_iso_8601_cursor_is_rewritten_to_the_form_the_cdk_reads(value, normalised):
    [kept] = checked_state([_state("orders", {"syncCursor": value, "other": 1})], {"orders"}, LOGGER)
    assert kept.stream.stream_state.__dict__ == {"syncCursor": normalised, "other": 1}


@pytest.mark.parametrize("minutes,refused", [(4, False), (30, True), (50, True)])
def test_a_state_ahead_of_the_clock_by_more_than_skew_is_refused_naming_the_stream(minutes, refused):
    from datetime import datetime, timedelta, timezone

    ahead = (datetime.now(timezone.utc) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    state = [_state("products", {"syncCursor": ahead})]
    if not refused:
        assert checked_state(state, {"products"}, LOGGER) == state
        return
    with pytest.raises(AirbyteTracedException) as raised:
        checked_state(state, {"products"}, LOGGER)
    assert raised.value.failure_type == FailureType.config_error
    assert "Stream 'products'" in raised.value.message and "in the future" in raised.value.message


def test_a_cursor_before_the_year_1000_is_refused():
    with pytest.raises(AirbyteTracedException, match="year 1000 or later"):
        checked_state([_state("orders", {"syncCursor": "0999-12-31T00:00:00Z"})], {"orders"}, LOGGER)


def test_the_searched_window_never_ends_after_now():
    from source_brightpearl.components.retrievers.windows import is_empty, searched_window

    now = datetime(2026, 3, 1, 12, 0, 5, 700_000, tzinfo=timezone.utc)
    last = StreamSlice(partition={}, cursor_slice={"start_time": "2026-03-01T11:55:00Z", "end_time": "2026-03-01T12:00:05Z"})
    assert _window_bounds(last)[1] == datetime(2026, 3, 1, 12, 0, 6, tzinfo=timezone.utc)  # padded: in the future
    assert searched_window(last, now)[1] == datetime(2026, 3, 1, 12, 0, 5, tzinfo=timezone.utc)
    older = StreamSlice(partition={}, cursor_slice={"start_time": "2025-01-01T00:00:00Z", "end_time": "2025-06-29T23:59:59Z"})
    assert searched_window(older, now) == _window_bounds(older)  # past windows keep their padding
    future = StreamSlice(partition={}, cursor_slice={"start_time": "2026-03-01T12:10:00Z", "end_time": "2026-03-01T12:10:00Z"})
    assert is_empty(searched_window(future, now)) and not is_empty(searched_window(last, now))
