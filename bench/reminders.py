"""How long the reminder engine's start-up takes for many members.

Creates N member stores (default 1,000) with a couple of pending reminders each in a
temporary folder, then measures:
  1. the first consistency pass, which finds every reminder missing from an empty
     index and arms it (what an upgrade from a bot without an index does once);
  2. `engine.start()` after a restart: every job rebuilt from the index file alone,
     without opening a member's store (what delays readiness);
  3. the background consistency pass after that restart (nothing to repair).
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import Figure
from bot.clock import FakeClock
from bot.reminders import ReminderEngine
from bot.store import Stores
from bot.store.pool import StorePool

BENCH = "reminders"
START = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
FIRST_USER_ID = 100_000_000_000_000_000

# Targets. Readiness waits for the index rebuild, so it gets the tightest one; the
# consistency passes run in the background and only need to finish in reasonable time.
STARTUP_MS = 500  # all jobs of 1,000 members rebuilt from the index
FIRST_PASS_MS_PER_STORE = 10
CHECK_MS_PER_STORE = 5


async def create_members(data_dir: Path, clock: FakeClock, members: int, per_member: int) -> None:
    """Member stores with one meeting and `per_member` pending reminders each."""
    stores = Stores(StorePool(data_dir, clock, max_open=32))
    try:
        for n in range(members):
            async with stores.member(FIRST_USER_ID + n) as store:
                prospect = await store.add_prospect("Ada Lovelace")
                async with store.transaction():
                    meeting = await store.add_meeting(prospect.id, clock.now() + timedelta(days=3))
                    for step in range(per_member):
                        await store.add_reminder(
                            "thanks",
                            due_at=clock.now() + timedelta(days=3, hours=2 + 18 * step),
                            meeting_id=meeting.id,
                            step=step,
                        )
    finally:
        await stores.close()


async def run(members: int = 1000, per_member: int = 2) -> list[Figure]:
    """Set up, measure, print the details; return the figures."""
    clock = FakeClock(START)
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        data_dir = Path(folder)
        began = time.perf_counter()
        await create_members(data_dir, clock, members, per_member)
        setup = time.perf_counter() - began
        expected = members * per_member
        print(f"set-up: {members} member stores, {expected} pending reminders in {setup:.1f} s")

        stores = Stores(StorePool(data_dir, clock, max_open=32))
        engine = ReminderEngine(None, stores, clock, data_dir)
        began = time.perf_counter()
        await engine.start()
        report = await engine.consistency
        first_pass = time.perf_counter() - began
        assert report.armed == expected, report
        await engine.stop()
        await stores.close()
        print(
            f"first consistency pass (empty index): {first_pass:.2f} s, "
            f"armed {report.armed} reminders of {report.members} members"
        )

        stores = Stores(StorePool(data_dir, clock, max_open=32))
        engine = ReminderEngine(None, stores, clock, data_dir)
        began = time.perf_counter()
        await engine.start()
        startup = time.perf_counter() - began
        jobs = sum(job.id.startswith("reminder:") for job in engine.timers.scheduler.get_jobs())
        assert jobs == expected, jobs
        assert stores.pool.open_count == 0
        print(
            f"start-up after a restart: {jobs} jobs scheduled from the index in "
            f"{startup * 1000:.0f} ms ({startup / jobs * 1e6:.0f} µs per job), 0 stores opened"
        )
        began = time.perf_counter()
        report = await engine.consistency
        check = time.perf_counter() - began
        assert (report.armed, report.dropped, report.resumed) == (0, 0, 0), report
        print(
            f"background consistency pass: {report.members} stores in {check:.2f} s "
            f"({check / report.members * 1000:.1f} ms per store), nothing to repair"
        )
        await engine.stop()
        await stores.close()
    # The start-up target is for 1,000 members; scale it with --members.
    startup_target = STARTUP_MS * members / 1000
    return [
        Figure(
            BENCH,
            "first consistency pass, per store",
            first_pass / members * 1000,
            "ms",
            FIRST_PASS_MS_PER_STORE,
            note=f"{first_pass:.2f} s, {expected:,} reminders armed",
        ),
        Figure(
            BENCH,
            "start-up from the index",
            startup * 1000,
            "ms",
            startup_target,
            note=f"{jobs:,} jobs, 0 stores opened",
        ),
        Figure(
            BENCH,
            "background consistency pass, per store",
            check / report.members * 1000,
            "ms",
            CHECK_MS_PER_STORE,
            note=f"{check:.2f} s, nothing to repair",
        ),
    ]
