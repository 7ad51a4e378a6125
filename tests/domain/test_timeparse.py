from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import WhenError, parse_when

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday 10:00 in New York
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def local(text, tz=NY, now=NOW, **kw):
    result = parse_when(text, tz, now, **kw)
    assert result.tzinfo is UTC
    return result.astimezone(tz).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 8am", datetime(2026, 11, 28, 8, 0)),
        ("Dec 3 7:30", datetime(2026, 12, 3, 7, 30)),
        ("3 hours ago", datetime(2026, 11, 27, 7, 0)),
        ("2026-12-03 07:30", datetime(2026, 12, 3, 7, 30)),
        ("2026-12-03T07:30", datetime(2026, 12, 3, 7, 30)),
        ("in 2 days at 3pm", datetime(2026, 11, 29, 15, 0)),
        ("next friday 10:00", datetime(2026, 12, 4, 10, 0)),
        ("today 17:00", datetime(2026, 11, 27, 17, 0)),
        ("yesterday 4pm", datetime(2026, 11, 26, 16, 0)),
        ("  Tomorrow   8 AM ", datetime(2026, 11, 28, 8, 0)),
        ("in 45 minutes", datetime(2026, 11, 27, 10, 45)),
        ("an hour ago", datetime(2026, 11, 27, 9, 0)),
        ("25/12 10:00", datetime(2026, 12, 25, 10, 0)),  # only one reading possible
        ("December 3, 2026 9:00 AM", datetime(2026, 12, 3, 9, 0)),
    ],
)
def test_accepted_forms(text, expected):
    assert local(text) == expected


def test_result_is_utc():
    assert parse_when("2026-12-03 07:30", NY, NOW) == datetime(2026, 12, 3, 12, 30, tzinfo=UTC)
    assert parse_when("2026-12-03 07:30", BERLIN, NOW) == datetime(2026, 12, 3, 6, 30, tzinfo=UTC)


def test_explicit_offset_wins_over_member_zone():
    assert parse_when("2026-12-03T07:30Z", BERLIN, NOW) == datetime(2026, 12, 3, 7, 30, tzinfo=UTC)


def test_prefer_past_and_future():
    assert local("Dec 3 7:30", prefer="past") == datetime(2025, 12, 3, 7, 30)
    # A bare clock time already gone today means tomorrow when looking ahead...
    assert local("8am") == datetime(2026, 11, 28, 8, 0)
    # ...and the most recent one when looking back.
    assert local("3pm", prefer="past") == datetime(2026, 11, 26, 15, 0)
    assert local("3pm") == datetime(2026, 11, 27, 15, 0)


def test_dst_offsets_follow_the_date_not_now():
    # NOW is winter in Berlin (UTC+1); July is summer time (UTC+2).
    assert parse_when("2027-07-01 09:00", BERLIN, NOW) == datetime(2027, 7, 1, 7, 0, tzinfo=UTC)
    # Across the US spring change (2027-03-14): "tomorrow 9am" from the 13th is EDT.
    before = datetime(2027, 3, 13, 17, 0, tzinfo=UTC)
    assert parse_when("tomorrow 9am", NY, before) == datetime(2027, 3, 14, 13, 0, tzinfo=UTC)


def test_short_spans_are_exact_across_dst():
    # 2026-11-01 03:00 EST is 08:00 UTC, one hour after New York fell back.
    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    assert parse_when("3 hours ago", NY, now) == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
    assert parse_when("in 2 hours", NY, now) == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def test_dst_gap_and_fold():
    # 02:30 doesn't exist on 2027-03-14 in New York; it is read with the EST offset.
    assert parse_when("2027-03-14 02:30", NY, NOW) == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    # 01:30 happens twice on 2026-11-01; the first (EDT) one is meant.
    assert parse_when("2026-11-01 01:30", NY, NOW) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "   ", "blorp", "blorp 8am", "Dec 3 9"])
def test_unreadable_gives_examples(text):
    with pytest.raises(WhenError) as exc:
        parse_when(text, NY, NOW)
    assert "tomorrow 8am" in str(exc.value)


@pytest.mark.parametrize("text", ["3/4", "03/04 10:00", "3-4 9am", "4/3/2026 10:00"])
def test_ambiguous_numeric_dates(text):
    with pytest.raises(WhenError) as exc:
        parse_when(text, NY, NOW)
    assert "ambiguous" in str(exc.value)
    assert "Mar 4 10:00" in str(exc.value)


def test_dotted_numbers_refused():
    # dateparser would read "10.30 tomorrow" as 10:00.
    with pytest.raises(WhenError, match="colon"):
        parse_when("10.30 tomorrow", NY, NOW)


@pytest.mark.parametrize("text", ["Dec 3", "tomorrow", "next friday", "2026-12-03", "in 2 days"])
def test_date_without_time_asks_for_one(text):
    with pytest.raises(WhenError, match="time of day") as exc:
        parse_when(text, NY, NOW)
    assert "9am" in str(exc.value)


@pytest.mark.parametrize("text", ["in 3000 years 9am", "2062-12-03 10:00", "2020-01-01 10:00"])
def test_absurd_years(text):
    with pytest.raises(WhenError, match="too far"):
        parse_when(text, NY, NOW)


def test_naive_now_is_a_bug():
    with pytest.raises(ValueError):
        parse_when("tomorrow 8am", NY, datetime(2026, 11, 27, 15, 0))


def test_when_error_is_value_error():
    assert issubclass(WhenError, ValueError)
