"""Per-member and per-server SQLite stores: the only place SQL lives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store.guild import GuildStore
from bot.store.member import MemberStore
from bot.store.pool import PoolClosedError, StoreMissingError, StorePool
from bot.store.reminders import ReminderTimer

__all__ = [
    "GuildStore",
    "MemberStore",
    "PoolClosedError",
    "ReminderTimer",
    "StoreMissingError",
    "StorePool",
    "Stores",
]


class Stores:
    """The bot's entry point to storage: `async with stores.member(user_id) as m:`.

    `timer` (the reminder engine, once started) is handed every reminder row a member's
    unit of work creates, moves or ends; see MemberStore.
    """

    def __init__(self, pool: StorePool, timer: ReminderTimer | None = None) -> None:
        self.pool = pool
        self.timer = timer
        # Members with a one-line notice waiting (closed DMs, a store set aside), so a
        # command opens a member's store for notices only when there is one to show.
        # Filled as notices are added; the reminder engine's consistency pass adds those
        # from before a restart.
        self.notices_waiting: set[int] = set()

    @asynccontextmanager
    async def member(self, user_id: int, *, create: bool = True) -> AsyncIterator[MemberStore]:
        """One member's store, held exclusively for the block. With `create=False` (the
        reminder engine's background work) a member without a store raises
        StoreMissingError instead of getting an empty one."""
        async with self.pool.connection("users", user_id, create=create) as conn:
            store = MemberStore(
                conn,
                user_id,
                self.pool.clock,
                timer=self.timer,
                touched=self.pool.touched_reminders(user_id),
                on_notice=self.notices_waiting.add,
            )
            try:
                yield store
            finally:
                await store.settle_leftovers()

    @asynccontextmanager
    async def guild(self, guild_id: int) -> AsyncIterator[GuildStore]:
        """One server's shared store, held exclusively for the block."""
        async with self.pool.connection("guilds", guild_id) as conn:
            yield GuildStore(conn, guild_id, self.pool.clock)

    def moved_aside(self, user_id: int) -> Path | None:
        """Where a member's unreadable store was set aside, if it was and they weren't
        told yet (see StorePool.take_moved_aside)."""
        return self.pool.take_moved_aside("users", user_id)

    async def delete_member(self, user_id: int) -> bool:
        """Remove everything kept about a member: their timers, their marks in every
        server's store (votes, authorship), then their own store. True if they had one.

        The member's own store goes last, so a delete cut short can simply be run again.
        """
        if self.timer is not None:
            await self.timer.forget_member(user_id)
        for guild_id in await asyncio.to_thread(self.pool.ids, "guilds"):
            async with self.guild(guild_id) as guild_store:
                await guild_store.forget_member(user_id)
        self.notices_waiting.discard(user_id)
        return await self.pool.delete("users", user_id)

    async def close(self) -> None:
        """Close every connection."""
        await self.pool.close()
