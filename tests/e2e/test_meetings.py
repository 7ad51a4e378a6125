"""Step 3 end to end: /meeting schedule, log, done, prep, list, cancel, calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from bot.reminders.timer import job_id


async def settle(bot) -> None:
    """Let the reminder engine deliver everything due now and finish what it started."""
    await bot.reminders.run_due()
    await bot.reminders.idle()


async def add_prospect(driver, user, guild, name="Ada Lovelace", extra=""):
    reply = await driver.run(f'/prospect add name:"{name}" {extra}', user=user, guild=guild)
    assert "Added" in reply.text, reply.text


async def meetings(bot, user, range_="all"):
    async with bot.stores.member(user.id) as store:
        return await store.list_meetings(range_)


async def owed_reminders(bot, user):
    async with bot.stores.member(user.id) as store:
        return await store.pending_reminders()


def reminder_jobs(bot, user):
    prefix = job_id(user.id, 0).removesuffix("0")
    return [
        job.id for job in bot.reminders.timers.scheduler.get_jobs() if job.id.startswith(prefix)
    ]


def bot_dms(emu, user):
    return emu.dms(user, interactions=False)


async def test_schedule_plans_a_prep_reminder_and_thank_you_nudges(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild, extra='role:"Analyst" organization:"Engines Ltd"')
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30" format:video '
        'place:"https://meet.example/ada"',
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    starts = datetime(2026, 12, 3, 7, 30, tzinfo=UTC)
    assert f"<t:{int(starts.timestamp())}:F>" in reply.text
    ((meeting, prospect),) = await meetings(bot, alice)
    assert prospect.name == "Ada Lovelace"
    assert (meeting.starts_at, meeting.minutes, meeting.format) == (starts, 30, "video")
    kinds = [(r.kind, r.due_at) for r in await owed_reminders(bot, alice)]
    ends = starts + timedelta(minutes=30)
    assert kinds == [
        ("prep", starts - timedelta(hours=24)),
        ("thanks", ends + timedelta(hours=2)),
        ("thanks", ends + timedelta(hours=20)),
        ("thanks", ends + timedelta(hours=48)),
    ]
    assert len(reminder_jobs(bot, alice)) == 4
    async with bot.stores.member(alice.id) as store:
        row = await store.fetchone("SELECT guild_id FROM meetings")
    assert row["guild_id"] == guild.id


async def test_prep_reminder_arrives_a_day_before(driver, bot, emu, clock, alice, guild):
    await add_prospect(driver, alice, guild, extra='role:"Analyst" organization:"Engines Ltd"')
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-11-30 10:00"',
        user=alice,
        guild=guild,
    )
    await settle(bot)
    assert bot_dms(emu, alice) == []
    clock.advance(hours=43)  # Sunday 10:00, a day before
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "Ada Lovelace" in dm.text
    assert "What attracted you to this type of work?" in dm.text
    assert "/meeting prep" in dm.text


async def test_a_meeting_sooner_than_a_day_gets_its_prep_at_once(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"in 3 hours"', user=alice, guild=guild
    )
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "Get ready: Ada Lovelace" in dm.text


async def test_schedule_in_the_past_is_refused(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"yesterday 9am"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "in the past" in reply.text
    assert "/meeting log" in reply.text
    assert await meetings(bot, alice) == []


async def test_log_in_the_future_points_to_schedule(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"in 2 hours"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "/meeting schedule" in reply.text
    assert await meetings(bot, alice) == []


@pytest.mark.parametrize("command", ["schedule", "log"])
async def test_an_unreadable_time_gets_an_example(driver, bot, alice, guild, command):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        f'/meeting {command} prospect:"Ada Lovelace" when:"whenever suits"',
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "tomorrow 8am" in reply.text
    assert await meetings(bot, alice) == []
    assert await owed_reminders(bot, alice) == []


async def test_referrals_become_prospects(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Alan Turing")
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago" '
        'takeaways:"Analytics teams value SQL" referrals:"Grace Hopper, Alan Turing, grace hopper"',
        user=alice,
        guild=guild,
    )
    assert "New prospects referred by Ada Lovelace: Grace Hopper" in reply.text
    assert "now linked to Ada Lovelace: Alan Turing" in reply.text
    async with bot.stores.member(alice.id) as store:
        grace = await store.find_prospect_by_name("Grace Hopper")
        alan = await store.find_prospect_by_name("Alan Turing")
        ada = await store.find_prospect_by_name("Ada Lovelace")
        ((meeting, _),) = await store.list_meetings("all")
        linked = await store.meeting_referrals(meeting.id)
        assert await store.count_prospects() == 3
    assert (grace.source, grace.referred_by) == ("referral", ada.id)
    assert alan.referred_by == ada.id
    assert sorted(p.name for p in linked) == ["Alan Turing", "Grace Hopper"]
    card = await driver.run('/prospect show prospect:"Ada Lovelace"', user=alice, guild=guild)
    assert "Grace Hopper" in card.text and "Alan Turing" in card.text
    card = await driver.run('/prospect show prospect:"Grace Hopper"', user=alice, guild=guild)
    assert "Referred by" in card.text and "Ada Lovelace" in card.text


async def test_done_records_takeaways_and_referrals(driver, bot, clock, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"in 2 hours"', user=alice, guild=guild
    )
    early = await driver.run('/meeting done meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "still ahead" in early.text
    clock.advance(hours=3)
    reply = await driver.run(
        '/meeting done meeting:"Ada Lovelace" takeaways:"Start with the data" '
        'referrals:"Grace Hopper"',
        user=alice,
        guild=guild,
    )
    assert "Marked your meeting with **Ada Lovelace** done" in reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.done
    assert meeting.takeaways == "Start with the data"
    async with bot.stores.member(alice.id) as store:
        assert (await store.find_prospect_by_name("Grace Hopper")).source == "referral"


async def test_prep_sheet_shows_who_questions_and_checklist(driver, alice, guild):
    await add_prospect(
        driver,
        alice,
        guild,
        extra='role:"Analyst" organization:"Engines Ltd" stage:established notes:"met at fair"',
    )
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30" format:phone',
        user=alice,
        guild=guild,
    )
    sheet = await driver.run('/meeting prep meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert sheet.ephemeral
    text = sheet.text
    for expected in (
        "Analyst · Engines Ltd",
        "established",
        "met at fair",
        "What trends are you seeing currently in your profession?",
        "confirm who calls whom",
        "<t:",
    ):
        assert expected in text, expected


async def test_meeting_option_autocompletes_own_meetings(driver, alice, bob, guild):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    for name in ("Ada Lovelace", "Grace Hopper"):
        await driver.run(
            f'/meeting schedule prospect:"{name}" when:"2026-12-03 07:30"', user=alice, guild=guild
        )
    choices = await driver.autocomplete("/meeting prep meeting:gra", user=alice, guild=guild)
    assert [c["name"] for c in choices] == ["Grace Hopper — Dec 3 07:30"]
    assert await driver.autocomplete("/meeting prep meeting:a", user=bob, guild=guild) == []


async def test_list_shows_upcoming_and_past(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 9am"', user=alice, guild=guild
    )
    await driver.run(
        '/meeting log prospect:"Grace Hopper" when:"yesterday 9am"', user=alice, guild=guild
    )
    upcoming = await driver.run("/meeting list", user=alice, guild=guild)
    assert upcoming.ephemeral
    assert "Ada Lovelace" in upcoming.text and "Grace Hopper" not in upcoming.text
    assert "<t:" in upcoming.text
    past = await driver.run("/meeting list range:past", user=alice, guild=guild)
    assert "Grace Hopper" in past.text and "Ada Lovelace" not in past.text


async def test_cancel_ends_its_reminders(driver, bot, emu, clock, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"', user=alice, guild=guild
    )
    assert len(reminder_jobs(bot, alice)) == 4
    reply = await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "Cancelled" in reply.text
    assert await owed_reminders(bot, alice) == []
    assert reminder_jobs(bot, alice) == []
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.cancelled
    clock.advance(days=10)
    await settle(bot)
    assert bot_dms(emu, alice) == []
    again = await driver.run(f"/meeting cancel meeting:{meeting.id}", user=alice, guild=guild)
    assert "already cancelled" in again.text


async def test_calendar_file_parses_with_stable_uids(driver, bot, alice, guild):
    empty = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert empty.ephemeral
    assert "no upcoming meetings" in empty.text
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    for name, when in (("Ada Lovelace", "2026-12-03 07:30"), ("Grace Hopper", "2026-12-04 12:00")):
        await driver.run(
            f'/meeting schedule prospect:"{name}" when:"{when}" place:"Room 1"',
            user=alice,
            guild=guild,
        )
    ids = sorted(m.id for m, _ in await meetings(bot, alice))
    expected = {f"meeting-{alice.id}-{i}@interview-bot" for i in ids}

    def uids(reply):
        ((filename, data),) = reply.files
        assert filename.endswith(".ics")
        cal = icalendar.Calendar.from_ical(data)
        return {str(event["UID"]) for event in cal.walk("VEVENT")}, cal

    first = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert first.ephemeral
    found, cal = uids(first)
    assert found == expected
    summaries = {str(event["SUMMARY"]) for event in cal.walk("VEVENT")}
    assert summaries == {
        "Informational interview: Ada Lovelace",
        "Informational interview: Grace Hopper",
    }
    again, _ = uids(await driver.run("/meeting calendar", user=alice, guild=guild))
    assert again == expected
    one, _ = uids(
        await driver.run('/meeting calendar meeting:"Grace Hopper"', user=alice, guild=guild)
    )
    assert one == {f"meeting-{alice.id}-{ids[1]}@interview-bot"}


async def test_another_member_cannot_use_alices_meeting_id(driver, bot, alice, bob, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"', user=alice, guild=guild
    )
    ((meeting, _),) = await meetings(bot, alice)
    refused = await driver.run(f"/meeting cancel meeting:{meeting.id}", user=bob, guild=guild)
    assert refused.ephemeral
    assert "can't find" in refused.text
    ((meeting, _),) = await meetings(bot, alice)
    assert not meeting.cancelled


async def test_meetings_work_in_dms_without_a_server(driver, bot, alice):
    await add_prospect(driver, alice, None)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm" takeaways:"x"', user=alice
    )
    assert "Logged" in reply.text
    async with bot.stores.member(alice.id) as store:
        row = await store.fetchone("SELECT guild_id FROM meetings")
    assert row["guild_id"] is None
