"""The prep sheet's select menu: a persistent DynamicItem through which a member swaps
or adds the questions for one meeting, and the pure functions that build its choices.

What a pick does is the Prepare cog's business: the menu finds the cog by name and
hands the pick to its `choose_questions`, so this module needn't import the cog.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Any, NamedTuple, Protocol, cast

import discord

from bot.domain.models import BankRow, PrepQuestion
from bot.domain.questions import WHO_ELSE, load_default_questions
from bot.types import AnyInteraction, bot_of
from bot.ui.components import GuardedItem, PersistentView
from bot.ui.errors import UserError
from bot.ui.limits import SELECT_LABEL, SELECT_OPTIONS, clip
from bot.ui.meeting_options import row_id
from cogs._meeting_text import votes_label


class PrepChoice(NamedTuple):
    """One choice of the prep sheet's select."""

    value: str
    text: str
    description: str
    preselected: bool


# The name the Prepare cog is registered under, where the menu sends its picks.
PREPARE_COG = "Prepare"


class QuestionChooser(Protocol):
    """What the menu needs of the Prepare cog."""

    async def choose_questions(
        self,
        interaction: AnyInteraction,
        meeting_id: int,
        guild_id: int | None,
        values: list[str],
    ) -> None:
        """Make the picked questions the meeting's list and show the sheet again."""


class PrepQuestionSelect(
    GuardedItem[discord.ui.Select],
    template=r"prep:questions:(?P<meeting>[0-9]+):(?P<owner>[0-9]+):(?P<where>[gd])",
):
    """The prep sheet's select menu: its owner swaps or adds questions for one meeting.

    Its custom_id carries the meeting, the owner and whether the choices are a server's
    bank (question ids) or the default bank (positions, in DMs), so it keeps working
    after a restart and acts only on the presser's own store.
    """

    refusal = (
        "This prep sheet belongs to someone else; open your own with "
        '`/meeting prep meeting:"Ada Lovelace"`.'
    )

    def __init__(
        self,
        meeting_id: int,
        owner_id: int,
        in_server: bool,
        options: list[discord.SelectOption] | None = None,
    ) -> None:
        where = "g" if in_server else "d"
        options = options or [discord.SelectOption(label="—", value="-")]
        super().__init__(
            discord.ui.Select(
                custom_id=f"prep:questions:{meeting_id}:{owner_id}:{where}",
                placeholder="Swap or add questions for this meeting",
                min_values=1,
                max_values=len(options),
                options=options,
            )
        )
        self.meeting_id = meeting_id
        self.owner_id = owner_id
        self.in_server = in_server

    @classmethod
    async def from_custom_id(
        cls,
        interaction: AnyInteraction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PrepQuestionSelect:
        """Rebuild the menu from a pick (also after a restart)."""
        return cls(
            row_id(match["meeting"]) or 0,
            int(match["owner"]),
            match["where"] == "g",
            list(getattr(item, "options", None) or []),
        )

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Hand the pick to the cog."""
        guild_id = interaction.guild_id if self.in_server else None
        if self.in_server and guild_id is None:
            raise UserError(
                f"Run `/meeting prep meeting:{self.meeting_id}` again to choose questions here."
            )
        cog = cast("QuestionChooser | None", bot_of(interaction).get_cog(PREPARE_COG))
        if cog is None:
            raise UserError("Prep sheets are unavailable right now; try again soon.")
        await cog.choose_questions(interaction, self.meeting_id, guild_id, list(self.item.values))


def prep_view(
    meeting_id: int,
    owner_id: int,
    bank: list[BankRow] | None,
    chosen: list[PrepQuestion],
) -> PersistentView | None:
    """The prep sheet's select over `bank` (None: the default bank, in DMs), with the
    meeting's current questions preselected; None when there is nothing to choose."""
    rows = _clipped_options(None if bank is None else tuple(bank), tuple(chosen))
    if not rows:
        return None
    options = [
        discord.SelectOption(
            label=row.text,
            value=row.value,
            description=row.description or None,
            default=row.preselected,
        )
        for row in rows
    ]
    return PersistentView(PrepQuestionSelect(meeting_id, owner_id, bank is not None, options))


@functools.lru_cache(maxsize=256)
def _clipped_options(
    bank: tuple[BankRow, ...] | None, chosen: tuple[PrepQuestion, ...]
) -> tuple[PrepChoice, ...]:
    """`select_options`, clipped to what a select shows. Remembered: a server's members
    mostly open sheets over the same bank with the same questions (its top-voted), and a
    member reopens their own; a vote or a pick changes the key."""
    return tuple(
        PrepChoice(
            row.value,
            clip(row.text, SELECT_LABEL),
            clip(row.description, SELECT_LABEL),
            row.preselected,
        )
        for row in select_options(None if bank is None else list(bank), list(chosen))
    )


def kept_question_value(text: str) -> str:
    """The select value of a question the meeting holds but the bank on offer doesn't
    (removed since, or chosen from another server's bank): a digest of its text, so a
    stale menu can only ever pick that same question back."""
    return "k" + hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def select_options(bank: list[BankRow] | None, chosen: list[PrepQuestion]) -> list[PrepChoice]:
    """The prep select's choices, at most 25 (Discord's limit): every question the
    meeting holds, preselected, then the bank's others by votes (in DMs, the default
    bank in order) to fill — so a pick never silently drops a question the member had.

    Bank questions are valued by id (in DMs, by position) and listed in bank order, the
    vote ranking reading top-down; held questions the bank lacks come first, valued by
    `kept_question_value`. The "who else" question `with_who_else` adds isn't offered:
    it is kept whatever is picked.
    """
    if bank is not None:
        rows = [
            (str(row.id), row.text, f"{row.category} · {votes_label(row.votes)}") for row in bank
        ]
    else:
        rows = [
            (str(index), q.text, q.category) for index, q in enumerate(load_default_questions())
        ]
    in_bank = {text for _, text, _ in rows}
    held = {
        text: category
        for text, category in chosen
        if text in in_bank or text != WHO_ELSE  # the added must-ask isn't a choice
    }
    kept = [
        PrepChoice(
            kept_question_value(text), text, f"{category or 'yours'} · not in the bank now", True
        )
        for text, category in held.items()
        if text not in in_bank
    ]
    room = max(0, SELECT_OPTIONS - len(held))
    others = set([value for value, text, _ in rows if text not in held][:room])
    listed = [
        PrepChoice(value, text, description, text in held)
        for value, text, description in rows
        if text in held or value in others
    ]
    return (kept + listed)[:SELECT_OPTIONS]
