"""What every store test starts from: the injected clock, and the stores on a fresh
DATA_DIR with a small pool (so the bound on open connections is reached in tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.store import StorePool, Stores

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday


@pytest.fixture
def clock() -> FakeClock:
    """The stores' clock, at Friday 2026-11-27 15:00 UTC until a test moves it."""
    return FakeClock(NOW)


@pytest.fixture
async def stores(tmp_path, clock):
    """Member and server stores in a temporary DATA_DIR, closed after the test."""
    stores = Stores(StorePool(tmp_path, clock, max_open=8))
    yield stores
    await stores.close()
