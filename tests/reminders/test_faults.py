"""Faults after a timer fires: every one ends in a retry or a recorded state, never in a
spent timer with the reminder still owed (issue 13, items 1, 2, 3 and 4)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest

from bot.reminders import engine as engine_module
from bot.reminders.engine import BACKOFF
from bot.reminders.timer import job_id
from bot.store.member import MemberStore
from tests.support.operations import damage
from tests.support.reminders import ALICE, BOB, add_meeting_reminder


async def reminder(stores, user_id, reminder_id):
    async with stores.member(user_id) as store:
        return await store.get_reminder(reminder_id)


async def test_a_claim_that_fails_once_is_tried_again(
    engine, stores, clock, fake_discord, monkeypatch
):
    """A store locked by another process (or a full disk) at claim time used to leave the
    row pending with no timer until the next restart."""
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    original = MemberStore.claim_reminder
    failures = {"left": 1}

    async def claim(self, reminder_id, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise sqlite3.OperationalError("database is locked")
        return await original(self, reminder_id, **kwargs)

    monkeypatch.setattr(MemberStore, "claim_reminder", claim)
    await engine.start()
    await engine.idle()
    clock.advance(hours=1)
    await engine.idle()
    row = await reminder(stores, ALICE, rid)
    assert row.state == "pending" and row.attempts == 0
    assert job_id(ALICE, rid) in engine.timers.job_ids()  # not a spent timer

    clock.advance(BACKOFF[0])
    await engine.run_due()
    await engine.idle()
    assert (await reminder(stores, ALICE, rid)).state == "sent"
    assert len(fake_discord.sent) == 1


async def test_sends_that_never_answer_free_their_slots(
    engine, stores, clock, fake_discord, monkeypatch
):
    """Eight DM sends with no answer used to hold every delivery slot for aiohttp's 300 s."""
    monkeypatch.setattr(engine_module, "SEND_TIMEOUT_SECONDS", 0.2)
    members = range(3000, 3010)  # more than the eight delivery slots
    rids = {
        user_id: await add_meeting_reminder(stores, user_id, due_in=timedelta(0), clock=clock)
        for user_id in members
    }
    fake_discord.stall = asyncio.Event()  # Discord takes nothing and never answers
    await engine.start()
    async with asyncio.timeout(10):
        await engine.idle()
    for user_id, rid in rids.items():
        row = await reminder(stores, user_id, rid)
        assert row.state == "pending" and row.attempts == 1  # released with a backoff
        assert row.due_at == clock.now() + BACKOFF[0]

    fake_discord.stall.set()
    fake_discord.stall = None
    clock.advance(BACKOFF[0])
    await engine.run_due()
    await engine.idle()
    assert {s.channel_id for s in fake_discord.sent} == {
        fake_discord._dm_of[user_id] for user_id in members
    }
    assert len(fake_discord.sent) == len(members)


@pytest.mark.parametrize("damaged", ["ALICE", "BOB"])
async def test_one_damaged_store_doesnt_stop_the_consistency_pass(
    damaged, engine, stores, clock, tmp_path
):
    """The damaged store is set aside (its owner told on their next command) and every
    other member is still checked and repaired."""
    ids = {}
    for user_id in (ALICE, BOB):
        for _ in range(40):  # enough rows for several pages
            ids[user_id] = await add_meeting_reminder(
                stores, user_id, due_in=timedelta(hours=2), clock=clock
            )
    broken, healthy = (ALICE, BOB) if damaged == "ALICE" else (BOB, ALICE)
    await stores.close()
    damage(tmp_path / "users" / f"{broken}.sqlite3", "reminders")
    from bot.store import Stores
    from bot.store.pool import StorePool

    reopened = Stores(StorePool(tmp_path, clock, max_open=8))
    from bot.reminders import ReminderEngine

    second = ReminderEngine(engine.bot, reopened, clock, tmp_path)
    await second.start()
    report = await second.consistency
    await second.idle()
    assert report.members == 2
    assert job_id(healthy, ids[healthy]) in second.timers.job_ids()
    assert list((tmp_path / "users").glob(f"{broken}.sqlite3.unreadable-*"))
    assert reopened.pool.take_moved_aside("users", broken) is not None
    await second.stop()
    await reopened.close()


async def test_a_damaged_index_is_rebuilt_from_the_stores(engine, stores, clock, tmp_path):
    rids = {
        user_id: await add_meeting_reminder(stores, user_id, due_in=timedelta(hours=2), clock=clock)
        for user_id in range(4000, 4030)
    }
    await engine.start()
    await engine.idle()
    await engine.stop()
    damage(tmp_path / "reminder-index.sqlite3", "due")

    second = type(engine)(engine.bot, stores, clock, tmp_path)
    await second.start()
    await second.consistency
    await second.idle()
    assert {job_id(u, r) for u, r in rids.items()} <= second.timers.job_ids()
    assert len(await second.index.all()) == len(rids)
    # and the index takes new reminders again
    new = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=3), clock=clock)
    assert new in await second.index.of_member(ALICE)
    await second.stop()
