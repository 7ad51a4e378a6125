"""Reminders in a member's store."""

from __future__ import annotations

from bot.store.base import StoreBase


class RemindersMixin(StoreBase):
    """Reminder rows (the engine in bot/reminders owns their timing and delivery)."""

    async def reminder_ids_for_prospect(self, prospect_id: int) -> list[int]:
        """Every reminder about this prospect's outreach or meetings."""
        rows = await self.fetchall(
            """
            SELECT r.id FROM reminders r
            LEFT JOIN meetings m ON m.id = r.meeting_id
            LEFT JOIN outreach o ON o.id = r.outreach_id
            WHERE m.prospect_id = :p OR o.prospect_id = :p
            """,
            {"p": prospect_id},
        )
        return [row["id"] for row in rows]
