"""After the thank-you: keeping in touch, and telling the referrer how it went.

Career offices ask members to stay in touch with the people they met, every few months,
with an update on what they did with the advice: "Stay in touch with all your contacts
every few months to update them on your status" (Santa Clara University,
http://www.scu.edu/careercenter/students/prepare/iin/maintainconnection.cfm); "Keep them
informed of your progress and any action you have taken based on their advice. If they
referred you to someone who was also helpful [...] let them know that" (Yale,
https://postdocs.yale.edu/book/export/html/741). PRODUCT.md sets the first check-in at
about six weeks after the thank-you; the member can change it or turn it off.

When each nudge falls due, and the short notes the bot drafts for them. Pure functions:
no Discord, no storage, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.drafts import salutation_name
from bot.domain.thanks import NAME_PLACEHOLDER, split_takeaways
from bot.domain.wording import elapsed_since, end_sentence, settle_punctuation, tidy

__all__ = [
    "CHECKIN_WEEKS_DEFAULT",
    "CHECKIN_WEEKS_MAX",
    "REFERRER_AFTER",
    "TOUCH_SNOOZE",
    "UPDATE_PLACEHOLDER",
    "TouchDraft",
    "TouchGap",
    "checkin_due",
    "draft_checkin",
    "draft_referrer_update",
    "referrer_due",
    "touch_snooze_due",
]

CHECKIN_WEEKS_DEFAULT = 6
CHECKIN_WEEKS_MAX = 52
# The referrer hears soon, while the conversation is fresh, but not in the same hour as
# the thank-you: a day later the member knows what they will do with the advice.
REFERRER_AFTER = timedelta(days=1)
# "Remind me later" on a check-in or referrer nudge: a week, not a day; neither is urgent.
TOUCH_SNOOZE = timedelta(days=7)
UPDATE_PLACEHOLDER = (
    "[one thing you did with their advice, e.g. a course you took or someone you met]"
)
NOTE_WORDS = 25  # a longer takeaway is shortened in these short notes


class TouchGap(StrEnum):
    """A placeholder left in a check-in or referrer note, by what the member fills in."""

    MEMBER_NAME = "member-name"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class TouchDraft:
    """A short note ready to send; ``missing`` lists the placeholders left in it."""

    text: str
    subject: str
    missing: tuple[TouchGap, ...]


def _aware(value: datetime, what: str) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware")


def checkin_due(thanked_at: datetime, weeks: int) -> datetime | None:
    """When the check-in nudge is due: `weeks` after the thank-you; None when the member
    turned check-ins off (0 weeks)."""
    _aware(thanked_at, "thanked_at")
    if weeks < 0:
        raise ValueError("weeks can't be negative")
    return thanked_at + timedelta(weeks=weeks) if weeks else None


def referrer_due(thanked_at: datetime) -> datetime:
    """When the nudge to tell the referrer how it went is due."""
    _aware(thanked_at, "thanked_at")
    return thanked_at + REFERRER_AFTER


def touch_snooze_due(now: datetime) -> datetime:
    """When a check-in or referrer nudge put off with "Remind me later" comes back."""
    _aware(now, "now")
    return now + TOUCH_SNOOZE


def _shorten(text: str, words: int = NOTE_WORDS) -> str:
    tokens = text.split()
    if len(tokens) <= words:
        return text
    return " ".join(tokens[:words]).rstrip(",;:.") + "…"


def _signature(member_name: str | None) -> tuple[str, list[TouchGap]]:
    member = tidy(member_name)
    return (member, []) if member else (NAME_PLACEHOLDER, [TouchGap.MEMBER_NAME])


def draft_checkin(
    *,
    member_name: str | None,
    prospect_name: str,
    organization: str | None,
    takeaways: str | None,
    met_on: datetime,
    now: datetime,
    tz: ZoneInfo,
    seed: int = 0,
) -> TouchDraft:
    """A short check-in to someone the member met and thanked weeks ago.

    It names what they discussed (the first takeaway, as the member's own note; with
    none, a warm general line), leaves a placeholder for the update the career offices
    ask for (what the member did with the advice), and asks after them. ``met_on`` and
    ``now`` are aware; the meeting's date is said in ``tz`` ("on November 13").
    ``seed`` picks one of three wordings.
    """
    _aware(met_on, "met_on")
    _aware(now, "now")
    variant = seed % 3
    first = salutation_name(prospect_name)
    member, missing = _signature(member_name)
    when = elapsed_since(met_on, now, tz)
    items = split_takeaways(takeaways)
    if items:
        recalled = end_sentence(
            (
                f"I keep coming back to something from our conversation {when}: "
                f"{_shorten(items[0])}",
                f"Since our conversation {when}, one thing has stayed with me: "
                f"{_shorten(items[0])}",
                f"I've often thought about what we discussed {when}, especially this: "
                f"{_shorten(items[0])}",
            )[variant]
        )
    else:
        recalled = (
            f"I've often thought back to the advice you shared in our conversation {when}.",
            f"I'm still grateful for our conversation {when}.",
            f"More than once I've thought back to our conversation {when}.",
        )[variant]
    org = tidy(organization)
    hope = f"I hope all is well at {org}." if org else "I hope all is well with you."
    opening = ("Hi", "Hello", "Dear")[variant]
    text = (
        f"{opening} {first},\n\n{hope} {recalled}\n\n"
        f"Since we spoke, {UPDATE_PLACEHOLDER}.\n\n"
        "Thank you again for your time; I'd love to hear how things are going for you.\n\n"
        f"Best,\n{member}"
    )
    subject = ("Checking in", "A quick update, and thank you again", "Keeping in touch")[variant]
    return TouchDraft(settle_punctuation(text), subject, (*missing, TouchGap.UPDATE))


def draft_referrer_update(
    *,
    member_name: str | None,
    referrer_name: str,
    prospect_name: str,
    takeaways: str | None,
    met_on: datetime,
    now: datetime,
    tz: ZoneInfo,
    seed: int = 0,
) -> TouchDraft:
    """A short note telling the referrer how the conversation they made possible went.

    It thanks them for the introduction, says when the member spoke with the person
    and one thing the member noted (a warm general line when there are no takeaways).
    """
    _aware(met_on, "met_on")
    _aware(now, "now")
    variant = seed % 3
    first = salutation_name(referrer_name)
    person = tidy(prospect_name) or "them"
    member, missing = _signature(member_name)
    when = elapsed_since(met_on, now, tz)
    items = split_takeaways(takeaways)
    spoke = (
        f"Thanks to your introduction, I spoke with {person} {when}.",
        f"I wanted to let you know that I spoke with {person} {when}, thanks to you.",
        f"Thank you again for introducing me to {person}: we spoke {when}.",
    )[variant]
    if items:
        went = end_sentence(
            f"It was a really helpful conversation. One thing I noted: {_shorten(items[0])}"
        )
    else:
        went = "It was a really helpful conversation, and I learned a lot."
    thanks = (
        "I'm grateful you connected us, and I'll keep you posted on where it leads.",
        "Thank you for making the connection; I'll let you know where it leads.",
        "I really appreciate you putting us in touch, and I'll keep you posted.",
    )[variant]
    text = f"Hi {first},\n\n{spoke} {went}\n\n{thanks}\n\nBest,\n{member}"
    subject = f"Thank you for introducing me to {salutation_name(prospect_name)}"
    return TouchDraft(settle_punctuation(text), subject, tuple(missing))
