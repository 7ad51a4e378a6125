"""A server's shared store: the question bank and anonymous club counters.

The bank is seeded from the default questions (data/questions.toml) the first time
anything reads or writes it, once per server, recorded in `meta`. The counters
never hold a member's id: active members are kept as salted hashes, per month.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import aiosqlite

from bot.domain.models import CATEGORIES, BankRow, BankSort, QuestionText, Vote
from bot.domain.questions import find_near_duplicate, load_default_questions, normalize
from bot.store.base import checkpoint, dt, is_row_id, ts
from bot.store.counts import ADD_TO_COUNT_SQL, month_of
from bot.store.network import NetworkMixin
from bot.store.practice import PracticeMixin

SEEDED_KEY = "bank_seeded_at"
SALT_KEY = "member_salt"
ACTIVE_MEMBERS = "active_members"


class ActivityChange(NamedTuple):
    """Events a member did in a server (`amount` > 0), or events taken back (< 0)."""

    metric: str
    at: datetime
    amount: int
    user_id: int = 0


# Every read of the bank carries the question's vote count.
_QUESTION_SQL = """
SELECT q.*, (SELECT COUNT(*) FROM votes v WHERE v.question_id = q.id) AS votes
FROM questions q
"""
_ORDER: dict[str, str] = {
    BankSort.TOP: "votes DESC, q.starter DESC, q.id ASC",
    BankSort.NEW: "q.created_at DESC, q.id DESC",
}


@dataclass(frozen=True, slots=True)
class BankQuestion:
    """One question of a server's shared bank, with its votes."""

    id: int
    text: str
    category: str
    author_id: int | None  # None for the seeded default questions
    starter: bool
    created_at: datetime
    votes: int


def _question(row: aiosqlite.Row) -> BankQuestion:
    return BankQuestion(
        id=row["id"],
        text=row["text"],
        category=row["category"],
        author_id=row["author_id"],
        starter=bool(row["starter"]),
        created_at=dt(row["created_at"]),
        votes=row["votes"],
    )


def _member_hash(salt: str, month: str, user_id: int) -> str:
    # The month is part of the hash, so one member's months can't be linked together.
    return hashlib.sha256(f"{salt}:{month}:{int(user_id)}".encode()).hexdigest()


class GuildStore(NetworkMixin, PracticeMixin):
    """The server's question bank, monthly counts, club network and practice pairings
    (with the outbox that carries what they owe members to their stores)."""

    @property
    def guild_id(self) -> int:
        """The Discord server this store belongs to."""
        return self.key

    # -- seeding -----------------------------------------------------------------
    async def ensure_seeded(self) -> bool:
        """Fill the bank with the default questions, once ever; True if it happened now."""
        if await self._meta(SEEDED_KEY) is not None:
            return False
        seed = load_default_questions()
        now = ts(self.now())
        async with self.transaction():
            if await self._meta(SEEDED_KEY) is not None:
                return False
            await self.executemany(
                "INSERT INTO questions (text, category, author_id, starter, created_at) "
                "VALUES (?, ?, NULL, ?, ?)",
                [(q.text, q.category, int(q.starter), now) for q in seed],
            )
            await self._set_meta(SEEDED_KEY, now)
        return True

    # -- reading the bank ----------------------------------------------------------
    async def list_questions(
        self, *, category: str | None = None, sort: str = BankSort.TOP
    ) -> list[BankQuestion]:
        """The bank (or one category of it): most votes first, or newest first."""
        if sort not in _ORDER:
            raise ValueError(f"sort must be one of {tuple(_ORDER)}")
        rows = await self._seeded_rows(
            f"{_QUESTION_SQL} WHERE (:category IS NULL OR q.category = :category) "
            f"ORDER BY {_ORDER[sort]}",
            {"category": category},
        )
        return [_question(row) for row in rows]

    async def get_question(self, question_id: int) -> BankQuestion | None:
        """One question of this server's bank by id, or None."""
        if not is_row_id(question_id):
            return None
        rows = await self._seeded_rows(f"{_QUESTION_SQL} WHERE q.id = ?", (question_id,))
        return _question(rows[0]) if rows else None

    async def _seeded_rows(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
        """A query's rows from the bank, seeded first if it never was: one trip once it
        has been (the check travels with the query)."""

        def read(raw: sqlite3.Connection) -> list[sqlite3.Row] | None:
            if raw.execute("SELECT 1 FROM meta WHERE key = ?", (SEEDED_KEY,)).fetchone() is None:
                return None
            return raw.execute(sql, params).fetchall()

        rows = await self.run(read, quick=True)
        if rows is None:
            await self.ensure_seeded()
            rows = await self.fetchall(sql, params)
        return rows

    async def questions_by_ids(self, ids: Sequence[int]) -> list[BankQuestion]:
        """The questions with these ids, in the order given; unknown ids are left out."""
        if not ids:
            await self.ensure_seeded()
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self._seeded_rows(f"{_QUESTION_SQL} WHERE q.id IN ({marks})", list(ids))
        found = {row["id"]: _question(row) for row in rows}
        return [found[i] for i in ids if i in found]

    async def find_question_by_text(self, text: str) -> BankQuestion | None:
        """The question worded exactly like `text`, ignoring case, spacing and punctuation."""
        wanted = normalize(text)
        for question in await self.list_questions(sort="new"):
            if normalize(question.text) == wanted:
                return question
        return None

    async def search_questions(self, text: str, limit: int = 25) -> list[BankQuestion]:
        """Autocomplete: best match first — starts with, contains, has every word — then
        by votes; an empty search gives the top-voted."""
        questions = await self.list_questions(sort="top")
        wanted = normalize(text)
        if not wanted:
            return questions[:limit]
        words = wanted.split()
        ranked: list[tuple[int, int, BankQuestion]] = []
        for position, question in enumerate(questions):
            have = normalize(question.text)
            if have.startswith(wanted):
                rank = 0
            elif wanted in have:
                rank = 1
            elif all(word in have for word in words):
                rank = 2
            else:
                continue
            ranked.append((rank, position, question))
        ranked.sort(key=lambda entry: entry[:2])
        return [question for _, _, question in ranked[:limit]]

    async def random_questions(
        self, count: int, *, category: str | None = None
    ) -> list[BankQuestion]:
        """Up to `count` different questions picked at random."""
        questions = await self.list_questions(category=category)
        return random.sample(questions, min(count, len(questions)))

    async def top_questions(self) -> list[BankRow]:
        """Every question with its votes, most votes first — the rows
        `bot.domain.prep.default_prep_questions` picks a prep sheet's questions from
        (every prep sheet reads them: remembered until the store changes)."""

        async def read() -> tuple[BankRow, ...]:
            questions = await self.list_questions()
            return tuple(BankRow(q.id, q.text, q.category, q.votes) for q in questions)

        return list(await self.remembered("top_questions", read))

    async def question_texts(self, ids: Iterable[int]) -> list[QuestionText]:
        """The chosen questions, in the order given; ids not in this server's bank are
        left out (for copying into a member's prep sheet)."""
        found = await self.questions_by_ids(list(ids))
        return [QuestionText(q.id, q.text, q.category) for q in found]

    # -- changing the bank -----------------------------------------------------------
    async def add_question(
        self, text: str, category: str, author_id: int
    ) -> tuple[BankQuestion, bool]:
        """Add a question unless the bank has a near-duplicate of it.

        Returns (the new question, True), or (the existing near-duplicate, False).
        `text` must already be valid (`bot.domain.questions.validate_question`).
        """
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {CATEGORIES}")
        await self.ensure_seeded()
        async with self.transaction():
            rows = await self.fetchall("SELECT id, text FROM questions")
            duplicate = find_near_duplicate(text, [(row["id"], row["text"]) for row in rows])
            added = duplicate is None
            if duplicate is not None:
                question_id = duplicate
            else:
                question_id = await self.execute(
                    "INSERT INTO questions (text, category, author_id, starter, created_at) "
                    "VALUES (?, ?, ?, 0, ?)",
                    (text, category, author_id, ts(self.now())),
                )
        question = await self.get_question(question_id)
        assert question is not None
        return question, added

    async def toggle_vote(self, question_id: int, user_id: int) -> Vote | None:
        """The member's vote on a question switched on or off, and the question's votes
        after it; None if there is no such question."""
        await self.ensure_seeded()
        async with self.transaction():
            if await self.fetchone("SELECT 1 FROM questions WHERE id = ?", (question_id,)) is None:
                return None
            voted = not await self.changes(
                "DELETE FROM votes WHERE question_id = ? AND user_id = ?", (question_id, user_id)
            )
            if voted:
                await self.execute(
                    "INSERT INTO votes (question_id, user_id, created_at) VALUES (?, ?, ?)",
                    (question_id, user_id, ts(self.now())),
                )
            votes = await self.count(
                "SELECT COUNT(*) FROM votes WHERE question_id = ?", (question_id,)
            )
        return Vote(voted, votes)

    async def has_voted(self, question_id: int, user_id: int) -> bool:
        """Whether the member has a vote on this question."""
        row = await self.fetchone(
            "SELECT 1 FROM votes WHERE question_id = ? AND user_id = ?", (question_id, user_id)
        )
        return row is not None

    async def remove_question(self, question_id: int) -> bool:
        """Remove a question and its votes; True if it was there."""
        await self.ensure_seeded()
        async with self.transaction():
            return bool(await self.changes("DELETE FROM questions WHERE id = ?", (question_id,)))

    async def member_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """The questions a member added to this bank and their votes, their listing,
        requests and practice pairs, for /mydata export (what `forget_member` removes)."""
        added = await self.fetchall(
            "SELECT id AS question_id, text, category, created_at FROM questions "
            "WHERE author_id = ? ORDER BY id",
            (user_id,),
        )
        voted = await self.fetchall(
            "SELECT v.question_id, q.text, v.created_at FROM votes v "
            "JOIN questions q ON q.id = v.question_id WHERE v.user_id = ? ORDER BY v.rowid",
            (user_id,),
        )
        return {
            "questions_added": [dict(row) for row in added],
            "question_votes": [dict(row) for row in voted],
            **await self.network_marks(user_id),
            **await self.practice_marks(user_id),
        }

    async def forget_member(self, user_id: int) -> None:
        """Drop a member's votes, listing, requests, practice pairs and what the outbox
        still owes them, and unlink their questions (kept for the club, unsigned).

        The store erases what it deletes (PRAGMA secure_delete, see pool.py), and the
        write-ahead log is emptied into the database, so no copy of the rows stays in it.
        """
        async with self.transaction():
            await self.execute("DELETE FROM votes WHERE user_id = ?", (user_id,))
            await self.execute(
                "UPDATE questions SET author_id = NULL WHERE author_id = ?", (user_id,)
            )
            await self.forget_network_member(user_id)
            await self.forget_practice_member(user_id)
            await self.forget_posts_to(user_id)
        await self.run(lambda raw: checkpoint(raw, "TRUNCATE"))  # in the thread: it syncs

    # -- anonymous club counters ---------------------------------------------------
    async def count_activity(self, changes: Iterable[ActivityChange]) -> None:
        """Apply counted events in order, in one transaction (and one trip).

        A positive `amount` counts that many `metric` events in `at`'s UTC month and the
        member as active then, by salted hash only. A negative one takes events back (a
        request logged by mistake and removed), never below zero; who was active that
        month stays as it was: the member did act."""
        batch = list(changes)

        def apply(raw: sqlite3.Connection) -> None:
            raw.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                (SALT_KEY, secrets.token_hex(32)),
            )
            (salt,) = raw.execute("SELECT value FROM meta WHERE key = ?", (SALT_KEY,)).fetchone()
            for change in batch:
                month = month_of(change.at)
                if change.amount > 0:
                    raw.execute(ADD_TO_COUNT_SQL, (month, change.metric, change.amount))
                    raw.execute(
                        "INSERT OR IGNORE INTO active_members (month, member_hash) VALUES (?, ?)",
                        (month, _member_hash(salt, month, change.user_id)),
                    )
                elif change.amount < 0:
                    raw.execute(
                        "UPDATE stats SET count = MAX(count + ?, 0) WHERE month = ? AND metric = ?",
                        (change.amount, month, change.metric),
                    )

        if batch:
            await self.write(apply)

    async def monthly_counts(self, months: Sequence[str]) -> dict[str, dict[str, int]]:
        """{month: {metric: count, "active_members": n}} for the given "YYYY-MM" months;
        a month with nothing recorded maps to {}."""
        counts: dict[str, dict[str, int]] = {month: {} for month in months}
        if not months:
            return counts
        marks = ", ".join("?" for _ in months)
        for row in await self.fetchall(
            f"SELECT month, metric, count FROM stats WHERE month IN ({marks})", list(months)
        ):
            counts[row["month"]][row["metric"]] = row["count"]
        for row in await self.fetchall(
            f"SELECT month, COUNT(*) AS n FROM active_members WHERE month IN ({marks}) "
            "GROUP BY month",
            list(months),
        ):
            counts[row["month"]][ACTIVE_MEMBERS] = row["n"]
        return counts

    # -- meta ------------------------------------------------------------------------
    async def _meta(self, key: str) -> str | None:
        row = await self.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else row["value"]

    async def _set_meta(self, key: str, value: str) -> None:
        await self.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
