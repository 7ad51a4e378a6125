"""QA: Steps 3 and 4 as members use them — times in their own zones, which meeting an
option means, forged ids, duplicates, and the prep select after a restart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.client import InterviewBot
from bot.emulator.harness import running_bot
from tests.e2e.test_meetings import add_prospect, meetings, owed_reminders, settle
from tests.e2e.test_thanks import first_nudge

TOO_BIG = "99999999999999999999999"  # past SQLite's INTEGER range


def stamp(dt: datetime) -> str:
    return f"<t:{int(dt.timestamp())}:F>"


async def set_zone(driver, user, guild, tz: str) -> None:
    reply = await driver.run(f"/settings timezone tz:{tz}", user=user, guild=guild)
    assert tz in reply.text, reply.text


# -- times in the member's own zone ------------------------------------------------------


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


# -- which meeting an option means ---------------------------------------------------------


async def test_thanks_offers_the_meeting_that_happened_before_an_upcoming_one(
    driver, bot, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"', user=alice, guild=guild
    )
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm" takeaways:"SQL matters"',
        user=alice,
        guild=guild,
    )
    held = next(m for m, _ in await meetings(bot, alice) if m.done)
    choices = await driver.autocomplete("/thanks draft meeting:Ada", user=alice, guild=guild)
    assert choices[0]["value"] == str(held.id)
    draft = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "SQL matters" in draft.text, draft.text
    sent = await driver.run('/thanks sent meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "as sent" in sent.text, sent.text
    done = await driver.autocomplete("/meeting done meeting:Ada", user=alice, guild=guild)
    assert done[0]["value"] == str(held.id)
    # Preparing and cancelling are about the meeting ahead.
    prep = await driver.autocomplete("/meeting prep meeting:Ada", user=alice, guild=guild)
    assert prep[0]["value"] != str(held.id)


# -- forged and out-of-range ids -------------------------------------------------------------


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


async def test_a_forged_nudge_button_with_an_out_of_range_id_is_refused(
    driver, bot, emu, alice, bob, guild
):
    custom_id = f"thanks:skip:{TOO_BIG}"
    forged = emu.inject_message(
        emu.dm_channel(bob).id,
        components=[
            {
                "type": 1,
                "components": [{"type": 2, "style": 1, "label": "Skip", "custom_id": custom_id}],
            }
        ],
    )
    reply = await driver.click(forged, "Skip", user=bob)
    assert reply.ephemeral
    assert "can't find" in reply.text, reply.text


async def test_a_nudge_for_a_cancelled_meeting_says_what_to_do(driver, bot, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.click(dm, "Sent it", user=alice)
    assert reply.ephemeral
    assert "cancelled" in reply.text and "/meeting log" in reply.text, reply.text
    assert (await meetings(bot, alice))[0][0].thanked_at is None


# -- duplicates ---------------------------------------------------------------------------------


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


# -- the calendar file ------------------------------------------------------------------------


async def test_the_calendar_reply_counts_meetings_in_good_english(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    for when in ("2026-12-03 07:30", "2026-12-04 07:30"):
        await driver.run(
            f'/meeting schedule prospect:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
        )
    reply = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert "Here are 2 meetings" in reply.text, reply.text


# -- the prep select after a restart ----------------------------------------------------------


async def test_the_prep_select_works_after_a_restart(
    driver, bot, emu, settings, clock, alice, bob, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"',
        user=alice,
        guild=guild,
    )
    sheet = await driver.run('/meeting prep meeting:"Ada Lovelace"', user=alice, guild=guild)
    options = sheet.selects[0]["options"]
    chosen = [options[3]["label"], options[5]["label"]]
    await bot.close()
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=0.05)
    async with running_bot(restarted, emu):
        picked = await driver.select(sheet, chosen, user=alice)
        assert picked.callback_type == 7, picked.text
        async with restarted.stores.member(alice.id) as store:
            ((meeting, _),) = await store.list_meetings("all")
            stored = [text for text, _ in await store.meeting_questions(meeting.id)]
        assert stored[:2] == chosen
        await settle(restarted)


def select_row(custom_id: str, values: list[str]) -> list[dict]:
    options = [{"label": f"Question {v}", "value": v} for v in values]
    menu = {"type": 3, "custom_id": custom_id, "options": options, "max_values": len(options)}
    return [{"type": 1, "components": [menu]}]


async def test_a_forged_prep_select_cannot_touch_another_members_meeting(
    driver, bot, emu, alice, bob, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"',
        user=alice,
        guild=guild,
    )
    ((meeting, _),) = await meetings(bot, alice)
    async with bot.stores.member(alice.id) as store:
        before = await store.meeting_questions(meeting.id)
    for owner in (alice.id, bob.id):
        forged = emu.inject_message(
            emu.dm_channel(bob).id,
            components=select_row(f"prep:questions:{meeting.id}:{owner}:d", ["0", "1"]),
        )
        reply = await driver.select(forged, ["0"], user=bob)
        assert reply.ephemeral
        assert "someone else" in reply.text or "isn't among yours" in reply.text, reply.text
    async with bot.stores.member(alice.id) as store:
        assert await store.meeting_questions(meeting.id) == before
