"""The club network's rules: fields, what is shared, the message check, caps, finding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.models import Stage
from bot.domain.network import (
    CAREER_FIELDS,
    FIELDS_MAX,
    OPEN_PER_ASKER,
    InvalidContact,
    InvalidField,
    Listing,
    Refusal,
    Search,
    Share,
    checked_contact,
    field_suggestions,
    find,
    message_problems,
    month_start,
    parse_fields,
    refusal,
)

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def listing(user_id=1, **given) -> Listing:
    values = {
        "user_id": user_id,
        "display_name": f"member {user_id}",
        "role": "Analyst",
        "organization": "Acme Health",
        "fields": ("Data Science",),
        "stage": Stage.MID_CAREER,
        "monthly_limit": 2,
        "share": Share.NOTHING,
        "contact": None,
        "paused": False,
        "paused_until": None,
        "created_at": NOW - timedelta(days=user_id),
    } | given
    return Listing(**values)


# -- fields ------------------------------------------------------------------------------


def test_about_twenty_common_fields_are_offered():
    assert 18 <= len(CAREER_FIELDS) <= 25
    assert len({f.casefold() for f in CAREER_FIELDS}) == len(CAREER_FIELDS)


def test_fields_take_the_lists_spelling_keep_free_text_and_drop_duplicates():
    assert parse_fields(" data science,  Marine   Biology , DATA SCIENCE,,") == (
        "Data Science",
        "Marine Biology",
    )
    assert parse_fields(None) == ()


def test_too_many_or_too_long_fields_are_refused():
    with pytest.raises(InvalidField, match="up to"):
        parse_fields(", ".join(f"field {n}" for n in range(FIELDS_MAX + 1)))
    with pytest.raises(InvalidField, match="at most"):
        parse_fields("x" * 41)


def test_autocomplete_completes_the_last_field_and_keeps_the_ones_before():
    assert field_suggestions("Law, da")[0] == "Law, Data Science"
    assert "Law, Law" not in field_suggestions("Law, ")
    assert field_suggestions("Marine Bio") == ["Marine Bio"]  # their own words, offered back
    assert len(field_suggestions("")) == len(CAREER_FIELDS)


# -- what is shared on accept -------------------------------------------------------------


def test_a_linkedin_link_must_be_a_profile_and_is_made_canonical():
    assert (
        checked_contact(Share.LINKEDIN, "linkedin.com/in/Ada-Lovelace/")
        == "https://www.linkedin.com/in/ada-lovelace"
    )
    for bad in ("https://evil.example/in/ada", "https://www.linkedin.com/company/acme", "ada"):
        with pytest.raises(InvalidContact):
            checked_contact(Share.LINKEDIN, bad)


@pytest.mark.parametrize("good", ["ada@example.org", "a.b+club@mail.uni.edu"])
def test_a_plausible_email_address_is_kept(good):
    assert checked_contact(Share.EMAIL, f"  {good} ") == good


@pytest.mark.parametrize(
    "bad", ["ada", "ada@", "@example.org", "ada@example", "ada @example.org", "<a@b.org>"]
)
def test_anything_else_is_not_an_email_address(bad):
    with pytest.raises(InvalidContact, match="email address"):
        checked_contact(Share.EMAIL, bad)


# -- the message ----------------------------------------------------------------------------


def test_a_short_friendly_request_can_go():
    text = (
        "Hi! I'm a sophomore exploring data science and would love to hear how you got "
        "into the field. Would you have 20 minutes some time?"
    )
    assert message_problems(text) == []


def test_over_100_words_a_job_ask_or_more_than_an_hour_must_be_fixed():
    long = "I would love to hear about your work in the field. " * 12 + "Could we talk?"
    assert [p.rule for p in message_problems(long)] == ["length"]
    job = "Hi! Is your team hiring interns? Could you refer me for the open position there?"
    assert "no job ask" in [p.rule for p in message_problems(job)]
    hours = "Would you have 2 hours next week to walk me through how you got into the field?"
    assert [p.rule for p in message_problems(hours)] == ["time ask"]
    assert all(p.fix for p in message_problems(job + " " + long))


# -- caps ------------------------------------------------------------------------------------


def test_the_monthly_limit_counts_from_the_start_of_the_utc_month():
    assert month_start(NOW) == datetime(2026, 11, 1, tzinfo=UTC)


def caps(**given):
    values = {
        "asker_id": 2,
        "listing": listing(1),
        "now": NOW,
        "received_this_month": 0,
        "open_by_asker": 0,
        "open_between": False,
    } | given
    return refusal(**values)


def test_a_request_within_the_caps_is_allowed():
    assert caps() is None


def test_each_cap_refuses_with_its_reason():
    assert caps(asker_id=1) is Refusal.SELF
    assert caps(open_between=True) is Refusal.PAIR_OPEN
    assert caps(open_by_asker=OPEN_PER_ASKER) is Refusal.TOO_MANY_OPEN
    assert caps(listing=None) is Refusal.NOT_LISTED


def test_a_listing_at_its_limit_reads_like_a_paused_one():
    at_limit = caps(received_this_month=2)
    paused = caps(listing=listing(1, paused=True))
    assert at_limit is paused is Refusal.NOT_LISTED


def test_a_dated_pause_ends_by_itself():
    paused = listing(1, paused=True, paused_until=NOW + timedelta(days=3))
    assert paused.is_paused(NOW)
    assert not paused.is_paused(NOW + timedelta(days=3))
    assert listing(1, paused=True).is_paused(NOW + timedelta(days=3650))


# -- finding -----------------------------------------------------------------------------------


def test_find_never_shows_the_asker_a_paused_or_hidden_listing():
    everyone = [listing(1), listing(2), listing(3, paused=True), listing(4)]
    shown = find(everyone, Search(), asker_id=2, now=NOW, hidden=[4])
    assert [entry.user_id for entry in shown] == [1]


def test_find_ranks_the_closest_field_and_organization_first_forgiving_typos():
    everyone = [
        listing(1, organization="Globex", fields=("Law",)),
        listing(2, organization="Acme Health", fields=("Healthcare", "Data Science")),
        listing(3, organization="Acme Corp", fields=("Data Science",)),
    ]
    shown = find(everyone, Search(field="data sci", organization="acme helth"), asker_id=9, now=NOW)
    ids = [entry.user_id for entry in shown]
    assert ids[0] == 2 and 1 not in ids


def test_a_stage_asked_for_must_match_exactly():
    everyone = [listing(1, stage=Stage.EMERGING), listing(2), listing(3, stage=None)]
    shown = find(everyone, Search(stage=Stage.MID_CAREER), asker_id=9, now=NOW)
    assert [entry.user_id for entry in shown] == [2]


def test_with_no_search_the_longest_listed_come_first():
    everyone = [listing(1), listing(5), listing(3)]
    assert [e.user_id for e in find(everyone, Search(), asker_id=9, now=NOW)] == [5, 3, 1]
