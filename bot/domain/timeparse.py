"""Reading the times members type ("tomorrow 8am", "2026-12-03 07:30", "3pm PT").

Everything is interpreted relative to an explicit `now`, in the member's own time zone
unless the text names another, and returned as an aware UTC datetime, so storage and
scheduling never see local time.

The reader never guesses. Every word of the text must be understood, or the text is
refused with an example of what would work: "tomorrow at 13pm" is not "tomorrow at the
current time", "today at 5" asks whether that is 5am or 5pm, "Dec 32" is called an
impossible day, and a wall-clock time that a DST change skips or repeats asks which.

Why not a parsing library: judged on tests/data/time_phrases.toml (334 phrases in five
zones, with DST changes and 102 inputs that must be refused), dateparser 1.5 got at most
69 % right under any settings (STRICT_PARSING, RETURN_TIME_AS_PERIOD, search_dates) and
accepted 36 or more of the inputs that must be refused, silently dropping what it did
not understand; parsedatetime, ctparse and timefhuman did worse. Their misses are in
meaning, not vocabulary (a day word beside a zone, "the 15th" in the past, "a week
from today" a week ago), so a normalising layer on top could not fix them. The
arithmetic itself is the standard library's, with zoneinfo for every zone and DST rule.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

__all__ = ["WhenError", "parse_when"]

EXAMPLES = '"tomorrow 8am", "Dec 3 7:30" or "2026-12-03 07:30"'

# A meeting two years out is almost surely a typo ("2062" for "2026").
MAX_DISTANCE = timedelta(days=2 * 366)
MAX_LENGTH = 100

Prefer = Literal["future", "past"]


# What parse_when's message says when a day came without a time of day.
NEEDS_TIME = "needs a time of day"


class WhenError(ValueError):
    """A time the member typed that can't be used; the message is safe to show them."""


# -- the words we know -------------------------------------------------------------------

# Common spellings and abbreviations, as typed in chats ("tmrw", "weds").
_DAY_WORDS = {
    **dict.fromkeys(("today", "tonight", "tonite"), 0),
    **dict.fromkeys(("tomorrow", "tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "tmw"), 1),
    **dict.fromkeys(("yesterday", "yday", "yest"), -1),
}
_WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
_PERIODS = ("morning", "afternoon", "evening", "night")
_UNITS = {
    **dict.fromkeys(("second", "seconds", "sec", "secs"), "seconds"),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), "minutes"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), "hours"),
    **dict.fromkeys(("day", "days"), "days"),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), "weeks"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("year", "years", "yr", "yrs"), "years"),
}
_EXACT_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_COUNTS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)}
_FILLERS = {"at", "on", "@", ",", "(", ")", "."}
# Words that join two times: the member gave a range or a choice, not one time.
_CHOICES = {"or", "to", "until", "till", "between", "-"}
_OTHER_WORDS = {
    "the", "of", "in", "ago", "from", "now", "right", "just", "this", "next", "last",
    "coming", "past", "noon", "midday", "midnight", "o'clock", "time", "half", "and",
    "am", "pm", "z", "after", "before",
}  # fmt: skip

# Zones by name. Generic names follow their region's DST ("PT" is PST in winter, PDT in
# summer). Season names are taken at their word: "PST" on a July day is refused with a
# pointer to "PT", rather than guessing whether the member meant UTC-8 or Pacific time.
_REGION_NAMES = {
    "utc": "UTC",
    "gmt": "UTC",
    "et": "America/New_York",
    "eastern": "America/New_York",
    "ct": "America/Chicago",
    "central": "America/Chicago",
    "mt": "America/Denver",
    "mountain": "America/Denver",
    "pt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "akt": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "aet": "Australia/Sydney",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
}
# name: (region, hours from UTC, the name for the other season, the generic name)
_SEASON_NAMES = {
    "est": ("America/New_York", -5, "EDT", "ET"),
    "edt": ("America/New_York", -4, "EST", "ET"),
    "cst": ("America/Chicago", -6, "CDT", "CT"),
    "cdt": ("America/Chicago", -5, "CST", "CT"),
    "mst": ("America/Denver", -7, "MDT", "MT"),
    "mdt": ("America/Denver", -6, "MST", "MT"),
    "pst": ("America/Los_Angeles", -8, "PDT", "PT"),
    "pdt": ("America/Los_Angeles", -7, "PST", "PT"),
    "akst": ("America/Anchorage", -9, "AKDT", "AKT"),
    "akdt": ("America/Anchorage", -8, "AKST", "AKT"),
    "wet": ("Europe/Lisbon", 0, "WEST", "Europe/Lisbon"),
    "west": ("Europe/Lisbon", 1, "WET", "Europe/Lisbon"),
    "bst": ("Europe/London", 1, "GMT", "Europe/London"),
    "cet": ("Europe/Berlin", 1, "CEST", "Europe/Berlin"),
    "cest": ("Europe/Berlin", 2, "CET", "Europe/Berlin"),
    "eet": ("Europe/Athens", 2, "EEST", "Europe/Athens"),
    "eest": ("Europe/Athens", 3, "EET", "Europe/Athens"),
    "aest": ("Australia/Sydney", 10, "AEDT", "AET"),
    "aedt": ("Australia/Sydney", 11, "AEST", "AET"),
}
_AMBIGUOUS_ZONES = {
    "ist": 'could be India, Ireland or Israel: write the zone out, e.g. "3pm Asia/Kolkata" '
    'or "3pm +05:30"',
    "ast": 'could be Atlantic or Arabia time: write the zone out, e.g. "3pm America/Halifax" '
    'or "3pm Asia/Riyadh"',
}

_VOCABULARY = (
    set(_DAY_WORDS)
    | set(_WEEKDAYS)
    | set(_MONTHS)
    | set(_PERIODS)
    | set(_UNITS)
    | set(_COUNTS)
    | _FILLERS
    | _CHOICES
    | _OTHER_WORDS
    | set(_REGION_NAMES)
    | set(_SEASON_NAMES)
    | set(_AMBIGUOUS_ZONES)
)

# -- the pieces of text -------------------------------------------------------------------

_MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)(?![^\W\d_])"
_TOKEN = re.compile(
    rf"""
    (?P<iso>(?P<iy>\d{{4}})(?P<isep>[-/])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})
        (?![\d/\-])(?P<T>T(?=\d))?)
    | (?P<dotted>\d{{1,2}}\.\d{{1,2}}\.?(?:\d{{2,4}})?(?![\d:]))
    | (?P<numdate>(?P<na>\d{{1,2}})(?P<nsep>[/-])(?P<nb>\d{{1,2}})
        (?:(?P=nsep)(?P<ny>\d{{4}}|\d{{2}}))?(?![\d/:]))
    | (?P<clock>(?P<ch>\d{{1,2}}):(?P<cm>\d{{1,2}})(?::(?P<cs>\d{{1,2}})(?:\.\d+)?)?(?!\d)
        (?:\s*(?P<cmer>{_MERIDIEM}))?)
    | (?P<hour>(?P<hh>\d{{1,3}})\s*(?P<hmer>{_MERIDIEM}))
    | (?P<offset>(?:(?P<oname>utc|gmt)\s*)(?P<osign>[+-])(?P<oh>\d{{1,2}})(?::?(?P<om>\d{{2}}))?
        (?![\d:]) | (?P<bsign>[+-])(?P<bh>\d{{2}}):?(?P<bm>\d{{2}})(?![\d:]))
    | (?P<ordinal>(?P<od>\d{{1,2}})(?:st|nd|rd|th)(?![^\W\d_]))
    | (?P<number>\d+(?![\d:]))
    | (?P<zonename>[a-z][a-z_]*(?:/[a-z0-9_+\-]+)+)
    | (?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?\.?)
    | (?P<punct>[,()@.\-])
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    match: re.Match[str]
    glued: bool  # no space between it and the token before

    @property
    def text(self) -> str:
        return self.match[0]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()

    @property
    def word(self) -> str:
        """The token as a vocabulary word: lower case, without a closing dot."""
        if self.kind == "punct":
            return self.text
        return self.text.lower().replace("’", "'").removesuffix(".") or "."


def _tokens(text: str) -> list[_Token]:
    """Split the text into known shapes, refusing anything that has none."""
    tokens: list[_Token] = []
    pos = 0
    while True:
        spaced = pos < len(text) and text[pos].isspace()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return tokens
        match = _TOKEN.match(text, pos)
        if match is None:
            start = max(text.rfind(" ", 0, pos), 0 if not text[0].isspace() else -1) + 1
            end = text.find(" ", pos)
            raise _unreadable(text, text[start : end if end >= 0 else len(text)])
        kind = next(name for name, value in match.groupdict().items() if value and name in _KINDS)
        tokens.append(_Token(kind, match, glued=bool(tokens) and not spaced))
        pos = match.end()


_KINDS = (
    "iso", "dotted", "numdate", "clock", "hour", "offset", "ordinal", "number", "zonename",
    "word", "punct",
)  # fmt: skip


def _unreadable(text: str, part: str, *, suggest: bool = False) -> WhenError:
    """Refuse a part of the text that isn't a time; an unknown word gets the closest
    known one ("tomrrow": did you mean "tomorrow"?)."""
    close = difflib.get_close_matches(part.lower(), _VOCABULARY, n=1, cutoff=0.8)
    meant = f' (did you mean "{close[0]}"?)' if suggest and close and len(part) > 3 else ""
    where = f' in "{text}"' if part != text else ""
    return WhenError(f'Couldn\'t read "{part}"{where}{meant}. Try {EXAMPLES}.')


# -- what the text says --------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """A piece of the text with the span it came from (for messages and hints)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Clock:
    part: _Part
    hour: int
    minute: int = 0
    second: int = 0
    meridiem: str | None = None  # "am"/"pm" as typed, None for 24-hour or bare hours
    bare: bool = False  # an hour alone ("at 5"): am or pm unknown


@dataclass(frozen=True)
class _Day:
    """Which day: `kind` is "offset" (today + n), "date" (year may be None, month may be
    None for "the 15th"), "shift" (a calendar span from a day offset), "weekday"."""

    part: _Part
    kind: str
    offset: int = 0
    year: int | None = None
    month: int | None = None
    day: int = 0
    shift: dict[str, int] = field(default_factory=dict)
    weekday: int = 0
    modifier: str | None = None  # "next"/"last" for weekdays
    week: int | None = None  # "next week" (+1), "last week" (-1), "this week" (0)


@dataclass(frozen=True)
class _Zone:
    part: _Part
    zone: tzinfo
    season: tuple[str, int, str, str] | None = None  # a _SEASON_NAMES entry


@dataclass
class _Reading:
    text: str
    day: _Day | None = None
    weekday: _Day | None = None  # a weekday beside a date is a check on it
    clock: _Clock | None = None
    period: tuple[str, _Part] | None = None
    zone: _Zone | None = None
    exact: tuple[timedelta, _Part] | None = None  # "in 3 hours", "now"

    def set(self, slot: str, value: object, part: _Part, noun: str) -> None:
        """Fill a slot once: a second day, time or zone is refused, not picked from."""
        old = getattr(self, slot)
        if old is not None:
            first = old[1] if isinstance(old, tuple) else getattr(old, "part", old)
            without = " ".join((self.text[: part.start] + self.text[part.end :]).split())
            raise WhenError(
                f'"{first.text}" and "{part.text}" are two {noun}: give one, e.g. "{without}".'
            )
        setattr(self, slot, value)


class _Parser:
    """Reads the tokens left to right; each rule consumes what it understands."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0
        self.reading = _Reading(text)
        for token in self.tokens:
            if token.kind == "word" and token.word not in _VOCABULARY:
                raise _unreadable(text, token.text, suggest=True)

    # -- helpers
    def at(self, k: int = 0) -> _Token | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def word(self, k: int = 0) -> str | None:
        token = self.at(k)
        return token.word if token is not None and token.kind in ("word", "punct") else None

    def part(self, first: int, last: int) -> _Part:
        """The text of tokens[first..last] (absolute indexes)."""
        start, end = self.tokens[first].start, self.tokens[last].end
        return _Part(self.text[start:end], start, end)

    def count(self, k: int = 0) -> int | None:
        token = self.at(k)
        if token is None:
            return None
        if token.kind == "number":
            return int(token.text)
        return _COUNTS.get(token.word) if token.kind == "word" else None

    # -- the rules
    def read(self) -> _Reading:
        rules = (
            self.filler,
            self.choice,
            self.now,
            self.span,
            self.day_word,
            self.weekday,
            self.date,
            self.clock,
            self.zone,
        )
        while self.i < len(self.tokens):
            if not any(rule() for rule in rules):
                self.stuck()
        return self.reading

    def stuck(self) -> None:
        token = self.tokens[self.i]
        if token.word in _PERIODS:
            raise WhenError(
                f'Which {token.word}? Say the day too, e.g. "tomorrow {token.word} '
                f'{_PERIOD_EXAMPLE[token.word]}".'
            )
        if token.kind == "number" and len(token.text) in (3, 4):
            hour, minute = divmod(int(token.text), 100)
            if hour < 24 and minute < 60:
                raise WhenError(
                    f'"{token.text}" isn\'t a time I can read: write it with a colon, '
                    f'e.g. "{hour}:{minute:02d}".'
                )
        nxt = self.at(1)
        shown = self.part(self.i, self.i + (nxt is not None and nxt.kind == "word")).text
        raise _unreadable(self.text, shown)

    def filler(self) -> bool:
        token = self.at()
        if token is None or token.word not in _FILLERS:
            return False
        self.i += 1
        return True

    def choice(self) -> bool:
        if self.word() not in _CHOICES:
            return False
        raise WhenError(
            f'"{self.text}" gives more than one time: give one start time, e.g. "tomorrow 3pm".'
        )

    def now(self) -> bool:
        first = self.i
        if self.word() in ("right", "just") and self.word(1) == "now":
            self.i += 1
        if self.word() != "now":
            self.i = first
            return False
        self.reading.set(
            "exact", (timedelta(0), self.part(first, self.i)), self.part(first, self.i), "times"
        )
        self.i += 1
        return True

    def span(self) -> bool:
        """ "in 3 hours", "2 days ago at 4pm", "a week from tomorrow", "in half an hour"."""
        first = self.i
        into = self.word() == "in"
        amounts, k = self.amounts(int(into))
        if not amounts:
            return False
        amount = self.part(first + into, self.i + k - 1).text
        back = since = False
        base = 0
        if self.word(k) == "ago":
            back, k = True, k + 1
        elif self.word(k) == "from":
            target = self.word(k + 1)
            if target != "now" and _canonical_day(target) not in ("today", "tomorrow", "yesterday"):
                return False
            base = 0 if target == "now" else _DAY_WORDS[target or ""]
            since, k = True, k + 2
        part = self.part(first, self.i + k - 1)
        if into + back + since != 1:
            # "3 hours" (which way?) or "in 3 hours ago" (both ways)
            raise WhenError(f'Which way is "{part.text}"? Write "in {amount}" or "{amount} ago".')
        sign = -1 if back else 1
        if set(amounts) <= set(_EXACT_UNITS):
            seconds = sum(_EXACT_UNITS[unit] * n for unit, n in amounts.items())
            if seconds > MAX_DISTANCE.total_seconds():
                raise _too_far(self.text)
            if base:
                raise WhenError(
                    f'"{part.text}" counts hours from a day: e.g. "in 3 hours" or "tomorrow 3pm".'
                )
            self.reading.set("exact", (sign * timedelta(seconds=seconds), part), part, "times")
        elif set(amounts) & set(_EXACT_UNITS):
            raise WhenError(
                f'"{part.text}" mixes days with hours: say the day and the time, '
                'e.g. "in 2 days at 3pm".'
            )
        else:
            shift = {unit: sign * n for unit, n in amounts.items()}
            self.reading.set("day", _Day(part, "shift", offset=base, shift=shift), part, "days")
        self.i += k
        return True

    def amounts(self, k: int) -> tuple[dict[str, int], int]:
        """ "3 hours", "an hour and 30 minutes", "half an hour" from token k on: the
        amount per unit, and the token after them."""
        amounts: dict[str, int] = {}
        while True:
            if (
                self.word(k) == "half"
                and self.word(k + 1) in ("an", "a")
                and self.word(k + 2) == "hour"
            ):
                unit, n, k = "minutes", 30, k + 3
            elif (count := self.count(k)) is not None and self.word(k + 1) in _UNITS:
                unit, n, k = _UNITS[self.word(k + 1) or ""], count, k + 2
            else:
                return amounts, k
            amounts[unit] = amounts.get(unit, 0) + n
            if self.word(k) == "and" and (
                self.count(k + 1) is not None or self.word(k + 1) == "half"
            ):
                k += 1

    def day_word(self) -> bool:
        """today/tomorrow/yesterday/tonight, "the day after tomorrow", "this morning",
        "last night", each with an optional part of the day after it."""
        first = self.i
        period = None
        k = int(self.word() == "the")
        if self.word(k) == "day" and self.word(k + 1) in ("after", "before"):
            target = "tomorrow" if self.word(k + 1) == "after" else "yesterday"
            if _canonical_day(self.word(k + 2)) != target:
                return False
            offset, k = (2 if target == "tomorrow" else -2), k + 3
        elif self.word() in _DAY_WORDS:
            offset, k = _DAY_WORDS[self.word() or ""], 1
            if self.word() in ("tonight", "tonite"):
                period = "night"
        elif self.word() == "this" and self.word(1) in ("morning", "afternoon", "evening"):
            offset, period, k = 0, self.word(1), 2
        elif self.word() == "last" and self.word(1) == "night":
            offset, period, k = -1, "night", 2
        else:
            return False
        if period is None and self.word(k) in _PERIODS:
            period, k = self.word(k), k + 1
        part = self.part(first, self.i + k - 1)
        self.reading.set("day", _Day(part, "offset", offset=offset), part, "days")
        if period:
            self.reading.set("period", (period, part), part, "parts of the day")
        self.i += k
        return True

    def weekday(self) -> bool:
        """ "Tuesday", "next Tuesday", "this coming Tuesday", "last week Tuesday",
        "Tuesday next week", each with an optional part of the day after it."""
        first = self.i
        k = 0
        modifier = None
        week = None
        if self.word() in ("next", "last", "this") and self.word(1) == "week":
            week = {"next": 1, "last": -1, "this": 0}[self.word() or ""]
            k = 2
        elif self.word() == "this" and self.word(1) in ("coming", "past"):
            modifier = "next" if self.word(1) == "coming" else "last"
            k = 2
        elif self.word() in ("next", "last", "coming", "this"):
            modifier = {"next": "next", "coming": "next", "last": "last"}.get(self.word() or "")
            k = 1
        weekday = _WEEKDAYS.get(self.word(k) or "")
        if weekday is None:
            if week is not None:
                raise WhenError(
                    f"Which day {self.part(first, first + 1).text}? e.g. "
                    f'"{self.part(first, first + 1).text} Tuesday 10am".'
                )
            return False
        k += 1
        if week is None and self.word(k) in ("next", "last", "this") and self.word(k + 1) == "week":
            if modifier is not None:
                return False
            week = {"next": 1, "last": -1, "this": 0}[self.word(k) or ""]
            k += 2
        period = None
        if self.word(k) in _PERIODS:
            period = self.word(k)
            k += 1
        part = self.part(first, self.i + k - 1)
        self.reading.set(
            "weekday",
            _Day(part, "weekday", weekday=weekday, modifier=modifier, week=week),
            part,
            "days",
        )
        if period:
            self.reading.set("period", (period, part), part, "parts of the day")
        self.i += k
        return True

    def date(self) -> bool:
        """ISO dates, unambiguous numeric dates, "Dec 3", "3 Dec", "3rd of December",
        "Dec 3rd, 2026", "the 15th"."""
        token = self.at()
        if token is None:
            return False
        first = self.i
        if token.kind == "iso":
            self.i += 1
            m = token.match
            return self.set_date(first, int(m["iy"]), int(m["im"]), int(m["id"]))
        if token.kind == "dotted":
            raise WhenError(
                f'"{self.text}" is ambiguous: use a colon for times and a month name for dates, '
                'e.g. "Mar 4 10:30" or "2026-03-04 10:30".'
            )
        if token.kind == "numdate":
            return self.numeric_date(token)
        the = int(self.word() == "the")
        month = _MONTHS.get(self.word(the) or "")
        if month is not None:  # "Dec 3", "December the 3rd"
            k = the + 1 + (self.word(the + 1) == "the")
            day = _day_number(self.at(k))
            if day is None:
                raise WhenError(
                    f"Which day of {calendar.month_name[month]}? "
                    f'e.g. "{calendar.month_abbr[month]} 3 10am".'
                )
            k += 1
        else:  # "3 Dec", "3rd of December", "the 15th"
            day = _day_number(self.at(the))
            if day is None:
                return False
            k = the + 1 + (self.word(the + 1) == "of")
            month = _MONTHS.get(self.word(k) or "")
            if month is None:
                token = self.at(the)
                if not the and token is not None and token.kind != "ordinal":
                    return False  # a number alone is an hour ("tomorrow 8")
                self.i += the + 1
                return self.set_date(first, None, None, day)
            k += 1
        year = None
        j = k + (self.word(k) == ",")
        year_token = self.at(j)
        if year_token is not None and year_token.kind == "number" and len(year_token.text) == 4:
            year, k = int(year_token.text), j + 1
        self.i += k
        return self.set_date(first, year, month, day)

    def numeric_date(self, token: _Token) -> bool:
        nxt = self.at(1)
        if nxt is not None and nxt.glued and nxt.word in ("am", "pm"):
            raise WhenError(
                f'"{token.text}{nxt.text}" is a range: give one start time, e.g. "tomorrow 3pm".'
            )
        a, b = int(token.match["na"]), int(token.match["nb"])
        # "25/12" can only be 25 December, so only both-could-be-a-month is ambiguous;
        # the same number twice ("3/3") reads the same either way.
        if a <= 12 and b <= 12 and a != b:
            raise WhenError(
                f'"{token.text}" is ambiguous (month/day or day/month?). '
                'Write the month as a word or use ISO, e.g. "Mar 4 10:00" or "2026-03-04 10:00".'
            )
        month, day = (a, b) if a <= 12 else (b, a)
        year = token.match["ny"]
        first = self.i
        self.i += 1
        full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        return self.set_date(first, full_year, month, day)

    def set_date(self, first: int, year: int | None, month: int | None, day: int) -> bool:
        part = self.part(first, self.i - 1)
        _check_real_day(self.text, part, year, month, day)
        self.reading.set("day", _Day(part, "date", year=year, month=month, day=day), part, "days")
        return True

    def clock(self) -> bool:
        """ "3pm", "15:00", "7:30am", "noon", "at 5", "8 o'clock", "9 in the morning"."""
        token = self.at()
        if token is None:
            return False
        first = self.i
        k = 1
        if token.kind == "clock":
            m = token.match
            if len(m["cm"]) != 2 or (m["cs"] is not None and len(m["cs"]) != 2):
                raise _bad_clock(
                    self.text, self.part(first, first), "minutes take two digits", "10:05"
                )
            hour, minute, second = int(m["ch"]), int(m["cm"]), int(m["cs"] or 0)
            meridiem = _meridiem(m["cmer"])
            clock = _Clock(self.part(first, first), hour, minute, second, meridiem)
        elif token.kind == "hour":
            clock = _Clock(
                self.part(first, first),
                int(token.match["hh"]),
                meridiem=_meridiem(token.match["hmer"]),
            )
        elif token.word in ("noon", "midday", "midnight"):
            clock = _Clock(self.part(first, first), 0 if token.word == "midnight" else 12)
        elif token.kind == "number" and len(token.text) <= 2:
            if self.word(1) == "o'clock":
                k = 2
            clock = _Clock(self.part(first, first + k - 1), int(token.text), bare=True)
        else:
            return False
        if self.word(k) == "in" and self.word(k + 1) == "the" and self.word(k + 2) in _PERIODS:
            period = self.word(k + 2) or ""
            k += 3
        elif self.word(k) == "at" and self.word(k + 1) == "night":
            period = "night"
            k += 2
        else:
            period = None
        _check_clock(self.text, clock)
        self.reading.set("clock", clock, clock.part, "times")
        if period:
            part = self.part(first, first + k - 1)
            self.reading.set("period", (period, part), part, "parts of the day")
        self.i += k
        nxt = self.at()
        if nxt is not None and nxt.glued and nxt.kind == "offset" and nxt.match["bsign"] == "-":
            iso_before = first > 0 and self.tokens[first - 1].match["T"]
            if not iso_before:
                rest = _Part(nxt.text, nxt.start, nxt.end)
                raise WhenError(
                    f'"{self.text}" looks like a range: give one start time, e.g. '
                    f'"{_replace(self.text, rest, "")}".'
                )
        return True

    def zone(self) -> bool:
        token = self.at()
        if token is None:
            return False
        first = self.i
        k = 1
        if token.kind == "offset":
            m = token.match
            sign = m["osign"] or m["bsign"]
            hours, minutes = int(m["oh"] or m["bh"]), int(m["om"] or m["bm"] or 0)
            if hours > 14 or minutes not in (0, 30, 45):
                raise WhenError(
                    f'"{token.text}" isn\'t a UTC offset: they run from -12:00 to +14:00, '
                    'e.g. "tomorrow 10:00 +02:00".'
                )
            delta = timedelta(hours=hours, minutes=minutes)
            zone: tzinfo = timezone(-delta if sign == "-" else delta)
            season = None
        elif token.kind == "zonename":
            name = _iana_names().get(token.text.lower())
            if name is None:
                raise WhenError(
                    f'"{token.text}" isn\'t a time zone I know: write one like '
                    '"America/New_York" or "Europe/Berlin", or an offset like "+02:00".'
                )
            zone, season = ZoneInfo(name), None
        elif (
            token.word == "z"
            and token.glued
            and first > 0
            and self.tokens[first - 1].kind == "clock"
        ):
            zone, season = UTC, None
        elif token.word in _AMBIGUOUS_ZONES:
            raise WhenError(f'"{token.text}" {_AMBIGUOUS_ZONES[token.word]}.')
        elif token.word in _REGION_NAMES:
            zone, season = ZoneInfo(_REGION_NAMES[token.word]), None
        elif token.word in _SEASON_NAMES:
            season = _SEASON_NAMES[token.word]
            zone = ZoneInfo(season[0])
        else:
            return False
        if self.word(k) == "time":
            k += 1
        part = self.part(first, first + k - 1)
        self.reading.set("zone", _Zone(part, zone, season), part, "time zones")
        self.i += k
        return True


def _day_number(token: _Token | None) -> int | None:
    """The day of the month a token names ("3", "3rd"), if it can name one."""
    if token is None:
        return None
    if token.kind == "ordinal":
        return int(token.match["od"])
    if token.kind == "number" and len(token.text) <= 2:
        return int(token.text)
    return None


_PERIOD_EXAMPLE = {"morning": "9am", "afternoon": "2pm", "evening": "7pm", "night": "8pm"}


def _canonical_day(word: str | None) -> str | None:
    """ "today", "tomorrow" or "yesterday" for any spelling of them, else None."""
    offset = _DAY_WORDS.get(word or "")
    return None if offset is None else {0: "today", 1: "tomorrow", -1: "yesterday"}[offset]


def _meridiem(text: str | None) -> str | None:
    return None if text is None else text.lower().replace(".", "")


@cache
def _iana_names() -> dict[str, str]:
    """IANA zone names by their lower-case spelling ("america/los_angeles")."""
    return {name.lower(): name for name in available_timezones()}


# -- checks with their hints ---------------------------------------------------------------


def _replace(text: str, part: _Part, new: str) -> str:
    return " ".join((text[: part.start] + new + text[part.end :]).split())


def _bad_clock(text: str, part: _Part, why: str, instead: str, *more: str) -> WhenError:
    examples = " or ".join(f'"{_replace(text, part, new)}"' for new in (instead, *more))
    return WhenError(f'"{part.text}" isn\'t a time of day: {why}, e.g. {examples}.')


def _check_clock(text: str, clock: _Clock) -> None:
    """Refuse a clock time no clock shows ("99pm", "25:00", "12:60", "13pm")."""
    am_pm = clock.meridiem or ""
    if clock.minute > 59 or clock.second > 59:
        raise _bad_clock(text, clock.part, "minutes go up to 59", f"{clock.hour}:00{am_pm}")
    if am_pm and not 1 <= clock.hour <= 12:
        why = "with am/pm the hours go from 1 to 12"
        if 13 <= clock.hour <= 23:  # "13pm": 1pm or 13:00, both shown
            fixed = (
                f"{clock.hour - 12}:{clock.minute:02d}" if clock.minute else f"{clock.hour - 12}"
            )
            raise _bad_clock(
                text, clock.part, why, fixed + am_pm, f"{clock.hour}:{clock.minute:02d}"
            )
        raise _bad_clock(text, clock.part, why, f"9{am_pm}")
    if clock.hour > 23:
        raise _bad_clock(text, clock.part, "the clock runs from 00:00 to 23:59", "23:00")


def _check_real_day(text: str, part: _Part, year: int | None, month: int | None, day: int) -> None:
    """Refuse a day no calendar has ("Dec 32", "Feb 29 2027", "2026-13-01"), with the
    member's text made right as the example."""
    if month is not None and not 1 <= month <= 12:
        raise WhenError(
            f'"{part.text}" isn\'t a real day (there is no month {month}): write '
            'year-month-day, e.g. "2026-12-03 07:30".'
        )
    if month is None:
        if not 1 <= day <= 31:
            example = _replace(text, part, "the 1st" if day < 1 else "the 31st")
            raise WhenError(
                f'"{part.text}" isn\'t a real day: months have 1 to 31 days, e.g. "{example}".'
            )
        return
    longest = calendar.monthrange(2000 if year is None else year, month)[1]  # 2000: a leap year
    if 1 <= day <= longest:
        return
    name = calendar.month_name[month]
    if month == 2 and day == 29:
        why = f"{year} isn't a leap year"
    else:
        why = f"{name} has {'at most ' if month == 2 and year is None else ''}{longest} days"
    fixed = min(max(day, 1), longest)
    if part.text[:4].isdigit():  # ISO: answer in ISO
        example = f"{year:04d}-{month:02d}-{fixed:02d}"
    else:
        example = f"{calendar.month_abbr[month]} {fixed}" + (f" {year}" if year else "")
    raise WhenError(
        f'"{part.text}" isn\'t a real day: {why}, e.g. "{_replace(text, part, example)}".'
    )


def _too_far(text: str, when: datetime | None = None) -> WhenError:
    year = f" ({when:%Y})" if when is not None else ""
    return WhenError(f'"{text}"{year} is too far away for a meeting or a message. Try {EXAMPLES}.')


# -- from what the text says to an instant ---------------------------------------------------


def _add_months(day: date, months: int, part: _Part) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if not 1 <= year <= 9999:
        raise _too_far(part.text)
    if day.day > calendar.monthrange(year, month)[1]:
        raise WhenError(
            f'"{part.text}" lands on {calendar.month_abbr[month]} {day.day}, which doesn\'t '
            f'exist: name the day, e.g. "{calendar.month_abbr[month]} 1 10am".'
        )
    return day.replace(year=year, month=month)


def _resolve_day(reading: _Reading, today: date, prefer: Prefer) -> date | None:
    day = reading.day
    found: date | None = None
    if day is None:
        pass
    elif day.kind == "offset":
        found = today + timedelta(days=day.offset)
    elif day.kind == "shift":
        found = today + timedelta(days=day.offset)
        months = day.shift.get("months", 0) + 12 * day.shift.get("years", 0)
        try:
            found += timedelta(days=day.shift.get("days", 0) + 7 * day.shift.get("weeks", 0))
        except OverflowError:
            raise _too_far(reading.text) from None
        if months:
            found = _add_months(found, months, day.part)
    elif day.year is not None and day.month is not None:
        found = date(day.year, day.month, day.day)
    else:
        found = _nearest_date(day, today, prefer)
    weekday = reading.weekday
    if weekday is None:
        return found
    if weekday.week is not None and found is not None:
        raise WhenError(
            f'"{weekday.part.text}" and "{found:%b} {found.day}" are two days: give one, '
            f'e.g. "{found:%b} {found.day} 10am".'
        )
    if found is not None:
        if found.weekday() != weekday.weekday:
            named = calendar.day_name[weekday.weekday]
            raise WhenError(
                f"{found:%b} {found.day}, {found.year} is a {found:%A}, not a {named}: write one "
                f'of them, e.g. "{found:%A} {found:%b} {found.day} 10am".'
            )
        return found
    if weekday.week is not None:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weekday.week)
        return monday + timedelta(days=weekday.weekday)
    ahead = (weekday.weekday - today.weekday()) % 7
    behind = (today.weekday() - weekday.weekday) % 7
    if weekday.modifier == "next":
        return today + timedelta(days=ahead or 7)
    if weekday.modifier == "last":
        return today - timedelta(days=behind or 7)
    # The named day itself when it is today, else the next one (or, looking back, the last).
    return today + timedelta(days=ahead) if prefer == "future" else today - timedelta(days=behind)


def _nearest_date(day: _Day, today: date, prefer: Prefer) -> date:
    """A date without a year ("Dec 3") or month ("the 15th"): today or the next one when
    looking ahead, today or the last one when looking back."""
    step = 1 if prefer == "future" else -1
    if day.month is None:
        year, month = today.year, today.month
        for _ in range(13):
            if day.day <= calendar.monthrange(year, month)[1]:
                found = date(year, month, day.day)
                if (found - today).days * step >= 0:
                    return found
            month0 = month - 1 + step
            year, month = year + month0 // 12, month0 % 12 + 1
    else:
        for year in range(today.year, today.year + 9 * step, step):
            if day.day <= calendar.monthrange(year, day.month)[1]:
                found = date(year, day.month, day.day)
                if (found - today).days * step >= 0:
                    return found
    raise AssertionError("every real day comes round within 9 years")  # pragma: no cover


# The hours each part of the day covers, on a 24-hour clock.
_PERIOD_HOURS = {
    "morning": range(1, 12),
    "afternoon": range(12, 19),
    "evening": range(17, 24),
    "night": range(17, 24),
}


def _clock_time(reading: _Reading) -> time:
    """The clock time, with am/pm settled by the part of the day where it needs one
    ("tonight 8" is 20:00), and refused where the two disagree ("tonight 8am")."""
    clock = reading.clock
    assert clock is not None
    period = reading.period[0] if reading.period else None
    hour = clock.hour
    if clock.meridiem:
        hour = hour % 12 + (12 if clock.meridiem == "pm" else 0)
    elif clock.bare and not 13 <= hour <= 23:
        hour = _bare_hour(reading, hour, period)
    elif period in ("afternoon", "evening", "night") and 1 <= hour <= 11:
        hour += 12  # "tonight 8:30" is 20:30
    if period is not None and hour not in _PERIOD_HOURS[period]:
        _disagree(reading, period, hour)
    return time(hour, clock.minute, clock.second)


def _disagree(reading: _Reading, period: str, hour: int) -> None:
    """Refuse a clock time outside the part of the day named with it, suggesting the
    same hour on the other side of noon when that fits, else a typical time."""
    clock, period_part = reading.clock, reading.period[1] if reading.period else None
    assert clock is not None and period_part is not None
    flipped = (hour + 12) % 24
    if flipped in _PERIOD_HOURS[period]:
        minutes = f":{clock.minute:02d}" if clock.minute else ""
        fixed = f"{flipped % 12 or 12}{minutes}{'am' if flipped < 12 else 'pm'}"
    else:
        fixed = _PERIOD_EXAMPLE[period]
    raise WhenError(
        f'"{period_part.text}" and "{clock.part.text}" don\'t go together: e.g. '
        f'"{_replace(reading.text, clock.part, fixed)}".'
    )


def _bare_hour(reading: _Reading, hour: int, period: str | None) -> int:
    """An hour without am/pm: fine when the part of the day says which ("tonight 8"),
    else the member is asked, with their own text as the example."""
    clock = reading.clock
    assert clock is not None
    if period is not None and 1 <= hour <= 12:
        for candidate in (hour, hour + 12):
            if candidate in _PERIOD_HOURS[period]:
                return candidate
    if 1 <= hour <= 12:
        am, pm = (_replace(reading.text, clock.part, f"{hour}{m}") for m in ("am", "pm"))
        raise WhenError(f'Is "{clock.part.text}" am or pm? Write "{am}" or "{pm}".')
    raise _bad_clock(reading.text, clock.part, "the clock runs from 00:00 to 23:59", "9am", "21:00")


def _localize(wall: datetime, zone: _Zone | None, tz: ZoneInfo, reading: _Reading) -> datetime:
    """The instant a wall-clock time means in the named zone (or the member's)."""
    if zone is not None and zone.season is not None:
        region, hours, other, generic = zone.season
        seen = {wall.replace(tzinfo=zone.zone, fold=f).utcoffset() for f in (0, 1)}
        if timedelta(hours=hours) not in seen:
            name = zone.part.text.upper()
            raise WhenError(
                f"On {wall:%b} {wall.day} the clocks in {region} are not on {name} but on "
                f'{other}: write "{_replace(reading.text, zone.part, generic)}" for the time '
                f'there, or "{_replace(reading.text, zone.part, other)}".'
            )
        return wall.replace(tzinfo=timezone(timedelta(hours=hours)))
    where: tzinfo = zone.zone if zone is not None else tz
    first, second = wall.replace(tzinfo=where, fold=0), wall.replace(tzinfo=where, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    name = getattr(where, "key", str(where))
    clock = reading.clock
    assert clock is not None
    if first.astimezone(UTC).astimezone(where).replace(tzinfo=None) != wall:
        jump = (second.utcoffset() or timedelta(0)) - (first.utcoffset() or timedelta(0))
        later = (wall + jump).strftime("%H:%M")
        raise WhenError(
            f'"{clock.part.text}" doesn\'t exist on {wall:%b} {wall.day} in {name}: the clocks '
            f'jump an hour forward that night. e.g. "{_replace(reading.text, clock.part, later)}".'
        )
    offsets = [_format_offset(t.utcoffset()) for t in (first, second)]
    raise WhenError(
        f'"{clock.part.text}" happens twice on {wall:%b} {wall.day} in {name} (the clocks go '
        f'back an hour): add the offset, "{reading.text} {offsets[0]}" for the first or '
        f'"{reading.text} {offsets[1]}" for the second.'
    )


def _format_offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_when(text: str, tz: ZoneInfo, now: datetime, *, prefer: Prefer = "future") -> datetime:
    """Read a member-typed time in their zone `tz`, relative to the aware `now`.

    Accepts days and clock times in any order ("tomorrow 8am", "3pm on Dec 3", "tonight
    8", "tmrw 3pm", "weds 2pm", "next week Tuesday 10am", "the 15th at 10am"), spans
    ("in 3 hours", "2 days ago at 4pm", "a week from today at noon"), ISO ("2026-12-03
    07:30", "2026-12-03T10:00-08:00") and a named zone ("3pm PT", "10:00 UTC", "+02:00",
    "Europe/Berlin"), which is honoured with or without a day. `prefer` decides which way
    a day named without a year or week leans: "Dec 3", "the 15th" and "Tuesday" are
    today or the next one ("future", for scheduling) or today or the last one ("past",
    for logging); a clock time alone is the next one ahead or the last one gone.

    Returns an aware UTC datetime. Raises WhenError, with an example that works, for
    anything it can't read in full or would have to guess: unknown words, impossible
    days and clock times, an hour without am/pm, two days or times, a zone name that is
    ambiguous or out of season, a time a DST change skips or repeats, a day without a
    time of day (the message then says "needs a time of day"), or a year too far away.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise WhenError(f"Tell me when, e.g. {EXAMPLES}.")
    if len(cleaned) > MAX_LENGTH:
        raise WhenError(f"That's too long to be a time. Try {EXAMPLES}.")

    reading = _Parser(cleaned).read()
    if reading.exact is not None:
        extra = reading.clock or reading.day or reading.weekday or reading.zone or reading.period
        if extra is not None:
            raise WhenError(
                f'"{cleaned}" gives two times: give one, e.g. "in 3 hours" or "tomorrow 3pm".'
            )
        try:
            return now.astimezone(UTC) + reading.exact[0]
        except OverflowError:
            raise _too_far(cleaned) from None

    today = now.astimezone(tz).date()
    day = _resolve_day(reading, today, prefer)
    if reading.clock is None:
        if day is None and reading.weekday is None:
            if reading.zone is None:
                raise _unreadable(cleaned, cleaned)
            raise WhenError(
                f'"{cleaned}" needs a day and a time with it, e.g. "tomorrow 3pm {cleaned}".'
            )
        example = _PERIOD_EXAMPLE.get(reading.period[0] if reading.period else "", "9am")
        raise WhenError(f'"{cleaned}" {NEEDS_TIME} too, e.g. "{cleaned} {example}".')
    clock = _clock_time(reading)
    if day is not None and reading.clock.part.text.lower() == "midnight":
        # "Friday at midnight": the night into Friday or out of it? People mean both.
        start, end = (_replace(cleaned, reading.clock.part, t) for t in ("00:00", "23:59"))
        raise WhenError(
            f'"{cleaned}" could be the start or the end of that day: write "{start}" or "{end}".'
        )
    if day is None:
        # A clock time alone: the next one ahead (or the last one gone), on the clock of
        # the zone it was given in.
        where = reading.zone.zone if reading.zone is not None else tz
        day = now.astimezone(where).date()
        wall = datetime.combine(day, clock)
        if prefer == "future" and _localize(wall, reading.zone, tz, reading) < now:
            wall += timedelta(days=1)  # same wall-clock time tomorrow, even across DST
        elif prefer == "past" and _localize(wall, reading.zone, tz, reading) > now:
            wall -= timedelta(days=1)
    else:
        wall = datetime.combine(day, clock)
    result = _localize(wall, reading.zone, tz, reading).astimezone(UTC)
    if abs(result - now) > MAX_DISTANCE:
        raise _too_far(cleaned, result.astimezone(tz))
    return result


def parse_until(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """When a pause a member typed ends (/network pause, /practice pause): the moment
    typed ("Dec 15 6pm"), or for a day alone ("Dec 15", "friday") the start of that day
    in `tz` — "until Dec 15" means back on Dec 15, whatever the hour. Read as the
    future; unreadable text raises WhenError with its example, as parse_when does."""
    try:
        return parse_when(text, tz, now, prefer="future")
    except WhenError as error:
        if NEEDS_TIME not in str(error):
            raise
        try:
            return parse_when(f"{text.strip()} 00:00", tz, now, prefer="future")
        except WhenError:
            raise error from None


def warm_up() -> None:
    """Parse a few typical times, so first-use set-up (compiled patterns, the list of
    IANA zone names) happens at start-up instead of inside a member's command."""
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    for text in ("tomorrow 8am", "Dec 3 7:30 Europe/Berlin"):
        parse_when(text, ZoneInfo("UTC"), now)
