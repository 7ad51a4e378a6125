"""Anonymous club activity: what the cogs count, and the monthly view for /club stats.

Counts live in the server's own store as members act in that server; a member is
recorded only as a salted hash per month, so officers see how many, never who.
No member's own store is ever read here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.store import Stores
from bot.store.counts import month_of
from bot.store.guild import ACTIVE_MEMBERS, ActivityChange
from bot.store.pool import PoolClosedError

log = logging.getLogger(__name__)

METRICS = (
    "prospects_added",
    "requests_sent",
    "meetings_held",
    "thanks_sent",
    "network_requests",  # club network requests sent (the request counts it, bot/store/network.py)
    "practice_pairs",  # practice pairs made (a round counts them, bot/store/practice.py)
    "practice_met",  # practice pairs that met (the first "We met" of each)
)
MONTHS_SHOWN = 6


@dataclass(frozen=True, slots=True)
class MonthlyActivity:
    """One UTC month of a server's anonymous counts."""

    month: str  # "YYYY-MM"
    prospects_added: int = 0
    requests_sent: int = 0
    meetings_held: int = 0
    thanks_sent: int = 0
    network_requests: int = 0
    practice_pairs: int = 0
    practice_met: int = 0
    active_members: int = 0


class ClubActivity:
    """Counts what members do in a server, written after their answer has gone.

    A command counts (`count`, `uncount`) without waiting: the server's store is written
    by a background writer, one per server, which gathers what arrives for up to
    `gather` seconds and writes it in one transaction. The member's answer never waits
    for a second store nor shares the moment it goes out with that write, and a burst
    (an import, a busy evening) costs one write per batch, not one per event. Reading
    the counts (`monthly`) first has that server's writer write at once, so /club stats
    includes everything counted before it was asked; `close` writes what is queued
    (what a crash loses is at most `gather` seconds of counts).

    Counting is best-effort: a storage failure is logged, never shown to the member
    whose own action already succeeded.
    """

    def __init__(self, stores: Stores, clock: Clock, *, gather: float = 1.0) -> None:
        self.stores = stores
        self.clock = clock
        self.gather = gather
        self._queued: dict[int, list[ActivityChange]] = {}
        self._writers: dict[int, asyncio.Task[None]] = {}
        self._write_now: dict[int, asyncio.Event] = {}
        # Per server, how many changes were queued and how many written (or given up on):
        # waiting for a number, not for the writer, a reader never waits on counts made
        # after it asked, however busy the server.
        self._queued_total: dict[int, int] = {}
        self._written_total: dict[int, int] = {}
        self._progress = asyncio.Condition()

    def count(self, guild_id: int | None, user_id: int, metric: str, *, amount: int = 1) -> None:
        """Count what a member did in a server (nothing in DMs, where guild_id is None).

        `metric` is one of METRICS; `amount` counts several at once (e.g. an import's
        added prospects; 0 counts nothing). The month is now's, whenever it is written.
        """
        _check(metric)
        if amount < 0:
            raise ValueError(f"amount can't be negative (got {amount})")
        if guild_id is not None and amount:
            self._queue(guild_id, ActivityChange(metric, self.clock.now(), amount, user_id))

    def uncount(self, guild_id: int | None, metric: str, counted_at: datetime) -> None:
        """Take back one `metric` event counted at `counted_at` in a server (a request
        logged by mistake and removed), so the club's counts say what really happened.
        Nothing in DMs (guild_id None)."""
        _check(metric)
        if guild_id is not None:
            self._queue(guild_id, ActivityChange(metric, counted_at, -1))

    async def monthly(self, guild_id: int, months: int = MONTHS_SHOWN) -> list[MonthlyActivity]:
        """The server's counts for the last `months` UTC months, newest first, including
        everything counted before this was asked."""
        await self.settled(guild_id)
        wanted = recent_months(self.clock.now(), months)
        async with self.stores.guild(guild_id) as store:
            counts = await store.monthly_counts(wanted)
        return [
            MonthlyActivity(
                month=month,
                active_members=counts[month].get(ACTIVE_MEMBERS, 0),
                **{metric: counts[month].get(metric, 0) for metric in METRICS},
            )
            for month in wanted
        ]

    async def settled(self, guild_id: int | None = None) -> None:
        """Wait until what was counted so far (in one server, or in all) is written."""
        wanted = {
            key: total
            for key, total in self._queued_total.items()
            if guild_id in (None, key) and self._written_total.get(key, 0) < total
        }
        for key in wanted:
            self._write_now[key].set()

        def written() -> bool:
            return all(self._written_total.get(key, 0) >= total for key, total in wanted.items())

        async with self._progress:
            await self._progress.wait_for(written)

    async def close(self) -> None:
        """Write what is still queued (at shutdown, before the stores close)."""
        await self.settled()

    def _queue(self, guild_id: int, change: ActivityChange) -> None:
        self._queued.setdefault(guild_id, []).append(change)
        self._queued_total[guild_id] = self._queued_total.get(guild_id, 0) + 1
        if guild_id not in self._writers:
            self._write_now[guild_id] = asyncio.Event()
            self._writers[guild_id] = asyncio.create_task(
                self._write(guild_id), name=f"club activity {guild_id}"
            )

    async def _write(self, guild_id: int) -> None:
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._write_now[guild_id].wait(), self.gather)
            while batch := self._queued.pop(guild_id, None):
                try:
                    async with self.stores.guild(guild_id) as store:
                        await store.count_activity(batch)
                except (sqlite3.Error, OSError, PoolClosedError):
                    log.exception("could not count %s changes for server %s", len(batch), guild_id)
                finally:
                    async with self._progress:
                        written = self._written_total.get(guild_id, 0) + len(batch)
                        self._written_total[guild_id] = written
                        self._progress.notify_all()
        finally:
            del self._writers[guild_id]
            del self._write_now[guild_id]


def _check(metric: str) -> None:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} (got {metric!r})")


def recent_months(now: datetime, count: int = MONTHS_SHOWN) -> list[str]:
    """The last `count` UTC months up to and including now's, newest first ("YYYY-MM")."""
    year, month = map(int, month_of(now).split("-"))
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months
