"""What the operator's command-line tests share: running `python -m bot COMMAND` as a
process, damaging a store file, a free local port, reading a Prometheus scrape."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 60.0


@dataclass(frozen=True)
class Ran:
    """A finished `python -m bot …`: its exit status and what it printed."""

    code: int
    out: str
    err: str


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `python -m bot` run on `data_dir` (no token, no .env's)."""
    return {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DISCORD_TOKEN": "",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


async def run_cli(*args: str, data_dir: Path, **extra: str) -> Ran:
    """`python -m bot ARGS…` as its own process, on `data_dir`."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=cli_env(data_dir, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), CLI_TIMEOUT)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


def damage(path: Path, table: str) -> None:
    """Overwrite the root page of one table in an SQLite file, keeping the header and the
    schema intact: the file opens fine and fails when that table is read."""
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)
        ).fetchone()
        (page,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page
    data[start : start + page] = b"\xff" * page
    path.write_bytes(bytes(data))


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample(scrape: str, name: str, **labels: str) -> float:
    """One sample's value in a Prometheus text scrape (0 when it isn't there)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(scrape):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


# -- stores written through bot.store's API --------------------------------------------
async def write_unit(store, n: int, now) -> None:
    """One unit of work: a prospect, a meeting with them and its prep reminder, committed
    together (so a consistent copy holds all three or none)."""
    from datetime import timedelta

    async with store.transaction():
        prospect = await store.add_prospect(f"Person {n}", organization=f"Company {n % 7}")
        meeting = await store.add_meeting(prospect.id, now + timedelta(days=3))
        await store.add_reminder("prep", due_at=now + timedelta(days=2), meeting_id=meeting.id)


async def units_in(stores, user_id: int) -> tuple[int, int, int]:
    """(prospects, meetings, pending reminders) in a member's store."""
    async with stores.member(user_id, create=False) as store:
        prospects = await store.count_prospects()
        meetings = await store.count("SELECT COUNT(*) FROM meetings")
        reminders = len(await store.pending_reminders())
    return prospects, meetings, reminders
