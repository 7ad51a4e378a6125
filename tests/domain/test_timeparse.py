from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeparse import WhenError, parse_until, parse_when

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


def test_a_time_the_clocks_skip_or_repeat_is_refused_not_guessed():
    # 02:30 doesn't exist on 2027-03-14 in New York: the clocks jump from 2:00 to 3:00.
    with pytest.raises(WhenError, match="doesn't exist") as exc:
        parse_when("2027-03-14 02:30", NY, NOW)
    assert '"2027-03-14 03:30"' in str(exc.value)
    # 01:30 happens twice on 2026-11-01: the member says which by its offset.
    with pytest.raises(WhenError, match="twice") as exc:
        parse_when("2026-11-01 01:30", NY, NOW)
    assert '"2026-11-01 01:30 -04:00"' in str(exc.value)
    assert parse_when("2026-11-01 01:30 -04:00", NY, NOW) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
    assert parse_when("2026-11-01 01:30 -05:00", NY, NOW) == datetime(
        2026, 11, 1, 6, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("text", ["", "   ", "blorp", "blorp 8am", "whenever suits"])
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
    # A dot makes a UK time ("10.30") or a German date ("10.3." is 10 March): never guessed.
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


# -- the examples of issue 10 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefer", "names"),
    [
        ("yesterday at 99pm", "past", '"99pm"'),
        ("tomorrow 25:00", "future", '"25:00"'),
        ("tomorrow at 13pm", "future", '"tomorrow at 1pm" or "tomorrow at 13:00"'),
        ("tomorrow 8am lol", "future", '"lol"'),
    ],
)
def test_garbage_is_refused_not_dropped(text, prefer, names):
    with pytest.raises(WhenError) as exc:
        parse_when(text, NY, NOW, prefer=prefer)
    assert names in str(exc.value)


def test_a_zone_beside_a_day_word_is_honoured():
    # 3pm in Los Angeles (PST, UTC-8) tomorrow, whatever the member's own zone.
    expected = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    assert parse_when("tomorrow 3pm PT", NY, NOW) == expected
    assert parse_when("tomorrow 3pm PT", BERLIN, NOW) == expected
    assert parse_when("3pm PST", NY, NOW) == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert parse_when("2026-12-03T10:00-08:00", NY, NOW) == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def test_a_season_zone_out_of_season_points_to_the_generic_one():
    july = datetime(2026, 7, 15, 16, 0, tzinfo=UTC)
    with pytest.raises(WhenError) as exc:
        parse_when("tomorrow 9am EST", NY, july)
    assert '"tomorrow 9am ET"' in str(exc.value)


def test_an_ambiguous_zone_abbreviation_is_refused():
    with pytest.raises(WhenError, match="Asia/Kolkata"):
        parse_when("tomorrow 3pm IST", NY, NOW)


def test_a_week_from_today_is_ahead():
    assert local("a week from today at noon") == datetime(2026, 12, 4, 12, 0)


@pytest.mark.parametrize(
    ("text", "future", "past"),
    [
        ("the 15th at 10am", datetime(2026, 12, 15, 10, 0), datetime(2026, 11, 15, 10, 0)),
        ("Tuesday 10am", datetime(2026, 12, 1, 10, 0), datetime(2026, 11, 24, 10, 0)),
        ("Dec 3 7:30", datetime(2026, 12, 3, 7, 30), datetime(2025, 12, 3, 7, 30)),
        # The named day is today (a Friday, the 27th) in both directions.
        ("Friday 3pm", datetime(2026, 11, 27, 15, 0), datetime(2026, 11, 27, 15, 0)),
        ("the 27th at 9am", datetime(2026, 11, 27, 9, 0), datetime(2026, 11, 27, 9, 0)),
    ],
)
def test_a_day_without_year_or_week_leans_the_way_the_command_looks(text, future, past):
    assert local(text) == future
    assert local(text, prefer="past") == past


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tmrw 3pm", datetime(2026, 11, 28, 15, 0)),
        ("tmr 3pm", datetime(2026, 11, 28, 15, 0)),
        ("weds 2pm", datetime(2026, 12, 2, 14, 0)),
        ("tonight 8", datetime(2026, 11, 27, 20, 0)),
        ("tonight at 8", datetime(2026, 11, 27, 20, 0)),
        ("next week tuesday 10am", datetime(2026, 12, 1, 10, 0)),
    ],
)
def test_common_abbreviations(text, expected):
    assert local(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("today at 5", '"today at 5am" or "today at 5pm"'),
        ("Dec 3 9", '"Dec 3 9am" or "Dec 3 9pm"'),
    ],
)
def test_an_hour_without_am_pm_asks_which(text, hint):
    with pytest.raises(WhenError) as exc:
        parse_when(text, NY, NOW)
    assert hint in str(exc.value)
    assert "5 9am" not in str(exc.value)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Dec 32 3pm", '"Dec 32" isn\'t a real day: December has 31 days, e.g. "Dec 31 3pm"'),
        ("Feb 29 2027 10am", "2027 isn't a leap year"),
        ("2026-02-30 10:00", '"2026-02-28 10:00"'),
    ],
)
def test_an_impossible_day_is_called_impossible(text, hint):
    with pytest.raises(WhenError) as exc:
        parse_when(text, NY, NOW)
    assert hint in str(exc.value)
    assert "too far" not in str(exc.value)


def test_a_misspelt_word_gets_a_suggestion():
    with pytest.raises(WhenError, match='did you mean "tomorrow"'):
        parse_when("tomrrow 3pm", NY, NOW)


# -- a pause's end (/network pause, /practice pause) -------------------------------------


def test_a_pause_until_a_day_alone_ends_at_the_start_of_that_day():
    ends = parse_until("Dec 10", NY, NOW)
    assert ends.astimezone(NY).isoformat() == "2026-12-10T00:00:00-05:00"


def test_a_pause_until_a_moment_ends_then():
    ends = parse_until("Dec 10 6pm", NY, NOW)
    assert ends.astimezone(NY).isoformat() == "2026-12-10T18:00:00-05:00"


def test_a_pause_until_unreadable_text_says_what_was_wrong():
    with pytest.raises(WhenError, match='did you mean "tomorrow"'):
        parse_until("tomrrow", NY, NOW)
