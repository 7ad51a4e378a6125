"""The timer: one APScheduler job per pending reminder, keyed by member and row id.

APScheduler keeps real time, while due times follow the injected Clock (tests move a
FakeClock). A job's run date is therefore real now + (due − clock now), set when the
job is placed. When a test clock jumps, the engine delivers whatever the jump made due
from the index (its `run_due`); a job placed before the jump then fires later than its
reminder was sent, finds the row no longer pending, and does nothing. So jobs are never
re-timed after a jump.

Jobs live in APScheduler's memory store and call the engine's coroutine directly; the
persisted index (bot/reminders/index.py) is what brings them back after a restart.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock

log = logging.getLogger(__name__)

_JOB_PREFIX = "reminder:"

# APScheduler keeps real time; this is the one place reminders read it, only to turn
# the injected clock's due times into real run dates.
_REAL_TIME = Clock()

Fire = Callable[[int, int], Awaitable[None]]


def job_id(user_id: int, reminder_id: int) -> str:
    """The scheduler job of one member's reminder."""
    return f"{_JOB_PREFIX}{user_id}:{reminder_id}"


def real_now() -> datetime:
    """The real time (for measuring how long a pass took, not for due times)."""
    return _REAL_TIME.now()


class Timers:
    """The reminders' jobs on an AsyncIOScheduler, following the injected clock."""

    def __init__(self, clock: Clock, fire: Fire) -> None:
        self.clock = clock
        self._fire = fire
        self.scheduler: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        """Whether the scheduler is started."""
        return self.scheduler is not None and self.scheduler.running

    def start(self) -> None:
        """Start the scheduler on the running event loop."""
        # APScheduler logs every job it adds and runs at INFO; the engine logs what matters.
        apscheduler_log = logging.getLogger("apscheduler")
        if apscheduler_log.level == logging.NOTSET:
            apscheduler_log.setLevel(logging.WARNING)
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop firing jobs. No job is ever running: each hands its delivery to the
        engine's own task and returns at once."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    def every(self, name: str, period: timedelta, run: Callable[[], Awaitable[None]]) -> None:
        """Run `run` every `period` (real time) while the scheduler runs."""
        if self.scheduler is None:
            return
        self.scheduler.add_job(
            run,
            trigger="interval",
            seconds=period.total_seconds(),
            id=name,
            misfire_grace_time=None,
            coalesce=True,
            replace_existing=True,
        )

    def at(self, name: str, due_at: datetime, run: Callable[[], Awaitable[None]]) -> None:
        """(Re)place a one-off job `name` (not a reminder's: e.g. a server's next practice
        round) at `due_at` by the injected clock; at once if due. The caller keeps what
        it is for durably and places it again at start-up."""
        if self.scheduler is None:
            return
        wait = max(due_at - self.clock.now(), timedelta(0))
        self.scheduler.add_job(
            run,
            "date",
            run_date=_REAL_TIME.now() + wait,
            id=name,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def cancel(self, name: str) -> None:
        """Remove the one-off job `name`, if it is there."""
        if self.scheduler is None:
            return
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(name)

    def place(self, user_id: int, reminder_id: int, due_at: datetime) -> None:
        """(Re)place the reminder's job: real now + (due − clock now); at once if due."""
        if self.scheduler is None:
            return
        wait = max(due_at - self.clock.now(), timedelta(0))
        self.scheduler.add_job(
            self._fire,
            "date",
            run_date=_REAL_TIME.now() + wait,
            args=[user_id, reminder_id],
            id=job_id(user_id, reminder_id),
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def remove(self, user_id: int, reminder_id: int) -> None:
        """Remove the reminder's job, if it has one."""
        if self.scheduler is None:
            return
        with contextlib.suppress(JobLookupError):  # already fired, or never set
            self.scheduler.remove_job(job_id(user_id, reminder_id))

    def of_member(self, user_id: int) -> set[int]:
        """The reminder ids of a member's jobs."""
        if self.scheduler is None:
            return set()
        prefix = job_id(user_id, 0).removesuffix("0")
        return {
            int(job.id.removeprefix(prefix))
            for job in self.scheduler.get_jobs()
            if job.id.startswith(prefix)
        }

    def job_ids(self) -> set[str]:
        """Every reminder job's id (for tests and the operator's status)."""
        if self.scheduler is None:
            return set()
        return {job.id for job in self.scheduler.get_jobs() if job.id.startswith(_JOB_PREFIX)}
