"""The request and the 3B7 follow-up read like a careful person wrote them: one period
after "Stripe, Inc.", the article a role's sound asks for, "the" where a name needs it,
when the request went out from the dates, and every placeholder listed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.draft_check import check_draft
from bot.domain.drafts import draft_request, followup_draft, salutation_name
from bot.domain.models import Profile, Prospect

FULL = Profile(name="Alex Kim", school="State University", interest="fintech")


def _prospect(**fields: object) -> Prospect:
    base: dict[str, object] = {"id": 1, "name": "Dana Lee", "source": "linkedin"}
    return Prospect(**{**base, **fields})  # type: ignore[arg-type]


def _request(**fields: object) -> str:
    return draft_request(FULL, _prospect(**fields), variant=0).text


def test_an_organisation_that_ends_in_a_period_ends_its_sentence_once() -> None:
    text = _request(organization="Stripe, Inc.", role=None)
    assert "about your work at Stripe, Inc. I'm" in text
    assert ".." not in text


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        ("engineer", "your work as an engineer at Acme"),
        ("UX researcher", "your work as a UX researcher at Acme"),
        ("MBA student", "your work as an MBA student at Acme"),
        ("Head of Growth", "your work as the Head of Growth at Acme"),
        ("Analyst.", "your work as an Analyst at Acme"),
    ],
)
def test_a_role_gets_the_article_its_sound_asks_for(role: str, reads: str) -> None:
    assert reads in _request(organization="Acme", role=role)


@pytest.mark.parametrize(
    ("school", "reads"),
    [
        ("The Ohio State University", "As a fellow alum of the Ohio State University,"),
        ("University of Michigan", "As a fellow alum of the University of Michigan,"),
    ],
)
def test_a_school_reads_with_the_in_running_text(school: str, reads: str) -> None:
    profile = Profile(name="Alex Kim", school=school, interest="fintech")
    draft = draft_request(profile, _prospect(source="alumni"), variant=0)
    assert reads in draft.text
    # As a modifier the name drops its own "The": "Fellow Ohio State University alum".
    assert draft.subject is not None and not draft.subject.startswith("Fellow The")


def test_the_home_depot_mid_sentence() -> None:
    assert "your work at the Home Depot" in _request(organization="The Home Depot", role=None)


def test_a_linkedin_note_fits_a_free_account_when_the_fields_allow() -> None:
    draft = draft_request(FULL, _prospect(organization="AT&T"), format="linkedin", variant=0)
    assert len(draft.text) <= 200
    assert not any("200" in note for note in draft.notes)
    assert all(r.status == "pass" for r in check_draft(draft.text))


def test_fields_too_long_for_the_limit_become_listed_placeholders() -> None:
    long = " ".join(["AI"] * 33)  # 98 characters, within what the options accept
    profile = Profile(name="Alex Kim", school=long, interest=long)
    draft = draft_request(profile, _prospect(organization=long), format="email", variant=0)
    assert draft.word_count <= 100
    assert "[your field, briefly]" in draft.text
    assert any("too long to fit" in item for item in draft.missing)


# -- the 3B7 follow-up ---------------------------------------------------------------
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def test_a_followup_two_weeks_on_names_the_day_not_last_week() -> None:
    sent = datetime(2026, 11, 13, 10, 0, tzinfo=UTC)
    draft = followup_draft(FULL, _prospect(), sent_at=sent, now=NOW, tz=ZoneInfo("UTC"))
    assert "I'm following up on the note I sent on November 13." in draft.text
    assert "last week" not in draft.text


def test_a_followup_within_the_week_names_the_weekday_in_the_members_zone() -> None:
    # 02:00 UTC on Tuesday the 24th is Monday evening in Los Angeles.
    sent = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    la = ZoneInfo("America/Los_Angeles")
    assert "the note I sent on Monday." in followup_draft(FULL, _prospect(), sent_at=sent,
                                                          now=NOW, tz=la).text  # fmt: skip


def test_a_followup_lists_its_placeholders() -> None:
    draft = followup_draft(Profile(), _prospect(), sent_at=NOW, now=NOW)
    assert "[your name]" in draft.text
    assert any("/settings profile name:" in item for item in draft.missing)
    assert any("/settings profile interest:" in item for item in draft.missing)


def test_a_followup_needs_now_to_count_from_sent() -> None:
    with pytest.raises(ValueError):
        followup_draft(FULL, _prospect(), sent_at=NOW)


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Dana Lee", "Dana"),
        ("Dr. Dana Lee", "Dr. Lee"),
        ("Lee, Dana", "Dana"),
        ("Dana Lee, PhD", "Dana"),
        ("Dr. Dana Lee Jr.", "Dr. Lee"),
        ("Dana, ", "Dana"),
        ("  ", "there"),
    ],
)
def test_salutation_name(name: str, greeting: str) -> None:
    assert salutation_name(name) == greeting
