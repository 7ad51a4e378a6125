"""The bases every button, select and modal of the bot is built on: one owner check and
one error path.

A press by anyone but the member a component was made for gets an ephemeral refusal and
changes nothing; any exception ends in `bot.ui.errors.report_error` (a UserError's own
message, else "Something went wrong… nothing was changed" with the traceback logged),
never in discord.py's logger alone, which leaves the member with "This interaction
failed".

discord.py 2.7 routes a View's exceptions to `View.on_error` and a Modal's to
`Modal.on_error`, but not a persistent `DynamicItem`'s: `ViewStore.schedule_dynamic_item_call`
only logs an exception from its callback, and takes one from its `interaction_check` as
a silent "no". So `GuardedItem` runs both inside the handler itself, and its subclasses
write `on_press` instead of `callback`.
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

import discord

from bot.types import AnyInteraction
from bot.ui.errors import report_error, send_ephemeral

PAGE_TIMEOUT = 600  # ephemeral messages can be edited for 15 minutes
# A form left open this long is forgotten (discord.py would keep a dismissed one forever).
MODAL_TIMEOUT = 1800
NOT_YOURS = "These buttons belong to someone else's command; pressing them changes nothing."

ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])


class GuardedView(discord.ui.View):
    """A view whose owner alone may press it (anyone, when `owner_id` is None), and whose
    items' exceptions all go to the central handler."""

    refusal = NOT_YOURS

    def __init__(self, owner_id: int | None, *, timeout: float | None = PAGE_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: AnyInteraction) -> bool:
        """Refuse anyone but the owner, with a word why."""
        if self.owner_id is None or interaction.user.id == self.owner_id:
            return True
        await send_ephemeral(interaction, self.refusal)
        return False

    async def on_error(
        self, interaction: AnyInteraction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Every exception of a press (or of the check) ends in the central handler."""
        custom_id = getattr(item, "custom_id", None)
        await report_error(interaction, error, source=f"{type(self).__name__} item {custom_id!r}")


class OwnedView(GuardedView):
    """A view for the member who ran the command; its buttons are disabled when it times
    out, so a stale press can't do anything."""

    def __init__(self, owner_id: int, *, timeout: float | None = PAGE_TIMEOUT) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.interaction: AnyInteraction | None = None

    async def on_timeout(self) -> None:
        """Disable every button and, when the message is known, show it so."""
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.interaction is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.edit_original_response(view=self)


class PersistentView(GuardedView):
    """The holder of persistent `GuardedItem`s (DM reminders' buttons, the bank's votes):
    no time-out, and nothing else, since each item carries its own owner and error path
    and is answered by pattern, also after a restart.

    Stopped from the start: discord.py needn't listen to the view of each message, since
    a press reaches the item by its custom_id's pattern (each cog registers its items
    with `add_dynamic_items`). Otherwise discord.py gives a view sent in an ephemeral
    answer a 15-minute time-out, and keeps it, its items and a sleeping task alive
    for that long, for nothing: a /meeting prep sheet's 25 choices each time.
    """

    def __init__(self, *items: GuardedItem[Any]) -> None:
        super().__init__(None, timeout=None)
        for item in items:
            self.add_item(item)
        self.stop()

    def add_item(self, item: discord.ui.Item[Any]) -> PersistentView:
        """Add a persistent item; anything else would lose its guard after a restart."""
        if not isinstance(item, GuardedItem):
            raise TypeError(f"a PersistentView holds GuardedItems only, not {item!r}")
        super().add_item(item)
        return self


class GuardedItem(discord.ui.DynamicItem[ItemT], template=r"(?!)"):
    """A persistent button or select (a DynamicItem whose custom_id carries its state).

    `owner_id` (None: anyone may press, e.g. the bank's public vote buttons) is checked
    before `on_press`; a refusal is ephemeral and changes nothing. An exception in either
    goes to the central handler. Subclasses give a `template` and write `on_press`; the
    base's own template matches nothing, as it is never registered.
    """

    owner_id: int | None = None
    refusal = NOT_YOURS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "callback" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: write on_press; callback is the error path")

    async def interaction_check(self, interaction: AnyInteraction) -> bool:
        """Only the owner goes on to `on_press`; anyone else is told so."""
        try:
            if self.owner_id is None or interaction.user.id == self.owner_id:
                return True
            await send_ephemeral(interaction, self.refusal)
        except Exception as error:
            await report_error(interaction, error, source=f"check of {self.custom_id!r}")
        return False

    async def callback(self, interaction: AnyInteraction) -> None:
        """Run `on_press`; any exception becomes the central handler's answer."""
        try:
            await self.on_press(interaction)
        except Exception as error:
            await report_error(interaction, error, source=f"press of {self.custom_id!r}")

    async def on_press(self, interaction: AnyInteraction) -> None:
        """What the press does (subclasses)."""
        raise NotImplementedError


class GuardedModal(discord.ui.Modal):
    """A modal only its owner may submit, whose exceptions go to the central handler.

    Give it a custom_id naming the owner: discord.py keys open modals by custom_id
    alone, so two members' modals with one custom_id would replace each other.
    """

    refusal = "This form belongs to someone else; submitting it changes nothing."

    def __init__(self, owner_id: int, *, title: str, custom_id: str) -> None:
        super().__init__(title=title, custom_id=custom_id, timeout=MODAL_TIMEOUT)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: AnyInteraction) -> bool:
        """Refuse a submission by anyone but the owner."""
        if interaction.user.id == self.owner_id:
            return True
        await send_ephemeral(interaction, self.refusal)
        return False

    async def on_error(
        self,
        interaction: AnyInteraction,
        error: Exception,
        item: discord.ui.Item[Any] | None = None,
        /,
    ) -> None:
        """Every exception of a submission ends in the central handler. The answer closes
        the form, so it is forgotten too (the button opens a fresh one). (discord.py calls
        a Modal's on_error without `item`; its base class's signature has one.)"""
        await report_error(interaction, error, source=f"modal {self.custom_id!r}")
        self.stop()
