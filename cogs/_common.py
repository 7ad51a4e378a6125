"""Helpers the cogs share: the app's contexts and validating free text."""

from __future__ import annotations

import unicodedata
from typing import TypedDict

from discord import app_commands

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

NAME_MAX = 100
SHORT_MAX = 100
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


def _visible(text: str) -> bool:
    """True when the text has something a member can see (not only zero-width or
    control characters)."""
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)


def checked_name(value: str | None, *, example: str) -> str | None:
    """A prospect's name, stripped; refused when it is too long or shows nothing."""
    name = text_option(value, label="Name", limit=NAME_MAX, example=example)
    if name is not None and (not _visible(name) or name == CLEAR):
        why = (
            f"`{CLEAR}` clears other fields, but a prospect always needs a name"
            if name == CLEAR
            else "That name has nothing visible in it"
        )
        raise UserError(f"{why}: give one you can read, e.g. {example}.")
    return name
