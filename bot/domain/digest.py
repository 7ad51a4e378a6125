"""The opt-in weekly digest: when it comes, and what goes in it.

Members act when the bot nudges them; between meetings nothing reminds them of their
pipeline. A member who asks for it (`/settings reminders digest:monday 9am`) gets one DM a
week, at that day and hour in their own zone, with what is due now (the same next actions
as /progress) and the week's wins (meetings held, thank-yous sent). A week with nothing
due sends nothing.

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.business_days import parse_clock
from bot.domain.models import DigestTime
from bot.domain.progress import NextAction

__all__ = [
    "DIGEST_EXAMPLE",
    "DIGEST_OFF",
    "WEEK",
    "DigestTimeError",
    "WeeklyDigest",
    "Win",
    "digest_suggestions",
    "digest_text",
    "next_digest",
    "parse_digest",
    "read_digest",
    "weekly_digest",
]

DIGEST_OFF = "off"
DIGEST_EXAMPLE = "monday 9am"
WEEK = timedelta(days=7)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The usual short forms; anything else is refused rather than guessed.
_SHORT = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DAY_AND_TIME = re.compile(r"^(?P<day>[a-z]+)\.?,?\s+(?:at\s+)?(?P<time>\S.*)$")


class DigestTimeError(ValueError):
    """A digest setting that isn't a day and a time (or "off"); the message has an example."""


def _weekday(word: str) -> int | None:
    if word in _WEEKDAYS:
        return _WEEKDAYS.index(word)
    if word.endswith("s") and word[:-1] in _WEEKDAYS:  # "mondays"
        return _WEEKDAYS.index(word[:-1])
    return _SHORT.get(word)


def parse_digest(text: str) -> DigestTime | None:
    """Read the digest setting: a weekday and a time of day ("monday 9am", "Fri 17:30",
    "sun at 6 pm"), or "off" (None). Strict: a day alone, a time alone, a bare hour ("mon
    9") or anything else raises DigestTimeError naming what to type."""
    cleaned = " ".join((text or "").split()).lower()
    if cleaned == DIGEST_OFF:
        return None
    shown = " ".join((text or "").split())
    example = f'Write a day and a time, e.g. "{DIGEST_EXAMPLE}" or "fri 17:30", or "off".'
    match = _DAY_AND_TIME.match(cleaned)
    if match is None:
        raise DigestTimeError(f'Couldn\'t read "{shown}" as a day and a time. {example}')
    day = _weekday(match["day"])
    if day is None:
        raise DigestTimeError(f'"{match["day"]}" isn\'t a day of the week. {example}')
    try:
        at = parse_clock(match["time"])
    except ValueError:
        raise DigestTimeError(
            f'Couldn\'t read "{match["time"]}" as a time of day. {example}'
        ) from None
    return DigestTime(day, at)


def digest_text(when: DigestTime) -> str:
    """The setting as stored and shown: "monday 09:00"."""
    return f"{_WEEKDAYS[when.weekday]} {when.at:%H:%M}"


# What the option offers before the member types: the start of a week, the end of a
# working week, a Sunday evening to plan the week ahead.
_SUGGESTED = ("monday 09:00", "friday 16:00", "sunday 18:00")


def digest_suggestions(typed: str, limit: int = 25) -> list[str]:
    """Values to offer for what the member is typing in the digest option: what they
    typed, read ("mon 9am" → "monday 09:00"), a day they began to type at a few usual
    hours, or the usual choices; "off" always last."""
    cleaned = " ".join((typed or "").split()).lower()
    try:
        read = parse_digest(cleaned)
    except DigestTimeError:
        read = None
    else:
        if read is not None:
            return [digest_text(read), DIGEST_OFF]
    word = cleaned.split(" ")[0] if cleaned else ""
    days = [i for i, day in enumerate(_WEEKDAYS) if word and day.startswith(word)]
    if word and not days and (found := _weekday(word)) is not None:
        days = [found]
    if days:
        found_days = [
            f"{_WEEKDAYS[i]} {hour}" for i in days for hour in ("09:00", "12:00", "18:00")
        ]
        return [*found_days[: limit - 1], DIGEST_OFF]
    return [*_SUGGESTED, DIGEST_OFF][:limit]


def read_digest(stored: object) -> DigestTime | None:
    """The stored setting back as a DigestTime; None when it's off or unreadable (a
    damaged value never sends a digest at a time the member didn't choose)."""
    if not isinstance(stored, str):
        return None
    try:
        return parse_digest(stored)
    except DigestTimeError:
        return None


def next_digest(when: DigestTime, tz: ZoneInfo, after: datetime) -> datetime:
    """The first moment strictly after `after` that is `when`'s weekday and time in `tz`,
    as aware UTC. Built from the local calendar, so 09:00 stays 09:00 across a DST
    change; a time a DST change skips that day (02:30 in spring) comes at the same
    offset past the gap's start, as zoneinfo reads it (03:30)."""
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    local = after.astimezone(tz)
    day = local.date() + timedelta(days=(when.weekday - local.weekday()) % 7)
    while True:
        candidate = datetime.combine(day, when.at, tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
        day += timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Win:
    """Something the member did this week: met someone, or thanked them."""

    name: str
    when: datetime


@dataclass(frozen=True, slots=True)
class WeeklyDigest:
    """One week's digest: what is due now (most urgent first, `more` left off), and the
    meetings held and thank-yous sent in the week before it."""

    actions: tuple[NextAction, ...]
    more: int
    met: tuple[Win, ...]
    thanked: tuple[Win, ...]


def weekly_digest(
    *,
    now: datetime,
    actions: Iterable[NextAction],
    more: int = 0,
    held: Iterable[Win] = (),
    thanked: Iterable[Win] = (),
) -> WeeklyDigest | None:
    """This week's digest, or None when nothing is due (the member then gets no DM that
    week: wins alone don't warrant one). The wins counted are those of the seven days up
    to `now`, oldest first."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    due = tuple(actions)
    if not due:
        return None
    since = now - WEEK

    def this_week(wins: Iterable[Win]) -> tuple[Win, ...]:
        return tuple(sorted((w for w in wins if since < w.when <= now), key=lambda w: w.when))

    return WeeklyDigest(due, more, this_week(held), this_week(thanked))
