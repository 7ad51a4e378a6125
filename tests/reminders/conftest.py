"""Fixtures for the reminder engine: real SQLite stores, a FakeClock, a fake Discord.

The fake Discord is spec'd against discord.py's own classes (create_autospec), so the
engine can't use an attribute or method the real objects don't have.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from unittest.mock import MagicMock, create_autospec

import discord
import pytest
from discord.ext import commands

from bot.clock import FakeClock
from bot.reminders import Outgoing, ReminderEngine
from bot.store import Stores
from bot.store.pool import StorePool

START = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # Friday 15:00 UTC, outside quiet hours
ALICE = 1001
BOB = 1002


def http_error(cls: type[discord.HTTPException], status: int, code: int, text: str) -> Exception:
    """A discord.py HTTP error as the library raises it for a REST answer."""
    response = MagicMock(status=status, reason=text)
    return cls(response, {"code": code, "message": text})


@dataclass
class Sent:
    """One DM the fake Discord accepted."""

    channel_id: int
    message_id: int
    kwargs: dict[str, Any]


@dataclass
class FakeDiscord:
    """The REST side of Discord the engine uses: users, DM channels, sending with nonces."""

    sent: list[Sent] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    dm_channels_opened: int = 0
    # While `stall` is an unset Event, each send hangs until it is set: before Discord
    # takes the message, or after (the answer lost on its way) with `stall_after_accepting`.
    stall: asyncio.Event | None = None
    stall_after_accepting: bool = False
    stalled: int = 0
    _ids: count = field(default_factory=lambda: count(5000))
    _nonces: dict[str, Sent] = field(default_factory=dict)
    _dm_of: dict[int, int] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.bot = create_autospec(commands.Bot, instance=True, spec_set=True)
        self.bot.get_partial_messageable.side_effect = self._partial_messageable
        self.bot.fetch_user.side_effect = self._fetch_user

    def _partial_messageable(
        self, channel_id: int, *, guild_id: int | None = None, type: Any = None
    ) -> discord.PartialMessageable:
        assert type is discord.ChannelType.private
        channel = create_autospec(discord.PartialMessageable, instance=True)
        channel.id = channel_id

        async def send(**kwargs: Any) -> discord.Message:
            if self.stall is None:
                return self._send(channel_id, kwargs)
            message = self._send(channel_id, kwargs) if self.stall_after_accepting else None
            self.stalled += 1
            self._changed.set()
            await self.stall.wait()
            return message or self._send(channel_id, kwargs)

        channel.send.side_effect = send
        return channel

    async def _fetch_user(self, user_id: int) -> discord.User:
        user = create_autospec(discord.User, instance=True)
        user.id = user_id

        async def create_dm() -> discord.DMChannel:
            self.dm_channels_opened += 1
            dm = create_autospec(discord.DMChannel, instance=True)
            dm.id = self._dm_of.setdefault(user_id, next(self._ids))
            return dm

        user.create_dm.side_effect = create_dm
        return user

    def _send(self, channel_id: int, kwargs: dict[str, Any]) -> discord.Message:
        self.attempts.append(kwargs)
        user_id = next((u for u, c in self._dm_of.items() if c == channel_id), None)
        if self.failures:
            raise self.failures.pop(0)
        if user_id in self.closed:
            raise http_error(discord.Forbidden, 403, 50007, "Cannot send messages to this user")
        earlier = self._nonces.get(kwargs.get("nonce"))
        if earlier is None:  # like Discord: a repeated nonce returns the earlier message
            earlier = Sent(channel_id, next(self._ids), kwargs)
            self.sent.append(earlier)
            if kwargs.get("nonce") is not None:
                self._nonces[kwargs["nonce"]] = earlier
        self._changed.set()
        message = create_autospec(discord.Message, instance=True)
        message.id = earlier.message_id
        return message

    def dms_to(self, user_id: int) -> list[Sent]:
        """What reached one user."""
        channel_id = self._dm_of.get(user_id)
        return [s for s in self.sent if s.channel_id == channel_id]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5) -> None:
        """Wait until `predicate()` holds (woken by each send), or fail the test."""
        async with asyncio.timeout(timeout):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def stores(tmp_path, clock):
    stores = Stores(StorePool(tmp_path, clock, max_open=8))
    yield stores
    await stores.close()


@pytest.fixture
def fake_discord() -> FakeDiscord:
    return FakeDiscord()


@pytest.fixture
def rendered() -> list[tuple[int, int, bool]]:
    """(user_id, reminder_id, late) of every render call."""
    return []


@pytest.fixture
async def make_engine(fake_discord, stores, clock, tmp_path, rendered):
    """Engines over the same data folder (a second one is the bot after a restart)."""
    engines: list[ReminderEngine] = []

    def make() -> ReminderEngine:
        engine = ReminderEngine(fake_discord.bot, stores, clock, tmp_path)

        async def render(store, reminder) -> Outgoing | None:
            rendered.append((store.user_id, reminder.id, reminder.late))
            meeting = await store.get_meeting(reminder.subject_id)
            if meeting is None or meeting.thanked_at is not None:
                return None
            late = "\n-# late" if reminder.late else ""
            return Outgoing(content=f"{reminder.kind} #{reminder.id}{late}")

        for kind in ("prep", "thanks", "followup-3", "followup-7"):
            engine.register(kind, render)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.stop()


@pytest.fixture
def engine(make_engine) -> ReminderEngine:
    return make_engine()


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
