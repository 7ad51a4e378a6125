"""After the thank-you: when the check-in and referrer nudges fall due, and the notes the
bot drafts for them (naming what was discussed, warm without takeaways)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.draft_check import count_words
from bot.domain.keeping_in_touch import (
    REFERRER_AFTER,
    UPDATE_PLACEHOLDER,
    TouchGap,
    checkin_due,
    draft_checkin,
    draft_referrer_update,
    referrer_due,
    touch_snooze_due,
)

THANKED = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MET = datetime(2026, 11, 13, 16, 0, tzinfo=UTC)
NOW = THANKED + timedelta(weeks=6)
TZ = ZoneInfo("America/New_York")
TAKEAWAYS = "Analytics teams value SQL over dashboards; read the company's engineering blog"


def test_the_check_in_comes_the_chosen_weeks_after_the_thank_you():
    assert checkin_due(THANKED, 6) == THANKED + timedelta(weeks=6)
    assert checkin_due(THANKED, 2) == THANKED + timedelta(days=14)
    assert checkin_due(THANKED, 0) is None  # check-ins off
    with pytest.raises(ValueError, match="negative"):
        checkin_due(THANKED, -1)


def test_the_referrer_hears_a_day_later_and_later_means_a_week():
    assert referrer_due(THANKED) == THANKED + REFERRER_AFTER == THANKED + timedelta(days=1)
    assert touch_snooze_due(NOW) == NOW + timedelta(days=7)
    with pytest.raises(ValueError, match="aware"):
        referrer_due(THANKED.replace(tzinfo=None))


def checkin(**changes):
    values = {
        "member_name": "Sam Lee",
        "prospect_name": "Ada Lovelace",
        "organization": "Engines Ltd",
        "takeaways": TAKEAWAYS,
        "met_on": MET,
        "now": NOW,
        "tz": TZ,
    }
    return draft_checkin(**{**values, **changes})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_check_in_names_what_they_discussed(seed):
    draft = checkin(seed=seed)
    assert "Analytics teams value SQL over dashboards" in draft.text
    assert "on November 13" in draft.text  # the date, never "six weeks ago"
    assert draft.text.split(",")[0] in ("Hi Ada", "Hello Ada", "Dear Ada")
    assert "Engines Ltd" in draft.text
    assert draft.text.endswith("Sam Lee")
    assert UPDATE_PLACEHOLDER in draft.text
    assert draft.missing == (TouchGap.UPDATE,)
    assert draft.subject
    assert count_words(draft.text) <= 100  # short: a note, not a letter


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_check_in_without_takeaways_is_warm_not_a_blank(seed):
    draft = checkin(takeaways=None, organization=None, member_name=None, seed=seed)
    assert "[" not in draft.text.replace(UPDATE_PLACEHOLDER, "").replace("[your name]", "")
    assert "our conversation on November 13, 2026." in draft.text  # the year: it's 2027 now
    assert "I hope all is well with you." in draft.text
    assert draft.missing == (TouchGap.MEMBER_NAME, TouchGap.UPDATE)


def test_a_long_takeaway_is_shortened():
    draft = checkin(takeaways=" ".join(["word"] * 80))
    assert "…" in draft.text
    assert count_words(draft.text) <= 110


def referrer(**changes):
    values = {
        "member_name": "Sam Lee",
        "referrer_name": "Grace Hopper",
        "prospect_name": "Ada Lovelace",
        "takeaways": TAKEAWAYS,
        "met_on": MET,
        "now": THANKED + timedelta(days=1),
        "tz": TZ,
    }
    return draft_referrer_update(**{**values, **changes})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_referrer_note_thanks_them_and_says_how_it_went(seed):
    draft = referrer(seed=seed)
    assert draft.text.startswith("Hi Grace,")
    assert "Ada Lovelace" in draft.text
    assert "on November 13" in draft.text
    assert "Analytics teams value SQL over dashboards" in draft.text
    assert draft.subject == "Thank you for introducing me to Ada"
    assert draft.missing == ()
    assert draft.text.endswith("Sam Lee")


def test_the_referrer_note_without_takeaways_or_a_name():
    draft = referrer(takeaways="", member_name="  ")
    assert "really helpful conversation" in draft.text
    assert draft.missing == (TouchGap.MEMBER_NAME,)
    assert draft.text.endswith("[your name]")
