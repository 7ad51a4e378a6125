"""Discord's global rate limit, kept: a club's nudges due in one second go out without
a 429, none lost or doubled; a command is answered even while the bot's budget waits;
a request Discord keeps rate limiting is asked again, never failed (issue 12).

The emulator enforces the global limit as Discord does (429 past it). The burst runs
at 100 requests a second for the emulator and 80 for the bot (a bot Discord granted
more than 50), so 200 members' nudges take a few seconds rather than seven.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import timedelta

from bot.client import InterviewBot
from bot.emulator.harness import running_bot
from bot.emulator.ratelimits import INTERACTION_PREFIXES
from tests.support.club import seed_due_nudges
from tests.support.e2e import GUILD_READY_TIMEOUT, settle

MEMBERS = 200
EMULATOR_LIMIT = 100
BOT_BUDGET = 80


async def test_a_clubs_nudges_due_in_one_second_draw_no_429(emu, guild, settings, clock):
    emu.rate_limits.global_per_second = EMULATOR_LIMIT
    club = [emu.add_user(f"member{n}", guild=guild) for n in range(MEMBERS)]
    # Half the club had a DM from the bot before (its channel id is stored), half never.
    first_contact, dmed_before = club[: MEMBERS // 2], club[MEMBERS // 2 :]
    known = {user.id: emu.dm_channel(user).id for user in dmed_before}
    due = clock.now() + timedelta(minutes=1)
    await seed_due_nudges(settings.data_dir, clock, [u.id for u in club], due, known)

    bot = InterviewBot(
        dataclasses.replace(settings, rate_limit=BOT_BUDGET),
        clock=clock,
        guild_ready_timeout=GUILD_READY_TIMEOUT,
    )
    async with running_bot(bot, emu):
        assert bot.reminders.consistency is not None
        await bot.reminders.consistency
        before = len(emu.requests)
        clock.advance(minutes=1)
        await settle(bot)
        burst = emu.requests[before:]

    dms = Counter(user.name for user in club for _ in emu.dms(user, interactions=False))
    assert [user.name for user in club if dms[user.name] == 0] == [], "lost"
    assert [name for name, count in dms.items() if count > 1] == [], "duplicated"
    assert [f"{r.method} {r.path}" for r in burst if r.status == 429] == []
    # First contact: open the DM with the member's id alone, then send; later DMs: send.
    counted = Counter(
        (r.method, r.path.split("/")[1])
        for r in burst
        if not r.path.startswith(INTERACTION_PREFIXES)
    )
    assert counted == {
        ("POST", "users"): len(first_contact),
        ("POST", "channels"): MEMBERS,
    }
    assert emu.violations == []


async def test_a_command_is_answered_while_the_budget_waits(bot, driver, guild, alice):
    bot.budget.pause(60)  # as after a global 429 with a minute to wait
    reply = await driver.run("/help", user=alice, guild=guild)
    assert reply.ephemeral and reply.text


async def test_a_request_still_rate_limited_after_discord_pys_retries_is_asked_again(
    bot, emu, alice
):
    refused = []

    def seven_times(method: str, path: str) -> bool:
        if path == f"/users/{alice.id}" and len(refused) < 7:
            refused.append(path)
            return True
        return False

    emu.set_rate_limit(seven_times, retry_after=0.01)
    user = await bot.fetch_user(alice.id)  # discord.py alone gives up after 5 tries
    assert user.id == alice.id
    assert len(emu.rate_limited) == 7
    assert bot.budget.pauses == 7
