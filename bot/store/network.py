"""A server's club network: its opt-in directory, requests for a conversation, blocks.

(Tables: bot/store/migrations/guild/0003_network.sql.)
"""

from __future__ import annotations

from typing import Any

from bot.store.outbox import OutboxMixin


class NetworkMixin(OutboxMixin):
    """Listings, requests and blocks in a server's store."""

    async def network_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """A member's listing and requests in this server, for /mydata export."""
        return {}

    async def forget_network_member(self, user_id: int) -> None:
        """Remove a member's listing, requests and blocks (they deleted their data)."""
