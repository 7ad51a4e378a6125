"""Step 4 rules: the thank-you names what was learned and who was referred."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.draft_check import count_words
from bot.domain.thanks import (
    TAKEAWAY_PLACEHOLDER,
    ThanksDraft,
    ThanksGap,
    draft_thanks,
    split_takeaways,
)

BASE = {
    "member_name": "Alex Kim",
    "prospect_name": "Dana Lee",
    "organization": "Acme Health",
    "takeaways": "Build a small portfolio of real analyses\nJoin the local ASA chapter",
    "referrals": ["Sam Ortiz", "Priya Shah"],
}


@pytest.mark.parametrize("seed", range(3))
def test_email_names_takeaways_and_referrals(seed: int) -> None:
    draft = draft_thanks(**BASE, seed=seed)
    assert isinstance(draft, ThanksDraft)
    assert draft.subject == "Thank you for your time, Dana"
    assert "Build a small portfolio of real analyses" in draft.text
    assert "Join the local ASA chapter" in draft.text
    assert "Sam Ortiz and Priya Shah" in draft.text
    # The promise to report back on the referral.
    assert "let you know" in draft.text or "tell you how" in draft.text
    assert draft.text.rstrip().endswith("Alex Kim")
    assert draft.missing == []
    assert count_words(draft.text) < 110


def test_wordings_differ_by_seed() -> None:
    assert len({draft_thanks(**BASE, seed=s).text for s in range(3)}) == 3
    assert len({draft_thanks(**BASE, medium="handwritten", seed=s).text for s in range(3)}) == 3


@pytest.mark.parametrize("seed", range(3))
def test_handwritten_is_card_sized(seed: int) -> None:
    met = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    draft = draft_thanks(**BASE, medium="handwritten", met_on=met, seed=seed)
    assert draft.subject is None
    assert draft.text.startswith("Dear Dana,")
    assert count_words(draft.text) <= 60
    assert "Build a small portfolio" in draft.text
    assert "Sam Ortiz and Priya Shah" in draft.text


def test_handwritten_shortens_a_long_takeaway() -> None:
    long = " ".join(["word"] * 40)
    draft = draft_thanks(**{**BASE, "takeaways": long}, medium="handwritten")
    assert "…" in draft.text
    assert count_words(draft.text) <= 60


def test_no_takeaways_leaves_a_visible_placeholder() -> None:
    for medium in ("email", "handwritten"):
        for seed in range(3):
            draft = draft_thanks(**{**BASE, "takeaways": None}, medium=medium, seed=seed)
            assert TAKEAWAY_PLACEHOLDER in draft.text
            assert ThanksGap.TAKEAWAYS in draft.missing


def test_missing_member_name() -> None:
    draft = draft_thanks(**{**BASE, "member_name": None})
    assert "[your name]" in draft.text
    assert draft.missing == [ThanksGap.MEMBER_NAME]


def test_missing_prospect_name() -> None:
    draft = draft_thanks(**{**BASE, "prospect_name": " "})
    assert "Dear [their name]" in draft.text
    assert draft.missing == [ThanksGap.PROSPECT_NAME]


def test_no_referrals_no_referral_sentence() -> None:
    draft = draft_thanks(**{**BASE, "referrals": []})
    assert "introduc" not in draft.text
    assert "let you know how" not in draft.text


def test_single_referral() -> None:
    draft = draft_thanks(**{**BASE, "referrals": ["Sam Ortiz"]}, seed=1)
    assert "introduction to Sam Ortiz" in draft.text
    assert "that conversation goes" in draft.text


def test_met_on_is_shown_in_member_timezone() -> None:
    # 02:00 UTC on Wednesday is still Tuesday evening in New York.
    met = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    draft = draft_thanks(**BASE, met_on=met, tz=ZoneInfo("America/New_York"))
    assert "on Tuesday, March 3" in draft.text
    card = draft_thanks(**BASE, met_on=met, tz=ZoneInfo("America/New_York"), medium="handwritten")
    assert "on Tuesday" in card.text


def test_naive_met_on_and_bad_medium_raise() -> None:
    with pytest.raises(ValueError):
        draft_thanks(**BASE, met_on=datetime(2026, 3, 3, 15, 0))
    with pytest.raises(ValueError):
        draft_thanks(**BASE, medium="carrier pigeon")


def test_title_in_prospect_name() -> None:
    draft = draft_thanks(**{**BASE, "prospect_name": "Dr. Dana Lee"})
    assert draft.subject == "Thank you for your time, Dr. Lee"


def test_organization_is_optional() -> None:
    draft = draft_thanks(**{**BASE, "organization": None})
    assert "your work at" not in draft.text
    assert draft.missing == []


@pytest.mark.parametrize(
    ("raw", "items"),
    [
        (None, []),
        ("   ", []),
        ("- Learn SQL\n- Talk to the data team.", ["Learn SQL", "Talk to the data team"]),
        ("Learn SQL; read Storytelling with Data", ["Learn SQL", "read Storytelling with Data"]),
        ("Learn SQL. Read the annual report.", ["Learn SQL", "Read the annual report"]),
        ("1. Network early\n2) Volunteer", ["Network early", "Volunteer"]),
    ],
)
def test_split_takeaways(raw: str | None, items: list[str]) -> None:
    assert split_takeaways(raw) == items


# -- issue 10: the draft reads like a careful person wrote it --------------------------
FINTECH = "Fintech PMs spend a third of their time with compliance"


@pytest.mark.parametrize("seed", range(3))
def test_an_organisation_ending_in_a_period_ends_the_sentence_once(seed: int) -> None:
    draft = draft_thanks(**{**BASE, "organization": "Stripe, Inc."}, seed=seed)
    assert "about your work at Stripe, Inc. " in draft.text
    assert ".." not in draft.text


@pytest.mark.parametrize("seed", range(3))
def test_a_takeaway_is_the_members_own_note(seed: int) -> None:
    draft = draft_thanks(**{**BASE, "takeaways": FINTECH}, seed=seed)
    # Not a step, not in quotation marks as if they had said it: the member's note.
    assert "next steps" not in draft.text
    assert "\u201c" not in draft.text and '"' not in draft.text
    assert (
        f"noted in particular: {FINTECH}." in draft.text
        or f"stands out: {FINTECH}." in (draft.text)
        or f"something I noted: {FINTECH}." in draft.text
    )


def test_two_takeaways_are_listed_as_the_members_notes() -> None:
    draft = draft_thanks(**BASE, seed=0)
    assert (
        "Two things I noted in particular:\n- Build a small portfolio of real analyses\n"
        "- Join the local ASA chapter\n\n"
    ) in draft.text


def test_a_question_noted_keeps_its_question_mark() -> None:
    draft = draft_thanks(**{**BASE, "takeaways": "Is an MBA worth it?"}, seed=0)
    assert "One thing I noted in particular: Is an MBA worth it? " in draft.text


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        ("UX researcher", "your work as a UX researcher at Acme Health"),
        ("engineer", "your work as an engineer at Acme Health"),
        ("MBA student", "your work as an MBA student at Acme Health"),
    ],
)
def test_a_role_reads_with_its_article(role: str, reads: str) -> None:
    assert reads in draft_thanks(**BASE, role=role).text


def test_a_card_with_many_referrals_still_fits() -> None:
    names = ["Alexandra Montgomery-Smith", "Bartholomew Fitzgerald", "Christopher Wellington"]
    draft = draft_thanks(
        **{**BASE, "referrals": names, "member_name": "Alexander Hamilton Montgomery"},
        medium="handwritten",
        met_on=datetime(2026, 3, 3, 15, 0, tzinfo=UTC),
    )
    assert count_words(draft.text) <= 60
    assert "Alexandra" in draft.text and "Christopher" in draft.text
