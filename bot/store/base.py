"""What every store module shares: the connection, transactions and time columns."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, overload

import aiosqlite

from bot.clock import Clock

MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer


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
    """A connection to one store, used only while its lock is held."""

    def __init__(self, conn: aiosqlite.Connection, key: int, clock: Clock) -> None:
        self.conn = conn
        self.key = key
        self.clock = clock

    def now(self) -> datetime:
        """The injected clock's time."""
        return self.clock.now()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Everything inside commits together or not at all.

        A unit of work: what the transaction did beyond its rows (the reminders it
        created, moved or ended) is settled by `_before_commit` and `_settle` whichever
        way it ends, commit, error or cancellation.
        """
        if self.conn.in_transaction:
            yield  # already inside one: join it
            return
        await self.execute("BEGIN IMMEDIATE")
        try:
            yield
            await self._before_commit()
            await self.conn.commit()
        except BaseException:
            try:
                if self.conn.in_transaction:
                    await self.conn.rollback()
            finally:
                # Settled from what the store holds now: the rows as they were, or as
                # committed if the commit went through before a cancellation arrived.
                await self._settle()
            raise
        await self._settle()

    async def _before_commit(self) -> None:
        """Runs inside the transaction, just before COMMIT (a subclass's hook)."""

    async def _settle(self) -> None:
        """Runs once the transaction has ended, committed or not (a subclass's hook)."""

    # Each statement is one trip to the connection's thread (aiosqlite's cursor API
    # makes three: execute, fetch, close); a trip costs 0.03 to 0.2 ms of a command.
    async def fetchall(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[aiosqlite.Row]:
        """All rows of a query."""
        return list(await self.conn.execute_fetchall(sql, _params(params)))

    async def fetchone(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> aiosqlite.Row | None:
        """The first row of a query, or None."""
        raw, args = self.conn._conn, _params(params)
        row: aiosqlite.Row | None = await self.conn._execute(
            lambda: raw.execute(sql, args).fetchone()
        )
        return row

    async def count(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> int:
        """The integer in the first column of a query's first row (a COUNT), 0 if none."""
        row = await self.fetchone(sql, params)
        return int(row[0]) if row is not None and row[0] is not None else 0

    async def execute(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()) -> int:
        """Run one statement; returns the last row id (0 when it inserted none)."""
        raw, args = self.conn._conn, _params(params)
        row_id: int | None = await self.conn._execute(lambda: raw.execute(sql, args).lastrowid)
        return row_id or 0


def _params(params: Iterable[Any] | Mapping[str, Any]) -> tuple[Any, ...] | Mapping[str, Any]:
    """Named parameters stay a mapping; positional ones become a tuple."""
    return params if isinstance(params, Mapping) else tuple(params)
