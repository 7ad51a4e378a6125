"""One person at the sandbox: what they type, as whom, where, and what they see.

`Session.handle(line)` runs one line: a slash command (sent to the real bot through the
emulator's driver, exactly as Discord's client would; `file:@path` attaches a file), or
one of the sandbox's own words (`click`, `select`, `as`, `dm`, `server`, `wait`,
`reset`, `help`, `quit`). Every message the bot shows is printed through an `Output`;
DMs the bot sends on its own are printed as they arrive (`flush_dms`, and `watch_dms` in
the terminal). Times read in the zone of the member acting, as Discord's client reads
them in the zone of the device it runs on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.console import Console
from rich.text import Text

from bot.emulator.driver import ATTACHMENT, Driver, DriverError, Reply
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
# What Discord lets a member without Nitro upload.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

HELP = """\
Type slash commands exactly as in Discord, e.g.
  /prospect add name:"Ada Lovelace" stage:established
  /prospect import file:@Downloads/Connections.csv   (file:@PATH attaches a file)
  (Tab completes commands, subcommands, options, choices, the bot's autocomplete and paths.)
The sandbox's own words:
  click N [on M]        press button N on the latest message that has one (or on message #M);
                        `click Sent it` presses the latest button with that label
  select N [N …] [on M] pick option(s) N in the latest message with a select menu
  as NAME               act as another member (created on first use; "officer" has Manage Server)
  dm | server           send commands in your DMs with the bot, or in the server
  wait [SECONDS]        wait for the bot's next DM (default 10 s)
  reset                 delete the sandbox's data (asks first) and start afresh
  help                  this help;  /help is the bot's own
  quit                  leave (Ctrl-D too)
DMs from the bot (reminders) appear as they arrive, on real time. Times show in the zone
of the member you act as (/settings timezone), as Discord shows them in your device's."""

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


def quote(value: str) -> str:
    """A value as it must be typed: bare when it is one word, else in quotes."""
    if value and not any(c.isspace() or c in "\"'" for c in value) and ":" not in value:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_attachment(option: str, typed: str) -> tuple[str, bytes]:
    """The file `file:@path` names, as (filename, bytes) to attach; the @ and quotes
    around the path are optional, and ~ is the home folder."""
    text = typed.strip().removeprefix("@").strip().strip("\"'")
    example = f"`{option}:@Downloads/Connections.csv`"
    if not text:
        raise ValueError(f"{option}: name the file to attach after @, e.g. {example}")
    path = Path(text).expanduser()
    if not path.is_file():
        where = "" if path.is_absolute() else f" (relative to {Path.cwd()})"
        raise LookupError(f"{option}: there is no file {path}{where}; e.g. {example}")
    size = path.stat().st_size
    if size > ATTACHMENT_MAX_BYTES:
        raise ValueError(
            f"{option}: {path.name} is {size / 1024 / 1024:.1f} MB; Discord takes files up "
            f"to {ATTACHMENT_MAX_BYTES // 1024 // 1024} MB"
        )
    return path.name, path.read_bytes()


def zone_note(member: str, zone: ZoneInfo | None) -> str:
    """Why times read as they do: the zone of the member acting, or this machine's."""
    if zone is not None:
        return (
            f"Times show in {zone.key}, the time zone {member!r} chose (/settings timezone), "
            "as Discord shows each reader times in their own zone."
        )
    here = datetime.now(UTC).astimezone().tzname()  # this machine's zone
    return (
        f"Times show in this machine's zone ({here}), as Discord shows them in the zone of "
        f"the device you read on: {member!r} has chosen none with /settings timezone yet."
    )


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
        ctx: Context | None = None,
    ) -> None:
        self.emu = emu
        self.bot = bot
        self.world = world
        self.out = out
        self.files_dir = files_dir
        self.ask = ask
        self.ctx = ctx or Context()
        self.reset_requested = False
        self.driver = Driver(emu)
        self.user: User = world.member("you")
        self.in_dm = False
        self._numbers: dict[int, int] = {}  # message id -> the number shown
        self._shown: dict[int, None] = {}  # message ids, the last shown last
        self._edits_seen: dict[int, int] = {}  # message id → edits when last shown
        self._saved: dict[int, list[Path]] = {}
        self._zone_shown: tuple[int, str | None] | None = None  # (member, zone) noted
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
            line, attachments = self._attach(line)
            reply = await self.driver.run(
                line, user=self.user, guild=self.guild, attachments=attachments
            )
            await self.show_reply(reply)
            return True
        if word in ("quit", "exit"):
            return False
        if word == "reset":
            return not await self._confirm_reset()
        if word in ("help", "?"):
            self.out.note(HELP)
        elif word == "as":
            self._switch_user(rest)
            if noted := await self.follow_zone():
                self.out.note(noted)
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

    def _attach(self, line: str) -> tuple[str, dict[str, tuple[str, bytes]]]:
        """The line without its `file:@path` options, and those files to attach."""
        parsed = self.driver.parse(line, self.guild, user=self.user)
        files = {o["name"]: raw for o, raw in parsed.values if o["type"] == ATTACHMENT}
        if not files:
            return line, {}
        attachments = {name: read_attachment(name, raw) for name, raw in files.items()}
        words = ["/" + " ".join(parsed.path)]
        words += [f"{o['name']}:{quote(raw)}" for o, raw in parsed.values if o["name"] not in files]
        return " ".join(words), attachments

    async def _confirm_reset(self) -> bool:
        """Ask before the sandbox's data goes; True when the person said yes."""
        folder = self.files_dir.parent
        if self.ask is None:
            raise ValueError("this session can't ask to confirm a reset")
        answer = await self.ask(
            f"Delete everything in {folder}/ (every member's prospects, meetings and "
            "settings, the server's question bank, saved files, the log) and start afresh? "
            "Your command history stays. Type yes to confirm: ",
            None,
        )
        if (answer or "").strip().lower() not in ("y", "yes"):
            self.out.note("Nothing was deleted.")
            return False
        self.reset_requested = True
        return True

    async def follow_zone(self) -> str | None:
        """Read times in the acting member's zone from now on; a note saying so when that
        zone is not the one times were last shown in."""
        name = None
        if self.bot.stores.pool.exists("users", self.user.id):
            async with self.bot.stores.member(self.user.id, create=False) as store:
                name = await store.get_setting("timezone")
        try:
            zone = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        self.ctx.tz = zone
        key = (self.user.id, zone.key if zone else None)
        if key == self._zone_shown:
            return None
        self._zone_shown = key
        return zone_note(self.user.name, zone)

    # ---------------------------------------------------------------- components

    def _target(self, rest: str, has: Callable[[Message], bool], what: str) -> Message:
        """The message a click or select acts on: message #M with `… on M`, else the
        latest message shown that `has` the control (`what` names it), said when a newer
        message without it was shown since."""
        words = rest.rsplit(" on ", 1)
        if len(words) == 2 and words[1].strip().lstrip("#").isdigit():
            number = int(words[1].strip().lstrip("#"))
            message_id = next((mid for mid, n in self._numbers.items() if n == number), None)
            if message_id is None:
                raise LookupError(f"there is no message #{number}")
            numbered = self.emu.messages[message_id]
            if numbered.deleted:
                raise LookupError(f"message #{number} was deleted")
            return numbered
        shown = [m for mid in reversed(self._shown) if not (m := self.emu.messages[mid]).deleted]
        latest = next((m for m in shown if has(m)), None)
        if latest is None:
            raise LookupError(f"no message shown has {what}")
        if latest is not shown[0]:
            self.out.note(f"on #{self._numbers.get(latest.id)}, the latest message with {what}")
        return latest

    @staticmethod
    def _on(rest: str) -> str:
        """What to click or select, without a trailing `on M`."""
        words = rest.rsplit(" on ", 1)
        if len(words) == 2 and words[1].strip().lstrip("#").isdigit():
            return words[0].strip()
        return rest.strip()

    async def _click(self, rest: str) -> None:
        what = self._on(rest)
        if what.isdigit():
            index = int(what)

            def has(message: Message) -> bool:
                buttons = numbered_buttons(message)
                return len(buttons) >= index and not buttons[index - 1]["disabled"]

            message = self._target(rest, has, f"a button {index}")
            buttons = numbered_buttons(message)
            if not 1 <= index <= len(buttons):
                number = self._numbers.get(message.id)
                raise LookupError(f"message #{number} has buttons 1–{len(buttons)}, not {index}")
            label = buttons[index - 1]["label"] or buttons[index - 1]["custom_id"]
        elif what:
            label = what.strip("\"'")

            def has(message: Message) -> bool:
                return any(
                    (b["label"] or "").lower() == label.lower() and not b["disabled"]
                    for b in numbered_buttons(message)
                )

            message = self._target(rest, has, f"a {label!r} button")
        else:
            raise ValueError("`click N` needs a button number, e.g. `click 1`")
        reply = await self.driver.click(message, label, user=self.user)
        await self.show_reply(reply)

    async def _select(self, rest: str) -> None:
        try:
            picks = [int(word) for word in self._on(rest).replace(",", " ").split()]
        except ValueError:
            raise ValueError("`select` takes option numbers, e.g. `select 1 3`") from None
        if not picks:
            raise ValueError("`select` takes option numbers, e.g. `select 1 3`")
        message = self._target(
            rest,
            lambda m: len(numbered_options(m)) >= max(picks),
            f"a select menu with {max(picks)} options",
        )
        options = numbered_options(message)
        if any(not 1 <= p <= len(options) for p in picks):
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
        """Show how the bot answered, its times in the acting member's zone (which the
        answer may just have set); fill in the modal if it opened one."""
        noted = await self.follow_zone()
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
        if noted:
            self.out.note(noted)
        if reply.modal is not None:
            await self._fill_modal(reply)
        elif not messages and reply.callback_type == 6:
            self.out.note("(the bot acknowledged it without changing anything)")

    def show(self, message: Message, heading: str) -> None:
        """Print one message: number it if it can be clicked, save its files."""
        self._shown.pop(message.id, None)
        self._shown[message.id] = None  # the latest shown is last
        self._edits_seen[message.id] = len(message.edits)
        number = None
        if is_interactive(message):
            number = self._numbers.setdefault(message.id, len(self._numbers) + 1)
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
