"""Instants and how the API prints them (docs/brightpearl-api.md §P9, §R4 item 5).

The world keeps every instant as integer epoch milliseconds (UTC) and prints it in the account's display offset
with milliseconds: `2022-01-26T10:39:46.000-06:00`. Date-only values are midnight in the account zone. Two
non-ISO formats exist: DATE custom fields (`2023-03-06 17:22:26 -0600`) and accounting-period ends
(`2015-01-31T23:59:59:999Z`, colon before the millis).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

SECOND_MS = 1_000
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000

_EPOCH = date(1970, 1, 1)
_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_TIME_OF_DAY: list[str] = []


def _time_of_day() -> list[str]:
    # 86,400 "HH:MM:SS" strings: formatting 10^6 instants becomes a few lookups each.
    if not _TIME_OF_DAY:
        _TIME_OF_DAY.extend(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))
    return _TIME_OF_DAY


def parse_offset(tz_offset: str) -> int:
    """ "-06:00" / "+0530" / "Z" → offset in milliseconds."""
    if tz_offset in ("Z", "z"):
        return 0
    match = _OFFSET_RE.match(tz_offset)
    if not match:
        raise ValueError(f"bad tz_offset {tz_offset!r}; expected like -06:00")
    sign, hours, minutes = match.groups()
    value = (int(hours) * 60 + int(minutes)) * MINUTE_MS
    return -value if sign == "-" else value


def to_ms(moment: datetime) -> int:
    """A timezone-aware datetime → epoch milliseconds."""
    if moment.tzinfo is None:
        raise ValueError("the world's clock must return timezone-aware datetimes")
    return int(moment.timestamp() * 1000)


class TimeFormat:
    """Prints instants in one account's offset. Caches day strings, so it is cheap in bulk."""

    def __init__(self, tz_offset: str):
        self.offset_ms = parse_offset(tz_offset)
        self.suffix = "Z" if self.offset_ms == 0 and tz_offset in ("Z", "z") else self._suffix(self.offset_ms, ":")
        self.compact_suffix = self._suffix(self.offset_ms, "")
        self._days: dict[int, str] = {}
        self._tod = _time_of_day()

    @staticmethod
    def _suffix(offset_ms: int, sep: str) -> str:
        sign = "-" if offset_ms < 0 else "+"
        minutes = abs(offset_ms) // MINUTE_MS
        return f"{sign}{minutes // 60:02d}{sep}{minutes % 60:02d}"

    def _day(self, day: int) -> str:
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (_EPOCH + timedelta(days=day)).isoformat()
        return text

    def dt(self, ms: int) -> str:
        """`2022-01-26T10:39:46.000-06:00`."""
        day, rest = divmod(ms + self.offset_ms, DAY_MS)
        second, milli = divmod(rest, 1000)
        return f"{self._day(day)}T{self._tod[second]}.{milli:03d}{self.suffix}"

    def opt_dt(self, ms: int) -> str | None:
        """`dt`, or None for 0 (the world's "unset")."""
        return self.dt(ms) if ms else None

    def local_day(self, ms: int) -> int:
        """The account-zone calendar day (days since 1970-01-01) that contains the instant."""
        return (ms + self.offset_ms) // DAY_MS

    def midnight_ms(self, day: int) -> int:
        """The instant of midnight, account zone, starting the given local day."""
        return day * DAY_MS - self.offset_ms

    def date(self, day: int) -> str:
        """`2024-03-05` for a local day number."""
        return self._day(day)

    def utc_midnight_dt(self, day: int) -> str:
        """UTC midnight of a calendar day printed in the account offset (`2020-04-29T18:00:00.000-06:00`): the form
        the recorded `dueDate` values take."""
        return self.dt(day * DAY_MS)

    def custom_field_date(self, ms: int) -> str:
        """DATE custom-field value, `2023-03-06 17:22:26 -0600` (docs/brightpearl-api.md §R3.1)."""
        day, rest = divmod(ms + self.offset_ms, DAY_MS)
        return f"{self._day(day)} {self._tod[rest // 1000]} {self.compact_suffix}"

    @staticmethod
    def utc_day_dt(day: int) -> str:
        """`2015-01-02T00:00:00.000Z` (accounting-period start and close dates, as in the docs example)."""
        return f"{(_EPOCH + timedelta(days=day)).isoformat()}T00:00:00.000Z"

    @staticmethod
    def period_end(day: int) -> str:
        """`2015-01-31T23:59:59:999Z` — the literal, non-ISO accounting-period end (docs/brightpearl-api.md §R3.15)."""
        return f"{(_EPOCH + timedelta(days=day)).isoformat()}T23:59:59:999Z"

    def parse(self, value: str | datetime | int) -> int:
        """A mutation argument (ISO string, aware datetime or epoch ms) → epoch ms."""
        if isinstance(value, int):
            return value
        if isinstance(value, datetime):
            return to_ms(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone(timedelta(milliseconds=self.offset_ms)))
        return to_ms(moment)


def days_to_date(day: int) -> date:
    return _EPOCH + timedelta(days=day)


def date_to_days(value: date) -> int:
    return (value - _EPOCH).days
