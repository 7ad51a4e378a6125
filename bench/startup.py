"""A big club's bot starting up, and its background check of every member's store.

10,000 member stores with three pending reminders each (and the index a running bot
keeps of them) in DATA_DIR. The bot starts as deployed (`python -m bot`, bench/process.py)
first on an empty DATA_DIR, then on the full one, and is measured from outside:

  time to ready (its "ready as" log line) on the full DATA_DIR, less on the empty one:
    what 10,000 members add to a restart;
  peak RSS (the kernel's VmHWM) and the most threads seen, over start-up and the pass;
  the background consistency pass that start-up begins (every store against the index):
    its duration per store (from the bot's own log line), and /help's p95 while it runs
    against its p95 once it is done.

Member stores are copies of one made through the store API (the same file the API writes
for each member; making 10,000 one by one takes six minutes).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.burst import help_once
from bench.process import BotProcess, start_bot
from bench.report import Figure, percentile
from bot.clock import Clock
from bot.emulator.driver import Driver
from bot.emulator.server import Emulator
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool

BENCH = "startup"
TOKEN = "emulator-token-for-the-benchmark"  # noqa: S105 - a fake token for a local fake Discord
FIRST_USER_ID = 300_000_000_000_000_000
PER_MEMBER = 3
CHECKED_LINE = r"reminders: checked (\d+) stores in ([\d.]+)s"
IDLE_PROBES = 200
PROBE_EVERY = 0.02

# Targets (issue 12).
READY_EXTRA_S = 3.0
PEAK_RSS_MB = 200
THREADS = 50
PASS_MS_PER_STORE = 2.0
P95_DURING_PASS = 1.5


async def seed(data_dir: Path, members: int) -> None:
    """`members` stores with PER_MEMBER pending reminders each, and their index."""
    clock = Clock()
    now = clock.now()
    with tempfile.TemporaryDirectory(prefix="bench-template-") as folder:
        stores = Stores(StorePool(Path(folder), clock))
        due = []
        try:
            async with stores.member(1) as store:
                prospect = await store.add_prospect("Ada Lovelace", organization="Acme")
                async with store.transaction():
                    meeting = await store.add_meeting(prospect.id, now + timedelta(days=3))
                    for step in range(PER_MEMBER):
                        due_at = now + timedelta(days=3, hours=2 + 18 * step)
                        rid = await store.add_reminder(
                            "thanks", due_at=due_at, meeting_id=meeting.id, step=step
                        )
                        due.append((rid, due_at))
        finally:
            await stores.close()
        template = Path(folder) / "users" / "1.sqlite3"
        users = data_dir / "users"
        users.mkdir(parents=True)

        def copy_all() -> None:
            for n in range(members):
                shutil.copyfile(template, users / f"{FIRST_USER_ID + n}.sqlite3")

        await asyncio.to_thread(copy_all)
    index = DueIndex(data_dir)
    await index.open()
    try:
        for n in range(members):
            await index.put(FIRST_USER_ID + n, due)
    finally:
        await index.close()


async def time_to_ready(emu: Emulator, data_dir: Path, log: Path) -> tuple[float, BotProcess]:
    """Start the bot on `data_dir`; seconds until it logged that it is ready, and it."""
    bot = await start_bot(emu, data_dir, log)
    bot.sample_threads()
    await bot.wait_for_log("ready as ", timeout=120)
    return time.perf_counter() - bot.started, bot


async def run(members: int = 10_000) -> list[Figure]:
    """Seed, start twice, watch the pass; the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        empty, full = Path(folder) / "empty", Path(folder) / "full"
        empty.mkdir()
        began = time.perf_counter()
        await seed(full, members)
        print(
            f"set-up: {members:,} member stores, {members * PER_MEMBER:,} pending reminders "
            f"in {time.perf_counter() - began:.1f} s"
        )
        async with Emulator(token=TOKEN) as emu:
            guild = emu.add_guild("Career Club")
            prober = emu.add_user("prober", guild=guild)
            driver = Driver(emu, timeout=30)

            ready_empty, bot = await time_to_ready(emu, empty, Path(folder) / "empty.log")
            await bot.stop()
            ready_full, bot = await time_to_ready(emu, full, Path(folder) / "full.log")
            try:
                during = []
                while not bot.log_has(CHECKED_LINE):
                    during.append(await help_once(driver, prober, guild))
                    await asyncio.sleep(PROBE_EVERY)
                found = await bot.wait_for_log(CHECKED_LINE, timeout=1)
                checked, pass_seconds = int(found[1]), float(found[2])
                idle = []
                for _ in range(IDLE_PROBES):
                    idle.append(await help_once(driver, prober, guild))
                    await asyncio.sleep(PROBE_EVERY)
                status = bot.status()
            finally:
                await bot.stop()
            assert emu.violations == [], emu.violations

    extra = ready_full - ready_empty
    peak_mb = status["VmHWM"] / 1024
    per_store_ms = pass_seconds / checked * 1000
    idle_p95, during_p95 = percentile(idle, 95) * 1000, percentile(during, 95) * 1000
    print(
        f"start-up: ready in {ready_full:.2f} s with {members:,} members, {ready_empty:.2f} s "
        f"empty; peak RSS {peak_mb:.0f} MB, {bot.peak_threads} threads at most; pass over "
        f"{checked:,} stores in {pass_seconds:.1f} s; /help p95 {during_p95:.1f} ms during "
        f"({len(during)} runs), {idle_p95:.1f} ms after"
    )
    return [
        Figure(
            BENCH,
            f"ready: {members:,} members, more than empty",
            extra,
            "s",
            READY_EXTRA_S,
            note=f"{ready_full:.2f} s vs {ready_empty:.2f} s, {members * PER_MEMBER:,} timers",
            baseline=ready_empty,
        ),
        Figure(BENCH, "peak RSS", peak_mb, "MB", PEAK_RSS_MB, note="start-up and the pass"),
        Figure(BENCH, "threads at most", bot.peak_threads, "", THREADS),
        Figure(
            BENCH,
            "consistency pass, per store",
            per_store_ms,
            "ms",
            PASS_MS_PER_STORE,
            note=f"{pass_seconds:.1f} s for {checked:,} stores",
        ),
        Figure(
            BENCH,
            "/help p95 during the pass ÷ after",
            during_p95 / idle_p95,
            "×",
            P95_DURING_PASS,
            note=f"{during_p95:.1f} ms vs {idle_p95:.1f} ms, {len(during)} runs",
            baseline=idle_p95,
        ),
    ]
