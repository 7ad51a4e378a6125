"""The interactive sandbox: a prompt with history and Tab completion, rich rendering,
and the bot's DMs printed as they arrive (without breaking the line being typed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncGenerator, Iterable
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, DummyCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory
from prompt_toolkit.patch_stdout import patch_stdout
from rich.console import Console

from bot.config import Config

from .app import HISTORY_FILE, LOG_FILE, begin, started, wipe
from .completion import suggest
from .session import RichOutput, Session

log = logging.getLogger(__name__)


class SandboxCompleter(Completer):
    """Completes at the cursor what Discord's client would suggest there."""

    def __init__(self) -> None:
        self.session: Session | None = None

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        """Synchronous completion isn't offered: the bot must be asked asynchronously."""
        return []

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        """Ask `suggest` (and through it the bot, for autocomplete options)."""
        if self.session is None:
            return
        try:
            suggestions = await suggest(self.session, document.text_before_cursor)
        except Exception:  # a completion must never take the prompt down
            log.exception("sandbox: completion failed")
            return
        for s in suggestions:
            yield Completion(s.text, -s.replace, display=s.display, display_meta=s.meta)


async def run_terminal(settings: Config, folder: Path) -> int:
    """The interactive sandbox, until `quit` or Ctrl-D."""
    console = Console()
    completer = SandboxCompleter()
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(folder / HISTORY_FILE)))

    async def ask(message: str, default: str | None) -> str | None:
        with contextlib.suppress(EOFError, KeyboardInterrupt):
            return await prompt.prompt_async(
                message, default=default or "", completer=DummyCompleter()
            )
        return None

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        while True:
            async with started(
                folder,
                lambda ctx: RichOutput(ctx, console),
                log_level=settings.log_level,
                ask=ask,
            ) as session:
                completer.session = session
                await begin(session, folder)
                with patch_stdout(raw=True):
                    watcher = asyncio.create_task(session.watch_dms(), name="sandbox-dms")
                    try:
                        await _loop(session, prompt, completer)
                    finally:
                        watcher.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await watcher
            completer.session = None
            if not session.reset_requested:
                break
            wipe(folder)
            console.print(f"Deleted the sandbox's data in {folder}/; starting afresh.", style="dim")
    except (OSError, RuntimeError, TimeoutError) as error:
        log.exception("sandbox: could not start")
        print(f"The sandbox could not start: {error} (see {folder / LOG_FILE})", file=sys.stderr)
        return 1
    return 0


async def _loop(session: Session, prompt: PromptSession, completer: Completer) -> None:
    while True:
        try:
            line = await prompt.prompt_async(
                session.prompt, completer=completer, complete_while_typing=True
            )
        except KeyboardInterrupt:
            continue  # Ctrl-C clears the line, as in a shell
        except EOFError:
            return
        if not await session.handle(line):
            return
