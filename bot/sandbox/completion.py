"""Tab completion for the sandbox: what Discord's client would offer at the cursor.

Command names, subcommands, option names and static choices come from the command
schema the bot synced; autocomplete values are asked of the bot itself, through the
driver, exactly as Discord does while a member types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.emulator.driver import ATTACHMENT, SUB_COMMAND, SUB_COMMAND_GROUP, DriverError

from .session import Session, quote

OPTION_NAME = re.compile(r"([\w-]+):")
SANDBOX_WORDS = {
    "click": "press a numbered button",
    "select": "pick numbered menu options",
    "as": "act as another member",
    "dm": "send commands in your DMs with the bot",
    "server": "send commands in the server",
    "wait": "wait for the bot's next DM",
    "reset": "delete the sandbox's data and start afresh",
    "help": "the sandbox's own words",
    "quit": "leave the sandbox",
}
BOOLEAN = 5
PATHS_SHOWN = 50


@dataclass(frozen=True)
class Suggestion:
    """Replace the last `replace` characters before the cursor with `text`."""

    text: str
    replace: int
    display: str
    meta: str = ""


@dataclass
class _Cursor:
    """Where the cursor is in the options part of a command line."""

    option: dict[str, Any] | None  # the option whose value is being typed, if any
    partial: str
    quoted: bool
    given: set[str]


def _locate(rest: str, by_name: dict[str, dict[str, Any]]) -> _Cursor | None:
    given: set[str] = set()
    pos = 0
    while True:
        while pos < len(rest) and rest[pos].isspace():
            pos += 1
        match = OPTION_NAME.match(rest, pos)
        if match is None or match.group(1) not in by_name:
            word = rest[pos:]
            if any(c.isspace() for c in word):
                return None  # stray text the driver will explain when it runs
            return _Cursor(None, word, False, given)
        option, pos = by_name[match.group(1)], match.end()
        if pos < len(rest) and rest[pos] == '"':
            close = pos + 1
            while close < len(rest) and rest[close] != '"':
                close += 2 if rest[close] == "\\" else 1
            if close >= len(rest):
                partial = re.sub(r"\\(.)", r"\1", rest[pos + 1 :])
                return _Cursor(option, partial, True, given)
            given.add(option["name"])
            pos = close + 1
            continue
        following = next(
            (
                m
                for m in re.finditer(r"\s([\w-]+):", rest[pos:])
                if m.group(1) in by_name and m.group(1) != option["name"]
            ),
            None,
        )
        if following is not None:
            given.add(option["name"])
            pos += following.start()
            continue
        value = rest[pos:]
        if value and value[-1].isspace():
            given.add(option["name"])
            return _Cursor(None, "", False, given)
        return _Cursor(option, value, False, given)


def _prefixed(names: list[str], partial: str) -> list[str]:
    return [n for n in names if n.lower().startswith(partial.lower())]


async def suggest(session: Session, text: str) -> list[Suggestion]:
    """Completions for `text` (everything before the cursor)."""
    stripped = text.lstrip()
    if not stripped.startswith("/"):
        return _sandbox_words(session, stripped)
    body = stripped[1:]
    if " " not in body:
        names = session.driver.command_names(session.guild, user=session.user, dm=session.in_dm)
        return [Suggestion(n + " ", len(body), "/" + n) for n in _prefixed(names, body)]
    commands = session.driver.visible_commands(session.guild, user=session.user)
    head, _, rest = body.partition(" ")
    command = next((c for c in commands if c["name"] == head), None)
    if command is None:
        return []
    path = [head]
    options = command.get("options") or []
    while options and options[0]["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
        word, space, after = rest.lstrip().partition(" ")
        if not space:
            return [
                Suggestion(o["name"] + " ", len(word), o["name"], o.get("description", ""))
                for o in options
                if o["name"].startswith(word)
            ]
        sub = next((o for o in options if o["name"] == word), None)
        if sub is None:
            return []
        path.append(word)
        options, rest = sub.get("options") or [], after
    by_name = {o["name"]: o for o in options}
    cursor = _locate(rest, by_name)
    if cursor is None:
        return []
    if cursor.option is None:
        left = [o for o in options if o["name"] not in cursor.given]
        left.sort(key=lambda o: not o.get("required"))
        return [
            Suggestion(
                o["name"] + ":",
                len(cursor.partial),
                o["name"] + ":",
                ("required · " if o.get("required") else "") + o.get("description", ""),
            )
            for o in left
            if o["name"].startswith(cursor.partial)
        ]
    return await _values(session, stripped, cursor)


async def _values(session: Session, line: str, cursor: _Cursor) -> list[Suggestion]:
    option = cursor.option
    assert option is not None
    replace = len(cursor.partial) + (1 if cursor.quoted else 0)
    if option["type"] == ATTACHMENT:
        return _paths(cursor.partial, replace)
    if option.get("choices"):
        names = [c["name"] for c in option["choices"]]
    elif option.get("autocomplete"):
        asked = line + ('"' if cursor.quoted else "")
        try:
            choices = await session.driver.autocomplete(
                asked, user=session.user, guild=session.guild, timeout=3
            )
        except DriverError:
            return []
        names = [str(c.get("name", c.get("value"))) for c in choices]
        return [Suggestion(quote(n) + " ", replace, n, "from the bot") for n in names]
    elif option["type"] == BOOLEAN:
        names = ["true", "false"]
    else:
        return []
    return [Suggestion(quote(n) + " ", replace, n) for n in _prefixed(names, cursor.partial)]


def _paths(partial: str, replace: int) -> list[Suggestion]:
    """Files and folders for `file:@path`, like a shell's completion of a path."""
    typed = partial.removeprefix("@")
    folder_text, _, stem = typed.rpartition("/")
    folder_text = folder_text + "/" if "/" in typed else ""
    folder = Path(folder_text or ".").expanduser()
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name.lower())
    except OSError:
        return []
    found = []
    for entry in entries:
        if not entry.name.startswith(stem) or (entry.name.startswith(".") and not stem):
            continue
        is_dir = entry.is_dir()
        path = folder_text + entry.name + ("/" if is_dir else "")
        text = "@" + (path if is_dir else quote(path) + " ")
        found.append(Suggestion(text, replace, entry.name + ("/" if is_dir else ""), "file"))
        if len(found) == PATHS_SHOWN:
            break
    return found


def _sandbox_words(session: Session, text: str) -> list[Suggestion]:
    word, space, rest = text.partition(" ")
    if not space:
        return [
            Suggestion(w + " ", len(word), w, meta)
            for w, meta in SANDBOX_WORDS.items()
            if w.startswith(word.lower())
        ] + ([Suggestion("/", len(word), "/", "a slash command")] if not word else [])
    if word.lower() == "as" and " " not in rest:
        return [Suggestion(n, len(rest), n) for n in _prefixed(session.world.names, rest)]
    return []
