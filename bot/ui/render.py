"""The domain's data as member-facing text: Discord timestamps, commands to copy, hints.

The domain says what is true (a stage nobody is at yet, a placeholder left in a draft);
this module says it in Discord's markup and names the command that helps. Text a member
typed or imported is shown through `member_text`, `member_code` or `member_link`, and
nowhere else made into markup.
"""

from __future__ import annotations

import re
from datetime import datetime

from discord.utils import format_dt

from bot.domain.models import Prospect
from bot.domain.prep import Aid, ChecklistItem
from bot.domain.progress import StageFix, StageNudge
from bot.domain.thanks import ThanksGap

__all__ = [
    "checklist_line",
    "command_hint",
    "format_date_time",
    "format_relative",
    "format_when",
    "member_code",
    "member_link",
    "member_text",
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


# -- text a member typed or imported ----------------------------------------------------
# Discord renders markdown, masked links ("[Verify your account](https://…)"), bare URLs
# and mentions in message content and in embed titles, descriptions and fields. A name
# from a LinkedIn export is text the member never wrote, so it must read literally.
#
# Markdown is escaped with backslashes, which Discord shows as the character itself.
# Links and mentions are broken with a zero-width space, as discord.py's escape_mentions
# breaks "@everyone": Discord links only "scheme://" written together and mentions only
# "<@…>", "<#…>" and "</…>" written together, so the text reads the same and can't be
# clicked. That holds whatever Discord's escapes do inside a URL.
_ZERO_WIDTH_SPACE = "\u200b"
# Styling anywhere in a line: bold and italic, underline, strike-through, spoiler, code,
# a masked link's brackets; and the backslash, so a member's "\" can't undo an escape.
_INLINE_MARKUP = re.compile(r"([\\*_~|`\[\]])")
# Styling from the start of a line: a quote, a header or subtext (#, -#), a list item.
_LINE_MARKUP = re.compile(r"^(\s*)([>#-])", re.MULTILINE)
_NUMBERED_ITEM = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)
# "https://…" (any scheme): Discord makes it a link.
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?=//)")
# <@user>, <@!user>, <@&role>, <#channel>, </command:id>, <:emoji:id>, <a:…>, <t:…>.
_ANGLE_MARKUP = re.compile(r"<(?=[@#/:]|[A-Za-z]+:)")
_BROADCAST = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
# A link the member gave as a link (a LinkedIn profile, a video call): shown as one.
_WHOLE_LINK = re.compile(r"https?://[^\s<>]+")


# A character every escape below needs to find (most names and titles have none).
_MARKUP_CHARS = re.compile(r"[\\*_~|`\[\]>#\-.:<@]")


def member_text(text: str) -> str:
    """Text a member typed or imported, to show literally in a message or an embed: no
    markdown of theirs applies, and nothing in it becomes a link or a mention."""
    # A list shows dozens of names and titles: one search spares most of them six.
    return _escaped(text) if _MARKUP_CHARS.search(text) else text


def _escaped(text: str) -> str:
    """member_text's escapes, all applied."""
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    text = _LINE_MARKUP.sub(r"\1\\\2", text)
    text = _NUMBERED_ITEM.sub(r"\1\\.", text)
    text = _URL_SCHEME.sub(rf"\1:{_ZERO_WIDTH_SPACE}", text)
    text = _ANGLE_MARKUP.sub(f"<{_ZERO_WIDTH_SPACE}", text)
    return _BROADCAST.sub(f"@{_ZERO_WIDTH_SPACE}", text)


def member_code(text: str) -> str:
    """Text a member typed or imported, for inside inline code (a command to copy).

    Discord renders nothing inside a code span (no markdown, link or mention, and a
    backslash shows as itself), so only what could end the span early is changed: a
    backtick becomes the look-alike "ˋ", a line break a space."""
    return " ".join(text.replace("`", "\u02cb").splitlines())


def member_link(text: str) -> str:
    """A link the member gave as one (a LinkedIn profile, a video call's address): a
    clickable link in <…>, which Discord shows without a preview. Anything else in the
    field is shown as `member_text` shows it."""
    if _WHOLE_LINK.fullmatch(text):
        return f"<{text}>"
    return member_text(text)


def command_hint(command: str) -> str:
    """A command to copy, as inline code (member text in it goes through member_code)."""
    return f"`{member_code(command)}`"


# Why the method asks for all three stages, said once wherever the nudge appears.
_WHY_STAGES = (
    "meet emerging, mid-career and established people, since each sees the field differently."
)


def stage_nudge_text(nudge: StageNudge, *, unstaged: str | None = None) -> str:
    """The career-stage nudge of /progress, with the command that fixes it written out
    in full: setting the first missing stage on `unstaged` (one of the member's prospects
    with no stage yet), or adding someone new at it."""
    first = nudge.missing[0]
    if nudge.fix is StageFix.ADD or unstaged is None:
        fix = f'Add one, e.g. `/prospect add name:"…" stage:{first}`.'
    else:
        command = f"`/prospect edit prospect:{member_code(unstaged)} stage:{first}`"
        count = "" if nudge.fix is StageFix.SET_ALL else f" ({nudge.not_set} not set)"
        fix = f"Set them as you learn them, e.g. {command}{count}."
    if nudge.fix is StageFix.SET_ALL:
        return f"None of your prospects has a career stage yet: {_WHY_STAGES} {fix}"
    named = " and ".join(f"**{missing}**" for missing in nudge.missing)
    return f"No {named} professionals yet: {_WHY_STAGES} {fix}"


def thanks_gap_text(gap: ThanksGap, *, prospect: Prospect, meeting_id: int) -> str:
    """What a placeholder left in a thank-you stands for, and the command that fills it,
    written out for this prospect and meeting (by id where there is no name to type)."""
    if gap is ThanksGap.PROSPECT_NAME:
        return f'their name — add it with `/prospect edit prospect:{prospect.id} name:"…"`'
    if gap is ThanksGap.MEMBER_NAME:
        return 'your name — set it with `/settings profile name:"…"`'
    meeting = member_code(prospect.name) if prospect.name.strip() else str(meeting_id)
    return f'takeaways — add them with `/meeting done meeting:{meeting} takeaways:"…"`'


_AIDS = {Aid.THANKS_DRAFT: "/thanks draft"}


def checklist_line(item: ChecklistItem) -> str:
    """A prep-checklist sentence, naming the command that helps before its full stop."""
    if item.aid is None:
        return item.text
    return f"{item.text.removesuffix('.')} ({_AIDS[item.aid]})."
