"""`python -m bot`: read settings, then run the bot (or the local sandbox without a token)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

import aiohttp
import discord

from bot.config import (
    Config,
    ConfigError,
    apply_endpoints,
    load_config,
    prepare_data_dir,
    setup_logging,
)

log = logging.getLogger("bot")


async def run_bot(settings: Config) -> int:
    """Run the bot until SIGINT/SIGTERM; returns the exit code."""
    from bot.client import InterviewBot

    apply_endpoints(settings.api_base, settings.gateway_url)
    bot = InterviewBot(settings)
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
    async with bot:
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
    """Entry point; exit code 2 for a setting that can't be used."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--sandbox", action="store_true", help="run the local sandbox even when a token is set"
    )
    args = parser.parse_args(argv)
    # Every file the bot creates (stores, their -wal/-shm sidecars, the index, exports)
    # is private to this user from the moment it exists, not fixed up after.
    os.umask(0o077)
    try:
        settings = load_config()
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
    return asyncio.run(run_bot(settings))


if __name__ == "__main__":
    sys.exit(main())
