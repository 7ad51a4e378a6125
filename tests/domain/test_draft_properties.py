"""Properties every draft holds, over generated profiles and prospects: empty fields,
trailing dots and commas, long names, accents and other scripts, organisations such as
"Stripe, Inc." and "AT&T", roles that start with a vowel.

Whatever the member typed, a draft has no doubled punctuation (",,", "..", " ,", " ."),
no placeholder left without being listed under "fill in before sending", and stays
within its limits: 100 words for a request, 300 characters for a LinkedIn connection
note (with a warning past the 200 a free account allows), under 60 words for the
follow-up, 150 for a thank-you email and 60 for a card.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.draft_check import check_draft, count_words, job_words
from bot.domain.drafts import (
    FOLLOWUP_MAX_WORDS,
    FORMATS,
    LINKEDIN_FREE_NOTE_CHARS,
    LINKEDIN_NOTE_CHARS,
    MINUTES_CHOICES,
    PLACEHOLDERS,
    VARIANTS,
    draft_request,
    followup_draft,
    salutation_name,
)
from bot.domain.models import SOURCES, Profile, Prospect
from bot.domain.thanks import (
    EMAIL_MAX_WORDS,
    HANDWRITTEN_MAX_WORDS,
    NAME_PLACEHOLDER,
    TAKEAWAY_PLACEHOLDER,
    ThanksGap,
    draft_thanks,
)
from bot.domain.wording import MONTHS

EXAMPLES = 300  # per property; `make test` runs them all in a few seconds
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FIELD_MAX = 100  # what /settings profile and /prospect add accept (cogs/_common.SHORT_MAX)

# A period may open a name (".NET"), so " ." counts only as a mark standing alone.
DOUBLED = re.compile(r",,|(?<!\.)\.\.(?!\.)|\s,|\s\.(?!\w)")
PLACEHOLDER = re.compile(r"\[[^\]\n]*\]")

# Real-world shapes, mixed with generated text below.
ORGANIZATIONS = ["Stripe, Inc.", "AT&T", "The Home Depot", "University of Michigan", "Yahoo!",
                 "Procter & Gamble", "L'Oréal", "Acme Health.", "Mercy Health,", "3M",
                 "Ernst & Young LLP", "U.S. Bank", "Société Générale", "株式会社トヨタ", "-",
                 "The Ohio State University", "J.P. Morgan", "Museum of Modern Art"]  # fmt: skip
ROLES = ["engineer", "UX researcher", "MBA student", "Associate", "Head of Growth",
         "Founder & CEO", "HR business partner", "Senior Data Analyst.", "Analyst,",
         "iOS developer", "Uber driver", "X-ray technician", "Retired", "Économiste",
         "Director of Product, Payments"]  # fmt: skip
NAMES = ["Dana Lee", "Dr. Dana Lee", "María José García-López", "Nguyễn Thị Minh Khai",
         "Zoë O'Brien", "李小龙", "Lee, Dana", "Dana Lee, PhD", "Sam Ortiz Jr.", "J. Smith",
         "Jean-Luc", "Ngozi Okonjo-Iweala", "Wolfeschlegelsteinhausen Bergerdorff"]  # fmt: skip
SCHOOLS = ["State University", "The University of Texas at Austin", "Université de Montréal",
           "MIT", "St. Olaf College", "NYU Stern MBA Club,"]  # fmt: skip
INTERESTS = ["healthcare analytics", "fintech product management.", "AI ethics",
             "urban planning, transit and housing", "ESG investing", "UX research"]  # fmt: skip

# Letters from several scripts, digits, spaces and the punctuation names carry; no
# "[" or "]" (the placeholders' own syntax) and no line breaks (options have none).
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + list("éüøçñßÅÉÖ李龍ДжΩ")
    + list("0123456789")
    + [" ", " ", " ", ".", ",", "&", "'", "-", "!", ";", ":", "(", ")", "…"]
)
_generated = st.text(_ALPHABET, max_size=FIELD_MAX)


def _field(examples: list[str]) -> st.SearchStrategy[str | None]:
    """A field as members leave it: absent, blank, one of the examples, or generated
    text; any of them may carry trailing dots, commas or spaces."""
    base = st.one_of(st.none(), st.just(""), st.just("   "), st.sampled_from(examples), _generated)
    tail = st.sampled_from(["", ".", "..", ",", ", ", " .", " ,", "...", "  "])
    return st.tuples(base, tail).map(
        lambda pair: None if pair[0] is None else (pair[0] + pair[1])[:FIELD_MAX]
    )


def _name_token() -> st.SearchStrategy[str]:
    # Given names run long in some languages, but a token past 24 letters isn't a name.
    return st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéøñДж")), min_size=1,
                   max_size=24).map(str.capitalize)  # fmt: skip


_names = st.one_of(
    st.sampled_from(NAMES),
    st.lists(_name_token(), min_size=1, max_size=5).map(" ".join),
)

profiles = st.builds(
    Profile,
    name=st.one_of(st.none(), st.just(""), _names),
    school=_field(SCHOOLS),
    interest=_field(INTERESTS),
)
prospects = st.builds(
    Prospect,
    id=st.just(1),
    name=_names,
    role=_field(ROLES),
    organization=_field(ORGANIZATIONS),
    source=st.one_of(st.none(), st.sampled_from(SOURCES)),
)


def _no_doubled_punctuation(*texts: str | None) -> None:
    for text in texts:
        if text:
            assert not DOUBLED.search(text), (DOUBLED.search(text), text)
            assert "  " not in text, text


def _placeholders_listed(missing: list[str], *texts: str | None) -> None:
    for text in texts:
        for holder in PLACEHOLDER.findall(text or ""):
            assert holder in PLACEHOLDERS, (holder, text)
            assert PLACEHOLDERS[holder] in missing, (holder, missing)


def _job_free(*fields: str | None) -> bool:
    return not any(job_words(f or "") for f in fields)


@PROPERTY
@given(
    profile=profiles,
    prospect=prospects,
    referrer=st.one_of(st.none(), _names),
    fmt=st.sampled_from(FORMATS),
    variant=st.integers(0, VARIANTS - 1),
    minutes=st.sampled_from(MINUTES_CHOICES),
)
def test_every_request_reads_cleanly_and_fits_its_limits(
    profile: Profile, prospect: Prospect, referrer: str | None, fmt: str, variant: int,
    minutes: int,
) -> None:  # fmt: skip
    draft = draft_request(
        profile, prospect, format=fmt, variant=variant, minutes=minutes, referrer_name=referrer
    )
    _no_doubled_punctuation(draft.text, draft.subject)
    _placeholders_listed(draft.missing, draft.text, draft.subject)
    assert draft.word_count == count_words(draft.text) <= 100
    assert f"{minutes} minutes" in draft.text
    if fmt == "linkedin":
        assert len(draft.text) <= LINKEDIN_NOTE_CHARS
        free = any(str(LINKEDIN_FREE_NOTE_CHARS) in note for note in draft.notes)
        assert free == (len(draft.text) > LINKEDIN_FREE_NOTE_CHARS)
    # Fields free of job words give a draft the checker lets go out (no ❌).
    fields = (profile.school, profile.interest, prospect.organization, prospect.role)
    if _job_free(*fields, profile.name, prospect.name, referrer):
        fails = [(r.rule, r.detail) for r in check_draft(draft.text) if r.status == "fail"]
        assert fails == [], draft.text


@PROPERTY
@given(
    profile=profiles,
    prospect=prospects,
    sent_days_ago=st.integers(0, 60),
    zone=st.sampled_from(["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati"]),
)
def test_the_followup_says_when_from_the_dates(
    profile: Profile, prospect: Prospect, sent_days_ago: int, zone: str
) -> None:
    now = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    sent = now - timedelta(days=sent_days_ago, hours=3)
    tz = ZoneInfo(zone)
    draft = followup_draft(profile, prospect, sent_at=sent, now=now, tz=tz)
    _no_doubled_punctuation(draft.text)
    _placeholders_listed(draft.missing, draft.text)
    assert count_words(draft.text) < FOLLOWUP_MAX_WORDS
    assert "last week" not in draft.text
    days = (now.astimezone(tz).date() - sent.astimezone(tz).date()).days
    if days >= 7:
        local = sent.astimezone(tz)
        assert f"on {MONTHS[local.month - 1]} {local.day}" in draft.text


_takeaways = st.one_of(
    st.none(),
    st.just(""),
    st.sampled_from(
        [
            "Fintech PMs spend a third of their time with compliance",
            "Build a small portfolio of real analyses\nJoin the local ASA chapter",
            "- Learn SQL.\n- Is an MBA worth it?\n- Read the annual report...",
            "Talk to the data team; volunteer at the chapter; read Storytelling with Data",
            " ".join(["word"] * 60),
        ]
    ),
    st.lists(_generated, max_size=4).map("\n".join),
)


@PROPERTY
@given(
    member=st.one_of(st.none(), st.just(""), _names),
    prospect=st.one_of(st.just(""), _names),
    organization=_field(ORGANIZATIONS),
    role=_field(ROLES),
    takeaways=_takeaways,
    referrals=st.lists(_names, max_size=3),
    medium=st.sampled_from(["email", "handwritten"]),
    seed=st.integers(0, 2),
    met_on=st.one_of(st.none(), st.just(datetime(2026, 3, 3, 15, tzinfo=UTC))),
)
def test_every_thank_you_reads_cleanly_and_fits(
    member: str | None, prospect: str, organization: str | None, role: str | None,
    takeaways: str | None, referrals: list[str], medium: str, seed: int,
    met_on: datetime | None,
) -> None:  # fmt: skip
    draft = draft_thanks(
        member_name=member, prospect_name=prospect, organization=organization, role=role,
        takeaways=takeaways, referrals=referrals, medium=medium, seed=seed, met_on=met_on,
    )  # fmt: skip
    _no_doubled_punctuation(draft.text, draft.subject)
    gaps = {
        "[their name]": ThanksGap.PROSPECT_NAME,
        NAME_PLACEHOLDER: ThanksGap.MEMBER_NAME,
        TAKEAWAY_PLACEHOLDER: ThanksGap.TAKEAWAYS,
    }
    for holder in PLACEHOLDER.findall(draft.text):
        assert gaps[holder] in draft.missing, (holder, draft.missing)
    # The notes are the member's own, never put in quotation marks as someone's words.
    assert "\u201c" not in draft.text
    limit = EMAIL_MAX_WORDS if medium == "email" else HANDWRITTEN_MAX_WORDS
    assert count_words(draft.text) <= limit


@PROPERTY
@given(name=st.one_of(st.none(), _names, _generated))
def test_a_greeting_name_is_one_clean_name(name: str | None) -> None:
    said = salutation_name(name)
    assert said and said == said.strip()
    assert not said.endswith((",", ";", ":"))
    assume(said != "there")
    assert len(said.split()) <= 2  # "Dana", or a title and a surname: "Dr. Lee"
