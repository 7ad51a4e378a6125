"""A member's own store: the API cogs and the reminder engine use; SQL stays in bot/store."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any, NamedTuple

from bot.clock import Clock
from bot.domain.digest import read_digest
from bot.domain.models import Profile, Reminder, Settings
from bot.domain.progress import NEXT_ACTIONS_SHOWN, DueRequests, DueThanks, Pipeline
from bot.store.base import StoreBase, StoreConnection, ts
from bot.store.keeping_in_touch import KeepingInTouchMixin
from bot.store.meetings import MeetingsMixin
from bot.store.outbox import ReceivingMixin
from bot.store.outreach import (
    OutreachMixin,
    read_due_requests,
    read_due_thanks,
    read_pipeline,
    read_reminder_prospect_names,
)
from bot.store.prospects import ProspectsMixin, TimelineMixin
from bot.store.reminders import RemindersMixin, ReminderTimer, read_undelivered

log = logging.getLogger(__name__)

# Settings are kept as key → JSON value, so adding one needs no migration.
_SETTING_DEFAULTS = Settings()
EXPORT_TABLES = (
    "settings",
    "prospects",
    "outreach",
    "meetings",
    "referrals",
    "meeting_questions",
    "reminders",
    "notices",
)


class MemberStore(
    ProspectsMixin,
    TimelineMixin,
    OutreachMixin,
    MeetingsMixin,
    KeepingInTouchMixin,
    ReceivingMixin,
    RemindersMixin,
    StoreBase,
):
    """Everything the bot keeps for one member, reachable only with that member's id.

    A unit of work: every transaction that creates, moves or ends reminder rows (see
    the temporary triggers in bot/store/pool.py) hands them to the reminder `timer`
    itself. Before COMMIT the due times of pending rows are recorded durably (so a
    crash right after the commit still finds them at start-up); once the transaction
    has ended, committed, failed or cancelled, the rows are read back and the timer
    arms what is pending and forgets what ended. No caller does reminder bookkeeping.
    """

    def __init__(
        self,
        conn: StoreConnection,
        user_id: int,
        clock: Clock,
        *,
        timer: ReminderTimer | None = None,
        touched: set[int] | None = None,
        on_notice: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(conn, user_id, clock)
        self._timer = timer
        self._touched = touched if touched is not None else set()
        self._recorded: set[int] = set()
        self._on_notice = on_notice

    @property
    def user_id(self) -> int:
        """The Discord user this store belongs to."""
        return self.key

    # -- the unit of work's reminder bookkeeping -------------------------------
    async def _before_commit(self) -> None:
        if self._timer is None or not self._touched:
            return
        due = await self.pending_due(self._touched)
        if due:
            self._recorded.update(due)
            await self._timer.record(self.user_id, due)

    def _settles_on_commit(self) -> bool:
        return bool(self._touched or self._recorded)

    async def _settle(self) -> None:
        ids = self._touched | self._recorded
        self._touched.clear()  # the pool's live set for this connection
        self._recorded.clear()
        if self._timer is None or not ids:
            return
        try:
            due, ended = await self.reminder_outcomes(ids)
        except Exception:
            # The store can't be read back right now (disk, lock): the timer re-reads
            # these rows later instead of losing track of them.
            log.exception("store: couldn't read back member %s's reminders", self.user_id)
            self._timer.settle_later(self.user_id, ids)
            return
        await self._timer.settle(self.user_id, due, ended)

    async def settle_leftovers(self) -> None:
        """Settle reminder rows changed outside a transaction (the end of a store block)."""
        if self._touched or self._recorded:
            await self._settle()

    # -- settings ------------------------------------------------------------
    async def get_setting(self, key: str, default: Any = None) -> Any:
        """One setting's value, or `default`."""
        row = await self.fetchone("SELECT value FROM settings WHERE key = ?", (key,))
        return default if row is None else json.loads(row["value"])

    async def set_settings(self, **values: Any) -> None:
        """Set several settings at once (None removes one)."""
        async with self.transaction():
            for key, value in values.items():
                if value is None:
                    await self.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    await self.execute(
                        "INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (key, json.dumps(value)),
                    )

    async def settings(self) -> Settings:
        """The member's preferences with defaults filled in."""
        return await self.run(read_settings, quick=True)

    async def dashboard(self, shown: int = NEXT_ACTIONS_SHOWN) -> Dashboard:
        """Everything /progress shows, read in one trip."""
        now = self.now()

        def read(raw: sqlite3.Connection) -> Dashboard:
            undelivered = read_undelivered(raw)
            names = read_reminder_prospect_names(raw, [r.id for r in undelivered])
            return Dashboard(
                read_settings(raw),
                read_pipeline(raw, ts(now), shown),
                read_due_thanks(raw, now, shown),
                read_due_requests(raw, now, shown),
                [(reminder, names.get(reminder.id)) for reminder in undelivered],
            )

        return await self.run(read, quick=True)

    # -- notices ---------------------------------------------------------------
    async def add_notice(self, text: str, *, key: str | None = None) -> None:
        """Queue a one-line notice for the member's next command (deduplicated by key)."""
        await self.execute(
            "INSERT INTO notices (key, text, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET text = excluded.text, shown_at = NULL",
            (key, text, ts(self.now())),
        )
        if self._on_notice is not None:
            self._on_notice(self.user_id)

    async def has_notices(self) -> bool:
        """Whether a notice waits to be shown."""
        return await self.fetchone("SELECT 1 FROM notices WHERE shown_at IS NULL") is not None

    async def take_notices(self) -> list[str]:
        """Notices not yet shown, marked shown."""
        async with self.transaction():
            rows = await self.fetchall(
                "SELECT id, text FROM notices WHERE shown_at IS NULL ORDER BY id"
            )
            if rows:
                await self.execute(
                    "UPDATE notices SET shown_at = ? WHERE shown_at IS NULL", (ts(self.now()),)
                )
        return [row["text"] for row in rows]

    # -- export ------------------------------------------------------------------
    async def export(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, for /mydata export."""
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in EXPORT_TABLES:
            rows = await self.fetchall(f"SELECT * FROM {table} ORDER BY rowid")
            tables[table] = [dict(row) for row in rows]
        return tables


class Dashboard(NamedTuple):
    """What /progress shows, as the store holds it now."""

    settings: Settings
    pipeline: Pipeline
    thanks: DueThanks
    requests: DueRequests
    undelivered: list[tuple[Reminder, str | None]]  # with the prospect's name, if any


def read_settings(raw: sqlite3.Connection) -> Settings:
    """MemberStore.settings's read."""
    chosen = {
        key: json.loads(value) for key, value in raw.execute("SELECT key, value FROM settings")
    }
    d = _SETTING_DEFAULTS
    return Settings(
        timezone=chosen.get("timezone", d.timezone),
        thanks_after_hours=chosen.get("thanks_after_hours", d.thanks_after_hours),
        quiet_start=chosen.get("quiet_start", d.quiet_start),
        quiet_end=chosen.get("quiet_end", d.quiet_end),
        dms=chosen.get("dms", d.dms),
        checkin_weeks=chosen.get("checkin_weeks", d.checkin_weeks),
        digest=read_digest(chosen.get("digest")),
        profile=Profile(
            name=chosen.get("profile_name"),
            school=chosen.get("profile_school"),
            interest=chosen.get("profile_interest"),
        ),
    )
