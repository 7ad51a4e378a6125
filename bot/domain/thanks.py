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
from bot.domain.wording import (
    DAYS,
    day_words,
    end_sentence,
    in_running_text,
    is_role,
    settle_punctuation,
    tidy,
    with_article,
)

TAKEAWAY_PLACEHOLDER = "[one specific thing you learned]"
NAME_PLACEHOLDER = "[your name]"
HANDWRITTEN_MAX_WORDS = 60  # what fits on a card
HANDWRITTEN_QUOTE_WORDS = 12  # a longer takeaway is shortened on a card
EMAIL_NOTE_WORDS = 30  # a takeaway longer than this is shortened in an email
EMAIL_MAX_WORDS = 150  # "short", "one screen length" (University of Waterloo, below)


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
        item = tidy(item.strip().strip('"\u201c\u201d'))
        if item:
            items.append(item)
    return items


def _shorten(text: str, words: int) -> str:
    tokens = text.split()
    if len(tokens) <= words:
        return text
    return " ".join(tokens[:words]).rstrip(",;:.") + "…"


def _names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _when(met_on: datetime | None, tz: ZoneInfo | None, *, with_date: bool) -> str:
    if met_on is None:
        return ""
    if met_on.tzinfo is None:
        raise ValueError("met_on must be timezone-aware")
    local = (met_on.astimezone(tz) if tz else met_on).date()
    return f" on {day_words(local)}" if with_date else f" on {DAYS[local.weekday()]}"


def _about(organization: str | None, role: str | None) -> str:
    """ "your work as a UX researcher at the Home Depot", or "" with neither field."""
    org = tidy(organization)
    role = tidy(role)
    if not is_role(role):
        role = ""
    at = f" at {in_running_text(org)}" if org and org.lower() not in role.lower() else ""
    if role:
        return f"your work as {with_article(role)}{at}"
    return f"your work{at}" if at else ""


# The takeaways are the member's own notes, so the draft says so ("One thing I noted:
# …") rather than quoting them as the other person's words or calling a fact a step.
# Career offices ask for exactly this: "mention aspects of the interview that were
# particularly helpful" (Indiana University,
# https://apps.ovpue.indiana.edu/cdc-guides/informational-interview/after); "mention one
# or more helpful points you learned" (University of Waterloo,
# https://careerhub.uwaterloo.ca/sections/Marketing/thank-you-letters.html). After a colon
# each note keeps the member's own capitals; two notes go on lines of their own, since
# one may be a fact and the other advice, which no single sentence joins well.
_ONE_NOTE = (
    "One thing I noted in particular: {}",
    "From my notes, one point stands out: {}",
    "I keep coming back to something I noted: {}",
)
_TWO_NOTES = (
    "Two things I noted in particular:",
    "From my notes, two points stand out:",
    "I keep coming back to two things I noted:",
)


def _learned(variant: int, items: list[str], note_words: int) -> str:
    if not items:
        return end_sentence(_ONE_NOTE[variant].format(TAKEAWAY_PLACEHOLDER))
    shown = [_shorten(item, note_words) for item in items[:2]]
    if len(shown) == 1:
        return end_sentence(_ONE_NOTE[variant].format(shown[0]))
    return _TWO_NOTES[variant] + "".join(f"\n- {item}" for item in shown) + "\n\n"


def _email(
    variant: int, first: str, member: str, about: str, items: list[str],
    referrals: list[str], when: str, note_words: int = EMAIL_NOTE_WORDS,
) -> str:  # fmt: skip
    # "on Tuesday, March 3, about your work": the date is an aside when both appear.
    about = f"{',' if when else ''} about {about}" if about else ""
    learned = _learned(variant, items, note_words)
    referral = ""
    if referrals:
        names = _names(referrals)
        plural = len(referrals) > 1
        referral = (
            f"Thank you also for introducing me to {names}; I'll reach out and let you know "
            "how it goes.",
            f"I'm grateful for the introduction to {names}, and I'll tell you how "
            f"{'those conversations go' if plural else 'that conversation goes'}.",
            f"Thanks as well for suggesting I talk to {names}; I'll let you know how it goes.",
        )[variant]
    opening = (
        f"Dear {first},\n\n"
        + end_sentence(f"Thank you for taking the time to speak with me{when}{about}"),
        f"Hi {first},\n\n" + end_sentence(f"Thank you so much for our conversation{when}{about}"),
        f"Hi {first},\n\n"
        + end_sentence(f"I really appreciated your time and advice{when}{about}"),
    )[variant]
    closing = (
        "I'm grateful for your generosity.",
        "Thank you again for your time and advice.",
        "Thank you again for being so generous with your time.",
    )[variant]
    signoff = ("Best regards,", "Thank you,", "With gratitude,")[variant]
    # A list of two notes ends its paragraph; the rest follows as the next one.
    body = f"{opening} {learned}"
    rest = " ".join(part for part in (referral, closing) if part)
    body = f"{body}{rest}" if body.endswith("\n") else f"{body} {rest}"
    return settle_punctuation(f"{body}\n\n{signoff}\n{member}")


def _card(
    variant: int, first: str, member: str, items: list[str], referrals: list[str], when: str,
    note_words: int = HANDWRITTEN_QUOTE_WORDS,
) -> str:  # fmt: skip
    note = _shorten(items[0], note_words) if items else TAKEAWAY_PLACEHOLDER
    learned = end_sentence(
        (
            f"One thing I noted: {note}",
            f"I keep thinking about something I noted: {note}",
            f"From my notes, this stays with me: {note}",
        )[variant]
    )
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
    return settle_punctuation(
        f"Dear {first},\n\n{opening} {learned}{referral}\n\n{signoff}\n{member}"
    )


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
    role: str | None = None,
) -> ThanksDraft:
    """Write a short, heartfelt thank-you for one meeting.

    Names the takeaways recorded for the meeting as the member's own notes ("One
    thing I noted: …"; a visible placeholder when there are none), thanks them for
    each referral by name and promises to say how it went. ``medium`` is "email"
    (with a subject, at most 150 words) or "handwritten" (card-sized, about 60 words,
    begins "Dear …"). ``met_on`` must be timezone-aware; it is shown in ``tz`` when
    given. ``role`` and ``organization`` say what their work is ("your work as a UX
    researcher at Stripe, Inc."). ``seed`` picks one of several wordings. Raises
    ValueError on a bad medium or a naive ``met_on``.
    """
    if medium not in MEDIUMS:
        raise ValueError(f"medium must be one of {', '.join(MEDIUMS)} (got {medium!r})")
    variant = seed % 3
    missing: list[ThanksGap] = []
    first = salutation_name(prospect_name) if tidy(prospect_name) else ""
    if not first:
        first = "[their name]"
        missing.append(ThanksGap.PROSPECT_NAME)
    member = tidy(member_name)
    if not member:
        member = NAME_PLACEHOLDER
        missing.append(ThanksGap.MEMBER_NAME)
    items = split_takeaways(takeaways)
    if not items:
        missing.append(ThanksGap.TAKEAWAYS)
    names = [name for name in map(tidy, referrals) if name]
    about = _about(organization, role)
    # What gives way when a draft runs long, in order: the day (on a card) or their
    # role and organisation (in an email), the surnames (yours and the referrals'), then
    # the length of each note; what the member learned and who they met stay.
    member_first = member if member == NAME_PLACEHOLDER else member.split()[0]
    first_names = [salutation_name(name) for name in names]

    if medium == "email":
        when = _when(met_on, tz, with_date=True)
        emails = (
            _email(variant, first, member, about, items, names, when),
            _email(variant, first, member, "", items, names, when),
            _email(variant, first, member_first, "", items, first_names, when),
            _email(variant, first, member_first, "", items, first_names, when, note_words=15),
        )
        text = next((t for t in emails if count_words(t) <= EMAIL_MAX_WORDS), emails[-1])
        return ThanksDraft(text=text, subject=f"Thank you for your time, {first}", missing=missing)

    when = _when(met_on, tz, with_date=False)
    cards = (
        _card(variant, first, member, items, names, when),
        _card(variant, first, member, items, names, ""),
        _card(variant, first, member_first, items, names, ""),
        _card(variant, first, member_first, items, first_names, ""),
        _card(variant, first, member_first, items, first_names, "", note_words=8),
    )
    text = next((t for t in cards if count_words(t) <= HANDWRITTEN_MAX_WORDS), cards[-1])
    return ThanksDraft(text=text, subject=None, missing=missing)
