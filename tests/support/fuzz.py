"""Hypothesis strategies for what a member (or a forged client) could send as a command's
options, read off the command schema the bot synced to the emulator.

Each option gets values of its type, with the shapes that have hurt bots before: any
Unicode, exactly the schema's max_length and past it, Discord markdown, mentions
(@everyone, <@id>, <#id>, <@&id>), masked links, zero-width and direction marks,
control characters, times with UTC offsets, numbers out of range and past 64 bits,
choices that are not among the choices, records of someone else, and files of random
bytes or hostile CSV. `tests/e2e/test_fuzz.py` drives them through the real bot.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from hypothesis import strategies as st

from bot.emulator.driver import ATTACHMENT, BOOLEAN, INTEGER, NUMBER, STRING
from tests.support.e2e import TOO_BIG

# Discord's own ceiling for a string option without a max_length.
DISCORD_STRING_MAX = 6000

EVIL = "https://evil.example"
MENTIONS = (
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<#1>",
    "<@&1>",
    "</mydata delete:1>",
    "<:emoji:1>",
    "<t:0:R>",
)
LINKS = (
    f"[x]({EVIL})",
    f"[Verify your account](<{EVIL}/login>)",
    f"[Claim](  {EVIL}/claim 'title')",
    f"[]({EVIL}/empty)",
    f"{EVIL}/bare",
    f"<{EVIL}/angle>",
    "hxxps://evil.example",
    "https://www.linkedin.com/in/ada-lovelace",
    "javascript:alert(1)",
)
MARKDOWN = (
    "**",
    "__",
    "~~",
    "||",
    "`",
    "```",
    "```py\n",
    "> ",
    ">>> ",
    "# ",
    "-# ",
    "1. ",
    "- ",
    "\\",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    ":",
    "<",
    ">",
    '"',
    "'",
    "\n",
    "\r\n",
    "\t",
)
# Zero-width, direction, soft-hyphen, BOM and control characters.
MARKS = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u200f",
    "\u061c",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
)
ODD = (
    "'; DROP TABLE prospects; --",
    "%s %d %(name)s",
    "{0} {name!r}",
    "${HOME}",
    "../../etc/passwd",
    "NULL",
    "None",
    "-",
    "0",
    " ",
    "🙂",
    "👩\u200d👩\u200d👧",
    "𝕏",
    "é",
    "e\u0301",
    "ǅ",
    "ﷺ",
    "\U0010ffff",
    "Ω" * 3,
)
TRAPS = MENTIONS + LINKS + MARKDOWN + MARKS + ODD

TIMES = (
    "2026-12-03T10:00Z",
    "2026-12-03T10:00-08:00",
    "2026-12-03T10:00+14:00",
    "2026-12-03 10:00 +05:30",
    "2026-12-03T10:00:00.123456789Z",
    "2026-12-03 10:00 PST",
    "2026-12-03 10:00 UTC+25",
    "tomorrow 3pm",
    "in 3 hours",
    "in 10 minutes",
    "yesterday 4pm",
    "now",
    "2026-03-08 02:30",
    "2026-11-01 01:30",
    "9999-12-31 23:59",
    "0001-01-01 00:00",
    "1970-01-01 00:00",
    "2038-01-19 03:14:08",
    "25:61",
    "24:00",
    "00:00",
    "12am",
    "noon",
    "midnight",
    "in 99999999999 years",
    "in -3 hours",
    "-1",
    "monday 9am",
    "fri 17:30",
    "off",
    "22:00",
    "1:30am",
)
# Dates around the suite's clock (Friday 2026-11-27): meetings a member could plan.
NEAR = (date(2026, 10, 1), date(2027, 2, 28))
OFFSETS = ("Z", "+14:00", "-12:00", "+05:45", "-08:00", "+25:00", "-00:00", " UTC", " EST", "")
ZONES = (
    "UTC",
    "America/New_York",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "Mars/Olympus_Mons",
    "../../etc/passwd",
    "/etc/localtime",
    "localtime",
    "Factory",
    "posixrules",
    "UTC+5",
    "EST5EDT",
    "america/new_york",
    "America/New_York\x00",
    "Europe/Kyiv",
    "Europe/Kiev",
)
# A record named by what is not one of the member's own: nothing, zero, negative, past
# SQLite's INTEGER range, or not a whole number.
FORGED_IDS = ("0", "-1", TOO_BIG, "9223372036854775807", "1.5", "#1", " 1 ", "1e3", "0x1")
FILENAMES = (
    "Connections.csv",
    "connections.CSV",
    "Basic_LinkedInDataExport_11-27-2026.zip",
    "notes.txt",
    "../../etc/passwd",
    "a" * 200 + ".csv",
    "résumé 🙂.csv",
    "x.csv\u202egpj.exe",
    "`evil` [x](https://evil.example).csv",
)
HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
TIME_OPTIONS = {"when", "quiet_start", "quiet_end", "digest", "until"}
REFERENCE_OPTIONS = {"prospect", "meeting", "question"}
LINK_OPTIONS = {"linkedin", "place"}

_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs",))


@dataclass
class Case:
    """One fuzzed invocation: who runs which command where, with which raw values."""

    path: str
    who: str
    in_dm: bool
    values: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """The command line as typed, every value quoted (backslash before \\ and ")."""
        typed = " ".join(f'{name}:"{quote(value)}"' for name, value in self.values.items())
        return f"/{self.path} {typed}".rstrip()


def quote(value: str) -> str:
    """A value inside the driver's double quotes."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def member_text(max_length: int | None = None) -> st.SearchStrategy[str]:
    """Text a member could type or paste: traps and any Unicode mixed, or exactly the
    option's limit (Discord's 6,000 without one) and just past it."""
    limit = max_length or DISCORD_STRING_MAX
    piece = st.one_of(st.sampled_from(TRAPS), st.text(_CHARACTERS, min_size=1, max_size=12))
    mixed = st.lists(piece, min_size=1, max_size=8).map("".join)
    units = st.sampled_from(["a", "é", "𝕏", "\u200b", "@everyone ", f"[x]({EVIL}) ", "`"])
    # Past the option's own limit; Discord sends no string option past 6,000.
    beyond = [extra for extra in (0, 1, 100) if limit + extra <= DISCORD_STRING_MAX]
    long = st.builds(
        lambda unit, extra: (unit * (limit // len(unit) + 2))[: limit + extra],
        units,
        st.sampled_from(beyond),
    )
    return st.one_of(mixed, mixed, mixed, long).filter(bool)


def time_text() -> st.SearchStrategy[str]:
    """Times as members write them, with UTC offsets and zone names, impossible ones and
    DST gaps and overlaps; half of them near the suite's clock (November 2026), so many
    are read and the command carries on."""

    def stamp(day: date, moment: time, offset: str) -> str:
        return f"{day.isoformat()}T{moment.isoformat()}{offset}"

    offsets = st.sampled_from(OFFSETS)
    near = st.builds(stamp, st.dates(NEAR[0], NEAR[1]), st.times(), offsets)
    anywhen = st.builds(stamp, st.dates(), st.times(), offsets)
    return st.one_of(st.sampled_from(TIMES), near, near, anywhen, member_text(100))


def integer_text(option: dict[str, Any]) -> st.SearchStrategy[str]:
    """Whole numbers at and past the option's bounds, and past 64 bits."""
    low, high = option.get("min_value"), option.get("max_value")
    edges = [0, -1, 2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**40]
    for bound in (low, high):
        if bound is not None:
            edges += [int(bound) - 1, int(bound), int(bound) + 1]
    edges += [int(c["value"]) for c in option.get("choices") or []]
    numbers = st.one_of(st.sampled_from(edges), st.integers())
    if low is not None and high is not None:
        numbers = st.one_of(st.integers(int(low), int(high)), numbers)
    return numbers.map(str)


def choice_text(option: dict[str, Any]) -> st.SearchStrategy[str]:
    """One of the choices (by value or by name, any case), or a forged one."""
    choices = option["choices"]
    valid = st.sampled_from([str(c["value"]) for c in choices] + [c["name"] for c in choices])
    if option["type"] in (INTEGER, NUMBER):
        return st.one_of(valid, integer_text(option))
    forged = st.one_of(
        valid.map(str.upper),
        valid.map(lambda v: f" {v} "),
        st.sampled_from(["email", "linkedin", "accepted", "all", "top", "other", "none"]),
        member_text(100),
    )
    return st.one_of(valid, valid, valid, forged)


def reference_text(own: list[str], foreign: list[str]) -> st.SearchStrategy[str]:
    """A record named by id or name: the member's own, someone else's, or forged."""
    choices = [st.sampled_from([*FORGED_IDS, *foreign]), member_text(100)]
    if own:
        choices.insert(0, st.sampled_from(own))
    return st.one_of(choices)


# Values Discord's client would send and the bot should take, by option name.
PLAUSIBLE_TIMES = {
    "when": (
        "tomorrow 3pm",
        "in 3 hours",
        "Dec 3 7:30",
        "2026-12-03 10:00",
        "2026-12-03T10:00-08:00",
        "2026-12-03T18:00Z",
        "yesterday 4pm",
        "2026-11-20 09:00",
        "now",
    ),
    "quiet_start": ("22:00", "9pm", "23:30"),
    "quiet_end": ("07:00", "8am", "1:30am"),
    "digest": ("monday 9am", "fri 17:30", "off"),
}
PLAUSIBLE_ZONES = ("UTC", "America/New_York", "Asia/Kathmandu", "Europe/Kyiv", "london")


def plausible_text(option: dict[str, Any], own: list[str]) -> st.SearchStrategy[str]:
    """A value the command should take (so the case reaches past its checks): a choice,
    a number in range, a time it reads, one of the member's records; free text is still
    hostile, as stored text is shown again by later commands."""
    name, kind = option["name"], option["type"]
    if kind == BOOLEAN:
        return st.sampled_from(["true", "false"])
    if option.get("choices"):
        return st.sampled_from([str(c["value"]) for c in option["choices"]])
    low, high = option.get("min_value"), option.get("max_value")
    if kind in (INTEGER, NUMBER):
        return st.integers(int(low or 0), int(high if high is not None else 100)).map(str)
    if name in REFERENCE_OPTIONS and own:
        return st.sampled_from(own)
    if name == "tz":
        return st.sampled_from(PLAUSIBLE_ZONES)
    if name in PLAUSIBLE_TIMES:
        return st.sampled_from(PLAUSIBLE_TIMES[name])
    if name == "linkedin":
        return st.sampled_from(["https://www.linkedin.com/in/ada-b", "linkedin.com/in/grace-h"])
    limit = min(option.get("max_length") or DISCORD_STRING_MAX, 300)
    piece = st.one_of(st.sampled_from(TRAPS), st.text(_CHARACTERS, min_size=1, max_size=12))
    return st.lists(piece, min_size=1, max_size=8).map(lambda parts: "".join(parts)[:limit])


def option_text(
    option: dict[str, Any], own: list[str], foreign: list[str]
) -> st.SearchStrategy[str]:
    """Raw hostile text typed for one option, by its type and what it names."""
    name, kind = option["name"], option["type"]
    if kind == BOOLEAN:
        return st.sampled_from(["true", "false"])
    if kind in (INTEGER, NUMBER):
        return choice_text(option) if option.get("choices") else integer_text(option)
    if kind != STRING:
        raise ValueError(f"no strategy for option {name!r} of type {kind}")
    if option.get("choices"):
        return choice_text(option)
    if name in REFERENCE_OPTIONS:
        return reference_text(own, foreign)
    if name == "tz":
        return st.one_of(st.sampled_from(ZONES), member_text(100))
    if name in TIME_OPTIONS:
        return time_text()
    if name == "linkedin":
        slug = st.text(_CHARACTERS, min_size=1, max_size=40).map(
            lambda s: f"https://www.linkedin.com/in/{s}"
        )
        return st.one_of(slug, member_text(option.get("max_length")))
    return member_text(option.get("max_length"))


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    """A Connections.csv as LinkedIn writes it (its notes lines, the header, the rows)."""
    out = io.StringIO(newline="")
    out.write('Notes:\r\n"When exporting your connection data, ..."\r\n\r\n')
    # CRLF, RFC 4180's line end: a field holding either character is quoted.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def zipped(name: str, data: bytes) -> bytes:
    """A .zip holding one file, as LinkedIn's data export is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def upload() -> st.SearchStrategy[tuple[str, bytes]]:
    """A file for an ATTACHMENT option: random bytes, or a CSV (plain, UTF-16 or zipped)
    whose cells are hostile text."""
    cell = st.one_of(member_text(120), st.just(""), st.just("-"))
    rows = st.lists(st.lists(cell, min_size=6, max_size=8), min_size=0, max_size=6)
    as_csv = st.builds(csv_bytes, rows)
    as_utf16 = st.builds(lambda r: csv_bytes(r, encoding="utf-16"), rows)
    as_zip = st.builds(lambda r: zipped("Connections.csv", csv_bytes(r)), rows)
    content = st.one_of(st.binary(max_size=4096), as_csv, as_csv, as_utf16, as_zip)
    return st.tuples(st.sampled_from(FILENAMES), content)


@st.composite
def case(
    draw: st.DrawFn,
    path: str,
    options: list[dict[str, Any]],
    refs: dict[str, list[str]],
    foreign: list[str],
    places: list[tuple[str, bool]],
) -> Case:
    """A fuzzed run of `path` by one of `places` (member, in DMs or not) with every
    required option and each optional one or not: one value hostile and the others
    plausible in half the cases, every one hostile in a quarter, none in the rest (its
    free text still full of traps, so the command carries on and stores them). `refs`
    are the member's own records by option name; `foreign` someone else's."""
    who, in_dm = draw(st.sampled_from(places))
    fuzzed = Case(path=path, who=who, in_dm=in_dm)
    given = [o for o in options if o.get("required") or draw(st.booleans())]
    names = [o["name"] for o in given]
    mode = draw(st.sampled_from(["one", "one", "all", "none"])) if names else "none"
    hostile = set(names) if mode == "all" else set()
    if mode == "one":
        hostile = {draw(st.sampled_from(names))}
    for option in given:
        name = option["name"]
        own = refs.get(name, [])
        if option["type"] == ATTACHMENT:
            fuzzed.files[name] = draw(upload())
        elif name in hostile:
            fuzzed.values[name] = draw(option_text(option, own, foreign))
        else:
            fuzzed.values[name] = draw(plausible_text(option, own))
    return fuzzed


_STYLING = ("**", "__", "~~", "||", "`", "> ", "# ", "-# ", "\\")
_CSV_STARTS = (b"Notes:", b"PK", b"\xff\xfe", b"\xfe\xff")


def _is_choice(option: dict[str, Any], raw: str) -> bool:
    return any(
        raw.lower() == str(c["name"]).lower() or raw == str(c["value"]) for c in option["choices"]
    )


def _out_of_range(option: dict[str, Any], raw: str) -> bool:
    number = int(raw)
    low, high = option.get("min_value"), option.get("max_value")
    return (low is not None and number < low) or (high is not None and number > high)


def input_classes(fuzzed: Case, options: list[dict[str, Any]], foreign: set[str]) -> set[str]:
    """The classes of input a case holds (for the run's statistics): which traps its
    values carry, whether it forged what Discord's client checks, what file it sent.
    `foreign` holds references to records that are not the member's own."""
    by_name = {o["name"]: o for o in options}
    found = {"in DMs"} if fuzzed.in_dm else set()
    for name, raw in fuzzed.values.items():
        option = by_name[name]
        limit = option.get("max_length") or DISCORD_STRING_MAX
        checks = {
            "mention syntax": any(m in raw for m in MENTIONS),
            "masked link or URL": "](" in raw or "://" in raw,
            "markdown": any(s in raw for s in _STYLING),
            "zero-width, direction or control character": any(
                unicodedata.category(c) in ("Cc", "Cf") for c in raw
            ),
            "non-ASCII text": any(ord(c) > 127 for c in raw),
            "max_length or past it": option["type"] == STRING and len(raw) >= limit,
            "a choice forged": bool(option.get("choices")) and not _is_choice(option, raw),
            "a number out of range": option["type"] in (INTEGER, NUMBER)
            and not option.get("choices")
            and _out_of_range(option, raw),
            "a time, offset or zone": name in TIME_OPTIONS or name == "tz",
            "another member's record or a forged id": name in REFERENCE_OPTIONS and raw in foreign,
        }
        found |= {label for label, hit in checks.items() if hit}
    for _, content in fuzzed.files.values():
        found.add(
            "a CSV (plain, UTF-16 or zipped) of hostile cells"
            if content.startswith(_CSV_STARTS)
            else "a file of random bytes"
        )
    return found
