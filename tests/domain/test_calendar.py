from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.domain.calendar import CalendarEvent, build_ics

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def event(seed="meeting-1-42", start=None, minutes=30, **kw):
    start = start or datetime(2026, 12, 3, 7, 30, tzinfo=NY)
    fields = {
        "summary": "Informational interview: Ada Lovelace",
        "description": "Ask about trends in computing.\nWho else should I talk to?",
        **kw,
    }
    return CalendarEvent(seed, start, start + timedelta(minutes=minutes), **fields)


def parse(data):
    return icalendar.Calendar.from_ical(data)


def test_calendar_header():
    cal = parse(build_ics([event()], now=NOW))
    assert cal["PRODID"] == "-//Informational Interview Bot//EN"
    assert cal["VERSION"] == "2.0"


def test_event_fields_round_trip():
    ev = event(location="Café Central, Vienna; 2nd floor")
    (vevent,) = parse(build_ics([ev], now=NOW)).walk("VEVENT")
    assert str(vevent["UID"]) == "meeting-1-42@interview-bot"
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 3, 12, 30, tzinfo=UTC)
    assert vevent.decoded("DTEND") == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    assert vevent.decoded("DTSTAMP") == NOW
    assert str(vevent["SUMMARY"]) == ev.summary
    assert str(vevent["DESCRIPTION"]) == ev.description
    assert str(vevent["LOCATION"]) == ev.location


def test_crlf_and_utc_z_form():
    data = build_ics([event()], now=NOW)
    assert isinstance(data, bytes)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"DTSTART:20261203T123000Z\r\n" in data
    assert b"DTEND:20261203T130000Z\r\n" in data
    assert b"DTSTAMP:20261127T150000Z\r\n" in data
    assert b"TZID" not in data


def test_uid_stable_across_exports():
    first = build_ics([event("m-7")], now=NOW)
    later = build_ics([event("m-7")], now=NOW + timedelta(days=3))
    uid = [str(e["UID"]) for e in parse(first).walk("VEVENT")]
    assert uid == [str(e["UID"]) for e in parse(later).walk("VEVENT")]


def test_one_alarm_per_event_and_no_location_when_absent():
    events = [event(f"m-{i}", start=datetime(2026, 12, 3 + i, 9, 0, tzinfo=NY)) for i in range(3)]
    cal = parse(build_ics(events, now=NOW))
    vevents = cal.walk("VEVENT")
    assert len(vevents) == 3
    assert len({str(v["UID"]) for v in vevents}) == 3
    for v in vevents:
        assert "LOCATION" not in v
        alarms = v.walk("VALARM")
        assert len(alarms) == 1
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(hours=-1)
        assert str(alarm["DESCRIPTION"])
    assert b"TRIGGER:-PT1H\r\n" in build_ics(events, now=NOW)


def test_dst_times_converted_correctly():
    summer = event(start=datetime(2027, 7, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    (vevent,) = parse(build_ics([summer], now=NOW)).walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)


def test_empty_calendar_is_valid():
    cal = parse(build_ics([], now=NOW))
    assert cal.walk("VEVENT") == []


def test_long_text_folded_and_unfolded():
    ev = event(description="x" * 500)
    data = build_ics([ev], now=NOW)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    (vevent,) = parse(data).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == "x" * 500


def test_naive_or_backwards_rejected():
    with pytest.raises(ValueError):
        build_ics([event()], now=datetime(2026, 11, 27, 15, 0))
    naive = datetime(2026, 12, 3, 9, 0)
    with pytest.raises(ValueError):
        build_ics([CalendarEvent("x", naive, naive, "s", "d")], now=NOW)
    with pytest.raises(ValueError):
        build_ics([event(minutes=-30)], now=NOW)


def test_live_events_are_confirmed_at_sequence_zero():
    data = build_ics([event()], now=NOW)
    (vevent,) = parse(data).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent.decoded("SEQUENCE") == 0
    assert b"STATUS:CONFIRMED\r\n" in data and b"SEQUENCE:0\r\n" in data


def test_a_cancelled_event_keeps_its_uid_with_a_higher_sequence_and_no_alarm():
    live = build_ics([event("m-7")], now=NOW)
    cancelled = build_ics([event("m-7", cancelled=True)], now=NOW + timedelta(days=1))
    (before,) = parse(live).walk("VEVENT")
    (after,) = parse(cancelled).walk("VEVENT")
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert after.walk("VALARM") == []
    assert cancelled.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in cancelled.replace(b"\r\n", b"")
    assert b"DTSTART:20261203T123000Z\r\n" in cancelled


def test_a_moved_event_keeps_its_uid_and_each_revision_has_a_higher_sequence():
    # RFC 5545 §3.8.7.4: the calendar app keeps the entry with the highest SEQUENCE.
    later = datetime(2026, 12, 4, 9, 0, tzinfo=NY)
    exports = [
        event("m-7"),
        event("m-7", start=later, revision=1),
        event("m-7", start=later + timedelta(days=1), revision=2),
        event("m-7", start=later + timedelta(days=1), revision=2, cancelled=True),
    ]
    found = [parse(build_ics([ev], now=NOW)).walk("VEVENT")[0] for ev in exports]
    assert {str(v["UID"]) for v in found} == {"m-7@interview-bot"}
    assert [v.decoded("SEQUENCE") for v in found] == [0, 1, 2, 3]
    assert found[1].decoded("DTSTART") == later.astimezone(UTC)
    assert [str(v["STATUS"]) for v in found] == ["CONFIRMED"] * 3 + ["CANCELLED"]


def test_live_and_cancelled_events_share_one_calendar():
    events = [event("m-1"), event("m-2", cancelled=True)]
    statuses = {
        str(v["UID"]): str(v["STATUS"]) for v in parse(build_ics(events, now=NOW)).walk("VEVENT")
    }
    assert statuses == {"m-1@interview-bot": "CONFIRMED", "m-2@interview-bot": "CANCELLED"}
