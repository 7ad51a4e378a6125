"""Fixtures for the reminder engine: real SQLite stores, a FakeClock, a fake Discord.

The fake Discord is spec'd against discord.py's own classes (create_autospec), so the
engine can't use an attribute or method the real objects don't have. Like Discord, it
remembers a nonce only for NONCE_WINDOW (by the FakeClock), and lets the bot read a DM
channel back (`channel.history`), without nonces.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from typing import Any
from unittest.mock import MagicMock, create_autospec

import discord
import pytest
from discord.ext import commands

from bot.clock import FakeClock
from bot.reminders import Outgoing, ReminderEngine
from bot.store import Stores
from tests.support.reminders import START, http_error

BOT_USER = 4242
# How long the fake Discord drops a repeated nonce ("a few minutes" on Discord).
NONCE_WINDOW = timedelta(minutes=5)


@dataclass
class Sent:
    """One message the fake Discord accepted (from the bot unless `author` says otherwise)."""

    channel_id: int
    message_id: int
    kwargs: dict[str, Any]
    at: datetime = START
    author: int = BOT_USER

    def read_back(self) -> discord.Message:
        """The message as `channel.history` yields it (no nonce, as on Discord)."""
        message = create_autospec(discord.Message, instance=True)
        message.id = self.message_id
        message.author = MagicMock(id=self.author)
        message.created_at = self.at
        message.content = self.kwargs.get("content") or ""
        message.embeds = [self.kwargs["embed"]] if self.kwargs.get("embed") else []
        view = self.kwargs.get("view")
        message.components = (
            [discord.ActionRow(row) for row in view.to_components()] if view else []
        )
        return message


@dataclass
class FakeDiscord:
    """The REST side of Discord the engine uses: users, DM channels, sending with nonces."""

    clock: FakeClock | None = None
    nonce_window: timedelta = NONCE_WINDOW
    sent: list[Sent] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    # Sends Discord accepts whose answer is then lost (the bot sees a timeout).
    answers_lost: int = 0
    # Reading a channel's messages: each read's arguments, and failures to raise first.
    history_reads: list[dict[str, Any]] = field(default_factory=list)
    history_failures: list[Exception] = field(default_factory=list)
    closed: set[int] = field(default_factory=set)
    dm_channels_opened: int = 0
    # While `stall` is an unset Event, each send hangs until it is set: before Discord
    # takes the message, or after (the answer lost on its way) with `stall_after_accepting`.
    stall: asyncio.Event | None = None
    stall_after_accepting: bool = False
    stalled: int = 0
    _ids: count = field(default_factory=lambda: count(5000))
    _nonces: dict[str, Sent] = field(default_factory=dict)
    # Everything in each channel, oldest first: the bot's DMs and the member's messages.
    _channels: dict[int, list[Sent]] = field(default_factory=dict)
    _dm_of: dict[int, int] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.bot = create_autospec(commands.Bot, instance=True, spec_set=True)
        self.bot.user = MagicMock(id=BOT_USER)
        self.bot.get_partial_messageable.side_effect = self._partial_messageable
        self.bot.create_dm.side_effect = self._create_dm

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

        async def history(
            *,
            limit: int | None = 100,
            before: Any = None,
            after: Any = None,
            around: Any = None,
            oldest_first: bool | None = None,
        ):
            self.history_reads.append(
                {"channel_id": channel_id, "limit": limit, "after": after, "before": before}
            )
            if self.history_failures:
                raise self.history_failures.pop(0)
            assert before is None and around is None, "the engine reads forward from a time"
            assert isinstance(after, datetime)
            found = [m for m in self._channels.get(channel_id, []) if m.at > after]
            if oldest_first is False:
                found.reverse()
            for message in found[:limit]:
                yield message.read_back()

        channel.send.side_effect = send
        channel.history.side_effect = history
        return channel

    async def _create_dm(self, user: discord.abc.Snowflake) -> discord.DMChannel:
        """Open (or return) the DM channel with a user, known by id alone."""
        self.dm_channels_opened += 1
        dm = create_autospec(discord.DMChannel, instance=True)
        dm.id = self._dm_of.setdefault(user.id, next(self._ids))
        return dm

    def _send(self, channel_id: int, kwargs: dict[str, Any]) -> discord.Message:
        self.attempts.append(kwargs)
        user_id = next((u for u, c in self._dm_of.items() if c == channel_id), None)
        if self.failures:
            raise self.failures.pop(0)
        if user_id in self.closed:
            raise http_error(discord.Forbidden, 403, 50007, "Cannot send messages to this user")
        now = self._now()
        earlier = self._nonces.get(kwargs.get("nonce"))
        if earlier is not None and now - earlier.at > self.nonce_window:
            earlier = None  # Discord forgets a nonce after a few minutes
        if earlier is None:  # like Discord: a repeated nonce returns the earlier message
            earlier = Sent(channel_id, next(self._ids), kwargs, at=now)
            self.sent.append(earlier)
            self._channels.setdefault(channel_id, []).append(earlier)
            if kwargs.get("nonce") is not None:
                self._nonces[kwargs["nonce"]] = earlier
        self._changed.set()
        if self.answers_lost:
            self.answers_lost -= 1
            raise TimeoutError("the answer was lost on its way")
        message = create_autospec(discord.Message, instance=True)
        message.id = earlier.message_id
        return message

    def _now(self) -> datetime:
        return self.clock.now() if self.clock is not None else START

    def member_writes(self, user_id: int, content: str, *, at: datetime | None = None) -> None:
        """The member writes in their DM channel with the bot (which must exist)."""
        channel_id = self._dm_of[user_id]
        message = Sent(channel_id, next(self._ids), {"content": content}, at=at or self._now())
        message.author = user_id
        channel = self._channels.setdefault(channel_id, [])
        channel.append(message)
        channel.sort(key=lambda m: m.at)

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
def fake_discord(clock) -> FakeDiscord:
    return FakeDiscord(clock=clock)


@pytest.fixture
def rendered() -> list[tuple[int, int, bool]]:
    """(user_id, reminder_id, late) of every render call."""
    return []


@pytest.fixture
async def make_engine(fake_discord, stores, clock, tmp_path, rendered):
    """Engines over the same data folder (a second one is the bot after a restart)."""
    engines: list[ReminderEngine] = []

    def make(on: Stores | None = None) -> ReminderEngine:
        """An engine over `stores`, or over `on` (a restarted bot's own stores)."""
        engine = ReminderEngine(fake_discord.bot, on or stores, clock, tmp_path)

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
