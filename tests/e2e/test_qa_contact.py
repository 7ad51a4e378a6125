"""QA of Step 2 (/outreach …) and /mydata as members use them: the 3B7 DMs, wording,
and what a member reads back.

The clock starts on Friday 2026-11-27 15:00 UTC; three business days later is Wednesday
2026-12-02 15:00 and seven is Tuesday 2026-12-08 15:00.
"""

from __future__ import annotations

from datetime import UTC, datetime

WEDNESDAY_3PM = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
NEXT_TUESDAY_3PM = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)


async def add_dana(driver, user, guild) -> None:
    await driver.run(
        '/prospect add name:"Dana Lee" role:"Data Analyst" organization:"Mercy Health"',
        user=user,
        guild=guild,
    )


async def test_a_meeting_set_up_without_logging_the_reply_stops_the_3b7_dms(
    driver, bot, clock, alice, guild
):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    # Dana said yes by email; the member goes straight to scheduling.
    scheduled = await driver.run(
        '/meeting schedule prospect:"Dana Lee" when:"2026-12-10 09:00"', user=alice, guild=guild
    )
    assert scheduled.ephemeral
    clock.set(WEDNESDAY_3PM)
    await bot.reminders.run_due()
    clock.set(NEXT_TUESDAY_3PM)
    await bot.reminders.run_due()
    dms = driver.emu.dms(alice, interactions=False)
    assert not any("No reply yet" in m.content for m in dms)
    assert not any("Follow up once" in m.content for m in dms)


async def test_the_3b7_dms_still_come_while_there_is_no_answer(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    clock.set(WEDNESDAY_3PM)
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "No reply yet from **Dana Lee**" in dm.content


async def test_a_one_word_draft_is_counted_as_one_word(driver, alice, guild):
    reply = await driver.run('/outreach check text:"Hello"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "1 word." in reply.text
    assert "1 words" not in reply.text


async def test_a_mass_mention_prospect_in_a_3b7_dm_never_pings(driver, bot, clock, alice, guild):
    await driver.run(
        '/prospect add name:"@everyone" organization:"@here Inc"', user=alice, guild=guild
    )
    await driver.run('/outreach sent prospect:"@everyone"', user=alice, guild=guild)
    clock.set(WEDNESDAY_3PM)
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert dm.allowed_mentions == {"parse": []}


async def test_export_counts_read_naturally(driver, alice, guild):
    await add_dana(driver, alice, guild)
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    assert reply.ephemeral
    assert "prospects: 1" in reply.text
    assert "1 prospects" not in reply.text
