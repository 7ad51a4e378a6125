"""What a member reads when a typed name doesn't point at exactly one record.

`bot.domain.names.resolve` decides; this module says it: several matches → a short list,
each with the exact command to send for that one (the member's own command, the name
swapped for the record's id); nothing → "did you mean" with the closest names, or how
to add one. Every prospect and meeting option answers this way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot.ui.errors import UserError
from bot.ui.limits import CONTENT, clip
from bot.ui.render import command_hint, member_text

SHOWN = 5  # records listed when a typed name matches several
TYPED_SHOWN = 80  # characters of the member's typed name quoted back

# Discord's option types that nest other options: a subcommand and its group.
_NESTING = (1, 2)


def quoted(typed: str) -> str:
    """The member's typed name, quoted back literally (no markdown of theirs applies)."""
    return f'"{member_text(clip(" ".join(typed.split()), TYPED_SHOWN))}"'


def _leaf_options(data: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The command's path below its name and the options the member filled in."""
    path: list[str] = []
    options = list(data.get("options") or [])
    while len(options) == 1 and options[0].get("type") in _NESTING:
        path.append(options[0]["name"])
        options = list(options[0].get("options") or [])
    return path, options


def _option_text(name: str, value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if text == "" or any(char.isspace() or char == '"' for char in text):
        text = '"' + text.replace('"', "'") + '"'
    return f"{name}:{text}"


def typed_option(interaction: discord.Interaction[Any], value: Any, default: str) -> str:
    """Which option of the command carried `value` (the transformer isn't told its
    option's name): the one named `default` when it holds that value, else the first
    that does, else `default`."""
    _, options = _leaf_options(interaction.data or {})
    holding = [o["name"] for o in options if str(o.get("value")) == str(value)]
    return default if default in holding or not holding else holding[0]


def command_line(
    interaction: discord.Interaction[Any], option: str, value: str, *, others: bool = True
) -> str:
    """The command the member sent, written as they would type it, with `option` set to
    `value`; with only the other options it requires when `others` is false (so it still
    runs as written)."""
    data: Mapping[str, Any] = interaction.data or {}
    path, options = _leaf_options(data)
    parameters = getattr(interaction.command, "parameters", None) or []
    required = {p.display_name for p in parameters if p.required}
    words = [f"/{' '.join([str(data.get('name', '')), *path])}", f"{option}:{value}"]
    words += [
        _option_text(o["name"], o.get("value", ""))
        for o in options
        if o["name"] != option
        and o.get("type") != 11  # attachments can't be typed
        and (others or o["name"] in required)
    ]
    return " ".join(words)


def _listed(
    interaction: discord.Interaction[Any],
    option: str,
    entries: Sequence[tuple[str, int]],
    intro: str,
    outro: str,
) -> str:
    """`intro`, then one line per (label, id) with the command that picks it, then
    `outro`. The member's other options are repeated in each command when they fit in
    one message; otherwise the commands are shortened and the text says so."""
    for others in (True, False):
        lines = [
            f"• {label} — "
            + command_hint(command_line(interaction, option, str(id_), others=others))
            for label, id_ in entries
        ]
        note = "" if others else "\n-# Add the other options you gave, as before."
        text = "\n".join([intro, *lines]) + note + (f"\n{outro}" if outro else "")
        if len(text) <= CONTENT:
            return text
    return clip(text, CONTENT)


def which_one_text(
    interaction: discord.Interaction[Any],
    *,
    typed: str,
    option: str,
    noun: str,
    entries: Sequence[tuple[str, int]],
) -> str:
    """Several records match a typed name: which one? Each listed with its command.
    `noun` names the records in the plural ("prospects", "meetings"); `entries` are
    (label already made literal, id), in the order to show."""
    shown = entries[:SHOWN]
    more = len(entries) - len(shown)
    outro = (
        f"…and {more} more: type more of the name, or pick one from the suggestions as you type."
        if more > 0
        else "Or pick one from the suggestions as you type."
    )
    return _listed(
        interaction,
        option,
        shown,
        f"{quoted(typed)} matches {len(entries)} of your {noun}. Which one did you mean? "
        "Send the command again for that one:",
        outro,
    )


def not_found_text(
    interaction: discord.Interaction[Any],
    *,
    typed: str,
    option: str,
    missing: str,
    suggestions: Sequence[tuple[str, int]],
    otherwise: str,
) -> str:
    """Nothing matches a typed name: `missing` says so; the closest names follow as
    "did you mean", each with its command; `otherwise` says what else to do."""
    if not suggestions:
        return f"{missing} {otherwise}"
    return _listed(interaction, option, suggestions[:SHOWN], f"{missing} Did you mean:", otherwise)


def unresolved(
    interaction: discord.Interaction[Any],
    value: Any,
    *,
    default_option: str,
    typed: str,
    noun: str,
    choices: Sequence[tuple[str, int]],
    missing: str,
    suggestions: Sequence[tuple[str, int]],
    otherwise: str,
) -> UserError:
    """The refusal for a typed name that isn't exactly one of the member's records: which
    one, when several match (`choices`), else did-you-mean (`suggestions`) or `otherwise`.
    Prospect and meeting options both answer with it."""
    option = typed_option(interaction, value, default_option)
    if choices:
        return UserError(
            which_one_text(interaction, typed=typed, option=option, noun=noun, entries=choices)
        )
    return UserError(
        not_found_text(
            interaction,
            typed=typed,
            option=option,
            missing=missing,
            suggestions=suggestions,
            otherwise=otherwise,
        )
    )
