"""Reading the people a meeting referred the member to ("who else should I talk to?").

Members write referrals as they would in a note: "Ana Silva and Raj Mehta; Chris Wu
(Square PM)". Names are separated by commas, semicolons, new lines, the word "and" or
an "&" standing alone; a remark in parentheses is that person's note, and nothing inside
parentheses splits ("Chris Wu (Procter & Gamble)"). "and" inside a word (Alexander,
Sandra) and "&" inside one (AT&T) don't split either. List markers a pasted list
carries ("- ", "• ", "1. ") are dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.domain.names import comparable_name

# "and" or "&" standing alone between names (a word of its own, case ignored).
_JOINER = re.compile(r"(?:^|\s)(?:and|&)(?=\s|$)", re.IGNORECASE)
_LINE_ENDS = frozenset("\n\r")
_SEPARATORS = frozenset(",;") | _LINE_ENDS
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*•·‣◦]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
_OPENING, _CLOSING = "([{", ")]}"


class ReferredPerson(NamedTuple):
    """One person named in a meeting's referrals, with the remark written beside them."""

    name: str
    note: str | None = None


# Where a remark stood among the names, so it stays with the name it was written beside.
_REMARK = "\ufffc"


def _pieces(text: str) -> list[tuple[str, list[str]]]:
    """The text cut at separators outside parentheses: each piece's text outside them
    (with _REMARK where each remark stood) and its remarks, in order (an unclosed
    parenthesis runs to the end of its piece)."""
    pieces: list[tuple[str, list[str]]] = []
    outside: list[str] = []
    remarks: list[str] = []
    inside: list[str] = []
    depth = 0

    def end_remark() -> None:
        remarks.append(" ".join("".join(inside).split()))
        inside.clear()
        outside.append(f" {_REMARK} ")

    for char in text.replace(_REMARK, " "):
        if depth and char in _LINE_ENDS:  # a parenthesis left open ends with its line
            end_remark()
            depth = 0
        if depth == 0 and char in _SEPARATORS:
            pieces.append(("".join(outside), list(remarks)))
            outside.clear()
            remarks.clear()
        elif char in _OPENING:
            if depth:
                inside.append(char)
            depth += 1
        elif char in _CLOSING:
            depth -= 1
            if depth > 0:
                inside.append(char)
            elif depth == 0:
                end_remark()
            else:  # a stray closing parenthesis: not part of a name
                depth = 0
                outside.append(" ")
        elif depth:
            inside.append(char)
        else:
            outside.append(char)
    if depth:
        end_remark()
    pieces.append(("".join(outside), remarks))
    return pieces


def parse_referrals(text: str | None) -> list[ReferredPerson]:
    """The people named in a referrals text, in order, without repeats (names compared
    as `comparable_name` does; the first mention keeps its note).

    "Ana Silva and Raj Mehta; Chris Wu (Square PM)" → Ana Silva, Raj Mehta, and Chris Wu
    with the note "Square PM". A remark goes with the name it was written beside; one
    with no name in its piece (say "(her manager)") belongs to no one and is left out.
    """
    people: list[ReferredPerson] = []
    seen: set[str] = set()
    for outside, remarks in _pieces(_LIST_MARKER.sub("", text or "")):
        pending = iter(remarks)
        for part in _JOINER.split(outside):
            notes = [note for _ in range(part.count(_REMARK)) if (note := next(pending))]
            name = " ".join(part.replace(_REMARK, " ").split())
            key = comparable_name(name)
            if not name or key in seen:
                continue
            seen.add(key)
            people.append(ReferredPerson(name, "; ".join(notes) or None))
    return people
