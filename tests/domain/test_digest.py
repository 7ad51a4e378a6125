"""The weekly digest's rules: the setting read strictly, the next one in the member's own
week (DST included), and a week with nothing due sending nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.digest import (
    DigestTimeError,
    Win,
    digest_suggestions,
    digest_text,
    next_digest,
    parse_digest,
    read_digest,
    weekly_digest,
)
from bot.domain.models import DigestTime
from bot.domain.progress import NextAction

NEW_YORK = ZoneInfo("America/New_York")
MONDAY_9 = DigestTime(0, time(9, 0))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("monday 9am", MONDAY_9),
        ("Monday 09:00", MONDAY_9),
        ("mon 9:00 am", MONDAY_9),
        ("  MON   9am ", MONDAY_9),
        ("mondays 9am", MONDAY_9),
        ("fri 17:30", DigestTime(4, time(17, 30))),
        ("sun at 6 pm", DigestTime(6, time(18, 0))),
        ("thurs noon", DigestTime(3, time(12, 0))),
        ("tue, 7am", DigestTime(1, time(7, 0))),
        ("off", None),
        ("OFF", None),
    ],
)
def test_the_digest_setting_reads_a_day_and_a_time(typed, expected):
    assert parse_digest(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "monday",  # no time
        "9am",  # no day
        "9am monday",  # the wrong way round
        "mon 9",  # a bare hour: 09:00 or 21:00?
        "someday 9am",
        "monday 25:00",
        "mo 9am",  # too short to be sure
        "weekly",
        "",
        "never",
    ],
)
def test_anything_else_is_refused_with_an_example(typed):
    with pytest.raises(DigestTimeError, match="monday 9am"):
        parse_digest(typed)


def test_the_setting_is_stored_as_plain_words_and_read_back():
    assert digest_text(DigestTime(4, time(17, 30))) == "friday 17:30"
    assert read_digest("friday 17:30") == DigestTime(4, time(17, 30))
    # A damaged value never sends a digest at a time the member didn't choose.
    assert read_digest("garbage") is None
    assert read_digest(42) is None
    assert read_digest(None) is None


def test_the_next_digest_is_that_weekday_and_hour_in_the_members_zone():
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 10:00 in New York
    # Monday 09:00 in New York is 14:00 UTC (EST).
    assert next_digest(MONDAY_9, NEW_YORK, friday) == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    # Strictly after: at the very moment, the next one is a week later.
    monday = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert next_digest(MONDAY_9, NEW_YORK, monday) == monday + timedelta(days=7)
    # The same day, later: next week; earlier: today.
    assert next_digest(MONDAY_9, NEW_YORK, monday + timedelta(minutes=1)) == monday + timedelta(
        days=7
    )
    assert next_digest(MONDAY_9, NEW_YORK, monday - timedelta(hours=1)) == monday


def test_the_digest_keeps_its_local_hour_across_a_dst_change():
    # New York springs forward on Sunday 2027-03-14: 09:00 is 14:00 UTC before, 13:00 after.
    before = next_digest(MONDAY_9, NEW_YORK, datetime(2027, 3, 5, 12, 0, tzinfo=UTC))
    after = next_digest(MONDAY_9, NEW_YORK, before)
    assert before == datetime(2027, 3, 8, 14, 0, tzinfo=UTC)
    assert after == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)
    assert after.astimezone(NEW_YORK).hour == 9


def test_a_time_skipped_by_dst_still_comes_that_day():
    sunday_230 = DigestTime(6, time(2, 30))  # 02:30 doesn't exist in New York on 2027-03-14
    due = next_digest(sunday_230, NEW_YORK, datetime(2027, 3, 13, 12, 0, tzinfo=UTC))
    assert due.astimezone(NEW_YORK).date().isoformat() == "2027-03-14"
    assert due > datetime(2027, 3, 13, 12, 0, tzinfo=UTC)


def test_a_week_with_nothing_due_has_no_digest():
    now = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    met = [Win("Ada Lovelace", now - timedelta(days=2))]
    assert weekly_digest(now=now, actions=[], held=met, thanked=met) is None


def test_the_digest_counts_only_this_weeks_wins():
    now = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    action = NextAction("contact", "Grace Hopper", now - timedelta(days=20))
    digest = weekly_digest(
        now=now,
        actions=[action],
        held=[
            Win("Old Meeting", now - timedelta(days=8)),
            Win("Ada Lovelace", now - timedelta(days=2)),
            Win("Katherine Johnson", now - timedelta(days=6)),
        ],
        thanked=[Win("Ada Lovelace", now - timedelta(days=1))],
    )
    assert digest is not None
    assert digest.actions == (action,)
    assert [w.name for w in digest.met] == ["Katherine Johnson", "Ada Lovelace"]
    assert [w.name for w in digest.thanked] == ["Ada Lovelace"]


def test_the_option_suggests_what_is_typed_read_and_off():
    assert digest_suggestions("mon 9am") == ["monday 09:00", "off"]
    assert digest_suggestions("fr")[0] == "friday 09:00"
    assert digest_suggestions("")[-1] == "off"
    assert all(s == "off" or parse_digest(s) for s in digest_suggestions("t"))
