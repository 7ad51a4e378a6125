"""Step 4 of the method: the thank-you.

By email or a handwritten note, within 24 hours, naming something specific the
member learned; thanking them for any referral and promising to say how it went.
Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.draft_check import count_words
from bot.domain.drafts import salutation_name
from bot.domain.models import MEDIUMS

TAKEAWAY_PLACEHOLDER = "[one specific thing you learned]"
NAME_PLACEHOLDER = "[your name]"
HANDWRITTEN_MAX_WORDS = 60  # what fits on a card
HANDWRITTEN_QUOTE_WORDS = 12  # a longer takeaway is shortened on a card

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


class ThanksGap(StrEnum):
    """A placeholder left in a thank-you, named by what the member has yet to record."""

    PROSPECT_NAME = "prospect-name"
    MEMBER_NAME = "member-name"
    TAKEAWAYS = "takeaways"


@dataclass(slots=True)
class ThanksDraft:
    """A thank-you ready to send; ``missing`` lists the placeholders left in the text."""

    text: str
    subject: str | None
    missing: list[ThanksGap]


def split_takeaways(takeaways: str | None) -> list[str]:
    """The separate points of a member's notes: one per line, bullet or semicolon
    (or sentence, for a single paragraph), without bullets or end punctuation."""
    if not takeaways or not takeaways.strip():
        return []
    parts = re.split(r"\n+|;|\s+\u2022\s+", takeaways)
    if len(parts) == 1:
        parts = re.split(r"(?<=[.!?])\s+", takeaways)
    items = []
    for part in parts:
        item = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s*", "", part).strip().rstrip(".!;,:")
        item = item.strip().strip('"\u201c\u201d').strip()
        if item:
            items.append(item)
    return items


def _shorten(text: str, words: int) -> str:
    tokens = text.split()
    if len(tokens) <= words:
        return text
    return " ".join(tokens[:words]).rstrip(",;:") + "…"


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _quoted(items: list[str]) -> str:
    return " and ".join(f"\u201c{item}\u201d" for item in items)


def _when(met_on: datetime | None, tz: ZoneInfo | None, *, with_date: bool) -> str:
    if met_on is None:
        return ""
    if met_on.tzinfo is None:
        raise ValueError("met_on must be timezone-aware")
    local = met_on.astimezone(tz) if tz else met_on
    day = _DAYS[local.weekday()]
    # English names from tables, not strftime, so the server's locale can't change them.
    return f" on {day}, {_MONTHS[local.month - 1]} {local.day}" if with_date else f" on {day}"


def _email(
    variant: int, first: str, member: str, org: str | None, items: list[str],
    referrals: list[str], when: str,
) -> str:  # fmt: skip
    # "on Tuesday, March 3, about your work": the date is an aside when both appear.
    about = f"{',' if when else ''} about your work at {org}" if org else ""
    if items:
        shown = _quoted(items[:2])
        learned = (
            f"I keep coming back to what you shared: {shown}.",
            f"Your {'points' if len(items) > 1 else 'point'} \u2014 {shown} \u2014 gave me a "
            "much clearer picture of the field.",
            f"I left with concrete next steps, especially {shown}.",
        )[variant]
    else:
        learned = (
            f"I keep coming back to what you shared: {TAKEAWAY_PLACEHOLDER}.",
            f"Your point about {TAKEAWAY_PLACEHOLDER} gave me a much clearer picture of the field.",
            f"I left with concrete next steps, especially {TAKEAWAY_PLACEHOLDER}.",
        )[variant]
    referral = ""
    if referrals:
        names = _names(referrals)
        plural = len(referrals) > 1
        referral = (
            " "
            + (
                f"Thank you also for introducing me to {names}; I'll reach out and let you know "
                "how it goes.",
                f"I'm grateful for the introduction to {names}, and I'll tell you how "
                f"{'those conversations go' if plural else 'that conversation goes'}.",
                f"Thanks as well for suggesting I talk to {names}; I'll let you know how it goes.",
            )[variant]
        )
    opening = (
        f"Dear {first},\n\nThank you for taking the time to speak with me{when}{about}.",
        f"Hi {first},\n\nThank you so much for our conversation{when}{about}.",
        f"Hi {first},\n\nI really appreciated your time and advice{when}{about}.",
    )[variant]
    closing = (
        "I'm grateful for your generosity.",
        "Thank you again for your time and advice.",
        "Thank you again for being so generous with your time.",
    )[variant]
    signoff = ("Best regards,", "Thank you,", "With gratitude,")[variant]
    return f"{opening} {learned}{referral} {closing}\n\n{signoff}\n{member}"


def _card(
    variant: int, first: str, member: str, items: list[str], referrals: list[str], when: str
) -> str:
    quote = (
        _quoted([_shorten(items[0], HANDWRITTEN_QUOTE_WORDS)]) if items else TAKEAWAY_PLACEHOLDER
    )
    learned = (
        f"I keep thinking about {quote}.",
        f"Your words, {quote}, stayed with me.",
        f"{quote[0].upper()}{quote[1:]} gave me a lot to think about."
        if items
        else f"Your point about {quote} gave me a lot to think about.",
    )[variant]
    referral = (
        f" Thank you for introducing me to {_names(referrals)}; I'll let you know how it goes."
        if referrals
        else ""
    )
    opening = (
        f"Thank you for speaking with me{when}.",
        f"Thank you for your time and advice{when}.",
        f"I truly enjoyed our conversation{when}.",
    )[variant]
    signoff = ("Warmly,", "With gratitude,", "Thank you again,")[variant]
    return f"Dear {first},\n\n{opening} {learned}{referral}\n\n{signoff}\n{member}"


def draft_thanks(
    *,
    member_name: str | None,
    prospect_name: str,
    organization: str | None,
    takeaways: str | None,
    referrals: list[str],
    medium: str = "email",
    met_on: datetime | None = None,
    tz: ZoneInfo | None = None,
    seed: int = 0,
) -> ThanksDraft:
    """Write a short, heartfelt thank-you for one meeting.

    Names the takeaways recorded for the meeting (quoted; a visible placeholder
    when there are none), thanks them for each referral by name and promises to
    say how it went. ``medium`` is "email" (with a subject) or "handwritten"
    (card-sized, about 60 words, begins "Dear …"). ``met_on`` must be
    timezone-aware; it is shown in ``tz`` when given. ``seed`` picks one of
    several wordings. Raises ValueError on a bad medium or a naive ``met_on``.
    """
    if medium not in MEDIUMS:
        raise ValueError(f"medium must be one of {', '.join(MEDIUMS)} (got {medium!r})")
    variant = seed % 3
    missing: list[ThanksGap] = []
    first = salutation_name(prospect_name) if prospect_name and prospect_name.strip() else ""
    if not first:
        first = "[their name]"
        missing.append(ThanksGap.PROSPECT_NAME)
    member = (member_name or "").strip()
    if not member:
        member = NAME_PLACEHOLDER
        missing.append(ThanksGap.MEMBER_NAME)
    items = split_takeaways(takeaways)
    if not items:
        missing.append(ThanksGap.TAKEAWAYS)
    names = [n.strip() for n in referrals if n and n.strip()]
    org = (organization or "").strip() or None

    if medium == "email":
        text = _email(variant, first, member, org, items, names, _when(met_on, tz, with_date=True))
        return ThanksDraft(text=text, subject=f"Thank you for your time, {first}", missing=missing)

    when = _when(met_on, tz, with_date=False)
    text = _card(variant, first, member, items, names, when)
    # A card has no room to spare: drop the day before anything the member wrote.
    if count_words(text) > HANDWRITTEN_MAX_WORDS and when:
        text = _card(variant, first, member, items, names, "")
    return ThanksDraft(text=text, subject=None, missing=missing)
