"""Meetings in a member's store (Steps 3 and 4): the meeting, its questions, its referrals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.domain.models import (
    Medium,
    Meeting,
    MeetingFormat,
    MeetingWithProspect,
    PrepQuestion,
    Prospect,
    Referral,
)
from bot.domain.names import Resolution, comparable_name, rank, resolve
from bot.domain.referrals import ReferredPerson
from bot.store.base import StoreBase, dt, is_row_id, ts
from bot.store.prospects import PROSPECT_FIELDS, prospect_from_row

# A meeting is "upcoming" until it has started; cancelled ones show only under "all",
# and under "ahead" (the calendar export, which must tell calendars they were cancelled).
_RANGE_SQL = {
    "upcoming": "m.cancelled_at IS NULL AND m.done = 0 AND m.starts_at > :now",
    "past": "m.cancelled_at IS NULL AND (m.done = 1 OR m.starts_at <= :now)",
    "all": "1 = 1",
    "ahead": "m.done = 0 AND m.starts_at > :now",
}
_RANGE_ORDER = {
    "upcoming": "m.starts_at ASC",
    "past": "m.starts_at DESC",
    "all": "m.starts_at DESC",
    "ahead": "m.starts_at ASC",
}

# Prospect columns prefixed so one query returns a meeting with its prospect.
_PROSPECT_COLUMNS = ("id", *PROSPECT_FIELDS, "created_at")
_JOINED = (
    "SELECT m.*, "
    + ", ".join(f"p.{column} AS p_{column}" for column in _PROSPECT_COLUMNS)
    + " FROM meetings m JOIN prospects p ON p.id = m.prospect_id"
)


def meeting_from_row(row: aiosqlite.Row) -> Meeting:
    """A Meeting from a `meetings` row."""
    return Meeting(
        id=row["id"],
        prospect_id=row["prospect_id"],
        starts_at=dt(row["starts_at"]),
        minutes=row["minutes"],
        format=MeetingFormat(row["format"]) if row["format"] else None,
        place=row["place"],
        takeaways=row["takeaways"],
        done=bool(row["done"]),
        cancelled=row["cancelled_at"] is not None,
        thanked_at=dt(row["thanked_at"]),
        thanks_medium=Medium(row["thanks_medium"]) if row["thanks_medium"] else None,
        thanks_skipped=bool(row["thanks_skipped"]),
        guild_id=row["guild_id"],
        revision=row["revision"],
    )


def _joined(row: aiosqlite.Row) -> MeetingWithProspect:
    prospect = prospect_from_row({column: row[f"p_{column}"] for column in _PROSPECT_COLUMNS})
    return MeetingWithProspect(meeting_from_row(row), prospect)


class MeetingsMixin(StoreBase):
    """Scheduling, logging, listing and closing meetings; their questions and referrals."""

    async def add_meeting(
        self,
        prospect_id: int,
        starts_at: datetime,
        *,
        minutes: int = 30,
        format: MeetingFormat | None = None,
        place: str | None = None,
        takeaways: str | None = None,
        done: bool = False,
        guild_id: int | None = None,
    ) -> Meeting:
        """Record a meeting with a prospect (joins an open transaction)."""
        async with self.transaction():
            new_id = await self.execute(
                """
                INSERT INTO meetings
                    (prospect_id, starts_at, minutes, format, place, takeaways, done,
                     guild_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    prospect_id,
                    ts(starts_at),
                    minutes,
                    format,
                    place,
                    takeaways,
                    int(done),
                    guild_id,
                    ts(self.now()),
                ),
            )
        meeting = await self.get_meeting(new_id)
        assert meeting is not None
        return meeting

    async def get_meeting(self, meeting_id: int) -> Meeting | None:
        """One meeting by id, or None (ids from another member simply aren't here)."""
        if not is_row_id(meeting_id):
            return None
        row = await self.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        return None if row is None else meeting_from_row(row)

    async def get_meeting_with_prospect(self, meeting_id: int) -> MeetingWithProspect | None:
        """A meeting and the person it is with, or None."""
        if not is_row_id(meeting_id):
            return None
        return await self.run(lambda raw: _read_joined(raw, meeting_id), quick=True)

    async def list_meetings(self, range_: str = "upcoming") -> list[MeetingWithProspect]:
        """Meetings in a range (upcoming: soonest first; past and all: latest first;
        ahead: upcoming ones including the cancelled, soonest first)."""
        rows = await self.fetchall(
            f"{_JOINED} WHERE {_RANGE_SQL[range_]} ORDER BY {_RANGE_ORDER[range_]}, m.id",
            {"now": ts(self.now())},
        )
        return [_joined(row) for row in rows]

    async def search_meetings(
        self, text: str, limit: int = 25, *, prefer: str = "upcoming"
    ) -> list[MeetingWithProspect]:
        """Autocomplete: meetings not cancelled whose person matches, best match first as
        `bot.domain.names.rank` orders names (organization after names); within a group,
        with `prefer="upcoming"`, upcoming soonest first and the most recent past ones
        after, or with `prefer="past"` (thanking, marking done) the most recent past
        ones first."""
        return rank(
            text,
            await self._live_meetings(prefer),
            _person,
            also=lambda found: (found.prospect.organization,),
            limit=limit,
        )

    async def resolve_meeting(
        self, text: str, *, prefer: str = "upcoming"
    ) -> Resolution[MeetingWithProspect]:
        """What a typed name means among the meetings not cancelled, by the person's name
        (`bot.domain.names.resolve`). Several meetings with that person are choices,
        unless exactly one of them is the kind the command is about: the one ahead
        (`prefer="upcoming"`) or the one held (`prefer="past"`)."""
        now = self.now()

        def preferred(found: MeetingWithProspect) -> bool:
            held = found.meeting.done or found.meeting.starts_at <= now
            return held if prefer == "past" else not held

        return resolve(text, await self._live_meetings(prefer), _person, prefer=preferred)

    async def _live_meetings(self, prefer: str) -> list[MeetingWithProspect]:
        """Meetings not cancelled, in the order `prefer` puts them."""
        rows = await self.fetchall(
            f"{_JOINED} WHERE m.cancelled_at IS NULL ORDER BY {_when_order(prefer)}, m.id DESC",
            {"now": ts(self.now())},
        )
        return [_joined(row) for row in rows]

    async def find_meeting_at(self, prospect_id: int, starts_at: datetime) -> Meeting | None:
        """The meeting (not cancelled) with this prospect starting at exactly this time."""
        row = await self.fetchone(
            "SELECT * FROM meetings WHERE prospect_id = ? AND starts_at = ? "
            "AND cancelled_at IS NULL ORDER BY id LIMIT 1",
            (prospect_id, ts(starts_at)),
        )
        return None if row is None else meeting_from_row(row)

    async def upcoming_meetings_with(self, prospect_id: int) -> list[Meeting]:
        """This prospect's meetings still ahead (not cancelled, not held), soonest first."""
        rows = await self.fetchall(
            f"SELECT m.* FROM meetings m WHERE m.prospect_id = :p AND {_RANGE_SQL['upcoming']} "
            "ORDER BY m.starts_at, m.id",
            {"p": prospect_id, "now": ts(self.now())},
        )
        return [meeting_from_row(row) for row in rows]

    async def move_meeting(
        self,
        meeting_id: int,
        starts_at: datetime,
        *,
        minutes: int | None = None,
        format: MeetingFormat | None = None,
        place: str | None = None,
    ) -> Meeting | None:
        """Move a meeting still ahead to `starts_at` (and a new length, format or place
        when given), one revision on; None if it isn't ahead any more (cancelled, held or
        started). Joins the caller's transaction: its reminders are re-timed there."""
        async with self.transaction():
            row = await self.fetchone(
                "UPDATE meetings SET starts_at = :starts, minutes = COALESCE(:minutes, minutes), "
                "format = COALESCE(:format, format), place = COALESCE(:place, place), "
                "revision = revision + 1 "
                "WHERE id = :id AND cancelled_at IS NULL AND done = 0 AND starts_at > :now "
                "RETURNING *",
                {
                    "starts": ts(starts_at),
                    "minutes": minutes,
                    "format": format,
                    "place": place,
                    "id": meeting_id,
                    "now": ts(self.now()),
                },
            )
        return None if row is None else meeting_from_row(row)

    async def mark_meeting_done(self, meeting_id: int, *, takeaways: str | None = None) -> None:
        """The meeting happened; `takeaways` (when given) replace what was recorded."""
        await self.execute(
            "UPDATE meetings SET done = 1, takeaways = COALESCE(?, takeaways) WHERE id = ?",
            (takeaways, meeting_id),
        )

    async def cancel_meeting(self, meeting_id: int) -> None:
        """Mark a meeting cancelled (it stays on the prospect's timeline)."""
        await self.execute(
            "UPDATE meetings SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL",
            (ts(self.now()), meeting_id),
        )

    async def mark_thanked(self, meeting_id: int, medium: Medium | None) -> None:
        """The member sent their thank-you (by email or a handwritten note)."""
        await self.execute(
            "UPDATE meetings SET thanked_at = ?, thanks_medium = ?, thanks_skipped = 0 "
            "WHERE id = ?",
            (ts(self.now()), medium, meeting_id),
        )

    async def skip_thanks(self, meeting_id: int) -> None:
        """The member chose not to be nudged about thanking for this meeting."""
        await self.execute("UPDATE meetings SET thanks_skipped = 1 WHERE id = ?", (meeting_id,))

    # -- referrals ---------------------------------------------------------------
    async def add_referrals(
        self, meeting_id: int, referrer_id: int, people: Iterable[ReferredPerson]
    ) -> list[Referral]:
        """Each person becomes a prospect referred by `referrer_id` (source referral, their
        remark as notes), or, when exactly one prospect already has that name, is linked
        to it (the remark added to its notes). When several already share the name, none
        is guessed: the referral is added as a new prospect and the result says how many
        namesakes there were, for the member to sort out."""
        result: list[Referral] = []
        async with self.transaction():
            for person in people:
                named = await self.prospects_named(person.name)  # type: ignore[attr-defined]
                others = [p for p in named if p.id != referrer_id]
                if named and not others:
                    continue  # they can't refer the member to themselves
                if len(others) == 1:
                    prospect = others[0]
                    await self.execute(
                        "UPDATE prospects SET referred_by = COALESCE(referred_by, ?), "
                        "notes = ?, updated_at = ? WHERE id = ?",
                        (
                            referrer_id,
                            _with_note(prospect.notes, person.note),
                            ts(self.now()),
                            prospect.id,
                        ),
                    )
                    result.append(Referral(prospect, new=False))
                else:
                    fields = {"notes": person.note} if person.note else {}
                    prospect = await self.add_prospect(  # type: ignore[attr-defined]
                        person.name, source="referral", referred_by=referrer_id, **fields
                    )
                    result.append(Referral(prospect, new=True, namesakes=len(others)))
                await self.execute(
                    "INSERT OR IGNORE INTO referrals (meeting_id, prospect_id) VALUES (?, ?)",
                    (meeting_id, prospect.id),
                )
        return result

    async def meeting_referrals(self, meeting_id: int) -> list[Prospect]:
        """The people the member was referred to in this meeting."""
        rows = await self.fetchall(
            "SELECT p.* FROM referrals r JOIN prospects p ON p.id = r.prospect_id "
            "WHERE r.meeting_id = ? ORDER BY p.id",
            (meeting_id,),
        )
        return [prospect_from_row(row) for row in rows]

    # -- questions ---------------------------------------------------------------
    async def set_meeting_questions(
        self, meeting_id: int, questions: Iterable[PrepQuestion]
    ) -> None:
        """Replace the questions chosen for a meeting."""
        async with self.transaction():
            await self.execute("DELETE FROM meeting_questions WHERE meeting_id = ?", (meeting_id,))
            for position, (text, category) in enumerate(questions):
                await self.execute(
                    "INSERT INTO meeting_questions (meeting_id, position, text, category) "
                    "VALUES (?, ?, ?, ?)",
                    (meeting_id, position, text, category),
                )

    async def meeting_questions(self, meeting_id: int) -> list[PrepQuestion]:
        """The questions chosen for a meeting, in order."""
        return await self.run(lambda raw: _read_questions(raw, meeting_id), quick=True)

    async def prep_of(
        self, meeting_id: int
    ) -> tuple[MeetingWithProspect, list[PrepQuestion]] | None:
        """A meeting, the person it is with and its chosen questions (a prep sheet), in
        one trip; None if there is no such meeting."""
        if not is_row_id(meeting_id):
            return None

        def read(raw: sqlite3.Connection) -> tuple[MeetingWithProspect, list[PrepQuestion]] | None:
            found = _read_joined(raw, meeting_id)
            return None if found is None else (found, _read_questions(raw, meeting_id))

        return await self.run(read, quick=True)


def _read_joined(raw: sqlite3.Connection, meeting_id: int) -> MeetingWithProspect | None:
    row = raw.execute(f"{_JOINED} WHERE m.id = ?", (meeting_id,)).fetchone()
    return None if row is None else _joined(row)


def _read_questions(raw: sqlite3.Connection, meeting_id: int) -> list[PrepQuestion]:
    rows = raw.execute(
        "SELECT text, category FROM meeting_questions WHERE meeting_id = ? ORDER BY position",
        (meeting_id,),
    )
    return [PrepQuestion(text, category) for text, category in rows]


def _when_order(prefer: str) -> str:
    """ORDER BY terms putting upcoming meetings (soonest first) before past ones (latest
    first), or past ones first when `prefer` is "past"."""
    started = "CASE WHEN m.done = 1 OR m.starts_at <= :now THEN {past} ELSE {ahead} END"
    first = started.format(past=1, ahead=0) if prefer != "past" else started.format(past=0, ahead=1)
    return (
        f"{first}, CASE WHEN m.done = 0 AND m.starts_at > :now THEN m.starts_at END ASC, "
        "m.starts_at DESC"
    )


def _with_note(notes: str | None, note: str | None) -> str | None:
    """A prospect's notes with a referral's remark added, unless they already say it."""
    if not note or comparable_name(note) in comparable_name(notes):
        return notes
    return f"{notes}\n{note}" if notes else note


def _person(found: MeetingWithProspect) -> str:
    return found.prospect.name
