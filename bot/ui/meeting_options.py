"""The `meeting` option: autocompletes the member's own meetings, resolves to a Meeting.

As with prospects, the value sent back is the meeting's id and it is looked up only in
the pressing member's store, so a typed or forged id from someone else finds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from discord import app_commands
from discord.utils import format_dt

from bot.domain.models import Meeting, MeetingWithProspect, PrepQuestion, Prospect
from bot.store.base import is_row_id
from bot.types import AnyInteraction, bot_of
from bot.ui.limits import CHOICE_NAME, CHOICES, clip
from bot.ui.naming import (
    TYPED_SHOWN,
    quoted,
    unresolved,
)
from bot.ui.options import choose_choice
from bot.ui.render import member_code, member_text

if TYPE_CHECKING:
    from bot.store.member import MemberStore

# A prep sheet's records: the meeting with its person, and the questions chosen for it.
PrepOf = tuple[MeetingWithProspect, list[PrepQuestion]]

# Row ids are SQLite INTEGERs: a longer number typed or forged can't name any row (and
# would overflow the query), so it simply finds nothing.


def row_id(value: object) -> int | None:
    """`value` as a row id when it is one (digits, within SQLite's range), else None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if is_row_id(number) else None


def meeting_label(meeting: Meeting, prospect: Prospect, tz: ZoneInfo, now: datetime) -> str:
    """How a meeting reads in a list of choices: "Ada Lovelace — Dec 3 07:30" in the
    member's zone (with the year when it isn't this year)."""
    local = meeting.starts_at.astimezone(tz)
    when = f"{local:%b} {local.day} {local:%H:%M}"
    if local.year != now.astimezone(tz).year:
        when = f"{local:%b} {local.day} {local.year} {local:%H:%M}"
    suffix = f" — {when}"
    return clip(prospect.name, CHOICE_NAME - len(suffix)) + suffix


def meeting_entries(found: Sequence[MeetingWithProspect]) -> list[tuple[str, int]]:
    """Meetings as a choice list shows them: the person (made literal) and when, in each
    reader's own zone, with the id."""
    return [
        (
            f"{member_text(prospect.name)} — {format_dt(meeting.starts_at, 'f')}",
            meeting.id,
        )
        for meeting, prospect in found
    ]


class MeetingTransformer(app_commands.Transformer):
    """`meeting` options: autocomplete by the person's name, resolve to the member's Meeting.

    Upcoming meetings come first (prep, calendar, cancel); `PastMeetingTransformer` puts
    the ones already held first, for commands about a meeting that happened. A typed
    name resolves as `bot.domain.names.resolve` reads it: several meetings with that
    person (or people) are a list to choose from — unless exactly one of them is of the
    kind the command is about — and a name that matches nobody gets the closest few.
    """

    prefer = "upcoming"

    async def autocomplete(  # type: ignore[override]  # these options are strings
        self, interaction: AnyInteraction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the member's meetings, best match first (upcoming before past);
        led, when the name typed has several meetings to choose from, by a choice that
        asks which one."""
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            found = await store.search_meetings(value, limit=CHOICES, prefer=self.prefer)
            resolution = (
                await store.resolve_meeting(value, prefer=self.prefer) if value.strip() else None
            )
            tz = ZoneInfo((await store.settings()).timezone)
        now = bot_of(interaction).clock.now()
        labels = [meeting_label(m, p, tz, now) for m, p in found]
        choices = [
            app_commands.Choice(
                name=label if labels.count(label) == 1 else _with_id(label, m.id), value=str(m.id)
            )
            for (m, _), label in zip(found, labels, strict=True)
        ]
        if resolution is not None and resolution.exact:
            first = choose_choice(value, len(resolution.choices), "meetings")
            if first is not None:
                choices = [first, *choices][:CHOICES]
        return choices

    async def read(self, store: MemberStore, meeting_id: int, found: Meeting | None = None) -> Any:
        """What the option resolves to, given the meeting's id (and the meeting, when a
        typed name already found it): the Meeting, or None when there is none. A
        subclass reads more, in the same visit to the store."""
        return found or await store.get_meeting(meeting_id)

    async def transform(self, interaction: AnyInteraction, value: Any) -> Any:
        """The meeting with this id, or the one a typed name means, in the member's own
        store (as `read` gives it); a UserError saying why not (which one? did you mean?)
        otherwise."""
        text = " ".join(str(value).split())
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            number = row_id(text)
            found = await self.read(store, number) if number is not None else None
            if found is not None:
                return found
            resolution = await store.resolve_meeting(text, prefer=self.prefer)
            if resolution.found is not None:
                meeting = resolution.found.meeting
                found = await self.read(store, meeting.id, meeting)
                if found is not None:
                    return found
        raise unresolved(
            interaction,
            value,
            default_option="meeting",
            typed=text,
            noun="meetings",
            choices=meeting_entries(resolution.choices),
            missing=f"I can't find a meeting with {quoted(text)} among yours.",
            suggestions=meeting_entries(resolution.suggestions),
            otherwise="If it's another meeting, add it first: "
            f'`/meeting log prospect:{member_code(clip(text, TYPED_SHOWN))} when:"…"` if it '
            "happened, "
            f'`/meeting schedule prospect:{member_code(clip(text, TYPED_SHOWN))} when:"…"` '
            "if it is ahead."
            if resolution.suggestions
            else "Start typing the person's name and pick one from the suggestions, or add "
            'one with `/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"`.',
        )


def _with_id(label: str, meeting_id: int) -> str:
    """A label that reads like another's, told apart by the meeting's id."""
    suffix = f" · id {meeting_id}"
    return clip(label, CHOICE_NAME - len(suffix)) + suffix


class PastMeetingTransformer(MeetingTransformer):
    """`meeting` options of /meeting done and /thanks: the meetings held come first."""

    prefer = "past"


class PrepSheetTransformer(MeetingTransformer):
    """`meeting` of /meeting prep: resolves to the meeting, the person it is with and
    its chosen questions (`MemberStore.prep_of`), in the one visit to the member's store
    that finds the meeting."""

    async def read(
        self, store: MemberStore, meeting_id: int, found: Meeting | None = None
    ) -> PrepOf | None:
        """The prep sheet's records, or None when there is no such meeting."""
        return await store.prep_of(meeting_id)
