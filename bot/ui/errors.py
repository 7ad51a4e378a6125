"""Errors a member can act on, and the one central handler for everything else.

Commands reach `report_error` through the tree's `on_error`; buttons, selects and
modals through the bases in `bot.ui.components`.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.types import AnyInteraction
from bot.ui.limits import CONTENT, clip

log = logging.getLogger(__name__)


class UserError(app_commands.AppCommandError):
    """Bad input or a refused action: shown to the member as is, ephemeral; nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def send_ephemeral(interaction: AnyInteraction, content: str) -> None:
    """Answer ephemerally whether or not the interaction was already answered."""
    content = clip(content, CONTENT)
    mentions = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=mentions)
        else:
            await interaction.response.send_message(
                content, ephemeral=True, allowed_mentions=mentions
            )
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


def message_for(error: BaseException) -> str | None:
    """The member-facing text for an error we expect, or None for a bug."""
    original = getattr(error, "original", None) or getattr(error, "__cause__", None)
    if isinstance(error, UserError):
        return error.message
    if isinstance(original, UserError):
        return original.message
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"Only members with the {needed} permission can do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works in a server, not in DMs."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


def something_went_wrong(interaction: AnyInteraction) -> str:
    """The answer to a bug: nothing changed, try again, and a reference for the log."""
    return (
        "Something went wrong on our side and nothing was changed. "
        f"Please try again; if it keeps happening, tell an officer (ref {interaction.id})."
    )


async def report_error(interaction: AnyInteraction, error: BaseException, *, source: str) -> None:
    """The one error path for commands, buttons, selects and modals: a UserError's own
    message, or for anything else the generic answer with the traceback logged under
    `source` (what failed, e.g. "command 'meeting log'"). Always ephemeral."""
    text = message_for(error)
    if text is None:
        log.error("%s failed for interaction %s", source, interaction.id, exc_info=error)
        text = something_went_wrong(interaction)
    await send_ephemeral(interaction, text)


async def on_app_command_error(
    interaction: AnyInteraction, error: app_commands.AppCommandError
) -> None:
    """The tree's error handler: a short ephemeral reply; the traceback goes to the log."""
    name = getattr(interaction.command, "qualified_name", None)
    await report_error(interaction, error, source=f"command {name!r}")
