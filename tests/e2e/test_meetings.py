"""Step 3 end to end: /meeting schedule, log, done, prep, list and cancel; times read in the
member's own zone, ids that don't exist, duplicates, and member text shown literally.

The calendar file is in test_meeting_calendar.py; the prep sheet's questions in
test_prep_bank.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.reminders.timer import job_id
from tests.support.e2e import (
    TOO_BIG,
    add_prospect,
    bot_dms,
    calendar_events,
    meetings,
    owed_reminders,
    prep,
    schedule,
    settle,
    toggle_vote,
)


def reminder_jobs(bot, user):
    prefix = job_id(user.id, 0).removesuffix("0")
    return [
        job.id for job in bot.reminders.timers.scheduler.get_jobs() if job.id.startswith(prefix)
    ]


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


@pytest.mark.parametrize("typed", ['"Ada Lovelace"', "1"])
async def test_a_prep_sheet_reopened_reads_the_members_store_once(
    driver, bot, alice, guild, monkeypatch, typed
):
    """The option finds the meeting and reads the whole sheet in one visit to the
    member's store (the first sheet also copies the bank's proposal in, in a second)."""
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"', user=alice, guild=guild
    )
    first = await driver.run(f"/meeting prep meeting:{typed}", user=alice, guild=guild)
    visits: list[int] = []
    member = bot.stores.member

    def counted(user_id, *args, **kwargs):
        visits.append(user_id)
        return member(user_id, *args, **kwargs)

    monkeypatch.setattr(bot.stores, "member", counted)
    again = await driver.run(
        f"/meeting prep meeting:{typed}", user=alice, guild=guild, pick_suggestions=False
    )
    assert again.text == first.text
    assert visits.count(alice.id) == 1


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


# -- member-typed text is shown literally --------------------------------------------------------


STYLED_PLACE = "**Room** _5_ ~~x~~"


ESCAPED_PLACE = r"\*\*Room\*\* \_5\_ \~\~x\~\~"


async def test_a_styled_place_and_question_render_escaped(driver, bot, emu, alice, guild):
    styled = "What does *really* matter in __your__ work?"
    added = await driver.run(
        f'/questions add text:"{styled}" category:insights', user=alice, guild=guild
    )
    assert "Added" in added.text, added.text
    await toggle_vote(driver, guild, styled, alice)
    await add_prospect(driver, alice, guild, extra='role:"*Lead* analyst"')
    scheduled = await schedule(driver, alice, guild, extra=f'place:"{STYLED_PLACE}"')
    assert ESCAPED_PLACE in scheduled.text and STYLED_PLACE not in scheduled.text

    listed = await driver.run("/meeting list", user=alice, guild=guild)
    assert ESCAPED_PLACE in listed.text and STYLED_PLACE not in listed.text
    assert "**Ada Lovelace**" in listed.text  # the bot's own bold name is untouched

    sheet = await prep(driver, alice, guild)
    await driver.select(sheet, [styled], user=alice)
    assert ESCAPED_PLACE in sheet.text and STYLED_PLACE not in sheet.text
    assert r"\*Lead\* analyst" in sheet.text
    assert r"1. What does \*really\* matter in \_\_your\_\_ work?" in sheet.text
    assert "*(insights)*" in sheet.text  # the bot's category label keeps its italics

    # The calendar is plain text: no markdown escapes there.
    (event,) = calendar_events(
        await driver.run("/meeting calendar", user=alice, guild=guild)
    ).values()
    assert str(event["LOCATION"]) == STYLED_PLACE


async def test_the_schedule_reply_says_when_the_prep_dm_comes(driver, alice, guild):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    soon = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 9am"', user=alice, guild=guild
    )
    assert "A prep DM now, since it's less than a day away" in soon.text
    asked = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-10 09:00"', user=alice, guild=guild
    )
    later = await driver.click(asked, "Keep both", user=alice)  # a second meeting with Ada
    assert "(a day before)" in later.text


# -- times in the member's own zone --------------------------------------------------------


def stamp(dt: datetime) -> str:
    return f"<t:{int(dt.timestamp())}:F>"


async def set_zone(driver, user, guild, tz: str) -> None:
    reply = await driver.run(f"/settings timezone tz:{tz}", user=user, guild=guild)
    assert tz in reply.text, reply.text


@pytest.mark.parametrize(
    ("tz", "when", "expected"),
    [
        # 15:00 UTC is 04:00 on Saturday in Auckland: "8am" is four hours ahead, today.
        ("Pacific/Auckland", "8am", datetime(2026, 11, 27, 19, 0, tzinfo=UTC)),
        ("Pacific/Auckland", "noon", datetime(2026, 11, 27, 23, 0, tzinfo=UTC)),
        # 07:00 in Los Angeles: "8am" is in an hour.
        ("America/Los_Angeles", "8am", datetime(2026, 11, 27, 16, 0, tzinfo=UTC)),
        # 20:30 in Kolkata: "17:00" has gone, so it is tomorrow's.
        ("Asia/Kolkata", "at 17:00", datetime(2026, 11, 28, 11, 30, tzinfo=UTC)),
    ],
)
async def test_a_bare_clock_time_is_the_next_one_in_the_members_zone(
    driver, bot, alice, guild, tz, when, expected
):
    await set_zone(driver, alice, guild, tz)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        f'/meeting schedule prospect:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
    )
    assert stamp(expected) in reply.text, reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == expected


async def test_a_bare_clock_time_logged_is_the_last_one_gone(driver, bot, alice, guild):
    # 10:00 in New York: "8am" happened two hours ago, today (not yesterday).
    await set_zone(driver, alice, guild, "America/New_York")
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"8am"', user=alice, guild=guild
    )
    expected = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert stamp(expected) in reply.text, reply.text


async def test_an_impossible_iso_month_is_refused_not_swapped(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-13-01 10:00"',
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "2026-13-01" in reply.text and "2026-12-03 07:30" in reply.text
    assert await meetings(bot, alice) == []


async def test_an_hour_without_am_pm_gets_a_sensible_example(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"monday 9"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert '"monday 9am"' in reply.text
    assert "monday 9 9am" not in reply.text


# -- out-of-range ids ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"/meeting prep meeting:{TOO_BIG}",
        f"/meeting cancel meeting:{TOO_BIG}",
        f"/thanks sent meeting:{TOO_BIG}",
        f"/questions vote question:{TOO_BIG}",
    ],
)
async def test_an_out_of_range_id_is_not_found_not_a_crash(driver, alice, guild, line):
    reply = await driver.run(line, user=alice, guild=guild, validate=False)
    assert reply.ephemeral
    assert "can't find" in reply.text, reply.text
    assert "went wrong" not in reply.text


# -- duplicates ----------------------------------------------------------------------------


async def test_scheduling_the_same_meeting_twice_keeps_one(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    line = '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"'
    first = await driver.run(line, user=alice, guild=guild)
    assert "scheduled" in first.text
    owed = await owed_reminders(bot, alice)
    again = await driver.run(line, user=alice, guild=guild)
    assert again.ephemeral
    assert "already have a meeting" in again.text and "/meeting cancel" in again.text
    assert len(await meetings(bot, alice)) == 1
    assert len(await owed_reminders(bot, alice)) == len(owed)
    # Once cancelled, the same time can be planned again.
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "scheduled" in (await driver.run(line, user=alice, guild=guild)).text


async def test_logging_the_same_meeting_twice_keeps_one(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    line = '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm"'
    assert "Logged" in (await driver.run(line, user=alice, guild=guild)).text
    again = await driver.run(line, user=alice, guild=guild)
    assert again.ephemeral and "already recorded" in again.text, again.text
    assert len(await meetings(bot, alice)) == 1
