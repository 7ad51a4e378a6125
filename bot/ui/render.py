"""The domain's data as member-facing text: Discord timestamps, commands to copy, hints.

The domain says what is true (a stage nobody is at yet, a placeholder left in a draft);
this module says it in Discord's markup and names the command that helps.
"""

from __future__ import annotations

from datetime import datetime

from discord.utils import format_dt

from bot.domain.prep import Aid, ChecklistItem
from bot.domain.progress import StageFix, StageNudge
from bot.domain.thanks import ThanksGap

__all__ = [
    "checklist_line",
    "command_hint",
    "format_date_time",
    "format_relative",
    "format_when",
    "in_code",
    "stage_nudge_text",
    "thanks_gap_text",
]


def _aware(dt: datetime) -> datetime:
    # format_dt would read a naive datetime as the server's local time: refuse it.
    if dt.tzinfo is None:
        raise ValueError("dt must be timezone-aware")
    return dt


def format_when(dt: datetime) -> str:
    """A moment as each reader sees it in their own zone: full date and time, then how
    long from now ("<t:…:F> (<t:…:R>)")."""
    return f"{format_date_time(dt)} ({format_relative(dt)})"


def format_date_time(dt: datetime) -> str:
    """A moment's full date and time in each reader's zone ("<t:…:F>")."""
    return format_dt(_aware(dt), "F")


def format_relative(dt: datetime) -> str:
    """How long ago or from now a moment is, kept current by Discord ("<t:…:R>")."""
    return format_dt(_aware(dt), "R")


def in_code(text: str) -> str:
    """Text for inside inline code (a command to copy): a backtick can't end it early."""
    return text.replace("`", "\u02cb")


def command_hint(command: str) -> str:
    """A command to copy, as inline code."""
    return f"`{in_code(command)}`"


# Why the method asks for all three stages, said once wherever the nudge appears.
_WHY_STAGES = (
    "meet emerging, mid-career and established people, since each sees the field differently."
)
_SET_STAGE = "`/prospect edit prospect:… stage:…`"


def stage_nudge_text(nudge: StageNudge) -> str:
    """The career-stage nudge of /progress, with the command that fixes it."""
    if nudge.fix is StageFix.SET_ALL:
        return (
            f"None of your prospects has a career stage yet: {_WHY_STAGES} "
            f"Set them with {_SET_STAGE}."
        )
    named = " and ".join(f"**{stage}**" for stage in nudge.missing)
    tip = (
        f"Set their stage with {_SET_STAGE} ({nudge.not_set} not set)."
        if nudge.fix is StageFix.SET_SOME
        else "Add one with `/prospect add name:… stage:…`."
    )
    return f"No {named} professionals yet: {_WHY_STAGES} {tip}"


_THANKS_GAPS = {
    ThanksGap.PROSPECT_NAME: "their name — add it with /prospect edit",
    ThanksGap.MEMBER_NAME: "your name — set it with /settings profile name:…",
    ThanksGap.TAKEAWAYS: "takeaways — add them with /meeting done",
}


def thanks_gap_text(gap: ThanksGap) -> str:
    """What a placeholder left in a thank-you stands for, and the command that fills it."""
    return _THANKS_GAPS[gap]


_AIDS = {Aid.THANKS_DRAFT: "/thanks draft"}


def checklist_line(item: ChecklistItem) -> str:
    """A prep-checklist sentence, naming the command that helps before its full stop."""
    if item.aid is None:
        return item.text
    return f"{item.text.removesuffix('.')} ({_AIDS[item.aid]})."
