"""The shared question bank: its seed, what a valid question is, and near-duplicates.

Step 3 of the method: prepare questions. The seed's five starters are the default
bank, TIARA (Trends, Insights, Advice, Resources, Assignments) groups them, and the
one question always worth asking is "who else should I talk to?".
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.domain.draft_check import job_asks
from bot.domain.models import CATEGORIES

QUESTION_MIN_CHARS = 10
QUESTION_MAX_CHARS = 300

WHO_ELSE = "Who else would you suggest I talk to?"

DEFAULT_QUESTIONS_PATH = Path(__file__).resolve().parents[2] / "data" / "questions.toml"

_EXAMPLE = '"What does a typical week look like for you?"'
_INSIGHT_EXAMPLE = '"What do you wish you had known when you started in this field?"'


@dataclass(frozen=True, slots=True)
class SeedQuestion:
    """One question of the default bank."""

    text: str
    category: str
    starter: bool = False


def load_default_questions(path: Path | None = None) -> tuple[SeedQuestion, ...]:
    """The default bank (``data/questions.toml``, or the bank at ``path``) in file order.

    The shipped file is read once per process: it only changes with a release, and
    every prep sheet asks for it. Raises ValueError naming the offending entry when
    the file is malformed, so a bad edit to the seed fails loudly rather than seeding
    junk.
    """
    return _read_questions(path) if path is not None else _shipped_questions()


@functools.cache
def _shipped_questions() -> tuple[SeedQuestion, ...]:
    return _read_questions(DEFAULT_QUESTIONS_PATH)


def _read_questions(source: Path) -> tuple[SeedQuestion, ...]:
    with source.open("rb") as fh:
        data = tomllib.load(fh)
    entries = data.get("question")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: expected a list of [[question]] tables")
    questions: list[SeedQuestion] = []
    for number, entry in enumerate(entries, start=1):
        text = entry.get("text")
        category = entry.get("category")
        starter = entry.get("starter", False)
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{source}: question {number} has no text")
        if category not in CATEGORIES:
            raise ValueError(
                f"{source}: question {number} has category {category!r}; "
                f"expected one of {', '.join(CATEGORIES)}"
            )
        if not isinstance(starter, bool):
            raise ValueError(f"{source}: question {number}: starter must be true or false")
        questions.append(
            SeedQuestion(text=validate_question(text), category=category, starter=starter)
        )
    return tuple(questions)


def validate_question(text: str) -> str:
    """Return the question tidied (trimmed, single spaces) or raise ValueError.

    The error message is member-facing: it says what is wrong and shows a good
    question to copy.
    """
    cleaned = " ".join((text or "").split())
    if len(cleaned) < QUESTION_MIN_CHARS:
        raise ValueError(
            f"That question is too short ({len(cleaned)} characters; at least "
            f"{QUESTION_MIN_CHARS}). Try something like {_EXAMPLE}"
        )
    if len(cleaned) > QUESTION_MAX_CHARS:
        raise ValueError(
            f"That question is {len(cleaned)} characters; the limit is {QUESTION_MAX_CHARS}. "
            f"Keep it to one question, e.g. {_EXAMPLE}"
        )
    if not any(ch.isalpha() for ch in cleaned):
        raise ValueError(f"A question needs words, not just numbers or symbols. Try {_EXAMPLE}")
    # The same detector as /outreach check: a bank whose prep sheet says "ask for
    # insight and advice, not a job" must not hand members a job ask to read out.
    asks = job_asks(cleaned)
    if asks:
        raise ValueError(
            f'That asks for a job ("{asks[0]}"): the bank holds questions that ask for '
            f"insight and advice, and a job ask ends the conversation. Try something like "
            f"{_INSIGHT_EXAMPLE}"
        )
    return cleaned


# Contractions are expanded so "you'd recommend" and "you would recommend" compare equal.
_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'s\b"), ""),
)


def normalize(text: str) -> str:
    """Lower-case, expand contractions, drop punctuation and collapse whitespace.

    Two questions that differ only in case, punctuation or spacing normalize to the
    same string.
    """
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


# Small wording differences that don't change what is being asked.
_SYNONYMS = {
    "kind": "type",
    "sort": "type",
    "types": "type",
    "kinds": "type",
    "sorts": "type",
    "attracted": "attract",
    "drew": "attract",
    "drawn": "attract",
    "profession": "field",
    "industry": "field",
    "sector": "field",
    "job": "role",
    "position": "role",
    "suggest": "recommend",
    "speak": "talk",
    "person": "people",
    "folks": "people",
}

# Words that carry no meaning of their own in a question; ignored by the Jaccard
# half of the comparison so "in your field" vs "in the field" don't count as different.
_STOPWORDS = frozenset(
    """a an the to of in on at for with and or is are was were be been being do does did
    you your yours i me my we our us it its this that these those have has had would
    could should can will may might there any some about into from so as currently
    really actually just today right now""".split()  # noqa: SIM905 - a word list reads better
)


def _stem(word: str) -> str:
    # A plural "s" alone is enough for short questions; a full stemmer would
    # conflate words like "news"/"new" for no gain.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    return [_stem(_SYNONYMS.get(word, word)) for word in normalize(text).split()]


def similarity(a: str, b: str) -> float:
    """How alike two questions are, from 0 to 1.

    The mean of a word-order-aware ratio over all words (difflib) and the Jaccard
    index of the meaningful words: the first catches rewordings that keep the
    sentence, the second keeps "most challenging" and "most rewarding" apart.
    """
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, ta, tb, autojunk=False).ratio()
    ca = {t for t in ta if t not in _STOPWORDS}
    cb = {t for t in tb if t not in _STOPWORDS}
    union = ca | cb
    jaccard = len(ca & cb) / len(union) if union else ratio
    return (ratio + jaccard) / 2


def find_near_duplicate(
    text: str, existing: list[tuple[int, str]], threshold: float = 0.85
) -> int | None:
    """Return the id of the existing question most like ``text``, if alike enough.

    ``existing`` holds (id, text) rows. None when no question reaches ``threshold``.
    """
    best_id: int | None = None
    best = threshold
    for question_id, other in existing:
        score = similarity(text, other)
        # ">= best" only for the first hit keeps the earliest id on ties.
        if score > best or (best_id is None and score >= best):
            best_id, best = question_id, score
    return best_id


# Phrasings of "who else should I talk to?"; used alongside the near-duplicate
# check because the method's must-ask is worded many ways.
_WHO_ELSE_RE = re.compile(
    r"\bwho else\b|\banyone else\b|\bsomeone else\b|\bother (people|person|professionals)\b"
    r"|\brecommend (that )?i (talk|speak|connect|reach|contact|meet)\b"
    r"|\bintroduce me to\b"
    r"|\b(anyone|anybody|someone|people)\b[^?]*\bi (should|could|might) "
    r"(meet|talk|speak|contact|connect|reach)\b",
    re.IGNORECASE,
)


def asks_who_else(text: str) -> bool:
    """True when the question asks for other people to talk to (new prospects)."""
    if _WHO_ELSE_RE.search(text.replace("\u2019", "'")):
        return True
    referral_starters = [(0, WHO_ELSE)] + [
        (1, q.text) for q in _starters_cache() if q.category == "resources"
    ]
    return find_near_duplicate(text, referral_starters) is not None


@functools.cache
def _starters_cache() -> tuple[SeedQuestion, ...]:
    # Asking "who else?" must not fail on a broken seed: the pattern above still works.
    try:
        return tuple(q for q in load_default_questions() if q.starter)
    except (OSError, ValueError):
        return ()
