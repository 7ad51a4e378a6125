"""The run's own bookkeeping: the end-to-end suite's count of suggested commands.

Each end-to-end test checks the commands its replies suggest (`tests/e2e/conftest.py`)
and records them in a folder made for this run, one file per xdist worker (the workers
inherit the folder's name from this process's environment); the summary adds them up.
Fixtures live in each folder's own `conftest.py`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.store import StorePool, Stores
from tests.support.suggestions import RECORD_ENV, summary

_OWNS_RECORDS = pytest.StashKey[bool]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    """Make this run's folder for the records, before any worker starts."""
    if not _is_worker(config) and RECORD_ENV not in os.environ:
        os.environ[RECORD_ENV] = tempfile.mkdtemp(prefix="suggested-commands-")
        config.stash[_OWNS_RECORDS] = True


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """One line saying how many suggested commands the end-to-end tests checked."""
    folder = os.environ.get(RECORD_ENV)
    if folder and not _is_worker(config) and (line := summary(Path(folder))):
        terminalreporter.write_line(line)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove this run's records."""
    if config.stash.get(_OWNS_RECORDS, False):
        shutil.rmtree(os.environ.pop(RECORD_ENV), ignore_errors=True)


# What the store and reminder tests start from (end-to-end tests have their own clock).
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
