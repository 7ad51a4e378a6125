"""Step 3: the seed question bank, question validation and near-duplicates."""

from __future__ import annotations

import tomllib
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from bot.domain.models import CATEGORIES, TIARA
from bot.domain.questions import (
    QUESTION_MAX_CHARS,
    QUESTION_MIN_CHARS,
    WHO_ELSE,
    SeedQuestion,
    asks_who_else,
    find_near_duplicate,
    load_default_questions,
    normalize,
    similarity,
    validate_question,
)

STARTERS = {
    "What attracted you to this type of work?": "insights",
    "What are the most challenging and most rewarding aspects of your current role?": "insights",
    "What skills, qualities and experiences does your employer seek in new hires?": "advice",
    "What trends are you seeing currently in your profession?": "trends",
    "Given what we have talked about today, are there other people you'd recommend I connect "
    "with?": "resources",
}


def test_seed_starters_exactly() -> None:
    questions = load_default_questions()
    starters = [q for q in questions if q.starter]
    assert {q.text: q.category for q in starters} == STARTERS
    assert [q.text for q in starters] == list(STARTERS)


def test_seed_has_three_more_per_tiara_category() -> None:
    questions = load_default_questions()
    assert all(isinstance(q, SeedQuestion) for q in questions)
    assert all(q.category in CATEGORIES for q in questions)
    extra = Counter(q.category for q in questions if not q.starter)
    for category in TIARA:
        assert extra[category] >= 3, category


def test_seed_questions_are_valid_and_distinct() -> None:
    questions = load_default_questions()
    for q in questions:
        assert validate_question(q.text) == q.text
    rows = [(i, q.text) for i, q in enumerate(questions)]
    for (_, a), (j, b) in combinations(rows, 2):
        assert find_near_duplicate(a, [(j, b)]) is None, (a, b)


def test_load_from_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text('[[question]]\ntext = "What do you read every week?"\ncategory = "resources"\n')
    assert load_default_questions(path) == (
        SeedQuestion("What do you read every week?", "resources", False),
    )


def test_the_shipped_bank_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_default_questions()

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("data/questions.toml was read again")

    monkeypatch.setattr(tomllib, "load", no_reading)
    assert load_default_questions() is first


def test_load_rejects_bad_category(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text('[[question]]\ntext = "What do you read every week?"\ncategory = "gossip"\n')
    with pytest.raises(ValueError, match="gossip"):
        load_default_questions(path)


def test_validate_tidies_whitespace() -> None:
    assert validate_question("  What   does a\ttypical week\nlook like?  ") == (
        "What does a typical week look like?"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "too short"),
        ("Why?", "too short"),
        ("x" * (QUESTION_MAX_CHARS + 1), "limit"),
        ("1234567890 ???", "needs words"),
    ],
)
def test_validate_rejects_with_an_example(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        validate_question(text)
    message = str(excinfo.value)
    assert fragment in message
    assert "typical week" in message  # every error shows a good question to copy


def test_limits() -> None:
    assert QUESTION_MIN_CHARS == 10
    assert QUESTION_MAX_CHARS == 300
    assert validate_question("x" * 9 + "?") == "x" * 9 + "?"


def test_normalize() -> None:
    assert normalize("  What ATTRACTED you, to this work?! ") == "what attracted you to this work"
    assert normalize("you\u2019d") == normalize("you'd") == "you would"


BANK = [(i + 1, text) for i, text in enumerate(STARTERS)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What attracted you to this kind of work?", 1),
        ("what attracted you to this type of work", 1),
        ("WHAT ATTRACTED YOU TO THIS TYPE OF WORK???", 1),
        ("What drew you to this sort of work?", 1),
        ("What trends are you currently seeing in your profession?", 4),
        ("What trends are you seeing in your industry?", 4),
        (
            "Given what we've talked about today, are there other people you would recommend I "
            "connect with?",
            5,
        ),
        # Genuinely different questions.
        ("What does a typical week look like for you?", None),
        ("What are the most challenging aspects of your role?", None),
        ("What kinds of projects do you work on?", None),
        ("How did you get started in this field?", None),
        ("What skills are hardest to learn on the job?", None),
        ("Who else should I talk to?", None),
    ],
)
def test_find_near_duplicate(text: str, expected: int | None) -> None:
    assert find_near_duplicate(text, BANK) == expected


def test_challenging_and_rewarding_are_different_questions() -> None:
    a = "What are the most challenging aspects of your role?"
    b = "What are the most rewarding aspects of your role?"
    assert similarity(a, b) < 0.85
    assert find_near_duplicate(a, [(1, b)]) is None


def test_near_duplicate_edge_cases() -> None:
    assert find_near_duplicate("anything at all?", []) is None
    assert find_near_duplicate("???", BANK) is None
    # The best match wins, not the first one over the threshold.
    rows = [(1, "What attracted you to this type of job?"), (2, next(iter(STARTERS)))]
    assert find_near_duplicate(next(iter(STARTERS)), rows) == 2


def test_who_else() -> None:
    assert WHO_ELSE == "Who else would you suggest I talk to?"
    for text in (WHO_ELSE, "Who else should I talk to?", list(STARTERS)[4]):
        assert asks_who_else(text)
    assert not asks_who_else("What trends are you seeing currently in your profession?")
