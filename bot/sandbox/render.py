"""How the sandbox shows a Discord message in a terminal: as rich boxes, or as plain text.

Discord's client does three things a terminal doesn't: it turns `<t:UNIX:F>` timestamps
into the viewer's local time, `<@id>` mentions into names, and markdown into styles.
Both renderers do the first two; the rich one also styles the markdown. Buttons and
select options are numbered so a member can type `click 2` or `select 1 3`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
USER_MENTION = re.compile(r"<@!?(\d+)>")
BUTTON_STYLES = {1: "bold white on blue", 2: "white on grey30", 3: "bold white on green4"}
BUTTON_STYLES |= {4: "bold white on red3", 5: "underline blue"}
PLAIN_BAR = "│ "
# moment.js's lengths of a month and a year (its durations count 365.2425-day years).
YEAR_SECONDS = 365.2425 * 86400
MONTH_SECONDS = YEAR_SECONDS / 12


@dataclass
class Shown:
    """One message as the sandbox presents it: who sees it, its number, its saved files."""

    message: Any  # bot.emulator.models.Message
    heading: str
    number: int | None = None
    saved: list[Path] = field(default_factory=list)


@dataclass
class Context:
    """What the renderers need besides the message: names for mentions, now, the zone."""

    name_of: Callable[[int], str | None] = lambda _user_id: None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    tz: tzinfo | None = None  # None: this machine's local zone, like Discord's client


# ---------------------------------------------------------------- text


def _round(value: float) -> int:
    """Half up, as JavaScript's Math.round (Python's round() goes to even)."""
    return math.floor(value + 0.5)


def relative_phrase(seconds: float) -> str:
    """How Discord's client words a `<t:…:R>` timestamp `seconds` from now (negative:
    ago). Its client uses moment.js's `fromNow()` with the default thresholds: under 45 s
    "a few seconds", under 45 min minutes, under 22 h hours, under 26 days days, then
    months and years, each rounded half up ("in 13 hours" for 12.5 h, "in a day" for
    30 h)."""
    ahead, seconds = seconds > 0, abs(seconds)
    minutes, hours, days = _round(seconds / 60), _round(seconds / 3600), _round(seconds / 86400)
    months, years = _round(seconds / MONTH_SECONDS), _round(seconds / YEAR_SECONDS)
    if _round(seconds) < 45:
        phrase = "a few seconds"
    elif minutes <= 1:
        phrase = "a minute"
    elif minutes < 45:
        phrase = f"{minutes} minutes"
    elif hours <= 1:
        phrase = "an hour"
    elif hours < 22:
        phrase = f"{hours} hours"
    elif days <= 1:
        phrase = "a day"
    elif days < 26:
        phrase = f"{days} days"
    elif months <= 1:
        phrase = "a month"
    elif months < 11:
        phrase = f"{months} months"
    elif years <= 1:
        phrase = "a year"
    else:
        phrase = f"{years} years"
    return f"in {phrase}" if ahead else f"{phrase} ago"


def format_timestamp(unix: int, style: str | None, ctx: Context) -> str:
    """A Discord timestamp as the viewer's client shows it (local time)."""
    when = datetime.fromtimestamp(unix, UTC).astimezone(ctx.tz)
    if style == "R":
        return relative_phrase((when - ctx.now()).total_seconds())
    hm = f"{when:%H:%M}"
    formats = {
        "t": hm,
        "T": f"{when:%H:%M:%S}",
        "d": f"{when:%Y-%m-%d}",
        "D": f"{when.day} {when:%B %Y}",
        "F": f"{when:%A}, {when.day} {when:%B %Y} {hm} {when:%Z}".rstrip(),
    }
    return formats.get(style or "f", f"{when.day} {when:%B %Y} {hm} {when:%Z}".rstrip())


def resolve(text: str, ctx: Context) -> str:
    """Replace timestamps and user mentions with what a Discord client displays."""
    text = TIMESTAMP.sub(lambda m: format_timestamp(int(m.group(1)), m.group(2), ctx), text)
    return USER_MENTION.sub(lambda m: "@" + (ctx.name_of(int(m.group(1))) or "unknown-user"), text)


# Inline markdown as Discord renders it. A backslash before punctuation shows that
# character itself: that is how text a member typed is escaped (bot.ui.render.member_text).
_INLINE = re.compile(
    r"(?P<tick>`+)(?P<code>.+?)(?P=tick)"
    r"|\\(?P<escaped>[^\sA-Za-z0-9])"
    r"|\*\*(?P<bold>.+?)(?<!\\)\*\*"
    r"|__(?P<underline>.+?)(?<!\\)__"
    r"|~~(?P<strike>.+?)(?<!\\)~~"
    r"|\|\|(?P<spoiler>.+?)(?<!\\)\|\|"
    r"|\*(?![\s*])(?P<italic>.+?)(?<![\s\\])\*"
    r"|(?<![\w\\])_(?![\s_])(?P<underscored>.+?)(?<![\s\\])_(?!\w)"
    r"|\[(?P<label>[^\]\n]+)\]\(<?(?P<url>https?://[^)\s>]+)>?\)"
)
_STYLED = ("bold", "underline", "strike", "spoiler", "italic", "underscored")
RICH_STYLES = {
    "code": "cyan",
    "bold": "bold",
    "underline": "underline",
    "strike": "strike",
    "spoiler": "reverse",
    "italic": "italic",
    "underscored": "italic",
    "link": "underline blue",
}
Span = tuple[str, tuple[str, ...]]


def inline_spans(text: str, styles: tuple[str, ...] = ()) -> list[Span]:
    """One line of Discord markdown as (text, styles) pieces: the markers gone, escapes
    undone, a code span's text kept as written."""
    spans: list[Span] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            spans.append((text[pos : match.start()], styles))
        pos = match.end()
        if match.group("code") is not None:
            spans.append((match.group("code"), (*styles, "code")))
        elif match.group("escaped") is not None:
            spans.append((match.group("escaped"), styles))
        elif match.group("label") is not None:
            spans += inline_spans(match.group("label"), (*styles, "link"))
            spans.append((f" ({match.group('url')})", styles))
        else:
            kind = next(k for k in _STYLED if match.group(k) is not None)
            spans += inline_spans(match.group(kind), (*styles, kind))
    if pos < len(text):
        spans.append((text[pos:], styles))
    return spans


def _line_kind(line: str) -> tuple[str, str]:
    """What a line is in Discord's markdown, and its text without the line's marker."""
    if line.startswith("-# "):
        return "subtext", line[3:]
    heading = re.match(r"#{1,3} ", line)
    if heading:
        return "heading", line[heading.end() :]
    if line.startswith(("> ", ">>> ")):
        return "quote", line.split(" ", 1)[1]
    return "text", line


def _blocks(text: str, ctx: Context) -> list[tuple[str, str]]:
    """(kind, text) for each line after `resolve`; lines inside ``` fences are "code"
    and the fences themselves are dropped."""
    out: list[tuple[str, str]] = []
    in_code = False
    for line in resolve(text, ctx).split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        out.append(("code", line) if in_code else _line_kind(line))
    return out


def plain_line(line: str) -> str:
    """One line of inline markdown as plain text: styles dropped, a code span kept in
    backticks (it is usually a command to copy), a masked link as "label (url)"."""
    return "".join(f"`{text}`" if "code" in styles else text for text, styles in inline_spans(line))


def plain_text(text: str, ctx: Context) -> list[str]:
    """Discord markdown as plain lines: no `**`, `-#` or fences; a code block indented."""
    lines = []
    for kind, line in _blocks(text, ctx):
        if kind == "code":
            lines.append(f"    {line}")
        elif kind == "quote":
            lines.append(f"> {plain_line(line)}")
        else:
            lines.append(plain_line(line))
    return lines


def _rich_line(line: str, base: str = "") -> Text:
    out = Text(style=base)
    for text, styles in inline_spans(line):
        out.append(text, style=" ".join(RICH_STYLES[s] for s in styles))
    return out


def markdown_text(text: str, ctx: Context) -> Text:
    """Discord markdown (after `resolve`) as a rich Text; code blocks kept verbatim."""
    out = Text()
    for index, (kind, line) in enumerate(_blocks(text, ctx)):
        if index:
            out.append("\n")
        if kind == "code":
            out.append(line, style="green")
        elif kind == "subtext":
            out.append_text(_rich_line(line, "dim"))
        elif kind == "heading":
            out.append_text(_rich_line(line, "bold underline"))
        elif kind == "quote":
            out.append("▌ ", style="dim")
            out.append_text(_rich_line(line))
        else:
            out.append_text(_rich_line(line))
    out.rstrip()
    return out


# ---------------------------------------------------------------- components


def numbered_buttons(message: Any) -> list[dict[str, Any]]:
    """The message's clickable buttons (link buttons excluded), in order: number = index + 1."""
    return [b for b in message.buttons if b.get("custom_id")]


def numbered_options(message: Any) -> list[tuple[int, dict[str, Any]]]:
    """Every select option as (menu index, option), numbered across menus in order."""
    return [
        (index, option)
        for index, menu in enumerate(message.selects)
        for option in menu.get("options") or []
    ]


def is_interactive(message: Any) -> bool:
    """Whether the member can click or select anything on it."""
    return bool(numbered_buttons(message) or message.selects)


def _button_label(button: dict[str, Any]) -> str:
    emoji = (button.get("emoji") or {}).get("name") or ""
    return " ".join(p for p in (emoji, button.get("label") or "") if p) or "(no label)"


# ---------------------------------------------------------------- plain text


def _plain_embed(embed: dict[str, Any], ctx: Context) -> list[str]:
    lines: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(author)
    if embed.get("title"):
        lines.append(f"== {plain_line(resolve(embed['title'], ctx))} ==")
    if embed.get("url"):
        lines.append(embed["url"])
    if embed.get("description"):
        lines.extend(plain_text(embed["description"], ctx))
    for fld in embed.get("fields") or []:
        name = plain_line(resolve(fld.get("name", ""), ctx))
        value = plain_text(fld.get("value", ""), ctx)
        if len(value) > 1:
            lines.append(f"{name}:")
            lines.extend(f"  {v}" for v in value)
        else:
            lines.append(f"{name}: {''.join(value)}")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"-- {plain_line(resolve(footer, ctx))}")
    if embed.get("timestamp"):
        stamp = datetime.fromisoformat(embed["timestamp"])
        lines.append(format_timestamp(int(stamp.timestamp()), "f", ctx))
    return ["┌" + "─" * 40, *(PLAIN_BAR + line for line in lines), "└" + "─" * 40]


def _plain_components(message: Any) -> list[str]:
    lines: list[str] = []
    buttons = numbered_buttons(message)
    if buttons:
        labels = []
        for number, button in enumerate(buttons, 1):
            label = _button_label(button)
            labels.append(f"[{number}] {label}" + (" (disabled)" if button["disabled"] else ""))
        lines.append("buttons: " + "  ".join(labels) + "   (click N)")
    for button in message.buttons:
        if button.get("url"):
            lines.append(f"link: {_button_label(button)} → {button['url']}")
    numbered = numbered_options(message)
    for index, menu in enumerate(message.selects):
        options = [
            f"[{n}] {opt.get('label')}"
            for n, (menu_index, opt) in enumerate(numbered, 1)
            if menu_index == index
        ]
        placeholder = menu.get("placeholder") or "choose"
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        how = f"pick {low}" if low == high else f"pick {low}–{high}"
        lines.append(f"select ({placeholder}, {how}): " + "  ".join(options) + "   (select N …)")
    return lines


def render_plain(shown: Shown, ctx: Context) -> str:
    """The message as plain text (no ANSI): a heading line, then the body indented."""
    message = shown.message
    heading = shown.heading + (f" · #{shown.number}" if shown.number is not None else "")
    body: list[str] = []
    if message.content:
        body.extend(plain_text(message.content, ctx))
    for embed in message.embeds:
        body.extend(_plain_embed(embed, ctx))
    for path, (name, data) in zip(shown.saved, message.files, strict=False):
        body.append(f"file {name} ({len(data):,} bytes) saved to {path}")
    body.extend(_plain_components(message))
    if not body:
        body.append("(an empty message)")
    return "\n".join([f"{heading}:", *(f"  {line}" for line in body)])


# ---------------------------------------------------------------- rich


def _color(embed: dict[str, Any]) -> str:
    color = embed.get("color")
    return f"#{color:06x}" if isinstance(color, int) else "bright_black"


def _rich_embed(embed: dict[str, Any], ctx: Context) -> Panel:
    parts: list[RenderableType] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        parts.append(Text(author, style="bold dim"))
    if embed.get("description"):
        parts.append(markdown_text(embed["description"], ctx))
    fields = embed.get("fields") or []
    row: list[dict[str, Any]] = []

    def flush_row() -> None:
        if not row:
            return
        grid = Table.grid(padding=(0, 3))
        for _ in row:
            grid.add_column()
        grid.add_row(*(_rich_field(f, ctx) for f in row))
        parts.append(grid)
        row.clear()

    for fld in fields:
        row.append(fld)
        if not fld.get("inline") or len(row) == 3:
            flush_row()
    flush_row()
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        parts.append(_rich_line(resolve(footer, ctx), "dim"))
    title = embed.get("title")
    return Panel(
        Group(*parts) if parts else Text(""),
        title=markdown_text(title, ctx) if title else None,
        title_align="left",
        border_style=_color(embed),
        expand=False,
    )


def _rich_field(fld: dict[str, Any], ctx: Context) -> Group:
    name = _rich_line(resolve(fld.get("name", ""), ctx), "bold")
    return Group(name, markdown_text(fld.get("value", ""), ctx))


def _rich_components(message: Any) -> list[RenderableType]:
    parts: list[RenderableType] = []
    buttons = numbered_buttons(message)
    if buttons:
        line = Text()
        for number, button in enumerate(buttons, 1):
            style = "dim strike" if button["disabled"] else BUTTON_STYLES.get(button["style"], "")
            line.append(f" {number} ", style="bold reverse")
            line.append(f" {_button_label(button)} ", style=style)
            line.append("  ")
        line.append("click N", style="dim italic")
        parts.append(line)
    for button in message.buttons:
        if button.get("url"):
            parts.append(Text(f"🔗 {_button_label(button)} → {button['url']}", style="blue"))
    numbered = numbered_options(message)
    for index, menu in enumerate(message.selects):
        line = Text(f"▾ {menu.get('placeholder') or 'choose'}: ", style="bold")
        for number, (menu_index, opt) in enumerate(numbered, 1):
            if menu_index == index:
                line.append(f" {number} ", style="bold reverse")
                line.append(f" {opt.get('label')}  ")
        line.append("select N …", style="dim italic")
        parts.append(line)
    return parts


def render_rich(shown: Shown, ctx: Context) -> RenderableType:
    """The message as rich renderables: heading, content, embed boxes, files, components."""
    message = shown.message
    heading = Text(shown.heading, style="bold magenta")
    if shown.number is not None:
        heading.append(f"  #{shown.number}", style="bold yellow")
    parts: list[RenderableType] = [heading]
    if message.content:
        parts.append(markdown_text(message.content, ctx))
    parts.extend(_rich_embed(embed, ctx) for embed in message.embeds)
    for path, (name, data) in zip(shown.saved, message.files, strict=False):
        parts.append(Text(f"📎 {name} ({len(data):,} bytes) saved to {path}", style="cyan"))
    parts.extend(_rich_components(message))
    return Group(*parts)
