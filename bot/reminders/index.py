"""The persisted index of what is due: one small SQLite file for every member.

Start-up reads this one file to rebuild the scheduler's jobs instead of opening
every member's store (10,000 stores take 20 s or more to open). It is a cache of
the stores, never the truth: the engine's background consistency pass repairs it.

One connection serves every member at once, so every statement here runs and closes
its cursor inside `async with`, in the connection's own thread. A cursor left to the
garbage collector is finalised on the event loop's thread, possibly while the
connection's thread runs another member's statement: SQLite then answers "bad
parameter or other API misuse" (sqlite3.InterfaceError), which is what a busy club hit.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

import aiosqlite

from bot.store.pool import open_connection

INDEX_FILE = "reminder-index.sqlite3"
P = ParamSpec("P")
R = TypeVar("R")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS due (
    user_id     INTEGER NOT NULL,
    reminder_id INTEGER NOT NULL,
    due_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, reminder_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS due_at ON due (due_at);
"""

IndexEntry = tuple[int, int, datetime]
"""(user_id, reminder_id, due_at)."""


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the reminder index")
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _one_at_a_time(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Run an index operation alone on the shared connection: from its first statement to
    its cursor's close, no other member's statement interleaves (SQLite answers "table is
    locked" or worse to a statement run while another cursor is mid-way)."""

    @functools.wraps(method)
    async def alone(*args: P.args, **kwargs: P.kwargs) -> R:
        index = args[0]
        assert isinstance(index, DueIndex)
        async with index._lock:
            return await method(*args, **kwargs)

    return alone


class DueIndex:
    """(user_id, reminder_id, due_at) of every pending reminder, in `DATA_DIR`."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / INDEX_FILE
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        """Open (creating if need be) the index file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = await self._connect()
        except sqlite3.DatabaseError:
            # It is only a cache: start an empty one; the consistency pass refills it.
            self.path.rename(self.path.with_name(f"{self.path.name}.unreadable"))
            self._conn = await self._connect()

    async def _connect(self) -> aiosqlite.Connection:
        conn = await open_connection(self.path)
        try:
            # secure_delete: a deleted member's entries are overwritten, not left behind.
            async with conn.executescript(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                f"PRAGMA secure_delete = ON; {_SCHEMA}"
            ):
                pass
        except BaseException:
            await conn.close()
            raise
        self.path.chmod(0o600)
        return conn

    @_one_at_a_time
    async def check(self) -> None:
        """Raise sqlite3.DatabaseError if the file is damaged (SQLite's quick check)."""
        async with self.conn.execute("PRAGMA quick_check") as cursor:
            found = [str(row[0]) for row in await cursor.fetchall()]
        if found != ["ok"]:
            raise sqlite3.DatabaseError(f"reminder index damaged: {found[:1]}")

    async def reset(self) -> None:
        """Set a damaged file aside and start an empty index (the stores refill it)."""
        await self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path.rename(self.path.with_name(f"{self.path.name}.unreadable-{stamp}"))
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._conn = await self._connect()

    async def close(self) -> None:
        """Close the file."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def is_open(self) -> bool:
        """Whether the file is open (between `open` and `close`)."""
        return self._conn is not None

    @property
    def conn(self) -> aiosqlite.Connection:
        """The open connection (after `open`)."""
        if self._conn is None:
            raise RuntimeError("the reminder index is not open")
        return self._conn

    @_one_at_a_time
    async def put(self, user_id: int, entries: Iterable[tuple[int, datetime]]) -> None:
        """Record (reminder_id, due_at) pairs of one member, replacing earlier due times."""
        rows = [(user_id, reminder_id, _ts(due_at)) for reminder_id, due_at in entries]
        if rows:
            async with self.conn.executemany(
                "INSERT INTO due (user_id, reminder_id, due_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id, reminder_id) DO UPDATE SET due_at = excluded.due_at",
                rows,
            ):
                pass

    @_one_at_a_time
    async def remove(self, user_id: int, reminder_ids: Iterable[int]) -> None:
        """Drop some of a member's entries."""
        rows = [(user_id, reminder_id) for reminder_id in reminder_ids]
        if rows:
            async with self.conn.executemany(
                "DELETE FROM due WHERE user_id = ? AND reminder_id = ?", rows
            ):
                pass

    @_one_at_a_time
    async def remove_member(self, user_id: int) -> list[int]:
        """Drop every entry of a member (/mydata delete); returns their reminder ids. The
        write-ahead log is emptied into the file, so no earlier copy of them stays there."""
        async with self.conn.execute(
            "DELETE FROM due WHERE user_id = ? RETURNING reminder_id", (user_id,)
        ) as cursor:
            removed = sorted(row[0] for row in await cursor.fetchall())
        async with self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)"):
            pass
        return removed

    @_one_at_a_time
    async def of_member(self, user_id: int) -> dict[int, datetime]:
        """One member's entries: reminder_id → due_at."""
        async with self.conn.execute(
            "SELECT reminder_id, due_at FROM due WHERE user_id = ?", (user_id,)
        ) as cursor:
            return {row[0]: datetime.fromisoformat(row[1]) for row in await cursor.fetchall()}

    @_one_at_a_time
    async def of_members(self, user_ids: Sequence[int]) -> dict[int, dict[int, datetime]]:
        """Several members' entries at once (one trip): user_id → reminder_id → due_at;
        a member with none is left out."""
        found: dict[int, dict[int, datetime]] = {}
        if not user_ids:
            return found
        marks = ", ".join("?" for _ in user_ids)
        async with self.conn.execute(
            f"SELECT user_id, reminder_id, due_at FROM due WHERE user_id IN ({marks})",
            list(user_ids),
        ) as cursor:
            for user_id, reminder_id, due_at in await cursor.fetchall():
                found.setdefault(user_id, {})[reminder_id] = datetime.fromisoformat(due_at)
        return found

    @_one_at_a_time
    async def all(self) -> list[IndexEntry]:
        """Every entry, soonest first."""
        async with self.conn.execute(
            "SELECT user_id, reminder_id, due_at FROM due ORDER BY due_at"
        ) as cursor:
            return [
                (row[0], row[1], datetime.fromisoformat(row[2])) for row in await cursor.fetchall()
            ]

    @_one_at_a_time
    async def due_by(self, when: datetime) -> list[IndexEntry]:
        """Entries due at or before `when`, soonest first."""
        async with self.conn.execute(
            "SELECT user_id, reminder_id, due_at FROM due WHERE due_at <= ? ORDER BY due_at",
            (_ts(when),),
        ) as cursor:
            return [
                (row[0], row[1], datetime.fromisoformat(row[2])) for row in await cursor.fetchall()
            ]

    @_one_at_a_time
    async def members(self) -> set[int]:
        """Every member with an entry."""
        async with self.conn.execute("SELECT DISTINCT user_id FROM due") as cursor:
            return {row[0] for row in await cursor.fetchall()}
