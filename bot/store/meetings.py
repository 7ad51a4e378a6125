"""Meetings in a member's store (Steps 3 and 4): the meeting, its questions, its referrals."""

from __future__ import annotations

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
        row = await self.fetchone(f"{_JOINED} WHERE m.id = ?", (meeting_id,))
        return None if row is None else _joined(row)

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
        """Autocomplete: meetings not cancelled whose person matches, best match first
        (name starts with, then contains, then organization); then, with
        `prefer="upcoming"`, upcoming soonest first and the most recent past ones after,
        or with `prefer="past"` (thanking, marking done) the most recent past ones first."""
        text = text.strip()
        like = f"%{_escape_like(text)}%"
        prefix = f"{_escape_like(text)}%"
        rows = await self.fetchall(
            rf"""
            {_JOINED}
            WHERE m.cancelled_at IS NULL AND (
                :text = '' OR p.name LIKE :like ESCAPE '\' OR p.organization LIKE :like ESCAPE '\'
            )
            ORDER BY
                CASE WHEN p.name LIKE :prefix ESCAPE '\' THEN 0
                     WHEN p.name LIKE :like ESCAPE '\' THEN 1 ELSE 2 END,
                {_when_order(prefer)},
                m.id DESC
            LIMIT :limit
            """,
            {"text": text, "like": like, "prefix": prefix, "now": ts(self.now()), "limit": limit},
        )
        return [_joined(row) for row in rows]

    async def find_meeting_by_name(self, name: str, *, prefer: str = "upcoming") -> Meeting | None:
        """The meeting (not cancelled) with the prospect of exactly this name: the next
        upcoming one, else the latest (`prefer="past"`: the latest held, else the next)."""
        row = await self.fetchone(
            f"""
            {_JOINED}
            WHERE m.cancelled_at IS NULL AND p.name = :name COLLATE NOCASE
            ORDER BY {_when_order(prefer)}, m.id DESC
            LIMIT 1
            """,
            {"name": name, "now": ts(self.now())},
        )
        return None if row is None else meeting_from_row(row)

    async def find_meeting_at(self, prospect_id: int, starts_at: datetime) -> Meeting | None:
        """The meeting (not cancelled) with this prospect starting at exactly this time."""
        row = await self.fetchone(
            "SELECT * FROM meetings WHERE prospect_id = ? AND starts_at = ? "
            "AND cancelled_at IS NULL ORDER BY id LIMIT 1",
            (prospect_id, ts(starts_at)),
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
        self, meeting_id: int, referrer_id: int, names: Iterable[str]
    ) -> list[Referral]:
        """Each name becomes a prospect referred by `referrer_id` (source referral), or,
        when already in the list, is linked to it."""
        result: list[Referral] = []
        async with self.transaction():
            for name in names:
                existing = await self.find_prospect_by_name(name)  # type: ignore[attr-defined]
                if existing is not None and existing.id == referrer_id:
                    continue  # they can't refer the member to themselves
                if existing is None:
                    prospect = await self.add_prospect(  # type: ignore[attr-defined]
                        name, source="referral", referred_by=referrer_id
                    )
                    created = True
                else:
                    prospect = existing
                    created = False
                    if existing.referred_by is None:
                        await self.execute(
                            "UPDATE prospects SET referred_by = ?, updated_at = ? WHERE id = ?",
                            (referrer_id, ts(self.now()), existing.id),
                        )
                await self.execute(
                    "INSERT OR IGNORE INTO referrals (meeting_id, prospect_id) VALUES (?, ?)",
                    (meeting_id, prospect.id),
                )
                result.append(Referral(prospect, created))
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
        rows = await self.fetchall(
            "SELECT text, category FROM meeting_questions WHERE meeting_id = ? ORDER BY position",
            (meeting_id,),
        )
        return [PrepQuestion(row["text"], row["category"]) for row in rows]


def _when_order(prefer: str) -> str:
    """ORDER BY terms putting upcoming meetings (soonest first) before past ones (latest
    first), or past ones first when `prefer` is "past"."""
    started = "CASE WHEN m.done = 1 OR m.starts_at <= :now THEN {past} ELSE {ahead} END"
    first = started.format(past=1, ahead=0) if prefer != "past" else started.format(past=0, ahead=1)
    return (
        f"{first}, CASE WHEN m.done = 0 AND m.starts_at > :now THEN m.starts_at END ASC, "
        "m.starts_at DESC"
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
