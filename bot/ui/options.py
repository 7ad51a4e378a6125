"""Slash-command options that autocomplete from the member's own records.

The value sent back is the record's id; the transformer looks it up in the
pressing member's store only, so a typed or forged id from someone else finds nothing.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.models import Prospect
from bot.types import AnyInteraction, bot_of
from bot.ui.errors import UserError
from bot.ui.limits import CHOICE_NAME, CHOICES, clip

AMBIGUOUS_SHOWN = 5  # prospects listed when a typed name matches several


def prospect_label(prospect: Prospect) -> str:
    """How a prospect reads in a list of choices."""
    extra = " · ".join(part for part in (prospect.role, prospect.organization) if part)
    return clip(f"{prospect.name} — {extra}" if extra else prospect.name, CHOICE_NAME)


class ProspectTransformer(app_commands.Transformer):
    """`prospect` options, resolved in the member's own store: an id from the
    suggestions, an exact name, or a unique part of one. A name several prospects
    share (or a part several contain) gets a list to pick from, not a guess."""

    async def autocomplete(  # type: ignore[override]  # these options are strings
        self, interaction: AnyInteraction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the member's prospects, best match first."""
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            found = await store.search_prospects(value, limit=CHOICES)
        return [app_commands.Choice(name=prospect_label(p), value=str(p.id)) for p in found]

    async def transform(self, interaction: AnyInteraction, value: Any) -> Prospect:
        """The one prospect the member meant, or a UserError saying why not."""
        text = " ".join(str(value).split())
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            if text.isascii() and text.isdigit():
                found = await store.get_prospect(int(text))
                if found is not None:
                    return found
            matches = await store.match_prospects(text)
        if len(matches) == 1:
            return matches[0]
        escape = discord.utils.escape_markdown
        shown = escape(clip(text, 80))
        if not matches:
            raise UserError(
                f'I can\'t find "{shown}" in your prospects. Start typing a name and pick one '
                'from the suggestions, or add them with `/prospect add name:"Ada Lovelace"`.'
            )
        listed = "; ".join(
            f"{escape(prospect_label(p))} (id {p.id})" for p in matches[:AMBIGUOUS_SHOWN]
        )
        more = len(matches) - AMBIGUOUS_SHOWN
        raise UserError(
            f'"{shown}" matches {len(matches)} of your prospects: {listed}'
            + (f"; and {more} more" if more > 0 else "")
            + f". Pick one from the suggestions as you type, or give its id, e.g. "
            f"`prospect:{matches[0].id}`."
        )


ProspectOption = app_commands.Transform[Prospect, ProspectTransformer]
