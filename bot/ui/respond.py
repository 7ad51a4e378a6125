"""Answering a member: ephemeral by default, notices first, no accidental pings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import discord

from bot.types import AnyInteraction
from bot.ui.limits import CONTENT, clip

NOTICES_KEY = "notices"
"""`interaction.extras[NOTICES_KEY]`: a coroutine function that returns the member's
one-line notices and marks them shown (set by the command tree before each command).
Called only when a command's answer is sent: a notice learnt during the command (a store
set aside when it was opened) goes out with that very answer, and a command refused with
an error leaves the notices for the next one."""


async def with_notices(interaction: AnyInteraction, content: str | None) -> str | None:
    """Prefix the member's pending one-line notices (e.g. DMs closed) to `content`, once."""
    take: Callable[[], Awaitable[list[str]]] | None = interaction.extras.pop(NOTICES_KEY, None)
    notices = await take() if take is not None else []
    if not notices:
        return content
    lines = "\n".join(f"-# ⚠️ {notice}" for notice in notices)
    return clip(f"{lines}\n{content}" if content else lines, CONTENT)


async def reply(
    interaction: AnyInteraction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: Sequence[discord.Embed] = (),
    view: discord.ui.View | None = None,
    files: Sequence[discord.File] = (),
    ephemeral: bool = True,
) -> None:
    """Send the answer to a command, as a response or (after a defer) a followup."""
    kwargs: dict = {
        "content": await with_notices(interaction, clip(content, CONTENT) if content else None),
        "embeds": [embed] if embed else list(embeds),
        "files": list(files),
        "ephemeral": ephemeral,
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
