"""One person at the sandbox: what they type, as whom, where, and what they see.

`Session.handle(line)` runs one line: a slash command (sent to the real bot through the
emulator's driver, exactly as Discord's client would), or one of the sandbox's own words
(`click`, `select`, `as`, `dm`, `server`, `wait`, `help`, `quit`). Every message the
bot shows is printed through an `Output`; DMs the bot sends on its own are printed as
they arrive (`flush_dms`, and `watch_dms` in the terminal).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.text import Text

from bot.emulator.driver import Driver, DriverError, Reply
from bot.emulator.models import Message, User
from bot.emulator.server import Emulator

from .render import (
    Context,
    Shown,
    is_interactive,
    numbered_buttons,
    numbered_options,
    render_plain,
    render_rich,
)
from .world import World

log = logging.getLogger(__name__)

# Reminders already due when a scripted session moves on get this long to arrive.
DUE_GRACE_SECONDS = 3.0
WAIT_DEFAULT_SECONDS = 10.0
WAIT_MAX_SECONDS = 120.0

HELP = """\
Type slash commands exactly as in Discord, e.g.
  /prospect add name:"Ada Lovelace" stage:established
  (Tab completes commands, subcommands, options, choices and the bot's autocomplete.)
The sandbox's own words:
  click N [on M]        press button N on the last message with buttons (or on message #M);
                        `click Sent it` presses a button by its label
  select N [N …] [on M] pick option(s) N in the last message's select menu
  as NAME               act as another member (created on first use; "officer" has Manage Server)
  dm | server           send commands in your DMs with the bot, or in the server
  wait [SECONDS]        wait for the bot's next DM (default 10 s)
  help                  this help;  /help is the bot's own
  quit                  leave (Ctrl-D too)
DMs from the bot (reminders) appear as they arrive, on real time."""

Ask = Callable[[str, str | None], Awaitable[str | None]]


class Output(Protocol):
    """Where the session's messages and notes go."""

    def message(self, shown: Shown) -> None:
        """Show a message from the bot."""

    def note(self, text: str) -> None:
        """A line from the sandbox itself (not the bot)."""

    def error(self, text: str) -> None:
        """A short explanation of something that didn't work."""

    def echo(self, prompt: str, line: str) -> None:
        """Repeat a line read from a script, so the transcript shows what ran."""

    def section(self, title: str) -> None:
        """A heading in a script's transcript (from a `# comment` line)."""


class PlainOutput:
    """Plain text on stdout: no colours, no escape sequences (pipes and transcripts)."""

    def __init__(self, ctx: Context, write: Callable[[str], None] = print) -> None:
        self.ctx = ctx
        self.write = write

    def message(self, shown: Shown) -> None:
        """Show a message as indented plain text."""
        self.write(render_plain(shown, self.ctx))

    def note(self, text: str) -> None:
        """A sandbox note, in brackets so it reads apart from the bot."""
        self.write(f"[sandbox] {text}")

    def error(self, text: str) -> None:
        """An error, marked as such."""
        self.write(f"[sandbox] ✗ {text}")

    def echo(self, prompt: str, line: str) -> None:
        """The line as if typed at the prompt, after a blank line."""
        self.write(f"\n{prompt}{line}")

    def section(self, title: str) -> None:
        """A heading, underlined."""
        self.write(f"\n\n{title}\n{'=' * len(title)}")


class RichOutput:
    """Boxes and colours on a terminal."""

    def __init__(self, ctx: Context, console: Console) -> None:
        self.ctx = ctx
        self.console = console

    def message(self, shown: Shown) -> None:
        """Show a message with embeds as boxes and numbered buttons."""
        self.console.print(render_rich(shown, self.ctx))

    def note(self, text: str) -> None:
        """A sandbox note, dimmed."""
        self.console.print(Text(text, style="dim"))

    def error(self, text: str) -> None:
        """An error, in red."""
        self.console.print(Text(f"✗ {text}", style="red"))

    def echo(self, prompt: str, line: str) -> None:
        """The line as if typed at the prompt."""
        self.console.print()
        self.console.print(Text(prompt, style="bold green") + Text(line))

    def section(self, title: str) -> None:
        """A heading, as a rule across the terminal."""
        self.console.print()
        self.console.rule(Text(title, style="bold"), align="left")


async def settle_reminders(bot: Any, grace: float = DUE_GRACE_SECONDS) -> None:
    """Let every reminder that is already due reach the emulator (bounded by `grace`)."""
    engine = getattr(bot, "reminders", None)
    if engine is None or not getattr(engine, "running", False):
        return
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(grace):
            await engine.run_due()
            await engine.idle()


class Session:
    """The state of one person at the sandbox."""

    def __init__(
        self,
        emu: Emulator,
        bot: Any,
        world: World,
        out: Output,
        files_dir: Path,
        *,
        ask: Ask | None = None,
    ) -> None:
        self.emu = emu
        self.bot = bot
        self.world = world
        self.out = out
        self.files_dir = files_dir
        self.ask = ask
        self.driver = Driver(emu)
        self.user: User = world.member("you")
        self.in_dm = False
        self._numbers: dict[int, int] = {}  # message id -> the number shown
        self._shown: set[int] = set()
        self._edits_seen: dict[int, int] = {}  # message id → edits when last shown
        self._saved: dict[int, list[Path]] = {}
        self._last_interactive: int | None = None
        self._dms_seen: set[int] = set()
        self._dm_mark = 0  # DMs seen when the last command ran (`wait` waits past it)

    # ---------------------------------------------------------------- where and who

    @property
    def guild(self) -> Any:
        """The guild commands go to, or None in DMs."""
        return None if self.in_dm else self.world.guild

    @property
    def prompt(self) -> str:
        """`you @ Sandbox Club › ` or `you @ DM › `."""
        return f"{self.user.name} @ {'DM' if self.in_dm else self.world.guild.name} › "

    def visible_paths(self) -> list[str]:
        """Command paths this member can use where they are (for help and completion)."""
        return self.driver.command_paths(self.guild, user=self.user, dm=self.in_dm)

    def is_synced(self, line: str) -> bool:
        """Whether the slash command on `line` exists here (the demo skips it otherwise)."""
        name = line.strip().removeprefix("/").split(" ", 1)[0]
        return name in self.driver.command_names(self.guild, user=self.user, dm=self.in_dm)

    # ---------------------------------------------------------------- lines

    async def handle(self, line: str) -> bool:
        """Run one line; False when the person asked to quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        try:
            return await self._dispatch(line)
        except (DriverError, ValueError, LookupError) as error:
            self.out.error(str(error))
        except Exception as error:  # the sandbox must outlive any one line
            log.exception("sandbox: %r failed", line)
            self.out.error(
                f"that failed unexpectedly ({type(error).__name__}: {error}); see the log"
            )
        return True

    async def _dispatch(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        word, rest = word.lower(), rest.strip()
        if line.startswith("/") or word in ("click", "select"):
            self._dm_mark = len(self._dms_seen)
        if line.startswith("/"):
            reply = await self.driver.run(line, user=self.user, guild=self.guild)
            await self.show_reply(reply)
            return True
        if word in ("quit", "exit"):
            return False
        if word in ("help", "?"):
            self.out.note(HELP)
        elif word == "as":
            self._switch_user(rest)
        elif word == "dm":
            self.in_dm = True
            self.out.note(f"{self.user.name} now sends commands in their DMs with the bot.")
        elif word == "server":
            self.in_dm = False
            self.out.note(f"{self.user.name} now sends commands in {self.world.guild.name}.")
        elif word == "click":
            await self._click(rest)
        elif word == "select":
            await self._select(rest)
        elif word == "wait":
            await self._wait(rest)
        else:
            raise ValueError(
                f"{word!r} isn't a command: slash commands start with / (try /help), "
                "and `help` lists the sandbox's own words."
            )
        return True

    def _switch_user(self, rest: str) -> None:
        name = rest.strip().strip("\"'").strip()
        if not name or any(c.isspace() for c in name) or len(name) > 32:
            raise ValueError("`as NAME` needs one name without spaces, e.g. `as grace`.")
        new = self.world.find(name) is None
        self.user = self.world.member(name)
        joined = f" (new member of {self.world.guild.name})" if new else ""
        self.out.note(f"You are now {self.user.name}{joined}.")

    # ---------------------------------------------------------------- components

    def _target(self, rest: str) -> tuple[Message, str]:
        """The message a click/select is aimed at (`… on M`, else the last interactive one)."""
        words = rest.rsplit(" on ", 1)
        if len(words) == 2 and words[1].strip().lstrip("#").isdigit():
            number = int(words[1].strip().lstrip("#"))
            message_id = next((mid for mid, n in self._numbers.items() if n == number), None)
            if message_id is None:
                raise LookupError(f"there is no message #{number}")
            rest = words[0]
        else:
            message_id = self._last_interactive
            if message_id is None:
                raise LookupError("no message with buttons or menus has been shown yet")
        message = self.emu.messages[message_id]
        if message.deleted:
            raise LookupError(f"message #{self._numbers[message_id]} was deleted")
        return message, rest.strip()

    async def _click(self, rest: str) -> None:
        message, what = self._target(rest)
        buttons = numbered_buttons(message)
        number = self._numbers.get(message.id)
        if not buttons:
            raise LookupError(f"message #{number} has no buttons (any more)")
        if what.isdigit():
            index = int(what)
            if not 1 <= index <= len(buttons):
                raise LookupError(f"message #{number} has buttons 1–{len(buttons)}, not {index}")
            label = buttons[index - 1]["label"] or buttons[index - 1]["custom_id"]
        elif what:
            label = what.strip("\"'")
        else:
            raise ValueError("`click N` needs a button number, e.g. `click 1`")
        reply = await self.driver.click(message, label, user=self.user)
        await self.show_reply(reply)

    async def _select(self, rest: str) -> None:
        message, what = self._target(rest)
        options = numbered_options(message)
        if not options:
            raise LookupError(f"message #{self._numbers.get(message.id)} has no select menu")
        try:
            picks = [int(word) for word in what.replace(",", " ").split()]
        except ValueError:
            raise ValueError("`select` takes option numbers, e.g. `select 1 3`") from None
        if not picks or any(not 1 <= p <= len(options) for p in picks):
            raise LookupError(f"pick option numbers between 1 and {len(options)}")
        menus = {options[p - 1][0] for p in picks}
        if len(menus) > 1:
            raise ValueError("those options belong to different menus; pick from one at a time")
        menu = menus.pop()
        values = [options[p - 1][1]["value"] for p in picks]
        reply = await self.driver.select(message, values, user=self.user, index=menu)
        await self.show_reply(reply)

    async def _wait(self, rest: str) -> None:
        """Wait for a DM; one that already arrived since the last command counts."""
        try:
            seconds = float(rest) if rest else WAIT_DEFAULT_SECONDS
        except ValueError:
            raise ValueError("`wait` takes a number of seconds, e.g. `wait 30`") from None
        seconds = min(max(seconds, 0.0), WAIT_MAX_SECONDS)
        mark = self._dm_mark
        try:
            await self.emu.wait_for(
                lambda: len(self._dms_seen) + len(self._unseen_dms()) > mark, seconds
            )
        except TimeoutError:
            self.out.note(f"no DM arrived within {seconds:g} s.")
        self.flush_dms()
        self._dm_mark = len(self._dms_seen)

    # ---------------------------------------------------------------- showing

    async def show_reply(self, reply: Reply) -> None:
        """Show how the bot answered; fill in the modal if it opened one."""
        messages: list[Message] = []
        for message in [reply.message, *reply.followups]:
            if message is not None and message not in messages and not message.deleted:
                messages.append(message)
        for message in messages:
            updated = message.id in self._shown
            heading = self.emu.bot.name
            if message.guild_id is None and message.interaction_id is None:
                heading = f"DM to {self._name_of_dm(message)} from {self.emu.bot.name}"
            if updated:
                heading += " · updated the message"
            if message.ephemeral:
                heading += " · only you can see this"
            self.show(message, heading)
        if reply.modal is not None:
            await self._fill_modal(reply)
        elif not messages and reply.callback_type == 6:
            self.out.note("(the bot acknowledged it without changing anything)")

    def show(self, message: Message, heading: str) -> None:
        """Print one message: number it if it can be clicked, save its files."""
        self._shown.add(message.id)
        self._edits_seen[message.id] = len(message.edits)
        number = None
        if is_interactive(message):
            number = self._numbers.setdefault(message.id, len(self._numbers) + 1)
            self._last_interactive = message.id
        elif message.id in self._numbers:
            number = self._numbers[message.id]
        self.out.message(Shown(message, heading, number, self._save_files(message)))

    def _save_files(self, message: Message) -> list[Path]:
        if message.id in self._saved or not message.files:
            return self._saved.get(message.id, [])
        self.files_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in message.files:
            safe = Path(name).name or "file"
            path = self.files_dir / safe
            counter = 2
            while path.exists() and path.read_bytes() != data:
                path = self.files_dir / f"{Path(safe).stem}-{counter}{Path(safe).suffix}"
                counter += 1
            path.write_bytes(data)
            paths.append(path)
        self._saved[message.id] = paths
        return paths

    async def _fill_modal(self, reply: Reply) -> None:
        modal = reply.modal
        assert modal is not None
        self.out.note(f"The bot opened a form: {modal.title}")
        if self.ask is None:
            self.out.error("this session can't fill in forms")
            return
        values: dict[str, str] = {}
        for fld in modal.fields:
            label = fld.label or fld.custom_id
            suffix = "" if fld.required or "optional" in label.lower() else " (optional)"
            answer = await self.ask(f"  {label}{suffix}: ", fld.value)
            if answer is None:
                self.out.note("Form closed without submitting.")
                return
            values[fld.custom_id] = answer.strip()
        submitted = await self.driver.submit_modal(reply, values, user=self.user)
        await self.show_reply(submitted)

    # ---------------------------------------------------------------- DMs

    def _name_of_dm(self, message: Message) -> str:
        channel = self.emu.channels.get(message.channel_id)
        recipient = getattr(channel, "recipient", None)
        return recipient.name if recipient is not None else "someone"

    def _unseen_dms(self) -> list[Message]:
        return [
            message
            for user in self.world.members.values()
            for message in self.emu.dms(user, interactions=False)
            if message.id not in self._dms_seen
        ]

    def _unseen_edits(self) -> list[Message]:
        """Messages already shown that the bot has edited since (e.g. "Deleting…" → done)."""
        return [
            message
            for message_id, seen in self._edits_seen.items()
            if (message := self.emu.messages.get(message_id)) is not None
            and not message.deleted
            and len(message.edits) > seen
        ]

    def flush_dms(self) -> None:
        """Print every DM the bot sent on its own, and every later edit of a message
        already shown, that hasn't been shown yet."""
        for message in sorted(self._unseen_dms(), key=lambda m: m.id):
            self._dms_seen.add(message.id)
            self.show(message, f"DM to {self._name_of_dm(message)} from {self.emu.bot.name}")
        for message in self._unseen_edits():
            heading = f"{self.emu.bot.name} · updated the message"
            if message.ephemeral:
                heading += " · only you can see this"
            self.show(message, heading)

    async def watch_dms(self) -> None:
        """Print DMs and edits as they arrive, until cancelled (the terminal runs this
        alongside)."""
        while True:
            with contextlib.suppress(TimeoutError):
                await self.emu.wait_for(lambda: self._unseen_dms() or self._unseen_edits(), 3600)
            self.flush_dms()

    async def settle(self) -> None:
        """Deliver reminders that are already due, then show the DMs they produced."""
        await settle_reminders(self.bot)
        self.flush_dms()
