"""Embeds built by pure functions, clipped to Discord's limits here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.ui import limits
from bot.ui.limits import clip

BRAND = discord.Colour(0x2B8A3E)
WARN = discord.Colour(0xE8590C)


def make_embed(
    title: str,
    description: str | None = None,
    *,
    fields: Iterable[tuple[str, str]] = (),
    footer: str | None = None,
    colour: discord.Colour = BRAND,
    inline: bool = False,
) -> discord.Embed:
    """An embed whose every part fits Discord's limits, including the 6,000 total."""
    embed = discord.Embed(
        title=clip(title, limits.EMBED_TITLE),
        description=clip(description, limits.EMBED_DESCRIPTION) or None,
        colour=colour,
    )
    budget = limits.EMBED_TOTAL - len(embed.title or "") - len(embed.description or "")
    if footer:
        footer = clip(footer, limits.FOOTER)
        budget -= len(footer)
    for name, value in list(fields)[: limits.EMBED_FIELDS]:
        name = clip(name, limits.FIELD_NAME) or "\u200b"
        value = clip(value, limits.FIELD_VALUE) or "—"
        if len(name) + len(value) > budget:
            break
        budget -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=inline)
    if footer:
        embed.set_footer(text=footer)
    return embed


def paginate(
    title: str,
    entries: Sequence[str],
    *,
    per_page: int = 8,
    empty: str = "Nothing here yet.",
    footer: str | None = None,
) -> list[discord.Embed]:
    """Entries split into pages of embeds, each page's description within limits."""
    if not entries:
        return [make_embed(title, empty, footer=footer)]
    pages: list[list[str]] = [[]]
    size = 0
    for entry in entries:
        entry = clip(entry, 1000)
        if len(pages[-1]) >= per_page or size + len(entry) + 2 > 3500:
            pages.append([])
            size = 0
        pages[-1].append(entry)
        size += len(entry) + 2
    total = len(pages)
    return [
        make_embed(
            title,
            "\n\n".join(page),
            footer=" · ".join(
                part for part in (f"Page {n} of {total}" if total > 1 else None, footer) if part
            )
            or None,
        )
        for n, page in enumerate(pages, start=1)
    ]
