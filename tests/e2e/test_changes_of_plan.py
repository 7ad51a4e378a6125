"""Plans change (issue 11, item 2) end to end: /meeting reschedule moves a meeting and its
reminders (the calendar entry keeps its UID); scheduling someone already met ahead
offers to move that meeting; logging a request twice asks first; /outreach remove takes
a request back with its 3B7 checkpoints and its place in the club's counts.

The clock starts on Friday 2026-11-27 15:00 UTC; the members' zone is UTC, and every
reminder here falls outside quiet hours (22:00–08:00), so each comes at its own time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.e2e import (
    add_prospect,
    bot_dms,
    calendar_events,
    meetings,
    owed_reminders,
    schedule,
    settle,
)

THURSDAY_10AM = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
MONDAY_2PM = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
# A request sent on the first Friday at 15:00: its 3B7 checkpoints.
DAY_3 = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # Wednesday
DAY_7 = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # Tuesday after next
ADA_THURSDAY = '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 10:00"'


def stamp(moment: datetime) -> str:
    """How a reply shows a moment (Discord's full date and time)."""
    return f"<t:{int(moment.timestamp())}:F>"


def due_times(reminders) -> list[tuple[str, datetime]]:
    return [(r.kind, r.due_at) for r in reminders]


def meeting_plan(starts: datetime, minutes: int = 30) -> list[tuple[str, datetime]]:
    """What /meeting schedule plans: the prep DM a day before, thank-yous after the end."""
    ends = starts + timedelta(minutes=minutes)
    return [
        ("prep", starts - timedelta(hours=24)),
        ("thanks", ends + timedelta(hours=2)),
        ("thanks", ends + timedelta(hours=20)),
        ("thanks", ends + timedelta(hours=48)),
    ]


async def requests_to(bot, user, name: str) -> list:
    async with bot.stores.member(user.id) as store:
        prospect = await store.find_prospect_by_name(name)
        rows = await store.fetchall(
            "SELECT id FROM outreach WHERE prospect_id = ? ORDER BY id", (prospect.id,)
        )
        return [await store.get_outreach(row["id"]) for row in rows]


async def followups(bot, user) -> list:
    return [r for r in await owed_reminders(bot, user) if r.kind.startswith("followup")]


async def club_requests(driver, officer, guild) -> str:
    reply = await driver.run("/club stats", user=officer, guild=guild)
    november = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}["November 2026"]
    return november.replace("*", "")


async def dms_at(bot, emu, clock, user, moment: datetime) -> list:
    """Move the clock to `moment`, deliver what fell due, and return the member's DMs."""
    clock.set(moment)
    await settle(bot)
    return bot_dms(emu, user)


# -- /meeting reschedule ----------------------------------------------------------------


async def test_reschedule_moves_the_meeting_and_its_reminders(
    driver, bot, emu, clock, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    assert due_times(await owed_reminders(bot, alice)) == meeting_plan(THURSDAY_10AM)

    reply = await driver.run(
        '/meeting reschedule meeting:"Ada Lovelace" when:"2026-12-07 14:00" minutes:45',
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "Meeting moved: Ada Lovelace" in reply.text
    assert stamp(MONDAY_2PM) in reply.text and "45 min" in reply.text
    assert f"was {stamp(THURSDAY_10AM)}" in reply.text
    prep_at = MONDAY_2PM - timedelta(hours=24)
    assert f"A prep DM {stamp(prep_at)}" in reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert (meeting.starts_at, meeting.minutes, meeting.revision) == (MONDAY_2PM, 45, 1)
    # The old reminders are gone, the new ones planned as /meeting schedule plans them.
    assert due_times(await owed_reminders(bot, alice)) == meeting_plan(MONDAY_2PM, 45)

    # The old prep time and the old thank-you time pass: nothing is sent.
    assert await dms_at(bot, emu, clock, alice, THURSDAY_10AM + timedelta(hours=3)) == []
    # The new ones come at their new times.
    assert await dms_at(bot, emu, clock, alice, prep_at - timedelta(minutes=1)) == []
    (prep,) = await dms_at(bot, emu, clock, alice, prep_at)
    assert "Get ready: Ada Lovelace" in prep.text
    assert stamp(MONDAY_2PM) in prep.text
    thanks_at = MONDAY_2PM + timedelta(minutes=45, hours=2)
    assert len(await dms_at(bot, emu, clock, alice, thanks_at - timedelta(minutes=1))) == 1
    dms = await dms_at(bot, emu, clock, alice, thanks_at)
    assert len(dms) == 2
    assert "Ada Lovelace" in dms[1].text
    assert "Sent it" in [button["label"] for button in dms[1].buttons]


async def test_a_meeting_less_than_a_day_away_gets_its_prep_dm_at_once(
    driver, bot, emu, clock, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    await settle(bot)
    assert bot_dms(emu, alice) == []
    reply = await driver.run(
        '/meeting reschedule meeting:"Ada Lovelace" when:"2026-11-28 10:00"',
        user=alice,
        guild=guild,
    )
    assert "prep DM" in reply.text
    (prep,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "Get ready: Ada Lovelace" in prep.text
    assert stamp(datetime(2026, 11, 28, 10, 0, tzinfo=UTC)) in prep.text


async def test_the_calendar_entry_keeps_its_uid_and_its_sequence_grows(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    title = "Informational interview: Ada Lovelace"

    async def exported():
        reply = await driver.run("/meeting calendar", user=alice, guild=guild)
        ((_, event),) = calendar_events(reply).items()
        return event

    first = await exported()
    assert first.decoded("SEQUENCE") == 0
    sequences = [0]
    for when in ("2026-12-07 14:00", "2026-12-08 09:30"):
        reply = await driver.run(
            f'/meeting reschedule meeting:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
        )
        assert "Meeting moved" in reply.text
        assert "/meeting calendar" in reply.text
        moved = await exported()
        assert str(moved["UID"]) == str(first["UID"])
        assert str(moved["SUMMARY"]) == title and str(moved["STATUS"]) == "CONFIRMED"
        assert moved.decoded("DTSTART") == datetime.fromisoformat(when).replace(tzinfo=UTC)
        sequences.append(moved.decoded("SEQUENCE"))
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    gone = await exported()
    assert str(gone["UID"]) == str(first["UID"]) and str(gone["STATUS"]) == "CANCELLED"
    sequences.append(gone.decoded("SEQUENCE"))
    assert sequences == [0, 1, 2, 3]


async def test_a_cancelled_meeting_is_not_moved_and_says_what_to_do(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    ((meeting, _),) = await meetings(bot, alice)
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.run(
        f'/meeting reschedule meeting:{meeting.id} when:"2026-12-07 14:00"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "was cancelled" in reply.text
    assert '`/meeting schedule prospect:Ada Lovelace when:"2026-12-07 14:00"`' in reply.text
    ((after, _),) = await meetings(bot, alice)
    assert (after.starts_at, after.revision) == (THURSDAY_10AM, 0)
    assert await owed_reminders(bot, alice) == []


async def test_a_past_meeting_is_not_moved_and_says_what_to_do(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm"', user=alice, guild=guild
    )
    ((meeting, _),) = await meetings(bot, alice)
    owed = due_times(await owed_reminders(bot, alice))
    reply = await driver.run(
        f'/meeting reschedule meeting:{meeting.id} when:"2026-12-07 14:00"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "already past" in reply.text
    assert "`/meeting done meeting:Ada Lovelace`" in reply.text
    assert "`/meeting schedule prospect:Ada Lovelace" in reply.text
    ((after, _),) = await meetings(bot, alice)
    assert (after.starts_at, after.revision) == (meeting.starts_at, 0)
    assert due_times(await owed_reminders(bot, alice)) == owed


async def test_a_new_time_in_the_past_or_the_same_time_changes_nothing(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    owed = due_times(await owed_reminders(bot, alice))
    past = await driver.run(
        '/meeting reschedule meeting:"Ada Lovelace" when:"2026-11-20 10:00"',
        user=alice,
        guild=guild,
    )
    assert "in the past" in past.text
    assert '`/meeting reschedule meeting:Ada Lovelace when:"tomorrow 8am"`' in past.text
    same = await driver.run(
        '/meeting reschedule meeting:"Ada Lovelace" when:"2026-12-03 10:00"',
        user=alice,
        guild=guild,
    )
    assert "already" in same.text and "nothing changed" in same.text
    ((meeting, _),) = await meetings(bot, alice)
    assert (meeting.starts_at, meeting.revision) == (THURSDAY_10AM, 0)
    assert due_times(await owed_reminders(bot, alice)) == owed


# -- a second meeting with the same person ------------------------------------------------


async def test_scheduling_someone_already_met_ahead_offers_to_move_that_meeting(
    driver, bot, emu, clock, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    owed = due_times(await owed_reminders(bot, alice))
    prompt = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-07 14:00" place:"Café Central"',
        user=alice,
        guild=guild,
    )
    assert prompt.ephemeral
    assert "You already have a meeting with **Ada Lovelace**" in prompt.text
    assert stamp(THURSDAY_10AM) in prompt.text and stamp(MONDAY_2PM) in prompt.text
    assert [b["label"] for b in prompt.buttons] == [
        "Move the one on Thu Dec 3, 10:00",
        "Keep both",
        "Cancel",
    ]
    # Nothing is stored until Alice chooses.
    assert len(await meetings(bot, alice)) == 1
    assert due_times(await owed_reminders(bot, alice)) == owed

    moved = await driver.click(prompt, "Move the one on Thu Dec 3, 10:00", user=alice)
    assert "Meeting moved: Ada Lovelace" in moved.text
    assert stamp(MONDAY_2PM) in moved.text and "Café Central" in moved.text
    assert moved.buttons == []
    ((meeting, _),) = await meetings(bot, alice)
    assert (meeting.starts_at, meeting.place, meeting.revision) == (MONDAY_2PM, "Café Central", 1)
    assert due_times(await owed_reminders(bot, alice)) == meeting_plan(MONDAY_2PM)
    # The old meeting's prep time passes without a DM.
    assert await dms_at(bot, emu, clock, alice, THURSDAY_10AM - timedelta(hours=24)) == []


async def test_keep_both_schedules_a_second_meeting_and_cancel_schedules_none(
    driver, bot, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    line = '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-07 14:00"'

    prompt = await driver.run(line, user=alice, guild=guild)
    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "Nothing was scheduled" in kept.text and kept.buttons == []
    assert len(await meetings(bot, alice)) == 1
    assert due_times(await owed_reminders(bot, alice)) == meeting_plan(THURSDAY_10AM)

    prompt = await driver.run(line, user=alice, guild=guild)
    both = await driver.click(prompt, "Keep both", user=alice)
    assert "Meeting scheduled with Ada Lovelace" in both.text
    assert stamp(MONDAY_2PM) in both.text
    starts = sorted(m.starts_at for m, _ in await meetings(bot, alice))
    assert starts == [THURSDAY_10AM, MONDAY_2PM]
    assert sorted(due_times(await owed_reminders(bot, alice))) == sorted(
        meeting_plan(THURSDAY_10AM) + meeting_plan(MONDAY_2PM)
    )


async def test_a_meeting_with_someone_else_is_scheduled_without_asking(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    await driver.run(ADA_THURSDAY, user=alice, guild=guild)
    await schedule(driver, alice, guild, name="Grace Hopper", when="2026-12-07 14:00")
    assert len(await meetings(bot, alice)) == 2


# -- /outreach sent twice ----------------------------------------------------------------


async def test_logging_the_same_request_again_asks_first(driver, bot, clock, alice, guild):
    await add_prospect(driver, alice, guild, name="Dana Lee")
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    (first,) = await requests_to(bot, alice, "Dana Lee")
    owed = due_times(await followups(bot, alice))
    assert owed == [("followup-3", DAY_3), ("followup-7", DAY_7)]

    clock.advance(days=1)
    prompt = await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"yesterday 3pm"', user=alice, guild=guild
    )
    assert prompt.ephemeral
    assert "already logged a request to **Dana Lee**" in prompt.text
    assert stamp(first.sent_at) in prompt.text
    assert "`/outreach remove prospect:Dana Lee`" in prompt.text
    assert [b["label"] for b in prompt.buttons] == ["Log another", "Cancel"]
    assert await requests_to(bot, alice, "Dana Lee") == [first]  # nothing logged yet

    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "Nothing was logged" in kept.text
    assert await requests_to(bot, alice, "Dana Lee") == [first]
    assert due_times(await followups(bot, alice)) == owed

    prompt = await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    logged = await driver.click(prompt, "Log another", user=alice)
    assert "Logged your request to **Dana Lee**" in logged.text
    assert logged.buttons == []
    first_again, second = await requests_to(bot, alice, "Dana Lee")
    assert first_again == first and second.guild_id == guild.id
    # The routine restarts from the new request: the first one's checkpoints are off.
    assert [r.subject_id for r in await followups(bot, alice)] == [second.id, second.id]


async def test_a_request_after_a_few_days_is_logged_without_asking(
    driver, bot, clock, alice, guild
):
    await add_prospect(driver, alice, guild, name="Dana Lee")
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    clock.advance(days=4)
    again = await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    assert "Logged your request to **Dana Lee**" in again.text
    assert len(await requests_to(bot, alice, "Dana Lee")) == 2


# -- /outreach remove --------------------------------------------------------------------


async def test_remove_takes_back_a_request_and_its_checkpoints(
    driver, bot, emu, clock, alice, officer, guild
):
    await add_prospect(driver, alice, guild, name="Dana Lee")
    await driver.run('/outreach sent prospect:"Dana Lee" via:email', user=alice, guild=guild)
    assert "Requests sent: 1" in await club_requests(driver, officer, guild)

    prompt = await driver.run('/outreach remove prospect:"Dana Lee"', user=alice, guild=guild)
    assert prompt.ephemeral
    assert "Remove your request to **Dana Lee**" in prompt.text
    assert stamp(clock.now()) in prompt.text
    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "stays" in kept.text
    assert len(await requests_to(bot, alice, "Dana Lee")) == 1

    prompt = await driver.run('/outreach remove prospect:"Dana Lee"', user=alice, guild=guild)
    done = await driver.click(prompt, "Remove", user=alice)
    assert "Removed your request to **Dana Lee**" in done.text
    assert "counts no longer include it" in done.text
    assert await requests_to(bot, alice, "Dana Lee") == []
    assert await followups(bot, alice) == []
    assert "Requests sent: 0" in await club_requests(driver, officer, guild)

    # Three and seven business days on, no follow-up DM comes.
    assert await dms_at(bot, emu, clock, alice, DAY_3) == []
    assert await dms_at(bot, emu, clock, alice, DAY_7 + timedelta(hours=1)) == []
    listed = await driver.run("/prospect list status:to-contact", user=alice, guild=guild)
    assert "Dana Lee" in listed.text


async def test_removing_a_duplicate_uncounts_it_and_brings_back_the_first_ones_checkpoints(
    driver, bot, emu, clock, alice, officer, guild
):
    # Four people asked, and one of them logged twice: the club saw 5 requests.
    for name in ("Dana Lee", "Ada Lovelace", "Grace Hopper", "Alan Turing"):
        await add_prospect(driver, alice, guild, name=name)
        await driver.run(f'/outreach sent prospect:"{name}"', user=alice, guild=guild)
    clock.advance(hours=20)  # Saturday 11:00
    prompt = await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    await driver.click(prompt, "Log another", user=alice)
    assert "Requests sent: 5" in await club_requests(driver, officer, guild)
    first, _ = await requests_to(bot, alice, "Dana Lee")

    prompt = await driver.run('/outreach remove prospect:"Dana Lee"', user=alice, guild=guild)
    done = await driver.click(prompt, "Remove", user=alice)
    assert "Removed your request to **Dana Lee**" in done.text
    assert "follow-ups come back" in done.text and stamp(DAY_3) in done.text
    assert await requests_to(bot, alice, "Dana Lee") == [first]
    assert "Requests sent: 4" in await club_requests(driver, officer, guild)
    dana = [r for r in await followups(bot, alice) if r.subject_id == first.id]
    assert due_times(dana) == [("followup-3", DAY_3), ("followup-7", DAY_7)]

    dms = await dms_at(bot, emu, clock, alice, DAY_3)
    assert sum("No reply yet from **Dana Lee**" in dm.text for dm in dms) == 1


async def test_remove_without_a_logged_request_says_how_to_log_one(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild, name="Dana Lee")
    reply = await driver.run('/outreach remove prospect:"Dana Lee"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "haven't logged a request to Dana Lee" in reply.text
    assert "`/outreach sent prospect:Dana Lee`" in reply.text
    assert reply.buttons == []


async def test_a_request_logged_in_dms_is_removed_without_touching_a_servers_counts(
    driver, bot, alice, officer, guild
):
    await add_prospect(driver, alice, guild, name="Dana Lee")
    await add_prospect(driver, alice, guild, name="Ada Lovelace")
    await driver.run('/outreach sent prospect:"Ada Lovelace"', user=alice, guild=guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=None)
    prompt = await driver.run('/outreach remove prospect:"Dana Lee"', user=alice, guild=None)
    done = await driver.click(prompt, "Remove", user=alice)
    assert "Removed your request to **Dana Lee**" in done.text
    assert "counts" not in done.text
    assert "Requests sent: 1" in await club_requests(driver, officer, guild)
