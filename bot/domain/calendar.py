"""RFC 5545 calendar files for /meeting calendar, built with the icalendar library."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import icalendar

__all__ = ["PRODID", "CalendarEvent", "build_ics", "event_uid", "meeting_uid_seed", "new_uid_key"]

PRODID = "-//Informational Interview Bot//EN"
UID_DOMAIN = "interview-bot"
ALARM_BEFORE = timedelta(hours=1)
# RFC 5545 §3.8.7.4: a revision the calendar app must prefer carries a higher SEQUENCE.
# A meeting's SEQUENCE is how many times it was moved, plus one once it is cancelled
# (a cancelled meeting is never moved again, so each export's number only grows).
SEQUENCE_LIVE = 0
SEQUENCE_CANCELLED = 1


@dataclass(slots=True)
class CalendarEvent:
    """One meeting as a calendar entry; `uid_seed` identifies it across exports.

    A moved entry (`revision`: how many times) keeps its UID with a higher SEQUENCE, so
    re-importing an export moves it in the member's calendar. A `cancelled` entry keeps
    its UID and is written with STATUS:CANCELLED and a SEQUENCE higher again, so
    re-importing removes it.
    """

    uid_seed: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str | None = None
    cancelled: bool = False
    revision: int = 0

    @property
    def sequence(self) -> int:
        """The entry's SEQUENCE: its revision, one more once cancelled."""
        return self.revision + (SEQUENCE_CANCELLED if self.cancelled else SEQUENCE_LIVE)


def new_uid_key() -> str:
    """A member's secret for their meetings' UIDs (kept in their store, gone with it)."""
    return secrets.token_hex(16)


def meeting_uid_seed(key: str, meeting_id: int) -> str:
    """A meeting's UID seed: the same in every export of that meeting (moved or
    cancelled too), different for every meeting, and telling nothing about whose it is.

    A keyed hash (HMAC-SHA256 with the member's own secret, `new_uid_key`) of the
    meeting's id: a calendar file shared or synced elsewhere carries no Discord id, and
    without the member's store no UID can be traced back to them.
    """
    digest = hmac.new(key.encode(), f"meeting-{meeting_id}".encode(), hashlib.sha256)
    return f"meeting-{digest.hexdigest()[:32]}"


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

    A live event is STATUS:CONFIRMED with a 1-hour VALARM; a cancelled one is
    STATUS:CANCELLED without an alarm; SEQUENCE is `CalendarEvent.sequence` (0 for a
    meeting never moved, 1 once it is cancelled). Times are written in UTC;
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
        vevent.add("sequence", ev.sequence)
        if not ev.cancelled:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -ALARM_BEFORE)
            # DISPLAY alarms require a DESCRIPTION (RFC 5545 §3.6.6).
            alarm.add("description", f"In 1 hour: {ev.summary}")
            vevent.add_component(alarm)
        cal.add_component(vevent)
    return cal.to_ical()
