"""Digest schedules: what `/subscribe` accepts, and when the next digest is due. Pure: no I/O, no Telegram.

They live in the application layer rather than in analysis/ because they read what users type into
`/subscribe` and answer with the catalogue keys of the mistakes (`ScheduleError`); analysis/ reads articles.

Times are wall-clock times in the chat's time zone, so a daily 08:00 digest in Europe/Riga comes at 08:00 local
time in winter (06:00 UTC) and in summer (05:00 UTC). Around a daylight-saving change:

- a time that does not exist that day (the clocks jump from 03:00 to 04:00, and the digest is at 03:30) is
  moved forward by the length of the gap (04:30), as calendars do;
- a time that happens twice (the clocks go back from 04:00 to 03:00, and the digest is at 03:30) means its
  first occurrence, and the digest comes once.

Interval schedules (`every 6h`) are slots counted from local midnight each day, as cron's ``0 */6 * * *``:
00:00, 06:00, 12:00 and 18:00 local time; an interval that does not divide 24 starts again at midnight.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from usecases.errors import ScheduleError, UserError

Kind = Literal["daily", "weekly", "every"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{
        name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    "tues": 1,
    "wednes": 2,
    "thur": 3,
    "thurs": 3,
}
DEFAULT_ZONE = "UTC"
MAX_EVERY_HOURS = 24


@dataclass(frozen=True, slots=True)
class Schedule:
    kind: Kind
    minute: int | None = None  # minute of the local day (daily, weekly)
    weekday: int | None = None  # Monday = 0 (weekly)
    hours: int | None = None  # interval (every)

    def __post_init__(self) -> None:
        valid = (
            (self.kind == "daily" and self.minute is not None and self.weekday is None and self.hours is None)
            or (self.kind == "weekly" and self.minute is not None and self.weekday is not None and self.hours is None)
            or (self.kind == "every" and self.hours is not None and self.minute is None and self.weekday is None)
        )
        if not valid or (self.minute is not None and not 0 <= self.minute < 1440):
            raise ValueError(f"not a schedule: {self!r}")
        if self.weekday is not None and not 0 <= self.weekday < 7:
            raise ValueError(f"not a weekday: {self.weekday}")
        if self.hours is not None and not 1 <= self.hours <= MAX_EVERY_HOURS:
            raise ValueError(f"not an interval: {self.hours}")

    @property
    def spec(self) -> str:
        """The canonical form, also what the inline buttons carry: 'daily 08:00', 'weekly mon 09:00', 'every 6h'."""
        if self.kind == "every":
            return f"every {self.hours}h"
        clock = f"{self.minute // 60:02d}:{self.minute % 60:02d}"  # type: ignore[operator]
        if self.kind == "weekly":
            return f"weekly {WEEKDAYS[self.weekday]} {clock}"  # type: ignore[index]
        return f"daily {clock}"

    @property
    def period(self) -> timedelta:
        """About how long one period is: what the first digest of a new subscription looks back over."""
        if self.kind == "every":
            return timedelta(hours=self.hours or 24)
        return timedelta(days=7 if self.kind == "weekly" else 1)

    def slots_on(self, day: date) -> list[time]:
        """The local wall-clock times of the slots on a day (maybe none, for a weekly schedule)."""
        if self.kind == "every":
            step = self.hours or 24
            return [time(h) for h in range(0, 24, step)]
        if self.kind == "weekly" and day.weekday() != self.weekday:
            return []
        assert self.minute is not None
        return [time(self.minute // 60, self.minute % 60)]


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    # fold=0: a repeated wall time means its first occurrence; a skipped one is read with the offset before the
    # gap, which lands it the gap's length later (03:30 in a 03:00→04:00 gap becomes 04:30).
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def _candidates(schedule: Schedule, zone: ZoneInfo, around: datetime, days: range) -> list[datetime]:
    local_day = around.astimezone(zone).date()
    found: list[datetime] = []
    for offset in days:
        day = local_day + timedelta(days=offset)
        found.extend(_instant(day, wall, zone) for wall in schedule.slots_on(day))
    return found


def next_due(schedule: Schedule, zone: ZoneInfo, after: datetime) -> datetime:
    """The first slot strictly after `after` (a UTC instant)."""
    later = [c for c in _candidates(schedule, zone, after, range(-1, 9)) if c > after]
    return min(later)


def last_due(schedule: Schedule, zone: ZoneInfo, at_or_before: datetime) -> datetime:
    """The latest slot at or before an instant."""
    earlier = [c for c in _candidates(schedule, zone, at_or_before, range(-8, 2)) if c <= at_or_before]
    return max(earlier)


# -- time zones -------------------------------------------------------------------------------------------


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?00)?$", re.IGNORECASE)


def zone(name: str) -> ZoneInfo:
    """A stored zone name as a ZoneInfo (stored names are always valid; UTC if one ever is not)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


_ETC_OFFSET = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


def zone_label(name: str) -> str:
    """How a zone is shown: its IANA name, except the inverted Etc/GMT±N ones, shown as UTC∓N."""
    match = _ETC_OFFSET.match(name)
    if match is None:
        return name
    return f"UTC{'+' if match.group(1) == '-' else '-'}{int(match.group(2))}"


def looks_like_zone(token: str) -> bool:
    return "/" in token or token.casefold() in _zones_by_folded_name() or bool(_OFFSET.match(token))


def parse_zone(text: str) -> str:
    """An IANA zone name from what the user typed ('europe/riga', 'UTC', 'UTC+3'); ScheduleError if unknown."""
    raw = text.strip()
    known = _zones_by_folded_name().get(raw.casefold())
    if known is not None:
        return known
    offset = _OFFSET.match(raw)
    if offset is not None:
        sign, hours = offset.group(1), int(offset.group(2))
        if hours == 0:
            return "UTC"
        if hours <= 14:
            # The Etc/GMT names have the sign inverted (POSIX): UTC+3 is Etc/GMT-3.
            name = f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
            if name.casefold() in _zones_by_folded_name():
                return name
    close = difflib.get_close_matches(raw, sorted(_zones_by_folded_name().values()), n=1, cutoff=0.75)
    if close:
        raise ScheduleError("bad_zone_suggest", zone=_shown(raw), suggestion=close[0])
    raise ScheduleError("bad_zone", zone=_shown(raw))


# -- what the user types -------------------------------------------------------------------------------------

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_EVERY = re.compile(r"^(\d{1,3})\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|d|day|days)?$", re.IGNORECASE)


def parse_time_of_day(text: str) -> int:
    """'08:00', '8:30', '8', '20.15', '8am', '7:30pm' → minute of the day; ScheduleError otherwise."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ScheduleError("bad_time", time=_shown(text))
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError("bad_time", time=_shown(text))
        hour = hour % 12 + (12 if half == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ScheduleError("bad_time", time=_shown(text))
    return hour * 60 + minute


def parse_weekday(text: str) -> int:
    day = _DAY_NAMES.get(text.strip().casefold().rstrip("."))
    if day is None:
        raise ScheduleError("bad_weekday", day=_shown(text))
    return day


def parse_every(words: Sequence[str]) -> int:
    """'6h', '6 hours', 'hour', '12' → hours; intervals under an hour or over a day are refused."""
    text = " ".join(words).strip()
    if text.casefold() in ("hour", "an hour", "1 hour"):
        return 1
    match = _EVERY.match(text)
    if match is None:
        raise ScheduleError("bad_every", every=_shown(text))
    amount, unit = int(match.group(1)), (match.group(2) or "h").casefold()
    if unit.startswith("m"):
        raise ScheduleError("every_too_often")
    if unit.startswith("d"):
        if amount == 1:
            return 24
        raise ScheduleError("every_days")
    if amount < 1:
        raise ScheduleError("every_too_often")
    if amount > MAX_EVERY_HOURS:
        raise ScheduleError("every_days")
    return amount


def parse_schedule(args: Sequence[str]) -> tuple[Schedule, str | None]:
    """`/subscribe` arguments → (schedule, the zone given or None)."""
    words = [w for w in args if w.strip()]
    zone_name: str | None = None
    if len(words) >= 2 and looks_like_zone(words[-1]) and not _TIME.match(words[-1]):
        zone_name = parse_zone(words[-1])
        words = words[:-1]
    if not words:
        raise ScheduleError("bad_schedule", what="")
    kind = words[0].casefold()
    rest = words[1:]
    if kind == "daily":
        if not rest:
            raise ScheduleError("daily_needs_time")
        if len(rest) > 1:
            raise ScheduleError("bad_schedule", what=_shown(" ".join(words)))
        return Schedule("daily", minute=parse_time_of_day(rest[0])), zone_name
    if kind == "weekly":
        if len(rest) < 2:
            raise ScheduleError("weekly_needs_day_time")
        if len(rest) > 2:
            raise ScheduleError("bad_schedule", what=_shown(" ".join(words)))
        return Schedule("weekly", minute=parse_time_of_day(rest[1]), weekday=parse_weekday(rest[0])), zone_name
    if kind == "every":
        if not rest:
            raise ScheduleError("bad_every", every="")
        return Schedule("every", hours=parse_every(rest)), zone_name
    if kind == "hourly" and not rest:
        return Schedule("every", hours=1), zone_name
    if len(words) == 1 and looks_like_zone(words[0]):
        raise ScheduleError("zone_without_schedule", zone=_shown(words[0]))
    raise ScheduleError("bad_schedule", what=_shown(" ".join(words)))


def schedule_from_spec(spec: str) -> Schedule:
    """The canonical form back into a schedule (raises ValueError: specs come from our own buttons and rows)."""
    try:
        schedule, zone_name = parse_schedule(spec.split())
    except UserError:
        raise ValueError(f"not a schedule spec: {spec!r}") from None
    if zone_name is not None:
        raise ValueError(f"a spec carries no zone: {spec!r}")
    return schedule


def _shown(text: str) -> str:
    return text[:64]  # what the user wrote, shown back: a line of it is enough
