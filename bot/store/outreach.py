"""Outreach in a member's store (Step 2), and the read-only views /progress is built from."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timedelta

import aiosqlite

from bot.domain.models import Outcome, Outreach, OutreachVia, ProspectStatus, Stage
from bot.domain.progress import (
    NEXT_ACTIONS_SHOWN,
    DueRequests,
    DueThanks,
    OpenMeeting,
    OpenRequest,
    Pipeline,
    PipelineEntry,
    checkpoint_window,
)
from bot.store.base import StoreBase, dt, ts

_STAGES = {stage.value: stage for stage in Stage}
_STATUSES = {status.value: status for status in ProspectStatus}


def outreach_from_row(row: aiosqlite.Row) -> Outreach:
    """An Outreach from an `outreach` row."""
    return Outreach(
        id=row["id"],
        prospect_id=row["prospect_id"],
        sent_at=dt(row["sent_at"]),
        via=OutreachVia(row["via"]) if row["via"] else None,
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        replied_at=dt(row["replied_at"]),
        logged_at=dt(row["created_at"]),
        guild_id=row["guild_id"],
    )


class OutreachMixin(StoreBase):
    """Requests the member sent, their replies, and the dashboard's queries."""

    async def add_outreach(
        self,
        prospect_id: int,
        *,
        sent_at: datetime,
        via: OutreachVia | None = None,
        guild_id: int | None = None,
    ) -> Outreach:
        """Record a request sent to a prospect, logged in server `guild_id` (None: in
        DMs); joins the caller's transaction if any."""
        async with self.transaction():
            new_id = await self.execute(
                "INSERT INTO outreach (prospect_id, sent_at, via, guild_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (prospect_id, ts(sent_at), via, guild_id, ts(self.now())),
            )
        outreach = await self.get_outreach(new_id)
        assert outreach is not None
        return outreach

    async def get_outreach(self, outreach_id: int) -> Outreach | None:
        """One request by id, or None (another member's ids simply aren't here)."""
        row = await self.fetchone("SELECT * FROM outreach WHERE id = ?", (outreach_id,))
        return None if row is None else outreach_from_row(row)

    async def outreach_logged_at(self, outreach_id: int) -> datetime | None:
        """When the member logged the request (it may have been sent well before)."""
        row = await self.fetchone("SELECT created_at FROM outreach WHERE id = ?", (outreach_id,))
        return None if row is None else dt(row["created_at"])

    async def latest_outreach(self, prospect_id: int) -> Outreach | None:
        """The most recent request to this prospect, or None."""
        row = await self.fetchone(
            "SELECT * FROM outreach WHERE prospect_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1",
            (prospect_id,),
        )
        return None if row is None else outreach_from_row(row)

    async def last_logged_outreach(self, prospect_id: int) -> Outreach | None:
        """The request to this prospect the member logged last (whenever it was sent)."""
        row = await self.fetchone(
            "SELECT * FROM outreach WHERE prospect_id = ? ORDER BY created_at DESC, id DESC "
            "LIMIT 1",
            (prospect_id,),
        )
        return None if row is None else outreach_from_row(row)

    async def outreach_like(
        self, prospect_id: int, sent_at: datetime, *, within: timedelta
    ) -> Outreach | None:
        """The latest request to this prospect that a new one sent at `sent_at` may
        repeat: logged within `within` of now, or sent within `within` of `sent_at`."""
        row = await self.fetchone(
            "SELECT * FROM outreach WHERE prospect_id = ? "
            "AND (created_at >= ? OR sent_at BETWEEN ? AND ?) "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (
                prospect_id,
                ts(self.now() - within),
                ts(sent_at - within),
                ts(sent_at + within),
            ),
        )
        return None if row is None else outreach_from_row(row)

    async def remove_outreach(self, outreach_id: int) -> bool:
        """Take back a request logged by mistake: the row goes, and with it (by cascade)
        its 3B7 reminders, whose timers stop with the transaction. True if it was there."""
        async with self.transaction():
            row = await self.fetchone(
                "DELETE FROM outreach WHERE id = ? RETURNING id", (outreach_id,)
            )
        return row is not None

    async def followup_kinds_kept(self, outreach_id: int) -> set[str]:
        """The 3B7 checkpoint kinds this request has a reminder for that wasn't cancelled
        (owed, sent, or undeliverable): the ones it needs no new row for."""
        rows = await self.fetchall(
            "SELECT DISTINCT kind FROM reminders WHERE outreach_id = ? AND state != 'cancelled'",
            (outreach_id,),
        )
        return {row["kind"] for row in rows}

    async def unanswered_outreach_ids(self, prospect_id: int) -> list[int]:
        """Requests to this prospect still waiting for a reply."""
        rows = await self.fetchall(
            "SELECT id FROM outreach WHERE prospect_id = ? AND outcome IS NULL ORDER BY id",
            (prospect_id,),
        )
        return [row["id"] for row in rows]

    async def meeting_since(self, prospect_id: int, since: datetime) -> bool:
        """True when a meeting with this prospect (not cancelled) was set up after `since`:
        they answered, whether or not the member logged the reply."""
        row = await self.fetchone(
            "SELECT 1 FROM meetings WHERE prospect_id = ? AND cancelled_at IS NULL "
            "AND (created_at >= ? OR starts_at >= ?) LIMIT 1",
            (prospect_id, ts(since), ts(since)),
        )
        return row is not None

    async def record_reply(
        self, outreach_id: int, outcome: Outcome, *, replied_at: datetime
    ) -> None:
        """Set the outcome of a request (a later answer replaces an earlier one)."""
        async with self.transaction():
            await self.execute(
                "UPDATE outreach SET outcome = ?, replied_at = ? WHERE id = ?",
                (outcome, ts(replied_at), outreach_id),
            )

    # -- /progress -------------------------------------------------------------
    # Each read is a plain function of the connection, so /progress takes what it shows
    # in one trip (MemberStore.dashboard: read_pipeline, read_due_thanks and
    # read_due_requests). The two full lists below are not read by any command: they
    # are what the dashboard's sums mean (DueThanks.of, DueRequests.of), and the store
    # tests hold those sums to them.
    async def pipeline(self, shown: int = NEXT_ACTIONS_SHOWN) -> Pipeline:
        """Every prospect summed up: counts by stage and status, the `shown` oldest never
        contacted, the oldest with no stage."""
        now = ts(self.now())
        return await self.run(lambda raw: read_pipeline(raw, now, shown), quick=True)

    async def meetings_owing_thanks(self) -> list[OpenMeeting]:
        """Meetings held (done, or started) and not cancelled, thanked or skipped."""
        now = self.now()
        return await self.run(lambda raw: read_owed(raw, now))

    async def open_requests(self) -> list[OpenRequest]:
        """Each prospect's latest request when it has no reply and no meeting followed."""
        return await self.run(read_open_requests)


def read_pipeline(raw: sqlite3.Connection, now: str, shown: int) -> Pipeline:
    """OutreachMixin.pipeline's read."""
    # The counts are kept per (kept status, stage) (member migration 10); those with a
    # meeting are split into met and scheduled as prospects.STATUS_SQL reads them, from
    # the index that holds only them (named: SQLite would pick a broader one, without
    # the stage, and read each prospect's row).
    met: Counter[str] = Counter()
    for stage, n in raw.execute(
        "SELECT stage, COUNT(*) FROM prospects INDEXED BY prospects_meeting "
        "WHERE kept_status = 'meeting' AND met_from <= :now GROUP BY stage",
        {"now": now},
    ):
        met[stage or ""] += n
    counts: dict[tuple[str, str], int] = {}
    for kept, stage, n in raw.execute("SELECT kept_status, stage, n FROM prospect_counts"):
        split: tuple[tuple[str, int], ...]
        if kept == "meeting":
            split = (("met", met[stage]), ("scheduled", n - met[stage]))
        else:
            split = ((kept, n),)
        counts.update(((stage, status), count) for status, count in split if count > 0)
    never = raw.execute(
        "SELECT p.id, p.name, p.stage, p.created_at FROM prospects p "
        "WHERE p.kept_status = 'to-contact' ORDER BY p.created_at, p.id LIMIT :shown",
        {"shown": shown},
    ).fetchall()
    unstaged = (
        raw.execute(
            "SELECT name FROM prospects WHERE stage IS NULL OR stage = '' ORDER BY id LIMIT 1"
        ).fetchone()
        if any(stage == "" for stage, _ in counts)
        else None
    )
    return Pipeline(
        {
            (_STAGES[stage] if stage else None, _STATUSES[status]): n
            for (stage, status), n in counts.items()
        },
        [
            PipelineEntry(
                row["id"],
                row["name"],
                _STAGES[row["stage"]] if row["stage"] else None,
                ProspectStatus.TO_CONTACT,
                datetime.fromisoformat(row["created_at"]),
            )
            for row in never
        ],
        unstaged["name"] if unstaged else None,
    )


_OWING = "m.cancelled_at IS NULL AND m.thanked_at IS NULL AND m.thanks_skipped = 0"
_JOINED = "FROM meetings m JOIN prospects p ON p.id = m.prospect_id"
_OWED = f"{_JOINED} WHERE {_OWING}"
_OWED_COLUMNS = "SELECT m.id, m.starts_at, m.minutes, m.done, p.name"
# When a meeting is planned to end, in seconds since 1970: written as the index of the
# meetings owing thanks is (member migration 9), so that it is found through the index.
_ENDS = "CAST(strftime('%s', m.starts_at) AS INTEGER) + m.minutes * 60"


def _owed_meeting(row: sqlite3.Row, now: datetime) -> OpenMeeting:
    ends = dt(row["starts_at"]) + timedelta(minutes=row["minutes"])
    # A meeting marked done before its planned end is over now.
    if row["done"]:
        ends = min(ends, now)
    return OpenMeeting(meeting_id=row["id"], prospect_name=row["name"], ends_at=ends)


def read_owed(raw: sqlite3.Connection, now: datetime) -> list[OpenMeeting]:
    """OutreachMixin.meetings_owing_thanks's read."""
    rows = raw.execute(
        f"{_OWED_COLUMNS} {_OWED} AND (m.done = 1 OR m.starts_at <= :now) ORDER BY m.starts_at",
        {"now": ts(now)},
    )
    return [_owed_meeting(row, now) for row in rows]


def read_due_thanks(raw: sqlite3.Connection, now: datetime, shown: int) -> DueThanks:
    """The meetings that have ended owing thanks: how many, and the `shown` that ended
    first (the dashboard's; see DueThanks). Those past their planned end are counted
    and read in order through the index; those marked done sooner end now."""
    params = {"now": int(now.timestamp()), "shown": shown}
    past_end = f"{_OWING} AND {_ENDS} <= :now"
    done_sooner = f"{_OWING} AND m.done = 1 AND {_ENDS} > :now"
    # Counted without the prospect: a meeting's prospect always exists (foreign key).
    (ended,) = raw.execute(
        f"SELECT (SELECT COUNT(*) FROM meetings m WHERE {past_end}) "
        f"+ (SELECT COUNT(*) FROM meetings m WHERE {done_sooner})",
        params,
    ).fetchone()
    # Both read through the index: the first in its order; the second is those not yet
    # at their planned end (few), sorted (`+` keeps SQLite from walking every meeting
    # by starts_at to skip the sort).
    rows = raw.execute(
        f"{_OWED_COLUMNS} {_JOINED} WHERE {past_end} ORDER BY {_ENDS}, m.starts_at, m.id "
        "LIMIT :shown",
        params,
    ).fetchall()
    rows += raw.execute(
        f"{_OWED_COLUMNS} {_JOINED} WHERE {done_sooner} ORDER BY +m.starts_at, m.id LIMIT :shown",
        params,
    ).fetchall()
    owed = [(row, _owed_meeting(row, now)) for row in rows]
    owed.sort(key=lambda pair: (pair[1].ends_at, pair[0]["starts_at"], pair[0]["id"]))
    return DueThanks(ended, [meeting for _, meeting in owed[:shown]])


_OPEN = "SELECT id, name, organization, open_since FROM prospects"


def _open_request(row: sqlite3.Row) -> OpenRequest:
    return OpenRequest(row[0], row[1], row[2], datetime.fromisoformat(row[3]))


def read_open_requests(raw: sqlite3.Connection) -> list[OpenRequest]:
    """OutreachMixin.open_requests's read: as kept (member migration 9)."""
    rows = raw.execute(f"{_OPEN} WHERE open_since IS NOT NULL ORDER BY open_since, id")
    return [_open_request(row) for row in rows]


def read_due_requests(raw: sqlite3.Connection, now: datetime, shown: int) -> DueRequests:
    """The open requests the dashboard needs (see DueRequests): the old ones counted, and
    read only as far as shown; those in the calendar's window, all."""
    surely, not_yet = checkpoint_window(now)
    params = {"surely": ts(surely), "not_yet": ts(not_yet), "shown": shown}
    (past,) = raw.execute(
        "SELECT COUNT(*) FROM prospects WHERE open_since < :surely", params
    ).fetchone()
    oldest = raw.execute(
        f"{_OPEN} WHERE open_since < :surely ORDER BY open_since, id LIMIT :shown", params
    )
    undecided = raw.execute(
        f"{_OPEN} WHERE open_since BETWEEN :surely AND :not_yet ORDER BY open_since, id", params
    )
    return DueRequests(
        past, [_open_request(row) for row in oldest], [_open_request(row) for row in undecided]
    )


def read_reminder_prospect_names(
    raw: sqlite3.Connection, reminder_ids: list[int]
) -> dict[int, str]:
    """reminder id → the name of the prospect it is about (/progress's undelivered DMs)."""
    if not reminder_ids:
        return {}
    rows = raw.execute(
        f"""
        SELECT r.id, p.name FROM reminders r
        LEFT JOIN meetings m ON m.id = r.meeting_id
        LEFT JOIN outreach o ON o.id = r.outreach_id
        JOIN prospects p ON p.id = COALESCE(m.prospect_id, o.prospect_id)
        WHERE r.id IN ({", ".join("?" for _ in reminder_ids)})
        """,
        reminder_ids,
    )
    return {row["id"]: row["name"] for row in rows}
