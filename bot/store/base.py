"""What every store module shares: the connection, transactions and time columns."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast, overload

import aiosqlite

from bot.clock import Clock

log = logging.getLogger(__name__)

MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer
# How long a statement in a connection's thread waits for a store another connection has
# locked (an operator's tool); on the event loop, a statement never waits (see run).
BUSY_TIMEOUT_MS = 5000
# Commits never checkpoint by themselves (wal_autocheckpoint is off, see bot/store/pool.py):
# once a store's write-ahead log passes this size (SQLite's own default, 1,000 pages), the
# next commit has it copied into the store, in the connection's thread, and goes on.
CHECKPOINT_BYTES = 4 * 1024 * 1024
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


class StoreConnection(aiosqlite.Connection):
    """An aiosqlite connection that knows whether its thread has work queued.

    aiosqlite runs a connection's statements in a thread of its own, and a trip there and
    back costs about 0.09 ms of CPU, more than most statements take (a looked-up row or a
    page of ten costs microseconds). While its thread is idle, and the store's lock is
    held, the connection may be used on the event loop's thread instead (see
    StoreBase.run): SQLite allows it (`check_same_thread=False`), and nothing else uses the
    connection at that moment.
    """

    def __init__(
        self,
        path: Path,
        prepare: Callable[[sqlite3.Connection], None] | None = None,
        create: Callable[[], None] | None = None,
    ) -> None:
        def connector() -> sqlite3.Connection:
            if create is not None:
                create()
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            try:
                if prepare is not None:
                    prepare(raw)
            except BaseException:
                raw.close()
                raise
            return raw

        super().__init__(connector, iter_chunk_size=64)
        self.wal_path = Path(f"{path}-wal")
        # Reads remembered until the connection next changes a row (StoreBase.remembered).
        self.remembered: dict[str, tuple[int, Any]] = {}
        # Counted on each side by one thread only, so neither count can lose an update.
        self._queued = 0  # by the event loop, as work is queued
        self._finished = 0  # by the connection's thread, as work ends (even a cancelled trip's)
        self.checkpointing: asyncio.Future[None] | None = None  # the latest checkpoint_soon

    @property
    def idle(self) -> bool:
        """Whether the connection's thread has nothing queued or running."""
        return self._queued == self._finished

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """aiosqlite's, counting the work in and out."""
        return await self.queue(partial(fn, *args, **kwargs))

    def queue(self, function: Callable[[], T]) -> asyncio.Future[T]:
        """Queue `function` to the connection's thread, after everything queued before
        it; its future, which the caller may await or not."""
        if not self._running or not self._connection:
            raise ValueError("Connection closed")

        def counted() -> T:
            try:
                return function()
            finally:
                self._finished += 1

        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queued += 1
        self._tx.put_nowait((future, counted))
        return future

    def checkpoint_soon(self) -> None:
        """Once the write-ahead log has grown past CHECKPOINT_BYTES, have it copied into
        the store (and synced) in the connection's thread, without waiting for it: that is
        the slow part of a commit, and nobody's answer needs it. Whatever this store
        does next queues behind it (the connection is no longer idle)."""
        if self.checkpointing is not None and not self.checkpointing.done():
            return
        try:
            grown = os.stat(self.wal_path).st_size >= CHECKPOINT_BYTES
        except OSError:
            return
        if grown:
            self.checkpointing = self.queue(partial(checkpoint, self._conn))
            self.checkpointing.add_done_callback(_checkpoint_failed)


class StoreBase:
    """A connection to one store, used only while its lock is held.

    Each method below runs its statements in one go: a transaction's BEGIN travels with
    its first statement, and `run` takes several statements (a whole read, a whole small
    write) at once. Quick work (a few rows, by index) runs right here on the event loop,
    which costs less than handing it to the connection's thread and back; anything that
    may read or write many rows (a search over every prospect, an export, an import) goes
    to the thread, so other members' commands go on meanwhile.
    """

    def __init__(self, conn: StoreConnection, key: int, clock: Clock) -> None:
        self.conn = conn
        self.key = key
        self.clock = clock
        self._begin = False  # a transaction was asked for: BEGIN goes with its first statement
        self._threaded = False  # the open transaction did work in the connection's thread

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
        self._threaded = False
        try:
            yield
            await self._before_commit()
            if self.conn.in_transaction:
                # A commit after quick work only appends its pages to the log: here. One
                # after bulk work (the thread's) writes many: there, like the work.
                await self.run(_commit, quick=not self._threaded)
            # Committed here or by the work itself (`write`): the log may have grown.
            self.conn.checkpoint_soon()
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

    async def run(self, work: Callable[[sqlite3.Connection], T], *, quick: bool = False) -> T:
        """`work(connection)`, however many statements it runs, in one go (inside the
        transaction, if one is open or asked for).

        `quick` work (a few rows, found by index) runs here on the event loop when the
        connection's thread is idle; the rest, in the connection's thread (one trip).
        """
        raw: sqlite3.Connection = self.conn._conn
        begin = self._begin
        if begin:
            work = partial(_begun, work)
        try:
            if quick and self.conn.idle:
                try:
                    return _without_waiting(work, raw)
                except sqlite3.OperationalError as error:
                    if not _is_busy(error):
                        raise
                    # Another connection holds the store (nothing ran, BEGIN included):
                    # the thread waits for it, while the loop answers everyone else.
            if self.in_transaction:
                self._threaded = True
            result: T = await self.conn._execute(work, raw)
            return result
        finally:
            if begin and self.conn.in_transaction:
                self._begin = False

    async def write(self, work: Callable[[sqlite3.Connection], T], *, quick: bool = False) -> T:
        """`work(connection)` as a transaction of its own (or inside the open one), in
        one go, COMMIT included, unless what it changed must be settled first
        (reminders, see MemberStore), which then takes the usual way. `quick` as `run`."""
        if self.in_transaction:
            return await self.run(work, quick=quick)

        def alone(raw: sqlite3.Connection) -> T:
            result = work(raw)
            if not self._settles_on_commit():
                _commit(raw)
            return result

        async with self.transaction():
            return await self.run(alone, quick=quick)

    def _settles_on_commit(self) -> bool:
        """Whether `_before_commit` or `_settle` has work to do (read where the work runs,
        just before a one-go COMMIT): a subclass's hook."""
        return False

    async def remembered(self, key: str, read: Callable[[], Awaitable[T]]) -> T:
        """`await read()`, remembered with the connection until it next changes a row
        (the connection is its store's only writer): a read that many commands repeat,
        such as a server's question bank, costs nothing while the store stays the same.
        Inside a transaction, read afresh and not remembered (it may yet roll back)."""
        if self.in_transaction:
            return await read()
        kept = self.conn.remembered.get(key)
        if kept is not None and kept[0] == self.conn._conn.total_changes:
            return cast(T, kept[1])
        value = await read()
        self.conn.remembered[key] = (self.conn._conn.total_changes, value)
        return value

    async def fetchall(
        self, sql: str, params: Params = (), *, quick: bool = False
    ) -> list[sqlite3.Row]:
        """All rows of a query (`quick`: a few, see `run`)."""
        args = _params(params)
        return await self.run(lambda raw: raw.execute(sql, args).fetchall(), quick=quick)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        args = _params(params)
        row: sqlite3.Row | None = await self.run(
            lambda raw: raw.execute(sql, args).fetchone(), quick=True
        )
        return row

    async def count(self, sql: str, params: Params = ()) -> int:
        """The integer in the first column of a query's first row (a COUNT), 0 if none."""
        row = await self.fetchone(sql, params)
        return int(row[0]) if row is not None and row[0] is not None else 0

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the last row id (0 when it inserted none)."""
        args = _params(params)
        row_id: int | None = await self.run(
            lambda raw: raw.execute(sql, args).lastrowid, quick=True
        )
        return row_id or 0

    async def changes(self, sql: str, params: Params = ()) -> int:
        """Run one statement; how many rows it changed."""
        args = _params(params)
        return await self.run(lambda raw: raw.execute(sql, args).rowcount, quick=True)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each of `rows`, in one trip."""
        batch = [tuple(row) for row in rows]
        await self.run(lambda raw: raw.executemany(sql, batch))


def _begun(work: Callable[[sqlite3.Connection], T], raw: sqlite3.Connection) -> T:
    """`work` as the first statements of a transaction (BEGIN IMMEDIATE: the write lock
    is taken before anything is read)."""
    raw.execute("BEGIN IMMEDIATE")
    return work(raw)


def _without_waiting(work: Callable[[sqlite3.Connection], T], raw: sqlite3.Connection) -> T:
    """`work`, failing at once (SQLITE_BUSY) rather than waiting for a lock."""
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        return work(raw)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _commit(raw: sqlite3.Connection) -> None:
    raw.execute("COMMIT")


def _checkpoint_failed(done: asyncio.Future[None]) -> None:
    """Log a checkpoint that failed (the next commit past the size tries again)."""
    if not done.cancelled() and (error := done.exception()) is not None:
        log.warning("a store's checkpoint failed; the next commit tries again: %s", error)


def checkpoint(raw: sqlite3.Connection, mode: str = "PASSIVE") -> None:
    """Copy the store's write-ahead log into its file (in the connection's thread: it
    syncs the disk). PASSIVE never waits on a reader (the consistency pass); a log it
    couldn't copy in whole is tried again at the next commit. TRUNCATE also empties the
    log, waiting for readers."""
    raw.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()


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
