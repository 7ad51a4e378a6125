"""The consistency pass: every member's store against the index, drift repaired both ways.

The stores are the truth; the index and the timers are caches of it. The pass runs in
the background at start-up (start-up itself reads only the index) and every
CONSISTENCY_EVERY while the bot is up, so drift heals without a restart: a store
restored from a backup, a crash between a commit and its timers, a row left 'sending'.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.reminders.index import DueIndex
from bot.reminders.timer import Timers, real_now
from bot.store.maintenance import has_notices, open_read_only, owed_reminders
from bot.store.pool import StoreMissingError

if TYPE_CHECKING:
    from bot.store import Stores

log = logging.getLogger(__name__)
T = TypeVar("T")

CONSISTENCY_JOB = "reminders:consistency"
CONSISTENCY_EVERY = timedelta(hours=6)
# Stores the pass looks at in one trip to a worker thread (see `_look`).
LOOK_BATCH = 32


@dataclass(frozen=True, slots=True)
class _Look:
    """What a read-only look at a member's store found."""

    pending: dict[int, datetime]  # reminder id → due
    sending: bool  # a row is 'sending' (a crash, or a send under way)
    notices: bool  # a notice waits to be shown


def _look(path: Path) -> _Look | None:
    """A store's owed reminders and waiting notices, read-only and without the pool (no
    connection thread, pragmas, migrations or triggers, which were most of the pass's
    time); None when it can't be read so (missing, locked, damaged, older schema): the
    full check decides then."""
    try:
        conn = open_read_only(path)
    except sqlite3.Error:
        return None
    try:
        owed = owed_reminders(conn)
        notices = has_notices(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    pending = {rid: due for rid, (state, due) in owed.items() if state == "pending"}
    return _Look(pending, len(pending) < len(owed), notices)


def _look_all(paths: list[Path]) -> list[_Look | None]:
    """`_look` at each store, in order (one trip to a worker thread for a batch)."""
    return [_look(path) for path in paths]


def _yield_the_cpu() -> None:
    """Lower the calling thread's CPU priority to the least (nice 19), on Linux, where
    it is the thread's own: the pass's looks then take a core only when members'
    commands (the event loop) and the rest of the machine leave it idle."""
    if sys.platform == "linux":
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except OSError:
            log.debug("reminders: couldn't lower the pass's thread priority", exc_info=True)


@dataclass(frozen=True, slots=True)
class ConsistencyReport:
    """What one consistency pass found and repaired."""

    members: int = 0
    armed: int = 0
    dropped: int = 0
    resumed: int = 0


class IndexDamagedError(Exception):
    """The index file failed a read or write for a reason other than a lock."""


async def _index_op(operation: Awaitable[T]) -> T:
    """Await an index operation, telling damage to the index apart from the store's."""
    try:
        return await operation
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as error:
        raise IndexDamagedError(str(error)) from error


class ConsistencyPass:
    """Compares stores with the index and timers, one member at a time."""

    def __init__(
        self,
        stores: Stores,
        index: DueIndex,
        timers: Timers,
        *,
        sending: Callable[[int], set[int]],
        running: Callable[[], bool],
    ) -> None:
        self.stores = stores
        self.index = index
        self.timers = timers
        self._sending = sending
        self._running = running

    async def run(self) -> ConsistencyReport:
        """Pending rows missing from the index (or with another due time) are armed; index
        entries whose row is no longer pending are dropped; rows left in 'sending' by a
        crash go back to pending, so they are sent again with the same nonce (unless their
        DM is found already delivered in the member's DM channel).

        Each store is checked on its own: one that is damaged is set aside (its member is
        told on their next command) and the pass carries on. A damaged index is set aside
        and rebuilt from the stores.
        """
        try:
            return await self._run()
        except IndexDamagedError as error:
            log.error("reminders: the index is damaged (%s); rebuilding it", error.__cause__)
            await self.index.reset()
            return await self._run()

    async def _run(self) -> ConsistencyReport:
        started = real_now()
        await _index_op(self.index.check())
        members = await asyncio.to_thread(self.stores.pool.ids, "users")
        armed = dropped = resumed = 0
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(1, "consistency-pass", initializer=_yield_the_cpu) as looker:
            for start in range(0, len(members), LOOK_BATCH):
                if not self._running():
                    break
                batch = members[start : start + LOOK_BATCH]
                paths = [self.stores.pool.path("users", user_id) for user_id in batch]
                looks = await loop.run_in_executor(looker, _look_all, paths)
                indexed = await _index_op(self.index.of_members(batch))
                for user_id, look in zip(batch, looks, strict=True):
                    if not self._running():
                        break
                    if self._agrees(user_id, look, indexed.get(user_id, {})):
                        continue
                    a, d, r = await self._check_member(user_id)
                    armed, dropped, resumed = armed + a, dropped + d, resumed + r
        if self._running():
            for user_id in await _index_op(self.index.members()) - set(members):
                if not self.stores.pool.exists("users", user_id):
                    dropped += await self._forget_member(user_id)
        report = ConsistencyReport(len(members), armed, dropped, resumed)
        log.info(
            "reminders: checked %d stores in %.1fs: %d armed, %d dropped, %d resumed",
            report.members,
            (real_now() - started).total_seconds(),
            armed,
            dropped,
            resumed,
        )
        return report

    def _agrees(self, user_id: int, look: _Look | None, indexed: dict[int, datetime]) -> bool:
        """Whether a look at a store (taken without its lock) agrees with the index's
        entries for it (`indexed`, read for the whole batch in one trip just after the
        looks): then there is nothing to repair, and its notices are noted. Anything else
        (drift, a 'sending' row, a store that couldn't be looked at) gets the full check
        under the store's lock, which also sees what a command changed since the look (a
        command keeps the index in step itself, so a store and index that agreed at the
        look need nothing from the pass)."""
        if look is None or look.sending:
            return False
        if indexed != look.pending:
            return False
        if look.notices:
            self.stores.notices_waiting.add(user_id)
        return True

    async def _check_member(self, user_id: int) -> tuple[int, int, int]:
        try:
            return await self._check_store(user_id)
        except StoreMissingError:
            return 0, 0, 0  # deleted since the scan listed it; the sweep below drops it
        except IndexDamagedError:
            raise
        except sqlite3.OperationalError as error:
            # Locked by another process, a full disk: not damage. The next pass retries.
            log.warning("reminders: couldn't check member %s's store (%s)", user_id, error)
        except sqlite3.DatabaseError as error:
            await self.stores.pool.set_aside("users", user_id, str(error))
            await self._forget_member(user_id)
        except Exception:
            log.exception("reminders: checking member %s's store failed", user_id)
        return 0, 0, 0

    async def _forget_member(self, user_id: int) -> int:
        """Drop a member's index entries and timers (no store any more); how many."""
        gone = await _index_op(self.index.remove_member(user_id))
        for reminder_id in {*gone, *self.timers.of_member(user_id)}:
            self.timers.remove(user_id, reminder_id)
        return len(gone)

    async def _check_store(self, user_id: int) -> tuple[int, int, int]:
        # The index is changed while the member's store is held, so a command's cancel or
        # add for this member can't slip in between reading the rows and fixing the index.
        async with self.stores.member(user_id, create=False) as store:
            sending = self._sending(user_id)
            # Read before the reset, whose own unit of work already re-arms what it resumes.
            indexed = await _index_op(self.index.of_member(user_id))
            resumed = await store.reset_interrupted_reminders(keep=sending)
            pending = {r.id: r.due_at for r in await store.pending_reminders()}
            stale = [rid for rid in indexed if rid not in pending and rid not in sending]
            changed = [(rid, due) for rid, due in pending.items() if indexed.get(rid) != due]
            await _index_op(self.index.put(user_id, changed))
            await _index_op(self.index.remove(user_id, stale))
            if await store.has_notices():
                self.stores.notices_waiting.add(user_id)
        for reminder_id, due_at in changed:
            self.timers.place(user_id, reminder_id, due_at)
        for reminder_id in stale:
            self.timers.remove(user_id, reminder_id)
        if resumed:
            log.info("reminders: resending %s of member %s after a restart", resumed, user_id)
        return len(changed), len(stale), len(resumed)
