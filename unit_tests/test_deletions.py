"""Deletion reports (source_brightpearl/components/deletions.py): the id-set bookkeeping of one sync, and the cursor
the CDK's own factory builds for the streams that declare `deletions`."""

from __future__ import annotations

import logging

import pytest
import yaml
from airbyte_cdk.models import (
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalogSerializer,
    StreamDescriptor,
)
from airbyte_cdk.sources.streams.concurrent.cursor import ConcurrentCursor
from airbyte_cdk.sources.types import Record, StreamSlice

from source_brightpearl.api.idranges import RangeSet
from source_brightpearl.components.deletions import (
    DELETED_AT,
    DELETION_CHECK,
    KNOWN_IDS,
    SEEN_FOLD_SIZE,
    DeletionTracker,
    DeletionTrackingCursor,
    is_deletion_check,
)
from source_brightpearl.resources import load_schemas, load_spec, manifest_path
from source_brightpearl.source import SourceBrightpearl
from source_brightpearl.state import checked_state
from unit_tests.record_validation import record_errors
from unit_tests.test_manifest import CONFIG


def ids(text: str) -> RangeSet:
    return RangeSet.parse(text)


# ------------------------------------------------------------------------------------------------ one sync's sets
def test_first_sync_records_the_listing_and_reports_nothing():
    tracker = DeletionTracker("orders", previous=None)
    tracker.note_live(5)
    assert tracker.state_value() is None, "no complete listing yet: a crashed first sync must not save a partial set"
    assert not tracker.check(ids("1-10"))
    assert tracker.state_value() is None
    tracker.commit()
    assert tracker.state_value() == "1-10"


def test_deleted_is_known_minus_listed():
    tracker = DeletionTracker("orders", previous=ids("1-10,20"))
    assert list(tracker.check(ids("1-4,6-10,21"))) == [5, 20]
    # Until the delete records are queued (commit), states keep the previous set: a sync that dies reports again.
    assert tracker.state_value() == "1-10,20"
    tracker.commit()
    assert tracker.state_value() == "1-4,6-10,21"


def test_ids_read_live_after_the_listing_stay_known():
    """A record created after the OPTIONS listing but found by this sync's searches is in the warehouse: it must be
    in the saved set, or its deletion would never be reported."""
    tracker = DeletionTracker("orders", previous=ids("1-10"))
    tracker.check(ids("1-10"))
    tracker.note_live(3)  # already listed: nothing to add
    tracker.note_live(11)  # created after the listing, read by a window
    tracker.commit()
    assert tracker.state_value() == "1-11"
    tracker.note_live(12)  # read after the commit
    saved = tracker.state_value()
    assert saved == "1-12"

    next_sync = DeletionTracker.from_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: saved})
    assert list(next_sync.check(ids("1-10,12"))) == [11]


def test_a_record_created_and_deleted_between_two_syncs_is_never_reported():
    tracker = DeletionTracker.from_state("orders", {KNOWN_IDS: "1-10"})
    # id 11 was created and deleted before this sync listed the ids: the destination never saw it.
    assert not tracker.check(ids("1-10"))


def test_ids_read_before_the_first_listing_are_kept():
    tracker = DeletionTracker("orders", previous=None)
    tracker.note_live(42)  # e.g. a window read before the check partition ran
    tracker.check(ids("1-10"))
    tracker.commit()
    assert tracker.state_value() == "1-10,42"


def test_many_ids_read_before_the_check_are_kept_as_ranges():
    tracker = DeletionTracker("orders", previous=None)
    for record_id in range(1, 25_001):
        tracker.note_live(record_id)
    tracker.note_live(30_000)
    assert len(tracker._seen) < SEEN_FOLD_SIZE  # folded into ranges as they came
    tracker.check(ids("1-20000"))
    tracker.commit()
    assert tracker.state_value() == "1-25000,30000"


def test_unreadable_saved_set_starts_over_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        tracker = DeletionTracker.from_state("orders", {KNOWN_IDS: "z1:not-base64!"})
    assert tracker.previous is None
    assert "reports no deletions" in caplog.text and "orders" in caplog.text


# ------------------------------------------------------------------------------------------------ the CDK's cursor
def _catalog(*names, sync_mode="incremental"):
    return ConfiguredAirbyteCatalogSerializer.load(
        {
            "streams": [
                {
                    "stream": {"name": name, "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"]},
                    "sync_mode": sync_mode,
                    "destination_sync_mode": "append_dedup",
                }
                for name in names
            ]
        }
    )


def _state(stream, value):
    return AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(stream_descriptor=StreamDescriptor(name=stream), stream_state=AirbyteStateBlob(value)),
    )


def _streams(names=("orders", "products", "contacts", "journals"), state=None, sync_mode="incremental", **config):
    source = SourceBrightpearl(catalog=_catalog(*names, sync_mode=sync_mode), config={**CONFIG, **config}, state=state)
    return {stream.name: stream for stream in source.streams(source._config)}


def test_the_factory_builds_tracking_cursors_for_the_streams_that_declare_deletions():
    streams = _streams()
    for name, key in (("orders", "id"), ("products", "id"), ("contacts", "contactId")):
        cursor = streams[name].cursor
        assert isinstance(cursor, DeletionTrackingCursor), name
        assert cursor.tracker.key_field == key, "the retriever bound the primary key the CDK passed it"
    assert type(streams["journals"].cursor) is ConcurrentCursor


def test_the_deletion_check_is_the_last_slice_after_the_time_windows():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"})]
    cursor = _streams(("orders",), state=state)["orders"].cursor
    slices = list(cursor.stream_slices())
    assert [is_deletion_check(s) for s in slices] == [False] * (len(slices) - 1) + [True]
    assert slices[-1].partition == {DELETION_CHECK: True} and slices[0].cursor_slice["start_time"]


def test_state_carries_the_known_ids_beside_the_cursor():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"})]
    cursor = _streams(("orders",), state=state)["orders"].cursor
    assert cursor.state == {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"}


def test_a_state_from_before_this_feature_gets_no_known_ids_until_the_first_check():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z"})]
    cursor = _streams(("orders",), state=state)["orders"].cursor
    assert cursor.tracker.previous is None
    assert cursor.state == {"syncCursor": "2026-01-01T00:00:00Z"}


def test_delete_records_do_not_move_the_cursor():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"})]
    cursor = _streams(("orders",), state=state)["orders"].cursor
    check = StreamSlice(partition={DELETION_CHECK: True}, cursor_slice={})
    deleted = {"id": 7, "_ab_cdc_deleted_at": "2099-01-01T00:00:00.000Z", "syncCursor": "2099-01-01T00:00:00.000Z"}
    cursor.observe(Record(data=deleted, stream_name="orders", associated_slice=check))
    assert cursor.state["syncCursor"] == "2026-01-01T00:00:00Z"
    cursor.tracker.check(ids("1-6,8-100"))
    cursor.tracker.commit()
    assert cursor.state[KNOWN_IDS] == "1-6,8-100"


def test_live_records_the_cursor_observes_join_the_known_ids():
    """The path a record read by a window takes (PartitionReader calls observe after queueing it): an order created
    after this sync's OPTIONS listing still ends up in knownIds."""
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"})]
    cursor = _streams(("orders",), state=state)["orders"].cursor
    window = next(iter(cursor.stream_slices()))
    cursor.observe(
        Record(data={"id": 150, "syncCursor": "2026-01-01T00:01:00.000Z"}, stream_name="orders", associated_slice=window)
    )
    cursor.tracker.check(ids("1-100"))
    cursor.tracker.commit()
    assert cursor.state[KNOWN_IDS] == "1-100,150"


def test_setting_off_builds_plain_cursors_and_drops_the_saved_ids():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "1-100"})]
    cursor = _streams(("orders",), state=state, report_deletions=False)["orders"].cursor
    assert type(cursor) is ConcurrentCursor
    assert cursor.state == {"syncCursor": "2026-01-01T00:00:00Z"}
    assert not any(is_deletion_check(s) for s in cursor.stream_slices())


def test_full_refresh_has_no_deletion_check():
    streams = _streams(("orders",), sync_mode="full_refresh")
    assert not isinstance(streams["orders"].cursor, DeletionTrackingCursor)


@pytest.mark.parametrize("value", [True, None])
def test_setting_is_on_unless_false(value):
    config = {} if value is None else {"report_deletions": value}
    assert isinstance(_streams(("contacts",), **config)["contacts"].cursor, DeletionTrackingCursor)


def test_payments_report_deletions_only_when_opted_in():
    payments = ("customer_payments", "supplier_payments")
    for name, stream in _streams(payments).items():
        assert type(stream.cursor) is ConcurrentCursor, name
    for name, stream in _streams(payments, report_payment_deletions=True).items():
        assert isinstance(stream.cursor, DeletionTrackingCursor), name
        assert stream.cursor.tracker.key_field == "paymentId"
    for name, stream in _streams(payments, report_payment_deletions=True, report_deletions=False).items():
        assert type(stream.cursor) is ConcurrentCursor, f"{name}: report_deletions is the master switch"


# ------------------------------------------------------------------------------------------------ contract pieces
DELETION_CLASSES = {
    "source_brightpearl.components.deletions.DeletionReportingSearchThenGetRetriever",
    "source_brightpearl.components.deletions.DeletionReportingSearchRetriever",
}


def test_streams_that_declare_deletions_use_a_retriever_that_answers_the_check():
    manifest = yaml.safe_load(manifest_path().read_text())
    declared = {}
    for stream in manifest["streams"]:
        settings = stream.get("$parameters", {}).get("deletions")
        if settings is None:
            continue
        declared[stream["name"]] = settings
        base = manifest["definitions"][stream["$ref"].rsplit("/", 1)[-1]]
        assert base["retriever"]["class_name"] in DELETION_CLASSES, stream["name"]
        assert stream.get("incremental_sync"), f"{stream['name']}: deletions are reported by incremental syncs only"
        if settings["id_source"] == "options":
            assert settings["options_path"] == stream["$parameters"]["resource_path"], stream["name"]
    assert declared.keys() == {"orders", "products", "contacts", "customer_payments", "supplier_payments"}
    assert {name for name, s in declared.items() if s.get("enabled_by")} == {"customer_payments", "supplier_payments"}
    spec = load_spec()["connectionSpecification"]["properties"]
    assert spec["report_deletions"]["default"] is True and spec["report_payment_deletions"]["default"] is False


@pytest.mark.parametrize(
    "stream,key", [("orders", "id"), ("products", "id"), ("contacts", "contactId"), ("customer_payments", "paymentId")]
)
def test_a_deletion_record_is_valid_and_live_records_need_no_deletion_field(stream, key):
    schema = load_schemas()[stream]
    declared = schema["properties"][DELETED_AT]
    assert declared["type"] == ["null", "string"] and declared["format"] == "date-time"
    assert DELETED_AT not in schema["required"]
    record = {key: 12, DELETED_AT: "2026-12-01T10:00:00.123Z", "syncCursor": "2026-12-01T10:00:00.123Z"}
    assert record_errors(schema, record) == []
    assert record_errors(schema, {**record, DELETED_AT: "yesterday"}) != []


def test_incoming_state_with_known_ids_is_kept():
    state = [_state("orders", {"syncCursor": "2026-01-01T00:00:00Z", KNOWN_IDS: "z1:eJwz1DHUMQIAAl4A+A=="})]
    assert checked_state(state, {"orders"}, logging.getLogger("test")) == state
