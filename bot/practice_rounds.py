"""Practice rounds on time, exactly once (issue 15, items 3 and 4).

Each server's schedule and the time of its next round are kept in the server's store
(bot/store/practice.py); the timer is a one-off job on the reminder engine's scheduler
(`Timers.at`, following the injected clock), placed again for every server at start-up.
A round's pairs, what it owes each member (an introduction now, a check-back near the
round's end, posted to the outbox) and the move of `next_round_at` to the round after
are written in ONE transaction of the server's store, then handed over to the members'
own stores, where the reminder engine times and delivers the DMs (quiet hours, pacing,
closed DMs, restarts). So however often the job fires, or the bot stops between any
two steps, a round is made once: a job that finds `next_round_at` still ahead (or
paused) does nothing, and an outbox not yet handed over is handed over at start-up.

A round that fell due while the bot was down runs once at start-up, late; rounds missed
in between are not made up (the next one keeps the schedule's cadence).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.models import Reminder, ReminderKind
from bot.domain.practice import (
    CHECKBACK_BEFORE_END,
    Group,
    after_round_now,
    checkback_time,
    first_round,
    make_pairs,
    next_round,
)
from bot.tasks import finish_or_cancel, wait_idle

if TYPE_CHECKING:
    from bot.reminders.timer import Timers
    from bot.store import GuildStore, Stores

log = logging.getLogger(__name__)

_JOB_PREFIX = "practice-round:"
# A round that starts later than this after its time is logged as late.
LATE_AFTER = timedelta(minutes=5)
# How long stop() lets a round being written finish before cancelling it (its
# transaction then rolls back, and the next start makes it).
STOP_GRACE_SECONDS = 5.0
# A round that failed (a store locked, a full disk) is tried again this much later.
RETRY_AFTER = timedelta(minutes=5)
# The notice a member gets when a partner's introduction could never reach them.
UNREACHABLE_STEP = 1


def job_name(guild_id: int) -> str:
    """The scheduler job of a server's next round."""
    return f"{_JOB_PREFIX}{guild_id}"


@dataclass(frozen=True, slots=True)
class RoundMade:
    """What a round did: its groups (none when fewer than two members were available)
    and how many members were available."""

    groups: list[Group]
    available: int


class PracticeRounds:
    """Times each server's practice rounds and makes them, once each."""

    def __init__(
        self, stores: Stores, timers: Timers, clock: Clock, *, rng: random.Random | None = None
    ) -> None:
        self.stores = stores
        self.timers = timers
        self.clock = clock
        self.rng = rng or random.Random()
        self.running = False
        # Each server's next round as placed on the timer (what run_due looks at).
        self._due: dict[int, datetime] = {}
        # The round being made for each server: at most one at a time.
        self._making: dict[int, asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._listening = False

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Place every server's next round (after the reminder engine has started, whose
        scheduler times them); one that is overdue runs at once, late."""
        if self.running:
            return
        self.running = True
        for guild_id in await asyncio.to_thread(self.stores.pool.ids, "guilds"):
            async with self.stores.guild(guild_id) as store:
                schedule = await store.practice_schedule()
            if schedule is not None and schedule.next_round_at is not None:
                self._place(guild_id, schedule.next_round_at)
        if not self._listening:
            self.clock.on_jump(self._clock_jumped)
            self._listening = True
        log.info("practice: %d servers' rounds placed", len(self._due))

    async def stop(self, *, grace: float = STOP_GRACE_SECONDS) -> None:
        """Make no new round; give one being written `grace` seconds, then cancel it (its
        transaction rolls back whole)."""
        self.running = False
        for guild_id in list(self._due):
            self.timers.cancel(job_name(guild_id))
        self._due.clear()
        await finish_or_cancel(self._tasks(), grace)

    async def run_due(self) -> None:
        """Make every round due by the injected clock's now; returns when each is made."""
        if not self.running:
            return
        now = self.clock.now()
        rounds = {
            task
            for guild_id, due_at in list(self._due.items())
            if due_at <= now and (task := self._start(guild_id)) is not None
        }
        if rounds:
            await asyncio.wait(rounds)

    async def idle(self) -> None:
        """Wait until no round or background work is in flight (tests)."""
        await wait_idle(self._tasks)

    # -- the officers' commands -------------------------------------------------------
    async def schedule(
        self, guild_id: int, every: int, weekday: int, hour: int, tz: ZoneInfo
    ) -> datetime:
        """Set the server's rounds (replacing any schedule, paused or not); returns when
        the first round is."""
        first = first_round(self.clock.now(), weekday, hour, tz)
        async with self.stores.guild(guild_id) as store:
            await store.set_practice_schedule(every, weekday, hour, tz.key, first)
        self._place(guild_id, first)
        return first

    async def pause(self, guild_id: int) -> bool:
        """Stop the server's rounds until the schedule is set again; False if none was
        coming (no schedule, or already paused)."""
        async with self.stores.guild(guild_id) as store, store.transaction():
            schedule = await store.practice_schedule()
            if schedule is None or schedule.next_round_at is None:
                return False
            await store.move_next_round(None)
        self._due.pop(guild_id, None)
        self.timers.cancel(job_name(guild_id))
        return True

    async def run_now(self, guild_id: int) -> RoundMade:
        """A round at once (/club practice now). With a schedule running, the round made
        now runs a full period: the schedule's next round moves to the first on its
        cadence after that (`after_round_now`), and the check-back comes before it."""
        now = self.clock.now()
        following: datetime | None = None
        async with self.stores.guild(guild_id) as store, store.transaction():
            schedule = await store.practice_schedule()
            if schedule is not None and schedule.next_round_at is not None:
                following = after_round_now(
                    schedule.next_round_at,
                    schedule.every,
                    schedule.hour,
                    ZoneInfo(schedule.timezone),
                    now,
                )
            made = await self._make_round(
                store,
                every=schedule.every if schedule else None,
                scheduled=False,
                ends_at=following,
            )
            if made.groups and following is not None:
                await store.move_next_round(following)
        if made.groups:
            await self.stores.hand_over(guild_id)
            if following is not None and self.running:
                self._place(guild_id, following)
        return made

    # -- the DM that can't arrive ------------------------------------------------------
    async def intro_undelivered(self, user_id: int, reminder: Reminder) -> None:
        """A member's introduction can never reach them (DMs closed, account gone): tell
        their partners once, by DM, to reach them in the server instead."""
        if reminder.server_id is None or reminder.step == UNREACHABLE_STEP:
            return
        guild_id, pair_id = reminder.server_id, reminder.subject_id
        async with self.stores.guild(guild_id) as store, store.transaction():
            pair = await store.note_intro_undelivered(pair_id, user_id)
            if pair is None:
                return
            for partner in pair.partners(user_id):
                await store.post(
                    partner.user_id,
                    ReminderKind.PRACTICE_INTRO,
                    pair_id,
                    step=UNREACHABLE_STEP,
                    due_at=self.clock.now(),
                    origin=f"practice:{pair_id}:unreachable:{user_id}:to:{partner.user_id}",
                )
        await self.stores.hand_over(guild_id)

    # -- making a round ----------------------------------------------------------------
    async def _make_round(
        self,
        store: GuildStore,
        *,
        every: int | None,
        scheduled: bool,
        ends_at: datetime | None = None,
    ) -> RoundMade:
        """Pair the members available now and write the round (inside the caller's
        transaction); nothing is written when fewer than two are available. The round
        ends at `ends_at` (the schedule's next round) or after its usual length; its
        check-back comes shortly before."""
        now = self.clock.now()
        pool = await store.practice_pool(now)
        if len(pool) < 2:
            return RoundMade([], len(pool))
        recent = await store.recent_practice_groups()
        groups = make_pairs([member.user_id for member in pool], recent, self.rng)
        names = {member.user_id: member.display_name for member in pool}
        checkback_at = (
            checkback_time(now, every)
            if ends_at is None
            else max(ends_at - CHECKBACK_BEFORE_END, now)
        )
        await store.add_practice_round(
            groups, names, checkback_at=checkback_at, scheduled=scheduled
        )
        return RoundMade(groups, len(pool))

    async def _guarded_round(self, guild_id: int) -> None:
        """The scheduled round; one that fails is logged and tried again later (its
        transaction rolled back, or its posts wait in the outbox for the next try)."""
        try:
            await self._scheduled_round(guild_id)
        except Exception:
            log.exception("practice: server %s's round failed; trying again soon", guild_id)
            if self.running and guild_id in self._due:
                self._time(guild_id, self.clock.now() + RETRY_AFTER)

    async def _scheduled_round(self, guild_id: int) -> None:
        """The server's scheduled round, if it is due: made and the next one set in one
        transaction, then handed over and the next one placed."""
        now = self.clock.now()
        async with self.stores.guild(guild_id) as store, store.transaction():
            schedule = await store.practice_schedule()
            due_at = None if schedule is None else schedule.next_round_at
            if schedule is None or due_at is None:
                self._due.pop(guild_id, None)  # paused meanwhile
                return
            if due_at > now:
                following = due_at  # moved meanwhile (set again): time it as it is
            else:
                following = next_round(
                    due_at, schedule.every, schedule.hour, ZoneInfo(schedule.timezone), now
                )
                made = await self._make_round(
                    store, every=schedule.every, scheduled=True, ends_at=following
                )
                await store.move_next_round(following)
                late = " (late)" if now - due_at > LATE_AFTER else ""
                log.info(
                    "practice: server %s's round due %s made%s: %d groups of %d members",
                    guild_id,
                    due_at.isoformat(),
                    late,
                    len(made.groups),
                    made.available,
                )
        await self.stores.hand_over(guild_id)
        if self.running:
            self._place(guild_id, following)

    # -- timing ------------------------------------------------------------------------
    def _place(self, guild_id: int, due_at: datetime) -> None:
        """Keep the server's next round in mind and time it."""
        self._due[guild_id] = due_at
        self._time(guild_id, due_at)

    def _time(self, guild_id: int, due_at: datetime) -> None:
        async def fire() -> None:
            # The scheduler's job hands the round to a task of ours and returns at once.
            self._start(guild_id)

        self.timers.at(job_name(guild_id), due_at, fire)

    def _start(self, guild_id: int) -> asyncio.Task[None] | None:
        """The task making the server's round: the one on its way, or a new one."""
        if not self.running:
            return None
        task = self._making.get(guild_id)
        if task is None or task.done():
            task = asyncio.create_task(
                self._guarded_round(guild_id), name=f"practice-round:{guild_id}"
            )
            self._making[guild_id] = task
            task.add_done_callback(self._round_done)
        return task

    def _round_done(self, task: asyncio.Task[None]) -> None:
        for guild_id, making in list(self._making.items()):
            if making is task:
                del self._making[guild_id]

    def _clock_jumped(self) -> None:
        """A test clock moved: make the rounds now due."""
        if self.running:
            self._spawn(self.run_due(), "practice-clock-jump")

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _tasks(self) -> set[asyncio.Task[Any]]:
        return {*self._background, *self._making.values()}
