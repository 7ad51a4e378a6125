"""A server's practice pairings: who opted in, the schedule, rounds and pairs.

(Tables: bot/store/migrations/guild/0004_practice.sql.)
"""

from __future__ import annotations

from typing import Any

from bot.store.outbox import OutboxMixin


class PracticeMixin(OutboxMixin):
    """Practice pairings in a server's store."""

    async def practice_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """A member's practice sign-up and pairs in this server, for /mydata export."""
        return {}

    async def forget_practice_member(self, user_id: int) -> None:
        """Remove a member's sign-up and their place in pairs (they deleted their data)."""
