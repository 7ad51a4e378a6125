"""Start the sandbox: the emulator, the sandbox's world, the real bot; then run lines.

The bot is the real `InterviewBot` with every cog, on the real clock, connected to a
Discord emulator on 127.0.0.1 in this process. Its data lives in the sandbox's own
folder, and its log goes to a file there so the transcript shows only the conversation.
`reset` stops the bot, empties that folder (the command history stays) and starts again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import TextIO

from bot.client import InterviewBot
from bot.config import Config
from bot.emulator.harness import running_bot
from bot.emulator.server import Emulator

from . import SANDBOX_FOLDER
from .render import Context
from .session import Ask, Output, PlainOutput, Session
from .world import World

log = logging.getLogger(__name__)

LOG_FILE = "sandbox.log"
FILES_FOLDER = "files"
HISTORY_FILE = "history"  # the terminal's command history: `reset` keeps it
# Lines that act on what a skipped command would have produced are skipped with it.
FOLLOW_ON_WORDS = ("click", "select", "wait")


def configure_logging(folder: Path, level: str) -> Path:
    """Everything to `folder/sandbox.log`; only errors reach stderr."""
    path = folder / LOG_FILE
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    )
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.ERROR)
    to_stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = [to_file, to_stderr]
    root.setLevel(level)
    logging.getLogger("discord").setLevel(max(logging.INFO, root.level))
    return path


def context_for(emu: Emulator) -> Context:
    """A rendering context whose mentions name the emulator's users."""

    def name_of(user_id: int) -> str | None:
        user = emu.users.get(user_id)
        return user.name if user is not None else None

    return Context(name_of=name_of)


@contextlib.asynccontextmanager
async def started(
    folder: Path,
    make_output: Callable[[Context], Output],
    *,
    log_level: str = "INFO",
    ask: Ask | None = None,
) -> AsyncIterator[Session]:
    """A session with the real bot running against a fresh emulator; all closed on exit."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    configure_logging(folder, log_level)
    async with Emulator() as emu:
        ctx = context_for(emu)
        world = World(emu, folder)
        settings = Config(
            token=emu.token,
            data_dir=folder,
            log_level=log_level,
            api_base=emu.rest_base,
            gateway_url=emu.gateway_url,
        )
        bot = InterviewBot(settings, guild_ready_timeout=0.05)
        # setup_hook already synced the commands (globally) as the bot logged in.
        async with running_bot(bot, emu, sync=False):
            session = Session(
                emu, bot, world, make_output(ctx), folder / FILES_FOLDER, ask=ask, ctx=ctx
            )
            yield session
            if emu.violations:
                log.warning("sandbox: the bot sent Discord what it refuses: %s", emu.violations)


def wipe(folder: Path) -> None:
    """Empty the sandbox's folder, keeping the command history. Only a folder named
    like the sandbox's is touched, and nothing a link in it points to."""
    if folder.name != SANDBOX_FOLDER or folder.is_symlink():
        raise ValueError(f"{folder} is not the sandbox's folder; nothing was deleted")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.close()  # the log file goes too; the next start opens a new one
    for entry in folder.iterdir():
        if entry.name == HISTORY_FILE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


async def begin(session: Session, folder: Path) -> None:
    """What the person needs to begin, and why times read as they do."""
    session.out.note(ready_line(session, folder))
    if noted := await session.follow_zone():
        session.out.note(noted)


async def read_line(stream: TextIO) -> str | None:
    """The next line of `stream` without blocking the bot; None at the end."""
    line = await asyncio.to_thread(stream.readline)
    return line.rstrip("\r\n") if line else None


async def run_lines(
    session: Session,
    lines: AsyncIterator[str] | Iterable[str],
    *,
    skip_unsynced: bool = False,
) -> None:
    """Run each line as if typed, echoing it, and show what the bot answered.

    After each line, reminders that are already due are given a moment to arrive, so a
    script reads in order. With `skip_unsynced`, a slash command the bot doesn't have
    (yet) is skipped with a note, and so are the clicks and waits that follow it.
    """
    skipping = False

    async def each() -> AsyncIterator[str]:
        if isinstance(lines, AsyncIterator):
            async for line in lines:
                yield line
        else:
            for line in lines:
                yield line

    async for raw in each():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            session.out.section(line.lstrip("# "))
            continue
        session.flush_dms()  # what changed since the last line shows before the next one
        session.out.echo(session.prompt, line)
        if skip_unsynced:
            if line.startswith("/"):
                skipping = not session.is_synced(line)
                if skipping:
                    name = line.split(" ", 1)[0]
                    session.out.note(f"skipped: {name} isn't in this build of the bot yet.")
                    continue
            elif skipping and line.split(" ", 1)[0].lower() in FOLLOW_ON_WORDS:
                session.out.note("skipped: it needs the command skipped above.")
                continue
        if not await session.handle(line):
            break
        await session.settle()
    await session.settle()


async def run_piped(settings: Config, folder: Path, stream: TextIO = sys.stdin) -> int:
    """One command per line from `stream`, replies as plain text; 0 at the end of input."""

    async def lines() -> AsyncIterator[str]:
        while (line := await read_line(stream)) is not None:
            yield line

    async def ask(prompt: str, _default: str | None) -> str | None:
        answer = await read_line(stream)
        if answer is not None:
            print(f"{prompt}{answer}")
        return answer

    source = lines()
    try:
        while True:
            async with started(
                folder, PlainOutput, log_level=settings.log_level, ask=ask
            ) as session:
                await begin(session, folder)
                await run_lines(session, source)
            if not session.reset_requested:
                break
            wipe(folder)
            print(f"[sandbox] Deleted the sandbox's data in {folder}/; starting afresh.")
    except (OSError, RuntimeError, TimeoutError) as error:
        log.exception("sandbox: could not start")
        print(f"The sandbox could not start: {error} (see {folder / LOG_FILE})", file=sys.stderr)
        return 1
    return 0


def ready_line(session: Session, folder: Path) -> str:
    """What the person needs to begin, once the bot is up."""
    officer = next((n for n in session.world.names if n.lower() == "officer"), "officer")
    return (
        f"Ready: you are {session.user.name!r} in the server {session.world.guild.name!r} "
        f"({officer!r} has Manage Server). Type /help for the bot's help, `help` for the "
        f"sandbox's own words. Data: {folder}/ · log: {folder / LOG_FILE}"
    )
