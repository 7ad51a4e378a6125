"""When a meeting's reminders fall due: the prep DM before it, the thank-you nudges after.

Pure functions over aware datetimes. The engine in bot/reminders delivers them (and moves
them out of quiet hours); this module only says when each one is owed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "PREP_BEFORE",
    "SNOOZE",
    "THANKS_FOLLOW_UPS",
    "THANKS_SNOOZED_STEP",
    "PlannedNudge",
    "prep_due",
    "snooze_due",
    "thanks_plan",
]

PREP_BEFORE = timedelta(hours=24)
# After the first nudge (settings.thanks_after_hours after the end): again at 20 h, a
# last one at 48 h, then stop — the method asks for thanks within 24 hours.
THANKS_FOLLOW_UPS = (timedelta(hours=20), timedelta(hours=48))
SNOOZE = timedelta(hours=24)
# The step of a nudge the member asked for with "Remind me tomorrow".
THANKS_SNOOZED_STEP = len(THANKS_FOLLOW_UPS) + 1


@dataclass(frozen=True, slots=True)
class PlannedNudge:
    """One thank-you nudge: its step (0 = first, 2 = last; see THANKS_SNOOZED_STEP) and
    when it is due."""

    step: int
    due_at: datetime

    @property
    def last(self) -> bool:
        """Whether no other planned nudge follows this one."""
        return self.step >= len(THANKS_FOLLOW_UPS)


def _aware(value: datetime, what: str) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")


def prep_due(starts_at: datetime, now: datetime) -> datetime | None:
    """When the prep DM is due: 24 h before the meeting, at once if that has passed,
    None if the meeting has already started (too late to prepare)."""
    _aware(starts_at, "starts_at")
    _aware(now, "now")
    if starts_at <= now:
        return None
    return max(starts_at - PREP_BEFORE, now)


def thanks_plan(ends_at: datetime, now: datetime, *, after_hours: float = 2) -> list[PlannedNudge]:
    """The thank-you nudges for a meeting that ends (or ended) at `ends_at`.

    The first is `after_hours` after the end, then one at 20 h and a last at 48 h
    (a follow-up not later than the first is dropped, e.g. with after_hours=24). Nudges
    already in the past when the meeting is recorded collapse into one sent at once, so
    logging a meeting that ended 3 hours ago nudges now, not three times now.
    """
    _aware(ends_at, "ends_at")
    _aware(now, "now")
    if after_hours <= 0:
        raise ValueError("after_hours must be positive")
    first = ends_at + timedelta(hours=after_hours)
    planned = [PlannedNudge(0, first)]
    for step, offset in enumerate(THANKS_FOLLOW_UPS, start=1):
        due = ends_at + offset
        if due > first:
            planned.append(PlannedNudge(step, due))
    past = [nudge for nudge in planned if nudge.due_at <= now]
    future = [nudge for nudge in planned if nudge.due_at > now]
    if past:
        # The latest overdue one stands for all of them: its step says how late it is.
        return [PlannedNudge(past[-1].step, now), *future]
    return future


def snooze_due(now: datetime) -> datetime:
    """When a snoozed ("Remind me tomorrow") nudge comes back."""
    _aware(now, "now")
    return now + SNOOZE
