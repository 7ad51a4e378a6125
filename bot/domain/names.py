"""How the bot compares people's names, and how a typed name resolves to a record.

One normalisation for the whole bot (`comparable_name`): lookups, duplicate warnings and
imports compare names the way a member reads them, not byte for byte. "maria gonzalez"
is "María González"; "Grace Hopper 🔸" is "Grace Hopper"; "O’Brien" is "O'Brien".

One resolver (`resolve`) for every option that names a prospect or a meeting: an exact
(comparable) name first, then a part of one; several equally good matches mean the member
chooses (never a silent pick); nothing at all gets the closest few names as "did you
mean". No Discord here: the UI renders what these functions return.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process, utils

T = TypeVar("T")

# Apostrophes vanish ("O'Brien" = "OBrien" = "O’Brien"); every other mark, symbol or emoji
# separates words ("Jean-Luc" = "Jean Luc", "Grace Hopper 🔸" = "Grace Hopper").
_APOSTROPHES = frozenset("'’‘ʼ`´")
# Scripts whose accents members leave out when typing (María → maria). Marks in other
# scripts (Devanagari vowel signs, for instance) carry the word itself and stay.
_ACCENTED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")

# "Did you mean": a suggestion must score at least this (0–100, see `closest`); the figure
# comes from tests/domain/test_names.py's typo table, where it keeps every labelled typo
# and suggests nothing for the names that aren't there.
SUGGESTION_CUTOFF = 75
SUGGESTIONS = 3


def _accented_base(char: str) -> bool:
    if not char:  # a mark with nothing before it
        return False
    try:
        return unicodedata.name(char).startswith(_ACCENTED_SCRIPTS)
    except ValueError:  # unnamed code points (controls): no accents to drop
        return False


def _decoration(char: str, category: str) -> bool:
    """Emoji variation selectors and enclosing marks (keycaps, circles) decorate a name."""
    return category == "Me" or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


@functools.lru_cache(maxsize=8192)  # autocomplete compares the same names at every keystroke
def comparable_name(text: str | None) -> str:
    """A name as the bot compares it: case, accents (Latin, Greek, Cyrillic), emoji,
    decoration and spacing ignored; apostrophes dropped; other punctuation separates
    words. A name made only of symbols (say "🙂🙂") compares as itself, case-folded, so
    it still equals itself and nothing else."""
    text = text or ""
    words: list[str] = []
    base = ""
    # Unicode's compatibility caseless match (D145): fold, decompose, fold again.
    folded = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text.casefold()).casefold()
    )
    for char in folded:
        category = unicodedata.category(char)
        if category[0] == "M":  # a combining mark: part of the word unless it decorates
            if not (_decoration(char, category) or (category == "Mn" and _accented_base(base))):
                words.append(char)
            continue
        base = char
        if char in _APOSTROPHES or category == "Cf":  # invisible joiners and marks too
            continue
        words.append(char if category[0] in "LN" else " ")
    compared = " ".join("".join(words).split())
    return compared or " ".join(text.casefold().split())


def _words_match(typed: list[str], name: list[str]) -> bool:
    """Every typed word starts a different word of the name, in any order ("lee jor"
    finds "Jordan Lee")."""
    left = list(name)
    for word in sorted(typed, key=len, reverse=True):
        hit = next((candidate for candidate in left if candidate.startswith(word)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def _tier(key: str, name: str) -> int | None:
    """How well a comparable name matches a comparable typed key: 0 exact, 1 starts with
    it, 2 its words start the name's words, 3 contains it; None when it doesn't match."""
    if name == key:
        return 0
    if name.startswith(key):
        return 1
    if _words_match(key.split(), name.split()):
        return 2
    if key in name:
        return 3
    return None


@dataclass(frozen=True)
class Resolution(Generic[T]):
    """What a typed name means among the member's records.

    Exactly one of: `found` (the one record meant), `choices` (several match equally
    well: the member chooses), `suggestions` (nothing matched: the closest few, maybe
    none)."""

    found: T | None = None
    choices: tuple[T, ...] = ()
    suggestions: tuple[T, ...] = ()
    exact: bool = False  # the choices share the typed name exactly (namesakes)


def resolve(
    typed: str,
    candidates: Sequence[T],
    name: Callable[[T], str],
    *,
    prefer: Callable[[T], bool] | None = None,
) -> Resolution[T]:
    """The record a typed name means: an exact comparable name first; else every record
    whose name starts with or contains it; one match is found, several are choices.

    `prefer` settles several matches only when exactly one of them is preferred (a
    command about a meeting ahead, when only one meeting with that person is ahead);
    otherwise the member chooses among the preferred ones, or among all if none is.
    Nothing matching: the closest few names as suggestions.
    """
    key = comparable_name(typed)
    if not key:
        return Resolution()
    keyed = [(comparable_name(name(candidate)), candidate) for candidate in candidates]
    exact = [candidate for compared, candidate in keyed if compared == key]
    matches = exact
    if not exact:
        words = key.split()
        matches = [
            candidate
            for compared, candidate in keyed
            if key in compared or _words_match(words, compared.split())
        ]
    if len(matches) > 1 and prefer is not None:
        preferred = [candidate for candidate in matches if prefer(candidate)]
        matches = preferred or matches
    if len(matches) == 1:
        return Resolution(found=matches[0])
    if matches:
        return Resolution(choices=tuple(matches), exact=bool(exact))
    return Resolution(suggestions=tuple(closest(typed, candidates, name)))


def closest(
    typed: str, candidates: Sequence[T], name: Callable[[T], str], limit: int = SUGGESTIONS
) -> list[T]:
    """The records whose names are closest to a typed one (a typo, a missing letter, a
    swapped pair), best first, at most `limit` distinct names (namesakes come together);
    none when nothing is close enough to be worth asking about.

    RapidFuzz's WRatio over comparable names: it weighs whole-string, partial and
    word-order similarity, which is how people mistype names ("Ada Lovelce",
    "Lovelace Ada", "Grace Hoper")."""
    by_name: dict[str, list[T]] = {}
    for candidate in candidates:
        by_name.setdefault(comparable_name(name(candidate)), []).append(candidate)
    best = process.extract(
        comparable_name(typed),
        list(by_name),
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=SUGGESTION_CUTOFF,
        limit=limit,
    )
    return [candidate for found, _, _ in best for candidate in by_name[found]]


def rank(
    typed: str,
    candidates: Iterable[T],
    name: Callable[[T], str],
    *,
    also: Callable[[T], Iterable[str | None]] = lambda _: (),
    limit: int = 25,
) -> list[T]:
    """Autocomplete's order: the records matching a typed text, best first — the exact
    name, names that start with it, names whose words it starts, names containing it,
    then records where it is in `also` (organization, role) — each group in the order
    given (the caller's recency). An empty text lists the first `limit` as given. When
    nothing matches by name or `also`, the closest names (a typo) are offered."""
    key = comparable_name(typed)
    items = list(candidates)
    if not key:
        return items[:limit]
    tiers: list[tuple[int, int, T]] = []
    for position, candidate in enumerate(items):
        tier = _tier(key, comparable_name(name(candidate)))
        if tier is None and any(
            key in comparable_name(extra) for extra in also(candidate) if extra
        ):
            tier = 4
        if tier is not None:
            tiers.append((tier, position, candidate))
    if not tiers:
        return closest(typed, items, name, limit=limit)[:limit]
    tiers.sort(key=lambda entry: entry[:2])
    return [candidate for _, _, candidate in tiers[:limit]]


def same_name(first: str | None, second: str | None) -> bool:
    """Whether two names are the same person's name as the bot compares names."""
    return comparable_name(first) == comparable_name(second)
