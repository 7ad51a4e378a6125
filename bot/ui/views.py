"""Small reusable views: a paginator, a confirm prompt and a prompt with a few choices,
all for the invoker only (`OwnedView`: the owner check and the central error path)."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import discord

from bot.types import AnyInteraction
from bot.ui.components import OwnedView
from bot.ui.embeds import make_embed
from bot.ui.limits import BUTTON_LABEL, clip
from bot.ui.respond import reply

# A page of a list holds PER_PAGE entries within PAGE_CHARS (as bot.ui.embeds.paginate's).
PER_PAGE = 8
PAGE_CHARS = 3500


class PageSource(Protocol):
    """Pages made one at a time, when shown."""

    async def page(self, index: int) -> tuple[discord.Embed, int]:
        """Page `index` (0-based; past the end, the last page) and how many there are."""
        ...


class _Built:
    """Pages already made (a short list)."""

    def __init__(self, pages: Sequence[discord.Embed]) -> None:
        self.pages = pages

    async def page(self, index: int) -> tuple[discord.Embed, int]:
        return self.pages[min(index, len(self.pages) - 1)], len(self.pages)


class ListPages:
    """A long list read and rendered only a page at a time, as it is shown: a member's
    500 prospects cost one page's query and eight lines, not 500.

    `fetch(offset, limit)` returns how many entries there are now and the lines of that
    slice; `title(total)` the list's title. A page asked for past the end (the list
    shrank since the last press) shows the last page."""

    def __init__(
        self,
        title: Callable[[int], str],
        fetch: Callable[[int, int], Awaitable[tuple[int, list[str]]]],
        *,
        empty: str,
        per_page: int = PER_PAGE,
    ) -> None:
        self.title = title
        self.fetch = fetch
        self.empty = empty
        self.per_page = per_page

    async def page(self, index: int) -> tuple[discord.Embed, int]:
        """Page `index` of the list as it is now, and how many pages it has."""
        total, lines = await self.fetch(index * self.per_page, self.per_page)
        count = max(1, math.ceil(total / self.per_page))
        if not lines and total:
            index = count - 1
            total, lines = await self.fetch(index * self.per_page, self.per_page)
            count = max(1, math.ceil(total / self.per_page))
        if not lines:
            return make_embed(self.title(total), self.empty), 1
        # Each entry gets its share of the page, so a page never needs splitting.
        share = PAGE_CHARS // self.per_page - 2
        footer = f"Page {min(index, count - 1) + 1} of {count}" if count > 1 else None
        body = "\n\n".join(clip(line, share) for line in lines)
        return make_embed(self.title(total), body, footer=footer), count


class Paginator(OwnedView):
    """Pages of embeds with Previous / Next buttons: a list of them, or a PageSource that
    makes each page when it is shown."""

    def __init__(self, owner_id: int, pages: Sequence[discord.Embed] | PageSource) -> None:
        super().__init__(owner_id)
        self.source: PageSource = _Built(pages) if isinstance(pages, Sequence) else pages
        self.index = 0
        self.count = 1

    def _show_page_buttons(self) -> None:
        # Not `_refresh`: discord.py's View uses that name for its own message updates.
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= self.count - 1

    async def _turn_to(self, index: int) -> discord.Embed:
        embed, self.count = await self.source.page(max(0, index))
        self.index = min(max(0, index), self.count - 1)
        self._show_page_buttons()
        return embed

    async def send(self, interaction: AnyInteraction) -> None:
        """Send the first page ephemerally (with buttons only when there is more than one)."""
        embed = await self._turn_to(0)
        await reply(interaction, embed=embed, view=self if self.count > 1 else None)
        self.interaction = interaction
        if self.count <= 1:
            self.stop()

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Show the page before."""
        embed = await self._turn_to(self.index - 1)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Show the page after."""
        embed = await self._turn_to(self.index + 1)
        await interaction.response.edit_message(embed=embed, view=self)


class Confirm(OwnedView):
    """Asks the owner to confirm a destructive action; `value` is True, False or None."""

    def __init__(self, owner_id: int, *, confirm_label: str = "Confirm") -> None:
        super().__init__(owner_id, timeout=120)
        self.value: bool | None = None
        self.confirm.label = confirm_label
        self.result_interaction: AnyInteraction | None = None

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Go ahead."""
        self.value = True
        self.result_interaction = interaction
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Leave everything as it is."""
        self.value = False
        self.result_interaction = interaction
        self.stop()


async def ask_to_confirm(
    interaction: AnyInteraction,
    question: str,
    *,
    confirm_label: str,
    kept: str,
) -> AnyInteraction | None:
    """Ask the invoker, ephemerally, to confirm a destructive action.

    Returns the button press to answer when confirmed; on Cancel or time-out the prompt
    is edited to `kept` (e.g. "Ada stays.") and None is returned: nothing may change.
    """
    view = Confirm(interaction.user.id, confirm_label=confirm_label)
    await interaction.response.send_message(
        question, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )
    view.interaction = interaction
    await view.wait()
    if view.value and view.result_interaction is not None:
        return view.result_interaction
    if view.result_interaction is not None:
        await view.result_interaction.response.edit_message(content=f"Kept. {kept}", view=None)
    else:
        await interaction.edit_original_response(
            content=f"No answer, so nothing changed. {kept}", view=None
        )
    return None


class _ChoiceButton(discord.ui.Button["Choices"]):
    """One way to go on (`index`), or Cancel (None)."""

    def __init__(self, label: str, style: discord.ButtonStyle, index: int | None) -> None:
        super().__init__(label=clip(label, BUTTON_LABEL), style=style)
        self.index = index

    async def callback(self, interaction: AnyInteraction) -> None:
        """Remember the answer; `ask_to_choose` responds to it."""
        assert self.view is not None
        self.view.chosen = self.index
        self.view.result_interaction = interaction
        self.view.stop()


class Choices(OwnedView):
    """A few buttons, one per way to go on (the first suggested), then Cancel; `chosen`
    is the index pressed (None: Cancel, or no answer)."""

    def __init__(self, owner_id: int, labels: Sequence[str]) -> None:
        super().__init__(owner_id, timeout=120)
        self.chosen: int | None = None
        self.result_interaction: AnyInteraction | None = None
        for index, label in enumerate(labels):
            style = discord.ButtonStyle.primary if index == 0 else discord.ButtonStyle.secondary
            self.add_item(_ChoiceButton(label, style, index))
        self.add_item(_ChoiceButton("Cancel", discord.ButtonStyle.secondary, None))


async def ask_to_choose(
    interaction: AnyInteraction,
    question: str,
    labels: Sequence[str],
    *,
    kept: str,
) -> tuple[int, AnyInteraction] | None:
    """Ask the invoker, ephemerally, which way to go on: one button per label, then
    Cancel. Nothing should be stored before the answer.

    Returns the index chosen and the press to answer; on Cancel or time-out the prompt
    is edited to `kept` (e.g. "Nothing was scheduled.") and None is returned.
    """
    view = Choices(interaction.user.id, labels)
    await interaction.response.send_message(
        question, view=view, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )
    view.interaction = interaction
    await view.wait()
    if view.chosen is not None and view.result_interaction is not None:
        return view.chosen, view.result_interaction
    if view.result_interaction is not None:
        await view.result_interaction.response.edit_message(content=kept, view=None)
    else:
        await interaction.edit_original_response(
            content=f"No answer, so nothing changed. {kept}", view=None
        )
    return None
