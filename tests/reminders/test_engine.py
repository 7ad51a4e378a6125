"""The reminder engine: timing, claims, nonces and delivery states, against real stores."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import threading
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.reminders import consistency
from bot.reminders.delivery import (
    DM_CHANNEL_SETTING,
    HISTORY_LIMIT,
    HISTORY_MARGIN,
    dm_fingerprint,
    nonce_for,
)
from bot.reminders.engine import BACKOFF, DM_CLOSED_NOTICE
from bot.reminders.index import INDEX_FILE
from bot.reminders.timer import job_id
from bot.store import Stores
from bot.store.pool import StorePool
from tests.support.reminders import ALICE, BOB, add_meeting_reminder, http_error


def index_rows(tmp_path) -> set[tuple[int, int, str]]:
    with sqlite3.connect(tmp_path / INDEX_FILE) as conn:
        return set(conn.execute("SELECT user_id, reminder_id, due_at FROM due"))


def job_ids(engine) -> set[str]:
    return {job.id for job in engine.timers.scheduler.get_jobs() if job.id.startswith("reminder:")}


async def _no_jobs(engine) -> bool:
    return not job_ids(engine)


async def reminder(stores, user_id, reminder_id):
    async with stores.member(user_id) as store:
        return await store.get_reminder(reminder_id)


async def until(predicate, timeout: float = 5) -> None:
    """Let the engine's tasks run until `predicate()` holds (for outcomes with no DM)."""
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.01)


async def settled(stores, user_id, reminder_id, state):
    async def check():
        return (await reminder(stores, user_id, reminder_id)).state == state

    await until(check)


# -- delivery ---------------------------------------------------------------------------
async def test_a_reminder_is_sent_when_the_clock_reaches_it(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    assert job_ids(engine) == {job_id(ALICE, rid)}

    clock.set(clock.now() + timedelta(hours=1))
    await engine.run_due()
    assert fake_discord.attempts == []

    clock.advance(hours=1)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    sent = fake_discord.sent[0]
    assert sent.kwargs["content"] == f"thanks #{rid}"
    assert sent.kwargs["nonce"] == nonce_for(ALICE, rid)
    assert sent.kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    await settled(stores, ALICE, rid, "sent")
    row = await reminder(stores, ALICE, rid)
    assert row.message_id == sent.message_id
    assert row.attempts == 1
    assert not row.late
    assert index_rows(engine.data_dir) == set()
    assert job_ids(engine) == set()


async def test_the_job_calls_the_engine_and_always_runs_once(engine, stores, clock):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(days=1), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    job = engine.timers.scheduler.get_job(job_id(ALICE, rid))
    assert job.func == engine._fire
    assert job.args == (ALICE, rid)
    assert job.misfire_grace_time is None
    assert job.coalesce is True
    # Real run date = real now + (due − clock now): about a day from now.
    wait = job.next_run_time - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < wait <= timedelta(days=1)


async def test_a_second_fire_of_a_sent_reminder_sends_nothing(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    await settled(stores, ALICE, rid, "sent")

    engine.timers.place(ALICE, rid, clock.now())  # a stray job fires again
    await until(lambda: _no_jobs(engine))
    await engine.idle()
    await engine.deliver(ALICE, rid)
    await engine.run_due()

    assert len(fake_discord.attempts) == 1
    assert (await reminder(stores, ALICE, rid)).attempts == 1


async def test_fires_at_the_same_moment_send_one_dm(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    clock.set(clock.now() + timedelta(hours=1))
    await asyncio.gather(*(engine.deliver(ALICE, rid) for _ in range(5)), engine.run_due())
    await settled(stores, ALICE, rid, "sent")
    assert len(fake_discord.attempts) == 1


async def test_a_claimed_reminder_cannot_be_claimed_again(stores, clock):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        first = await store.claim_reminder(rid)
        second = await store.claim_reminder(rid)
    assert first is not None and first.state == "sending" and first.attempts == 1
    assert second is None


async def test_the_dm_channel_is_opened_once_then_kept(engine, stores, clock, fake_discord):
    first = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    second = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [first, second])
    clock.advance(hours=1)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    await settled(stores, ALICE, first, "sent")
    clock.advance(hours=1)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 2)
    assert fake_discord.dm_channels_opened == 1
    async with stores.member(ALICE) as store:
        assert await store.get_setting(DM_CHANNEL_SETTING) == fake_discord.sent[0].channel_id


async def test_a_vanished_dm_channel_is_replaced(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        await store.set_settings(**{DM_CHANNEL_SETTING: 999})
    fake_discord.failures.append(http_error(discord.NotFound, 404, 10003, "Unknown Channel"))
    await engine.start()
    await engine.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    await settled(stores, ALICE, rid, "sent")
    async with stores.member(ALICE) as store:
        assert await store.get_setting(DM_CHANNEL_SETTING) == fake_discord.sent[0].channel_id
    assert fake_discord.sent[0].channel_id != 999


async def test_a_reminder_no_longer_needed_is_cancelled_unsent(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    async with stores.member(ALICE) as store:
        await store.mark_thanked((await store.get_reminder(rid)).subject_id, "email")
    await engine.start()
    await engine.arm(ALICE, [rid])
    clock.advance(hours=1)
    await settled(stores, ALICE, rid, "cancelled")
    assert fake_discord.attempts == []
    assert index_rows(engine.data_dir) == set()


# -- quiet hours, DM settings ----------------------------------------------------------
async def test_a_reminder_due_in_quiet_hours_waits_for_them_to_end(
    engine, stores, clock, fake_discord
):
    async with stores.member(ALICE) as store:
        await store.set_settings(timezone="America/New_York")  # 15:00 UTC is 10:00 there
    # Due 23:30 in New York (04:30 UTC next day): quiet until 08:00 New York (13:00 UTC).
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=13.5), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    clock.advance(hours=13.5)

    morning = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)

    async def postponed():
        return (await reminder(stores, ALICE, rid)).due_at == morning

    await until(postponed)
    row = await reminder(stores, ALICE, rid)
    assert row.state == "pending" and row.attempts == 0
    assert index_rows(engine.data_dir) == {(ALICE, rid, morning.isoformat())}
    assert fake_discord.attempts == []

    clock.set(morning)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)


async def test_a_member_who_turned_dms_off_gets_none(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        await store.set_settings(dms=False)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await settled(stores, ALICE, rid, "dismissed")
    assert fake_discord.attempts == []


async def test_closed_dms_keep_the_reminder_leave_a_notice_and_never_retry(
    engine, stores, clock, fake_discord
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.closed.add(ALICE)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await settled(stores, ALICE, rid, "dm_closed")

    clock.advance(days=3)
    await engine.run_due()
    await engine.deliver(ALICE, rid)
    assert len(fake_discord.attempts) == 1
    assert index_rows(engine.data_dir) == set()
    async with stores.member(ALICE) as store:
        assert [r.id for r in await store.undelivered_reminders()] == [rid]
        assert await store.take_notices() == [DM_CLOSED_NOTICE]


async def test_a_kind_is_told_once_when_its_dm_can_never_be_delivered(
    engine, stores, clock, fake_discord
):
    """The club network tells the other side when a DM can't reach a member."""
    told = []

    async def undelivered(user_id, reminder):
        told.append((user_id, reminder.id))

    engine.register("thanks", engine._renderers["thanks"], undelivered=undelivered)
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.closed.add(ALICE)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await settled(stores, ALICE, rid, "dm_closed")
    await engine.idle()
    clock.advance(days=3)
    await engine.run_due()
    assert told == [(ALICE, rid)]


async def test_a_kind_is_told_when_the_member_turned_the_bots_dms_off(
    engine, stores, clock, fake_discord
):
    """A request for a conversation to a member who turned DMs off: the asker hears at
    once that it can't be delivered, instead of waiting out the 7 days."""
    told = []

    async def undelivered(user_id, reminder):
        told.append((user_id, reminder.id))

    engine.register("thanks", engine._renderers["thanks"], undelivered=undelivered)
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        await store.set_settings(dms=False)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await settled(stores, ALICE, rid, "dismissed")
    await engine.idle()
    assert told == [(ALICE, rid)]
    assert fake_discord.attempts == []


# -- failures ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "failure",
    [
        http_error(discord.DiscordServerError, 503, 0, "Service Unavailable"),
        TimeoutError(),
        ConnectionResetError("connection reset by peer"),
    ],
    ids=["server-error", "timeout", "connection"],
)
async def test_a_passing_failure_is_retried_after_a_backoff(
    engine, stores, clock, fake_discord, failure
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.failures.append(failure)
    await engine.start()
    await engine.arm(ALICE, [rid])
    retry_at = clock.now() + BACKOFF[0]

    async def released():
        row = await reminder(stores, ALICE, rid)
        return row.state == "pending" and row.attempts == 1

    await until(released)
    assert (await reminder(stores, ALICE, rid)).due_at == retry_at
    assert index_rows(engine.data_dir) == {(ALICE, rid, retry_at.isoformat())}
    assert fake_discord.sent == []

    clock.advance(BACKOFF[0])
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    await settled(stores, ALICE, rid, "sent")
    first, second = fake_discord.attempts
    assert first["nonce"] == second["nonce"] == nonce_for(ALICE, rid)
    assert (await reminder(stores, ALICE, rid)).attempts == 2


async def test_backoff_grows_with_each_failed_attempt(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.failures.extend(
        http_error(discord.DiscordServerError, 500, 0, "Internal Server Error") for _ in range(3)
    )
    await engine.start()
    await engine.arm(ALICE, [rid])
    for attempt, wait in enumerate(BACKOFF[:3], start=1):
        expected = clock.now() + wait

        async def released(attempt=attempt):
            row = await reminder(stores, ALICE, rid)
            return row.state == "pending" and row.attempts == attempt

        await until(released)
        assert (await reminder(stores, ALICE, rid)).due_at == expected
        clock.advance(wait)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)


# -- forgetting ---------------------------------------------------------------------------
async def test_forget_removes_the_jobs_and_index_entries(engine, stores, clock, fake_discord):
    a1 = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    a2 = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=2), clock=clock)
    b1 = await add_meeting_reminder(stores, BOB, due_in=timedelta(hours=1), clock=clock)
    await engine.start()
    # Bob's store stays (forget_member comes before deleting it in the bot), so a start-up
    # pass still running after forget_member would arm his reminder again.
    await engine.idle()
    await engine.arm(ALICE, [a1, a2])
    await engine.arm(BOB, [b1])
    assert len(job_ids(engine)) == 3

    async with stores.member(ALICE) as store:
        meeting_id = (await store.get_reminder(a1)).subject_id
        cancelled = await store.cancel_reminders(meeting_id=meeting_id)
    assert cancelled == [a1]
    await engine.forget(ALICE, cancelled)
    assert job_ids(engine) == {job_id(ALICE, a2), job_id(BOB, b1)}
    assert {(u, r) for u, r, _ in index_rows(engine.data_dir)} == {(ALICE, a2), (BOB, b1)}

    await engine.forget_member(BOB)
    assert job_ids(engine) == {job_id(ALICE, a2)}
    assert {(u, r) for u, r, _ in index_rows(engine.data_dir)} == {(ALICE, a2)}

    clock.advance(hours=2)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    assert fake_discord.sent[0].kwargs["content"] == f"thanks #{a2}"


async def test_cancel_reminders_can_pick_kinds(stores, clock):
    async with stores.member(ALICE) as store:
        prospect = await store.add_prospect("Grace Hopper")
        meeting = await store.add_meeting(prospect.id, clock.now() + timedelta(days=2))
        prep = await store.add_reminder("prep", due_at=clock.now(), meeting_id=meeting.id)
        thanks = await store.add_reminder("thanks", due_at=clock.now(), meeting_id=meeting.id)
        assert await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",)) == [thanks]
        assert await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",)) == []
        assert [r.id for r in await store.pending_reminders()] == [prep]
        with pytest.raises(ValueError, match="exactly one"):
            await store.add_reminder("prep", due_at=clock.now())
        with pytest.raises(ValueError, match="which meeting"):
            await store.cancel_reminders()


# -- start-up, restarts, drift ---------------------------------------------------------------
async def test_start_up_rebuilds_jobs_from_the_index_without_opening_stores(
    make_engine, stores, clock, fake_discord
):
    first = make_engine()
    ids = {
        ALICE: [
            await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=h), clock=clock)
            for h in (1, 2)
        ],
        BOB: [await add_meeting_reminder(stores, BOB, due_in=timedelta(hours=3), clock=clock)],
    }
    await first.start()
    for user_id, reminder_ids in ids.items():
        await first.arm(user_id, reminder_ids)
    await first.stop()
    await stores.close()

    restarted = Stores(StorePool(engine_dir := first.data_dir, clock, max_open=8))
    second = make_engine(on=restarted)
    await second.start()
    assert restarted.pool.open_count == 0  # the consistency pass hasn't run yet
    assert job_ids(second) == {job_id(u, r) for u, rs in ids.items() for r in rs}
    report = await second.consistency
    assert (report.members, report.armed, report.dropped, report.resumed) == (2, 0, 0, 0)

    clock.advance(hours=3)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 3)
    await second.stop()
    await restarted.close()
    assert engine_dir == second.data_dir


async def test_reminders_missed_while_offline_are_sent_at_once_marked_late(
    make_engine, stores, clock, fake_discord, rendered
):
    first = make_engine()
    await first.start()
    missed = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    just_due = await add_meeting_reminder(
        stores, BOB, due_in=timedelta(hours=3, minutes=58), clock=clock
    )
    await first.arm(ALICE, [missed])
    await first.arm(BOB, [just_due])
    await first.stop()

    clock.set(clock.now() + timedelta(hours=4))  # the bot was down for four hours
    second = make_engine()
    await second.start()
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 2)
    assert sorted(rendered) == sorted([(ALICE, missed, True), (BOB, just_due, False)])
    await settled(stores, ALICE, missed, "sent")
    assert (await reminder(stores, ALICE, missed)).late
    assert not (await reminder(stores, BOB, just_due)).late


async def test_the_consistency_pass_repairs_drift_both_ways(
    make_engine, stores, clock, fake_discord, tmp_path
):
    engine = make_engine()
    await engine.start()
    await engine.consistency
    stale = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    await add_meeting_reminder(stores, BOB, due_in=timedelta(hours=1), clock=clock)  # gone below
    # Drift as a process killed between a commit and its bookkeeping leaves it (or a
    # store restored from a backup): the stores' writes below never reach the engine.
    stores.timer = None
    # Committed but never armed.
    unarmed = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    # Armed, then cancelled without forget.
    async with stores.member(ALICE) as store:
        await store.cancel_reminders(meeting_id=(await store.get_reminder(stale)).subject_id)
    # Armed for a member whose store is gone.
    await stores.delete_member(BOB)
    # Claimed by a process that crashed before recording the send.
    stuck = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=-1), clock=clock)
    async with stores.member(ALICE) as store:
        await store.claim_reminder(stuck)
    await engine.stop()

    engine = make_engine()
    await engine.start()
    report = await engine.consistency
    assert (report.members, report.armed, report.dropped, report.resumed) == (1, 2, 2, 1)
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    assert fake_discord.sent[0].kwargs["nonce"] == nonce_for(ALICE, stuck)
    await settled(stores, ALICE, stuck, "sent")
    assert {(u, r) for u, r, _ in index_rows(tmp_path)} == {(ALICE, unarmed)}
    assert job_ids(engine) == {job_id(ALICE, unarmed)}
    assert not stores.pool.exists("users", BOB)


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority is Linux's")
async def test_the_pass_looks_at_stores_at_the_lowest_cpu_priority_and_the_loop_keeps_its_own(
    make_engine, stores, clock, monkeypatch
):
    """On a busy machine the pass's looks take a core only when commands leave it idle."""
    await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    seen = []
    real = consistency._look_all

    def look_all(paths):
        seen.append((threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, 0)))
        return real(paths)

    monkeypatch.setattr(consistency, "_look_all", look_all)
    loop_priority = os.getpriority(os.PRIO_PROCESS, 0)
    engine = make_engine()
    await engine.start()
    report = await engine.consistency
    assert report.members == 1
    assert [priority for _, priority in seen] == [19]
    assert seen[0][0] != threading.get_native_id()
    assert os.getpriority(os.PRIO_PROCESS, 0) == loop_priority


async def test_a_send_interrupted_by_a_crash_is_not_repeated(
    make_engine, stores, clock, fake_discord
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    first = make_engine()
    await first.start()
    await first.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: len(fake_discord.sent) == 1)
    await settled(stores, ALICE, rid, "sent")
    await first.stop()
    # Rewind the row to what a crash between the send and its record leaves behind.
    async with stores.member(ALICE) as store:
        await store.execute("UPDATE reminders SET state = 'sending' WHERE id = ?", (rid,))
    first_index = first.index
    await first_index.open()
    await first_index.put(ALICE, [(rid, clock.now())])
    await first_index.close()

    second = make_engine()
    await second.start()
    await settled(stores, ALICE, rid, "sent")
    assert len(fake_discord.history_reads) == 1  # it looked in the DM channel first…
    assert len(fake_discord.attempts) == 1  # …found the DM there, and didn't send it again
    assert len(fake_discord.sent) == 1
    assert (await reminder(stores, ALICE, rid)).message_id == fake_discord.sent[0].message_id


@pytest.mark.parametrize("discord_took_it", [False, True], ids=["unsent", "answer-lost"])
async def test_stopping_mid_delivery_logs_no_error_and_a_restart_sends_it_once(
    make_engine, stores, clock, fake_discord, caplog, discord_took_it
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.stall = asyncio.Event()  # Discord is slow to answer
    fake_discord.stall_after_accepting = discord_took_it
    first = make_engine()
    await first.start()
    await first.arm(ALICE, [rid])  # due now: the scheduler's job starts the delivery
    await fake_discord.wait_for(lambda: fake_discord.stalled == 1)

    await first.stop(grace=0.01)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert (await reminder(stores, ALICE, rid)).state == "sending"

    fake_discord.stall = None
    second = make_engine()
    await second.start()
    await settled(stores, ALICE, rid, "sent")
    await second.idle()
    assert len(fake_discord.sent) == 1
    assert {a["nonce"] for a in fake_discord.attempts} == {nonce_for(ALICE, rid)}
    assert (await reminder(stores, ALICE, rid)).message_id == fake_discord.sent[0].message_id


async def test_stop_lets_a_dm_on_its_way_finish(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.stall = asyncio.Event()
    await engine.start()
    await engine.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: fake_discord.stalled == 1)
    stopping = asyncio.create_task(engine.stop())
    fake_discord.stall.set()
    await stopping
    assert (await reminder(stores, ALICE, rid)).state == "sent"
    assert index_rows(engine.data_dir) == set()


async def test_idle_returns_once_nothing_is_on_its_way(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.stall = asyncio.Event()
    await engine.start()
    await engine.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: fake_discord.stalled == 1)
    idle = asyncio.create_task(engine.idle())
    await asyncio.sleep(0)  # one turn of the loop: idle is now waiting
    assert not idle.done()
    fake_discord.stall.set()
    await idle
    assert engine.consistency.done()
    assert (await reminder(stores, ALICE, rid)).state == "sent"


async def test_a_deleted_member_is_never_recreated_by_a_timer(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await stores.delete_member(ALICE)  # without forget_member
    clock.advance(hours=1)
    await engine.run_due()
    assert fake_discord.attempts == []
    assert not stores.pool.exists("users", ALICE)
    assert index_rows(engine.data_dir) == set()


async def test_the_consistency_pass_also_runs_periodically(engine):
    await engine.start()
    job = engine.timers.scheduler.get_job("reminders:consistency")
    assert job is not None
    assert job.trigger.interval.total_seconds() == 6 * 3600
    await engine.idle()
    first = engine.consistency
    engine.recheck()  # what the periodic job does
    assert engine.consistency is not first
    await engine.idle()
    assert engine.consistency.result().members >= 0


# -- resending after Discord's nonce window ------------------------------------------------
async def crash_after_discord_took_it(make_engine, stores, clock, fake_discord, rid) -> None:
    """A first bot claims `rid`, Discord accepts the DM, and the bot dies before the
    answer arrives (stopped with no grace: the row stays 'sending', as after a kill)."""
    fake_discord.stall = asyncio.Event()
    fake_discord.stall_after_accepting = True
    first = make_engine()
    await first.start()
    await first.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: fake_discord.stalled == 1)
    await first.stop(grace=0)
    fake_discord.stall = None
    assert len(fake_discord.sent) == 1
    assert (await reminder(stores, ALICE, rid)).state == "sending"


@pytest.mark.parametrize("channel_known", [True, False], ids=["channel-known", "first-dm"])
async def test_a_dm_that_arrived_before_a_crash_is_not_sent_again_an_hour_later(
    make_engine, stores, clock, fake_discord, rendered, channel_known
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    if channel_known:  # an earlier DM stored the channel (the fake opens it with that id)
        async with stores.member(ALICE) as store:
            await store.set_settings(**{DM_CHANNEL_SETTING: 5000})
        fake_discord._dm_of[ALICE] = 5000
    tried_at = clock.now()
    await crash_after_discord_took_it(make_engine, stores, clock, fake_discord, rid)
    original = fake_discord.sent[0]
    # Meanwhile the member wrote the very same words in the DM (not the bot's message),
    # and the bot sent them another DM: neither is taken for the reminder's.
    fake_discord.member_writes(
        ALICE, original.kwargs["content"], at=tried_at - timedelta(minutes=1)
    )
    other = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        await store.execute("UPDATE reminders SET state = 'sent' WHERE id = ?", (other,))
    await fake_discord.bot.get_partial_messageable(
        original.channel_id, type=discord.ChannelType.private
    ).send(content=f"thanks #{other}")

    clock.advance(hours=1)  # Discord has long forgotten the nonce
    second = make_engine()
    await second.start()
    await settled(stores, ALICE, rid, "sent")
    await second.idle()

    assert fake_discord.dms_to(ALICE) == [original, fake_discord.sent[1]]  # one DM each
    assert [a.get("nonce") for a in fake_discord.attempts] == [nonce_for(ALICE, rid), None]
    row = await reminder(stores, ALICE, rid)
    assert row.message_id == original.message_id
    # Rendered again after the restart (late, so with other words), yet recognised.
    assert rendered[-1] == (ALICE, rid, True)
    (read,) = fake_discord.history_reads
    assert read["channel_id"] == original.channel_id
    assert read["after"] == tried_at - HISTORY_MARGIN
    assert read["limit"] == HISTORY_LIMIT
    async with stores.member(ALICE) as store:
        assert await store.get_setting(DM_CHANNEL_SETTING) == original.channel_id


async def test_when_the_dm_channel_cant_be_read_the_reminder_is_resent_once(
    make_engine, stores, clock, fake_discord, caplog
):
    """Never lose a reminder to avoid a duplicate: if the check fails, the resend goes
    out with its nonce; after the nonce window that is one extra DM, and only one."""
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    async with stores.member(ALICE) as store:
        await store.set_settings(**{DM_CHANNEL_SETTING: 5000})
    fake_discord._dm_of[ALICE] = 5000
    await crash_after_discord_took_it(make_engine, stores, clock, fake_discord, rid)
    fake_discord.history_failures.append(
        http_error(discord.DiscordServerError, 503, 0, "Service Unavailable")
    )

    clock.advance(hours=1)
    second = make_engine()
    await second.start()
    await settled(stores, ALICE, rid, "sent")
    await second.idle()

    first_dm, resent = fake_discord.dms_to(ALICE)  # the documented duplicate
    assert first_dm.kwargs["nonce"] == resent.kwargs["nonce"] == nonce_for(ALICE, rid)
    row = await reminder(stores, ALICE, rid)
    assert row.message_id == resent.message_id
    assert len(fake_discord.history_reads) == 1
    assert any("couldn't read member" in r.getMessage() for r in caplog.records)

    clock.advance(days=1)  # and it is never sent again
    await second.run_due()
    assert len(fake_discord.attempts) == 2


async def test_a_dm_whose_answer_was_lost_is_not_sent_again_by_the_retry(
    engine, stores, clock, fake_discord
):
    """A timeout after Discord took the DM: the retry comes after the backoff, which
    may be past the nonce window, so it looks first too."""
    fake_discord.nonce_window = timedelta(seconds=30)  # shorter than the first backoff
    fake_discord.answers_lost = 1
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])

    async def released():
        row = await reminder(stores, ALICE, rid)
        return row.state == "pending" and row.attempts == 1

    await until(released)
    clock.advance(BACKOFF[0])
    await settled(stores, ALICE, rid, "sent")
    assert len(fake_discord.sent) == 1
    assert len(fake_discord.attempts) == 1
    assert (await reminder(stores, ALICE, rid)).message_id == fake_discord.sent[0].message_id


async def test_a_dm_that_never_arrived_is_sent_after_looking(
    make_engine, stores, clock, fake_discord
):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    fake_discord.stall = asyncio.Event()  # Discord never took it
    first = make_engine()
    await first.start()
    await first.arm(ALICE, [rid])
    await fake_discord.wait_for(lambda: fake_discord.stalled == 1)
    await first.stop(grace=0)
    fake_discord.stall = None
    assert fake_discord.sent == []

    clock.advance(hours=1)
    second = make_engine()
    await second.start()
    await settled(stores, ALICE, rid, "sent")
    assert len(fake_discord.sent) == 1
    assert len(fake_discord.history_reads) == 1
    assert (await reminder(stores, ALICE, rid)).message_id == fake_discord.sent[0].message_id


async def test_a_first_send_reads_no_history(engine, stores, clock, fake_discord):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    await engine.start()
    await engine.arm(ALICE, [rid])
    await settled(stores, ALICE, rid, "sent")
    assert fake_discord.history_reads == []
    async with stores.member(ALICE) as store:
        row = await store.fetchone(
            "SELECT tried_at, tried_prints FROM reminders WHERE id = ?", (rid,)
        )
    assert row["tried_at"] == clock.now().isoformat()
    assert len(row["tried_prints"].split()) == 1


def test_the_fingerprint_matches_what_discord_gives_back():
    """What was handed to discord.py and the same message parsed back from Discord's
    JSON (trimmed whitespace, Discord's own additions) have one fingerprint."""
    embed = discord.Embed(title="Get ready: Ada", description="Analytical Engines ")
    embed.set_footer(text="meeting id 7")
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Sent it", custom_id="thanks:sent:7"))
    view.add_item(discord.ui.Button(label="Guide", url="https://example.com"))
    sent = dm_fingerprint(" Hello **Ada**\n", [embed], view.to_components())
    back = discord.Embed.from_dict({**embed.to_dict(), "description": "Analytical Engines"})
    rows = [discord.ActionRow({**row, "id": 1}) for row in view.to_components()]
    assert dm_fingerprint("Hello **Ada**", [back], [r.to_dict() for r in rows]) == sent
    assert dm_fingerprint("Hello **Ada**", [back], []) != sent
    assert dm_fingerprint("Hello **Ada** (late)", [back], view.to_components()) != sent


async def test_tries_are_kept_through_release_and_reset(stores, clock):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    first_try = clock.now()
    async with stores.member(ALICE) as store:
        await store.claim_reminder(rid)
        assert await store.note_try(rid, "aaa") is None  # the first try
        await store.release_reminder(rid, due_at=clock.now(), error="timeout")
        assert await store.note_try(rid, "zzz") is None  # not claimed: nothing noted
        clock.advance(minutes=10)
        await store.claim_reminder(rid)
        earlier = await store.note_try(rid, "bbb")
        assert (earlier.since, earlier.prints) == (first_try, frozenset({"aaa"}))
        assert await store.reset_interrupted_reminders() == [rid]
        await store.claim_reminder(rid)
        earlier = await store.note_try(rid, "aaa")  # the same DM again: noted once
        assert (earlier.since, earlier.prints) == (first_try, frozenset({"aaa", "bbb"}))
        row = await store.fetchone("SELECT tried_prints FROM reminders WHERE id = ?", (rid,))
        assert row["tried_prints"] == "aaa bbb"


async def test_the_consistency_pass_never_recreates_a_deleted_members_store(
    engine, stores, clock, monkeypatch
):
    """The pass lists the stores, then visits them one by one: a member who deletes their
    data in between must not get an empty store back (it raced before)."""
    await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    await engine.start()
    await engine.idle()
    listed = stores.pool.ids("users")
    await stores.delete_member(ALICE)
    monkeypatch.setattr(stores.pool, "ids", lambda kind: listed)  # the stale listing
    report = await engine.check_consistency()
    assert report.armed == 0
    assert not stores.pool.exists("users", ALICE)
    assert index_rows(engine.data_dir) == set()


async def test_a_timer_for_a_deleted_member_creates_no_store(engine, stores, clock):
    rid = await add_meeting_reminder(stores, ALICE, due_in=timedelta(0), clock=clock)
    await engine.start()
    await engine.idle()
    await stores.delete_member(ALICE)
    await engine.arm(ALICE, [rid])
    await engine.deliver(ALICE, rid)
    assert not stores.pool.exists("users", ALICE)


async def test_the_consistency_pass_leaves_stores_that_agree_unopened_and_notes_notices(
    make_engine, stores, clock, fake_discord
):
    first = make_engine()
    await first.start()
    await first.consistency
    due = await add_meeting_reminder(stores, ALICE, due_in=timedelta(hours=1), clock=clock)
    await add_meeting_reminder(stores, BOB, due_in=timedelta(hours=1), clock=clock)
    async with stores.member(BOB) as store:
        await store.add_notice("Your DMs are closed", key="dms")
    await first.stop()
    await stores.close()

    restarted = Stores(StorePool(first.data_dir, clock, max_open=8))
    second = make_engine(on=restarted)
    await second.start()
    report = await second.consistency
    assert (report.members, report.armed, report.dropped, report.resumed) == (2, 0, 0, 0)
    # Both stores agreed with the index: looked at read-only, never opened in the pool.
    assert restarted.pool.open_count == 0
    assert restarted.notices_waiting == {BOB}
    assert job_id(ALICE, due) in job_ids(second)
    await second.stop()
    await restarted.close()
