"""Paging a moving result set (source_brightpearl/api/stable_paging.py), against a simulated search: a sorted list
of rows that changes between requests exactly as Brightpearl's does (rows leave anywhere, join at the end)."""

import math
import random

import pytest

from source_brightpearl.api.stable_paging import PagingError, StablePaging


class MovingSearch:
    """Rows `(key, identity)` sorted by key; `between` runs before each request after the first."""

    def __init__(self, rows, page_size=500, between=None):
        self.rows = sorted(rows)
        self.page_size = page_size
        self.between = between
        self.requests = 0

    def page(self, first_result):
        if self.requests and self.between:
            self.between(self)
        self.requests += 1
        served = self.rows[first_result - 1 : first_result - 1 + self.page_size]
        meta = {"resultsAvailable": len(self.rows), "morePagesAvailable": first_result - 1 + len(served) < len(self.rows)}
        return served, meta


def read_all(search, key_is_identity=True, trust_more_pages=True):
    paging = StablePaging(search.page_size, key_is_identity=key_is_identity, trust_more_pages=trust_more_pages)
    seen = set()
    while not paging.done:
        first = paging.next_first_result
        rows, meta = search.page(first)
        paging.accept(first, [key for key, _ in rows], meta)
        seen.update(identity for _, identity in rows)
        assert search.requests < 10_000
    return seen, paging


def unique(keys):
    return [(k, k) for k in keys]


def test_a_still_result_set_costs_one_row_of_overlap_per_page():
    for n in (0, 1, 499, 500, 501, 998, 999, 1000, 3000, 10_000):
        search = MovingSearch(unique(range(1, n + 1)))
        seen, paging = read_all(search)
        assert seen == set(range(1, n + 1))
        assert search.requests == max(1, math.ceil((n - 1) / 499)), n
        assert paging.step_backs == 0


def test_rows_leaving_before_the_position_are_not_a_gap():
    # One row leaves the window before the current position between every two pages: paging from lastResult + 1
    # would skip a row each time.
    rng = random.Random(1)

    def leave(search):
        search.rows.pop(rng.randrange(0, min(len(search.rows), 400)))

    rows = unique(range(1, 3001))
    search = MovingSearch(rows, between=leave)
    seen, _ = read_all(search)
    survivors = {identity for _, identity in search.rows}
    assert survivors <= seen


def _churning_search(seed, page_size, most_changes):
    rng = random.Random(seed)
    rows = unique(rng.sample(range(1, 50_000), 2_500))
    present_throughout = {identity for _, identity in rows}
    next_id = [50_000]

    def churn(search):
        for _ in range(rng.randrange(0, most_changes + 1)):
            if rng.random() < 0.7 and search.rows:  # updated out of the window, or deleted: leaves from anywhere
                _, identity = search.rows.pop(rng.randrange(len(search.rows)))
                present_throughout.discard(identity)
            else:  # created: joins at the end (ids grow)
                next_id[0] += rng.randrange(1, 5)
                search.rows.append((next_id[0], next_id[0]))

    return MovingSearch(rows, page_size=page_size, between=churn), present_throughout


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("page_size", [50, 500])
def test_random_changes_never_lose_a_row_present_throughout(seed, page_size):
    search, present_throughout = _churning_search(seed, page_size, most_changes=page_size // 10)
    seen, _ = read_all(search)
    assert present_throughout <= seen


@pytest.mark.parametrize("seed", range(20))
def test_changes_faster_than_paging_either_complete_or_fail_loudly(seed):
    # 2- and 3-row pages with up to 40 changes between requests: progress may be impossible, loss never.
    search, present_throughout = _churning_search(seed, page_size=2 + seed % 2, most_changes=40)
    try:
        seen, _ = read_all(search)
    except PagingError as error:
        assert "kept moving" in str(error)
    else:
        assert present_throughout <= seen


def test_step_back_is_bounded_and_uses_the_drop_in_results():
    def drop_many(search):
        if search.requests == 1:
            del search.rows[:300]  # 300 rows before the position leave at once

    search = MovingSearch(unique(range(1, 2001)), between=drop_many)
    seen, paging = read_all(search)
    assert set(range(301, 2001)) <= seen
    assert paging.step_backs == 1  # the drop in resultsAvailable says how far back to go


def test_everything_after_the_position_vanishing_ends_cleanly():
    def vanish(search):
        if search.requests == 1:
            del search.rows[200:]

    search = MovingSearch(unique(range(1, 1001)), between=vanish)
    seen, _ = read_all(search)
    assert set(range(1, 201)) <= seen


def test_ties_on_a_sort_key_that_is_not_the_identity():
    # goods-in rows: sorted by purchase order, several notes per order; rows of the last order of a page may shift.
    rng = random.Random(7)
    rows = [(order, order * 100 + line) for order in range(1, 400) for line in range(rng.randrange(1, 6))]
    throughout = {identity for _, identity in rows}

    def leave(search):
        for _ in range(3):
            _, identity = search.rows.pop(rng.randrange(len(search.rows)))
            throughout.discard(identity)

    search = MovingSearch(rows, page_size=50, between=leave)
    seen, _ = read_all(search, key_is_identity=False)
    assert throughout <= seen


def test_a_shift_inside_a_run_of_ties_is_caught():
    # Sorted by purchase order: the first page ends inside order 2's run; three rows before it leave, so note "c"
    # (not read yet) moves before the next page's start. That page begins with order 2 again: not a proof of
    # continuity when the key is not the identity, so paging steps back and finds "c".
    rows = [(1, "a"), (1, "x"), (1, "y"), (2, "b"), (2, "c"), (2, "d"), (3, "e")]

    def leave(search):
        if search.requests == 1:
            del search.rows[:3]

    seen, paging = read_all(MovingSearch(rows, page_size=4, between=leave), key_is_identity=False)
    assert {"b", "c", "d", "e"} <= seen and paging.step_backs == 1


def test_ties_with_the_identity_as_the_key_need_one_row_of_overlap():
    # journal-search: one row per line, sorted by journal id, the id read.
    rows = [(journal, journal) for journal in range(1, 300) for _ in range(3)]
    search = MovingSearch(rows, page_size=100)
    seen, _ = read_all(search)
    assert seen == set(range(1, 300))


def test_more_rows_sharing_a_key_than_a_page_cannot_be_verified():
    rows = [(1, i) for i in range(30)] + [(2, 100)]
    with pytest.raises(PagingError, match="share one"):
        read_all(MovingSearch(rows, page_size=10), key_is_identity=False)


def test_a_search_that_ignores_first_result_stops_with_a_clear_error():
    class Stuck(MovingSearch):
        def page(self, first_result):
            rows, meta = super().page(1)
            return rows, {**meta, "morePagesAvailable": True}

    with pytest.raises(PagingError, match="ignore firstResult"):
        read_all(Stuck(unique(range(1, 2001))))


def test_pages_running_past_the_announced_total_stop():
    class Liar(MovingSearch):
        def page(self, first_result):
            self.requests += 1
            keys = range(first_result, first_result + self.page_size)
            return unique(keys), {"resultsAvailable": 1200, "morePagesAvailable": True}

    search = Liar([])
    with pytest.raises(PagingError, match="run past the 1200 results"):
        read_all(search)
    assert search.requests <= 4


def test_unsorted_rows_are_refused():
    class Unsorted(MovingSearch):
        def page(self, first_result):
            rows, meta = super().page(first_result)
            return list(reversed(rows)), meta

    with pytest.raises(PagingError, match="not sorted"):
        read_all(Unsorted(unique(range(1, 10))))


def test_untrusted_counts_page_until_a_short_page():
    class Misreported(MovingSearch):
        def page(self, first_result):
            rows, meta = super().page(first_result)
            return rows, {"resultsAvailable": 500, "morePagesAvailable": False}

    search = Misreported(unique(range(1, 1201)))
    seen, _ = read_all(search, trust_more_pages=False)
    assert seen == set(range(1, 1201))
