"""Every command a reply suggests must run as written: the rule, and its check.

A *suggestion* is inline code that starts with a slash command (`` `/thanks draft
meeting:Ada Lovelace` ``) anywhere the bot writes: a reply, an edit, a followup, a DM,
an embed, a form. Read against the command schema the bot synced, as Discord's client
reads a typed line (`Driver.parse`), a suggestion

1. names a command and subcommand the bot has, and only options that command has, each
   once, each with a value;
2. gives every required option: `/meeting done takeaways:"…"` without its `meeting:` is
   broken. Only `/help` may name a command bare (`/meeting cancel`), as a list of what
   exists rather than something to run;
3. gives a choice option one of its choices (`outcome:accepted`, never `outcome:…`), and a
   number or true/false option a number or true/false;
4. writes `…` only for what the member alone can supply: words in a free-text option
   (`when:"…"`, `takeaways:"…"`, `name:"…"`) or a file to attach (`file:…`). An option
   that picks one of the member's records (`prospect:`, `meeting:`, `question:`) names
   the record the reply is about.

`tests/e2e/conftest.py` applies this to everything the bot showed in each end-to-end test,
and records what it checked for the run's summary line (`tests/conftest.py`).

Where the rule came from: issue 11 found `/meeting done takeaways:…` without its
`meeting:`, and `/thanks draft meeting:…` left unfilled in /progress beside filled lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.emulator.driver import ATTACHMENT, STRING, Driver, DriverError
from bot.emulator.models import message_text, walk_components
from bot.emulator.server import Emulator

# Single backticks around text that starts with "/" and a letter; not ``` fences, nor a
# backtick escaped with a backslash (member text shown literally: it starts no code).
SUGGESTION = re.compile(r"(?<![`\\])`(/[a-z][^`\n]*)`(?!`)")
PLACEHOLDERS = ("…", "...")
LISTING_COMMANDS = {"help"}  # replies that name commands to find, not to run
# The environment variable naming the folder where this run's checks are recorded.
RECORD_ENV = "SUGGESTED_COMMANDS_RECORD"


@dataclass(frozen=True)
class Seen:
    """One suggestion as the bot showed it, and the command whose answer showed it."""

    text: str
    origin: str | None  # "help", "progress"… for a slash command's answer, else None


def _component_text(components: list[dict[str, Any]] | None) -> str:
    parts: list[str] = []
    for component in walk_components(components or []):
        for key in ("label", "placeholder", "description", "value", "content"):
            value = component.get(key)
            if isinstance(value, str):
                parts.append(value)
        for option in component.get("options") or []:
            parts.extend(str(option.get(k) or "") for k in ("label", "description"))
    return "\n".join(parts)


def _text_of(data: dict[str, Any]) -> str:
    text = message_text(data.get("content"), data.get("embeds") or [])
    extra = _component_text(data.get("components"))
    return f"{text}\n{data.get('title') or ''}\n{extra}"


def _command_of(emu: Emulator, interaction_id: int | None) -> str | None:
    record = emu.interactions.get(interaction_id or 0)
    if record is None or record.type != 2:
        return None
    return str((record.payload.get("data") or {}).get("name"))


def bot_texts(emu: Emulator) -> Iterator[tuple[str, str | None]]:
    """Everything the bot wrote in this emulator, each version of each message, with the
    slash command it answered (None for DMs and component answers)."""
    for record in emu.interactions.values():
        origin = _command_of(emu, record.id)
        for response in record.responses:
            yield _text_of(response.data or {}), origin
    for message in emu.messages.values():
        if message.author.id != emu.bot.id:
            continue
        origin = _command_of(emu, message.interaction_id)
        versions = [{"content": message.content, "embeds": message.embeds}, *message.edits]
        for version in versions:
            yield _text_of({**version, "components": message.components}), origin


def seen_in(emu: Emulator) -> set[Seen]:
    """Every distinct suggestion the bot showed in this emulator."""
    return {
        Seen(match, origin) for text, origin in bot_texts(emu) for match in SUGGESTION.findall(text)
    }


def _is_placeholder(raw: str) -> bool:
    return any(mark in raw for mark in PLACEHOLDERS)


def problems(driver: Driver, seen: Seen, guild: Any = None) -> list[str]:
    """What makes the suggestion not runnable as written (see the module's rule); [] if
    nothing does."""
    try:
        parsed = driver.parse(seen.text, guild)
    except DriverError as error:
        return [str(error)]
    if not parsed.values and seen.origin in LISTING_COMMANDS:
        return []
    found: list[str] = []
    given = {option["name"] for option, _ in parsed.values}
    missing = [
        option["name"]
        for option in parsed.leaf_options
        if option.get("required") and option["name"] not in given
    ]
    if missing:
        found.append(f"required option(s) missing: {', '.join(missing)}")
    for option, raw in parsed.values:
        name = option["name"]
        if not raw:
            found.append(f"{name}: has no value")
        elif _is_placeholder(raw):
            if option.get("choices"):
                listed = ", ".join(str(c["value"]) for c in option["choices"])
                found.append(f"{name}:{raw} is a placeholder for a choice ({listed})")
            elif option.get("autocomplete"):
                found.append(f"{name}:{raw} is a placeholder for one of the member's records")
            elif option["type"] not in (STRING, ATTACHMENT):
                found.append(f"{name}:{raw} is a placeholder where a value is needed")
        else:
            try:
                driver.convert(option, raw, guild)
            except DriverError as error:
                found.append(str(error))
    return found


def check(emu: Emulator) -> tuple[set[Seen], dict[Seen, list[str]]]:
    """Every suggestion the bot showed in `emu`, and the broken ones with their problems."""
    driver = Driver(emu)
    guild = next(iter(emu.guilds.values()), None)
    seen = seen_in(emu)
    broken = {
        s: found
        for s in sorted(seen, key=lambda s: s.text)
        if (found := problems(driver, s, guild))
    }
    return seen, broken


def describe(broken: dict[Seen, list[str]]) -> str:
    """The broken suggestions, one a line, for an assertion message."""
    return "\n".join(
        f"  `{seen.text}`"
        + (f" (in /{seen.origin})" if seen.origin else "")
        + ": "
        + "; ".join(found)
        for seen, found in broken.items()
    )


def record(
    folder: Path, worker: str, test: str, seen: set[Seen], broken: dict[Seen, list[str]]
) -> None:
    """Append what one test checked to this worker's file in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    entry = {
        "test": test,
        "suggestions": sorted(s.text for s in seen),
        "broken": sorted(s.text for s in broken),
    }
    line = json.dumps(entry)
    with (folder / f"{worker}.jsonl").open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def summary(folder: Path) -> str | None:
    """One line for the end of the run: how many suggestions were checked, or None."""
    tests = 0
    total = 0
    distinct: set[str] = set()
    broken: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            entry = json.loads(line)
            tests += 1
            total += len(entry["suggestions"])
            distinct.update(entry["suggestions"])
            broken.update(entry["broken"])
    if not tests:
        return None
    verdict = (
        f"{len(broken)} not runnable as written"
        if broken
        else "each complete and runnable as written"
    )
    return (
        f"suggested commands: {total} checked in {tests} end-to-end tests "
        f"({len(distinct)} distinct): {verdict}"
    )
