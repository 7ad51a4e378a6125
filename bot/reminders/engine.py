"""The reminder engine: when each DM the bot owes a member goes out, and exactly once.

The member's store is the truth (a `reminders` row per DM). The engine is the store's
`ReminderTimer`: every unit of work that creates, moves or ends reminder rows hands them
to it (`record` before COMMIT, `settle` after), so no cog arms or forgets anything. The
parts, one file each:
  - timer.py        APScheduler jobs, one per pending row, on the injected clock;
  - index.py        the persisted index start-up rebuilds every job from;
  - consistency.py  the background pass that repairs drift between stores and index;
  - delivery.py     what a DM contains, its nonce and fingerprint, sending it once.

Delivery of one reminder (this file):
  1. open the member's store, re-read the row and CLAIM it (pending → sending,
     attempts + 1, committed), then let the kind's renderer (registered by a cog)
     say what the DM contains;
  2. note the try in the row (when, and a fingerprint of what goes out), then send it
     (delivery.py);
  3. record the outcome: sent (with the message id), dm_closed (never retried, the
     member gets a notice), cancelled (no longer needed), or back to pending with a
     backoff when Discord or the network failed for a while.

Each delivery runs in a task the engine owns (the scheduler's job only hands it over),
so stop() decides what happens to a DM on its way: it gets a grace period, then is
cancelled. A cancelled delivery leaves its row pending or 'sending' and its index
entry, so the next start sends it again with the same nonce: nothing is lost or doubled.

Late reminders: a reminder that fell due more than LATE_AFTER before the engine
started is marked late (`Reminder.late`, kept in the row). The RENDERER says so in
its words ("This reminder should have arrived earlier…"); the engine adds no note,
so a DM never carries two.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import Collection, Coroutine, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import discord

from bot import metrics
from bot.clock import Clock
from bot.domain.business_days import parse_clock, when_dm_goes
from bot.domain.models import REMINDER_KINDS, Reminder, ReminderKind, Settings
from bot.reminders.consistency import (
    CONSISTENCY_EVERY,
    CONSISTENCY_JOB,
    ConsistencyPass,
    ConsistencyReport,
)
from bot.reminders.delivery import (
    DM_CHANNEL_SETTING,
    DM_CLOSED,
    INVALID_RECIPIENT,
    UNKNOWN_USER,
    Claimed,
    Delivered,
    DirectMessages,
    Renderer,
    Undelivered,
    describe,
    message_kwargs,
    outgoing_fingerprint,
    retry_after_of,
)
from bot.reminders.index import DueIndex
from bot.reminders.timer import Timers
from bot.store.pool import StoreMissingError
from bot.store.reminders import FINAL_STATES
from bot.tasks import finish_or_cancel, wait_idle

if TYPE_CHECKING:
    from bot.store import MemberStore, Stores

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=5)
DM_CLOSED_NOTICE = (
    "I couldn't DM you a reminder because your DMs are closed. To get reminders, allow "
    "direct messages (Privacy Settings → allow DMs from server members, or from this app); "
    "`/progress` lists what you missed."
)
# After a passing failure (Discord 5xx, timeout, connection), try again after these waits.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
)
# A reminder that still fails after this many attempts (about 10 hours) is given up.
MAX_ATTEMPTS = 12
# How many DMs are delivered at once (each holds a store briefly and one REST call).
MAX_CONCURRENT_DELIVERIES = 8
# How long stop() lets DMs already on their way finish before cancelling them.
STOP_GRACE_SECONDS = 5.0
# One DM's requests (open the DM channel, the history check, the send) get this long:
# a send that never answers would otherwise hold a delivery slot for aiohttp's 300 s,
# and eight of them every member's reminders. Well under the first backoff.
SEND_TIMEOUT_SECONDS = 30.0


class ReminderEngine:
    """Owns timing and delivery bookkeeping of the DMs the bot owes members.

    Cogs `register` a renderer per kind in `cog_load`; the stores hand the engine every
    reminder row they create, move or end (it is their `ReminderTimer`).
    """

    def __init__(self, bot: Any, stores: Stores, clock: Clock, data_dir: Path) -> None:
        self.bot = bot
        self.stores = stores
        self.clock = clock
        self.data_dir = Path(data_dir)
        self.index = DueIndex(self.data_dir)
        self.timers = Timers(clock, self._fire)
        self.dms = DirectMessages(bot)
        self.consistency: asyncio.Task[ConsistencyReport] | None = None
        # When the last consistency pass finished, and what it found (/owner status).
        self.last_consistency: tuple[datetime, ConsistencyReport] | None = None
        self.running = False
        self.started_at: datetime | None = None
        self._renderers: dict[str, Renderer] = {}
        self._undelivered: dict[str, Undelivered] = {}
        # The delivery on its way for each (member, reminder): at most one at a time.
        self._delivering: dict[tuple[int, int], asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_DELIVERIES)
        # Deliveries that failed before their row could record it (store locked, disk
        # full): how many times in a row, for the backoff of the timer that retries them.
        self._unrecorded_failures: dict[tuple[int, int], int] = {}
        self._listening = False
        self._pass = ConsistencyPass(
            stores, self.index, self.timers, sending=self._sending_ids, running=self._is_running
        )
        stores.timer = self

    # -- the cogs' API -------------------------------------------------------------
    def register(
        self, kind: str, render: Renderer, *, undelivered: Undelivered | None = None
    ) -> None:
        """Say how reminders of `kind` are rendered (one renderer per kind; the last wins).

        `undelivered(user_id, reminder)`, if given, runs (with no store held) once a DM
        of this kind can never be delivered: the member's DMs are closed, they turned
        the bot's DMs off (/settings reminders dms:off), or their account is gone. The
        club network uses it to tell the other side.

        The renderer runs with the member's store open and the row claimed; it returns
        what to send, or None when the reminder is no longer needed (it is cancelled).
        When `reminder.late` is set it adds a line saying the DM should have arrived
        earlier (the engine adds none).
        """
        if kind not in REMINDER_KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}; one of {REMINDER_KINDS}")
        self._renderers[kind] = render
        if undelivered is not None:
            self._undelivered[kind] = undelivered

    # -- the stores' API (ReminderTimer) ----------------------------------------------
    async def record(self, user_id: int, due: Mapping[int, datetime]) -> None:
        """Before a member's transaction commits: note its pending rows in the index, so
        a crash right after the commit still finds them at start-up."""
        if not self.index.is_open:
            return  # not started: start-up's consistency pass will find them
        try:
            await self.index.put(user_id, due.items())
        except Exception:
            log.exception("reminders: couldn't record member %s's reminders", user_id)
            self.recheck()

    async def settle(
        self, user_id: int, due: Mapping[int, datetime], ended: Collection[int]
    ) -> None:
        """After a member's transaction: time its pending rows, forget the ended ones.

        While the engine stops (DMs on their way finish), only the index is kept up to date.
        """
        if not self.index.is_open:
            return
        for reminder_id, due_at in due.items():
            self.timers.place(user_id, reminder_id, due_at)
        for reminder_id in ended:
            self.timers.remove(user_id, reminder_id)
        try:
            await self.index.put(user_id, due.items())
            await self.index.remove(user_id, ended)
        except Exception:
            # The timers above still fire; the pass rebuilds the index entries.
            log.exception("reminders: couldn't update the index for member %s", user_id)
            self.recheck()

    def settle_later(self, user_id: int, reminder_ids: Collection[int]) -> None:
        """The store couldn't read these rows back: re-read them once its block ends."""
        if self.running:
            self._spawn(self.arm(user_id, reminder_ids), f"reminders-settle:{user_id}")

    async def arm(self, user_id: int, reminder_ids: Iterable[int]) -> None:
        """Re-read these rows from the member's store and settle them (time the pending,
        forget the rest). The stores do this themselves after each transaction; this is
        for repairs, and for rows written while the engine was stopped."""
        ids = set(reminder_ids)
        if not ids or not self.running:
            return
        try:
            async with self.stores.member(user_id, create=False) as store:
                due, ended = await store.reminder_outcomes(ids)
                ended -= self._sending_ids(user_id)
                await self.settle(user_id, due, ended)
        except StoreMissingError:
            await self.forget(user_id, ids)

    async def forget(self, user_id: int, reminder_ids: Iterable[int]) -> None:
        """Drop the timers and index entries of reminders that are owed no more."""
        if not self.index.is_open:
            return
        ids = list(reminder_ids)
        for reminder_id in ids:
            self.timers.remove(user_id, reminder_id)
        await self.index.remove(user_id, ids)

    async def forget_member(self, user_id: int) -> None:
        """Drop every timer of a member (before their store is deleted)."""
        if not self.index.is_open:
            return
        ids = {*await self.index.remove_member(user_id), *self.timers.of_member(user_id)}
        for reminder_id in ids:
            self.timers.remove(user_id, reminder_id)

    async def run_due(self) -> None:
        """Deliver everything due by the injected clock's now; returns when each is settled."""
        if not self.running:
            return
        entries = await self.index.due_by(self.clock.now())
        deliveries = {
            delivery
            for user_id, rid, _ in entries
            if (delivery := self._start_delivery(user_id, rid)) is not None
        }
        if deliveries:
            await asyncio.wait(deliveries)

    async def idle(self) -> None:
        """Wait until no delivery or background task (consistency pass, catching up after a
        clock jump) is in flight, including any they start meanwhile.

        It never cancels them, and their failures are already logged by the engine.
        """
        await wait_idle(self._tasks)

    # -- lifecycle -----------------------------------------------------------------
    async def start(self) -> None:
        """Rebuild every job from the index file, then check the stores in the background.

        Returns as soon as the jobs are scheduled (it never opens a member's store);
        reminders that fell due while the bot was down fire at once, marked late.
        """
        if self.running:
            return
        self.started_at = self.clock.now()
        await self.index.open()
        self.timers.start()
        try:
            entries = await self.index.all()
        except sqlite3.DatabaseError as error:
            # Only a cache: start from an empty one; the consistency pass refills it.
            log.error("reminders: the index can't be read (%s); rebuilding it", error)
            await self.index.reset()
            entries = []
        for user_id, reminder_id, due_at in entries:
            self.timers.place(user_id, reminder_id, due_at)
        self.running = True
        if not self._listening:
            self.clock.on_jump(self._clock_jumped)
            self._listening = True
        self.timers.every(CONSISTENCY_JOB, CONSISTENCY_EVERY, self._periodic_check)
        self.recheck()
        log.info("reminders: %d timers rebuilt from the index", len(entries))

    async def check_consistency(self) -> ConsistencyReport:
        """Run one consistency pass now (see bot/reminders/consistency.py)."""
        report = await self._pass.run()
        self.last_consistency = (self.clock.now(), report)
        return report

    def recheck(self) -> None:
        """Run a consistency pass in the background, unless one is already running."""
        if self.running and (self.consistency is None or self.consistency.done()):
            self.consistency = self._spawn(self.check_consistency(), "reminders-consistency")

    async def _periodic_check(self) -> None:
        self.recheck()
        # A server's posts a member's store couldn't take when they were made (see
        # Stores.hand_over) are handed over again here, as well as at start-up.
        self._spawn(self.stores.hand_over_all(), "outbox-hand-over")

    async def stop(self, *, grace: float = STOP_GRACE_SECONDS) -> None:
        """Take no new work, give DMs on their way `grace` seconds, cancel the rest, close.

        A DM cut short keeps its row (pending or 'sending') and its index entry, so the
        next start sends it again with the same nonce, which Discord drops if the first
        one arrived (or, later than Discord's nonce window, finds it in the DM channel).
        """
        if not self.running:
            return
        self.running = False  # deliver, run_due, record and settle now do nothing
        self.timers.shutdown()
        unfinished = await finish_or_cancel(self._tasks(), grace)
        if unfinished:
            log.info("reminders: %d tasks cut short; the next start resumes them", len(unfinished))
        await self.index.close()

    # -- delivery ----------------------------------------------------------------------
    async def deliver(self, user_id: int, reminder_id: int) -> None:
        """Send one reminder if it is due and still owed (safe to call any number of times).

        Returns when this delivery, or the one already on its way, is settled; cancelling
        the caller leaves the delivery running (only stop() cuts a DM short).
        """
        delivery = self._start_delivery(user_id, reminder_id)
        if delivery is not None:
            await asyncio.wait([delivery])

    async def _fire(self, user_id: int, reminder_id: int) -> None:
        """A timer's job: hand the delivery to the engine's own task and return at once
        (the scheduler would cancel a job still running at shutdown, and log it failed)."""
        self._start_delivery(user_id, reminder_id)

    def _start_delivery(self, user_id: int, reminder_id: int) -> asyncio.Task[None] | None:
        """The task delivering the reminder: the one already on its way, or a new one."""
        key = (user_id, reminder_id)
        if not self.running:
            return None
        delivery = self._delivering.get(key)
        if delivery is None or delivery.done():
            metrics.reminder_due()
            delivery = asyncio.create_task(
                self._deliver(user_id, reminder_id),
                name=f"reminders-deliver:{user_id}:{reminder_id}",
            )
            self._delivering[key] = delivery
            delivery.add_done_callback(functools.partial(self._delivery_done, key))
        return delivery

    def _delivery_done(self, key: tuple[int, int], delivery: asyncio.Task[None]) -> None:
        if self._delivering.get(key) is delivery:
            del self._delivering[key]

    async def _deliver(self, user_id: int, reminder_id: int) -> None:
        try:
            async with self._slots:
                claimed = await self._claim(user_id, reminder_id)
                if claimed is not None:
                    await self._send_and_record(user_id, claimed)
        except StoreMissingError:  # the member deleted their data meanwhile
            await self.forget(user_id, [reminder_id])
        except Exception as error:
            log.exception("reminders: delivering %s of member %s failed", reminder_id, user_id)
            recorded = False
            try:
                # If it was claimed, it is ours: back to pending with a backoff.
                recorded = await self._retry(user_id, reminder_id, 0, f"unexpected: {error!r}")
            except StoreMissingError:
                await self.forget(user_id, [reminder_id])
                return
            except Exception:
                log.exception("reminders: couldn't record %s of member %s", reminder_id, user_id)
            if not recorded:
                # The row may still be pending (the claim itself failed: a store locked by
                # another process, a full disk) and its timer is spent: time it again, so
                # a passing failure never strands a reminder until the next restart.
                self._retry_unrecorded(user_id, reminder_id)
        else:
            self._unrecorded_failures.pop((user_id, reminder_id), None)

    async def _claim(self, user_id: int, reminder_id: int) -> Claimed | None:
        """Step 1: decide under the member's store lock; claim and render if it goes now.

        Every move of the row below (postponed, finished, released) re-times or forgets
        its timer through the store's unit of work.
        """
        if not self.stores.pool.exists("users", user_id):
            await self.forget(user_id, [reminder_id])  # the member deleted their data
            return None
        now = self.clock.now()
        async with self.stores.member(user_id, create=False) as store:
            reminder = await store.get_reminder(reminder_id)
            if reminder is None or reminder.state in FINAL_STATES:
                await self.forget(user_id, [reminder_id])
                return None
            if reminder.state == "sending":
                # Not on its way in this process, so a crash interrupted it: send again
                # (its tries are kept, so the send first looks for a DM that did arrive).
                others = self._sending_ids(user_id) - {reminder_id}
                await store.reset_interrupted_reminders(keep=others)
                log.info("reminders: resending %s of member %s", reminder_id, user_id)
            if reminder.due_at > now:
                # Moved later since this timer was set (quiet hours, a retry, a command).
                await self.settle(user_id, {reminder_id: reminder.due_at}, ())
                return None
            settings = await store.settings()
            if not settings.dms:
                await store.finish_reminder(reminder_id, "dismissed", error="DMs turned off")
                # Told once this store is let go (its own task waits for the lock).
                self._spawn(
                    self._never_delivered(user_id, reminder), f"reminders-undelivered:{user_id}"
                )
                return None
            late = reminder.late or (
                self.started_at is not None and reminder.due_at < self.started_at - LATE_AFTER
            )
            goes_at = _when_it_goes(reminder, now, settings, await _arrive_before(store, reminder))
            if goes_at > now:
                await store.postpone_reminder(
                    reminder_id, due_at=goes_at, late=late, held_from=reminder.due_at
                )
                log.info("reminders: %s of member %s waits for quiet hours", reminder_id, user_id)
                return None
            render = self._renderers.get(reminder.kind)
            if render is None:
                log.error("reminders: no renderer for %r; is its cog loaded?", reminder.kind)
                await store.postpone_reminder(reminder_id, due_at=now + BACKOFF[-1], late=late)
                return None
            claimed = await store.claim_reminder(reminder_id, late=late)
            if claimed is None:
                return None
            try:
                outgoing = await render(store, claimed)
            except Exception as error:
                log.exception("reminders: rendering %s of member %s failed", reminder_id, user_id)
                await self._retry_locked(store, claimed, f"render: {error!r}")
                return None
            if outgoing is None or (outgoing.content is None and outgoing.embed is None):
                await store.finish_reminder(reminder_id, "cancelled", error="no longer needed")
                return None
            channel_id = await store.get_setting(DM_CHANNEL_SETTING)
            kwargs = message_kwargs(user_id, claimed, outgoing)
            # Committed before the send: a crash after it leaves the row able to tell
            # whether this DM arrived.
            earlier = await store.note_try(reminder_id, outgoing_fingerprint(kwargs, outgoing))
        return Claimed(claimed, channel_id, kwargs, earlier)

    async def _send_and_record(self, user_id: int, claimed: Claimed) -> None:
        """Steps 2 and 3: send outside the store lock, then record the outcome."""
        reminder = claimed.reminder
        try:
            delivered = await self._send(user_id, claimed)
        except discord.Forbidden as error:
            if error.code != DM_CLOSED:
                raise
            await self._dms_closed(user_id, reminder)
            return
        except discord.NotFound as error:
            if error.code != UNKNOWN_USER:
                raise
            await self._finish(user_id, reminder.id, "cancelled", error="the user no longer exists")
            await self._never_delivered(user_id, reminder)
            return
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as error:
            if isinstance(error, discord.HTTPException) and error.code == INVALID_RECIPIENT:
                # Opening the DM with the id of an account deleted since.
                await self._finish(
                    user_id, reminder.id, "cancelled", error="the user no longer exists"
                )
                await self._never_delivered(user_id, reminder)
                return
            await self._retry(user_id, reminder.id, reminder.attempts, describe(error))
            return
        if not self.stores.pool.exists("users", user_id):
            await self.forget(user_id, [reminder.id])
            return
        async with self.stores.member(user_id, create=False) as store:
            await store.finish_reminder(reminder.id, "sent", message_id=delivered.message.id)
            if delivered.channel_id != claimed.channel_id:
                await store.set_settings(**{DM_CHANNEL_SETTING: delivered.channel_id})
        metrics.reminder_sent(late=reminder.late)
        if delivered.found_earlier:
            log.info(
                "reminders: %s %s had reached member %s before (message %s); not sent again",
                reminder.kind,
                reminder.id,
                user_id,
                delivered.message.id,
            )
            return
        log.info(
            "reminders: sent %s %s to member %s%s",
            reminder.kind,
            reminder.id,
            user_id,
            " (late)" if reminder.late else "",
        )

    async def _send(self, user_id: int, claimed: Claimed) -> Delivered:
        """Send the claimed DM (delivery.py). Discord saying to slow down is no failure
        of the DM: wait as long as it asks and send again, on the same claim and nonce,
        so the reminder counts no attempt and is not moved by a backoff."""
        while True:
            try:
                async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                    return await self.dms.send(user_id, claimed)
            except (discord.RateLimited, discord.HTTPException) as error:
                wait = retry_after_of(error)
                if wait is None:
                    raise
            log.info(
                "reminders: Discord rate limited %s of member %s; sending again in %.2f s",
                claimed.reminder.id,
                user_id,
                wait,
            )
            await asyncio.sleep(wait)

    async def _dms_closed(self, user_id: int, reminder: Reminder) -> None:
        if not self.stores.pool.exists("users", user_id):
            await self.forget(user_id, [reminder.id])
            return
        async with self.stores.member(user_id, create=False) as store:
            await store.finish_reminder(reminder.id, "dm_closed", error="DMs closed (50007)")
            await store.add_notice(DM_CLOSED_NOTICE, key="dm_closed")
        metrics.reminder_failed("dm_closed")
        log.info("reminders: member %s has DMs closed; %s kept undelivered", user_id, reminder.id)
        await self._never_delivered(user_id, reminder)

    async def _never_delivered(self, user_id: int, reminder: Reminder) -> None:
        """Tell the kind's `undelivered` callback (see register); its failure is logged,
        never the reminder's."""
        callback = self._undelivered.get(reminder.kind)
        if callback is None:
            return
        try:
            await callback(user_id, reminder)
        except Exception:
            log.exception(
                "reminders: after %s %s couldn't be delivered", reminder.kind, reminder.id
            )

    async def _retry(self, user_id: int, reminder_id: int, attempts: int, error: str) -> bool:
        """Back to pending with a backoff if it was being sent; whether the row now says
        what happens next (released, given up, or already ended or gone)."""
        if not self.stores.pool.exists("users", user_id):
            await self.forget(user_id, [reminder_id])
            return True
        async with self.stores.member(user_id, create=False) as store:
            reminder = await store.get_reminder(reminder_id)
            if reminder is None or reminder.state in FINAL_STATES:
                return True
            if reminder.state == "sending":
                await self._retry_locked(store, reminder, error, attempts=attempts)
                return True
        return False  # still pending: the failure came before the claim

    async def _retry_locked(
        self, store: MemberStore, reminder: Reminder, error: str, *, attempts: int | None = None
    ) -> None:
        """Back to pending after a passing failure, due again after the backoff."""
        user_id, attempts = store.user_id, attempts or reminder.attempts
        if attempts >= MAX_ATTEMPTS:
            log.error(
                "reminders: giving up on %s of member %s after %d attempts: %s",
                reminder.id,
                user_id,
                attempts,
                error,
            )
            await store.finish_reminder(reminder.id, "cancelled", error=f"gave up: {error}")
            metrics.reminder_failed("gave_up")
            return
        retry_at = self.clock.now() + BACKOFF[min(attempts, len(BACKOFF)) - 1]
        await store.release_reminder(reminder.id, due_at=retry_at, error=error)
        metrics.reminder_failed("retried")
        log.warning(
            "reminders: %s of member %s not sent (%s); trying again at %s",
            reminder.id,
            user_id,
            error,
            retry_at.isoformat(timespec="seconds"),
        )

    def _retry_unrecorded(self, user_id: int, reminder_id: int) -> None:
        """Set the reminder's timer again after a failure its row couldn't record; the
        delivery then finds the row as it really is (pending, sent, or gone)."""
        key = (user_id, reminder_id)
        failures = self._unrecorded_failures[key] = self._unrecorded_failures.get(key, 0) + 1
        retry_at = self.clock.now() + BACKOFF[min(failures, len(BACKOFF)) - 1]
        self.timers.place(user_id, reminder_id, retry_at)
        log.warning(
            "reminders: %s of member %s will be tried again at %s",
            reminder_id,
            user_id,
            retry_at.isoformat(timespec="seconds"),
        )

    async def _finish(self, user_id: int, reminder_id: int, state: str, *, error: str) -> None:
        if self.stores.pool.exists("users", user_id):
            async with self.stores.member(user_id, create=False) as store:
                await store.finish_reminder(reminder_id, state, error=error)
        await self.forget(user_id, [reminder_id])

    # -- the test clock ----------------------------------------------------------------
    def _clock_jumped(self) -> None:
        """A test clock moved: deliver what is now due (see timer.py: no job is re-timed)."""
        if self.running:
            self._spawn(self.run_due(), "reminders-clock-jump")

    # -- tasks ------------------------------------------------------------------------
    def _is_running(self) -> bool:
        return self.running

    def _sending_ids(self, user_id: int) -> set[int]:
        return {rid for uid, rid in self._delivering if uid == user_id}

    def _tasks(self) -> set[asyncio.Task[Any]]:
        """Every task of the engine still running: deliveries and background work."""
        return {*self._background, *self._delivering.values()}

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self._background.add(task)
        task.add_done_callback(self._background_done)
        return task

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("reminders: %s failed", task.get_name(), exc_info=task.exception())


async def _arrive_before(store: MemberStore, reminder: Reminder) -> datetime | None:
    """When a reminder must have arrived by: a prep DM, before its meeting starts."""
    if reminder.kind != ReminderKind.PREP:
        return None
    meeting = await store.get_meeting(reminder.subject_id)
    return meeting.starts_at if meeting is not None else None


def _when_it_goes(
    reminder: Reminder, now: datetime, settings: Settings, before: datetime | None
) -> datetime:
    """When a due reminder goes, given the member's quiet hours (the same rule replies
    use to promise it: bot/domain/business_days.when_dm_goes)."""
    try:
        tz = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    try:
        start, end = parse_clock(settings.quiet_start), parse_clock(settings.quiet_end)
    except ValueError:
        return now  # unreadable quiet hours never hold a reminder back
    return when_dm_goes(reminder.due_at, now, tz, start, end, before=before)
