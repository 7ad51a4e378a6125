"""The `meeting` option: autocompletes the member's own meetings, resolves to a Meeting.

As with prospects, the value sent back is the meeting's id and it is looked up only in
the pressing member's store, so a typed or forged id from someone else finds nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from discord import app_commands

from bot.domain.models import Meeting, Prospect
from bot.store.base import is_row_id
from bot.types import AnyInteraction, bot_of
from bot.ui.errors import UserError
from bot.ui.limits import CHOICE_NAME, CHOICES, clip

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


class MeetingTransformer(app_commands.Transformer):
    """`meeting` options: autocomplete by the person's name, resolve to the member's Meeting.

    Upcoming meetings come first (prep, calendar, cancel); `PastMeetingTransformer` puts
    the ones already held first, for commands about a meeting that happened.
    """

    prefer = "upcoming"

    async def autocomplete(  # type: ignore[override]  # these options are strings
        self, interaction: AnyInteraction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the member's meetings, best match first (upcoming before past)."""
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            found = await store.search_meetings(value, limit=CHOICES, prefer=self.prefer)
            tz = ZoneInfo((await store.settings()).timezone)
        now = bot_of(interaction).clock.now()
        return [
            app_commands.Choice(name=meeting_label(m, p, tz, now), value=str(m.id))
            for m, p in found
        ]

    async def transform(self, interaction: AnyInteraction, value: Any) -> Meeting:
        """The meeting with this id (or with the person of this exact name) in the
        member's own store."""
        text = str(value).strip()
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            number = row_id(text)
            meeting = await store.get_meeting(number) if number is not None else None
            if meeting is None:
                meeting = await store.find_meeting_by_name(text, prefer=self.prefer)
        if meeting is None:
            raise UserError(
                f"I can't find a meeting {clip(text, 80)!r} among yours. Start typing the "
                "person's name and pick one from the suggestions, or add one with "
                '`/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"`.'
            )
        return meeting


class PastMeetingTransformer(MeetingTransformer):
    """`meeting` options of /meeting done and /thanks: the meetings held come first."""

    prefer = "past"
