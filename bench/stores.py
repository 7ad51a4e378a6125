"""The bounded store pool under load: many members' stores, and one member's busy store.

churn     5,000 members' stores used in turn by 16 concurrent workers (16 members'
          commands at once) through a pool with the default `max_open`: once to
          create each store (a copy of the migrated schema), once more to reopen it
          (an LRU miss every time). Ops/s, and the peak of open connections and of
          threads (aiosqlite runs one thread per connection, open or still closing),
          which must stay bounded however many members there are.
writers   50 concurrent writers adding prospects to one member's store (the
          per-store lock serialises them): writes/s, and that none is lost.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench.report import Figure
from bot.clock import Clock
from bot.store import Stores
from bot.store.pool import MAX_CLOSING, StorePool

BENCH = "stores"
FIRST_USER_ID = 200_000_000_000_000_000
WORKERS = 16
WRITES_EACH = 20

# Targets: about half of what this 2-core machine does today, so noise from other
# work passes and a real regression (an fsync per open, a leaked connection) does not.
CREATE_OPS = 100
REOPEN_OPS = 200
WRITES_PER_S = 300
THREAD_SLACK = 4  # threads besides the main one and one per connection (executors, GC)


class Peaks:
    """The highest open-connection and thread counts seen."""

    def __init__(self, pool: StorePool) -> None:
        self.pool = pool
        self.open = 0
        self.threads = 0

    def sample(self) -> None:
        """Look now (called while a store is held, when both counts are highest)."""
        self.open = max(self.open, self.pool.open_count)
        self.threads = max(self.threads, threading.active_count())


async def churn(data_dir: Path, members: int) -> tuple[float, Peaks]:
    """Use every member's store once, `WORKERS` at a time; (seconds, peaks)."""
    stores = Stores(StorePool(data_dir, Clock()))
    peaks = Peaks(stores.pool)
    user_ids: Iterator[int] = iter(range(FIRST_USER_ID, FIRST_USER_ID + members))

    async def worker() -> None:
        for user_id in user_ids:
            async with stores.member(user_id) as store:
                await store.settings()
                peaks.sample()

    began = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(WORKERS)))
    finally:
        await stores.close()
    return time.perf_counter() - began, peaks


async def writers(data_dir: Path, count: int) -> tuple[float, int, Peaks]:
    """`count` writers each adding `WRITES_EACH` prospects to one store; (seconds, kept, peaks)."""
    stores = Stores(StorePool(data_dir, Clock()))
    peaks = Peaks(stores.pool)
    user_id = FIRST_USER_ID - 1

    async def writer(n: int) -> None:
        for k in range(WRITES_EACH):
            async with stores.member(user_id) as store:
                await store.add_prospect(f"Writer {n} prospect {k}")
                peaks.sample()

    async with stores.member(user_id) as store:
        await store.settings()  # created before the clock starts
    began = time.perf_counter()
    try:
        await asyncio.gather(*(writer(n) for n in range(count)))
        took = time.perf_counter() - began
        async with stores.member(user_id) as store:
            names = {p.name for p, _ in await store.list_prospects()}
    finally:
        await stores.close()
    return took, len(names), peaks


async def run(members: int = 5000, writer_count: int = 50) -> list[Figure]:
    """Measure churn and concurrent writes in a temporary folder; the figures."""
    base_threads = threading.active_count()
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-stores-") as folder:
        data_dir = Path(folder)
        created, create_peaks = await churn(data_dir, members)
        reopened, reopen_peaks = await churn(data_dir, members)
        max_open = create_peaks.pool.max_open  # the pool's default, as the bot uses it
        # Each worker holds one store while the pool evicts down to max_open others.
        open_bound = max_open + WORKERS
        print(
            f"churn: {members:,} stores created in {created:.1f} s, "
            f"reopened in {reopened:.1f} s ({WORKERS} at a time, max_open {max_open})"
        )
        peak_open = max(create_peaks.open, reopen_peaks.open)
        peak_threads = max(create_peaks.threads, reopen_peaks.threads)
        figures += [
            Figure(
                BENCH,
                "churn: create",
                members / created,
                "ops/s",
                target=CREATE_OPS,
                higher_is_better=True,
                note=f"{members:,} new stores, {WORKERS} at a time",
            ),
            Figure(
                BENCH,
                "churn: reopen",
                members / reopened,
                "ops/s",
                target=REOPEN_OPS,
                higher_is_better=True,
                note=f"{members:,} stores, each an LRU miss",
            ),
            Figure(
                BENCH,
                "churn: peak open connections",
                peak_open,
                "",
                target=open_bound,
                note=f"max_open {max_open} + {WORKERS} held",
            ),
            Figure(
                BENCH,
                "churn: peak threads",
                peak_threads,
                "",
                target=base_threads + open_bound + MAX_CLOSING + THREAD_SLACK,
                note=f"{base_threads} before; 1 per connection, open or closing",
            ),
        ]

        writes = writer_count * WRITES_EACH
        took, kept, peaks = await writers(data_dir, writer_count)
        print(f"writers: {writer_count} on one store, {writes:,} writes in {took:.2f} s")
        figures += [
            Figure(
                BENCH,
                f"{writer_count} writers, one store",
                writes / took,
                "writes/s",
                target=WRITES_PER_S,
                higher_is_better=True,
                note=f"{writes:,} prospects added",
            ),
            Figure(BENCH, "writes lost", writes - kept, "", target=0, hard=True),
            Figure(
                BENCH,
                "writers: peak open connections",
                peaks.open,
                "",
                target=1,
                note="one store, one connection",
            ),
        ]
    return figures
