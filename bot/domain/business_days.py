"""Business-day arithmetic (the 3B7 checkpoints) and quiet hours, in the member's zone.

Weekends are Saturday and Sunday in the member's local calendar; public holidays are
not modelled (they differ by country and the 3B7 rule is a rule of thumb).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "add_business_days",
    "business_days_between",
    "delay_past_quiet_hours",
    "parse_clock",
]

_SATURDAY = 5


def _aware(dt: datetime, what: str) -> None:
    if dt.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")


def _is_business(d: date) -> bool:
    return d.weekday() < _SATURDAY


def add_business_days(start: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The moment `days` business days (Mon–Fri in `tz`) after `start`, as aware UTC.

    The result keeps `start`'s local wall-clock time, so "sent Monday 10:00, +3" is
    Thursday 10:00 even if DST changed in between. A start on a weekend first rolls
    forward to Monday (Saturday + 1 is Tuesday, Saturday + 0 is Monday). Negative
    `days` go backwards, rolling a weekend start back to Friday.
    """
    _aware(start, "start")
    local = start.astimezone(tz)
    d = local.date()
    step = 1 if days >= 0 else -1
    while not _is_business(d):
        d += timedelta(days=step)
    remaining = abs(days)
    while remaining:
        d += timedelta(days=step)
        if _is_business(d):
            remaining -= 1
    # Rebuild from the wall clock rather than adding timedeltas to an aware value:
    # aware + timedelta keeps the old UTC offset and would drift an hour across DST.
    target = datetime.combine(d, local.time(), tzinfo=tz)
    return target.astimezone(UTC)


def business_days_between(a: datetime, b: datetime, tz: ZoneInfo) -> int:
    """Business days (Mon–Fri in `tz`) in the local dates [a, b); negative if b is before a.

    Consistent with add_business_days: for days >= 0,
    business_days_between(a, add_business_days(a, days, tz), tz) == days.
    """
    _aware(a, "a")
    _aware(b, "b")
    da, db = a.astimezone(tz).date(), b.astimezone(tz).date()
    if db < da:
        return -business_days_between(b, a, tz)
    span = (db - da).days
    weeks, rest = divmod(span, 7)
    count = weeks * 5
    # The leftover days are a partial week starting on da's weekday.
    count += sum(1 for i in range(rest) if _is_business(da + timedelta(days=i)))
    return count


def delay_past_quiet_hours(
    due: datetime,
    tz: ZoneInfo,
    quiet_start: time,
    quiet_end: time,
) -> datetime:
    """Move a DM due inside the member's quiet hours to the moment they end.

    Quiet hours are local wall-clock times in `tz` and may wrap midnight (22:00–08:00).
    Start == end means no quiet hours. The start is inclusive, the end exclusive.
    Returns `due` unchanged when it isn't quiet time, otherwise the local quiet end
    as aware UTC.
    """
    _aware(due, "due")
    if quiet_start == quiet_end:
        return due
    local = due.astimezone(tz)
    now_t = local.time().replace(tzinfo=None)
    start, end = quiet_start.replace(tzinfo=None), quiet_end.replace(tzinfo=None)
    day = local.date()
    if start < end:
        if not start <= now_t < end:
            return due
        end_day = day
    else:
        if now_t >= start:
            end_day = day + timedelta(days=1)
        elif now_t < end:
            end_day = day
        else:
            return due
    return datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)


_CLOCK = re.compile(
    r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?$",
    re.IGNORECASE,
)


def parse_clock(text: str) -> time:
    """Read a time of day: "22:00", "7:30", "10pm", "7am", "7:30 pm", "noon", "midnight".

    Raises ValueError with an example for anything else (a bare "7" is refused: it
    could be 07:00 or 19:00).
    """
    cleaned = " ".join((text or "").split()).lower()
    special = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
    if cleaned in special:
        return special[cleaned]
    m = _CLOCK.match(cleaned)
    shown = " ".join((text or "").split())
    error = ValueError(f'Couldn\'t read "{shown}" as a time of day. Try "22:00" or "7am".')
    if not m or (m["m"] is None and m["ampm"] is None):
        raise error
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if minute > 59:
        raise error
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise error
        # 12am is midnight and 12pm is noon.
        hour = hour % 12 + (12 if m["ampm"].startswith("p") else 0)
    elif hour > 23:
        raise error
    return time(hour, minute)
