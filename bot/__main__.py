"""`python -m bot`: read settings, then run the bot (or the local sandbox without a token)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.config import ConfigError, Settings, apply_endpoints, load_settings, setup_logging

log = logging.getLogger("bot")

SETUP_HELP = """\
No DISCORD_TOKEN is set, so there is no Discord application to connect to.
To run the bot on Discord:
  1. Create an application at https://discord.com/developers/applications
  2. On its Bot page, reset and copy the token.
  3. Put it in .env as DISCORD_TOKEN=... (see .env.example), then run `make run` again.
"""


async def run_bot(settings: Settings) -> int:
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
        except Exception:
            if not stopping.is_set():
                log.exception("the bot stopped with an error")
                return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit code 2 for a setting that can't be used."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--sandbox", action="store_true", help="run the local sandbox even when a token is set"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    setup_logging(settings)
    if args.sandbox or not settings.token:
        try:
            from bot.sandbox import run_sandbox
        except ImportError:
            print(SETUP_HELP, file=sys.stderr)
            return 2
        return asyncio.run(run_sandbox(settings))
    return asyncio.run(run_bot(settings))


if __name__ == "__main__":
    sys.exit(main())
