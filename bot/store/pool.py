"""Opening, migrating and bounding the per-member and per-server SQLite stores.

One file per member (`users/<id>.sqlite3`) and per server (`guilds/<id>.sqlite3`).
Connections are kept in a small LRU so the thread count (aiosqlite runs one
thread per connection) stays flat however many members there are; every use of
one store holds that store's lock, so a member's writes never interleave.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path

from bot.clock import Clock
from bot.domain.names import comparable_name
from bot.store.base import BUSY_TIMEOUT_MS, StoreConnection, checkpoint, roll_back

log = logging.getLogger(__name__)

KINDS = ("users", "guilds")
_MIGRATION_SETS = {"users": "member", "guilds": "guild"}
# secure_delete: what is deleted is overwritten, not left in free pages, so a member's
# deleted rows (a prospect removed, their votes after /mydata delete) are really gone.
# No commit checkpoints by itself (the stores do it in the connection's thread once the
# log has grown, bot/store/base.py), and a log copied in is cut back to nothing, so its
# size says how much is waiting to be copied.
_PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; "
    "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON; "
    "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 0;"
)
# Every change to a member's reminder rows, however it happens (a cog's write, the
# engine's, a cascade from removing a prospect), names the row to the store in Python,
# so the unit of work can hand the reminder engine what to arm or forget (bot/store/member.py).
# Temporary triggers live only on this connection and never in the member's file.
# The first line of a migration that must run with foreign keys off (see _migrate).
FOREIGN_KEYS_OFF = "-- migrate: foreign_keys off"
_REMINDER_TRIGGERS = """
CREATE TEMP TRIGGER reminder_added AFTER INSERT ON main.reminders
BEGIN SELECT reminder_touched(NEW.id); END;
CREATE TEMP TRIGGER reminder_changed AFTER UPDATE OF state, due_at ON main.reminders
BEGIN SELECT reminder_touched(NEW.id); END;
CREATE TEMP TRIGGER reminder_removed AFTER DELETE ON main.reminders
BEGIN SELECT reminder_touched(OLD.id); END;
"""
# A prospect's name as the bot compares names, kept beside it (member migration 7) by
# the same Python function the lookups use, however the name is written.
_NAME_KEY_TRIGGERS = """
CREATE TEMP TRIGGER prospect_named AFTER INSERT ON main.prospects
BEGIN UPDATE prospects SET name_key = comparable_name(NEW.name) WHERE id = NEW.id; END;
CREATE TEMP TRIGGER prospect_renamed AFTER UPDATE OF name ON main.prospects
BEGIN UPDATE prospects SET name_key = comparable_name(NEW.name) WHERE id = NEW.id; END;
"""


def is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file itself is damaged (SQLITE_CORRUPT, SQLITE_NOTADB), as
    opposed to a lock, a full disk or a constraint."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "malformed" in str(error) or "not a database" in str(error)
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


class PoolClosedError(RuntimeError):
    """The pool is closing: no store is opened any more (shutdown)."""


class StoreMissingError(LookupError):
    """The store doesn't exist and the caller asked not to create it (e.g. a reminder
    timer or the consistency pass, for a member who deleted their data)."""


def _migrations(kind: str) -> list[tuple[int, str]]:
    """The numbered migrations for one kind of store, in order."""
    folder = resources.files("bot.store") / "migrations" / _MIGRATION_SETS[kind]
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.read_text(encoding="utf-8")))
    return sorted(found)


# How many stores are kept open: a club's members busy within the same minute or so.
# Each open connection holds about 1 MB (its schema and cached pages) and a thread.
MAX_OPEN = 64
# How many evicted connections may be closing at once before a release waits for one.
MAX_CLOSING = 8


class StorePool:
    """Hands out connections to stores, at most `max_open` kept open at once."""

    def __init__(self, data_dir: Path, clock: Clock, *, max_open: int = MAX_OPEN) -> None:
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.max_open = max_open
        self._open: OrderedDict[tuple[str, int], StoreConnection] = OrderedDict()
        self._locks: weakref.WeakValueDictionary[tuple[str, int], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._migrations = {kind: _migrations(kind) for kind in KINDS}
        self._templates: dict[str, bytes] = {}  # a new store's file, by kind (_template)
        self._moved_aside: dict[tuple[str, int], Path] = {}
        # The reminder rows each open member connection changed since they were settled.
        self._touched: dict[tuple[str, int], set[int]] = {}
        self._closing = False
        # Evicted connections still closing (in their threads), by store: whoever opens,
        # deletes or sets aside that store again waits for its close first.
        self._evicted: dict[tuple[str, int], asyncio.Task[None]] = {}
        for kind in KINDS:
            _private_dir(self.data_dir / kind)

    # -- paths -------------------------------------------------------------
    def path(self, kind: str, key: int) -> Path:
        """The file of one store."""
        return self.data_dir / kind / f"{int(key)}.sqlite3"

    def exists(self, kind: str, key: int) -> bool:
        """Whether a store has ever been created (without creating it)."""
        return self.path(kind, key).exists()

    def ids(self, kind: str) -> list[int]:
        """Every store of one kind on disk (for the background consistency scan)."""
        return sorted(
            int(p.name.removesuffix(".sqlite3"))
            for p in (self.data_dir / kind).glob("*.sqlite3")
            if p.name.removesuffix(".sqlite3").isdigit()
        )

    @property
    def open_count(self) -> int:
        """How many connections are open now."""
        return len(self._open)

    # -- use ---------------------------------------------------------------
    @property
    def closing(self) -> bool:
        """Whether `close` has begun (no store is opened from then on)."""
        return self._closing

    def touched_reminders(self, key: int) -> set[int]:
        """The reminder rows a member's open connection changed and nobody settled yet
        (the live set: the caller empties it as it settles them)."""
        return self._touched.setdefault(("users", int(key)), set())

    @asynccontextmanager
    async def connection(
        self, kind: str, key: int, *, create: bool = True
    ) -> AsyncIterator[StoreConnection]:
        """Hold one store's lock and yield its open connection.

        Raises PoolClosedError once the pool is closing: a late command or reminder
        never reopens a store behind shutdown's back. With `create=False`, raises
        StoreMissingError instead of creating a store that isn't there; checked under
        the store's lock, so it can't race with `delete`.
        """
        store_key = (kind, int(key))
        lock = self._locks.get(store_key)
        if lock is None:
            lock = self._locks[store_key] = asyncio.Lock()
        async with lock:
            if self._closing:
                raise PoolClosedError("the stores are closing")
            conn = self._open.get(store_key)
            if conn is None and not create and not self.path(kind, key).exists():
                raise StoreMissingError(f"no {kind} store {int(key)}")
            if conn is None:
                await self._closed(store_key)
                conn = await self._open_store(kind, int(key))
                self._open[store_key] = conn
            self._open.move_to_end(store_key)
            failed = True
            try:
                yield conn
                failed = False
            except sqlite3.DatabaseError as error:
                if is_damage(error):
                    # A damaged page met in use: the store is set aside like an unreadable
                    # one at opening (its member is told, and starts afresh), so the
                    # member is never shut out by every command failing the same way.
                    await self._set_aside_locked(store_key, str(error))
                raise
            finally:
                if store_key in self._open and (failed or conn.in_transaction):
                    # A caller raised mid-transaction (or was cancelled with a statement
                    # still queued): nothing half-written survives.
                    await roll_back(conn)
            await self._evict()

    async def set_aside(self, kind: str, key: int, reason: str) -> Path | None:
        """Move a store found damaged while in use aside (as an unreadable one is when
        opened), so its member starts afresh and is told; None if it wasn't there."""
        store_key = (kind, int(key))
        lock = self._locks.get(store_key)
        if lock is None:
            lock = self._locks[store_key] = asyncio.Lock()
        async with lock:
            return await self._set_aside_locked(store_key, reason)

    async def _set_aside_locked(self, store_key: tuple[str, int], reason: str) -> Path | None:
        """set_aside's work, with the store's lock held: close, then move the files."""
        conn = self._open.pop(store_key, None)
        if conn is not None:
            await conn.close()
        await self._closed(store_key)
        self._touched.pop(store_key, None)
        path = self.path(*store_key)
        if not path.exists():
            return None
        moved = self._move_aside(path)
        log.warning("store %s was damaged (%s); moved aside to %s", path, reason, moved)
        self._moved_aside[store_key] = moved
        return moved

    def take_moved_aside(self, kind: str, key: int) -> Path | None:
        """Where an unreadable store was moved, once, so the member can be told."""
        return self._moved_aside.pop((kind, int(key)), None)

    async def delete(self, kind: str, key: int) -> bool:
        """Close and remove one store's files, its sidecars, a new file a crash left half
        written (`<id>.sqlite3.creating`) and any copy of it set aside as unreadable
        (`<id>.sqlite3.unreadable-<time>`); True if there was a store."""
        store_key = (kind, int(key))
        lock = self._locks.get(store_key)
        if lock is None:
            lock = self._locks[store_key] = asyncio.Lock()
        async with lock:
            conn = self._open.pop(store_key, None)
            if conn is not None:
                await conn.close()
            await self._closed(store_key)
            self._touched.pop(store_key, None)
            path = self.path(kind, key)
            existed = path.exists()
            for suffix in ("", "-wal", "-shm", "-journal", ".creating"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            for moved in path.parent.glob(f"{path.name}.unreadable-*"):
                moved.unlink(missing_ok=True)
            self._moved_aside.pop(store_key, None)
            return existed

    async def close(self) -> None:
        """Refuse new connections, wait for the ones in use, close every one (shutdown)."""
        self._closing = True
        while self._open:
            store_key, conn = self._open.popitem(last=False)
            lock = self._locks.get(store_key)
            if lock is not None:
                async with lock:  # whoever holds it finishes its unit of work first
                    await conn.close()
            else:
                await conn.close()
        while self._evicted:
            await self._closed(next(iter(self._evicted)))
        self._touched.clear()

    # -- internals ---------------------------------------------------------
    async def _evict(self) -> None:
        """Close the least recently used connections beyond `max_open`, in the
        background: closing (SQLite's checkpoint of the log, the thread's end) is nobody's
        business but the pool's, so the member who was just answered doesn't wait for it."""
        for store_key in list(self._open):
            if len(self._open) <= self.max_open:
                break
            lock = self._locks.get(store_key)
            if lock is not None and lock.locked():
                continue  # in use right now; the next release will try again
            conn = self._open.pop(store_key)
            self._touched.pop(store_key, None)
            closing = asyncio.create_task(conn.close(), name=f"close store {store_key}")
            self._evicted[store_key] = closing
            closing.add_done_callback(partial(self._forget_evicted, store_key))
        # Each connection closing still has its thread: if closes fall behind, wait.
        while len(still := [t for t in self._evicted.values() if not t.done()]) > MAX_CLOSING:
            await asyncio.wait(still, return_when=asyncio.FIRST_COMPLETED)

    def _forget_evicted(self, store_key: tuple[str, int], closing: asyncio.Task[None]) -> None:
        if self._evicted.get(store_key) is closing:
            del self._evicted[store_key]
        if not closing.cancelled() and (error := closing.exception()) is not None:
            log.error("store %s: closing its connection failed", store_key, exc_info=error)

    async def _closed(self, store_key: tuple[str, int]) -> None:
        """Wait until an evicted connection to this store has closed (at once if none)."""
        closing = self._evicted.get(store_key)
        if closing is not None:
            await asyncio.wait([closing])
            if self._evicted.get(store_key) is closing:
                del self._evicted[store_key]

    async def _open_store(self, kind: str, key: int) -> StoreConnection:
        path = self.path(kind, key)
        try:
            return await self._connect(path, kind, key)
        except sqlite3.OperationalError:
            raise  # locked or unreachable, not unreadable: never move a good file
        except sqlite3.DatabaseError as error:
            moved = self._move_aside(path)
            log.warning("store %s was unreadable (%s); moved aside to %s", path, error, moved)
            self._moved_aside[(kind, key)] = moved
            return await self._connect(path, kind, key)

    def _move_aside(self, path: Path) -> Path:
        stamp = self.clock.now().strftime("%Y%m%dT%H%M%SZ")
        moved = path.with_name(f"{path.name}.unreadable-{stamp}")
        path.rename(moved)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return moved

    async def _connect(self, path: Path, kind: str, key: int) -> StoreConnection:
        create = partial(self._create, path, kind) if not path.exists() else None
        touched = None
        if kind == "users":
            touched = self._touched.setdefault((kind, key), set())
            touched.clear()
        migrations = self._migrations[kind]

        def prepare(raw: sqlite3.Connection) -> None:
            # In the connection's thread as it opens: a store opens in one trip.
            raw.row_factory = sqlite3.Row
            raw.executescript(_PRAGMAS)
            if touched is not None:
                raw.create_function("comparable_name", 1, comparable_name, deterministic=True)
            _migrate(raw, migrations)
            if touched is not None:
                raw.create_function("reminder_touched", 1, touched.add)
                raw.executescript(_REMINDER_TRIGGERS + _NAME_KEY_TRIGGERS)

        return await open_connection(path, prepare, create=create)

    def _create(self, path: Path, kind: str) -> None:
        """A new store's file, private from creation: a copy of the schema every
        migration leaves (built once, `_template`), so a new member's first command
        doesn't run ten migrations. Written aside and renamed, so a store file is never
        half written."""
        template = self._templates.get(kind)
        if template is None:
            template = self._templates[kind] = _template(self._migrations[kind])
        creating = path.with_name(f"{path.name}.creating")
        fd = os.open(creating, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(template)
        creating.replace(path)


def _template(migrations: list[tuple[int, str]]) -> bytes:
    """The file of a store with every migration run, from an empty database in memory
    (the pragmas each open sets, WAL included, are set when it is first opened)."""
    raw = sqlite3.connect(":memory:", isolation_level=None)
    try:
        raw.execute("PRAGMA foreign_keys = ON")
        raw.create_function("comparable_name", 1, comparable_name, deterministic=True)
        _migrate(raw, migrations)
        return raw.serialize()
    finally:
        raw.close()


def _migrate(raw: sqlite3.Connection, migrations: list[tuple[int, str]]) -> None:
    """Bring a store's schema up to date (in its connection's thread)."""
    (version,) = raw.execute("PRAGMA user_version").fetchone()
    pending = [(n, sql) for n, sql in migrations if n > version]
    if not pending:
        return
    # All pending steps in one transaction: a store is never left half-migrated.
    script = "BEGIN IMMEDIATE;\n"
    for number, sql in pending:
        script += f"{sql}\nPRAGMA user_version = {number};\n"
    # A step that rebuilds a table others refer to asks for foreign keys off (SQLite
    # ignores the pragma inside a transaction, so it is set before BEGIN); the keys are
    # then checked before COMMIT, and a step that broke one is rolled back.
    keys_off = any(sql.startswith(FOREIGN_KEYS_OFF) for _, sql in pending)
    try:
        if keys_off:
            raw.execute("PRAGMA foreign_keys = OFF")
        raw.executescript(script)
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise sqlite3.IntegrityError(
                f"a migration left {len(broken)} broken foreign keys, e.g. {tuple(broken[0])}"
            )
        raw.execute("COMMIT")
        # A store's schema reaches its file at once (commits leave checkpoints to the
        # stores, bot/store/base.py).
        checkpoint(raw)
    except BaseException:
        if raw.in_transaction:
            raw.rollback()
        raise
    finally:
        if keys_off:
            raw.execute("PRAGMA foreign_keys = ON")


async def open_connection(
    path: Path,
    prepare: Callable[[sqlite3.Connection], None] | None = None,
    *,
    create: Callable[[], None] | None = None,
) -> StoreConnection:
    """An aiosqlite connection in autocommit mode (transactions are explicit), `prepare`d
    in its thread as it opens (after `create` has written the file there, if given)."""
    conn = StoreConnection(path, prepare, create)
    await conn  # starts its thread and opens the file there
    return conn


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
