"""Paging a search whose result set moves while it is paged, without skipping a row.

Brightpearl pages searches by position (`firstResult`, 1-based). While a search is paged, rows leave it (a record
updated out of the time window, a deletion) and rows join it (creations, at the end of an id-sorted full read). A
row leaving before the current position shifts every later row up by one: paging on from `lastResult + 1` would
skip one row per change. Id-range filters (`orderId=5001-`) would avoid positions, but Brightpearl is reported not
to accept open id ranges in search filters, so the connector relies only on what is documented: searches are
sorted by their id column, ascending.

The rule: each page after the first starts on a row already read — the last one (one row of overlap) — and must
begin with a sort key no greater than the largest key read so far. Rows are sorted, so every current row with a
greater key then lies after that first row: the page continues the rows read without a gap, however many rows
moved before it. If the page begins with a greater key, rows before it moved and some may have been skipped: the
next request steps back (by twice the drop in `resultsAvailable`, doubling on each miss, at worst to row 1, which
always continues) and pages on from there; later pages then overlap by about the rows that moved (at most a tenth
of a page), so that moves of that size cost nothing more. Nothing is trusted that was not verified; what cannot be
verified is an error.

When the sort column is not the identity of what is read (goods-in rows sorted by purchase order, option values by
option), rows sharing the last key may be other records, so the overlap is every row with that key plus the row
before them, which must carry a smaller key. More rows sharing one key than fit in a page cannot be verified.

Cost: one row of overlap per page while nothing moves, so N rows take ceil((N - 1) / 499) pages instead of
ceil(N / 500); each page before which more rows moved than the overlap absorbs costs one more page.
"""

from __future__ import annotations

import math
from typing import Any, List, Mapping, Optional, Sequence

# Consecutive pages that add no new key while more pages are announced: a search that ignores `firstResult`.
MAX_PAGES_WITHOUT_PROGRESS = 2
# Pages one search may take, as a multiple of what its largest announced total needs (plus MAX_STEP_BACKS).
MAX_REQUESTS_FACTOR = 3
# The overlap grows after rows moved, to at most this share of a page (1/10: at most 10 % more pages).
MAX_OVERLAP_SHARE = 10
# Step-backs in a row. Each doubles the step, so about log2(rows) of them reach row 1, where paging always resumes.
MAX_STEP_BACKS = 40


class PagingError(Exception):
    """The search cannot be paged with the guarantee that no row was skipped."""


def _key(value: Any) -> tuple:
    # Nulls sort first ascending (as Brightpearl's do); ids are integers.
    return (value is not None, value)


class StablePaging:
    """Decides where each page of one search starts, and when the search is complete.

    Loop: ask for `next_first_result`, hand the answer to `accept(first_result, keys, meta)` (the page's sort-column
    values in row order and its `metaData`), until `done`. Every page's rows are genuine matches and may be used;
    rows read twice (the overlap, a step back) must be de-duplicated by the caller.
    """

    def __init__(
        self, page_size: int, key_is_identity: bool = True, trust_more_pages: bool = True, column: str = "the sort column"
    ) -> None:
        if page_size < 2:
            raise ValueError("paging with overlap needs pages of at least 2 rows")
        self.page_size = page_size
        self.key_is_identity = key_is_identity
        self.trust_more_pages = trust_more_pages
        self.column = column
        self.next_first_result = 1
        self.done = False
        self.step_backs = 0  # in this search, for the log
        self._position = 0  # the last row position read without a gap
        self._top: Optional[tuple] = None  # the largest sort key read without a gap
        self._top_start = 0  # where the rows sharing `_top` begin, as last seen
        self._total: Optional[int] = None  # resultsAvailable when the rows so far were verified
        self._step = 0
        self._step_backs_in_a_row = 0
        self._overlap = 1  # rows each page re-reads; grows after rows moved, so the next move needs no step back
        self._missed_at = 0  # the position of the last page that did not continue
        self._without_progress = 0
        self._frontier = 0  # the furthest position a page was asked from; pages before it are catching up
        self._requests = 0
        self._largest_total = 0

    def accept(self, first_result: int, keys: Sequence[Any], meta: Mapping[str, Any]) -> None:
        if self.done:
            raise RuntimeError("the search is already complete")
        ordered = self._ordered_keys(first_result, keys)
        total = meta.get("resultsAvailable") if self.trust_more_pages else None
        total = total if isinstance(total, int) and not isinstance(total, bool) else None
        self._count_request(total)
        if not self._continues(first_result, ordered):
            self._step_back(first_result, total)
            return
        if self._step:
            # Rows moved by about (missed_at - first_result); overlap that much from now on (bounded), so a move of
            # the same size before the next page is absorbed instead of costing a step back.
            moved = self._missed_at - first_result
            self._overlap = min(max(self._overlap * 2, 2 * moved), max(1, self.page_size // MAX_OVERLAP_SHARE))
        self._step = self._step_backs_in_a_row = 0
        last_position = first_result + len(ordered) - 1
        progressed = bool(ordered) and (self._top is None or ordered[-1] > self._top)
        if ordered and (self._top is None or ordered[-1] >= self._top):
            self._top = ordered[-1]
            self._top_start = first_result + next(i for i, key in enumerate(ordered) if key == self._top)
        if ordered:
            self._position = last_position
        self._total = total
        more = self._more(ordered, meta)
        if not more:
            self.done = True
            return
        if total is not None and last_position >= total:
            raise PagingError(
                f"the pages run past the {total} results metaData announces (row {last_position} read, more pages "
                "still announced)"
            )
        # After a step back, pages catch up on rows already read: only pages asked from the frontier must bring new ones.
        if first_result >= self._frontier:
            self._frontier = first_result
            self._without_progress = 0 if progressed else self._without_progress + 1
            if self._without_progress >= MAX_PAGES_WITHOUT_PROGRESS:
                raise PagingError(self._stalled_message())
        following = max(1, last_position - self._overlap + 1)
        if self.key_is_identity or ordered[-1] < self._top:  # type: ignore[operator]  # _top is set once a page had rows
            self.next_first_result = following
        else:
            self.next_first_result = max(1, min(following, self._top_start - 1))

    def _count_request(self, total: Optional[int]) -> None:
        """Rows that never stop moving would keep paging going for ever: allow a generous multiple of the pages the
        largest announced total needs."""
        self._requests += 1
        self._largest_total = max(self._largest_total, total or 0, self._position)
        allowed = MAX_REQUESTS_FACTOR * math.ceil(self._largest_total / (self.page_size - 1)) + MAX_STEP_BACKS
        if self._requests > allowed:
            raise PagingError(f"rows kept moving: {self._requests} pages asked for without reaching the end")

    def _ordered_keys(self, first_result: int, keys: Sequence[Any]) -> List[tuple]:
        try:
            ordered = [_key(value) for value in keys]
            for before, after in zip(ordered, ordered[1:]):
                if after < before:
                    raise PagingError(
                        f"the rows from {first_result} are not sorted by {self.column} ascending "
                        f"({before[1]!r} before {after[1]!r})"
                    )
        except TypeError:
            raise PagingError(f"{self.column} holds values that cannot be ordered") from None
        return ordered

    def _continues(self, first_result: int, ordered: List[tuple]) -> bool:
        """Whether this page continues the rows read without a gap (see the module docstring)."""
        if first_result == 1 or self._top is None:
            return True
        if not ordered:
            return False  # rows moved up past this position: nothing to anchor on
        if self.key_is_identity:
            return ordered[0] <= self._top
        return ordered[0] < self._top

    def _step_back(self, first_result: int, total: Optional[int]) -> None:
        self._step_backs_in_a_row += 1
        self.step_backs += 1
        if self._step_backs_in_a_row > MAX_STEP_BACKS:
            raise PagingError(f"rows kept moving: {MAX_STEP_BACKS} pages in a row did not continue the rows read")
        shrink = self._total - total if self._total is not None and total is not None else 0
        self._missed_at = first_result
        self._step = max(self._step * 2, 2 * shrink, 1)
        start = max(1, first_result - self._step)
        if total is not None:
            start = min(start, max(total, 1))  # land on a row that exists, so the page has one to anchor on
        self.next_first_result = start

    def _more(self, ordered: List[tuple], meta: Mapping[str, Any]) -> bool:
        if not ordered:
            return False
        if not self.trust_more_pages:
            return len(ordered) >= self.page_size
        more = meta.get("morePagesAvailable")
        if more is None:
            total = meta.get("resultsAvailable")
            return isinstance(total, int) and self._position < total
        return bool(more)

    def _stalled_message(self) -> str:
        reason = "the search seems to ignore firstResult"
        if not self.key_is_identity:
            reason += f", or more than {self.page_size - 1} rows share one {self.column} value"
        return f"{MAX_PAGES_WITHOUT_PROGRESS} pages in a row brought no new rows while more pages are announced ({reason})"
