"""Slash-command options that autocomplete from the member's own records.

The value sent back is the record's id; the transformer looks it up in the
pressing member's store only, so a typed or forged id from someone else finds nothing.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.domain.models import Prospect
from bot.ui.errors import UserError
from bot.ui.limits import CHOICE_NAME, CHOICES, clip


def prospect_label(prospect: Prospect) -> str:
    """How a prospect reads in a list of choices."""
    extra = " · ".join(part for part in (prospect.role, prospect.organization) if part)
    return clip(f"{prospect.name} — {extra}" if extra else prospect.name, CHOICE_NAME)


class ProspectTransformer(app_commands.Transformer):
    """`prospect` options: autocomplete by name, resolve to the member's Prospect."""

    async def autocomplete(
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the member's prospects, best match first."""
        async with interaction.client.stores.member(interaction.user.id) as store:
            found = await store.search_prospects(value, limit=CHOICES)
        return [app_commands.Choice(name=prospect_label(p), value=str(p.id)) for p in found]

    async def transform(self, interaction: discord.Interaction, value: Any) -> Prospect:
        """The prospect with this id (or exact name) in the member's own store."""
        text = str(value).strip()
        async with interaction.client.stores.member(interaction.user.id) as store:
            prospect = await store.get_prospect(int(text)) if text.isdigit() else None
            if prospect is None:
                prospect = await store.find_prospect_by_name(text)
        if prospect is None:
            raise UserError(
                f"I can't find {clip(text, 80)!r} in your prospects. Start typing a name and "
                "pick one from the suggestions, or add them with `/prospect add name:…`."
            )
        return prospect
