"""Step 3: the prep sheet's default questions and checklist."""

from __future__ import annotations

import pytest

from bot.domain.prep import Aid, ChecklistItem, default_prep_questions, prep_checklist
from bot.domain.questions import WHO_ELSE

STARTERS = [
    "What attracted you to this type of work?",
    "What are the most challenging and most rewarding aspects of your current role?",
    "What skills, qualities and experiences does your employer seek in new hires?",
    "What trends are you seeing currently in your profession?",
    "Given what we have talked about today, are there other people you'd recommend I connect with?",
]


@pytest.mark.parametrize("bank", [None, []])
def test_no_bank_gives_the_five_starters(bank: list | None) -> None:
    assert default_prep_questions(bank) == STARTERS


def test_top_voted_per_category_in_tiara_order_plus_who_else() -> None:
    bank = [
        (1, "What does a typical week look like for you?", "insights", 2),
        (2, "How is AI changing your field?", "trends", 5),
        (3, "What surprised you most when you started?", "insights", 7),
        (4, "Which skills should I build first?", "advice", 1),
        (5, "What newsletters do you read?", "resources", 3),
        (6, "What projects fill most of your week?", "assignments", 4),
        (7, "What do you do for fun?", "other", 99),
        (8, "Which regulations will matter most next year?", "trends", 1),
    ]
    assert default_prep_questions(bank) == [
        "How is AI changing your field?",
        "What surprised you most when you started?",
        "Which skills should I build first?",
        "What newsletters do you read?",
        "What projects fill most of your week?",
        WHO_ELSE,
    ]


def test_ties_go_to_the_lowest_id() -> None:
    bank = [
        (9, "Which regulations will matter most next year?", "trends", 3),
        (4, "How is AI changing your field?", "trends", 3),
    ]
    assert default_prep_questions(bank)[0] == "How is AI changing your field?"


def test_missing_categories_are_skipped() -> None:
    bank = [(1, "What projects fill most of your week?", "assignments", 0)]
    assert default_prep_questions(bank) == ["What projects fill most of your week?", WHO_ELSE]


@pytest.mark.parametrize(
    "resources_question",
    [
        STARTERS[4],
        "Who else should I talk to?",
        "Is there anyone else you think I should meet?",
        WHO_ELSE,
    ],
)
def test_who_else_not_repeated(resources_question: str) -> None:
    bank = [
        (1, "How is AI changing your field?", "trends", 1),
        (2, resources_question, "resources", 5),
    ]
    questions = default_prep_questions(bank)
    assert questions == ["How is AI changing your field?", resources_question]


@pytest.mark.parametrize("fmt", ["video", "in-person", "phone", None])
def test_checklist(fmt: str | None) -> None:
    items = prep_checklist(fmt, 20)
    text = "\n".join(item.text for item in items)
    assert "Research their organization" in text
    assert "30-second introduction" in text
    assert "agreed 20 minutes" in text
    assert "Who else should I talk to?" in text
    assert "within 24 hours" in text
    assert "thank-you" in text
    assert len(items) <= 12
    expected = {
        "video": "Test the video link",
        "in-person": "arrive 10 minutes early",
        "phone": "quiet place",
        None: "Confirm the format",
    }[fmt]
    assert expected in text


def test_checklist_ends_with_the_thank_you_the_bot_drafts() -> None:
    assert prep_checklist("video", 30)[-1] == ChecklistItem(
        "Send your thank-you within 24 hours.", Aid.THANKS_DRAFT
    )
    assert all(item.aid is None for item in prep_checklist("video", 30)[:-1])


def test_checklist_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        prep_checklist("carrier pigeon", 30)
    with pytest.raises(ValueError):
        prep_checklist("video", 0)
