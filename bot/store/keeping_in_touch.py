"""After the thank-you, and once a week: the check-in, referrer and digest reminder rows.

Each method is a unit of work on the member's store (joining the caller's transaction
when there is one), so the rows it writes reach the reminder engine by themselves.
When each row falls due is decided in bot/domain (keeping_in_touch, digest).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.digest import Win, next_digest
from bot.domain.keeping_in_touch import checkin_due, referrer_due
from bot.domain.models import KEEP_IN_TOUCH_KINDS, ReminderKind, Settings
from bot.store.base import dt, is_row_id, ts
from bot.store.reminders import RemindersMixin

__all__ = ["KeepingInTouchMixin"]

# A snoozed check-in or referrer nudge (Remind me later) is step 1; the first is step 0.
SNOOZED_STEP = 1


def _zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class KeepingInTouchMixin(RemindersMixin):
    """The reminders that keep a relationship going, and the weekly digest's row."""

    # -- check-in and referrer nudges --------------------------------------------------
    async def plan_keeping_in_touch(
        self, meeting_id: int, *, checkin_weeks: int
    ) -> dict[ReminderKind, datetime]:
        """After the thank-you for this meeting was marked sent: the check-in nudge
        (`checkin_weeks` after it; none when 0), and, when the person was referred by a
        prospect still on the list, one nudge to tell the referrer how it went (once per
        person, however many meetings with them are thanked). Returns each new nudge's
        kind and due time."""
        async with self.transaction():
            row = await self.fetchone(
                "SELECT m.thanked_at, p.id AS prospect_id, p.referred_by FROM meetings m "
                "JOIN prospects p ON p.id = m.prospect_id WHERE m.id = ?",
                (meeting_id,),
            )
            if row is None or row["thanked_at"] is None:
                return {}
            thanked_at = dt(row["thanked_at"])
            planned: dict[ReminderKind, datetime] = {}
            due = checkin_due(thanked_at, checkin_weeks)
            if due is not None:
                planned[ReminderKind.CHECKIN] = due
            if row["referred_by"] is not None and not await self._referrer_nudged(
                row["prospect_id"]
            ):
                planned[ReminderKind.REFERRER] = referrer_due(thanked_at)
            for kind, due_at in planned.items():
                await self.add_reminder(kind, due_at=due_at, meeting_id=meeting_id)
        return planned

    async def _referrer_nudged(self, prospect_id: int) -> bool:
        """Whether a referrer nudge was ever planned for a meeting with this person."""
        row = await self.fetchone(
            "SELECT 1 FROM reminders r JOIN meetings m ON m.id = r.meeting_id "
            "WHERE r.kind = ? AND m.prospect_id = ? LIMIT 1",
            (ReminderKind.REFERRER, prospect_id),
        )
        return row is not None

    async def retime_checkins(self, checkin_weeks: int) -> None:
        """The member changed how long after a thank-you the check-in comes: the
        check-ins still owed (not ones they put off themselves) move to the new time, or
        are cancelled when check-ins are turned off (0). One that the new setting puts in
        the past comes now."""
        async with self.transaction():
            if not checkin_weeks:
                await self.execute(
                    "UPDATE reminders SET state = 'cancelled', updated_at = ? "
                    "WHERE kind = ? AND state = 'pending'",
                    (ts(self.now()), ReminderKind.CHECKIN),
                )
                return
            rows = await self.fetchall(
                "SELECT r.id, m.thanked_at FROM reminders r JOIN meetings m ON m.id = r.meeting_id "
                "WHERE r.kind = ? AND r.state = 'pending' AND r.step = 0 "
                "AND m.thanked_at IS NOT NULL",
                (ReminderKind.CHECKIN,),
            )
            for row in rows:
                due = checkin_due(dt(row["thanked_at"]), checkin_weeks)
                assert due is not None  # checkin_weeks > 0
                await self.execute(
                    "UPDATE reminders SET due_at = ?, updated_at = ? WHERE id = ?",
                    (ts(max(due, self.now())), ts(self.now()), row["id"]),
                )

    async def end_keeping_in_touch(self, kind: str, meeting_id: int) -> bool:
        """The member said it's done (or not needed): any later nudge of this kind for
        this meeting is cancelled. False when the meeting isn't theirs."""
        if kind not in KEEP_IN_TOUCH_KINDS or not await self._meeting_exists(meeting_id):
            return False
        await self.cancel_reminders(meeting_id=meeting_id, kinds=(kind,))
        return True

    async def snooze_keeping_in_touch(self, kind: str, meeting_id: int, due_at: datetime) -> bool:
        """Remind me later: one nudge of this kind for this meeting at `due_at`, in
        place of any still owed. False when the meeting isn't theirs."""
        if kind not in KEEP_IN_TOUCH_KINDS or not await self._meeting_exists(meeting_id):
            return False
        async with self.transaction():
            await self.cancel_reminders(meeting_id=meeting_id, kinds=(kind,))
            await self.add_reminder(kind, due_at=due_at, meeting_id=meeting_id, step=SNOOZED_STEP)
        return True

    async def _meeting_exists(self, meeting_id: int) -> bool:
        if not is_row_id(meeting_id):
            return False
        return await self.fetchone("SELECT 1 FROM meetings WHERE id = ?", (meeting_id,)) is not None

    # -- the weekly digest --------------------------------------------------------------
    async def schedule_digest(self, settings: Settings) -> datetime | None:
        """Settings changed (the digest's day and hour, the time zone, DMs back on): the
        digest still owed is replaced by one at the next time the settings say; none
        when the digest is off. Returns when the next one is due."""
        async with self.transaction():
            await self.execute(
                "UPDATE reminders SET state = 'cancelled', updated_at = ? "
                "WHERE kind = ? AND state = 'pending'",
                (ts(self.now()), ReminderKind.DIGEST),
            )
            if settings.digest is None:
                return None
            due = next_digest(settings.digest, _zone(settings), self.now())
            await self._add_digest(due)
        return due

    async def ensure_next_digest(self, settings: Settings) -> datetime | None:
        """The digest going out now schedules next week's, unless one is already owed
        (so a digest rendered twice, after a failed send, schedules one). Returns when
        the next one is due; None when the digest is off."""
        if settings.digest is None:
            return None
        async with self.transaction():
            row = await self.fetchone(
                "SELECT due_at FROM reminders WHERE kind = ? AND state = 'pending' "
                "ORDER BY due_at LIMIT 1",
                (ReminderKind.DIGEST,),
            )
            if row is not None:
                return dt(row["due_at"])
            due = next_digest(settings.digest, _zone(settings), self.now())
            await self._add_digest(due)
        return due

    async def _add_digest(self, due_at: datetime) -> int:
        # The one kind about no meeting and no request (see migration 0004), so not
        # through add_reminder, which asks for one of them.
        now = ts(self.now())
        return await self.execute(
            "INSERT INTO reminders (kind, due_at, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (ReminderKind.DIGEST, ts(due_at), now, now),
        )

    async def wins_since(self, since: datetime) -> tuple[list[Win], list[Win]]:
        """The meetings held (not cancelled, started by now) and the thank-yous sent
        since `since`, as (met, thanked), oldest first: the digest's wins."""
        params = {"since": ts(since), "now": ts(self.now())}
        met = await self.fetchall(
            "SELECT p.name, m.starts_at FROM meetings m JOIN prospects p ON p.id = m.prospect_id "
            "WHERE m.cancelled_at IS NULL AND m.starts_at > :since AND m.starts_at <= :now "
            "ORDER BY m.starts_at, m.id",
            params,
        )
        thanked = await self.fetchall(
            "SELECT p.name, m.thanked_at FROM meetings m JOIN prospects p ON p.id = m.prospect_id "
            "WHERE m.thanked_at > :since AND m.thanked_at <= :now ORDER BY m.thanked_at, m.id",
            params,
        )
        return (
            [Win(row["name"], dt(row["starts_at"])) for row in met],
            [Win(row["name"], dt(row["thanked_at"])) for row in thanked],
        )
