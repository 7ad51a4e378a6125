"""IANA time zone names: the list members pick from, autocomplete, and strict resolution."""

from __future__ import annotations

import difflib
import zoneinfo
from functools import cache
from zoneinfo import ZoneInfo

__all__ = ["UnknownTimezone", "all_timezones", "resolve_timezone", "suggest_timezones"]

# The continents/oceans of the canonical tzdb names. Everything else in
# available_timezones() is a backward-compatibility alias ("US/Eastern", "Japan",
# "EST5EDT"), an Etc/ offset zone with inverted signs, or build junk ("Factory",
# "localtime", "posixrules", "posix/...", "right/..."): clutter in a picker.
_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
_JUNK = frozenset({"Factory", "localtime", "posixrules", "leapseconds", "tzdata.zi"})

COMMON_TIMEZONES = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)
_COMMON_RANK = {name: i for i, name in enumerate(COMMON_TIMEZONES)}

# What members type when they don't know the IANA name: abbreviations and region words.
# Each means the zone most people using it live in, with its daylight saving time (the
# tz database's own "EST" is a fixed UTC-5 all year, which is wrong for New York).
ABBREVIATIONS = {
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "wet": "Europe/Lisbon",
    "cet": "Europe/Berlin",
    "cest": "Europe/Berlin",
    "eet": "Europe/Athens",
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "wat": "Africa/Lagos",
    "cat": "Africa/Maputo",
    "eat": "Africa/Nairobi",
    "brt": "America/Sao_Paulo",
    "utc": "UTC",
    "z": "UTC",
    "zulu": "UTC",
}
# Longest input worth looking at: the longest IANA name is about 30 characters.
MAX_INPUT = 64


class UnknownTimezone(ValueError):
    """A typed zone that isn't an IANA name; carries the closest real names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f'"{text}" isn\'t a time zone I know.{hint} '
            "Pick one from the list as you type, e.g. America/New_York."
        )


@cache
def _available() -> frozenset[str]:
    # Reads the tz database from disk; cached because autocomplete calls this per keystroke.
    return frozenset(zoneinfo.available_timezones())


@cache
def _all() -> tuple[str, ...]:
    names = {n for n in _available() if n.split("/", 1)[0] in _REGIONS and "/" in n}
    names.add("UTC")
    return tuple(sorted(names))


def all_timezones() -> list[str]:
    """Sorted canonical IANA zone names a member can pick (regional names plus "UTC")."""
    return list(_all())


def _key(text: str) -> str:
    """Case- and space-insensitive form: "new york" and "New_York" compare equal."""
    return "_".join(text.strip().lower().split())


@cache
def _index() -> tuple[tuple[str, str, str], ...]:
    """(name, lowered name, lowered city) per zone, e.g. ("America/New_York", ..., "new_york")."""
    return tuple((n, n.lower(), n.rsplit("/", 1)[-1].lower()) for n in _all())


@cache
def _by_key() -> dict[str, str]:
    """Lowered key -> proper name for every usable zone, aliases included."""
    usable = {
        n
        for n in _available()
        if n not in _JUNK and not n.startswith(("posix/", "right/", "SystemV/"))
    }
    return {n.lower(): n for n in usable}


def _rank(name: str) -> tuple[int, str]:
    # Within a tier, zones most members live in come first, then alphabetical.
    return (_COMMON_RANK.get(name, len(_COMMON_RANK)), name)


def suggest_timezones(text: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete, best match first, at most `limit`.

    Tiers: exact name, exact city ("london"), prefix of the name or the city
    ("new y" -> America/New_York), substring, then fuzzy spelling matches. Empty
    text gives a few common zones.
    """
    if limit <= 0:
        return []
    q = _key(text[:MAX_INPUT])
    if not q:
        return list(COMMON_TIMEZONES[:limit])

    tiers: list[list[str]] = [[], [], [], []]
    if q in ABBREVIATIONS:
        # "EST" means New York, not every zone whose name happens to contain "est".
        tiers[0].append(ABBREVIATIONS[q])
    for name, low, city in _index():
        if name in tiers[0]:
            continue
        if low == q:
            tiers[0].append(name)
        elif city == q:
            tiers[1].append(name)
        elif low.startswith(q) or city.startswith(q):
            tiers[2].append(name)
        elif q in low:
            tiers[3].append(name)

    out: list[str] = []
    for tier in tiers:
        out.extend(sorted(tier, key=_rank))
        if len(out) >= limit:
            return out[:limit]

    # Typos ("londn", "berln"): only computed when the cheap tiers came up short.
    # A query with a slash is compared with whole names, otherwise with city parts.
    seen = set(out)
    pool = _fuzzy_pool("/" in q)
    for match in difflib.get_close_matches(q, list(pool), n=limit, cutoff=0.6):
        if pool[match] not in seen:
            out.append(pool[match])
            seen.add(pool[match])
    return out[:limit]


@cache
def _fuzzy_pool(whole: bool) -> dict[str, str]:
    """Lowered whole names or city parts -> proper name, for difflib."""
    return {(low if whole else city): name for name, low, city in _index()}


def _closest(text: str, n: int) -> list[str]:
    """The n nearest names, always n of them (used when the text matched nothing real)."""
    found = suggest_timezones(text, n)
    if len(found) < n:
        q = _key(text)
        pool = {low: name for name, low, _city in _index()}
        pool.update({city: name for name, _low, city in _index()})
        for match in difflib.get_close_matches(q, list(pool), n=n * 3, cutoff=0.0):
            if pool[match] not in found:
                found.append(pool[match])
            if len(found) == n:
                break
    return found


def resolve_timezone(text: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name (case-insensitive; spaces count as underscores).

    Also accepted: a common abbreviation or region word ("EST", "Pacific", "CET") as the
    zone most people using it live in, and legacy aliases such as "US/Eastern". Anything
    else (a bare city too: it is offered, not guessed) raises UnknownTimezone carrying
    the 3 closest names.
    """
    text = text[:MAX_INPUT]
    q = _key(text)
    name = ABBREVIATIONS.get(q) or _by_key().get(q)
    if name is None:
        shown = " ".join(text.split())
        raise UnknownTimezone(shown, _closest(text, 3))
    return ZoneInfo(name)
