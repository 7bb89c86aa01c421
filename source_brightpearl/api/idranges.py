"""Sets of record ids as sorted ranges: the arithmetic behind deletion reports, and their compact form in state.

Brightpearl ids are positive integers handed out in ascending order, so the ids that exist in an account form long
runs broken by the ids of deleted records. A `RangeSet` keeps those runs as inclusive `(low, high)` pairs: a million
ids with 1 % of them deleted are about ten thousand pairs, whatever the ids' size.

Text forms:
- `RangeSet.parse` reads Brightpearl's ID-set syntax (help article "IDs & ID sets"): `8`, `1-100`, `1,5,9`, `1.5.9`
  and mixtures (`1-14,18-203`), as found in the URIs an `OPTIONS` request answers;
- `encode` / `decode` are the form kept in a stream's state: the ID-set text itself while it is short (readable),
  else `z1:` + base64 of the zlib-compressed gaps and run lengths (see `encode`).
"""

from __future__ import annotations

import base64
import bisect
import re
import zlib
from typing import Iterable, Iterator, List, Sequence, Tuple

Range = Tuple[int, int]

_ELEMENT = re.compile(r"^(\d+)(?:-(\d+))?$")
_SEPARATORS = re.compile(r"[,.]")
COMPRESSED_PREFIX = "z1:"
# Up to this many characters the state keeps the plain ID-set text; longer sets are compressed.
PLAIN_TEXT_LIMIT = 1024


class MalformedIdSet(ValueError):
    """The text is not an ID set (or not an encoded one)."""


class RangeSet:
    """An immutable set of non-negative integers kept as sorted, disjoint, non-adjacent inclusive ranges."""

    __slots__ = ("_ranges", "_lows")

    def __init__(self, ranges: Iterable[Range] = ()) -> None:
        self._ranges: Tuple[Range, ...] = _normalised(ranges)
        self._lows: List[int] = [low for low, _ in self._ranges]

    # -- construction ------------------------------------------------------------------------------------------
    @classmethod
    def from_ids(cls, ids: Iterable[int]) -> RangeSet:
        ordered = sorted(set(ids))
        ranges: List[Range] = []
        for value in ordered:
            if ranges and value == ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], value)
            else:
                ranges.append((value, value))
        return cls._trusted(ranges)

    @classmethod
    def parse(cls, text: str) -> RangeSet:
        """Brightpearl ID-set text: elements `n` or `a-b` (ascending), separated by `,` or `.`; empty text is empty."""
        text = text.strip()
        if not text:
            return cls()
        ranges: List[Range] = []
        for element in _SEPARATORS.split(text):
            match = _ELEMENT.match(element.strip())
            if not match:
                raise MalformedIdSet(f"{element!r} is not an id or an ascending id range")
            low = int(match.group(1))
            high = int(match.group(2)) if match.group(2) is not None else low
            if high < low:
                raise MalformedIdSet(f"{element!r} is a descending range")
            ranges.append((low, high))
        return cls(ranges)

    @classmethod
    def _trusted(cls, ranges: List[Range]) -> RangeSet:
        """Ranges already sorted, disjoint and merged (the constructor's work is skipped)."""
        instance = cls.__new__(cls)
        instance._ranges = tuple(ranges)
        instance._lows = [low for low, _ in ranges]
        return instance

    # -- reading -----------------------------------------------------------------------------------------------
    @property
    def ranges(self) -> Tuple[Range, ...]:
        return self._ranges

    def __len__(self) -> int:
        return sum(high - low + 1 for low, high in self._ranges)

    def __bool__(self) -> bool:
        return bool(self._ranges)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        position = bisect.bisect_right(self._lows, value) - 1
        return position >= 0 and value <= self._ranges[position][1]

    def __iter__(self) -> Iterator[int]:
        for low, high in self._ranges:
            yield from range(low, high + 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RangeSet) and self._ranges == other._ranges

    def __hash__(self) -> int:
        return hash(self._ranges)

    def __repr__(self) -> str:
        text = self.to_id_set()
        return f"RangeSet({text[:60]!r}{'…' if len(text) > 60 else ''})"

    # -- arithmetic --------------------------------------------------------------------------------------------
    def union(self, other: RangeSet) -> RangeSet:
        if not other._ranges:
            return self
        if not self._ranges:
            return other
        return RangeSet(self._ranges + other._ranges)

    def difference(self, other: RangeSet) -> RangeSet:
        """The ids of this set that are not in `other` (one merge pass over both range lists)."""
        result: List[Range] = []
        theirs = other._ranges
        j = 0
        for low, high in self._ranges:
            while j < len(theirs) and theirs[j][1] < low:
                j += 1
            k = j
            start = low
            while k < len(theirs) and theirs[k][0] <= high:
                cut_low, cut_high = theirs[k]
                if cut_low > start:
                    result.append((start, cut_low - 1))
                start = max(start, cut_high + 1)
                if start > high:
                    break
                k += 1
            if start <= high:
                result.append((start, high))
        return RangeSet._trusted(result)

    # -- text forms --------------------------------------------------------------------------------------------
    def to_id_set(self) -> str:
        """Brightpearl ID-set text: `1-3,5,7-8`."""
        return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in self._ranges)

    def encode(self) -> str:
        """The compact text kept in state. Short sets stay readable ID-set text. Longer ones become `z1:` + base64 of
        zlib(`gap.length` pairs): each range as its distance from the previous range's end and its length minus one,
        in base 36. Ids are dense, so gaps and lengths are small numbers that repeat, and compress well."""
        plain = self.to_id_set()
        if len(plain) <= PLAIN_TEXT_LIMIT:
            return plain
        previous_end = 0
        pairs = []
        for low, high in self._ranges:
            pairs.append(f"{_base36(low - previous_end)}.{_base36(high - low)}")
            previous_end = high
        packed = zlib.compress(",".join(pairs).encode("ascii"), 9)
        return COMPRESSED_PREFIX + base64.b64encode(packed).decode("ascii")

    @classmethod
    def decode(cls, text: str) -> RangeSet:
        """The inverse of `encode`; raises MalformedIdSet for anything else."""
        if not isinstance(text, str):
            raise MalformedIdSet(f"expected text, got {type(text).__name__}")
        if not text.startswith(COMPRESSED_PREFIX):
            return cls.parse(text)
        try:
            pairs = zlib.decompress(base64.b64decode(text[len(COMPRESSED_PREFIX) :], validate=True)).decode("ascii")
        except (ValueError, zlib.error, UnicodeDecodeError) as error:
            raise MalformedIdSet(f"not an encoded id set ({type(error).__name__})") from None
        ranges: List[Range] = []
        previous_end = 0
        for pair in pairs.split(",") if pairs else []:
            gap, _, length = pair.partition(".")
            try:
                low = previous_end + int(gap, 36)
                high = low + int(length, 36)
            except ValueError:
                raise MalformedIdSet(f"{pair!r} is not a gap.length pair") from None
            ranges.append((low, high))
            previous_end = high
        return cls(ranges)


def _normalised(ranges: Iterable[Range]) -> Tuple[Range, ...]:
    ordered: Sequence[Range] = sorted((int(low), int(high)) for low, high in ranges)
    merged: List[Range] = []
    for low, high in ordered:
        if low < 0 or high < low:
            raise MalformedIdSet(f"({low}, {high}) is not an ascending range of non-negative ids")
        if merged and low <= merged[-1][1] + 1:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return tuple(merged)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(value: int) -> str:
    if value == 0:
        return "0"
    out = []
    while value:
        value, digit = divmod(value, 36)
        out.append(_DIGITS[digit])
    return "".join(reversed(out))
