"""When a DM really goes: what a reply promises and the reminder engine delivers
(bot.domain.business_days.when_dm_goes), quiet hours and daylight saving included."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.business_days import BEFORE_QUIET, delay_past_quiet_hours, when_dm_goes

NY = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
NIGHT = (time(22, 0), time(8, 0))


def at(tz, *args, fold=0):
    return datetime(*args, tzinfo=tz).replace(fold=fold).astimezone(UTC)


def local(moment, tz=NY):
    return moment.astimezone(tz).strftime("%a %d %b %H:%M %Z")


def test_a_dm_due_later_in_the_day_goes_when_due():
    now = at(NY, 2026, 11, 27, 10, 0)
    due = at(NY, 2026, 11, 27, 15, 0)
    assert when_dm_goes(due, now, NY, *NIGHT) == due


def test_a_dm_already_due_goes_now():
    now = at(NY, 2026, 11, 27, 10, 0)
    assert when_dm_goes(now - timedelta(days=9), now, NY, *NIGHT) == now


def test_a_dm_already_due_at_2_30_waits_for_8_00():
    # /outreach sent when:"2 weeks ago" at 02:30: both checkpoints have passed.
    now = at(NY, 2026, 11, 27, 2, 30)
    goes = when_dm_goes(now - timedelta(days=4), now, NY, *NIGHT)
    assert local(goes) == "Fri 27 Nov 08:00 EST"


def test_a_dm_due_in_the_evening_waits_until_the_next_morning():
    now = at(NY, 2026, 11, 27, 12, 0)
    goes = when_dm_goes(at(NY, 2026, 11, 27, 23, 15), now, NY, *NIGHT)
    assert local(goes) == "Sat 28 Nov 08:00 EST"


def test_quiet_hours_are_read_in_the_members_zone():
    now = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # 16:00 in New York, 02:30 in Kolkata
    assert when_dm_goes(now, now, NY, *NIGHT) == now
    assert local(when_dm_goes(now, now, KOLKATA, *NIGHT), KOLKATA) == "Sat 28 Nov 08:00 IST"


def test_no_quiet_hours_when_start_equals_end():
    now = at(NY, 2026, 11, 27, 2, 30)
    assert when_dm_goes(now, now, NY, time(0, 0), time(0, 0)) == now


def test_a_prep_dm_held_until_after_quiet_hours_when_the_meeting_is_later():
    # At 02:30, "tomorrow 10am"... or today 10:00: the prep is due at once, quiet hours
    # hold it until 08:00, still before the meeting.
    now = at(NY, 2026, 11, 27, 2, 30)
    meeting = at(NY, 2026, 11, 27, 10, 0)
    goes = when_dm_goes(now, now, NY, *NIGHT, before=meeting)
    assert local(goes) == "Fri 27 Nov 08:00 EST"


def test_a_prep_dm_goes_at_once_at_night_when_the_meeting_starts_before_quiet_hours_end():
    # At 02:30, "in 10 minutes": quiet hours began long ago, so it goes now.
    now = at(NY, 2026, 11, 27, 2, 30)
    meeting = now + timedelta(minutes=10)
    assert when_dm_goes(now, now, NY, *NIGHT, before=meeting) == now


def test_a_prep_dm_goes_before_quiet_hours_begin_when_they_would_hold_it_past_the_meeting():
    # Due at 23:00 for a meeting at 07:00: held until 08:00 it would come too late, so
    # it goes before quiet hours begin at 22:00.
    now = at(NY, 2026, 11, 27, 12, 0)
    due = at(NY, 2026, 11, 27, 23, 0)
    meeting = at(NY, 2026, 11, 28, 7, 0)
    goes = when_dm_goes(due, now, NY, *NIGHT, before=meeting)
    assert goes == at(NY, 2026, 11, 27, 22, 0) - BEFORE_QUIET
    assert local(goes) == "Fri 27 Nov 21:45 EST"


def test_a_prep_dm_held_exactly_to_the_meeting_start_goes_before_quiet_hours():
    now = at(NY, 2026, 11, 27, 12, 0)
    due = at(NY, 2026, 11, 27, 23, 0)
    meeting = at(NY, 2026, 11, 28, 8, 0)  # quiet hours end as it starts: too late
    assert local(when_dm_goes(due, now, NY, *NIGHT, before=meeting)) == "Fri 27 Nov 21:45 EST"


def test_a_dm_without_a_deadline_is_never_sent_early():
    now = at(NY, 2026, 11, 27, 12, 0)
    due = at(NY, 2026, 11, 27, 23, 0)
    assert local(when_dm_goes(due, now, NY, *NIGHT)) == "Sat 28 Nov 08:00 EST"


# -- the night clocks fall back: 2026-11-01 in New York, 01:00-02:00 happens twice ----
SHORT_NIGHT = (time(22, 0), time(1, 30))


def quiet(moment, tz, start, end):
    """Whether a moment is inside quiet hours on the member's wall clock."""
    return delay_past_quiet_hours(moment, tz, start, end) != moment


def test_fall_back_due_at_the_second_1_00_waits_for_the_second_1_30():
    due = at(NY, 2026, 11, 1, 1, 0, fold=1)  # 01:00 EST, an hour after 01:00 EDT
    assert local(due) == "Sun 01 Nov 01:00 EST"
    now = due - timedelta(hours=6)
    goes = when_dm_goes(due, now, NY, *SHORT_NIGHT)
    assert goes >= due
    assert not quiet(goes, NY, *SHORT_NIGHT)
    assert local(goes) == "Sun 01 Nov 01:30 EST"
    assert goes == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_fall_back_due_at_the_first_1_00_waits_for_the_first_1_30():
    due = at(NY, 2026, 11, 1, 1, 0)  # 01:00 EDT
    goes = when_dm_goes(due, due, NY, *SHORT_NIGHT)
    assert local(goes) == "Sun 01 Nov 01:30 EDT"
    assert not quiet(goes, NY, *SHORT_NIGHT)


def test_fall_back_delay_past_quiet_hours_never_moves_a_dm_earlier():
    # It used to answer 01:30 EDT, half an hour *before* the DM was due.
    due = at(NY, 2026, 11, 1, 1, 0, fold=1)
    assert delay_past_quiet_hours(due, NY, *SHORT_NIGHT) == at(NY, 2026, 11, 1, 1, 30, fold=1)


def test_fall_back_night_with_ordinary_quiet_hours():
    due = at(NY, 2026, 11, 1, 1, 15, fold=1)  # 01:15 EST
    assert local(when_dm_goes(due, due, NY, *NIGHT)) == "Sun 01 Nov 08:00 EST"


def test_fall_back_prep_dm_for_a_meeting_at_the_second_1_15_goes_at_the_first_1_30():
    # Quiet hours end at 01:30 EDT, 45 minutes before a meeting at 01:15 EST: in time.
    now = at(NY, 2026, 10, 31, 12, 0)
    due = at(NY, 2026, 10, 31, 23, 0)
    meeting = at(NY, 2026, 11, 1, 1, 15, fold=1)
    goes = when_dm_goes(due, now, NY, *SHORT_NIGHT, before=meeting)
    assert local(goes) == "Sun 01 Nov 01:30 EDT"
    assert meeting - goes == timedelta(minutes=45)


def test_fall_back_prep_dm_for_a_meeting_at_the_first_1_15_goes_before_quiet_hours():
    now = at(NY, 2026, 10, 31, 12, 0)
    due = at(NY, 2026, 10, 31, 23, 0)
    meeting = at(NY, 2026, 11, 1, 1, 15)  # 01:15 EDT, before quiet hours end
    goes = when_dm_goes(due, now, NY, *SHORT_NIGHT, before=meeting)
    assert local(goes) == "Sat 31 Oct 21:45 EDT"


# -- the night clocks spring forward: 2027-03-14 in New York skips 02:00-03:00 ---------


def test_spring_forward_quiet_end_in_the_skipped_hour_is_after_the_gap():
    due = at(NY, 2027, 3, 14, 1, 0)  # 01:00 EST
    goes = when_dm_goes(due, due, NY, time(22, 0), time(2, 30))
    assert local(goes) == "Sun 14 Mar 03:30 EDT"
    assert goes > due


def test_spring_forward_keeps_the_morning_end():
    due = at(NY, 2027, 3, 14, 1, 0)
    assert local(when_dm_goes(due, due, NY, *NIGHT)) == "Sun 14 Mar 08:00 EDT"


def test_spring_forward_start_in_the_skipped_hour():
    # Quiet from 02:30 (skipped that night): at 03:10 EDT it's quiet; a prep for a meeting
    # at 05:00 goes at once, since quiet hours began before the gap.
    now = at(NY, 2027, 3, 14, 3, 10)
    meeting = at(NY, 2027, 3, 14, 5, 0)
    assert when_dm_goes(now, now, NY, time(2, 30), time(8, 0), before=meeting) == now


def test_naive_times_are_refused():
    now = at(NY, 2026, 11, 27, 12, 0)
    with pytest.raises(ValueError, match="aware"):
        when_dm_goes(datetime(2026, 11, 27, 12, 0), now, NY, *NIGHT)
    with pytest.raises(ValueError, match="aware"):
        when_dm_goes(now, now, NY, *NIGHT, before=datetime(2026, 11, 28, 7, 0))
