"""How the sandbox shows a Discord message in a terminal: as rich boxes, or as plain text.

Discord's client does three things a terminal doesn't: it turns `<t:UNIX:F>` timestamps
into the viewer's local time, `<@id>` mentions into names, and markdown into styles.
Both renderers do the first two; the rich one also styles the markdown. Buttons and
select options are numbered so a member can type `click 2` or `select 1 3`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
USER_MENTION = re.compile(r"<@!?(\d+)>")
BUTTON_STYLES = {1: "bold white on blue", 2: "white on grey30", 3: "bold white on green4"}
BUTTON_STYLES |= {4: "bold white on red3", 5: "underline blue"}
PLAIN_BAR = "│ "


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


def _relative(seconds: float) -> str:
    ahead, seconds = seconds > 0, abs(seconds)
    units = (
        ("year", 365 * 86400),
        ("month", 30 * 86400),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    )
    if seconds < 45:
        phrase = "a few seconds"
    else:
        phrase = ""
        for name, size in units:
            count = round(seconds / size)
            if count >= 1:
                phrase = f"{count} {name}{'s' if count != 1 else ''}"
                break
    return f"in {phrase}" if ahead else f"{phrase} ago"


def format_timestamp(unix: int, style: str | None, ctx: Context) -> str:
    """A Discord timestamp as the viewer's client shows it (local time)."""
    when = datetime.fromtimestamp(unix, UTC).astimezone(ctx.tz)
    if style == "R":
        return _relative((when - ctx.now()).total_seconds())
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


def _markup_line(line: str) -> str:
    """One line of Discord markdown as rich markup (bold, italics, code, subtext)."""
    subtext = line.startswith("-# ")
    heading = re.match(r"#{1,3} ", line)
    if subtext:
        line = line[3:]
    elif heading:
        line = line[heading.end() :]
    line = escape(line)
    line = re.sub(r"`([^`]+)`", r"[cyan]\1[/cyan]", line)
    line = re.sub(r"\*\*(.+?)\*\*", r"[bold]\1[/bold]", line)
    line = re.sub(r"__(.+?)__", r"[underline]\1[/underline]", line)
    line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"[italic]\1[/italic]", line)
    line = re.sub(r"~~(.+?)~~", r"[strike]\1[/strike]", line)
    line = re.sub(r"^&gt; |^> ", "[dim]▌[/dim] ", line)
    if subtext:
        return f"[dim]{line}[/dim]"
    if heading:
        return f"[bold underline]{line}[/bold underline]"
    return line


def markdown_text(text: str, ctx: Context) -> Text:
    """Discord markdown (after `resolve`) as a rich Text; code blocks kept verbatim."""
    out = Text()
    in_code = False
    for index, line in enumerate(resolve(text, ctx).split("\n")):
        if index:
            out.append("\n")
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append(line, style="green")
        else:
            out.append_text(Text.from_markup(_markup_line(line)))
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
        lines.append(f"== {resolve(embed['title'], ctx)} ==")
    if embed.get("url"):
        lines.append(embed["url"])
    if embed.get("description"):
        lines.extend(resolve(embed["description"], ctx).split("\n"))
    for fld in embed.get("fields") or []:
        name, value = resolve(fld.get("name", ""), ctx), resolve(fld.get("value", ""), ctx)
        if "\n" in value:
            lines.append(f"{name}:")
            lines.extend(f"  {v}" for v in value.split("\n"))
        else:
            lines.append(f"{name}: {value}")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"-- {resolve(footer, ctx)}")
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
        body.extend(resolve(message.content, ctx).split("\n"))
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
        parts.append(Text(resolve(footer, ctx), style="dim"))
    title = embed.get("title")
    return Panel(
        Group(*parts) if parts else Text(""),
        title=markdown_text(title, ctx) if title else None,
        title_align="left",
        border_style=_color(embed),
        expand=False,
    )


def _rich_field(fld: dict[str, Any], ctx: Context) -> Group:
    name = Text.from_markup(_markup_line(resolve(fld.get("name", ""), ctx)), style="bold")
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
