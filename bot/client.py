"""The bot: loads every cog, opens the stores, starts the reminder engine, syncs commands."""

from __future__ import annotations

import logging
import pkgutil

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.clock import Clock
from bot.config import Settings
from bot.reminders.engine import ReminderEngine
from bot.store import StorePool, Stores
from bot.ui.errors import on_app_command_error
from bot.ui.respond import NOTICES_KEY

log = logging.getLogger(__name__)


def find_extensions() -> list[str]:
    """Every cog module in `cogs/`; a name starting with `_` is a private helper."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


class InterviewTree(app_commands.CommandTree):
    """The command tree with the central error handler and the members' notices."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Before every command, pick up one-line notices owed to the member."""
        if interaction.type is discord.InteractionType.application_command:
            bot: InterviewBot = interaction.client  # type: ignore[assignment]
            notices = await bot.take_notices(interaction.user.id)
            if notices:
                interaction.extras[NOTICES_KEY] = notices
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Every command's errors end here (see bot.ui.errors)."""
        await on_app_command_error(interaction, error)


class InterviewBot(commands.Bot):
    """The informational-interview bot."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        max_open_stores: int = 32,
        **options: object,
    ) -> None:
        intents = discord.Intents.default()
        intents.members = False
        intents.presences = False
        intents.message_content = False
        options.setdefault("guild_ready_timeout", 2.0)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=InterviewTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.clock = clock or Clock()
        self.stores = Stores(StorePool(settings.data_dir, self.clock, max_open=max_open_stores))
        self.reminders = ReminderEngine(self, self.stores, self.clock, settings.data_dir)

    async def setup_hook(self) -> None:
        """Start-up work, once per process (never in on_ready, which repeats on reconnect)."""
        for extension in find_extensions():
            await self.load_extension(extension)
        await self.reminders.start()
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync the tree once per start: to DEV_GUILD_ID when set, else globally."""
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d commands", len(synced))

    async def take_notices(self, user_id: int) -> list[str]:
        """One-line notices the member hasn't seen (closed DMs, a store set aside)."""
        async with self.stores.member(user_id) as store:
            notices = await store.take_notices()
        moved = self.stores.pool.take_moved_aside("users", user_id)
        if moved is not None:
            notices.insert(
                0,
                "Your saved data couldn't be read, so it was set aside (kept as "
                f"`{moved.name}`) and you're starting fresh. The bot's host can recover it.",
            )
        return notices

    async def on_app_command_completion(
        self, interaction: discord.Interaction, _command: app_commands.Command
    ) -> None:
        """A command that answered without `reply` still delivers the member's notices."""
        notices = interaction.extras.pop(NOTICES_KEY, None)
        if notices and interaction.response.is_done():
            await interaction.followup.send(
                "\n".join(f"-# ⚠️ {notice}" for notice in notices),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    async def on_ready(self) -> None:
        """Log who we are; nothing else belongs here."""
        log.info("ready as %s (%s) in %d servers", self.user, self.user.id, len(self.guilds))

    async def close(self) -> None:
        """Stop the engine, disconnect, then close every store."""
        await self.reminders.stop()
        await super().close()
        await self.stores.close()
