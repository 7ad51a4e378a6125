"""What every store module shares: the connection, transactions and time columns."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar, overload

import aiosqlite

from bot.clock import Clock

MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer
T = TypeVar("T")
Params = Iterable[Any] | Mapping[str, Any]


def is_row_id(value: object) -> bool:
    """Whether `value` can be a row's id at all: a typed or forged id outside SQLite's
    integers (or not an int) is simply not found, never an error."""
    return isinstance(value, int) and 0 < value <= MAX_ROW_ID


@overload
def ts(value: datetime) -> str: ...
@overload
def ts(value: None) -> None: ...
@overload
def ts(value: datetime | None) -> str | None: ...
def ts(value: datetime | None) -> str | None:
    """A datetime as the text the stores keep: ISO 8601 in UTC, sortable."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC).isoformat(timespec="seconds")


@overload
def dt(value: str) -> datetime: ...
@overload
def dt(value: None) -> None: ...
@overload
def dt(value: str | None) -> datetime | None: ...
def dt(value: str | None) -> datetime | None:
    """The inverse of `ts`."""
    return None if value is None else datetime.fromisoformat(value)


class StoreBase:
    """A connection to one store, used only while its lock is held.

    aiosqlite runs each connection's statements in its own thread, and every trip there
    and back costs a command 0.05 to 0.2 ms, more than most statements take. So each
    method below is one trip: a transaction's BEGIN travels with its first statement,
    and `run` takes several statements (a whole read, a whole small write) in one.
    """

    def __init__(self, conn: aiosqlite.Connection, key: int, clock: Clock) -> None:
        self.conn = conn
        self.key = key
        self.clock = clock
        self._begin = False  # a transaction was asked for: BEGIN goes with its first statement

    def now(self) -> datetime:
        """The injected clock's time."""
        return self.clock.now()

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open, or asked for and about to begin."""
        return self._begin or self.conn.in_transaction

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Everything inside commits together or not at all.

        A unit of work: what the transaction did beyond its rows (the reminders it
        created, moved or ended) is settled by `_before_commit` and `_settle` whichever
        way it ends, commit, error or cancellation. BEGIN IMMEDIATE is sent with the
        first statement inside (so the write lock is still taken before anything is
        read), and a transaction that ran no statement costs no trip at all.
        """
        if self.in_transaction:
            yield  # already inside one: join it
            return
        self._begin = True
        try:
            yield
            await self._before_commit()
            if self.conn.in_transaction:
                await self.conn.commit()
        except BaseException:
            try:
                self._begin = False
                await roll_back(self.conn)
            finally:
                # Settled from what the store holds now: the rows as they were, or as
                # committed if the commit went through before a cancellation arrived.
                await self._settle()
            raise
        self._begin = False
        await self._settle()

    async def _before_commit(self) -> None:
        """Runs inside the transaction, just before COMMIT (a subclass's hook)."""

    async def _settle(self) -> None:
        """Runs once the transaction has ended, committed or not (a subclass's hook)."""

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(connection)` in the connection's thread: one trip, however many
        statements it runs (inside the transaction, if one is open or asked for)."""
        raw: sqlite3.Connection = self.conn._conn
        if not self._begin:
            result: T = await self.conn._execute(work, raw)
            return result

        def begun(raw: sqlite3.Connection) -> T:
            raw.execute("BEGIN IMMEDIATE")
            return work(raw)

        try:
            result = await self.conn._execute(begun, raw)
        finally:
            if self.conn.in_transaction:
                self._begin = False
        return result

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(connection)` as a transaction of its own (or inside the open one): one
        trip, COMMIT included, unless what it changed must be settled first (reminders,
        see MemberStore), which then takes the usual way."""
        if self.in_transaction:
            return await self.run(work)

        def alone(raw: sqlite3.Connection) -> T:
            result = work(raw)
            if not self._settles_on_commit():
                raw.execute("COMMIT")
            return result

        async with self.transaction():
            return await self.run(alone)

    def _settles_on_commit(self) -> bool:
        """Whether `_before_commit` or `_settle` has work to do (read in the connection's
        thread, just before a one-trip COMMIT): a subclass's hook."""
        return False

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a query."""
        args = _params(params)
        return await self.run(lambda raw: raw.execute(sql, args).fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        args = _params(params)
        row: sqlite3.Row | None = await self.run(lambda raw: raw.execute(sql, args).fetchone())
        return row

    async def count(self, sql: str, params: Params = ()) -> int:
        """The integer in the first column of a query's first row (a COUNT), 0 if none."""
        row = await self.fetchone(sql, params)
        return int(row[0]) if row is not None and row[0] is not None else 0

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the last row id (0 when it inserted none)."""
        args = _params(params)
        row_id: int | None = await self.run(lambda raw: raw.execute(sql, args).lastrowid)
        return row_id or 0

    async def changes(self, sql: str, params: Params = ()) -> int:
        """Run one statement; how many rows it changed."""
        args = _params(params)
        return await self.run(lambda raw: raw.execute(sql, args).rowcount)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of `rows`, in one trip."""
        batch = [tuple(row) for row in rows]
        await self.run(lambda raw: raw.executemany(sql, batch))


async def roll_back(conn: aiosqlite.Connection) -> None:
    """Roll back what is open on `conn`, once everything queued before has run.

    Checked in the connection's thread, not here: a statement cancelled while it waited
    for that thread still runs there later (aiosqlite doesn't withdraw it), and may be the
    one that begins the transaction, after a check here would have found none open."""
    raw: sqlite3.Connection = conn._conn

    def roll_back_open() -> None:
        if raw.in_transaction:
            raw.rollback()

    await conn._execute(roll_back_open)


def _params(params: Params) -> tuple[Any, ...] | Mapping[str, Any]:
    """Named parameters stay a mapping; positional ones become a tuple."""
    return params if isinstance(params, Mapping) else tuple(params)
