"""English for the drafts: articles by sound, names in running text, tidy fields, and
when a request went out, said the way a careful person says it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.wording import (
    article,
    attributive,
    day_words,
    elapsed_since,
    end_sentence,
    in_running_text,
    is_role,
    settle_punctuation,
    tidy,
    with_article,
)

# Roles and phrases people type, with the article a careful writer uses before each.
# The rule is the sound of the first word (British Council, "A or An",
# http://www.englishonline.org.cn/en/learners/vocabulary-grammar/grammar-questions/a-or-an):
# "an MBA", "a union", "an FBI agent", "a UN resolution", "an honest man".
# inflect 7.6's a() on the same table: 51/60 (it says "an UX researcher", "an UI
# designer", "a Uber driver", "a 8-person team", "a Ökonom", "a éditeur").
ARTICLES = {
    "engineer": "an",
    "UX researcher": "a",
    "UI designer": "a",
    "MBA student": "an",
    "MBA candidate": "an",
    "HR business partner": "an",
    "SRE": "an",
    "FBI agent": "an",
    "NASA engineer": "a",
    "UNICEF officer": "a",
    "ESG analyst": "an",
    "LLM engineer": "an",
    "RN": "an",
    "MD candidate": "an",
    "URL": "a",
    "U.S. diplomat": "a",
    "J.P. Morgan analyst": "a",
    "AT&T engineer": "an",
    "X-ray technician": "an",
    "e-commerce lead": "an",
    "iOS developer": "an",
    "eBay seller": "an",
    "hour": "an",
    "honest broker": "an",
    "heir": "an",
    "historian": "a",
    "university recruiter": "a",
    "user researcher": "a",
    "usability tester": "a",
    "utility engineer": "a",
    "urologist": "a",
    "unit manager": "a",
    "union organizer": "a",
    "undergraduate researcher": "an",
    "urban planner": "an",
    "Uber driver": "an",
    "one-person team": "a",
    "European analyst": "a",
    "Associate": "an",
    "Analyst": "an",
    "Account Executive": "an",
    "Operations Manager": "an",
    "Intern": "an",
    "Instructor": "an",
    "Editor": "an",
    "Economist": "an",
    "Actuary": "an",
    "Illustrator": "an",
    "Officer": "an",
    "Underwriter": "an",
    "Senior Data Analyst": "a",
    "Product Manager": "a",
    "Software Engineer": "a",
    "yoga teacher": "a",
    "SENIOR ANALYST": "a",
    "8-person team": "an",
    "11-year veteran": "an",
    "18,000-member union": "an",
    "Ökonom": "an",
    "éditeur": "an",
}


def test_article_table_is_big_enough() -> None:
    assert len(ARTICLES) >= 60


@pytest.mark.parametrize(("phrase", "expected"), ARTICLES.items())
def test_article_by_sound(phrase: str, expected: str) -> None:
    assert article(phrase) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("UX researcher", "a UX researcher"),
        ("MBA student", "an MBA student"),
        ("engineer", "an engineer"),
        ("CEO", "the CEO"),
        ("Founder & CEO", "the Founder & CEO"),
        ("Head of Growth", "the Head of Growth"),
        ("Vice President, Marketing", "a Vice President, Marketing"),
        ("the lead designer", "the lead designer"),
        ("an adjunct professor", "an adjunct professor"),
    ],
)
def test_with_article(role: str, expected: str) -> None:
    assert with_article(role) == expected


def test_a_state_is_not_a_role() -> None:
    assert not is_role("Retired")
    assert not is_role("self-employed")
    assert not is_role("")
    assert is_role("Analyst")


@pytest.mark.parametrize(
    ("name", "running", "modifier"),
    [
        ("The Home Depot", "the Home Depot", "Home Depot"),
        ("the Ohio State University", "the Ohio State University", "Ohio State University"),
        ("University of Michigan", "the University of Michigan", "University of Michigan"),
        ("Museum of Modern Art", "the Museum of Modern Art", "Museum of Modern Art"),
        ("Bank of America", "Bank of America", "Bank of America"),
        ("Stripe, Inc.", "Stripe, Inc.", "Stripe, Inc."),
        ("AT&T", "AT&T", "AT&T"),
        ("Theranos", "Theranos", "Theranos"),
    ],
)
def test_names_in_running_text_and_as_modifiers(name: str, running: str, modifier: str) -> None:
    assert in_running_text(name) == running
    assert attributive(name) == modifier


@pytest.mark.parametrize(
    ("raw", "tidied"),
    [
        ("Stripe, Inc.", "Stripe, Inc."),
        ("Acme Health.", "Acme Health"),
        ("Mercy Health,", "Mercy Health"),
        ("  AT&T  ", "AT&T"),
        ("Procter  &\nGamble", "Procter & Gamble"),
        ("Acme , Corp", "Acme, Corp"),
        ("Acme...", "Acme"),
        ("U.S. Bank", "U.S. Bank"),
        ("Dana Lee Jr.", "Dana Lee Jr."),
        ("J.", "J."),
        ("Yahoo!", "Yahoo!"),
        (".NET Foundation", ".NET Foundation"),
        ("healthcare analytics.", "healthcare analytics"),
        ("a,,b", "a,b"),
        (" -", ""),
        ("...", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_tidy(raw: str | None, tidied: str) -> None:
    assert tidy(raw) == tidied


def test_a_sentence_ends_once() -> None:
    assert end_sentence("about your work at Stripe, Inc.") == "about your work at Stripe, Inc."
    assert end_sentence("Is an MBA worth it?") == "Is an MBA worth it?"
    assert end_sentence("Learn SQL") == "Learn SQL."
    assert settle_punctuation("at Stripe, Inc.. Thanks") == "at Stripe, Inc. Thanks"
    assert settle_punctuation("at Yahoo!. Thanks") == "at Yahoo! Thanks"
    assert settle_punctuation("and so on... Thanks") == "and so on... Thanks"


NEW_YORK = ZoneInfo("America/New_York")


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


FRIDAY_3PM = _utc(2026, 11, 27, 15)


@pytest.mark.parametrize(
    ("sent", "now", "said"),
    [
        (_utc(2026, 11, 27, 9), FRIDAY_3PM, "earlier today"),
        (_utc(2026, 11, 26, 9), FRIDAY_3PM, "yesterday"),
        (_utc(2026, 11, 23, 9), FRIDAY_3PM, "on Monday"),
        (_utc(2026, 11, 13, 10), FRIDAY_3PM, "on November 13"),
        (_utc(2025, 12, 30, 10), _utc(2026, 1, 12, 15), "on December 30, 2025"),
        # 02:00 UTC on the 24th is still the 23rd (Monday) in New York.
        (_utc(2026, 11, 24, 2), FRIDAY_3PM, "on Monday"),
    ],
)
def test_elapsed_since_counts_calendar_days_in_the_members_zone(
    sent: datetime, now: datetime, said: str
) -> None:
    assert elapsed_since(sent, now, NEW_YORK) == said


def test_elapsed_since_needs_aware_times() -> None:
    with pytest.raises(ValueError):
        elapsed_since(datetime(2026, 11, 13), datetime(2026, 11, 27, tzinfo=UTC))


def test_day_words() -> None:
    day = datetime(2026, 3, 3, tzinfo=UTC).date()
    assert day_words(day) == "Tuesday, March 3"
    assert day_words(day, weekday=False, year=True) == "March 3, 2026"
