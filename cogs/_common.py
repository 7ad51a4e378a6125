"""Helpers the cogs share: the app's contexts and validating free text."""

from __future__ import annotations

from typing import TypedDict

from discord import app_commands

from bot.domain.prospects import NAME_MAX as NAME_MAX
from bot.domain.prospects import SHORT_MAX as SHORT_MAX
from bot.domain.prospects import InvalidName, prospect_name
from bot.types import AnyInteraction
from bot.ui.errors import UserError


# A member's private pipeline works in servers and in DMs (the bot installed as a user app).
class Availability(TypedDict):
    """Where a command group can be used and installed (keyword arguments of app_commands.Group)."""

    allowed_contexts: app_commands.AppCommandContext
    allowed_installs: app_commands.AppInstallationType


EVERYWHERE: Availability = {
    "allowed_contexts": app_commands.AppCommandContext(
        guild=True, dm_channel=True, private_channel=True
    ),
    "allowed_installs": app_commands.AppInstallationType(guild=True, user=True),
}

NOTES_MAX = 1000
# Typed for an optional field, it clears the field.
CLEAR = "-"


def text_option(value: str | None, *, label: str, limit: int, example: str) -> str | None:
    """A free-text option stripped and checked against its length limit."""
    if value is None:
        return None
    value = " ".join(value.split()) if limit <= SHORT_MAX else value.strip()
    if not value:
        return None
    if len(value) > limit:
        raise UserError(
            f"{label} is {len(value)} characters; the limit is {limit}. Shorten it, e.g. {example}."
        )
    return value


def checked_name(value: str | None, *, example: str) -> str | None:
    """A prospect's name, checked as the LinkedIn import checks it
    (bot.domain.prospects.prospect_name); refused with the reason and an example."""
    try:
        return prospect_name(value)
    except InvalidName as error:
        reason = error.reason[:1].upper() + error.reason[1:]
        raise UserError(f"{reason}. Give a name you can read, e.g. {example}.") from None


def server_id(interaction: AnyInteraction, refusal: str) -> int:
    """The server a command runs in; in DMs, `refusal` (where the command works, and what
    the member can do here instead) as the member's error."""
    if interaction.guild_id is None:
        raise UserError(refusal)
    return interaction.guild_id
