"""Progress estimates and log lines (components/progress.py)."""

import logging

from source_brightpearl.components.progress import StreamProgress, distinct_share


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _rows(message):
    return message.trace.estimate.row_estimate


def test_the_first_search_page_gives_an_estimate_message():
    progress = StreamProgress("orders", Clock())
    message = progress.searched("all", 30_000)
    assert message is not None and message.trace.type.value == "ESTIMATE"
    assert message.trace.estimate.name == "orders" and message.trace.estimate.type.value == "STREAM"
    assert _rows(message) == 30_000
    assert progress.searched("all", 30_000) is None, "an unchanged estimate is not sent again"


def test_rows_per_record_and_records_per_id_scale_the_estimate():
    progress = StreamProgress("journals", Clock())
    # journal-search: one row per journal line; 500 rows on the first page name 100 journals.
    share = distinct_share([n // 5 for n in range(500)])
    assert _rows(progress.searched("all", 5_000, share)) == 1_000
    prices = StreamProgress("product_prices", Clock())
    assert _rows(prices.searched("all", 300)) == 300
    assert _rows(prices.fetched(ids=200, records=1_400)) == 2_100  # 7 price lists per product


def test_windows_add_up_and_overlapping_filters_of_one_window_do_not():
    progress = StreamProgress("orders", Clock())
    assert _rows(progress.searched("w1", 100)) == 100
    assert progress.searched("w1", 80) is None  # the window's other filter: the larger count stands
    assert _rows(progress.searched("w2", 50)) == 150


def test_unusable_counts_are_ignored():
    progress = StreamProgress("supplier_payments", Clock())
    assert progress.searched("all", None) is None
    assert progress.searched("all", "500") is None
    assert progress.estimate is None


def test_a_progress_line_about_every_30_seconds(caplog):
    clock = Clock()
    progress = StreamProgress("orders", clock)
    progress.searched("all", 10_000)
    with caplog.at_level(logging.INFO, logger="airbyte"):
        progress.read(1_000)
        clock.now = 10.0
        progress.read(1_000)
        assert not [r for r in caplog.records if "records read" in r.getMessage()]
        clock.now = 31.0
        progress.read(1_000)
    [line] = [r.getMessage() for r in caplog.records if "records read" in r.getMessage()]
    assert line == "Stream 'orders': 3,000 records read of about 10,000 (30%), 97 records/s, about 72 s left."
