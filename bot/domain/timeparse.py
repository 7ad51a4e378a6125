"""Reading the times members type ("tomorrow 8am", "2026-12-03 07:30") and showing them back.

Everything is interpreted in the member's own time zone relative to an explicit `now`,
and returned as an aware UTC datetime, so storage and scheduling never see local time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import dateparser

__all__ = ["WhenError", "parse_when"]

EXAMPLES = '"tomorrow 8am", "Dec 3 7:30" or "2026-12-03 07:30"'

# A meeting two years out is almost surely a typo ("2062" for "2026"), and dateparser
# happily accepts "in 3000 years".
MAX_DISTANCE = timedelta(days=2 * 366)

# Day/month order is a coin toss in "3/4" or "03-04 10:00": Americans read March 4,
# most of the world April 3. A four-digit year first ("2026-03-04") is ISO and safe,
# hence the look-behind that refuses to start inside a longer number.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})([/\-])(\d{1,2})(?:\2(\d{2}|\d{4}))?(?![\d/\-])",
)
# dateparser reads "10.30 tomorrow" as 10:00 and "3.12." as March 12: both silently
# wrong, so dotted numbers are refused rather than guessed.
_DOTTED = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.?(?:\d{2,4})?(?![\d:])")

# Signs that the member said *when in the day*, not only which day. Without one,
# dateparser fills in midnight or the current clock time, which is never what a
# member meant for a meeting.
_TIME_OF_DAY = re.compile(
    r"""
    \d:\d\d                                  # 7:30, 2026-12-03T07:30
    | \d\s*(?:a\.?m\.?|p\.?m\.?)(?![a-z])    # 8am, 3 pm, 4 p.m.
    | \b(?:noon|midday|midnight|now)\b
    | \b(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b   # "3 hours ago"
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Pure durations below a day are exact spans of time. dateparser does this arithmetic
# on the naive wall clock, which is an hour off across a DST change, so we do it in UTC.
_SHORT_SPAN = re.compile(
    r"""
    ^\s*(?P<in>in\s+)?
    (?P<n>\d+|an?|one)\s*
    (?P<unit>hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)
    (?P<ago>\s+ago)?\s*$
    """,
    re.IGNORECASE | re.VERBOSE,
)
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}

# A clock time with no day ("8am", "at 17:00"). dateparser leans such times into the
# past on request but never into the future, so "8am" typed at 10am meant today's
# (gone) 8am; we move it to tomorrow when the future is preferred.
_BARE_CLOCK = re.compile(
    r"^(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|noon|midday|midnight)$",
    re.IGNORECASE,
)


# A year-first date ("2026-12-03", "2026/12/03"): dateparser quietly swaps an impossible
# month with the day ("2026-13-01" -> January 13), so such dates are checked strictly.
_YEAR_FIRST = re.compile(r"(?<![\d/\-])(\d{4})([/\-])(\d{1,2})\2(\d{1,2})(?![\d/\-])")
# A day followed by a bare number ("monday 9", "tomorrow 8"): an hour without am/pm
# (unlike "Dec 3", where the number is the day of the month).
_TRAILING_HOUR = re.compile(
    r"\b(?:today|tomorrow|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s+(\d{1,2})$",
    re.IGNORECASE,
)


class WhenError(ValueError):
    """A time the member typed that can't be used; the message is safe to show them."""


def _span(text: str, now: datetime) -> datetime | None:
    """Exact "in 3 hours" / "45 minutes ago" arithmetic in UTC, or None if not that form."""
    m = _SHORT_SPAN.match(text)
    if not m or bool(m["in"]) == bool(m["ago"]):
        return None
    n = 1 if m["n"].lower() in ("a", "an", "one") else int(m["n"])
    # "min"/"mins" and "m" are minutes; only the first letter decides the unit.
    delta = timedelta(seconds=n * _UNIT_SECONDS[m["unit"][0].lower()])
    return now.astimezone(UTC) + (delta if m["in"] else -delta)


def _check_numeric_dates(text: str) -> None:
    """Refuse day/month forms we would have to guess, naming forms that work instead."""
    for m in _YEAR_FIRST.finditer(text):
        try:
            date(int(m[1]), int(m[3]), int(m[4]))
        except ValueError:
            raise WhenError(
                f'"{m[0]}" isn\'t a real date: write year-month-day, e.g. "2026-12-03 07:30".'
            ) from None
    if _DOTTED.search(text):
        raise WhenError(
            f'"{text}" is ambiguous: use a colon for times and a month name for dates, '
            'e.g. "Mar 4 10:30" or "2026-03-04 10:30".'
        )
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m[1]), int(m[3])
        # "25/12" can only be 25 December, so only both-could-be-a-month is ambiguous;
        # the same number twice ("3/3") reads the same either way.
        if a <= 12 and b <= 12 and a != b:
            raise WhenError(
                f'"{m[0]}" is ambiguous (month/day or day/month?). '
                'Write the month as a word or use ISO, e.g. "Mar 4 10:00" or "2026-03-04 10:00".'
            )


def parse_when(
    text: str,
    tz: ZoneInfo,
    now: datetime,
    *,
    prefer: Literal["future", "past"] = "future",
) -> datetime:
    """Read a member-typed time in their zone `tz`, relative to the aware `now`.

    Accepts natural language ("tomorrow 8am", "next friday 10:00", "3 hours ago",
    "in 2 days at 3pm") and ISO ("2026-12-03 07:30", "2026-12-03T07:30"). `prefer`
    decides which way an incomplete date leans ("Dec 3" this coming December or the
    last one). Returns an aware UTC datetime.

    Raises WhenError (member-facing, with an example) for empty or unreadable input,
    ambiguous numeric dates like "3/4", a day without a time of day, or a year more
    than about two years from `now`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise WhenError(f"Tell me when, e.g. {EXAMPLES}.")
    if len(cleaned) > 100:
        raise WhenError(f"That's too long to be a time. Try {EXAMPLES}.")

    result = _span(cleaned, now)
    if result is None:
        _check_numeric_dates(cleaned)
        local_now = now.astimezone(tz)
        parsed = dateparser.parse(
            cleaned,
            # English only: with language detection, junk words sometimes parse as
            # dates in some other language.
            languages=["en"],
            settings={
                "TIMEZONE": tz.key,
                # We localize ourselves with zoneinfo, which gets DST folds and gaps
                # right; dateparser's own localization goes through pytz-style offsets.
                "RETURN_AS_TIMEZONE_AWARE": False,
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
                "PREFER_DATES_FROM": prefer,
                # Only reached for unambiguous forms like "12/25" or "25/12" (others are
                # refused above); MDY lets dateparser try the US reading first.
                "DATE_ORDER": "MDY",
                "PREFER_DAY_OF_MONTH": "first",
            },
        )
        if parsed is None:
            raise WhenError(f'Couldn\'t read "{cleaned}" as a time. Try {EXAMPLES}.')
        if parsed.tzinfo is not None:
            # Explicit offsets ("...+01:00", "...Z") are converted to TIMEZONE but may
            # still come back tagged; drop the tag so the wall clock is localized once.
            parsed = parsed.astimezone(tz).replace(tzinfo=None)
        # fold=0: an ambiguous fall-back time means its first occurrence; a time in
        # the spring-forward gap is read with the pre-change offset (2:30 -> 3:30).
        if _BARE_CLOCK.match(cleaned):
            # A clock time alone ("8am") is the next one ahead (or the last one gone, when
            # looking back) from the member's own now. dateparser picks its day relative
            # to the wrong zone, so only its clock time is kept.
            parsed = datetime.combine(local_now.date(), parsed.time())
            if prefer == "future" and parsed.replace(tzinfo=tz) < now:
                # Same wall-clock time tomorrow, even across a DST change.
                parsed += timedelta(days=1)
            elif prefer == "past" and parsed.replace(tzinfo=tz) > now:
                parsed -= timedelta(days=1)
        local = parsed.replace(tzinfo=tz)
        result = local.astimezone(UTC)
        if abs(result - now) <= MAX_DISTANCE and not _TIME_OF_DAY.search(cleaned):
            hour = _TRAILING_HOUR.search(cleaned)
            example = (
                f'"{cleaned}am" or "{cleaned}:30"'
                if hour and int(hour[1]) <= 12
                else f'"{cleaned} 9am"'
            )
            raise WhenError(f'"{cleaned}" needs a time of day too, e.g. {example}.')

    if abs(result - now) > MAX_DISTANCE:
        raise WhenError(
            f"{result.astimezone(tz):%Y} is too far away for a meeting or a message. "
            f"Try {EXAMPLES}."
        )
    return result


def warm_up() -> None:
    """Parse one typical time, so the parsing library's first-use set-up (about 180 ms
    for dateparser) happens at start-up instead of inside a member's command."""
    parse_when("tomorrow 8am", ZoneInfo("UTC"), datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
