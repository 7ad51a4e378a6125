"""Slash-command options with a fixed set of choices, built from the domain's enums.

An enum parameter would have discord.py list the members by *name* (`MID_CAREER`), but
the command contract shows their values (`mid-career`), so `EnumChoices` offers each
member under its value (or a label such as "20 minutes") and hands the command the
member itself. A value that isn't one — only a forged request can send one — is
refused with the list and an example, ephemerally, and nothing changes.

Each alias below is the type of one option: `stage: StageOption | None = None`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

import discord
from discord import app_commands

from bot.domain.models import (
    MEMBER_SOURCES,
    MEMBER_VIAS,
    AskMinutes,
    BankSort,
    Category,
    Medium,
    MeetingFormat,
    MeetingRange,
    Outcome,
    OutreachVia,
    ProspectStatus,
    RequestFormat,
    Source,
    Stage,
)
from bot.types import AnyInteraction
from bot.ui.errors import UserError


class EnumChoices(app_commands.Transformer):
    """The choices of the option `option`: the members of `enum`, each shown as its value
    (or as `label(member)`), in the enum's order."""

    def __init__(
        self,
        enum: type[Enum],
        option: str,
        *,
        label: Callable[[Any], str] = str,
        only: Sequence[Enum] | None = None,
    ) -> None:
        super().__init__()
        self.enum = enum
        self.option = option
        # `only`: the members a member may pick (the rest are set by the bot itself).
        self.members: tuple[Any, ...] = tuple(enum if only is None else only)
        self._choices = [
            app_commands.Choice(name=label(member), value=member.value) for member in self.members
        ]

    @property
    def type(self) -> discord.AppCommandOptionType:
        """A string option, or an integer one for an IntEnum."""
        first = next(iter(self.enum)).value
        if isinstance(first, int):
            return discord.AppCommandOptionType.integer
        return discord.AppCommandOptionType.string

    @property
    def choices(self) -> list[app_commands.Choice[Any]]:
        """What Discord lists; a member can pick nothing else."""
        return self._choices

    async def transform(self, interaction: AnyInteraction, value: Any) -> Enum:
        """The member this value names; a forged value is refused, not stored."""
        try:
            member = self.enum(value)
            if member not in self.members:
                raise ValueError(value)
            return member
        except ValueError:
            shown = ", ".join(str(member.value) for member in self.members)
            first = self.members[0].value
            raise UserError(
                f"{self.option} must be one of: {shown} (e.g. `{self.option}:{first}`)."
            ) from None


StageOption = app_commands.Transform[Stage, EnumChoices(Stage, "stage")]
SourceOption = app_commands.Transform[Source, EnumChoices(Source, "source", only=MEMBER_SOURCES)]
StatusOption = app_commands.Transform[ProspectStatus, EnumChoices(ProspectStatus, "status")]
RequestFormatOption = app_commands.Transform[RequestFormat, EnumChoices(RequestFormat, "format")]
AskMinutesOption = app_commands.Transform[
    AskMinutes, EnumChoices(AskMinutes, "minutes", label=lambda m: f"{m.value} minutes")
]
ViaOption = app_commands.Transform[OutreachVia, EnumChoices(OutreachVia, "via", only=MEMBER_VIAS)]
OutcomeOption = app_commands.Transform[Outcome, EnumChoices(Outcome, "outcome")]
MeetingFormatOption = app_commands.Transform[MeetingFormat, EnumChoices(MeetingFormat, "format")]
RangeOption = app_commands.Transform[MeetingRange, EnumChoices(MeetingRange, "range")]
MediumOption = app_commands.Transform[Medium, EnumChoices(Medium, "medium")]
CategoryOption = app_commands.Transform[Category, EnumChoices(Category, "category")]
SortOption = app_commands.Transform[BankSort, EnumChoices(BankSort, "sort")]
