"""Shutdown: the pool finishes units of work in progress, then opens nothing more."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.store import Stores
from bot.store.pool import PoolClosedError, StorePool

ALICE = 1001


@pytest.fixture
def stores(tmp_path) -> Stores:
    return Stores(StorePool(tmp_path, FakeClock(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))))


async def test_close_waits_for_a_unit_of_work_in_progress(stores):
    inside = asyncio.Event()
    release = asyncio.Event()

    async def command() -> None:
        async with stores.member(ALICE) as store:
            inside.set()
            await release.wait()
            await store.add_prospect("Ada Lovelace")

    running = asyncio.create_task(command())
    await inside.wait()
    closing = asyncio.create_task(stores.close())
    await asyncio.sleep(0)
    assert not closing.done()  # it waits for the command's block
    release.set()
    await asyncio.wait_for(asyncio.gather(running, closing), timeout=5)
    assert stores.pool.open_count == 0


async def test_no_store_opens_once_closing(stores):
    async with stores.member(ALICE) as store:
        await store.add_prospect("Ada Lovelace")
    await stores.close()
    with pytest.raises(PoolClosedError):
        async with stores.member(ALICE):
            pass
    assert stores.pool.open_count == 0


async def test_closed_stores_leave_no_worker_thread(stores):
    before = {t for t in threading.enumerate() if t.is_alive()}
    for user_id in range(ALICE, ALICE + 5):
        async with stores.member(user_id) as store:
            await store.add_prospect("Ada Lovelace")
    await stores.close()
    leftover = {t for t in threading.enumerate() if t.is_alive()} - before
    for thread in leftover:
        thread.join(timeout=2)
    assert not [t for t in leftover if t.is_alive()]
    assert all(not t.daemon for t in leftover)
