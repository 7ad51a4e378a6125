"""The reminder engine: APScheduler timing, claims, nonces and delivery states."""

from bot.reminders.engine import ConsistencyReport, Outgoing, ReminderEngine, Renderer

__all__ = ["ConsistencyReport", "Outgoing", "ReminderEngine", "Renderer"]
