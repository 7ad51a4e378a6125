"""The local sandbox: try every command in a terminal, with no Discord application.

The real bot runs unchanged against a Discord emulator on 127.0.0.1; a person types
slash commands as in Discord (or pipes them in, one a line). Its data lives in its own
folder, `DATA_DIR/sandbox/`, apart from real members' stores.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Config

SANDBOX_FOLDER = "sandbox"


def banner(settings: Config) -> str:
    """The first line: what is running, and how to reach Discord instead."""
    if settings.token:
        why = "Local sandbox (--sandbox): your DISCORD_TOKEN is not used."
    else:
        why = "Local sandbox: no DISCORD_TOKEN is set, so the bot runs against a Discord emulator"
        why += " on this machine. To connect to Discord instead, set DISCORD_TOKEN in .env"
        why += " (see README.md)."
    return why


async def run_sandbox(settings: Config) -> int:
    """Run the sandbox (interactive on a terminal, else one command per stdin line)."""
    # Say what is happening before the slower imports and start-up.
    print(banner(settings), flush=True)
    folder = settings.data_dir / SANDBOX_FOLDER
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .terminal import run_terminal

        return await run_terminal(settings, folder)
    from .app import run_piped

    return await run_piped(settings, folder)
