"""A server's shared store: the question bank and anonymous club counters."""

from __future__ import annotations

from bot.store.base import StoreBase


class GuildStore(StoreBase):
    """The server's question bank and monthly counts (filled in by the groups issue)."""

    @property
    def guild_id(self) -> int:
        """The Discord server this store belongs to."""
        return self.key
