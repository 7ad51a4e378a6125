"""The reminder engine: when each DM the bot owes a member goes out, and exactly once.

The member's store is the truth (a `reminders` row per DM); APScheduler is only the
timer, one in-memory job per pending row, keyed by member and row id. A small index
file (bot/reminders/index.py) lets start-up rebuild every job from one file; a
background pass over all stores then repairs any drift between the two.

Delivery of one reminder:
  1. open the member's store, re-read the row and CLAIM it (pending → sending,
     attempts + 1, committed), then let the kind's renderer (registered by a cog)
     say what the DM contains;
  2. note the try in the row (when, and a fingerprint of what goes out), then send it
     with a nonce derived from the member and the reminder, so Discord drops a repeat
     (a row left in 'sending' by a crash is sent again with the same nonce, and Discord
     answers with the message it already has; past Discord's nonce window, the DM
     channel is read first, see below);
  3. record the outcome: sent (with the message id), dm_closed (never retried, the
     member gets a notice), cancelled (no longer needed), or back to pending with a
     backoff when Discord or the network failed for a while.

Each delivery runs in a task the engine owns (the scheduler's job only hands it over),
so stop() decides what happens to a DM on its way: it gets a grace period, then is
cancelled. A cancelled delivery leaves its row pending or 'sending' and its index
entry, so the next start sends it again with the same nonce: nothing is lost or doubled.

Resending after Discord's nonce window: Discord remembers a nonce for a few minutes
only, so a DM it accepted just before a crash (or whose answer was lost in a timeout)
would be sent twice by a resend that comes later. So before any send of a reminder
that was tried before (its row has `tried_at`), the engine reads the member's DM
channel from a little before that first try (GET /channels/{id}/messages) and, if a
message from the bot there has the fingerprint of one of those tries, records the
reminder as sent with that message instead of sending it again. If the history can't
be read, it sends with the nonce: at most one duplicate, never a lost reminder.

Late reminders: a reminder that fell due more than LATE_AFTER before the engine
started is marked late (`Reminder.late`, kept in the row). The RENDERER says so in
its words ("This reminder should have arrived earlier…"); the engine adds no note,
so a DM never carries two.

Time: due times follow the injected Clock. APScheduler runs on real time, so a job's
run date is real now + (due − clock.now()); a test clock's jumps run `run_due()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiohttp
import discord
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.domain.business_days import delay_past_quiet_hours, parse_clock
from bot.domain.models import REMINDER_KINDS, Reminder, Settings
from bot.reminders.index import DueIndex
from bot.store.reminders import FINAL_STATES, EarlierTries
from bot.ui.limits import CONTENT, clip

if TYPE_CHECKING:
    from bot.store import MemberStore, Stores

log = logging.getLogger(__name__)

JOB_FUNC = "bot.reminders.engine:deliver_job"
CONSISTENCY_JOB = "reminders:consistency"
# The full pass over every store also runs this often while the bot is up, so drift
# (a crash between a commit and `arm`, a store restored from a backup) heals without a restart.
CONSISTENCY_EVERY = timedelta(hours=6)
DM_CHANNEL_SETTING = "dm_channel_id"
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

# Looking for an earlier try's DM before sending again: the history read starts this
# long before the first try (this host's clock and Discord's may differ a little) and
# reads at most HISTORY_LIMIT messages, oldest first: the DM is among the first after
# that moment unless the member wrote dozens of messages in those two minutes.
HISTORY_MARGIN = timedelta(minutes=2)
HISTORY_LIMIT = 50
HISTORY_TIMEOUT_SECONDS = 15.0

DM_CLOSED = 50007
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013

# APScheduler keeps real time; this is the one place the engine reads it, only to turn
# the injected clock's due times into real run dates.
_REAL_TIME = Clock()

_running_engine: ReminderEngine | None = None


@dataclass
class Outgoing:
    """What a renderer wants sent: the DM's text, embed and buttons."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None


Renderer = Callable[["MemberStore", Reminder], Awaitable[Outgoing | None]]


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    """What one consistency pass found and repaired."""

    members: int = 0
    armed: int = 0
    dropped: int = 0
    resumed: int = 0


def job_id(user_id: int, reminder_id: int) -> str:
    """The scheduler job of one member's reminder."""
    return f"reminder:{user_id}:{reminder_id}"


def nonce_for(user_id: int, reminder_id: int) -> str:
    """The DM's nonce: the same for every attempt at one reminder, different for every
    other. Reminder ids are per member and Discord de-duplicates nonces per sender (the
    bot), so the member is part of it; hashed to fit Discord's 25 characters."""
    digest = hashlib.sha256(f"{user_id}:{reminder_id}".encode()).hexdigest()
    return f"r{digest[:24]}"


def dm_fingerprint(
    content: str | None, embeds: Iterable[discord.Embed], components: Iterable[dict[str, Any]]
) -> str:
    """A short, stable digest of what a DM shows: its text, each embed's title,
    description and footer, and the custom_ids of its components.

    How the engine recognises a reminder's DM in the channel's history, chosen over the
    alternatives:
      - the nonce: Discord doesn't return it when messages are read back;
      - a visible marker (an embed footer "ref r1a2b3", an extra button): clutter in the
        member's DM, and the prep and follow-up DMs have no component of their own whose
        custom_id could carry it;
      - comparing with what would be rendered now: a resend after a restart is rendered
        late (with a line saying so) and the data may have changed meanwhile.
    So the digest of exactly what was handed to Discord is stored in the row before each
    send (`tried_prints`) and compared with the digest of the messages read back; the
    parts kept are the ones Discord echoes unchanged (whitespace at the ends aside).
    Another of the bot's DMs with the same digest would have to carry the very same
    text, embed and buttons, and be sent within minutes of this reminder's first try.
    """
    custom_ids: list[str] = []
    stack = list(components)
    while stack:
        component = stack.pop()
        if component.get("custom_id"):
            custom_ids.append(str(component["custom_id"]))
        stack.extend(component.get("components") or ())
        if isinstance(component.get("accessory"), dict):
            stack.append(component["accessory"])
    shown = {
        "content": (content or "").strip(),
        "embeds": [
            [(part or "").strip() for part in (e.title, e.description, e.footer.text)]
            for e in embeds
        ],
        "custom_ids": sorted(custom_ids),
    }
    encoded = json.dumps(shown, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


def _message_fingerprint(message: discord.Message) -> str:
    """The fingerprint of a message read back from Discord."""
    return dm_fingerprint(
        message.content, message.embeds, [component.to_dict() for component in message.components]
    )


async def deliver_job(user_id: int, reminder_id: int) -> None:
    """The scheduler's job function (referenced by text, with primitive arguments).

    It hands the delivery to the engine and returns at once: the scheduler cancels jobs
    still running when it shuts down, and logs each as failed.
    """
    engine = _running_engine
    if engine is None:
        log.warning("reminder %s of member %s fired with no engine running", reminder_id, user_id)
        return
    engine._start_delivery(user_id, reminder_id)


async def consistency_job() -> None:
    """The scheduler's periodic job: start a consistency pass unless one is running."""
    engine = _running_engine
    if engine is not None:
        engine.recheck()


@dataclass(slots=True)
class _Claimed:
    """A reminder claimed for sending, with what to send and where."""

    reminder: Reminder
    outgoing: Outgoing
    channel_id: int | None
    # The message as handed to discord.py, the same on every try.
    kwargs: dict[str, Any]
    # Earlier sends of it that may have reached Discord: look for them before sending.
    earlier: EarlierTries | None = None


class ReminderEngine:
    """Owns timing and delivery bookkeeping of the DMs the bot owes members.

    Cogs `register` a renderer per kind in `cog_load`; after committing new reminder
    rows they call `arm`, after cancelling or deleting rows `forget` / `forget_member`.
    """

    def __init__(self, bot: Any, stores: Stores, clock: Clock, data_dir: Path) -> None:
        self.bot = bot
        self.stores = stores
        self.clock = clock
        self.data_dir = Path(data_dir)
        self.index = DueIndex(self.data_dir)
        self.scheduler: AsyncIOScheduler | None = None
        self.consistency: asyncio.Task[ConsistencyReport] | None = None
        self.running = False
        self.started_at: datetime | None = None
        self._renderers: dict[str, Renderer] = {}
        # The delivery on its way for each (member, reminder): at most one at a time.
        self._delivering: dict[tuple[int, int], asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_DELIVERIES)
        self._listening = False

    # -- the cogs' API -------------------------------------------------------------
    def register(self, kind: str, render: Renderer) -> None:
        """Say how reminders of `kind` are rendered (one renderer per kind; the last wins).

        The renderer runs with the member's store open and the row claimed; it returns
        what to send, or None when the reminder is no longer needed (it is cancelled).
        When `reminder.late` is set it adds a line saying the DM should have arrived
        earlier (the engine adds none). It must not call the engine (the store is held).
        """
        if kind not in REMINDER_KINDS:
            raise ValueError(f"unknown reminder kind {kind!r}; one of {REMINDER_KINDS}")
        self._renderers[kind] = render

    async def arm(self, user_id: int, reminder_ids: Iterable[int]) -> None:
        """Start the timers of newly committed reminder rows.

        Call it after leaving the `async with stores.member(...)` block that wrote the
        rows: it reads their due times from the store (which would wait for itself).
        """
        ids = list(reminder_ids)
        if not ids or not self.running:
            return  # not started: start-up's consistency pass will arm them
        async with self.stores.member(user_id) as store:
            due: list[tuple[int, datetime]] = []
            for reminder_id in ids:
                reminder = await store.get_reminder(reminder_id)
                if reminder is not None and reminder.state == "pending":
                    due.append((reminder.id, reminder.due_at))
            await self.index.put(user_id, due)
        for reminder_id, due_at in due:
            self._schedule(user_id, reminder_id, due_at)

    async def forget(self, user_id: int, reminder_ids: Iterable[int]) -> None:
        """Drop the timers of reminders that were cancelled or deleted."""
        ids = list(reminder_ids)
        if not ids or not self.running:
            return
        await self.index.remove(user_id, ids)
        for reminder_id in ids:
            self._unschedule(user_id, reminder_id)

    async def forget_member(self, user_id: int) -> None:
        """Drop every timer of a member (before their store is deleted)."""
        if not self.running:
            return
        ids = set(await self.index.remove_member(user_id))
        assert self.scheduler is not None
        prefix = job_id(user_id, 0).removesuffix("0")
        ids.update(
            int(job.id.removeprefix(prefix))
            for job in self.scheduler.get_jobs()
            if job.id.startswith(prefix)
        )
        for reminder_id in ids:
            self._unschedule(user_id, reminder_id)

    async def run_due(self) -> None:
        """Deliver everything due by the injected clock's now; returns when each is settled."""
        if not self.running:
            return
        entries = await self.index.due_by(self.clock.now())
        deliveries = {self._start_delivery(user_id, rid) for user_id, rid, _ in entries}
        deliveries.discard(None)
        if deliveries:
            await asyncio.wait(deliveries)

    async def idle(self) -> None:
        """Wait until no delivery or background task (consistency pass, catching up after a
        clock jump) is in flight, including any they start meanwhile.

        It never cancels them, and their failures are already logged by the engine.
        """
        current = asyncio.current_task()
        while in_flight := self._tasks() - {current}:
            await asyncio.wait(in_flight)

    # -- lifecycle -----------------------------------------------------------------
    async def start(self) -> None:
        """Rebuild every job from the index file, then check the stores in the background.

        Returns as soon as the jobs are scheduled (it never opens a member's store);
        reminders that fell due while the bot was down fire at once, marked late.
        """
        global _running_engine
        if self.running:
            return
        self.started_at = self.clock.now()
        await self.index.open()
        # APScheduler logs every job it adds and runs at INFO; the engine logs what matters.
        apscheduler_log = logging.getLogger("apscheduler")
        if apscheduler_log.level == logging.NOTSET:
            apscheduler_log.setLevel(logging.WARNING)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        entries = await self.index.all()
        for user_id, reminder_id, due_at in entries:
            self._schedule(user_id, reminder_id, due_at)
        self.scheduler.start()
        self.running = True
        _running_engine = self
        if not self._listening:
            self.clock.on_jump(self._clock_jumped)
            self._listening = True
        self.scheduler.add_job(
            "bot.reminders.engine:consistency_job",
            trigger="interval",
            seconds=CONSISTENCY_EVERY.total_seconds(),
            id=CONSISTENCY_JOB,
            misfire_grace_time=None,
            coalesce=True,
            replace_existing=True,
        )
        self.recheck()
        log.info("reminders: %d timers rebuilt from the index", len(entries))

    def recheck(self) -> None:
        """Run a consistency pass in the background, unless one is already running."""
        if self.running and (self.consistency is None or self.consistency.done()):
            self.consistency = self._spawn(self.check_consistency(), "reminders-consistency")

    async def stop(self, *, grace: float = STOP_GRACE_SECONDS) -> None:
        """Take no new work, give DMs on their way `grace` seconds, cancel the rest, close.

        A DM cut short keeps its row (pending or 'sending') and its index entry, so the
        next start sends it again with the same nonce, which Discord drops if the first
        one arrived (or, later than Discord's nonce window, finds it in the DM channel).
        """
        global _running_engine
        if not self.running:
            return
        self.running = False  # deliver, run_due, arm and forget now do nothing
        if _running_engine is self:
            _running_engine = None
        if self.scheduler is not None and self.scheduler.running:
            # No job is running: each hands its delivery to the engine and returns.
            self.scheduler.shutdown(wait=False)
        in_flight = self._tasks()
        if in_flight:
            _, unfinished = await asyncio.wait(in_flight, timeout=grace)
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.wait(unfinished)
                log.info(
                    "reminders: %d tasks cut short; the next start resumes them", len(unfinished)
                )
        await self.index.close()

    # -- consistency -----------------------------------------------------------------
    async def check_consistency(self) -> ConsistencyReport:
        """Compare every member's store with the index and repair drift both ways.

        Pending rows missing from the index (or with another due time) are armed; index
        entries whose row is no longer pending are dropped; rows left in 'sending' by a
        crash go back to pending, so they are sent again with the same nonce (unless their
        DM is found already delivered in the member's DM channel).
        """
        started = _REAL_TIME.now()
        members = await asyncio.to_thread(self.stores.pool.ids, "users")
        armed = dropped = resumed = 0
        for user_id in members:
            if not self.running:
                break
            a, d, r = await self._check_member(user_id)
            armed, dropped, resumed = armed + a, dropped + d, resumed + r
        if self.running:
            for user_id in await self.index.members() - set(members):
                if not self.stores.pool.exists("users", user_id):
                    before = len(await self.index.of_member(user_id))
                    await self.forget_member(user_id)
                    dropped += before
        report = ConsistencyReport(len(members), armed, dropped, resumed)
        log.info(
            "reminders: checked %d stores in %.1fs: %d armed, %d dropped, %d resumed",
            report.members,
            (_REAL_TIME.now() - started).total_seconds(),
            armed,
            dropped,
            resumed,
        )
        return report

    async def _check_member(self, user_id: int) -> tuple[int, int, int]:
        # The index is changed while the member's store is held, so a cog's cancel or
        # add for this member can't slip in between reading the rows and fixing the index.
        async with self.stores.member(user_id) as store:
            sending = self._sending_ids(user_id)
            resumed = await store.reset_interrupted_reminders(keep=sending)
            pending = {r.id: r.due_at for r in await store.pending_reminders()}
            indexed = await self.index.of_member(user_id)
            stale = [rid for rid in indexed if rid not in pending and rid not in sending]
            changed = [(rid, due) for rid, due in pending.items() if indexed.get(rid) != due]
            await self.index.put(user_id, changed)
            await self.index.remove(user_id, stale)
        for reminder_id, due_at in changed:
            self._schedule(user_id, reminder_id, due_at)
        for reminder_id in stale:
            self._unschedule(user_id, reminder_id)
        if resumed:
            log.info("reminders: resending %s of member %s after a restart", resumed, user_id)
        return len(changed), len(stale), len(resumed)

    # -- delivery ----------------------------------------------------------------------
    async def deliver(self, user_id: int, reminder_id: int) -> None:
        """Send one reminder if it is due and still owed (safe to call any number of times).

        Returns when this delivery, or the one already on its way, is settled; cancelling
        the caller leaves the delivery running (only stop() cuts a DM short).
        """
        delivery = self._start_delivery(user_id, reminder_id)
        if delivery is not None:
            await asyncio.wait([delivery])

    def _start_delivery(self, user_id: int, reminder_id: int) -> asyncio.Task[None] | None:
        """The task delivering the reminder: the one already on its way, or a new one."""
        key = (user_id, reminder_id)
        if not self.running:
            return None
        delivery = self._delivering.get(key)
        if delivery is None or delivery.done():
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
        key = (user_id, reminder_id)
        try:
            async with self._slots:
                claimed = await self._claim(user_id, reminder_id)
                if claimed is not None:
                    await self._send_and_record(user_id, claimed)
        except Exception as error:
            log.exception("reminders: delivering %s of member %s failed", reminder_id, user_id)
            try:
                # If it was claimed, it is ours: back to pending with a backoff.
                await self._retry(user_id, reminder_id, 0, f"unexpected: {error!r}")
            except Exception:
                log.exception("reminders: %s of member %s left to the next check", *key[::-1])

    async def _claim(self, user_id: int, reminder_id: int) -> _Claimed | None:
        """Step 1: decide under the member's store lock; claim and render if it goes now."""
        if not self.stores.pool.exists("users", user_id):
            await self._drop(user_id, reminder_id)  # the member deleted their data
            return None
        now = self.clock.now()
        async with self.stores.member(user_id) as store:
            reminder = await store.get_reminder(reminder_id)
            if reminder is None or reminder.state in FINAL_STATES:
                await self._drop(user_id, reminder_id)
                return None
            if reminder.state == "sending":
                # Not on its way in this process, so a crash interrupted it: send again
                # (its tries are kept, so the send first looks for a DM that did arrive).
                others = self._sending_ids(user_id) - {reminder_id}
                await store.reset_interrupted_reminders(keep=others)
                log.info("reminders: resending %s of member %s", reminder_id, user_id)
            if reminder.due_at > now:
                # Moved later since this timer was set (quiet hours, a retry, a cog).
                await self._rearm(user_id, reminder_id, reminder.due_at)
                return None
            settings = await store.settings()
            if not settings.dms:
                await store.finish_reminder(reminder_id, "dismissed", error="DMs turned off")
                await self._drop(user_id, reminder_id)
                return None
            late = reminder.late or (
                self.started_at is not None and reminder.due_at < self.started_at - LATE_AFTER
            )
            quiet_end = _after_quiet_hours(now, settings)
            if quiet_end > now:
                await store.postpone_reminder(reminder_id, due_at=quiet_end, late=late)
                await self._rearm(user_id, reminder_id, quiet_end)
                log.info("reminders: %s of member %s waits for quiet hours", reminder_id, user_id)
                return None
            render = self._renderers.get(reminder.kind)
            if render is None:
                log.error("reminders: no renderer for %r; is its cog loaded?", reminder.kind)
                retry_at = now + BACKOFF[-1]
                await store.postpone_reminder(reminder_id, due_at=retry_at, late=late)
                await self._rearm(user_id, reminder_id, retry_at)
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
                await self._drop(user_id, reminder_id)
                return None
            channel_id = await store.get_setting(DM_CHANNEL_SETTING)
            kwargs = _message_kwargs(user_id, claimed, outgoing)
            fingerprint = dm_fingerprint(
                kwargs.get("content"),
                [outgoing.embed] if outgoing.embed is not None else [],
                outgoing.view.to_components() if outgoing.view is not None else [],
            )
            # Committed before the send: a crash after it leaves the row able to tell
            # whether this DM arrived.
            earlier = await store.note_try(reminder_id, fingerprint)
        return _Claimed(claimed, outgoing, channel_id, kwargs, earlier)

    async def _send_and_record(self, user_id: int, claimed: _Claimed) -> None:
        """Steps 2 and 3: send outside the store lock, then record the outcome."""
        reminder = claimed.reminder
        try:
            message, found, channel_id = await self._send(user_id, claimed)
        except discord.Forbidden as error:
            if error.code != DM_CLOSED:
                raise
            await self._dms_closed(user_id, reminder)
            return
        except discord.NotFound as error:
            if error.code != UNKNOWN_USER:
                raise
            await self._finish(user_id, reminder.id, "cancelled", error="the user no longer exists")
            return
        except (
            discord.HTTPException,
            discord.RateLimited,
            aiohttp.ClientError,
            OSError,
            TimeoutError,
        ) as error:
            await self._retry(user_id, reminder.id, reminder.attempts, _describe(error))
            return
        if not self.stores.pool.exists("users", user_id):
            await self._drop(user_id, reminder.id)
            return
        async with self.stores.member(user_id) as store:
            await store.finish_reminder(reminder.id, "sent", message_id=message.id)
            if channel_id != claimed.channel_id:
                await store.set_settings(**{DM_CHANNEL_SETTING: channel_id})
            await self._drop(user_id, reminder.id)
        if found:
            log.info(
                "reminders: %s %s had reached member %s before (message %s); not sent again",
                reminder.kind,
                reminder.id,
                user_id,
                message.id,
            )
            return
        log.info(
            "reminders: sent %s %s to member %s%s",
            reminder.kind,
            reminder.id,
            user_id,
            " (late)" if reminder.late else "",
        )

    async def _send(self, user_id: int, claimed: _Claimed) -> tuple[discord.Message, bool, int]:
        """Send the DM (one request when the DM channel is known and it wasn't tried
        before); returns it, whether it was found already delivered, and the channel."""
        channel_id = claimed.channel_id
        if channel_id is not None:
            channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
            try:
                return (*await self._send_to(channel, user_id, claimed), channel_id)
            except discord.NotFound as error:
                if error.code != UNKNOWN_CHANNEL:
                    raise
                log.info("reminders: member %s's DM channel is gone; opening another", user_id)
        user = await self.bot.fetch_user(user_id)
        dm = await user.create_dm()
        channel = self.bot.get_partial_messageable(dm.id, type=discord.ChannelType.private)
        return (*await self._send_to(channel, user_id, claimed), dm.id)

    async def _send_to(
        self, channel: discord.PartialMessageable, user_id: int, claimed: _Claimed
    ) -> tuple[discord.Message, bool]:
        """Send into `channel`, unless an earlier try's DM is there; returns the message
        and whether it was that earlier one. When the DM channel had to be opened, it is
        looked at too: the try before may have opened it and its DM arrived there."""
        if claimed.earlier is not None:
            earlier = await self._find_earlier(channel, user_id, claimed.reminder, claimed.earlier)
            if earlier is not None:
                return earlier, True
        return await channel.send(**claimed.kwargs), False

    async def _find_earlier(
        self,
        channel: discord.PartialMessageable,
        user_id: int,
        reminder: Reminder,
        earlier: EarlierTries,
    ) -> discord.Message | None:
        """The bot's message in the DM channel that an earlier try of `reminder` created,
        or None: not there, or the history couldn't be read (the send then goes ahead
        with the nonce, so a reminder is never lost to avoid a duplicate)."""
        me = self.bot.user
        if me is None or not earlier.prints:
            return None
        try:
            async with asyncio.timeout(HISTORY_TIMEOUT_SECONDS):
                async for message in channel.history(
                    limit=HISTORY_LIMIT, after=earlier.since - HISTORY_MARGIN, oldest_first=True
                ):
                    if (
                        message.author.id == me.id
                        and _message_fingerprint(message) in earlier.prints
                    ):
                        return message
        except Exception as error:  # never let the check cost the reminder
            log.warning(
                "reminders: couldn't read member %s's DMs to check %s was not delivered "
                "already (%s); sending it again with its nonce",
                user_id,
                reminder.id,
                _describe(error),
            )
        return None

    async def _dms_closed(self, user_id: int, reminder: Reminder) -> None:
        if not self.stores.pool.exists("users", user_id):
            await self._drop(user_id, reminder.id)
            return
        async with self.stores.member(user_id) as store:
            await store.finish_reminder(reminder.id, "dm_closed", error="DMs closed (50007)")
            await store.add_notice(DM_CLOSED_NOTICE, key="dm_closed")
            await self._drop(user_id, reminder.id)
        log.info("reminders: member %s has DMs closed; %s kept undelivered", user_id, reminder.id)

    async def _retry(self, user_id: int, reminder_id: int, attempts: int, error: str) -> None:
        if not self.stores.pool.exists("users", user_id):
            await self._drop(user_id, reminder_id)
            return
        async with self.stores.member(user_id) as store:
            reminder = await store.get_reminder(reminder_id)
            if reminder is not None and reminder.state == "sending":
                await self._retry_locked(store, reminder, error, attempts=attempts)

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
            await self._drop(user_id, reminder.id)
            return
        retry_at = self.clock.now() + BACKOFF[min(attempts, len(BACKOFF)) - 1]
        await store.release_reminder(reminder.id, due_at=retry_at, error=error)
        await self._rearm(user_id, reminder.id, retry_at)
        log.warning(
            "reminders: %s of member %s not sent (%s); trying again at %s",
            reminder.id,
            user_id,
            error,
            retry_at.isoformat(timespec="seconds"),
        )

    async def _finish(self, user_id: int, reminder_id: int, state: str, *, error: str) -> None:
        if self.stores.pool.exists("users", user_id):
            async with self.stores.member(user_id) as store:
                await store.finish_reminder(reminder_id, state, error=error)
        await self._drop(user_id, reminder_id)

    # -- timers ------------------------------------------------------------------------
    def _schedule(self, user_id: int, reminder_id: int, due_at: datetime) -> None:
        """(Re)place the reminder's job: real now + (due − clock now); at once if due."""
        if self.scheduler is None:
            return
        wait = max(due_at - self.clock.now(), timedelta(0))
        self.scheduler.add_job(
            JOB_FUNC,
            "date",
            run_date=_REAL_TIME.now() + wait,
            args=[user_id, reminder_id],
            id=job_id(user_id, reminder_id),
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def _unschedule(self, user_id: int, reminder_id: int) -> None:
        if self.scheduler is None:
            return
        with contextlib.suppress(JobLookupError):  # already fired, or never set
            self.scheduler.remove_job(job_id(user_id, reminder_id))

    async def _rearm(self, user_id: int, reminder_id: int, due_at: datetime) -> None:
        await self.index.put(user_id, [(reminder_id, due_at)])
        self._schedule(user_id, reminder_id, due_at)

    async def _drop(self, user_id: int, reminder_id: int) -> None:
        """The reminder is no longer owed: its job and index entry go with it."""
        await self.index.remove(user_id, [reminder_id])
        self._unschedule(user_id, reminder_id)

    def _clock_jumped(self) -> None:
        """A test clock moved: deliver what is now due and re-time the other jobs."""
        if self.running:
            self._spawn(self._after_jump(), "reminders-clock-jump")

    async def _after_jump(self) -> None:
        await self.run_due()
        if not self.running:
            return
        now = self.clock.now()
        for user_id, reminder_id, due_at in await self.index.all():
            if due_at > now:
                self._schedule(user_id, reminder_id, due_at)

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


def _message_kwargs(user_id: int, reminder: Reminder, outgoing: Outgoing) -> dict[str, Any]:
    """What `channel.send` gets for a reminder's DM, the same on every try."""
    kwargs: dict[str, Any] = {
        "nonce": nonce_for(user_id, reminder.id),
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if outgoing.content:
        kwargs["content"] = clip(outgoing.content, CONTENT)
    if outgoing.embed is not None:
        kwargs["embed"] = outgoing.embed
    if outgoing.view is not None:
        kwargs["view"] = outgoing.view
    return kwargs


def _after_quiet_hours(when: datetime, settings: Settings) -> datetime:
    """`when`, or the end of the member's quiet hours if it falls inside them."""
    try:
        tz = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    try:
        start, end = parse_clock(settings.quiet_start), parse_clock(settings.quiet_end)
    except ValueError:
        return when  # unreadable quiet hours never hold a reminder back
    return delay_past_quiet_hours(when, tz, start, end)


def _describe(error: BaseException) -> str:
    if isinstance(error, discord.HTTPException):
        return f"{type(error).__name__} {error.status} ({error.code}): {error.text}"[:300]
    return f"{type(error).__name__}: {error}"[:300]
