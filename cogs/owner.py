"""For the bot's owner: /owner status, /owner sync, /owner reload, in DEV_GUILD_ID only.

The group is a guild command of DEV_GUILD_ID alone, never global, so no other server and
no DM lists it; without DEV_GUILD_ID it isn't registered at all. In that server its
default permissions (Administrator) hide it from members, and since a server's admins
can change who sees a command, every /owner command also checks that whoever runs it
owns the application (the owner on Discord's Developer Portal, or a member of its team:
`Bot.is_owner`). Everyone else is refused, ephemerally, and nothing runs.
"""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import version
from bot.client import find_extensions
from bot.types import Interaction
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.render import format_date_time
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import InterviewBot

NOT_THE_OWNER = (
    "Only the bot's owner (the application's owner on Discord's Developer Portal) can use "
    "these commands, and nothing was done. Your own commands are in `/help`."
)


def duration(delta: timedelta) -> str:
    """A span as an operator reads it at a glance: "2 d 3 h", "3 h 5 min", "42 s"."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


class Owner(commands.Cog):
    """The owner's tools: how the bot is doing, resync its commands, reload a cog."""

    owner = app_commands.Group(
        name="owner",
        description="For the bot's owner",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
        # Hides the group from everyone but the server's admins (a hint they can change;
        # the owner check below is the rule).
        default_permissions=discord.Permissions(administrator=True),
    )

    def __init__(self, bot: InterviewBot, guild_id: int) -> None:
        self.bot = bot
        self.guild_id = guild_id

    async def interaction_check(self, interaction: Interaction) -> bool:  # type: ignore[override]
        """Before every /owner command: the application's owner, or a clear refusal."""
        if not await self.bot.is_owner(interaction.user):
            raise UserError(NOT_THE_OWNER)
        return True

    @owner.command(name="status")
    async def status(self, interaction: Interaction) -> None:
        """Uptime, gateway latency, stores, reminders owed, the last consistency pass."""
        bot = self.bot
        now = bot.clock.now()
        started = bot.reminders.started_at  # the engine starts once per process, at start-up
        members = await asyncio.to_thread(bot.stores.pool.ids, "users")
        servers = await asyncio.to_thread(bot.stores.pool.ids, "guilds")
        owed = await bot.reminders.index.all() if bot.reminders.index.is_open else []
        due = sum(1 for _, _, due_at in owed if due_at <= now)
        up = f"{duration(now - started)}, since {format_date_time(started)}" if started else "-"
        latency = bot.latency  # the last heartbeat's round trip; nan before the first
        fields = [
            ("Version", version()),
            ("Up", up),
            (
                "Gateway latency",
                f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "not measured yet",
            ),
            ("Servers", f"{len(bot.guilds)} joined, {len(servers)} with a store"),
            ("Members with a store", f"{len(members)} ({bot.stores.pool.open_count} open now)"),
            ("Reminders owed", f"{len(owed)} ({due} due now)"),
            ("Last consistency pass", self._consistency(now)),
        ]
        await reply(interaction, embed=make_embed("Bot status", fields=fields))

    def _consistency(self, now: datetime) -> str:
        engine = self.bot.reminders
        running = engine.consistency is not None and not engine.consistency.done()
        if engine.last_consistency is None:
            return "running now (the first since start-up)" if running else "none yet"
        finished, report = engine.last_consistency
        said = (
            f"{duration(now - finished)} ago: {report.members} stores checked, "
            f"{report.armed} reminders armed, {report.dropped} dropped, "
            f"{report.resumed} resumed"
        )
        return f"{said}; another is running now" if running else said

    @owner.command(name="sync")
    async def sync(self, interaction: Interaction) -> None:
        """Sync the command tree with Discord again (after a reload changed options)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.bot.sync_commands()
        guild = discord.Object(id=self.guild_id)
        here = len(self.bot.tree.get_commands(guild=guild))
        await reply(
            interaction,
            f"Synced the command tree: {here} commands in this server (DEV_GUILD_ID). "
            "Discord shows changes at once here; a client may need Ctrl+R.",
        )

    @owner.command(name="reload")
    @app_commands.describe(cog="The extension to load again from its file")
    @app_commands.choices(cog=[app_commands.Choice(name=n, value=n) for n in find_extensions()])
    async def reload(self, interaction: Interaction, cog: str) -> None:
        """Load one cog again from its file, without a restart."""
        try:
            await self.bot.reload_extension(cog)
        except commands.ExtensionError as error:
            cause = error.__cause__ or error
            raise UserError(
                f"`{cog}` couldn't be reloaded; the version loaded before stays: "
                f"{type(cause).__name__}: {cause}"
            ) from error
        await reply(
            interaction,
            f"Reloaded `{cog}`. If its commands' names or options changed, run `/owner sync`.",
        )


async def setup(bot: InterviewBot) -> None:
    """Load the cog, into DEV_GUILD_ID alone; without DEV_GUILD_ID, not at all."""
    guild_id = bot.settings.dev_guild_id
    if guild_id is None:
        return
    await bot.add_cog(Owner(bot, guild_id), guild=discord.Object(id=guild_id))
