"""Prospects in a member's store (Step 1), with the status that follows from their records."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import aiosqlite

from bot.domain.models import (
    Prospect,
    ProspectIdentity,
    ProspectStatus,
    ProspectWithStatus,
    Source,
    Stage,
    TimelineEvent,
)
from bot.domain.names import Resolution, comparable_name, rank, resolve
from bot.store.base import StoreBase, dt, is_row_id, ts

# SQLite integers are signed 64-bit: a longer typed id can't be anyone's.

PROSPECT_FIELDS = (
    "name",
    "role",
    "organization",
    "stage",
    "linkedin",
    "email",
    "source",
    "notes",
    "referred_by",
    "connected_on",
)

# A prospect's status, as the store keeps it from its records (member migration 8, whose
# triggers hold the rules): kept whole, but for a meeting not cancelled, which is met
# from `met_from` on and scheduled before.
STATUS_SQL = (
    "CASE p.kept_status WHEN 'meeting' THEN "
    "CASE WHEN p.met_from <= :now THEN 'met' ELSE 'scheduled' END "
    "ELSE p.kept_status END"
)


def prospect_from_row(row: aiosqlite.Row | Mapping[str, Any]) -> Prospect:
    """A Prospect from a `prospects` row."""
    return Prospect(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        organization=row["organization"],
        stage=Stage(row["stage"]) if row["stage"] else None,
        linkedin=row["linkedin"],
        email=row["email"],
        source=Source(row["source"]) if row["source"] else None,
        notes=row["notes"],
        referred_by=row["referred_by"],
        created_at=dt(row["created_at"]),
    )


class ProspectsMixin(StoreBase):
    """Adding, finding, changing and removing prospects."""

    async def add_prospect(self, name: str, **fields: Any) -> Prospect:
        """Add one prospect; `fields` are any of PROSPECT_FIELDS."""
        sql, values = self._insert(name, fields)
        (row,) = await self.write(lambda raw: raw.execute(sql, values).fetchall(), quick=True)
        return prospect_from_row(row)

    async def add_prospect_noting(self, name: str, **fields: Any) -> Added:
        """Add one prospect as /prospect add does, in one trip: noting who already had
        that name (as the bot compares names) and how many prospects there are now."""
        sql, values = self._insert(name, fields)
        wanted = comparable_name(name)

        def add(raw: sqlite3.Connection) -> Added:
            namesakes = _read_named(raw, wanted)
            (row,) = raw.execute(sql, values).fetchall()
            (total,) = raw.execute("SELECT COUNT(*) FROM prospects").fetchone()
            return Added(prospect_from_row(row), namesakes, total)

        return await self.write(add, quick=True)

    async def add_prospects(self, people: Sequence[tuple[str, dict[str, Any]]]) -> int:
        """Add many prospects at once (an import: thousands), with their COMMIT, in the
        connection's thread, so the event loop answers other members meanwhile; how
        many were added. Each is (name, fields) as for `add_prospect`."""
        inserts = [self._insert(name, fields) for name, fields in people]

        def add(raw: sqlite3.Connection) -> int:
            for sql, values in inserts:
                raw.execute(sql, values).fetchall()
            return len(inserts)

        return await self.write(add)

    def _insert(self, name: str, fields: dict[str, Any]) -> tuple[str, list[Any]]:
        """The INSERT ... RETURNING of a new prospect, and its values."""
        unknown = set(fields) - set(PROSPECT_FIELDS)
        if unknown:
            raise TypeError(f"unknown prospect fields: {sorted(unknown)}")
        now = ts(self.now())
        columns = ["name", *fields, "created_at", "updated_at"]
        sql = (
            f"INSERT INTO prospects ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)}) RETURNING *"
        )
        return sql, [name, *fields.values(), now, now]

    async def get_prospect(self, prospect_id: int) -> Prospect | None:
        """One prospect by id, or None (ids from another member simply aren't here).

        A typed id too big for SQLite's integers is simply not found (not an error).
        """
        if not is_row_id(prospect_id):
            return None
        row = await self.fetchone("SELECT * FROM prospects WHERE id = ?", (prospect_id,))
        return None if row is None else prospect_from_row(row)

    async def prospect_status(self, prospect_id: int) -> ProspectStatus:
        """How far things went with a prospect (to-contact when there is no such one)."""
        row = await self.fetchone(
            f"SELECT {STATUS_SQL} AS status FROM prospects p WHERE p.id = :id",
            {"id": prospect_id, "now": ts(self.now())},
        )
        return ProspectStatus(row["status"]) if row else ProspectStatus.TO_CONTACT

    async def list_prospects(
        self,
        *,
        stage: str | None = None,
        status: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ProspectWithStatus]:
        """Prospects with their status, filtered, newest first: all of them, or `limit`
        from `offset` (a page)."""
        sql, params = self._page_query(stage, status, offset, limit)
        return _with_status(await self.fetchall(sql, params))

    async def prospect_page(
        self, *, stage: str | None = None, status: str | None = None, offset: int, limit: int
    ) -> tuple[int, list[ProspectWithStatus]]:
        """How many prospects pass the filters, and `limit` of them from `offset`, newest
        first (one page of /prospect list), in one trip."""
        if status is None:
            count_sql = "SELECT COUNT(*) FROM prospects WHERE :stage IS NULL OR stage = :stage"
        else:
            count_sql = (
                f"SELECT COUNT(*) FROM prospects p WHERE (:stage IS NULL OR p.stage = :stage) "
                f"AND {STATUS_SQL} = :status"
            )
        sql, params = self._page_query(stage, status, offset, limit)

        def read(raw: sqlite3.Connection) -> tuple[int, list[sqlite3.Row]]:
            (total,) = raw.execute(count_sql, params).fetchone()
            return total, raw.execute(sql, params).fetchall() if offset < total else []

        total, rows = await self.run(read, quick=True)
        return total, _with_status(rows)

    def _page_query(
        self, stage: str | None, status: str | None, offset: int, limit: int | None
    ) -> tuple[str, dict[str, Any]]:
        params = {
            "stage": stage,
            "status": status,
            "now": ts(self.now()),
            "offset": max(0, offset),
            "limit": -1 if limit is None else limit,
        }
        if status is None:
            # The status of the page's prospects only, not of every prospect; the page is
            # read newest first from the prospects_created index.
            sql = f"""
                SELECT p.*, {STATUS_SQL} AS status FROM (
                    SELECT * FROM prospects WHERE :stage IS NULL OR stage = :stage
                    ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
                ) p ORDER BY p.created_at DESC, p.id DESC
                """
        else:
            sql = f"""
                SELECT * FROM (SELECT p.*, {STATUS_SQL} AS status FROM prospects p
                               WHERE :stage IS NULL OR p.stage = :stage)
                WHERE status = :status
                ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
                """
        return sql, params

    async def search_prospects(self, text: str, limit: int = 25) -> list[Prospect]:
        """Autocomplete: best match first, as `bot.domain.names.rank` orders them (case,
        accents and emoji ignored; organization and role after names; the closest names
        for a typo), most recently changed first within each group."""
        rows = await self.fetchall("SELECT * FROM prospects ORDER BY updated_at DESC, id DESC")
        return rank(
            text,
            [prospect_from_row(row) for row in rows],
            _name,
            also=lambda p: (p.organization, p.role),
            limit=limit,
        )

    async def find_prospect_by_name(self, name: str) -> Prospect | None:
        """The oldest prospect with this name as the bot compares names, if any."""
        named = await self.prospects_named(name)
        return named[0] if named else None

    async def resolve_prospect(self, text: str) -> Resolution[Prospect]:
        """What a typed name means among the member's prospects (oldest first):
        `bot.domain.names.resolve` decides."""
        rows = await self.fetchall("SELECT * FROM prospects ORDER BY id")
        return resolve(text, [prospect_from_row(row) for row in rows], _name)

    async def prospects_named(self, name: str) -> list[Prospect]:
        """Prospects with this name as the bot compares names (case, accents, emoji and
        spacing ignored), oldest first."""
        wanted = comparable_name(name)
        return await self.run(lambda raw: _read_named(raw, wanted), quick=True)

    async def prospect_identities(self) -> list[ProspectIdentity]:
        """Every prospect's name, organization and profile URL, for duplicate checks."""
        rows = await self.fetchall("SELECT name, organization, linkedin FROM prospects")
        return [ProspectIdentity(row["name"], row["organization"], row["linkedin"]) for row in rows]

    async def update_prospect(self, prospect_id: int, **fields: Any) -> Prospect | None:
        """Change some fields of a prospect; None if there is no such prospect."""
        unknown = set(fields) - set(PROSPECT_FIELDS)
        if unknown:
            raise TypeError(f"unknown prospect fields: {sorted(unknown)}")
        if fields:
            assignments = ", ".join(f"{column} = ?" for column in fields)
            async with self.transaction():
                await self.execute(
                    f"UPDATE prospects SET {assignments}, updated_at = ? WHERE id = ?",
                    [*fields.values(), ts(self.now()), prospect_id],
                )
        return await self.get_prospect(prospect_id)

    async def remove_prospect(self, prospect_id: int) -> bool:
        """Remove a prospect and, through the schema's cascades, its outreach,
        meetings and their reminders. True if it existed."""
        async with self.transaction():
            existed = await self.fetchone("SELECT 1 FROM prospects WHERE id = ?", (prospect_id,))
            await self.execute("DELETE FROM prospects WHERE id = ?", (prospect_id,))
        return existed is not None

    async def referrals_of(self, prospect_id: int) -> list[Prospect]:
        """The people this prospect referred the member to."""
        rows = await self.fetchall(
            "SELECT * FROM prospects WHERE referred_by = ? ORDER BY id", (prospect_id,)
        )
        return [prospect_from_row(row) for row in rows]

    async def count_prospects(self) -> int:
        """How many prospects the member has."""
        return await self.count("SELECT COUNT(*) FROM prospects")


class Added(NamedTuple):
    """A prospect just added, who already had that name, and how many there are now."""

    prospect: Prospect
    namesakes: list[Prospect]
    total: int


def _read_named(raw: sqlite3.Connection, wanted: str) -> list[Prospect]:
    """Prospects whose name compares as `wanted`, oldest first: found through the kept
    name_key (migration 7); a row another tool wrote has none, and is compared by name."""
    rows = raw.execute(
        "SELECT * FROM prospects WHERE name_key = ? OR name_key IS NULL ORDER BY id", (wanted,)
    )
    return [
        prospect_from_row(row)
        for row in rows
        if (row["name_key"] or comparable_name(row["name"])) == wanted
    ]


def _with_status(rows: list[sqlite3.Row]) -> list[ProspectWithStatus]:
    return [
        ProspectWithStatus(prospect_from_row(row), ProspectStatus(row["status"])) for row in rows
    ]


def _name(prospect: Prospect) -> str:
    return prospect.name


class TimelineMixin(StoreBase):
    """A prospect's history across outreach, meetings and thanks, for their card."""

    async def prospect_timeline(self, prospect_id: int) -> list[TimelineEvent]:
        """What happened with a prospect, in time order."""
        events: list[TimelineEvent] = []
        for row in await self.fetchall(
            "SELECT * FROM outreach WHERE prospect_id = ? ORDER BY sent_at", (prospect_id,)
        ):
            via = f" by {row['via']}" if row["via"] else ""
            events.append(TimelineEvent(dt(row["sent_at"]), f"Request sent{via}"))
            if row["outcome"]:
                when = dt(row["replied_at"]) or dt(row["sent_at"])
                events.append(TimelineEvent(when, f"Reply: {row['outcome']}"))
        for row in await self.fetchall(
            "SELECT * FROM meetings WHERE prospect_id = ? ORDER BY starts_at", (prospect_id,)
        ):
            if row["cancelled_at"]:
                what = "Meeting cancelled"
            elif row["done"] or dt(row["starts_at"]) <= self.now():
                what = "Met"
            else:
                what = "Meeting scheduled"
            events.append(TimelineEvent(dt(row["starts_at"]), f"{what} ({row['minutes']} min)"))
            if row["thanked_at"]:
                medium = f" ({row['thanks_medium']})" if row["thanks_medium"] else ""
                events.append(TimelineEvent(dt(row["thanked_at"]), f"Thank-you sent{medium}"))
        events.sort(key=lambda event: event.when)
        return events
