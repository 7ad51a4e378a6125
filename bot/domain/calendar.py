"""RFC 5545 calendar files for /meeting calendar, built with the icalendar library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import icalendar

__all__ = ["PRODID", "CalendarEvent", "build_ics", "event_uid"]

PRODID = "-//Informational Interview Bot//EN"
UID_DOMAIN = "interview-bot"
ALARM_BEFORE = timedelta(hours=1)
# RFC 5545 §3.8.7.4: a revision the calendar app must prefer carries a higher SEQUENCE.
# An entry is only ever live (0) or cancelled (1), so these two values are enough.
SEQUENCE_LIVE = 0
SEQUENCE_CANCELLED = 1


@dataclass(slots=True)
class CalendarEvent:
    """One meeting as a calendar entry; `uid_seed` identifies it across exports.

    A `cancelled` entry keeps its UID and is written with STATUS:CANCELLED and a higher
    SEQUENCE, so re-importing an export removes it from the member's calendar.
    """

    uid_seed: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str | None = None
    cancelled: bool = False


def event_uid(uid_seed: str) -> str:
    """The stable UID for a seed, so re-importing an export updates rather than duplicates."""
    return f"{uid_seed}@{UID_DOMAIN}"


def _utc(dt: datetime, what: str) -> datetime:
    if dt.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")
    # UTC values serialise in the "Z" form, which needs no VTIMEZONE block.
    return dt.astimezone(UTC)


def build_ics(events: list[CalendarEvent], *, now: datetime) -> bytes:
    """A VCALENDAR (CRLF line endings) with one VEVENT per event.

    A live event is STATUS:CONFIRMED, SEQUENCE 0, with a 1-hour VALARM; a cancelled one
    is STATUS:CANCELLED, SEQUENCE 1, without an alarm. Times are written in UTC;
    DTSTAMP is `now`. Raises ValueError for naive datetimes or an event that ends
    before it starts.
    """
    stamp = _utc(now, "now")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for ev in events:
        start, end = _utc(ev.starts_at, "starts_at"), _utc(ev.ends_at, "ends_at")
        if end < start:
            raise ValueError(f"event {ev.uid_seed!r} ends before it starts")
        vevent = icalendar.Event()
        vevent.add("uid", event_uid(ev.uid_seed))
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("summary", ev.summary)
        vevent.add("description", ev.description)
        if ev.location:
            vevent.add("location", ev.location)
        vevent.add("status", "CANCELLED" if ev.cancelled else "CONFIRMED")
        vevent.add("sequence", SEQUENCE_CANCELLED if ev.cancelled else SEQUENCE_LIVE)
        if not ev.cancelled:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -ALARM_BEFORE)
            # DISPLAY alarms require a DESCRIPTION (RFC 5545 §3.6.6).
            alarm.add("description", f"In 1 hour: {ev.summary}")
            vevent.add_component(alarm)
        cal.add_component(vevent)
    return cal.to_ical()
