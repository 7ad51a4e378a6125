"""Reading a message as Discord renders it: which links and mentions a member could click.

A small reader of Discord's markdown, enough to tell what the bot's text turns into: a
backslash before punctuation shows that character (and it starts nothing); inline code
and code blocks show their text as written; outside them, `[text](https://…)` is a
masked link, `https://…` and `<https://…>` are links, and `<@id>`, `<@!id>`, `<@&id>`,
`<#id>`, `</command:id>`, `@everyone` and `@here` are mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Stands for a character whose meaning an escape took away, or for a code span's text.
_INERT = "\x00"
# As Discord reads a URL: it doesn't end in punctuation that usually closes a sentence.
_URL = r"https?://[^\s<>\x00]*[^\s<>\x00.,:;\"')\]]"
_MASKED_LINK = re.compile(r"\[[^\[\]\n]*\]\(\s*<?(" + _URL + r")")
_ANGLE_LINK = re.compile(r"<(" + _URL + r")>")
_LINK = re.compile(_URL)
_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|</[^<>:\s]+:\d+>|@everyone|@here")


def _outside_code(text: str) -> str:
    """The text with escapes and code spans resolved to inert characters, so only
    what Discord would read as markup is left as markup."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and not text[i + 1].isalnum():
            out.append(_INERT)
            i += 2
            continue
        if char == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            fence = "`" * (3 if run >= 3 else run)
            end = text.find(fence, i + len(fence))
            if end != -1:
                out.append(_INERT)
                i = end + len(fence)
                continue
        out.append(char)
        i += 1
    return "".join(out)


def clickable(text: str) -> list[str]:
    """The links (their URLs) and mentions a reader could click in `text` as Discord
    renders it in a message or an embed."""
    plain = _outside_code(text)
    wrapped = [*_MASKED_LINK.finditer(plain), *_ANGLE_LINK.finditer(plain)]
    found = [m.group(1) for m in wrapped]
    # Any other URL is a link of its own.
    found += [
        m.group(0)
        for m in _LINK.finditer(plain)
        if not any(w.start(1) == m.start() for w in wrapped)
    ]
    found += [m.group(0) for m in _MENTION.finditer(plain)]
    return found


def masked_links(text: str) -> list[str]:
    """The `[text](url)` masked links in `text` as Discord renders it."""
    return [m.group(1) for m in _MASKED_LINK.finditer(_outside_code(text))]


def rendered_parts(payload: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Every part of a message Discord renders as text, as (where, text): the content and
    each embed's title, description, field names and values, footer and author."""
    if payload.get("content"):
        yield "content", payload["content"]
    for n, embed in enumerate(payload.get("embeds") or []):
        for key in ("title", "description"):
            if embed.get(key):
                yield f"embed {n} {key}", embed[key]
        for field in embed.get("fields") or []:
            yield f"embed {n} field name", field.get("name") or ""
            yield f"embed {n} field value", field.get("value") or ""
        for key in ("footer", "author"):
            part = embed.get(key) or {}
            if part.get("text") or part.get("name"):
                yield f"embed {n} {key}", part.get("text") or part.get("name")


def sent_parts(requests: Iterable[Any]) -> Iterable[tuple[str, str]]:
    """Every rendered part of every message the bot sent or edited, from the emulator's
    request log (`emu.requests`): interaction answers, followups, DMs and edits alike.
    Autocomplete choices, modals and button labels are plain text and not included."""
    for entry in requests:
        body = entry.json
        if not isinstance(body, dict):
            continue
        if "type" in body and isinstance(body.get("data"), dict):
            body = body["data"]  # an interaction's answer: {type, data}
        for where, text in rendered_parts(body):
            yield f"{entry.method} {entry.path} {where}", text
