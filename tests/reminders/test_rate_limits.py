"""Rate limiting is a wait, never a failed attempt: a reminder Discord asked the bot to
hold back goes out as soon as Discord allows, on the same claim and nonce, and is not
moved by a backoff (issue 12). A DM opened with a deleted account's id ends the nudge."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import MagicMock

import discord
import pytest

from bot.reminders.delivery import nonce_for
from tests.support.reminders import ALICE, add_meeting_reminder, http_error


def too_many_requests(retry_after: float) -> discord.HTTPException:
    """A 429 that discord.py gave up on, as it raises it."""
    response = MagicMock(status=429, reason="Too Many Requests")
    response.headers = {"Retry-After": str(retry_after), "Via": "1.1 google"}
    return discord.HTTPException(response, {"message": "You are being rate limited."})


@pytest.mark.parametrize(
    "limited",
    [discord.RateLimited(0.01), too_many_requests(0.01)],
    ids=["rate-limited", "429"],
)
async def test_a_rate_limited_dm_is_sent_again_at_once_on_the_same_attempt(
    engine, stores, clock, fake_discord, limited
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.failures.append(limited)
    await engine.start()
    await engine.deliver(ALICE, rid)

    async with stores.member(ALICE) as store:
        row = await store.get_reminder(rid)
    assert row.state == "sent"
    assert row.attempts == 1, "a rate limit is not a failed attempt"
    assert row.due_at == clock.now(), "not moved by a backoff"
    assert [a["nonce"] for a in fake_discord.attempts] == [nonce_for(ALICE, rid)] * 2
    assert len(fake_discord.sent) == 1


async def test_a_dm_to_a_deleted_account_ends_the_nudge(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.failures.append(
        http_error(discord.HTTPException, 400, 50033, "Invalid Recipient(s)")
    )
    await engine.start()
    await engine.deliver(ALICE, rid)
    async with stores.member(ALICE) as store:
        row = await store.get_reminder(rid)
    assert row.state == "cancelled", "never tried again"
    assert len(fake_discord.attempts) == 1
