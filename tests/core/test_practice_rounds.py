"""The practice rounds service: a due round is made once however often it is asked for,
the next one keeps the schedule's cadence, and a pause or a moved schedule is honoured
by a job that fires late."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.practice_rounds import PracticeRounds
from bot.reminders.timer import Timers
from bot.store import StorePool, Stores

GUILD = 7
MEMBERS = {712345678901234560 + n: f"member {n}" for n in range(5)}
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday
UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def clock():
    return FakeClock(NOW)


@pytest.fixture
async def stores(tmp_path, clock):
    stores = Stores(StorePool(tmp_path, clock, max_open=8))
    async with stores.guild(GUILD) as guild:
        for user_id, name in MEMBERS.items():
            await guild.join_practice(user_id, name)
    yield stores
    await stores.close()


async def no_reminders(user_id: int, reminder_id: int) -> None:
    """The timers' reminder jobs: none here."""


@pytest.fixture
async def rounds(stores, clock):
    # A scheduler that isn't started: the service is driven by run_due, as on a clock jump.
    service = PracticeRounds(stores, Timers(clock, no_reminders), clock, rng=random.Random(1))
    await service.start()
    yield service
    await service.stop()


async def made(stores):
    async with stores.guild(GUILD) as guild:
        return await guild.recent_practice_groups(rounds=100)


async def test_a_due_round_asked_for_many_times_at_once_is_made_once(stores, clock, rounds):
    first = await rounds.schedule(GUILD, 1, 4, 16, UTC_ZONE)  # Fridays 16:00
    assert first == NOW + timedelta(hours=1)
    clock.advance(hours=1)
    await asyncio.gather(*(rounds.run_due() for _ in range(5)))
    await rounds.idle()
    (groups,) = await made(stores)
    assert sorted(len(g) for g in groups) == [2, 3]
    async with stores.guild(GUILD) as guild:
        assert (await guild.practice_schedule()).next_round_at == first + timedelta(weeks=1)
    await rounds.run_due()
    assert len(await made(stores)) == 1


async def test_a_round_overdue_by_weeks_is_made_once_and_the_cadence_kept(stores, clock, rounds):
    first = await rounds.schedule(GUILD, 2, 4, 16, UTC_ZONE)
    clock.set(first + timedelta(weeks=5, hours=3))
    await rounds.run_due()
    assert len(await made(stores)) == 1
    async with stores.guild(GUILD) as guild:
        following = (await guild.practice_schedule()).next_round_at
    assert following == first + timedelta(weeks=6)


async def test_a_paused_schedule_makes_no_round_even_if_its_job_fires(stores, clock, rounds):
    await rounds.schedule(GUILD, 1, 4, 16, UTC_ZONE)
    assert await rounds.pause(GUILD)
    assert not await rounds.pause(GUILD)
    clock.advance(days=30)
    await rounds._scheduled_round(GUILD)  # a job that was already on its way
    assert await made(stores) == []


async def test_round_now_runs_a_full_period_and_its_posts_are_handed_over(stores, clock, rounds):
    first = await rounds.schedule(GUILD, 1, 4, 16, UTC_ZONE)
    result = await rounds.run_now(GUILD)
    assert result.available == 5 and len(result.groups) == 2
    async with stores.guild(GUILD) as guild:
        following = (await guild.practice_schedule()).next_round_at
    # The scheduled round a few days off would pair them again: it moves a week on.
    assert following - first == timedelta(weeks=1)
    assert following - clock.now() >= timedelta(weeks=1)
    async with stores.guild(GUILD) as guild:
        assert await guild.posts() == []  # every intro and check-back reached its member
    for user_id in MEMBERS:
        async with stores.member(user_id) as store:
            owed = {r.kind: r.due_at for r in await store.pending_reminders()}
        assert sorted(owed) == ["practice-checkback", "practice-intro"]
        # Asked whether they met two days before the round that follows theirs.
        assert owed["practice-checkback"] == following - timedelta(days=2)
