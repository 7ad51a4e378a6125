"""`python -m bot`: read settings, then run the bot (or the local sandbox without a token),
or one of the operator's commands (bot/cli.py)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot import heap, metrics
from bot.cli import build_parser, run_command
from bot.config import (
    Config,
    ConfigError,
    apply_endpoints,
    load_config,
    prepare_data_dir,
    setup_logging,
)
from bot.health import Heartbeat
from bot.operations import DataDirBusyError, hold_data_dir

if TYPE_CHECKING:
    from bot.client import InterviewBot

log = logging.getLogger("bot")


async def run_bot(settings: Config) -> int:
    """Run the bot until SIGINT/SIGTERM; returns the exit code."""
    from bot.client import InterviewBot

    apply_endpoints(settings.api_base, settings.gateway_url)
    heap.tune()
    bot = InterviewBot(settings)
    heap.settle_once_ready(bot)
    server = None
    if settings.metrics_port is not None:
        try:
            server = metrics.serve(
                settings.metrics_port,
                host=settings.metrics_host,
                open_stores=lambda: bot.stores.pool.open_count,
                reminders_pending=lambda: len(bot.reminders.timers.job_ids()),
            )
        except OSError as error:
            print(
                f"error: METRICS_PORT {settings.metrics_port} can't be used on "
                f"{settings.metrics_host} ({error.strerror or error}); pick a free port, or "
                "unset METRICS_PORT",
                file=sys.stderr,
            )
            return 2
    try:
        return await _run(bot, settings)
    finally:
        if server is not None:
            server.close()


async def _run(bot: InterviewBot, settings: Config) -> int:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    closing: list[asyncio.Task] = []

    def stop() -> None:
        if not stopping.is_set():
            log.info("shutting down")
            stopping.set()
            closing.append(loop.create_task(bot.close()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    heartbeat = Heartbeat(bot, settings.data_dir, metrics_port=settings.metrics_port)
    async with bot, heartbeat:
        try:
            await bot.start(settings.token or "")
        except discord.LoginFailure:
            print(
                "error: Discord rejected DISCORD_TOKEN; copy a fresh token from the Bot page "
                "of your application at https://discord.com/developers/applications",
                file=sys.stderr,
            )
            return 1
        except (aiohttp.ClientConnectionError, OSError, TimeoutError) as error:
            where = settings.api_base or "discord.com"
            print(
                f"error: can't reach Discord at {where} ({type(error).__name__}); check the "
                "network, or DISCORD_API_BASE / DISCORD_GATEWAY_URL if you route through a proxy",
                file=sys.stderr,
            )
            return 1
        except Exception:
            if not stopping.is_set():
                log.exception("the bot stopped with an error")
                return 1
    # `async with bot` waits only for discord.py's half of close(); finish ours (the
    # reminder engine, then the stores) before asyncio.run cancels what is left.
    await asyncio.gather(*closing)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point (`python -m bot`, `interview-bot`); exit code 2 for an argument or a
    setting that can't be used."""
    args = build_parser().parse_args(argv)
    if args.sandbox and args.command is not None:
        print(
            f"error: --sandbox runs the sandbox; it takes no command ({args.command})",
            file=sys.stderr,
        )
        return 2
    # Every file the bot creates (stores, their -wal/-shm sidecars, the index, exports,
    # backups) is private to this user from the moment it exists, not fixed up after.
    os.umask(0o077)
    try:
        settings = load_config()
        if args.command is not None:
            return run_command(args, settings)
        prepare_data_dir(settings.data_dir)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.sandbox or not settings.token:
        from bot.sandbox import run_sandbox  # it logs to a file of its own

        try:
            return asyncio.run(run_sandbox(settings))
        except KeyboardInterrupt:  # Ctrl-C while a command runs: leave quietly
            return 130
    setup_logging(settings)
    try:
        # Held while the bot runs: a second bot, or a restore, on this DATA_DIR is refused.
        with hold_data_dir(settings.data_dir):
            return asyncio.run(run_bot(settings))
    except DataDirBusyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
