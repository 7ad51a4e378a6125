"""Business-day arithmetic (the 3B7 checkpoints) and quiet hours, in the member's zone.

Weekends are Saturday and Sunday in the member's local calendar; public holidays are
not modelled (they differ by country and the 3B7 rule is a rule of thumb).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "BEFORE_QUIET",
    "add_business_days",
    "business_days_between",
    "delay_past_quiet_hours",
    "parse_clock",
    "when_dm_goes",
]

_SATURDAY = 5


def _aware(dt: datetime, what: str) -> None:
    if dt.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")


def _is_business(d: date) -> bool:
    return d.weekday() < _SATURDAY


# /progress checks every open request's 3B7 checkpoints: many share a day, and the walk
# over the calendar was most of the work.
@lru_cache(maxsize=4096)
def _business_date(d: date, days: int) -> date:
    """The date `days` business days after `d` (see add_business_days)."""
    step = 1 if days >= 0 else -1
    while not _is_business(d):
        d += timedelta(days=step)
    remaining = abs(days)
    while remaining:
        d += timedelta(days=step)
        if _is_business(d):
            remaining -= 1
    return d


def add_business_days(start: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The moment `days` business days (Mon–Fri in `tz`) after `start`, as aware UTC.

    The result keeps `start`'s local wall-clock time, so "sent Monday 10:00, +3" is
    Thursday 10:00 even if DST changed in between. A start on a weekend first rolls
    forward to Monday (Saturday + 1 is Tuesday, Saturday + 0 is Monday). Negative
    `days` go backwards, rolling a weekend start back to Friday.
    """
    _aware(start, "start")
    local = start.astimezone(tz)
    d = _business_date(local.date(), days)
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


def _wall(day: date, wall: time, tz: ZoneInfo, fold: int) -> datetime:
    return datetime.combine(day, wall, tzinfo=tz).replace(fold=fold).astimezone(UTC)


def _instants(day: date, wall: time, tz: ZoneInfo) -> list[datetime]:
    """The moments (aware UTC, earliest first) when the clock in `tz` reads `wall` on
    `day`: two on the night clocks fall back (01:30 EDT, then 01:30 EST), none for a
    time a spring change skips, one otherwise."""
    found = {_wall(day, wall, tz, fold) for fold in (0, 1)}
    # Real only if it reads back as that wall time (a skipped one reads back an hour off).
    return sorted(i for i in found if i.astimezone(tz).time() == wall)


def _quiet_period(
    moment: datetime, tz: ZoneInfo, quiet_start: time, quiet_end: time
) -> tuple[datetime, datetime] | None:
    """The quiet period `moment` falls in, as (its start, its end) in aware UTC, or None
    when `moment` isn't quiet. The start is inclusive, the end exclusive, both read on
    the member's wall clock. On the night clocks fall back the end is the first one
    after `moment` (the second 01:00 waits for the second 01:30). A start or end the
    spring change skips is read an hour before or after it, outside the gap (New York
    skips 02:00–03:00, so a quiet end of 02:30 that night is 03:30 EDT)."""
    if quiet_start == quiet_end:
        return None
    local = moment.astimezone(tz)
    now_t = local.time()
    start, end = quiet_start.replace(tzinfo=None), quiet_end.replace(tzinfo=None)
    day = local.date()
    if start < end:
        if not start <= now_t < end:
            return None
        start_day = end_day = day
    elif now_t >= start:
        start_day, end_day = day, day + timedelta(days=1)
    elif now_t < end:
        start_day, end_day = day - timedelta(days=1), day
    else:
        return None
    began = [i for i in _instants(start_day, start, tz) if i <= moment]
    ends = [i for i in _instants(end_day, end, tz) if i > moment]
    # A skipped wall time: fold 1 reads it with the offset from after the change (an
    # hour before, ahead of the gap) and fold 0 with the one from before (an hour after).
    return (
        began[-1] if began else _wall(start_day, start, tz, fold=1),
        ends[0] if ends else _wall(end_day, end, tz, fold=0),
    )


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
    as aware UTC, never earlier than `due` (on the night clocks fall back, a DM due at
    the second 01:00 waits for the second 01:30).
    """
    _aware(due, "due")
    period = _quiet_period(due, tz, quiet_start, quiet_end)
    return due if period is None else max(period[1], due)


# A prep DM that quiet hours would hold past its meeting goes this long before they
# begin: while the member is still about, not at the last minute before their quiet time.
BEFORE_QUIET = timedelta(minutes=15)


def when_dm_goes(
    due: datetime,
    now: datetime,
    tz: ZoneInfo,
    quiet_start: time,
    quiet_end: time,
    *,
    before: datetime | None = None,
) -> datetime:
    """The moment a DM due at `due` is sent, as aware UTC: one the reminder engine
    delivers and a reply promises, so both use this.

    A DM already due goes now. One that falls in the member's quiet hours waits until
    they end (`delay_past_quiet_hours`). A DM that must arrive `before` a moment (the
    prep DM, before its meeting starts) and that quiet hours would hold until then or
    later goes before they begin instead: `BEFORE_QUIET` ahead of their start, or now
    if that moment has passed (even inside quiet hours: a late prep beats none).
    """
    _aware(due, "due")
    _aware(now, "now")
    if before is not None:
        _aware(before, "before")
    wanted = max(due, now)
    period = _quiet_period(wanted, tz, quiet_start, quiet_end)
    if period is None:
        return wanted
    began, ends = period
    held = max(ends, wanted)
    if before is None or held < before:
        return held
    return max(began - BEFORE_QUIET, now)


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
