from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.reminder_plan import (
    THANKS_SNOOZED_STEP,
    PlannedNudge,
    prep_due,
    snooze_due,
    thanks_plan,
)

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def hours(n):
    return timedelta(hours=n)


def test_prep_is_due_a_day_before_the_meeting():
    assert prep_due(NOW + hours(72), NOW) == NOW + hours(48)


def test_prep_is_due_at_once_when_the_meeting_is_sooner_than_a_day():
    assert prep_due(NOW + hours(3), NOW) == NOW


def test_no_prep_for_a_meeting_that_has_started():
    assert prep_due(NOW, NOW) is None
    assert prep_due(NOW - hours(1), NOW) is None


def test_thanks_nudges_come_after_the_end_then_at_20_and_48_hours():
    end = NOW + hours(5)
    assert thanks_plan(end, NOW) == [
        PlannedNudge(0, end + hours(2)),
        PlannedNudge(1, end + hours(20)),
        PlannedNudge(2, end + hours(48)),
    ]


def test_the_first_nudge_follows_the_members_setting():
    end = NOW + hours(1)
    assert thanks_plan(end, NOW, after_hours=6)[0] == PlannedNudge(0, end + hours(6))


def test_a_follow_up_before_the_first_nudge_is_dropped():
    end = NOW + hours(1)
    plan = thanks_plan(end, NOW, after_hours=24)
    assert [nudge.step for nudge in plan] == [0, 2]
    assert plan[0].due_at == end + hours(24)


def test_a_meeting_that_ended_3_hours_ago_is_nudged_at_once_then_as_usual():
    end = NOW - hours(3)
    assert thanks_plan(end, NOW) == [
        PlannedNudge(0, NOW),
        PlannedNudge(1, end + hours(20)),
        PlannedNudge(2, end + hours(48)),
    ]


def test_overdue_nudges_collapse_into_one_sent_now():
    end = NOW - hours(30)
    assert thanks_plan(end, NOW) == [PlannedNudge(1, NOW), PlannedNudge(2, end + hours(48))]


def test_a_long_past_meeting_gets_one_last_nudge_at_once():
    plan = thanks_plan(NOW - timedelta(days=10), NOW)
    assert plan == [PlannedNudge(2, NOW)]
    assert plan[0].last


def test_snooze_brings_the_nudge_back_tomorrow():
    assert snooze_due(NOW) == NOW + hours(24)
    assert PlannedNudge(THANKS_SNOOZED_STEP, NOW).last


def test_naive_times_are_refused():
    naive = datetime(2026, 11, 27, 15, 0)
    with pytest.raises(ValueError, match="aware"):
        prep_due(naive, NOW)
    with pytest.raises(ValueError, match="aware"):
        thanks_plan(naive, NOW)
    with pytest.raises(ValueError, match="positive"):
        thanks_plan(NOW, NOW, after_hours=0)
