"""A server's anonymous monthly counts (the `stats` table /club stats reads): what every
part of the server's store that counts something shares."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.base import StoreBase

# Add to a month's count of a metric (the row is made on the month's first event).
ADD_TO_COUNT_SQL = (
    "INSERT INTO stats (month, metric, count) VALUES (?, ?, ?) "
    "ON CONFLICT (month, metric) DO UPDATE SET count = count + excluded.count"
)


def month_of(when: datetime) -> str:
    """The UTC month a moment falls in, as the counters key it: "2026-11"."""
    if when.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return when.astimezone(UTC).strftime("%Y-%m")


class CountsMixin(StoreBase):
    """Counting, inside the caller's transaction, what the server's own rows record."""

    async def _count(self, metric: str, when: datetime, amount: int = 1) -> None:
        """Add to the server's anonymous monthly count of `metric` (no member recorded:
        a pair or a request is counted, not who was in it)."""
        if amount >= 1:
            await self.execute(ADD_TO_COUNT_SQL, (month_of(when), metric, amount))
