"""The bot: loads every cog, opens the stores, starts the reminder engine, syncs commands."""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import pkgutil
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from discord.http import Route

from bot import metrics
from bot.clock import Clock
from bot.config import Config
from bot.domain.timeparse import warm_up as warm_up_time_parsing
from bot.pacing import PacedHTTPClient, RequestBudget
from bot.practice_rounds import PracticeRounds
from bot.reminders.engine import ReminderEngine
from bot.stats import ClubActivity
from bot.store import StorePool, Stores
from bot.store.pool import MAX_OPEN
from bot.types import bot_of
from bot.ui.errors import message_for, on_app_command_error
from bot.ui.respond import NOTICES_KEY

log = logging.getLogger(__name__)

# Where the cogs are: found by name when the bot starts, so the core imports no cog.
EXTENSIONS_PACKAGE = "cogs"
# What a member reads once /mydata delete is done (also when a restart finished it).
DELETION_DONE = "Done: your store, every reminder and your question-bank votes are gone."
SET_ASIDE_NOTICE = (
    "Your saved data couldn't be read, so it was set aside (kept as `{name}`) and you're "
    "starting fresh. The bot's host can recover it."
)


# How long shutdown waits for commands and button presses already running (their answer
# is due within Discord's 3 s anyway) before the stores close under them.
INTERACTION_GRACE_SECONDS = 3.0
# The tasks discord.py runs commands, components and modals in (by the names it gives them).
_INTERACTION_TASKS = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-modal-dispatch-",
    "discord-ui-dynamic-item-",
)


async def _finish_interactions(timeout: float) -> None:
    """Wait (at most `timeout` s) for interactions being handled: no new one arrives once
    the gateway is closed, and those running still use their member's store."""
    current = asyncio.current_task()
    running = {
        task
        for task in asyncio.all_tasks()
        if task is not current and task.get_name().startswith(_INTERACTION_TASKS)
    }
    if running:
        await asyncio.wait(running, timeout=timeout)


def find_extensions(package: str = EXTENSIONS_PACKAGE) -> list[str]:
    """Every cog module in `package`; a name starting with `_` is a private helper."""
    found = importlib.import_module(package)
    return sorted(
        f"{package}.{module.name}"
        for module in pkgutil.iter_modules(found.__path__)
        if not module.name.startswith("_")
    )


class InterviewTree(app_commands.CommandTree):
    """The command tree with the central error handler and the members' notices."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Before every command, say how its answer picks up the member's one-line
        notices (see bot.ui.respond.NOTICES_KEY): nothing is read here, so nothing here
        can keep a command from running or being answered."""
        if interaction.type is discord.InteractionType.application_command:
            metrics.command_started(interaction)
            bot = bot_of(interaction)
            interaction.extras[NOTICES_KEY] = functools.partial(
                bot.take_notices, interaction.user.id
            )
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Every command's errors end here (see bot.ui.errors)."""
        metrics.command_finished(interaction, "refused" if message_for(error) else "error")
        await on_app_command_error(interaction, error)


class InterviewBot(commands.Bot):
    """The informational-interview bot."""

    def __init__(
        self,
        settings: Config,
        *,
        clock: Clock | None = None,
        max_open_stores: int = MAX_OPEN,
        **options: Any,
    ) -> None:
        # The bot has no voice: discord.py's warnings about voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.default()
        intents.members = False
        intents.presences = False
        intents.message_content = False
        options.setdefault("guild_ready_timeout", 2.0)
        # Every request to Discord's API is paced under the global rate limit (bot/pacing.py).
        self.budget = RequestBudget(settings.rate_limit)
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
        # Practice rounds are timed on the engine's scheduler (so after it starts).
        self.practice = PracticeRounds(self.stores, self.reminders.timers, self.clock)
        self.club_counts = ClubActivity(self.stores, self.clock)
        # Set once the first close() has finished (see close).
        self._closed: asyncio.Event | None = None

    def _get_state(self, **options: Any) -> Any:
        # discord.py builds its HTTP client in Client.__init__ and hands it to the
        # connection state here, before anything else holds it: the place to put the
        # paced client in its stead.
        self.http = PacedHTTPClient.replacing(self.http, self.budget)
        return super()._get_state(**options)

    async def setup_hook(self) -> None:
        """Start-up work, once per process (never in on_ready, which repeats on reconnect)."""
        for extension in find_extensions():
            await self.load_extension(extension)
        await self.reminders.start()
        await self.finish_deletions()
        # What a server's network owed members when the bot stopped reaches their stores.
        await self.stores.hand_over_all()
        await self.practice.start()
        # The time parser loads the IANA zone names on first use: at start-up, not in a command.
        await asyncio.to_thread(warm_up_time_parsing)
        await self.sync_commands()

    async def finish_deletions(self) -> None:
        """Finish every /mydata delete a crash cut short, and tell each member it is done
        by editing the message that said it was under way (possible while its interaction
        token lives, 15 minutes; the deletion itself never depends on it)."""
        for pending in self.stores.pending_deletions():
            await self.stores.delete_member(pending.user_id)
            log.info("finished member %s's /mydata delete, cut short before", pending.user_id)
            application_id, token = pending.note.get("application_id"), pending.note.get("token")
            if not application_id or not token:
                continue
            route = Route(
                "PATCH",
                "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                webhook_id=int(application_id),
                webhook_token=str(token),
            )
            try:
                await self.http.request(route, json={"content": DELETION_DONE})
            except discord.HTTPException as error:
                log.info("couldn't tell member %s (%s)", pending.user_id, error.status)

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
        """The member's one-line notices, marked shown: a store set aside (learnt when a
        command opened it), then those waiting in their store (closed DMs). The store is
        opened only when one is known to wait; one that can't be read waits for later."""
        notices: list[str] = []
        moved = self.stores.moved_aside(user_id)
        if moved is not None:
            notices.append(SET_ASIDE_NOTICE.format(name=moved.name))
        if user_id in self.stores.notices_waiting:
            try:
                async with self.stores.member(user_id) as store:
                    notices += await store.take_notices()
                self.stores.notices_waiting.discard(user_id)
            except Exception:
                log.exception("couldn't read member %s's notices; they wait", user_id)
        return notices

    async def on_app_command_completion(
        self, interaction: discord.Interaction, _command: app_commands.Command
    ) -> None:
        """A command that answered without `reply` still delivers the member's notices."""
        metrics.command_finished(interaction, "ok")
        take = interaction.extras.pop(NOTICES_KEY, None)
        notices = await take() if take is not None else []
        if notices and interaction.response.is_done():
            await interaction.followup.send(
                "\n".join(f"-# ⚠️ {notice}" for notice in notices),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    async def on_ready(self) -> None:
        """Log who we are; nothing else belongs here."""
        user = self.user
        log.info("ready as %s (%s) in %d servers", user, user and user.id, len(self.guilds))

    async def close(self) -> None:
        """Stop the engine, disconnect, let answers on their way finish, close the stores.

        Once: discord.py's connect() calls close() too when the gateway goes, so a bot
        closed by its owner (SIGTERM, a test) is closed twice at once. The second call
        waits for the first instead of closing the stores a second time beside it (a
        store connection closed by a task nobody awaits outlived the event loop).
        """
        if self._closed is not None:
            await self._closed.wait()
            return
        self._closed = asyncio.Event()
        try:
            await self.practice.stop()
            await self.reminders.stop()
            await super().close()
            await _finish_interactions(INTERACTION_GRACE_SECONDS)
            await self.club_counts.close()
            await self.stores.close()
        finally:
            self._closed.set()
