"""The reminder engine: APScheduler timing, claims, nonces and delivery states."""

from bot.reminders.consistency import ConsistencyReport
from bot.reminders.delivery import Outgoing, Renderer
from bot.reminders.engine import ReminderEngine

__all__ = ["ConsistencyReport", "Outgoing", "ReminderEngine", "Renderer"]
