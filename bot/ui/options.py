"""Slash-command options that autocomplete from the member's own records.

The value sent back is the record's id; the transformer looks it up in the
pressing member's store only, so a typed or forged id from someone else finds nothing.
A typed name resolves as `bot.domain.names.resolve` says, the same in every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from discord import app_commands
from discord.utils import format_dt

from bot.domain.models import Prospect
from bot.domain.names import comparable_name
from bot.types import AnyInteraction, bot_of
from bot.ui.limits import CHOICE_NAME, CHOICE_VALUE, CHOICES, clip
from bot.ui.naming import (
    SHOWN,
    TYPED_SHOWN,
    quoted,
    unresolved,
)
from bot.ui.render import member_code, member_text

AMBIGUOUS_SHOWN = SHOWN  # prospects listed when a typed name matches several


def prospect_label(prospect: Prospect) -> str:
    """How a prospect reads in a list of choices."""
    extra = " · ".join(part for part in (prospect.role, prospect.organization) if part)
    return clip(f"{prospect.name} — {extra}" if extra else prospect.name, CHOICE_NAME)


def _choice_label(prospect: Prospect, namesakes: bool) -> str:
    """A suggestion's label; a prospect whose name others share also shows its id, so
    no two suggestions read alike and none reads as just the name typed."""
    if not namesakes:
        return prospect_label(prospect)
    suffix = f" · id {prospect.id}"
    return clip(prospect_label(prospect), CHOICE_NAME - len(suffix)) + suffix


def choose_choice(typed: str, count: int, noun: str) -> app_commands.Choice[str] | None:
    """The first suggestion when a name typed in full belongs to several records: it
    sends the typed name itself, and the member is asked which one (so pressing Enter on
    the first suggestion never picks one of several at random). None when the typed
    text can't be a choice's value."""
    typed = " ".join(typed.split())
    if not typed or len(typed) > CHOICE_VALUE:
        return None
    label = f" — {count} {noun} match: send this to choose one"
    return app_commands.Choice(name=clip(typed, CHOICE_NAME - len(label)) + label, value=typed)


def prospect_entries(prospects: Sequence[Prospect]) -> list[tuple[str, int]]:
    """Prospects as a choice list shows them: label (made literal) and id; prospects
    that read alike also show when they were added."""
    labels = [prospect_label(p) for p in prospects]
    entries = []
    for prospect, label in zip(prospects, labels, strict=True):
        text = member_text(label)
        if labels.count(label) > 1:
            added = prospect.created_at
            text += f" · added {format_dt(added, 'd')}" if added else f" · id {prospect.id}"
        entries.append((text, prospect.id))
    return entries


class ProspectTransformer(app_commands.Transformer):
    """`prospect` options, resolved in the member's own store: an id from the
    suggestions, else a typed name as `bot.domain.names.resolve` reads it. A name
    several prospects share (or a part several contain) gets a list to choose from,
    never a guess; a name that matches nobody gets the closest few."""

    async def autocomplete(  # type: ignore[override]  # these options are strings
        self, interaction: AnyInteraction, value: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 of the member's prospects, best match first; led, when the name
        typed is several prospects' name, by a choice that asks which one."""
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            found = await store.search_prospects(value, limit=CHOICES)
            resolution = await store.resolve_prospect(value) if value.strip() else None
        names = [comparable_name(p.name) for p in found]
        choices = [
            app_commands.Choice(name=_choice_label(p, names.count(key) > 1), value=str(p.id))
            for p, key in zip(found, names, strict=True)
        ]
        if resolution is not None and resolution.exact:
            first = choose_choice(value, len(resolution.choices), "prospects")
            if first is not None:
                choices = [first, *choices][:CHOICES]
        return choices

    async def transform(self, interaction: AnyInteraction, value: Any) -> Prospect:
        """The one prospect the member meant, or a UserError saying why not."""
        text = " ".join(str(value).split())
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            if text.isascii() and text.isdigit():
                found = await store.get_prospect(int(text))
                if found is not None:
                    return found
            resolution = await store.resolve_prospect(text)
        if resolution.found is not None:
            return resolution.found
        raise unresolved(
            interaction,
            value,
            default_option="prospect",
            typed=text,
            noun="prospects",
            choices=prospect_entries(resolution.choices),
            missing=f"I can't find {quoted(text)} in your prospects.",
            suggestions=prospect_entries(resolution.suggestions),
            otherwise="If it's someone new, add them first with "
            f"`/prospect add name:{member_code(clip(text, TYPED_SHOWN))}`."
            if resolution.suggestions
            else "Start typing a name and pick one from the suggestions, or add them "
            'with `/prospect add name:"Ada Lovelace"`.',
        )


ProspectOption = app_commands.Transform[Prospect, ProspectTransformer]
