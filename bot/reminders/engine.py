"""The reminder engine (built out by the meetings issue)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.clock import Clock


class ReminderEngine:
    """Owns timing and delivery bookkeeping of the DMs the bot owes members."""

    def __init__(self, bot: Any, stores: Any, clock: Clock, data_dir: Path) -> None:
        self.bot = bot
        self.stores = stores
        self.clock = clock
        self.data_dir = data_dir

    async def start(self) -> None:
        """Rebuild timers from the stores."""

    async def stop(self) -> None:
        """Stop the timers."""

    async def forget(self, user_id: int, reminder_ids: list[int]) -> None:
        """Drop the timers of reminders whose rows are gone."""

    async def forget_member(self, user_id: int) -> None:
        """Drop every timer of a member whose store was deleted."""
