"""Helpers the cogs share: the app's contexts and validating free text."""

from __future__ import annotations

from discord import app_commands

from bot.ui.errors import UserError

# A member's private pipeline works in servers and in DMs (the bot installed as a user app).
EVERYWHERE = {
    "allowed_contexts": app_commands.AppCommandContext(
        guild=True, dm_channel=True, private_channel=True
    ),
    "allowed_installs": app_commands.AppInstallationType(guild=True, user=True),
}

NAME_MAX = 100
SHORT_MAX = 100
NOTES_MAX = 1000


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
