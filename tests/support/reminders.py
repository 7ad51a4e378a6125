"""What the reminder engine's tests share: the members, the start time, a reminder row,
and Discord's errors as discord.py raises them.

The fake Discord and the engine fixtures are in `tests/reminders/conftest.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest.mock import MagicMock

import discord

from bot.clock import FakeClock
from bot.store import Stores

START = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday 15:00 UTC, outside quiet hours
ALICE = 1001
BOB = 1002


def http_error(cls: type[discord.HTTPException], status: int, code: int, text: str) -> Exception:
    """A discord.py HTTP error as the library raises it for a REST answer."""
    response = MagicMock(status=status, reason=text)
    return cls(response, {"code": code, "message": text})


async def add_meeting_reminder(
    stores: Stores,
    user_id: int,
    *,
    due_in: timedelta,
    kind: str = "thanks",
    clock: FakeClock,
) -> int:
    """A meeting with one reminder row, committed (not armed)."""
    async with stores.member(user_id) as store:
        prospect = await store.add_prospect("Ada Lovelace", organization="Analytical Engines")
        async with store.transaction():
            meeting = await store.add_meeting(prospect.id, clock.now() - timedelta(hours=1))
            return await store.add_reminder(
                kind, due_at=clock.now() + due_in, meeting_id=meeting.id
            )
