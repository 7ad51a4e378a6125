"""Reminders follow the data: a member's unit of work arms and forgets its own reminders,
and no failure at any step leaves a pending reminder without a timer or an index entry."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bot.reminders.index import DueIndex
from bot.reminders.timer import job_id
from bot.store import Stores
from bot.store.pool import StorePool
from tests.support.reminders import ALICE, START, add_meeting_reminder


def jobs(engine) -> set[str]:
    return engine.timers.job_ids()


async def indexed(engine, user_id) -> dict[int, object]:
    return await engine.index.of_member(user_id)


async def pending_ids(stores, user_id) -> set[int]:
    async with stores.member(user_id) as store:
        return {r.id for r in await store.pending_reminders()}


async def test_a_committed_reminder_is_armed_and_indexed_by_the_store(engine, stores, clock):
    await engine.start()
    await engine.idle()
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    assert jobs(engine) == {job_id(ALICE, rid)}
    assert await indexed(engine, ALICE) == {rid: START + timedelta(hours=2)}


async def test_cancelling_in_the_store_forgets_the_timer(engine, stores, clock):
    await engine.start()
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    async with stores.member(ALICE) as store:
        meeting_id = (await store.get_reminder(rid)).subject_id
        await store.cancel_reminders(meeting_id=meeting_id)
    assert jobs(engine) == set()
    assert await indexed(engine, ALICE) == {}


async def test_removing_a_prospect_forgets_the_reminders_its_cascade_deleted(engine, stores, clock):
    await engine.start()
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    async with stores.member(ALICE) as store:
        prospect = await store.find_prospect_by_name("Ada Lovelace")
        await store.remove_prospect(prospect.id)
    assert jobs(engine) == set()
    assert await indexed(engine, ALICE) == {}
    assert rid not in await pending_ids(stores, ALICE)


async def test_a_rolled_back_transaction_arms_nothing(engine, stores, clock):
    await engine.start()
    with pytest.raises(RuntimeError):
        async with stores.member(ALICE) as store:
            prospect = await store.add_prospect("Ada Lovelace")
            async with store.transaction():
                meeting = await store.add_meeting(prospect.id, clock.now())
                await store.add_reminder(
                    "thanks", due_at=clock.now() + timedelta(hours=2), meeting_id=meeting.id
                )
                raise RuntimeError("the command failed after writing")
    assert jobs(engine) == set()
    assert await indexed(engine, ALICE) == {}


async def test_many_members_writing_at_once_keep_the_index_whole(engine, stores, clock):
    """The stress that hit `sqlite3.InterfaceError: bad parameter or other API misuse` in
    DueIndex.put: many members' units of work sharing the index's one connection."""
    await engine.start()
    await engine.idle()
    members = range(2000, 2060)

    async def member_works(user_id: int) -> None:
        rng = random.Random(user_id)
        for _ in range(6):
            rid = await add_meeting_reminder(
                stores, user_id, due_in=timedelta(hours=rng.randint(1, 48)), clock=clock
            )
            if rng.random() < 0.4:
                async with stores.member(user_id) as store:
                    meeting_id = (await store.get_reminder(rid)).subject_id
                    await store.cancel_reminders(meeting_id=meeting_id)

    await asyncio.gather(*(member_works(user_id) for user_id in members))
    for user_id in members:
        async with stores.member(user_id) as store:
            truth = {r.id: r.due_at for r in await store.pending_reminders()}
        assert await indexed(engine, user_id) == truth
        assert {j for j in jobs(engine) if j.startswith(f"reminder:{user_id}:")} == {
            job_id(user_id, rid) for rid in truth
        }


async def test_the_index_survives_interleaved_use_from_many_tasks(tmp_path):
    """The root cause: cursors finalised on the event loop's thread while the index's
    connection thread runs another statement. Every statement now closes its cursor."""
    index = DueIndex(tmp_path)
    await index.open()
    errors: list[BaseException] = []

    async def work(user_id: int) -> None:
        rng = random.Random(user_id)
        for n in range(100):
            try:
                roll = rng.random()
                if roll < 0.4:
                    await index.put(user_id, [(n, START + timedelta(minutes=n))])
                elif roll < 0.6:
                    await index.remove(user_id, [n - 1])
                elif roll < 0.7:
                    await index.remove_member(user_id)
                elif roll < 0.85:
                    await index.of_member(user_id)
                else:
                    await index.due_by(START + timedelta(minutes=50))
            except Exception as error:
                errors.append(error)

    await asyncio.gather(*(work(user_id) for user_id in range(50)))
    await index.close()
    assert errors == []


# -- faults at each step of a unit of work ----------------------------------------------
class Boom(Exception):
    """An injected failure."""


def _fail_index_put(engine, monkeypatch):
    async def put(*_args, **_kwargs):
        raise Boom("index.put")

    monkeypatch.setattr(engine.index, "put", put)


def _fail_index_remove(engine, monkeypatch):
    async def remove(*_args, **_kwargs):
        raise Boom("index.remove")

    monkeypatch.setattr(engine.index, "remove", remove)


def _fail_read_back(engine, monkeypatch):
    from bot.store.member import MemberStore

    original = MemberStore.reminder_outcomes
    calls = {"n": 0}

    async def outcomes(self, ids):
        calls["n"] += 1
        if calls["n"] == 2:  # the first read is the record before COMMIT
            raise Boom("reading the rows back after the commit")
        return await original(self, ids)

    monkeypatch.setattr(MemberStore, "reminder_outcomes", outcomes)


def _cancel_after_commit(engine, monkeypatch):
    import aiosqlite

    original = aiosqlite.Connection.commit

    async def commit(self):
        await original(self)
        raise asyncio.CancelledError  # the command was cancelled as the commit returned

    monkeypatch.setattr(aiosqlite.Connection, "commit", commit)


def _lose_the_settle(engine, monkeypatch):
    async def settle(*_args, **_kwargs):
        return None  # the process died right after the commit

    monkeypatch.setattr(engine, "settle", settle)


FAULTS = {
    "index write before commit": _fail_index_put,
    "index removal after commit": _fail_index_remove,
    "reading the rows back": _fail_read_back,
    "cancelled as the commit returns": _cancel_after_commit,
    "process dies after the commit": _lose_the_settle,
}


@pytest.mark.parametrize("fault", FAULTS)
async def test_no_fault_leaves_a_reminder_without_a_timer(
    fault, make_engine, stores, clock, tmp_path, monkeypatch
):
    engine = make_engine()
    await engine.start()
    await engine.idle()
    async with stores.member(ALICE) as store:
        prospect = await store.add_prospect("Ada Lovelace")
        meeting = await store.add_meeting(prospect.id, clock.now())
    FAULTS[fault](engine, monkeypatch)
    try:
        async with stores.member(ALICE) as store:
            await store.add_reminder(
                "thanks", due_at=clock.now() + timedelta(hours=2), meeting_id=meeting.id
            )
    except (Boom, asyncio.CancelledError):
        pass
    await engine.idle()
    monkeypatch.undo()
    truth = await pending_ids(stores, ALICE)
    assert truth, "the reminder was committed"

    # Armed in this process, or recorded in the index so the next start arms it.
    armed_now = {job_id(ALICE, rid) for rid in truth} <= jobs(engine)
    await engine.stop()
    index = DueIndex(tmp_path)
    await index.open()
    recorded = set(await index.of_member(ALICE)) >= truth
    await index.close()
    assert armed_now or recorded

    # And after a restart, whatever happened, every pending row has its timer.
    restarted = Stores(StorePool(tmp_path, clock, max_open=8))
    second = make_engine(on=restarted)
    await second.start()
    await second.idle()
    assert {job_id(ALICE, rid) for rid in truth} <= jobs(second)
    assert set(await indexed(second, ALICE)) == truth
    await second.stop()
    await restarted.close()


async def test_the_index_gives_a_batch_of_members_entries_in_one_read(tmp_path):
    """What the consistency pass compares each batch of 32 looks with."""
    index = DueIndex(tmp_path)
    await index.open()
    try:
        await index.put(1, [(10, START), (11, START + timedelta(hours=1))])
        await index.put(2, [(20, START)])
        await index.put(3, [(30, START)])
        found = await index.of_members([1, 2, 4])
    finally:
        await index.close()
    assert found == {1: {10: START, 11: START + timedelta(hours=1)}, 2: {20: START}}
