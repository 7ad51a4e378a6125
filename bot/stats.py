"""Anonymous club activity: what the cogs count, and the monthly view for /club stats.

Counts live in the server's own store as members act in that server; a member is
recorded only as a salted hash per month, so officers see how many, never who.
No member's own store is ever read here.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.store import Stores
from bot.store.guild import ACTIVE_MEMBERS, month_of

log = logging.getLogger(__name__)

METRICS = (
    "prospects_added",
    "requests_sent",
    "meetings_held",
    "thanks_sent",
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
    practice_pairs: int = 0
    practice_met: int = 0
    active_members: int = 0


async def count_activity(
    stores: Stores,
    clock: Clock,
    guild_id: int | None,
    user_id: int,
    metric: str,
    *,
    amount: int = 1,
) -> None:
    """Count what a member did in a server (nothing in DMs, where guild_id is None).

    `metric` is one of METRICS; `amount` counts several at once (e.g. an import's
    added prospects; 0 counts nothing). Counting is best-effort: a storage failure is
    logged, never shown to the member whose own action already succeeded. Call it
    after the member's own store block has closed, so no two store locks are nested.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} (got {metric!r})")
    if amount < 0:
        raise ValueError(f"amount can't be negative (got {amount})")
    if guild_id is None or amount == 0:
        return
    try:
        async with stores.guild(guild_id) as store:
            await store.record_activity(metric, user_id, clock.now(), amount=amount)
    except (sqlite3.Error, OSError):
        log.exception("could not count %s for server %s", metric, guild_id)


async def uncount_activity(
    stores: Stores, guild_id: int | None, metric: str, counted_at: datetime
) -> None:
    """Take back one `metric` event counted at `counted_at` in a server (a request logged
    by mistake and removed), so the club's counts say what really happened. Nothing in
    DMs (guild_id None). Best-effort and outside the member's store block, as counting is."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} (got {metric!r})")
    if guild_id is None:
        return
    try:
        async with stores.guild(guild_id) as store:
            await store.take_back_activity(metric, counted_at)
    except (sqlite3.Error, OSError):
        log.exception("could not uncount %s for server %s", metric, guild_id)


def recent_months(now: datetime, count: int = MONTHS_SHOWN) -> list[str]:
    """The last `count` UTC months up to and including now's, newest first ("YYYY-MM")."""
    year, month = map(int, month_of(now).split("-"))
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


async def club_activity(
    stores: Stores, clock: Clock, guild_id: int, months: int = MONTHS_SHOWN
) -> list[MonthlyActivity]:
    """The server's counts for the last `months` UTC months, newest first."""
    wanted = recent_months(clock.now(), months)
    async with stores.guild(guild_id) as store:
        counts = await store.monthly_counts(wanted)
    return [
        MonthlyActivity(
            month=month,
            active_members=counts[month].get(ACTIVE_MEMBERS, 0),
            **{metric: counts[month].get(metric, 0) for metric in METRICS},
        )
        for month in wanted
    ]
