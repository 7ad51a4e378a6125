"""A member's own store: the API cogs and the reminder engine use; SQL stays in bot/store."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.models import Profile, Settings
from bot.store.base import StoreBase, ts
from bot.store.meetings import MeetingsMixin
from bot.store.outreach import OutreachMixin
from bot.store.prospects import ProspectsMixin, TimelineMixin
from bot.store.reminders import RemindersMixin

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
    ProspectsMixin, TimelineMixin, OutreachMixin, MeetingsMixin, RemindersMixin, StoreBase
):
    """Everything the bot keeps for one member, reachable only with that member's id."""

    @property
    def user_id(self) -> int:
        """The Discord user this store belongs to."""
        return self.key

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
        rows = await self.fetchall("SELECT key, value FROM settings")
        raw = {row["key"]: json.loads(row["value"]) for row in rows}
        d = _SETTING_DEFAULTS
        return Settings(
            timezone=raw.get("timezone", d.timezone),
            thanks_after_hours=raw.get("thanks_after_hours", d.thanks_after_hours),
            quiet_start=raw.get("quiet_start", d.quiet_start),
            quiet_end=raw.get("quiet_end", d.quiet_end),
            dms=raw.get("dms", d.dms),
            profile=Profile(
                name=raw.get("profile_name"),
                school=raw.get("profile_school"),
                interest=raw.get("profile_interest"),
            ),
        )

    # -- notices ---------------------------------------------------------------
    async def add_notice(self, text: str, *, key: str | None = None) -> None:
        """Queue a one-line notice for the member's next command (deduplicated by key)."""
        await self.execute(
            "INSERT INTO notices (key, text, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET text = excluded.text, shown_at = NULL",
            (key, text, ts(self.now())),
        )

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
