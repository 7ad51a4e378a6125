"""Start and stop a real discord.py client against an :class:`Emulator`, in-process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .server import Emulator

log = logging.getLogger(__name__)

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def pointed_at(emu: Emulator) -> Iterator[None]:
    """Point discord.py's REST base and gateway URL at ``emu``; restore them afterwards."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = emu.rest_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    try:
        yield
    finally:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def sync_commands(bot: discord.Client, emu: Emulator) -> None:
    """Sync the bot's app-command tree: global commands, plus guild commands per guild."""
    tree = getattr(bot, "tree", None)
    if tree is None:
        return
    await tree.sync()
    for guild_id in emu.guilds:
        guild = discord.Object(id=guild_id)
        if tree.get_commands(guild=guild):
            await tree.sync(guild=guild)


@contextlib.asynccontextmanager
async def running_bot(
    bot: ClientT,
    emu: Emulator,
    *,
    sync: bool = True,
    timeout: float = 10.0,
    token: str | None = None,
) -> AsyncIterator[ClientT]:
    """Log ``bot`` in to ``emu``, connect, wait until ready, sync commands; close on exit.

    The emulator must already be started. Give the bot a small ``guild_ready_timeout``
    (e.g. ``0.05``) in its constructor so it becomes ready quickly. Route.BASE and
    DEFAULT_GATEWAY are restored afterwards. ``token`` defaults to the emulator's token.
    """
    with pointed_at(emu):
        try:
            await bot.login(token or emu.token)
        except BaseException:
            await bot.close()
            raise
        connect = asyncio.create_task(bot.connect(reconnect=False), name="emulator-bot-connect")
        ready = asyncio.create_task(bot.wait_until_ready(), name="emulator-bot-ready")
        try:
            done, _ = await asyncio.wait(
                {connect, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                if connect in done and connect.exception() is not None:
                    raise RuntimeError("the bot failed to connect") from connect.exception()
                raise TimeoutError(f"the bot was not ready within {timeout}s")
            if sync:
                await sync_commands(bot, emu)
            yield bot
        finally:
            ready.cancel()
            await bot.close()
            if not connect.done():
                connect.cancel()
            with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                await connect


def bot_kwargs() -> dict[str, object]:
    """Constructor keyword arguments suitable for a bot run against the emulator."""
    intents = discord.Intents.default()
    intents.members = False
    intents.presences = False
    intents.message_content = False
    return {
        "command_prefix": commands.when_mentioned,
        "intents": intents,
        "guild_ready_timeout": 0.05,
    }
