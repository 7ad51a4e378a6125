from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.business_days import (
    add_business_days,
    business_days_between,
    delay_past_quiet_hours,
    parse_clock,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday


def at(tz, *args):
    return datetime(*args, tzinfo=tz)


def test_weekday_plus_three_keeps_wall_clock():
    mon = at(NY, 2026, 11, 23, 10, 0)
    got = add_business_days(mon, 3, NY)
    assert got.tzinfo is UTC
    assert got == at(NY, 2026, 11, 26, 10, 0)


def test_friday_skips_weekend():
    assert add_business_days(NOW, 1, NY) == at(NY, 2026, 11, 30, 10, 0)
    assert add_business_days(NOW, 3, NY) == at(NY, 2026, 12, 2, 10, 0)
    assert add_business_days(NOW, 7, NY) == at(NY, 2026, 12, 8, 10, 0)


def test_weekend_start_counts_from_monday():
    sat = at(NY, 2026, 11, 28, 18, 0)
    assert add_business_days(sat, 0, NY) == at(NY, 2026, 11, 30, 18, 0)
    assert add_business_days(sat, 1, NY) == at(NY, 2026, 12, 1, 18, 0)
    assert add_business_days(sat, 3, NY) == at(NY, 2026, 12, 3, 18, 0)


def test_weekend_is_local_not_utc():
    # Friday 23:30 in New York is already Saturday in UTC; it still counts as Friday.
    fri_late = at(NY, 2026, 11, 27, 23, 30)
    assert fri_late.astimezone(UTC).weekday() == 5
    assert add_business_days(fri_late, 1, NY) == at(NY, 2026, 11, 30, 23, 30)
    # Monday 00:30 in Berlin is Sunday in UTC.
    mon_early = at(BERLIN, 2026, 11, 30, 0, 30)
    assert add_business_days(mon_early, 1, BERLIN) == at(BERLIN, 2026, 12, 1, 0, 30)


def test_dst_change_keeps_local_time():
    # Berlin springs forward on Sunday 2027-03-28: 09:00 CET Friday -> 09:00 CEST Tuesday.
    fri = at(BERLIN, 2027, 3, 26, 9, 0)
    got = add_business_days(fri, 2, BERLIN)
    assert got == datetime(2027, 3, 30, 7, 0, tzinfo=UTC)
    assert got.astimezone(BERLIN).hour == 9
    # New York falls back on 2026-11-01.
    assert add_business_days(at(NY, 2026, 10, 30, 9, 0), 1, NY) == datetime(
        2026, 11, 2, 14, 0, tzinfo=UTC
    )


def test_negative_days():
    assert add_business_days(at(NY, 2026, 11, 30, 9, 0), -1, NY) == at(NY, 2026, 11, 27, 9, 0)
    assert add_business_days(at(NY, 2026, 11, 29, 9, 0), -1, NY) == at(NY, 2026, 11, 26, 9, 0)


def test_naive_rejected():
    with pytest.raises(ValueError):
        add_business_days(datetime(2026, 11, 27, 15, 0), 3, NY)


def test_between():
    fri = at(NY, 2026, 11, 27, 9, 0)
    assert business_days_between(fri, fri, NY) == 0
    assert business_days_between(fri, at(NY, 2026, 11, 30, 9, 0), NY) == 1
    assert business_days_between(fri, at(NY, 2026, 12, 11, 9, 0), NY) == 10
    assert business_days_between(at(NY, 2026, 12, 11, 9, 0), fri, NY) == -10
    sat, sun = at(NY, 2026, 11, 28, 9, 0), at(NY, 2026, 11, 29, 9, 0)
    assert business_days_between(sat, sun, NY) == 0


@pytest.mark.parametrize("days", [0, 1, 2, 3, 4, 5, 6, 7, 12, 30])
@pytest.mark.parametrize("offset", range(7))
def test_between_inverts_add(days, offset):
    start = at(NY, 2026, 11, 23 + offset, 14, 15)
    assert business_days_between(start, add_business_days(start, days, NY), NY) == days


QUIET = (time(22, 0), time(8, 0))


def test_outside_quiet_hours_unchanged():
    due = at(NY, 2026, 11, 27, 12, 0).astimezone(UTC)
    assert delay_past_quiet_hours(due, NY, *QUIET) is due
    due = at(NY, 2026, 11, 27, 8, 0).astimezone(UTC)  # the end is not quiet
    assert delay_past_quiet_hours(due, NY, *QUIET) is due


def test_late_evening_moves_to_next_morning():
    due = at(NY, 2026, 11, 27, 22, 0).astimezone(UTC)  # the start is quiet
    got = delay_past_quiet_hours(due, NY, *QUIET)
    assert got == at(NY, 2026, 11, 28, 8, 0)
    assert got.tzinfo is UTC


def test_early_morning_moves_to_same_morning():
    due = at(NY, 2026, 11, 27, 3, 0).astimezone(UTC)
    assert delay_past_quiet_hours(due, NY, *QUIET) == at(NY, 2026, 11, 27, 8, 0)


def test_non_wrapping_quiet_hours():
    quiet = (time(12, 0), time(13, 30))
    due = at(BERLIN, 2026, 11, 27, 12, 45).astimezone(UTC)
    assert delay_past_quiet_hours(due, BERLIN, *quiet) == at(BERLIN, 2026, 11, 27, 13, 30)
    due = at(BERLIN, 2026, 11, 27, 14, 0).astimezone(UTC)
    assert delay_past_quiet_hours(due, BERLIN, *quiet) is due


def test_equal_start_and_end_means_no_quiet_hours():
    due = at(NY, 2026, 11, 27, 3, 0).astimezone(UTC)
    assert delay_past_quiet_hours(due, NY, time(0, 0), time(0, 0)) is due


def test_quiet_end_across_dst():
    # Night of Berlin's spring change: 23:00 CET -> 08:00 CEST is 06:00 UTC.
    due = at(BERLIN, 2027, 3, 27, 23, 0).astimezone(UTC)
    assert delay_past_quiet_hours(due, BERLIN, *QUIET) == datetime(2027, 3, 28, 6, 0, tzinfo=UTC)


def test_quiet_hours_use_member_zone():
    due = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 18:00 in NY, midnight in Berlin
    assert delay_past_quiet_hours(due, NY, *QUIET) is due
    assert delay_past_quiet_hours(due, BERLIN, *QUIET) == at(BERLIN, 2026, 11, 28, 8, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00", time(22, 0)),
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("10pm", time(22, 0)),
        ("7am", time(7, 0)),
        ("7:30 PM", time(19, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("10 p.m.", time(22, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        (" 0:00 ", time(0, 0)),
    ],
)
def test_parse_clock(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["", "7", "25:00", "7:60", "13pm", "0am", "soon", "7:3"])
def test_parse_clock_rejects(text):
    with pytest.raises(ValueError, match="22:00"):
        parse_clock(text)
