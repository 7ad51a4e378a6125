"""What an operator does to the bot's data from the command line (bot/cli.py): back it up
while the bot runs, restore a backup, check every store. And the lock a running bot
holds on its DATA_DIR, so a restore never writes under it and two bots never share one.

A backup is a folder laid out as DATA_DIR is (`users/<id>.sqlite3`, `guilds/<id>.sqlite3`,
`reminder-index.sqlite3`, the `deleting/` markers of /mydata deletes under way) with a
`manifest.json` written last: a folder without one is an unfinished backup.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import version
from bot.clock import Clock
from bot.reminders.index import INDEX_FILE
from bot.store import DELETING
from bot.store.maintenance import (
    copy_store,
    index_entries,
    integrity_problems,
    open_read_only,
    owed_reminders,
)
from bot.store.pool import KINDS

LOCK_FILE = "bot.lock"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
# The folders a restore replaces, beside the index.
DATA_FOLDERS = (*KINDS, DELETING)
SIDECARS = ("-wal", "-shm", "-journal")


class OperationError(Exception):
    """A command can't do what it was asked: one line for the operator, and the exit
    status (2: the command line or a setting can't be used; 1: refused, or it failed)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class DataDirBusyError(OperationError):
    """Another process (a running bot, a restore) holds DATA_DIR's lock."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "another process"
        super().__init__(
            f"the bot is running on DATA_DIR {str(data_dir)!r} ({who}, see {LOCK_FILE}); "
            "stop it first"
        )
        self.pid = pid


@contextmanager
def hold_data_dir(data_dir: Path) -> Iterator[None]:
    """Hold DATA_DIR's lock for the block (an flock on DATA_DIR/bot.lock, with this
    process's id in it): the running bot does for its whole life, a restore while it
    writes. The kernel lets go of it when the process ends, however it ends.

    Raises DataDirBusyError when another process holds it.
    """
    path = Path(data_dir) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise DataDirBusyError(data_dir, _pid_in(fd)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


def _pid_in(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return int(text) if text.isdigit() else None


def store_files(folder: Path) -> list[Path]:
    """The stores in one of DATA_DIR's folders (`<id>.sqlite3`), by id: not the copies
    set aside as unreadable, nor the sidecars."""
    found = [
        path
        for path in folder.glob("*.sqlite3")
        if path.name.removesuffix(".sqlite3").isdigit() and path.is_file()
    ]
    return sorted(found, key=lambda path: int(path.name.removesuffix(".sqlite3")))


def _describe(folder: Path) -> str:
    return repr(str(folder))


# -- backup ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BackupReport:
    """What `backup` copied, and what it couldn't."""

    dest: Path
    members: int
    servers: int
    index: bool
    bytes: int
    # Not copied (too damaged to read), and copied but damaged already: (file, problem).
    skipped: list[tuple[str, str]] = field(default_factory=list)
    damaged: list[tuple[str, str]] = field(default_factory=list)


def backup(data_dir: Path, dest: Path, *, clock: Clock | None = None) -> BackupReport:
    """Copy every store, the index and the deletions under way from `data_dir` into the
    new folder `dest` (private: 0700, files 0600), each store as one consistent
    snapshot taken with SQLite's backup API while the bot may be writing to it.

    Each copy is checked (`PRAGMA quick_check`, on the copy: the bot is not slowed). A
    store already damaged is copied as it is and listed as damaged; one that can't be
    read at all is left out and listed as skipped (both in the report and the manifest);
    one deleted meanwhile (/mydata delete) is simply not there.
    """
    clock = clock or Clock()
    data_dir, dest = Path(data_dir), Path(dest)
    if not data_dir.is_dir():
        raise OperationError(
            f"DATA_DIR {_describe(data_dir)} doesn't exist: there is nothing to back up", 2
        )
    if dest.exists() or dest.is_symlink():
        raise OperationError(
            f"{_describe(dest)} already exists: back up into a new folder, such as "
            f"{_describe(dest.parent / clock.now().strftime('backup-%Y%m%d-%H%M%S'))}",
            2,
        )
    if not dest.parent.is_dir():
        raise OperationError(
            f"can't back up into {_describe(dest)}: its parent folder "
            f"{_describe(dest.parent)} doesn't exist (create it first)",
            2,
        )
    try:
        dest.mkdir(mode=0o700)
    except OSError as error:
        raise OperationError(
            f"can't create {_describe(dest)} ({error.strerror or error})", 2
        ) from None
    files: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    damaged: list[tuple[str, str]] = []
    counts = dict.fromkeys(KINDS, 0)
    for kind in KINDS:
        (dest / kind).mkdir(mode=0o700)
        for path in store_files(data_dir / kind):
            name = f"{kind}/{path.name}"
            problem = _copy_one(path, dest / name)
            if problem is None:
                files.append(_file_entry(dest, name))
                counts[kind] += 1
                damaged += _verify(dest, name)
            elif path.exists():
                skipped.append((name, problem))
    index = False
    if (data_dir / INDEX_FILE).exists():
        problem = _copy_one(data_dir / INDEX_FILE, dest / INDEX_FILE)
        if problem is None:
            files.append(_file_entry(dest, INDEX_FILE))
            index = True
            damaged += _verify(dest, INDEX_FILE)
        else:
            skipped.append((INDEX_FILE, problem))
    deleting = sorted((data_dir / DELETING).glob("*.json*"))
    if deleting:
        (dest / DELETING).mkdir(mode=0o700)
    for marker in deleting:
        name = f"{DELETING}/{marker.name}"
        try:
            _copy_private(marker, dest / name)
        except FileNotFoundError:
            continue  # the deletion finished meanwhile
        files.append(_file_entry(dest, name))
    for folder in (*(dest / kind for kind in KINDS), dest / DELETING, dest):
        if folder.is_dir():
            _fsync(folder)
    manifest = {
        "format": MANIFEST_FORMAT,
        "made_by": f"interview-bot {version()}",
        "created_at": clock.now().isoformat(timespec="seconds"),
        "data_dir": str(data_dir.resolve()),
        "members": counts["users"],
        "servers": counts["guilds"],
        "files": files,
        "skipped": [{"path": name, "problem": problem} for name, problem in skipped],
        "damaged": [{"path": name, "problem": problem} for name, problem in damaged],
    }
    _write_durably(dest / MANIFEST, json.dumps(manifest, indent=1).encode())
    return BackupReport(
        dest=dest,
        members=counts["users"],
        servers=counts["guilds"],
        index=index,
        bytes=sum(entry["bytes"] for entry in files),
        skipped=skipped,
        damaged=damaged,
    )


def _copy_one(source: Path, dest: Path) -> str | None:
    """Copy one store; None when done, else what went wrong (the partial copy removed)."""
    # Created private before SQLite writes a byte into it, whatever the umask.
    os.close(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        copy_store(source, dest)
    except sqlite3.Error as error:
        for suffix in ("", *SIDECARS):
            Path(f"{dest}{suffix}").unlink(missing_ok=True)
        return str(error)
    _fsync(dest)
    return None


def _verify(root: Path, name: str) -> list[tuple[str, str]]:
    """[(name, problem)] if the copy is damaged (as its store was), else []."""
    try:
        conn = open_read_only(root / name)
        try:
            found = "; ".join(integrity_problems(conn, quick=True))
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        found = str(error)
    return [(name, found)] if found else []


def _copy_private(source: Path, dest: Path) -> None:
    """Copy a file into a new one only this user can read, durably."""
    with source.open("rb") as src:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())


def _file_entry(root: Path, name: str) -> dict[str, Any]:
    path = root / name
    return {"path": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)
    _fsync(path.parent)


# -- restore ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What `restore` put in DATA_DIR, and where the data it replaced went."""

    members: int
    servers: int
    index: bool
    created_at: str
    set_aside: Path | None


def read_manifest(src: Path) -> dict[str, Any]:
    """A backup's manifest, checked for the fields a restore reads."""
    src = Path(src)
    if not src.is_dir():
        raise OperationError(f"{_describe(src)} isn't a folder: name a backup's folder", 2)
    path = src / MANIFEST
    if not path.exists():
        raise OperationError(
            f"{_describe(src)} isn't a finished backup: it has no {MANIFEST} "
            "(`backup` writes it last)",
            2,
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if manifest.get("format") != MANIFEST_FORMAT or not all(
            isinstance(entry["path"], str) and isinstance(entry["sha256"], str) for entry in files
        ):
            raise ValueError("unknown format")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OperationError(f"{_describe(path)} can't be read ({error})", 2) from None
    for entry in files:
        name = Path(entry["path"])
        if name.is_absolute() or ".." in name.parts or not _is_backup_file(name):
            raise OperationError(f"{_describe(path)} lists {str(name)!r}, not a store", 2)
    return dict(manifest)


def _is_backup_file(name: Path) -> bool:
    parts = name.parts
    if parts == (INDEX_FILE,):
        return True
    return len(parts) == 2 and parts[0] in DATA_FOLDERS


def data_files(data_dir: Path) -> list[Path]:
    """The bot's data in DATA_DIR that a restore would replace: every file in `users/`,
    `guilds/` and `deleting/`, and the index with its sidecars."""
    found = [
        path for folder in DATA_FOLDERS for path in (data_dir / folder).glob("*") if path.is_file()
    ]
    found += [
        path for suffix in ("", *SIDECARS) if (path := data_dir / f"{INDEX_FILE}{suffix}").is_file()
    ]
    return sorted(found)


def restore(
    src: Path, data_dir: Path, *, force: bool = False, clock: Clock | None = None
) -> RestoreReport:
    """Put the backup in `src` into `data_dir`, which no bot may be running on.

    Every file is checked against the manifest first. A DATA_DIR that already holds
    stores is refused unless `force`; then its data is moved aside, whole, into
    DATA_DIR/before-restore-<time>/ rather than deleted. The backup is copied into a
    folder inside DATA_DIR first and moved into place once complete.
    """
    clock = clock or Clock()
    src, data_dir = Path(src), Path(data_dir)
    manifest = read_manifest(src)
    for entry in manifest["files"]:
        path = src / entry["path"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise OperationError(
                f"the backup in {_describe(src)} is damaged: {entry['path']} "
                f"{'is missing' if not path.is_file() else 'differs from its manifest'}; "
                "nothing was restored"
            )
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    with hold_data_dir(data_dir):
        present = data_files(data_dir)
        if present and not force:
            raise OperationError(
                f"DATA_DIR {_describe(data_dir)} already holds the bot's data "
                f"({len(present)} files); restore into an empty DATA_DIR, or add --force "
                "to move that data aside (into DATA_DIR/before-restore-<time>/) first"
            )
        staging = data_dir / f"restoring-{stamp}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        for name in DATA_FOLDERS:
            (staging / name).mkdir(mode=0o700)
        for entry in manifest["files"]:
            _copy_private(src / entry["path"], staging / entry["path"])
        for folder in (*(staging / name for name in DATA_FOLDERS), staging):
            _fsync(folder)
        set_aside = _set_aside(data_dir, present, stamp) if present else None
        for name in (*DATA_FOLDERS, INDEX_FILE):
            target = data_dir / name
            if target.is_dir():
                target.rmdir()  # empty: what it held was set aside, or it held nothing
            if (staging / name).exists():
                (staging / name).rename(target)
        staging.rmdir()
        _fsync(data_dir)
    index = any(entry["path"] == INDEX_FILE for entry in manifest["files"])
    return RestoreReport(
        members=int(manifest.get("members", 0)),
        servers=int(manifest.get("servers", 0)),
        index=index,
        created_at=str(manifest.get("created_at", "")),
        set_aside=set_aside,
    )


def _set_aside(data_dir: Path, present: list[Path], stamp: str) -> Path:
    """Move the data a forced restore replaces into DATA_DIR/before-restore-<stamp>/."""
    aside = data_dir / f"before-restore-{stamp}"
    aside.mkdir(mode=0o700)
    for path in present:
        target = aside / path.relative_to(data_dir)
        target.parent.mkdir(mode=0o700, exist_ok=True)
        path.rename(target)
    _fsync(aside)
    return aside


# -- check -----------------------------------------------------------------------------
@dataclass(slots=True)
class CheckReport:
    """What `check` found in a DATA_DIR (or a backup's folder)."""

    folder: Path
    members: int = 0
    servers: int = 0
    index: str = "missing"  # missing, ok or damaged
    damaged: list[tuple[str, str]] = field(default_factory=list)
    owed: int = 0
    interrupted: int = 0
    # (member, reminder id): owed by a store but not in the index (or at another time),
    # and in the index but owed by no store.
    unindexed: list[tuple[int, int]] = field(default_factory=list)
    stale: list[tuple[int, int]] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """How many things are wrong: each damaged file, and drift between the index and
        the stores when there is an index to drift."""
        return len(self.damaged) + len(self.unindexed) + len(self.stale)


def check(folder: Path) -> CheckReport:
    """Open every store in `folder` read-only and run `PRAGMA integrity_check`, then
    compare the reminder index with the reminders the members' stores still owe (the
    consistency pass's comparison, bot/reminders/consistency.py, without repairing
    anything). Safe while the bot runs."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OperationError(f"{_describe(folder)} doesn't exist: there is nothing to check", 2)
    report = CheckReport(folder=folder)
    owed: dict[int, dict[int, tuple[str, datetime]]] = {}
    unreadable: set[int] = set()
    for path in store_files(folder / "users"):
        user_id = int(path.name.removesuffix(".sqlite3"))
        rows = _check_store(report, path, f"users/{path.name}", read=owed_reminders)
        if rows is None:
            unreadable.add(user_id)
        else:
            owed[user_id] = rows
        report.members += 1
    for path in store_files(folder / "guilds"):
        _check_store(report, path, f"guilds/{path.name}", read=None)
        report.servers += 1
    indexed = None
    if (folder / INDEX_FILE).exists():
        indexed = _check_store(report, folder / INDEX_FILE, INDEX_FILE, read=index_entries)
        report.index = "ok" if indexed is not None else "damaged"
    report.owed = sum(len(rows) for rows in owed.values())
    report.interrupted = sum(
        state == "sending" for rows in owed.values() for state, _ in rows.values()
    )
    if indexed is not None:
        for user_id, rows in owed.items():
            entries = indexed.get(user_id, {})
            report.unindexed += [
                (user_id, rid) for rid, (_, due) in sorted(rows.items()) if entries.get(rid) != due
            ]
        for user_id, entries in sorted(indexed.items()):
            if user_id in unreadable:
                continue  # reported as damaged; its entries can't be judged
            rows = owed.get(user_id, {})
            report.stale += [(user_id, rid) for rid in sorted(entries) if rid not in rows]
    return report


def _check_store(report: CheckReport, path: Path, name: str, *, read: Any) -> Any:
    """Integrity-check one file (and read what `read` reads from it); None if damaged."""
    try:
        conn = open_read_only(path)
    except sqlite3.Error as error:
        if path.exists():  # else deleted since the folder was listed (/mydata delete)
            report.damaged.append((name, str(error)))
        return None
    try:
        found = integrity_problems(conn)
        if found:
            report.damaged.append((name, "; ".join(found)))
            return None
        return read(conn) if read is not None else {}
    except sqlite3.Error as error:
        report.damaged.append((name, str(error)))
        return None
    finally:
        conn.close()
