"""/progress end to end: the member's funnel, career-stage mix and next actions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

WEDNESDAY_3PM = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # Friday's request + 3 business days


async def progress(driver, user, guild) -> dict:
    reply = await driver.run("/progress", user=user, guild=guild)
    assert reply.ephemeral
    (embed,) = reply.embeds
    return embed


def field(embed: dict, name: str) -> str:
    return next(f["value"] for f in embed.get("fields", []) if f["name"] == name)


async def add_meeting(bot, user, name: str, starts: datetime, clock) -> None:
    """A meeting row as Step 3's cog writes it (that cog is tested on its own)."""
    async with bot.stores.member(user.id) as store:
        prospect = await store.find_prospect_by_name(name)
        await store.execute(
            "INSERT INTO meetings (prospect_id, starts_at, minutes, created_at) "
            "VALUES (?, ?, 30, ?)",
            (prospect.id, starts.isoformat(), clock.now().isoformat()),
        )


async def test_progress_with_nothing_yet_says_where_to_start(driver, alice, guild):
    embed = await progress(driver, alice, guild)
    assert "/prospect add" in embed["description"]
    assert "/prospect import" in embed["description"]


async def test_progress_shows_funnel_stage_mix_and_next_actions_in_order(
    driver, bot, clock, alice, guild
):
    for line in (
        '/prospect add name:"Ada Lovelace" stage:established organization:"Analytical Engines"',
        '/prospect add name:"Dana Lee" stage:emerging organization:"Mercy Health"',
        '/prospect add name:"Grace Kim" stage:emerging',
        '/prospect add name:"Tom Nguyen"',
    ):
        await driver.run(line, user=alice, guild=guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    await driver.run('/outreach sent prospect:"Ada Lovelace"', user=alice, guild=guild)
    await driver.run(
        '/outreach reply prospect:"Ada Lovelace" outcome:accepted', user=alice, guild=guild
    )
    await add_meeting(bot, alice, "Ada Lovelace", WEDNESDAY_3PM - timedelta(days=1), clock)
    clock.set(WEDNESDAY_3PM)

    embed = await progress(driver, alice, guild)
    assert embed["description"] == (
        "**4** prospects → **2** contacted → **1** replied → **1** met → **0** thanked"
    )
    stages = field(embed, "Career stages")
    assert "emerging 2 · mid-career 0 · established 1 · not set 1" in stages
    assert "No **mid-career** professionals yet" in stages
    actions = field(embed, "Next actions").splitlines()
    assert "Thank **Ada Lovelace**" in actions[0]
    assert "Contact a second person at **Mercy Health**" in actions[1]
    assert "no reply from **Dana Lee**" in actions[1]
    assert "Ask **Grace Kim**" in actions[2]
    assert "Ask **Tom Nguyen**" in actions[3]
    assert len(actions) == 4


async def test_thanked_and_skipped_meetings_leave_the_next_actions(
    driver, bot, clock, alice, guild
):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    await driver.run('/outreach sent prospect:"Ada Lovelace"', user=alice, guild=guild)
    await add_meeting(bot, alice, "Ada Lovelace", clock.now() + timedelta(hours=1), clock)
    clock.advance(hours=3)
    assert "Thank **Ada Lovelace**" in field(await progress(driver, alice, guild), "Next actions")
    async with bot.stores.member(alice.id) as store:
        await store.execute("UPDATE meetings SET thanked_at = ?", (clock.now().isoformat(),))
    embed = await progress(driver, alice, guild)
    assert field(embed, "Next actions") == "Nothing due. Nice work."
    assert embed["description"].endswith("**1** thanked")


async def test_progress_lists_reminders_that_could_not_be_delivered(
    driver, bot, emu, clock, alice, guild
):
    await driver.run(
        '/prospect add name:"Dana Lee" organization:"Mercy Health"', user=alice, guild=guild
    )
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    emu.close_dms(alice)
    clock.set(WEDNESDAY_3PM)
    await bot.reminders.run_due()

    async def undelivered():
        async with bot.stores.member(alice.id) as store:
            return await store.undelivered_reminders()

    # The clock jump's own delivery may still be recording the failure: give it a moment.
    for _ in range(200):
        if await undelivered():
            break
        await asyncio.sleep(0.02)
    embed = await progress(driver, alice, guild)
    missed = field(embed, "Reminders I couldn't deliver")
    assert "3-day follow-up (second contact) for **Dana Lee**" in missed
    assert "DMs with me are closed" in missed


async def test_progress_is_only_the_members_own(driver, alice, bob, guild):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    embed = await progress(driver, bob, guild)
    assert "Nothing yet" in embed["description"]


async def test_progress_works_in_dms(driver, alice):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=None)
    reply = await driver.run("/progress", user=alice, guild=None)
    assert "**1** prospects" in reply.text
