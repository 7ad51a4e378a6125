"""A server's practice pairings: who opted in, the schedule, rounds and pairs.

(Tables: bot/store/migrations/guild/0004_practice.sql.) A round is written in one
transaction with what it owes its members (an introduction now, a check-back near its
end, both posted to the outbox) and with the schedule's next round moved on, so a round
is made once, whatever stops the bot when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.models import ReminderKind
from bot.domain.practice import (
    PAIRS_MADE,
    PAIRS_MET,
    RECENT_ROUNDS,
    CheckBack,
    Group,
    PairMember,
    PracticeMember,
    PracticePair,
    PracticeSchedule,
)
from bot.store.base import dt, is_row_id, ts
from bot.store.counts import CountsMixin
from bot.store.outbox import OutboxMixin


def _member(row: aiosqlite.Row) -> PracticeMember:
    return PracticeMember(
        user_id=row["user_id"],
        display_name=row["display_name"],
        joined_at=dt(row["joined_at"]),
        paused_at=dt(row["paused_at"]),
        paused_until=dt(row["paused_until"]),
    )


class PracticeMixin(OutboxMixin, CountsMixin):
    """Practice pairings in a server's store."""

    # -- sign-ups ------------------------------------------------------------------
    async def practice_member(self, user_id: int) -> PracticeMember | None:
        """The member's sign-up in this server, or None."""
        row = await self.fetchone("SELECT * FROM practice_members WHERE user_id = ?", (user_id,))
        return None if row is None else _member(row)

    async def join_practice(self, user_id: int, display_name: str) -> PracticeMember | None:
        """Opt the member in, or back in from a pause (their name as the server shows it
        now); returns their sign-up as it was before (None: new)."""
        async with self.transaction():
            before = await self.practice_member(user_id)
            await self.execute(
                "INSERT INTO practice_members (user_id, display_name, joined_at) "
                "VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "display_name = excluded.display_name, paused_at = NULL, paused_until = NULL",
                (user_id, display_name, ts(self.now())),
            )
        return before

    async def leave_practice(self, user_id: int) -> bool:
        """Opt the member out; True if they were in. Pairs already made stay (their
        partners were introduced), and nothing else is posted."""
        async with self.transaction():
            changed = await self.count(
                "SELECT COUNT(*) FROM practice_members WHERE user_id = ?", (user_id,)
            )
            await self.execute("DELETE FROM practice_members WHERE user_id = ?", (user_id,))
        return bool(changed)

    async def pause_practice(self, user_id: int, until: datetime | None) -> bool:
        """Leave the member out of rounds until `until` (None: until they join again);
        False if they never opted in."""
        async with self.transaction():
            if await self.practice_member(user_id) is None:
                return False
            await self.execute(
                "UPDATE practice_members SET paused_at = ?, paused_until = ? WHERE user_id = ?",
                (ts(self.now()), ts(until), user_id),
            )
        return True

    async def practice_pool(self, now: datetime) -> list[PracticeMember]:
        """The members a round at `now` pairs: opted in, not paused (or paused until
        before `now`), in the order they joined."""
        rows = await self.fetchall("SELECT * FROM practice_members ORDER BY joined_at, user_id")
        return [member for member in map(_member, rows) if member.available(now)]

    # -- the schedule ----------------------------------------------------------------
    async def practice_schedule(self) -> PracticeSchedule | None:
        """The server's schedule (paused or not), or None if none was ever set."""
        row = await self.fetchone("SELECT * FROM practice_schedule WHERE id = 1")
        if row is None:
            return None
        return PracticeSchedule(
            every=row["every_weeks"],
            weekday=row["weekday"],
            hour=row["hour"],
            timezone=row["timezone"],
            next_round_at=dt(row["next_round_at"]),
        )

    async def set_practice_schedule(
        self, every: int, weekday: int, hour: int, timezone: str, next_round_at: datetime
    ) -> None:
        """Set (or replace) the schedule, with its first round at `next_round_at`."""
        async with self.transaction():
            await self.execute(
                "INSERT INTO practice_schedule (id, every_weeks, weekday, hour, timezone, "
                "next_round_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET every_weeks = excluded.every_weeks, "
                "weekday = excluded.weekday, hour = excluded.hour, "
                "timezone = excluded.timezone, next_round_at = excluded.next_round_at, "
                "updated_at = excluded.updated_at",
                (every, weekday, hour, timezone, ts(next_round_at), ts(self.now())),
            )

    async def move_next_round(self, next_round_at: datetime | None) -> bool:
        """Move the schedule's next round (None: pause it); False if there is no
        schedule. Joins the caller's transaction (the round that was just made)."""
        async with self.transaction():
            if await self.practice_schedule() is None:
                return False
            await self.execute(
                "UPDATE practice_schedule SET next_round_at = ?, updated_at = ? WHERE id = 1",
                (ts(next_round_at), ts(self.now())),
            )
        return True

    # -- rounds ----------------------------------------------------------------------
    async def recent_practice_groups(self, rounds: int = RECENT_ROUNDS) -> list[list[Group]]:
        """The groups of the last `rounds` rounds, newest round first (for pairing)."""
        rows = await self.fetchall(
            "SELECT p.round_id, p.id AS pair_id, m.user_id FROM practice_pair_members m "
            "JOIN practice_pairs p ON p.id = m.pair_id "
            "WHERE p.round_id IN (SELECT id FROM practice_rounds ORDER BY id DESC LIMIT ?) "
            "ORDER BY p.round_id DESC, p.id, m.user_id",
            (rounds,),
        )
        by_round: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for row in rows:
            by_round[row["round_id"]][row["pair_id"]].append(row["user_id"])
        return [[tuple(group) for group in pairs.values()] for pairs in by_round.values()]

    async def add_practice_round(
        self,
        groups: Sequence[Group],
        names: Mapping[int, str],
        *,
        checkback_at: datetime,
        scheduled: bool,
    ) -> list[int]:
        """A round made now of `groups`: its pairs, each member's introduction (due now)
        and check-back (at `checkback_at`) posted to the outbox, and the pairs counted
        for /club stats. Joins the caller's transaction; returns the pairs' ids."""
        now = self.now()
        pair_ids: list[int] = []
        async with self.transaction():
            round_id = await self.execute(
                "INSERT INTO practice_rounds (started_at, checkback_at, scheduled) "
                "VALUES (?, ?, ?)",
                (ts(now), ts(checkback_at), int(scheduled)),
            )
            for group in groups:
                pair_id = await self.execute(
                    "INSERT INTO practice_pairs (round_id) VALUES (?)", (round_id,)
                )
                pair_ids.append(pair_id)
                for user_id in group:
                    await self.execute(
                        "INSERT INTO practice_pair_members (pair_id, user_id, display_name) "
                        "VALUES (?, ?, ?)",
                        (pair_id, user_id, names[user_id]),
                    )
                    await self.post(
                        user_id,
                        ReminderKind.PRACTICE_INTRO,
                        pair_id,
                        due_at=now,
                        origin=f"practice:{pair_id}:intro:{user_id}",
                    )
                    await self.post(
                        user_id,
                        ReminderKind.PRACTICE_CHECKBACK,
                        pair_id,
                        due_at=checkback_at,
                        origin=f"practice:{pair_id}:checkback:{user_id}",
                    )
            await self._count(PAIRS_MADE, now, len(groups))
        return pair_ids

    async def practice_pair(self, pair_id: int) -> PracticePair | None:
        """One pair with its members and its round's times, or None."""
        if not is_row_id(pair_id):
            return None
        row = await self.fetchone(
            "SELECT p.*, r.started_at, r.checkback_at FROM practice_pairs p "
            "JOIN practice_rounds r ON r.id = p.round_id WHERE p.id = ?",
            (pair_id,),
        )
        if row is None:
            return None
        members = await self.fetchall(
            "SELECT * FROM practice_pair_members WHERE pair_id = ? ORDER BY rowid", (pair_id,)
        )
        return PracticePair(
            id=row["id"],
            round_id=row["round_id"],
            started_at=dt(row["started_at"]),
            checkback_at=dt(row["checkback_at"]),
            met_at=dt(row["met_at"]),
            members=tuple(
                PairMember(
                    user_id=m["user_id"],
                    display_name=m["display_name"],
                    answer=None if m["answer"] is None else CheckBack(m["answer"]),
                    dms_closed=bool(m["dms_closed"]),
                )
                for m in members
            ),
        )

    async def answer_checkback(
        self, pair_id: int, user_id: int, answer: CheckBack
    ) -> PracticePair | None:
        """Record a member's answer to their pair's check-back (a later answer replaces
        an earlier one); the first "met" of a pair counts it as met in /club stats, once.
        None if the member isn't in that pair (a forged button)."""
        async with self.transaction():
            pair = await self.practice_pair(pair_id)
            if pair is None or pair.member(user_id) is None:
                return None
            now = self.now()
            await self.execute(
                "UPDATE practice_pair_members SET answer = ?, answered_at = ? "
                "WHERE pair_id = ? AND user_id = ?",
                (answer, ts(now), pair_id, user_id),
            )
            if answer is CheckBack.MET and pair.met_at is None:
                await self.execute(
                    "UPDATE practice_pairs SET met_at = ? WHERE id = ?", (ts(now), pair_id)
                )
                await self._count(PAIRS_MET, now, 1)
            return await self.practice_pair(pair_id)

    async def note_intro_undelivered(self, pair_id: int, user_id: int) -> PracticePair | None:
        """The member's introduction can never reach them (DMs closed, account gone):
        noted in the pair, so their partners' notice names them. Returns the pair the
        first time (None when already noted, or no such pair member)."""
        async with self.transaction():
            pair = await self.practice_pair(pair_id)
            member = None if pair is None else pair.member(user_id)
            if pair is None or member is None or member.dms_closed:
                return None
            await self.execute(
                "UPDATE practice_pair_members SET dms_closed = 1 WHERE pair_id = ? AND user_id = ?",
                (pair_id, user_id),
            )
            return await self.practice_pair(pair_id)

    # -- a member's data -------------------------------------------------------------
    async def practice_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """A member's practice sign-up and pairs in this server, for /mydata export (the
        partners named as the server showed them, as the member's introduction did)."""
        signed = await self.fetchall(
            "SELECT display_name, joined_at, paused_at, paused_until FROM practice_members "
            "WHERE user_id = ?",
            (user_id,),
        )
        pairs = await self.fetchall(
            "SELECT p.id AS pair_id, r.started_at, r.checkback_at, m.answer, m.answered_at, "
            "(SELECT group_concat(o.display_name, ', ') FROM practice_pair_members o "
            " WHERE o.pair_id = p.id AND o.user_id != m.user_id) AS partners "
            "FROM practice_pair_members m JOIN practice_pairs p ON p.id = m.pair_id "
            "JOIN practice_rounds r ON r.id = p.round_id WHERE m.user_id = ? ORDER BY p.id",
            (user_id,),
        )
        return {
            "practice_signup": [dict(row) for row in signed],
            "practice_pairs": [dict(row) for row in pairs],
        }

    async def forget_practice_member(self, user_id: int) -> None:
        """Remove a member's sign-up and their place in pairs (they deleted their data).
        Their partners' pairs stay, without them."""
        async with self.transaction():
            await self.execute("DELETE FROM practice_members WHERE user_id = ?", (user_id,))
            await self.execute("DELETE FROM practice_pair_members WHERE user_id = ?", (user_id,))
