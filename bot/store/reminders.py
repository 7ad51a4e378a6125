"""Reminders in a member's store: the rows the reminder engine times and delivers.

A reminder moves through these states (the engine in bot/reminders owns the moves):

    pending ──claim──▶ sending ──▶ sent | dm_closed | dismissed | cancelled
       ▲                  │
       └──── release ─────┘   (a send that failed for a passing reason, or a crash)

Before each send the engine records it with `note_try` (when, and a fingerprint of what
goes out). Those records outlive release and reset, so a later resend knows when an
earlier send may have reached Discord and what it looked like, and looks for it in the
member's DM channel before sending again (Discord forgets a nonce after a few minutes).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import aiosqlite

from bot.domain.models import FINAL_STATES, REMINDER_KINDS, Reminder, ReminderKind, ReminderState
from bot.store.base import StoreBase, dt, ts

__all__ = ["FINAL_STATES", "OWED_STATES", "EarlierTries", "ReminderTimer", "RemindersMixin"]

# The states the bot still owes a DM in (what cancel_reminders can stop).
OWED_STATES = ("pending", "sending")


@dataclass(frozen=True, slots=True)
class EarlierTries:
    """The sends of a reminder that may have reached Discord before this one: when the
    first was handed to Discord, and the fingerprints of what they contained."""

    since: datetime
    prints: frozenset[str]


class ReminderTimer(Protocol):
    """What keeps time for reminder rows (the engine in bot/reminders implements it).

    A member's store calls it from its unit of work (bot/store/member.py); nothing
    else needs to: a cog that writes reminder rows has done all it must.
    """

    async def record(self, user_id: int, due: Mapping[int, datetime]) -> None:
        """Before COMMIT: note these pending rows' due times durably. Never raises."""

    async def settle(
        self, user_id: int, due: Mapping[int, datetime], ended: Collection[int]
    ) -> None:
        """After the transaction: time the pending rows in `due`, forget `ended`
        (rows no longer owed, or gone). Never raises."""

    def settle_later(self, user_id: int, reminder_ids: Collection[int]) -> None:
        """The rows couldn't be read back: re-read and settle them soon."""

    async def forget_member(self, user_id: int) -> None:
        """Drop every timer of a member whose store is being deleted."""


def reminder_from_row(row: aiosqlite.Row) -> Reminder:
    """A Reminder from a `reminders` row (its subject is the meeting or the outreach)."""
    return Reminder(
        id=row["id"],
        kind=ReminderKind(row["kind"]),
        # The digest is about the member's whole pipeline: no meeting, no request.
        subject_id=row["meeting_id"] or row["outreach_id"] or row["subject"] or 0,
        due_at=dt(row["due_at"]),
        state=ReminderState(row["state"]),
        attempts=row["attempts"],
        message_id=row["message_id"],
        late=bool(row["late"]),
        step=row["step"],
        server_id=row["server_id"],
    )


class RemindersMixin(StoreBase):
    """Reminder rows (the engine in bot/reminders owns their timing and delivery)."""

    # -- what cogs use -----------------------------------------------------------
    async def add_reminder(
        self,
        kind: str,
        *,
        due_at: datetime,
        meeting_id: int | None = None,
        outreach_id: int | None = None,
        step: int = 0,
    ) -> int:
        """Add a pending reminder about one meeting or one outreach; returns its id.

        Joins the caller's `async with store.transaction():` when there is one; the
        transaction hands the new row to the reminder timer itself once it commits.
        """
        if kind not in REMINDER_KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}; one of {REMINDER_KINDS}")
        if (meeting_id is None) == (outreach_id is None):
            raise ValueError("a reminder is about exactly one meeting or one outreach")
        now = ts(self.now())
        async with self.transaction():
            return await self.execute(
                "INSERT INTO reminders (kind, meeting_id, outreach_id, step, due_at, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, meeting_id, outreach_id, step, ts(due_at), now, now),
            )

    async def cancel_reminders(
        self,
        *,
        meeting_id: int | None = None,
        outreach_id: int | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> list[int]:
        """Stop the reminders still owed about a meeting or an outreach (optionally only
        some kinds); returns their ids (their timers stop with the transaction)."""
        if meeting_id is None and outreach_id is None:
            raise ValueError("say which meeting or outreach to cancel reminders for")
        kind_filter = ""
        params: list[object] = [ts(self.now()), meeting_id, meeting_id, outreach_id, outreach_id]
        if kinds is not None:
            if not kinds:
                return []
            kind_filter = f" AND kind IN ({', '.join('?' for _ in kinds)})"
            params.extend(kinds)
        async with self.transaction():
            rows = await self.fetchall(
                "UPDATE reminders SET state = 'cancelled', updated_at = ? "
                "WHERE state IN ('pending', 'sending') "
                "AND (? IS NULL OR meeting_id = ?) AND (? IS NULL OR outreach_id = ?)"
                f"{kind_filter} RETURNING id",
                params,
            )
        return sorted(row["id"] for row in rows)

    async def get_reminder(self, reminder_id: int) -> Reminder | None:
        """One reminder by id, or None."""
        row = await self.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return None if row is None else reminder_from_row(row)

    async def pending_reminders(self) -> list[Reminder]:
        """Reminders waiting to be sent, soonest first."""
        rows = await self.fetchall(
            "SELECT * FROM reminders WHERE state = 'pending' ORDER BY due_at, id"
        )
        return [reminder_from_row(row) for row in rows]

    async def pending_due(self, reminder_ids: Collection[int]) -> dict[int, datetime]:
        """Which of these rows are pending, with their due times."""
        due, _ = await self.reminder_outcomes(reminder_ids)
        return due

    async def reminder_outcomes(
        self, reminder_ids: Collection[int]
    ) -> tuple[dict[int, datetime], set[int]]:
        """For the reminder timer: of these rows, the pending ones with their due times,
        and the ended ones (final, or gone). A row being sent is in neither: its timer
        and index entry stay until the send's outcome is recorded."""
        ids = sorted(reminder_ids)
        found: dict[int, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self.fetchall(
                f"SELECT id, state, due_at FROM reminders WHERE id IN ({marks})",
                chunk,
                quick=True,
            )
            found.update({row["id"]: (row["state"], row["due_at"]) for row in rows})
        due = {rid: dt(at) for rid, (state, at) in found.items() if state == "pending"}
        ended = {rid for rid in ids if rid not in found or found[rid][0] in FINAL_STATES}
        return due, ended

    async def undelivered_reminders(self) -> list[Reminder]:
        """Reminders that couldn't be sent because the member's DMs are closed (/progress)."""
        return await self.run(read_undelivered, quick=True)

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

    # -- what the engine uses ----------------------------------------------------
    async def claim_reminder(self, reminder_id: int, *, late: bool = False) -> Reminder | None:
        """Take a pending reminder for sending (pending → sending, one more attempt),
        committed before the DM goes out; None if it wasn't pending (already claimed,
        sent or cancelled), so a second claim never sends twice. `late` is remembered."""
        async with self.transaction():
            row = await self.fetchone(
                "UPDATE reminders SET state = 'sending', attempts = attempts + 1, "
                "late = MAX(late, ?), updated_at = ? WHERE id = ? AND state = 'pending' "
                "RETURNING *",
                (int(late), ts(self.now()), reminder_id),
            )
        return None if row is None else reminder_from_row(row)

    async def release_reminder(
        self, reminder_id: int, *, due_at: datetime, error: str | None = None
    ) -> bool:
        """Put a claimed reminder back to pending, due again at `due_at` (a passing
        failure: Discord down, a timeout). True if it was being sent."""
        async with self.transaction():
            row = await self.fetchone(
                "UPDATE reminders SET state = 'pending', due_at = ?, last_error = ?, "
                "updated_at = ? WHERE id = ? AND state = 'sending' RETURNING id",
                (ts(due_at), error, ts(self.now()), reminder_id),
            )
        return row is not None

    async def postpone_reminder(
        self,
        reminder_id: int,
        *,
        due_at: datetime,
        late: bool = False,
        held_from: datetime | None = None,
    ) -> bool:
        """Move a pending reminder to `due_at` (e.g. past quiet hours). `held_from`: the
        time it was due before quiet hours held it (kept from the first hold), so a
        change of quiet hours can re-time it. True if pending."""
        async with self.transaction():
            row = await self.fetchone(
                "UPDATE reminders SET due_at = ?, late = MAX(late, ?), "
                "held_from = COALESCE(held_from, ?), updated_at = ? "
                "WHERE id = ? AND state = 'pending' RETURNING id",
                (ts(due_at), int(late), ts(held_from), ts(self.now()), reminder_id),
            )
        return row is not None

    async def release_held_reminders(self) -> list[int]:
        """Reminders held by quiet hours fall due again when they were first due, so the
        engine decides afresh with the member's new quiet hours (or DMs back on); returns
        their ids. The transaction hands them to the engine, which sends what is due."""
        async with self.transaction():
            rows = await self.fetchall(
                "UPDATE reminders SET due_at = held_from, held_from = NULL, updated_at = ? "
                "WHERE state = 'pending' AND held_from IS NOT NULL RETURNING id",
                (ts(self.now()),),
            )
        return sorted(row["id"] for row in rows)

    async def finish_reminder(
        self,
        reminder_id: int,
        state: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> bool:
        """End a reminder that is still owed (sent, dm_closed, dismissed or cancelled).
        False if it had already ended, e.g. the member cancelled it meanwhile."""
        if state not in FINAL_STATES:
            raise ValueError(f"{state!r} is not a final reminder state")
        async with self.transaction():
            row = await self.fetchone(
                "UPDATE reminders SET state = ?, message_id = COALESCE(?, message_id), "
                "last_error = ?, updated_at = ? "
                "WHERE id = ? AND state IN ('pending', 'sending') RETURNING id",
                (state, message_id, error, ts(self.now()), reminder_id),
            )
        return row is not None

    async def note_try(self, reminder_id: int, fingerprint: str) -> EarlierTries | None:
        """Record, just before a claimed reminder's DM is handed to Discord, that it was
        tried and what it contains (`fingerprint`); committed before the send.

        Returns the earlier tries (from before this one) that may have reached Discord,
        or None when this is the first: what the engine looks for before sending again.
        """
        async with self.transaction():
            row = await self.fetchone(
                "SELECT tried_at, tried_prints FROM reminders WHERE id = ? AND state = 'sending'",
                (reminder_id,),
            )
            if row is None:
                return None
            earlier = frozenset((row["tried_prints"] or "").split())
            await self.execute(
                "UPDATE reminders SET tried_at = COALESCE(tried_at, ?), tried_prints = ? "
                "WHERE id = ?",
                (ts(self.now()), " ".join(sorted(earlier | {fingerprint})), reminder_id),
            )
        if row["tried_at"] is None:
            return None
        return EarlierTries(since=dt(row["tried_at"]), prints=earlier)

    async def reset_interrupted_reminders(self, *, keep: Iterable[int] = ()) -> list[int]:
        """Rows left in 'sending' by a crash go back to pending so they're sent again
        (their tries are kept: the engine first looks for a DM that did arrive, and sends
        with the same nonce). `keep`: ids being sent right now by this process. Returns
        the ids reset."""
        keep = set(keep)
        async with self.transaction():
            rows = await self.fetchall("SELECT id FROM reminders WHERE state = 'sending'")
            reset = sorted(row["id"] for row in rows if row["id"] not in keep)
            for reminder_id in reset:
                await self.execute(
                    "UPDATE reminders SET state = 'pending', updated_at = ? WHERE id = ?",
                    (ts(self.now()), reminder_id),
                )
        return reset


def read_undelivered(raw: sqlite3.Connection) -> list[Reminder]:
    """RemindersMixin.undelivered_reminders's read (also part of MemberStore.dashboard)."""
    rows = raw.execute("SELECT * FROM reminders WHERE state = 'dm_closed' ORDER BY due_at, id")
    return [reminder_from_row(row) for row in rows]
