"""An operator's work on store files from outside the bot's pool: read-only checks and
online copies (the `backup` and `check` commands, bot/operations.py).

Every file is opened read-only (`file:…?mode=ro`), so all of it is safe while the bot
runs: in write-ahead-log mode a reader sees the last committed transaction and never
blocks the bot's writers. Plain `sqlite3`, synchronous: the command line has no event
loop to keep free.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from bot.store.base import BUSY_TIMEOUT_MS
from bot.store.reminders import OWED_STATES

# How many of integrity_check's findings to read (a damaged page yields hundreds).
INTEGRITY_FINDINGS = 5


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to one SQLite file (never creates it: a missing file is
    sqlite3.OperationalError)."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """What `PRAGMA integrity_check` (or the faster `quick_check`, which skips matching
    indexes against their tables) finds wrong, the first few findings; [] when the file
    is sound. A file too damaged to check raises sqlite3.DatabaseError."""
    pragma = "quick_check" if quick else "integrity_check"
    rows = conn.execute(f"PRAGMA {pragma}({INTEGRITY_FINDINGS})").fetchall()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def copy_store(source: Path, dest: Path) -> None:
    """An online, consistent copy of one store into a new file, with SQLite's backup
    API in one step: the copy is the store as one committed transaction left it, whatever
    the bot writes meanwhile (its writers are never blocked).

    The copy is left in rollback-journal mode, one self-contained file that opening
    read-only adds no -wal/-shm beside; the bot switches it back to WAL when it opens it.
    """
    src = open_read_only(source)
    try:
        out = sqlite3.connect(dest, isolation_level=None)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
    finally:
        src.close()


def owed_reminders(conn: sqlite3.Connection) -> dict[int, tuple[str, datetime]]:
    """A member's reminder rows still owed (pending, or being sent): id → (state, due)."""
    marks = ", ".join("?" for _ in OWED_STATES)
    rows = conn.execute(
        f"SELECT id, state, due_at FROM reminders WHERE state IN ({marks})", OWED_STATES
    ).fetchall()
    return {row[0]: (str(row[1]), datetime.fromisoformat(row[2])) for row in rows}


def index_entries(conn: sqlite3.Connection) -> dict[int, dict[int, datetime]]:
    """The reminder index's entries (its schema is bot/reminders/index.py's `due`
    table): member → reminder id → due time."""
    found: dict[int, dict[int, datetime]] = {}
    for user_id, reminder_id, due_at in conn.execute(
        "SELECT user_id, reminder_id, due_at FROM due"
    ):
        found.setdefault(user_id, {})[reminder_id] = datetime.fromisoformat(due_at)
    return found


def has_notices(conn: sqlite3.Connection) -> bool:
    """Whether a member's store holds a notice not yet shown."""
    return (
        conn.execute("SELECT 1 FROM notices WHERE shown_at IS NULL LIMIT 1").fetchone() is not None
    )
