"""Type names the cogs and the ui layer share, so the type checker sees the bot's own
attributes (stores, reminders, clock) on `interaction.client` and `self.bot`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, cast

import discord

if TYPE_CHECKING:
    from bot.client import InterviewBot

    Interaction: TypeAlias = discord.Interaction[InterviewBot]
else:  # at run time the annotation is only read by the type checker
    Interaction = discord.Interaction

__all__ = ["AnyInteraction", "Interaction", "bot_of"]


AnyInteraction: TypeAlias = discord.Interaction  # of any client
"""For methods that override discord.py's own (`interaction_check`, `on_error`,
`transform`, `from_custom_id`…), whose interaction is generic over any client: use
`bot_of(interaction)` inside them to reach the bot's stores and clock."""


def bot_of(interaction: discord.Interaction[Any]) -> InterviewBot:
    """The bot an interaction came to: in this process, always the InterviewBot."""
    return cast("InterviewBot", interaction.client)
