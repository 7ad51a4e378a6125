"""Per-member and per-server SQLite stores: the only place SQL lives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.store.guild import GuildStore
from bot.store.member import MemberStore
from bot.store.pool import StorePool

__all__ = ["GuildStore", "MemberStore", "StorePool", "Stores"]


class Stores:
    """The bot's entry point to storage: `async with stores.member(user_id) as m:`."""

    def __init__(self, pool: StorePool) -> None:
        self.pool = pool

    @asynccontextmanager
    async def member(self, user_id: int) -> AsyncIterator[MemberStore]:
        """One member's store, held exclusively for the block."""
        async with self.pool.connection("users", user_id) as conn:
            yield MemberStore(conn, user_id, self.pool.clock)

    @asynccontextmanager
    async def guild(self, guild_id: int) -> AsyncIterator[GuildStore]:
        """One server's shared store, held exclusively for the block."""
        async with self.pool.connection("guilds", guild_id) as conn:
            yield GuildStore(conn, guild_id, self.pool.clock)

    async def delete_member(self, user_id: int) -> bool:
        """Remove a member's whole store from disk."""
        return await self.pool.delete("users", user_id)

    async def close(self) -> None:
        """Close every connection."""
        await self.pool.close()
