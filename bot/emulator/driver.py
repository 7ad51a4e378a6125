"""Acting as a member against the emulator: slash commands, buttons, selects, modals.

``Driver.run`` parses a command line the way Discord's client would — against the command
schema the bot actually synced — sends the INTERACTION_CREATE and waits (on the emulator's
change notifications, never on a timer) until the bot's answer has settled.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import (
    ALL_PERMISSIONS,
    BotResponse,
    Guild,
    InteractionRecord,
    Message,
    User,
    message_text,
    walk_components,
)
from .server import Emulator

log = logging.getLogger(__name__)

# Application command option types
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11

TRUE_WORDS = {"true", "yes", "y", "1", "on"}
FALSE_WORDS = {"false", "no", "n", "0", "off"}
OPTION_NAME = re.compile(r"([\w-]+):")
CATCH_UP_YIELDS = 20


class DriverError(Exception):
    """The line/click/submission would be refused by Discord's client, or the bot never
    answered in time."""


@dataclass
class ModalField:
    """One input of a modal the bot opened."""

    custom_id: str
    label: str | None
    type: int = 4
    style: int | None = None
    required: bool = True
    min_length: int | None = None
    max_length: int | None = None
    value: str | None = None
    placeholder: str | None = None
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Modal:
    """A modal the bot answered with (callback type 9)."""

    title: str
    custom_id: str
    fields: list[ModalField]
    raw: dict[str, Any]


def _parse_modal(data: dict[str, Any]) -> Modal:
    fields: list[ModalField] = []
    for top in data.get("components") or []:
        label = top.get("label") if top.get("type") == 18 else None
        for comp in walk_components([top]):
            if comp.get("type") in (1, 18) or not comp.get("custom_id"):
                continue
            fields.append(
                ModalField(
                    custom_id=comp["custom_id"],
                    label=comp.get("label") or label,
                    type=comp.get("type", 4),
                    style=comp.get("style"),
                    required=comp.get("required", True),
                    min_length=comp.get("min_length"),
                    max_length=comp.get("max_length"),
                    value=comp.get("value"),
                    placeholder=comp.get("placeholder"),
                    options=list(comp.get("options") or []),
                )
            )
    return Modal(data.get("title", ""), data.get("custom_id", ""), fields, data)


class Reply:
    """How the bot answered one interaction; reads the live (edited-in-place) message."""

    def __init__(self, emu: Emulator, record: InteractionRecord) -> None:
        self.emu = emu
        self.record = record

    def __repr__(self) -> str:
        return (
            f"<Reply interaction={self.record.id} callback={self.callback_type} "
            f"ephemeral={self.ephemeral} text={self.text[:60]!r}>"
        )

    @property
    def callback_type(self) -> int | None:
        """The callback type the bot used (4, 5, 6, 7, 8 or 9)."""
        return self.record.callback_type

    @property
    def responses(self) -> list[BotResponse]:
        """Everything the bot sent for this interaction, in order."""
        return self.record.responses

    @property
    def message(self) -> Message | None:
        """The response message (@original), or the first followup if there is none."""
        original = self.emu.messages.get(self.record.original_message_id or 0)
        if original is not None and not (original.loading and self.record.followup_ids):
            return original
        return self.followups[0] if self.followups else original

    @property
    def followups(self) -> list[Message]:
        """Followup messages, in order."""
        return [self.emu.messages[i] for i in self.record.followup_ids]

    @property
    def id(self) -> int | None:
        """The response message's id."""
        return self.message.id if self.message else None

    @property
    def content(self) -> str:
        """The response message's content ("" if none)."""
        return self.message.content if self.message else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The response message's embeds."""
        return self.message.embeds if self.message else []

    @property
    def components(self) -> list[dict[str, Any]]:
        """The response message's raw components."""
        return self.message.components if self.message else []

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The response message's buttons (flattened)."""
        return self.message.buttons if self.message else []

    @property
    def selects(self) -> list[dict[str, Any]]:
        """The response message's select menus."""
        return self.message.selects if self.message else []

    @property
    def files(self) -> list[tuple[str, bytes]]:
        """The response message's files as ``(filename, bytes)``."""
        return self.message.files if self.message else []

    @property
    def ephemeral(self) -> bool:
        """Whether the response message is ephemeral."""
        return bool(self.message and self.message.ephemeral)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """The allowed_mentions the bot sent with the response message."""
        return self.message.allowed_mentions if self.message else None

    @property
    def modal(self) -> Modal | None:
        """The modal, when the bot answered with one (callback type 9)."""
        return _parse_modal(self.record.modal) if self.record.modal is not None else None

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices, for an autocomplete interaction."""
        return self.record.choices or []

    @property
    def text(self) -> str:
        """Content + embed titles/descriptions/fields/footers of the response and followups."""
        parts = []
        seen: set[int] = set()
        for message in [self.message, *self.followups]:
            if message is not None and message.id not in seen:
                seen.add(message.id)
                parts.append(message_text(message.content, message.embeds))
        return "\n".join(p for p in parts if p)


@dataclass
class ParsedLine:
    """A command line as Discord's client reads it: the command, the path to the
    subcommand, the options that subcommand takes, and each option typed with its raw text."""

    command: dict[str, Any]
    path: list[str]
    leaf_options: list[dict[str, Any]]
    values: list[tuple[dict[str, Any], str]]


class Driver:
    """Acts as club members against an :class:`Emulator` (tests and the sandbox)."""

    def __init__(self, emu: Emulator, *, timeout: float = 10.0) -> None:
        self.emu = emu
        self.timeout = timeout

    # ------------------------------------------------------------------ schema

    def visible_commands(
        self, guild: Guild | None = None, *, user: User | None = None
    ) -> list[dict[str, Any]]:
        """Chat-input commands a member can see in ``guild`` (or in DMs with ``None``)."""
        candidates = list(self.emu.global_commands)
        if guild is not None:
            guild_cmds = self.emu.guild_commands.get(guild.id, [])
            names = {c["name"] for c in guild_cmds}
            candidates = [c for c in candidates if c["name"] not in names] + list(guild_cmds)
        return [
            c
            for c in candidates
            if c.get("type", 1) == 1 and self._visibility_problem(c, guild, user) is None
        ]

    def _listed(self, guild: Guild | None, user: User | None, dm: bool) -> list[dict[str, Any]]:
        if guild is not None or dm:
            return self.visible_commands(guild, user=user)
        everything = list(self.emu.global_commands)
        for commands in self.emu.guild_commands.values():
            everything.extend(commands)
        return [c for c in everything if c.get("type", 1) == 1]

    def command_names(
        self, guild: Guild | None = None, *, user: User | None = None, dm: bool = False
    ) -> list[str]:
        """Top-level slash command names, sorted.

        With no arguments: every synced chat-input command (global and guild). With
        ``guild``: those visible there (to ``user``, if given). With ``dm=True``: those
        usable in DMs with the bot.
        """
        return sorted({c["name"] for c in self._listed(guild, user, dm)})

    def command_paths(
        self, guild: Guild | None = None, *, user: User | None = None, dm: bool = False
    ) -> list[str]:
        """Full invocable paths like ``"prospect add"`` (same filtering as command_names)."""
        names: set[str] = set()
        for command in self._listed(guild, user, dm):
            subs = [o for o in command.get("options") or [] if o["type"] in (1, 2)]
            if not subs:
                names.add(command["name"])
            for sub in subs:
                if sub["type"] == SUB_COMMAND:
                    names.add(f"{command['name']} {sub['name']}")
                else:
                    for leaf in sub.get("options") or []:
                        names.add(f"{command['name']} {sub['name']} {leaf['name']}")
        return sorted(names)

    def options_for(
        self, path: str, guild: Guild | None = None, *, user: User | None = None
    ) -> list[dict[str, Any]]:
        """The option schemas of a command path like ``"prospect add"``."""
        parsed = self._parse(path, guild, user)
        return parsed.leaf_options

    def parse(
        self, line: str, guild: Guild | None = None, *, user: User | None = None
    ) -> ParsedLine:
        """Read ``line`` against the synced schema as Discord's client would, sending
        nothing. Raises DriverError where the client would refuse the line: an unknown
        command, subcommand or option, an option given twice, an unclosed quote."""
        return self._parse(line, guild, user)

    def convert(self, option: dict[str, Any], raw: str, guild: Guild | None = None) -> Any:
        """The value the client would send for ``raw`` typed into ``option`` (its schema);
        DriverError where it would refuse it: not one of the choices, not a number, out
        of range, too long."""
        return self._convert(option, raw, guild, {})

    def _visibility_problem(
        self, command: dict[str, Any], guild: Guild | None, user: User | None
    ) -> str | None:
        contexts = command.get("contexts")
        if guild is None:
            if command.get("guild_id"):
                return "it is a guild command"
            if contexts is not None and 1 not in contexts:
                return "it is not available in DMs"
            if contexts is None and command.get("dm_permission") is False:
                return "it is not available in DMs"
            return None
        if contexts is not None and 0 not in contexts:
            return "it is not available in servers"
        required = command.get("default_member_permissions")
        if user is not None and required is not None:
            needed = int(required)
            have = guild.permissions_of(user.id)
            allowed = have == ALL_PERMISSIONS if needed == 0 else have & needed == needed
            if not allowed:
                return f"{user.name} lacks the permissions it requires ({needed})"
        return None

    # ------------------------------------------------------------------ parsing

    def _parse(self, line: str, guild: Guild | None, user: User | None) -> ParsedLine:
        text = line.strip().removeprefix("/")
        head, _, rest = text.partition(" ")
        if not head:
            raise DriverError("empty command line")
        all_cmds = list(self.emu.global_commands) + list(
            self.emu.guild_commands.get(guild.id, []) if guild else []
        )
        command = next(
            (c for c in reversed(all_cmds) if c["name"] == head and c.get("type", 1) == 1), None
        )
        if command is None:
            visible = ", ".join(sorted({c["name"] for c in self.visible_commands(guild)}))
            raise DriverError(f"unknown command /{head}; synced commands here: {visible or 'none'}")
        problem = self._visibility_problem(command, guild, user)
        if problem:
            raise DriverError(f"/{head} is not available here: {problem}")
        path = [head]
        options = command.get("options") or []
        while options and options[0]["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
            word, _, rest = rest.strip().partition(" ")
            sub = next((o for o in options if o["name"] == word), None)
            if sub is None:
                names = ", ".join(o["name"] for o in options)
                raise DriverError(
                    f"/{' '.join(path)} needs a subcommand ({names}); got {word or 'nothing'!r}"
                )
            path.append(word)
            options = sub.get("options") or []
        values = self._split_options(rest, options, path)
        return ParsedLine(command, path, options, values)

    @staticmethod
    def _split_options(
        text: str, options: list[dict[str, Any]], path: list[str]
    ) -> list[tuple[dict[str, Any], str]]:
        """Split ``name:value name:"quoted value"`` into (option schema, raw text) pairs."""
        by_name = {o["name"]: o for o in options}
        values: list[tuple[dict[str, Any], str]] = []
        pos = 0
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos >= len(text):
                break
            match = OPTION_NAME.match(text, pos)
            if match is None:
                raise DriverError(
                    f"/{' '.join(path)}: expected name:value at {text[pos:]!r}; "
                    f"options are: {', '.join(by_name) or 'none'}"
                )
            name = match.group(1)
            if name not in by_name:
                raise DriverError(
                    f"/{' '.join(path)} has no option {name!r}; "
                    f"options are: {', '.join(by_name) or 'none'}"
                )
            if any(o["name"] == name for o, _ in values):
                raise DriverError(f"option {name!r} given twice")
            pos = match.end()
            if pos < len(text) and text[pos] == '"':
                chars: list[str] = []
                pos += 1
                while pos < len(text) and text[pos] != '"':
                    if text[pos] == "\\" and pos + 1 < len(text):
                        pos += 1
                    chars.append(text[pos])
                    pos += 1
                if pos >= len(text):
                    raise DriverError(f"unterminated quote in option {name!r}")
                pos += 1
                if pos < len(text) and not text[pos].isspace():
                    raise DriverError(f"unexpected text after the quoted value of {name!r}")
                raw = "".join(chars)
            else:
                end = len(text)
                for nxt in re.finditer(r"\s([\w-]+):", text[pos:]):
                    if nxt.group(1) in by_name:
                        end = pos + nxt.start()
                        break
                raw = text[pos:end].strip()
                stray = re.search(r"(?:^|\s)([A-Za-z][\w-]*):(?!//)", raw)
                if stray:
                    raise DriverError(
                        f"/{' '.join(path)} has no option {stray.group(1)!r} (options are: "
                        f"{', '.join(by_name)}); quote the value of {name!r} if "
                        f"{stray.group(0).strip()!r} is meant to be part of it"
                    )
                pos = end
            values.append((by_name[name], raw))
        return values

    # ------------------------------------------------------------------ option conversion

    def _convert(
        self,
        option: dict[str, Any],
        raw: str,
        guild: Guild | None,
        resolved: dict[str, dict[str, Any]],
        *,
        validate: bool = True,
    ) -> Any:
        name, otype = option["name"], option["type"]
        choices = option.get("choices")
        if choices:
            for choice in choices:
                if choice["name"].lower() == raw.lower() or str(choice["value"]) == raw:
                    return choice["value"]
            if validate:
                listed = ", ".join(f"{c['name']!r}" for c in choices)
                raise DriverError(f"{name}: {raw!r} is not one of the choices: {listed}")
        if not validate:
            limits = ("min_length", "max_length", "min_value", "max_value", "channel_types")
            option = {k: v for k, v in option.items() if k not in limits}
        if otype == STRING:
            low, high = option.get("min_length"), option.get("max_length", 6000)
            if low is not None and len(raw) < low:
                raise DriverError(f"{name}: must be at least {low} characters")
            if high is not None and len(raw) > high:
                raise DriverError(f"{name}: must be at most {high} characters")
            return raw
        if otype in (INTEGER, NUMBER):
            try:
                number: int | float = int(raw) if otype == INTEGER else float(raw)
            except ValueError:
                kind = "a whole number" if otype == INTEGER else "a number"
                raise DriverError(f"{name}: {raw!r} is not {kind}") from None
            if option.get("min_value") is not None and number < option["min_value"]:
                raise DriverError(f"{name}: must be at least {option['min_value']}")
            if option.get("max_value") is not None and number > option["max_value"]:
                raise DriverError(f"{name}: must be at most {option['max_value']}")
            return number
        if otype == BOOLEAN:
            if raw.lower() in TRUE_WORDS:
                return True
            if raw.lower() in FALSE_WORDS:
                return False
            raise DriverError(f"{name}: {raw!r} is not true/false")
        if otype == USER:
            return str(self._resolve_user(name, raw, guild, resolved).id)
        if otype == ROLE:
            return self._resolve_role(name, raw, guild, resolved)
        if otype == MENTIONABLE:
            try:
                return self._resolve_role(name, raw, guild, resolved)
            except DriverError:
                return str(self._resolve_user(name, raw, guild, resolved).id)
        if otype == CHANNEL:
            return self._resolve_channel(option, raw, guild, resolved)
        raise DriverError(f"{name}: option type {otype} cannot be typed as text")

    def _resolve_user(
        self, name: str, raw: str, guild: Guild | None, resolved: dict[str, dict[str, Any]]
    ) -> User:
        match = re.fullmatch(r"<@!?(\d+)>|(\d+)", raw.strip())
        user: User | None
        if match:
            user = self.emu.users.get(int(match.group(1) or match.group(2)))
        else:
            wanted = raw.strip().removeprefix("@").lower()
            user = next((u for u in self.emu.users.values() if u.name.lower() == wanted), None)
        if user is None:
            raise DriverError(f"{name}: no user matches {raw!r}")
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        if guild is not None and user.id in guild.members:
            member = guild.members[user.id].payload(include_user=False)
            member["permissions"] = str(guild.permissions_of(user.id))
            resolved.setdefault("members", {})[str(user.id)] = member
        return user

    def _resolve_role(
        self, name: str, raw: str, guild: Guild | None, resolved: dict[str, dict[str, Any]]
    ) -> str:
        if guild is None:
            raise DriverError(f"{name}: roles only exist in servers")
        match = re.fullmatch(r"<@&(\d+)>|(\d+)", raw.strip())
        if match:
            role = guild.roles.get(int(match.group(1) or match.group(2)))
        else:
            wanted = raw.strip().removeprefix("@").lower()
            role = next((r for r in guild.roles.values() if r.name.lower() == wanted), None)
        if role is None:
            raise DriverError(f"{name}: no role matches {raw!r}")
        resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)

    def _resolve_channel(
        self,
        option: dict[str, Any],
        raw: str,
        guild: Guild | None,
        resolved: dict[str, dict[str, Any]],
    ) -> str:
        name = option["name"]
        if guild is None:
            raise DriverError(f"{name}: channels can only be picked in servers")
        match = re.fullmatch(r"<#(\d+)>|(\d+)", raw.strip())
        if match:
            channel = guild.channels.get(int(match.group(1) or match.group(2)))
        else:
            wanted = raw.strip().removeprefix("#").lower()
            channel = next((c for c in guild.channels.values() if c.name == wanted), None)
        if channel is None:
            raise DriverError(f"{name}: no channel matches {raw!r}")
        types = option.get("channel_types")
        if types and channel.type not in types:
            raise DriverError(f"{name}: #{channel.name} is not an allowed channel type")
        data = channel.payload(permissions=guild.permissions_of(self.emu.bot.id))
        resolved.setdefault("channels", {})[str(channel.id)] = data
        return str(channel.id)

    # ------------------------------------------------------------------ slash commands

    async def run(
        self,
        line: str,
        *,
        user: User,
        guild: Guild | None = None,
        attachments: Mapping[str, tuple[str, bytes]] | None = None,
        channel_id: int | None = None,
        timeout: float | None = None,
        validate: bool = True,
        pick_suggestions: bool = True,
    ) -> Reply:
        """Run a slash command line as ``user`` in ``guild`` (``None`` = DM with the bot).

        Example: ``await driver.run('/prospect add name:"Ada Lovelace" stage:established',
        user=alice, guild=guild)``. Files for ATTACHMENT options go in ``attachments`` as
        ``{"option": (filename, bytes)}``. Returns once the bot's answer has settled.

        ``validate=False`` skips the client-side checks (choices, lengths, min/max,
        required options) to test the bot's own validation; values are still typed.
        ``pick_suggestions=False`` acts like a member who types an autocomplete option's
        value and presses Enter without picking a suggestion: the bot gets the raw text.
        """
        self._check_member(user, guild)
        parsed = self._parse(line, guild, user)
        resolved: dict[str, dict[str, Any]] = {}
        typed: list[dict[str, Any]] = []
        for option, raw in parsed.values:
            if option["type"] == ATTACHMENT:
                raise DriverError(
                    f"{option['name']}: attach files with attachments={{{option['name']!r}: "
                    "(filename, bytes)}, not in the line"
                )
            if raw == "":
                raise DriverError(f"option {option['name']!r} has no value")
            if option.get("autocomplete") and pick_suggestions:
                value = await self._autocomplete_value(parsed, option, raw, typed, user, guild)
            elif option.get("autocomplete"):
                value = self._convert(
                    {**option, "autocomplete": False}, raw, guild, {}, validate=validate
                )
            else:
                value = self._convert(option, raw, guild, resolved, validate=validate)
            typed.append({"name": option["name"], "type": option["type"], "value": value})
        for name, (filename, content) in (attachments or {}).items():
            slot: dict[str, Any] | None = next(
                (o for o in parsed.leaf_options if o["name"] == name), None
            )
            if slot is None or slot["type"] != ATTACHMENT:
                names = [o["name"] for o in parsed.leaf_options if o["type"] == ATTACHMENT]
                raise DriverError(
                    f"/{' '.join(parsed.path)} has no attachment option {name!r}; "
                    f"attachment options: {', '.join(names) or 'none'}"
                )
            attachment = self.emu.upload_attachment(filename, content, ephemeral=True)
            resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()
            typed.append({"name": name, "type": ATTACHMENT, "value": str(attachment.id)})
        given = {o["name"] for o in typed}
        missing = [o for o in parsed.leaf_options if o.get("required") and o["name"] not in given]
        if missing and validate:
            listed = ", ".join(f"{o['name']} ({o.get('description', '')})" for o in missing)
            raise DriverError(f"/{' '.join(parsed.path)} is missing required option(s): {listed}")
        data = self._command_data(parsed, typed)
        if resolved:
            data["resolved"] = resolved
        record = self.emu.new_interaction(
            type=2, user=user, data=data, guild=guild, channel_id=channel_id
        )
        return await self._send_and_wait(record, timeout, f"/{' '.join(parsed.path)}")

    @staticmethod
    def _command_data(parsed: ParsedLine, leaf: list[dict[str, Any]]) -> dict[str, Any]:
        options: list[dict[str, Any]] = leaf
        command = parsed.command
        node_options = command.get("options") or []
        chain = []
        for name in parsed.path[1:]:
            sub = next(o for o in node_options if o["name"] == name)
            chain.append(sub)
            node_options = sub.get("options") or []
        for sub in reversed(chain):
            options = [{"name": sub["name"], "type": sub["type"], "options": options}]
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": 1,
            "options": options,
        }
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    async def _autocomplete_value(
        self,
        parsed: ParsedLine,
        option: dict[str, Any],
        raw: str,
        typed: list[dict[str, Any]],
        user: User,
        guild: Guild | None,
    ) -> Any:
        choices = await self._request_choices(parsed, option, raw, typed, user, guild)
        if not choices:
            if option["type"] == STRING:
                return raw
            return self._convert({**option, "autocomplete": False}, raw, guild, {})
        # Like a member: pick the suggestion they typed (name or value), else the first
        # suggestion containing what they typed; if none does, they submit their own text.
        typed_lower = raw.lower()
        for choice in choices:
            if str(choice.get("name", "")).lower() == typed_lower:
                return choice["value"]
        for choice in choices:
            if str(choice.get("value")).lower() == typed_lower:
                return choice["value"]
        for choice in choices:
            if typed_lower in str(choice.get("name", "")).lower():
                return choice["value"]
        if option["type"] == STRING:
            return raw
        return self._convert({**option, "autocomplete": False}, raw, guild, {})

    async def _request_choices(
        self,
        parsed: ParsedLine,
        option: dict[str, Any],
        raw: str,
        typed: list[dict[str, Any]],
        user: User,
        guild: Guild | None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        focused = {"name": option["name"], "type": option["type"], "value": raw, "focused": True}
        data = self._command_data(parsed, [*typed, focused])
        record = self.emu.new_interaction(type=4, user=user, data=data, guild=guild)
        reply = await self._send_and_wait(
            record, timeout, f"autocomplete for {option['name']!r} of /{' '.join(parsed.path)}"
        )
        return reply.choices

    async def autocomplete(
        self,
        line: str,
        *,
        user: User,
        guild: Guild | None = None,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        """Choices offered for the LAST option typed in ``line`` (e.g. ``/x view name:Ad``).

        Options with ``autocomplete`` ask the bot; options with static choices are filtered
        by prefix like the Discord client does.
        """
        self._check_member(user, guild)
        parsed = self._parse(line, guild, user)
        if not parsed.values:
            raise DriverError("type an option (name:partial text) to autocomplete")
        *before, (option, raw) = parsed.values
        if option.get("choices"):
            return [c for c in option["choices"] if c["name"].lower().startswith(raw.lower())]
        if not option.get("autocomplete"):
            raise DriverError(f"option {option['name']!r} has no autocomplete or choices")
        resolved: dict[str, dict[str, Any]] = {}
        typed = [
            {"name": o["name"], "type": o["type"], "value": self._convert(o, r, guild, resolved)}
            for o, r in before
            if not o.get("autocomplete") and r
        ]
        return await self._request_choices(parsed, option, raw, typed, user, guild, timeout)

    # ------------------------------------------------------------------ components & modals

    def _message_of(self, target: Reply | Message) -> Message:
        message = target.message if isinstance(target, Reply) else target
        if message is None:
            raise DriverError(f"{target!r} has no message to interact with")
        if message.deleted:
            raise DriverError(f"message {message.id} was deleted")
        return message

    def _context_of(self, message: Message, user: User) -> Guild | None:
        if message.ephemeral and message.interaction_user not in (None, user):
            raise DriverError(f"{user.name} cannot see that ephemeral message")
        if message.guild_id is None:
            if self.emu.dm_channel(user).id != message.channel_id:
                raise DriverError(f"that message is in someone else's DMs, not {user.name}'s")
            return None
        guild = self.emu.guilds[message.guild_id]
        self._check_member(user, guild)
        return guild

    async def click(
        self,
        target: Reply | Message,
        label: str,
        *,
        user: User,
        timeout: float | None = None,
    ) -> Reply:
        """Press the button labelled ``label`` (or with that custom_id) on a message."""
        message = self._message_of(target)
        guild = self._context_of(message, user)
        buttons = message.buttons
        button = (
            next((b for b in buttons if b["label"] == label), None)
            or next((b for b in buttons if (b["label"] or "").lower() == label.lower()), None)
            or next((b for b in buttons if b["custom_id"] == label), None)
        )
        if button is None:
            labels = ", ".join(repr(b["label"]) for b in buttons) or "no buttons"
            raise DriverError(f"no button {label!r} on message {message.id}; it has: {labels}")
        if button["disabled"]:
            raise DriverError(f"button {label!r} is disabled")
        if not button["custom_id"]:
            raise DriverError(f"button {label!r} is a link to {button['url']}, not clickable")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        record = self.emu.new_interaction(
            type=3,
            user=user,
            data=data,
            guild=guild,
            channel_id=message.channel_id,
            message=message,
        )
        return await self._send_and_wait(record, timeout, f"click on {label!r}")

    async def select(
        self,
        target: Reply | Message,
        values: Sequence[str],
        *,
        user: User,
        index: int = 0,
        timeout: float | None = None,
    ) -> Reply:
        """Pick ``values`` (option values or labels) in the ``index``-th select menu."""
        message = self._message_of(target)
        guild = self._context_of(message, user)
        selects = message.selects
        if index >= len(selects):
            raise DriverError(f"message {message.id} has {len(selects)} select menu(s)")
        menu = selects[index]
        if menu.get("disabled"):
            raise DriverError("that select menu is disabled")
        chosen: list[str] = []
        if menu.get("type", 3) == 3:
            options = menu.get("options") or []
            for wanted in values:
                opt = next(
                    (o for o in options if o["value"] == wanted or o.get("label") == wanted), None
                )
                if opt is None:
                    listed = ", ".join(repr(o.get("label")) for o in options)
                    raise DriverError(f"select has no option {wanted!r}; options: {listed}")
                chosen.append(opt["value"])
        else:
            chosen = [str(v) for v in values]
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if not low <= len(chosen) <= high:
            raise DriverError(f"select needs between {low} and {high} value(s), got {len(chosen)}")
        data: dict[str, Any] = {
            "custom_id": menu["custom_id"],
            "component_type": menu.get("type", 3),
            "values": chosen,
        }
        if menu.get("type") in (5, 7):
            resolved: dict[str, dict[str, Any]] = {}
            for value in chosen:
                self._resolve_user("values", value, guild, resolved)
            data["resolved"] = resolved
        record = self.emu.new_interaction(
            type=3,
            user=user,
            data=data,
            guild=guild,
            channel_id=message.channel_id,
            message=message,
        )
        return await self._send_and_wait(record, timeout, f"select {chosen!r}")

    async def submit_modal(
        self,
        reply: Reply,
        values: Mapping[str, str],
        *,
        user: User,
        timeout: float | None = None,
    ) -> Reply:
        """Fill in and submit the modal ``reply`` opened; keys are custom_ids or labels."""
        modal = reply.modal
        if modal is None:
            raise DriverError(f"{reply!r} did not open a modal")
        given: dict[str, str] = {}
        for key, value in values.items():
            fld = next((f for f in modal.fields if f.custom_id == key), None) or next(
                (f for f in modal.fields if (f.label or "").lower() == key.lower()), None
            )
            if fld is None:
                listed = ", ".join(f"{f.custom_id!r} ({f.label})" for f in modal.fields)
                raise DriverError(f"modal {modal.title!r} has no field {key!r}; fields: {listed}")
            given[fld.custom_id] = value
        submitted: dict[str, Any] = {}
        for fld in modal.fields:
            value = given.get(fld.custom_id, fld.value or "")
            if fld.required and not value:
                raise DriverError(f"modal field {fld.label or fld.custom_id!r} is required")
            if value and fld.min_length is not None and len(value) < fld.min_length:
                raise DriverError(f"modal field {fld.label!r} needs ≥ {fld.min_length} characters")
            if fld.max_length is not None and len(value) > fld.max_length:
                raise DriverError(f"modal field {fld.label!r} allows ≤ {fld.max_length} characters")
            if fld.type == 4:
                submitted[fld.custom_id] = {"type": 4, "custom_id": fld.custom_id, "value": value}
            else:
                chosen = [v.strip() for v in value.split(",") if v.strip()] if value else []
                submitted[fld.custom_id] = {
                    "type": fld.type,
                    "custom_id": fld.custom_id,
                    "values": chosen,
                }
        components = []
        for top in modal.raw.get("components") or []:
            if top.get("type") == 18:
                inner = top.get("component") or {}
                components.append({"type": 18, "component": submitted[inner["custom_id"]]})
            else:
                children = [
                    submitted[c["custom_id"]]
                    for c in top.get("components") or []
                    if c.get("custom_id") in submitted
                ]
                components.append({"type": 1, "components": children})
        source = reply.record
        guild = self.emu.guilds.get(source.guild_id) if source.guild_id else None
        origin = self.emu.messages.get(source.component_message_id or 0)
        record = self.emu.new_interaction(
            type=5,
            user=user,
            data={"custom_id": modal.custom_id, "components": components},
            guild=guild,
            channel_id=source.channel_id,
            message=origin,
        )
        return await self._send_and_wait(record, timeout, f"submit of modal {modal.title!r}")

    # ------------------------------------------------------------------ DMs

    async def wait_for_dms(
        self, user: User, count: int, *, timeout: float = 10, interactions: bool = True
    ) -> list[Message]:
        """Return ``user``'s DMs from the bot once there are at least ``count`` of them."""
        try:
            return await self.emu.wait_for(
                lambda: (
                    msgs
                    if len(msgs := self.emu.dms(user, interactions=interactions)) >= count
                    else None
                ),
                timeout,
            )
        except TimeoutError:
            got = self.emu.dms(user, interactions=interactions)
            raise DriverError(
                f"waited {timeout}s for {count} DM(s) to {user.name}; got {len(got)}: "
                + "; ".join(repr(m.text[:80]) for m in got)
            ) from None

    # ------------------------------------------------------------------ plumbing

    def _check_member(self, user: User, guild: Guild | None) -> None:
        if guild is not None and user.id not in guild.members:
            raise DriverError(f"{user.name} is not a member of {guild.name!r}")

    async def _send_and_wait(
        self, record: InteractionRecord, timeout: float | None, what: str
    ) -> Reply:
        # Let the bot finish handling the previous HTTP answer (e.g. store its view) first.
        for _ in range(CATCH_UP_YIELDS):
            await asyncio.sleep(0)
        timeout = self.timeout if timeout is None else timeout
        began = time.perf_counter()
        await self.emu.send_interaction(record)
        try:
            await self.emu.wait_for(lambda: record.settled or record.rejections, timeout)
        except TimeoutError:
            raise DriverError(self._timeout_message(record, timeout, what)) from None
        record.answered_in = time.perf_counter() - began
        if record.rejections and not record.settled:
            raise DriverError(f"Discord rejected the bot's answer to {what}: {record.rejections}")
        return Reply(self.emu, record)

    def _timeout_message(self, record: InteractionRecord, timeout: float, what: str) -> str:
        if not record.responses:
            arrived = "nothing — did the handler raise or never respond? (check the bot's log)"
        else:
            arrived = "; ".join(
                f"{r.kind}(type={r.type}, content={(r.content or '')[:60]!r})"
                for r in record.responses
            )
            if record.deferred:
                arrived += " — deferred but never edited @original or sent a followup"
        extra = f"; unknown routes: {self.emu.unknown_routes}" if self.emu.unknown_routes else ""
        return f"no settled answer to {what} within {timeout}s; the bot sent: {arrived}{extra}"
