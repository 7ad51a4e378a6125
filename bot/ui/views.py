"""Small reusable views: a paginator, a confirm prompt and a prompt with a few choices,
all for the invoker only (`OwnedView`: the owner check and the central error path)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.types import AnyInteraction
from bot.ui.components import OwnedView
from bot.ui.limits import BUTTON_LABEL, clip
from bot.ui.respond import reply


class Paginator(OwnedView):
    """Pages of embeds with Previous / Next buttons."""

    def __init__(self, owner_id: int, pages: list[discord.Embed]) -> None:
        super().__init__(owner_id)
        self.pages = pages
        self.index = 0
        self._show_page_buttons()

    def _show_page_buttons(self) -> None:
        # Not `_refresh`: discord.py's View uses that name for its own message updates.
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def send(self, interaction: AnyInteraction) -> None:
        """Send the first page ephemerally (with buttons only when there is more than one)."""
        await reply(interaction, embed=self.pages[0], view=self if len(self.pages) > 1 else None)
        self.interaction = interaction
        if len(self.pages) <= 1:
            self.stop()

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Show the page before."""
        self.index = max(0, self.index - 1)
        self._show_page_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: AnyInteraction, _: discord.ui.Button) -> None:
        """Show the page after."""
        self.index = min(len(self.pages) - 1, self.index + 1)
        self._show_page_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


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
