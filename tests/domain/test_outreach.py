"""Step 2 rules: the request checker and the drafts it must approve."""

from __future__ import annotations

import pytest

from bot.domain.draft_check import (
    RULES,
    WORD_LIMIT,
    WORD_TARGET,
    RuleResult,
    Verdict,
    check_draft,
    count_words,
    job_asks,
    job_words,
    message_words,
    requested_minutes,
    score,
    verdict,
)
from bot.domain.drafts import (
    FORMATS,
    LINKEDIN_NOTE_CHARS,
    MINUTES_CHOICES,
    VARIANTS,
    Draft,
    draft_request,
    followup_draft,
    salutation_name,
)
from bot.domain.models import SOURCES, Profile, Prospect
from bot.domain.questions import load_default_questions, validate_question

# Expected verdicts, one letter per rule in RULES order:
# length, time ask, acknowledges their time, flexible on when, no job ask,
# connection first, clear request.  P = pass, W = warn, F = fail.
DRAFTS: dict[str, tuple[str, str]] = {
    "good: fellow alum, 20 minutes": (
        "Hi Dana,\n\nAs a fellow Michigan alum, I'm reaching out because I'm exploring "
        "healthcare analytics and admire your work at Mercy Health. I know you're busy, but "
        "would you have 20 minutes for a call? I'm happy to talk at your convenience, early "
        "morning included. I'll follow up next week.\n\nBest,\nJordan",
        "PPPPPPP",
    ),
    "good: referral, half an hour, 'Mr.' greeting": (
        "Hello Mr. Patel,\nPriya Shah suggested I reach out to you. I'm a junior studying "
        "economics and curious about urban planning. Could I have half an hour of your time "
        "to hear how you found your way into the field? Whatever time suits you works for me. "
        "Thank you for considering it.\nSam",
        "PPPPPPP",
    ),
    "good: subject line, LinkedIn, 20-30 min range": (
        "Subject: Fellow LinkedIn member with a question\n"
        "Hi Ms. Okafor, we're connected on LinkedIn and I've followed your posts on climate "
        "finance. As a student exploring the field, I'd love your advice. Would you have "
        "20–30 minutes sometime? I know your schedule is packed, so any time that works for "
        "you is fine. I'll follow up next week.\nLena",
        "PPPPPPP",
    ),
    "good: hyphenated '15-minute' + flexible": (
        "Hi Tom, we met at the Data Science Night panel last Thursday. I'm curious how "
        "analysts like you choose which tools to learn. Could we do a 15-minute phone call? "
        "I appreciate how valuable your time is and can be flexible. Thanks, Ana",
        "PPPPPPP",
    ),
    "good: 'an hour' is the ceiling, not over it": (
        "Dear Dr. Chen,\nI saw your talk at the BioTech Forum and would value your insight on "
        "translational research. I know you're busy; could you spare an hour at your "
        "convenience over the next few weeks? I'll follow up next Monday.\nRavi",
        "PPPPPPP",
    ),
    "tricky: 'happy hour' is not a time ask": (
        "Hi Mia, we met at the alumni happy hour on Friday. I know you're busy, but could we "
        "grab coffee whenever suits you? I'd love your advice on product design.\nKai",
        "PWPPPPP",
    ),
    "tricky: 'within 24 hours' and '2 hours away' are not lengths": (
        "Hi Leo, our club hosted your panel last spring. I'm only 2 hours away and could "
        "meet in person, or by phone for 30 minutes, whenever suits your schedule. I'll "
        "confirm within 24 hours of hearing back. Would that work?\nIvy",
        "PPPPPPP",
    ),
    "tricky: 'your position on' is an opinion, not a job": (
        "Hi Raj, I read your article on open-source AI and your position on model licensing. "
        "Would you have 20 minutes to discuss it, at your convenience? I appreciate your time.",
        "PPPPPPP",
    ),
    "tricky: 'resume our chat' is a verb, 'great job' is praise": (
        "Hi Sofia, great job on your keynote at the summit! I'd love to resume our chat "
        "from the Q&A: would you have 20 minutes whenever fits your schedule?\nNoor",
        "PPPPPPP",
    ),
    "tricky: 'eye-opening' and 'in a position to'": (
        "Hi Ben, your webinar on supply chains was eye-opening. If you're in a position to "
        "share 20 minutes of advice at a time that suits you, I'd be grateful; I know you're "
        "busy.\nOmar",
        "PPPPPPP",
    ),
    "bad: asks for a job, position and résumé": (
        "Hi Mark, as a fellow Purdue alum I'm applying for the analyst position at your firm. "
        "Could we talk for 30 minutes at your convenience? I know you're busy. I've attached "
        "my résumé.\nEli",
        "PPPPFPP",
    ),
    "bad: internship openings and CV, no connection": (
        "Hello, do you have any internship openings this summer? I can send my CV. I'm free "
        "any time for 20 minutes and appreciate your time.\nZoe",
        "PPPPFWP",
    ),
    "bad: 'my resume' and open roles on your team": (
        "Hi Priya, our club met you at the career fair. Are there open roles on your team? "
        "I'd love 20 minutes whenever works for you, and to send my resume. Thanks for your "
        "time.",
        "PPPPFPP",
    ),
    "bad: two hours": (
        "Hi Grace, Jamal suggested I reach out. Would you have 2 hours for a coffee chat "
        "whenever works for you? I know you're busy.",
        "PFPPPPP",
    ),
    "bad: an hour and a half": (
        "Hi Ida, we're both Wellesley alums. Could we meet for an hour and a half at your "
        "convenience? I appreciate your time.",
        "PFPPPPP",
    ),
    "warn: quick call with no length, no flexibility": (
        "Hi Max, we're connected on LinkedIn. I'm exploring UX research. Could we set up a "
        "quick call on Tuesday at 3pm? I know you're busy.",
        "PWPWPPP",
    ),
    "warn: 'a few minutes' is vague": (
        "Hi Ana, Professor Ruiz suggested I contact you. Could you spare a few minutes, "
        "whenever fits your schedule? I'd value your advice on public health.",
        "PWPPPPP",
    ),
    "warn: no time ask, no acknowledgement, no flexibility": (
        "Hi Joe, as a fellow member of the Finance Club, I'd like to learn about investment "
        "banking. Can we talk?",
        "PWWWPPP",
    ),
    "warn: connection comes second": (
        "Hi Eva, I'm exploring careers in conservation. We met at the Audubon volunteer day. "
        "Would you have 20 minutes at your convenience? I know your schedule is full.",
        "PPPPPWP",
    ),
    "warn: cold, no connection at all": (
        "Hi Sam, I'm exploring careers in robotics and would value your advice. Would you "
        "have 30 minutes at your convenience? I know you're busy.",
        "PPPPPWP",
    ),
    "bad: no clear ask": (
        "Hi Lou, as a fellow Rice alum I'm exploring energy policy. I am free for 20 minutes "
        "at your convenience. I know you're busy. I will follow up next week.",
        "PPPPPPF",
    ),
    "warn: 80 words": (
        "Hi Nina,\n\nAs a fellow Northwestern alum and member of the Women in Business club, "
        "I'm reaching out because I'm exploring brand management and marketing strategy "
        "broadly, and your career path really stands out to me. I know how busy you must be, "
        "so would you have 20 minutes for a call in the coming weeks? I'm glad to meet at "
        "your convenience, including early morning or during lunch. I'll follow up next week "
        "in case this gets buried in your inbox.\n\nBest,\nTara",
        "WPPPPPP",
    ),
    "bad: 120 words": (
        "Hi Carlos,\n\nAs a fellow UT Austin alum, I wanted to reach out and introduce "
        "myself. I'm currently a senior majoring in mechanical engineering with a minor in "
        "business, and I've become very interested in the renewable energy sector, "
        "especially wind and solar project development, over the past two years through my "
        "coursework, a research project, and a student organization I lead. I've read a lot "
        "about the industry and I'm trying to understand how people build careers in it, "
        "what skills matter most, and how the field is changing. I know you're busy, so "
        "would you have 30 minutes for a call sometime in the next few weeks? I'm happy to "
        "meet at your convenience, early morning included. I'll follow up next week.\n\n"
        "Thank you,\nDiego",
        "FPPPPPP",
    ),
    "bad: empty": ("", "FWWWPWF"),
    # Issue 10's examples, each as a member would paste it.
    "bad: a referral for a named program": (
        "Hi Sam, we met at the Capital One info session. I'm applying to the Product "
        "Development Program at Capital One and would love a referral. Could we talk for "
        "20 minutes?",
        "PPWWFPP",
    ),
    "bad: 'refer me', too short": ("Hi! Can you please refer me?", "FWWWFWP"),
    "bad: exploring roles": (
        "Hi Ana, as a fellow Tufts alum I am currently exploring roles in fintech. Would you "
        "have 20 minutes at your convenience?",
        "PPWPFPP",
    ),
    "good: one line with its subject, greeting and sign-off": (
        "Subject: Fellow Michigan alum, 20 minutes of advice? Hi Dana, As a fellow Michigan "
        "alum, I'm exploring healthcare analytics and admire your work at Mercy Health. I know "
        "you're busy, but would you have 20 minutes for a call at your convenience, early "
        "morning included? I'll follow up next week. Best, Jordan",
        "PPPPPPP",
    ),
    "good: one line without a subject": (
        "Hi Dana, As a fellow Michigan alum, I'm exploring healthcare analytics. I know you're "
        "busy, but would you have 20 minutes at your convenience? Best, Jordan",
        "PPPPPPP",
    ),
    "good: multi-line paste with a subject line": (
        "Subject: Fellow Michigan alum\n\nHi Dana,\n\nAs a fellow Michigan alum, I'm "
        "exploring healthcare analytics.\nI know you're busy, but would you have 20 minutes "
        "at your convenience?\n\nBest,\nJordan",
        "PPPPPPP",
    ),
    "warn: 'schedule a call' is not acknowledging their time": (
        "Hi Lee, as a fellow Rice alum I'd love your advice on energy policy. Could we "
        "schedule a call for 20 minutes at your convenience?",
        "PPWPPPP",
    ),
    "good: a time and place of your convenience": (
        "Dear Ms. Ito, Professor Diaz suggested I contact you about urban planning. I'd like "
        "to meet with you for 20-30 minutes, at a time and place of your convenience. Thank "
        "you for considering it.",
        "PPPPPPP",
    ),
    "bad: a greeting alone": ("hi", "FWWWPWF"),
    "bad: emoji alone": ("\U0001f64f\U0001f64f\U0001f64f", "FWWWPWF"),
}

_LETTER = {"pass": "P", "warn": "W", "fail": "F"}


def _verdict(results: list[RuleResult]) -> str:
    return "".join(_LETTER[r.status] for r in results)


@pytest.mark.parametrize("label", list(DRAFTS))
def test_checker_table(label: str) -> None:
    text, expected = DRAFTS[label]
    results = check_draft(text)
    assert [r.rule for r in results] == list(RULES)
    assert _verdict(results) == expected, [(r.rule, r.status, r.detail) for r in results]
    for result in results:
        # Every miss comes with a concrete fix; a pass needs none.
        assert (result.fix is None) == (result.status == "pass")
        assert result.detail


def test_table_is_big_enough() -> None:
    assert len(DRAFTS) >= 15


def test_job_words_are_quoted() -> None:
    text = DRAFTS["bad: asks for a job, position and résumé"][0]
    result = next(r for r in check_draft(text) if r.rule == "no job ask")
    assert '"applying for"' in result.detail
    assert '"position at your firm"' in result.detail
    assert '"attached my résumé"' in result.detail


def test_length_fix_says_how_many_words_to_cut() -> None:
    text = " ".join(["word"] * 109) + " minutes?"
    result = check_draft(text)[0]
    assert result.status == "fail"
    assert result.fix == "Cut 35 words: aim for 75 or fewer."
    warn = check_draft(" ".join(["word"] * 76))[0]
    assert (warn.status, warn.fix) == ("warn", "Cut 1 word: aim for 75 or fewer.")


def test_no_time_ask_fix() -> None:
    result = check_draft("Hi, we met at the fair. Can we talk?")[1]
    assert result.status == "warn"
    assert "20–30 minutes" in (result.fix or "")


def test_connection_fix_gives_example() -> None:
    text = DRAFTS["warn: cold, no connection at all"][0]
    result = next(r for r in check_draft(text) if r.rule == "connection first")
    assert "As a fellow Michigan alum" in (result.fix or "")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30 minutes", [30]),
        ("half an hour", [30]),
        ("a 20-minute call", [20]),
        ("15 min", [15]),
        ("an hour", [60]),
        ("an hour and a half", [90]),
        ("2 hours", [120]),
        ("twenty minutes", [20]),
        ("20–30 minutes", [30]),
        ("1.5 hours", [90]),
        ("the alumni happy hour", []),
        ("your office hours", []),
        ("within 24 hours", []),
        ("I live an hour away", []),
        ("a quick call", []),
    ],
)
def test_requested_minutes(text: str, minutes: list[int]) -> None:
    assert requested_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Could we resume our chat?", []),
        ("I'd love to send my resume.", ["resume"]),
        ("Resume attached.", ["Resume"]),
        ("What's your position on remote work?", []),
        ("Is the position still open?", ["position"]),
        ("Great job on the talk", []),
        ("Any job tips?", ["job"]),
        ("Are you hiring?", ["Are you hiring"]),
        ("How could I apply what I learn?", []),
        ("Should I apply for it?", ["apply for"]),
        ("your role as CFO", []),
        ("any roles at your company", ["any roles at your company"]),
        ("I'm a junior recruiting for IB summer analyst positions.", []),
        ("Are you in charge of recruiting for this role?", ["this role"]),
        ("I know how demanding the job is.", []),
        ("Could we discuss the job?", ["job"]),
        ("[Your Name], a [job title] at [Company]", []),
    ],
)
def test_job_words(text: str, found: list[str]) -> None:
    assert job_words(text) == found


def test_score_counts_passes() -> None:
    results = check_draft(DRAFTS["bad: two hours"][0])
    assert score(results) == (6, 7)
    assert score([]) == (0, 0)


def test_count_words_ignores_dashes() -> None:
    assert count_words("Hi Dana — 20–30 minutes?") == 4


# ---------------------------------------------------------------------------
# Generated drafts
# ---------------------------------------------------------------------------

FULL = Profile(name="Alex Kim", school="State University", interest="data science")


def _prospect(source: str | None, **extra: object) -> Prospect:
    fields: dict[str, object] = {
        "id": 7,
        "name": "Dana Lee",
        "role": "Senior Analyst",
        "organization": "Acme Health",
        "source": source,
    }
    fields.update(extra)
    return Prospect(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("source", [*SOURCES, None])
@pytest.mark.parametrize("variant", range(VARIANTS))
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("profile", [FULL, Profile()], ids=["full", "empty"])
def test_every_generated_draft_passes_its_own_checker(
    source: str | None, variant: int, fmt: str, profile: Profile
) -> None:
    draft = draft_request(
        profile, _prospect(source), format=fmt, variant=variant, referrer_name="Sam Ortiz"
    )
    problems = [(r.rule, r.status, r.detail) for r in check_draft(draft.text) if r.status != "pass"]
    assert problems == []
    # The count shown with the draft includes the greeting and sign-off; the 75-word
    # target, like the checker, counts the message itself.
    assert draft.word_count == count_words(draft.text) <= WORD_LIMIT
    assert message_words(draft.text) <= WORD_TARGET
    lowered = draft.text.lower()
    for word in ("job", "position", "hiring", "résumé", "resume", "internship"):
        assert word not in lowered
    assert "follow up" in lowered
    assert "early morning" in lowered
    if fmt == "email":
        assert draft.subject
        assert not job_words(draft.subject)
    else:
        assert draft.subject is None
        assert len(draft.text) <= LINKEDIN_NOTE_CHARS


@pytest.mark.parametrize("minutes", MINUTES_CHOICES)
def test_minutes_appear_and_pass(minutes: int) -> None:
    draft = draft_request(FULL, _prospect("alumni"), minutes=minutes)
    assert f"{minutes} minutes" in draft.text
    assert requested_minutes(draft.text) == [minutes]


def test_connection_sentence_by_source() -> None:
    def opening(source: str, **kw: object) -> str:
        return draft_request(FULL, _prospect(source), variant=0, **kw).text.split("\n\n")[1]

    assert opening("alumni").startswith("As a fellow alum of State University")
    assert opening("linkedin").startswith("We're connected on LinkedIn")
    assert opening("referral", referrer_name="Sam Ortiz").startswith(
        "Sam Ortiz suggested I reach out"
    )
    assert opening("event").startswith("We met at")
    # A job posting is never mentioned: that would make the request a job ask.
    assert "posting" not in opening("posting")


def test_interest_is_the_field_and_profile_is_used() -> None:
    draft = draft_request(FULL, _prospect("linkedin"), variant=0)
    assert "data science" in draft.text
    assert "State University" in draft.text
    assert draft.text.rstrip().endswith("Alex Kim")
    assert draft.text.startswith("Hi Dana,")
    assert draft.missing == []


def test_variants_differ_and_seed_picks_one() -> None:
    texts = {draft_request(FULL, _prospect("alumni"), variant=v).text for v in range(VARIANTS)}
    assert len(texts) == VARIANTS >= 3
    by_seed = {draft_request(FULL, _prospect("alumni"), seed=s).text for s in range(VARIANTS)}
    assert by_seed == texts
    assert (
        draft_request(FULL, _prospect("alumni"), seed=12345).text
        == draft_request(FULL, _prospect("alumni"), seed=12345).text
    )


def test_missing_fields_are_visible_not_papered_over() -> None:
    draft = draft_request(Profile(), _prospect("referral", role=None, organization=None))
    for holder in ("[your name]", "[your school or club]", "[your field of interest]"):
        assert holder in draft.text
    assert "[their organization]" in draft.text
    assert "[who referred you]" in draft.text
    joined = " | ".join(draft.missing)
    assert "your name — set it with /settings profile name:" in joined
    assert "their organization — add it with /prospect edit" in joined
    assert "who referred you" in joined
    # No placeholder stands for the role (the sentence reads without it): a tip, not a gap.
    assert "their role" not in joined
    assert any("their role" in note for note in draft.notes)


def test_job_word_in_role_is_dropped_rather_than_sent() -> None:
    draft = draft_request(FULL, _prospect("linkedin", role="Hiring Manager"), variant=0)
    assert "Hiring" not in draft.text
    assert all(r.status == "pass" for r in check_draft(draft.text))


def test_long_fields_fit_the_note_and_free_accounts_are_warned() -> None:
    profile = Profile(
        name="Alex Kim",
        school="The University of Michigan Ross School of Business Graduate Program",
        interest="sustainable finance, impact investing and climate risk in emerging markets",
    )
    draft = draft_request(profile, _prospect("alumni"), format="linkedin", variant=1)
    assert 200 < len(draft.text) <= LINKEDIN_NOTE_CHARS
    assert "sustainable finance, impact investing and climate risk" in draft.text
    assert any("free accounts allow 200" in note for note in draft.notes)


def test_title_in_name_is_kept_in_greeting() -> None:
    assert salutation_name("Dr. Dana Lee") == "Dr. Lee"
    assert salutation_name("Dana Lee") == "Dana"
    assert salutation_name("") == "there"
    draft = draft_request(FULL, _prospect("alumni", name="Dr. Dana Lee"))
    assert draft.text.startswith("Hi Dr. Lee,")
    assert all(r.status == "pass" for r in check_draft(draft.text))


@pytest.mark.parametrize(
    "kwargs",
    [{"minutes": 90}, {"minutes": 25}, {"format": "sms"}, {"variant": 3}, {"variant": -1}],
)
def test_bad_options_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        draft_request(FULL, _prospect("alumni"), **kwargs)  # type: ignore[arg-type]


def test_draft_is_a_dataclass_with_the_agreed_fields() -> None:
    draft = draft_request(FULL, _prospect("alumni"))
    assert isinstance(draft, Draft)
    assert isinstance(draft.word_count, int)
    assert isinstance(draft.missing, list)


def test_followup_is_short_polite_and_not_a_job_ask() -> None:
    text = followup_draft(FULL, _prospect("alumni"), minutes=20).text
    assert count_words(text) < 60
    assert text.startswith("Hi Dana,")
    assert "20 minutes" in text
    assert "thank you" in text.lower()
    assert job_words(text) == []
    empty = followup_draft(Profile(), _prospect("alumni")).text
    assert "[your name]" in empty
    assert "[your field of interest]" in empty
    with pytest.raises(ValueError):
        followup_draft(FULL, _prospect("alumni"), minutes=120)


def test_emoji_only_says_there_are_no_words() -> None:
    length = check_draft("\U0001f64f\U0001f64f\U0001f64f")[0]
    assert length.detail == "There are no words to check, only symbols or emoji."


def test_verdict_is_fix_first_only_when_a_rule_fails() -> None:
    assert verdict(check_draft(DRAFTS["good: fellow alum, 20 minutes"][0])) is Verdict.READY
    warned = check_draft(DRAFTS["warn: cold, no connection at all"][0])
    assert any(r.status == "warn" for r in warned)
    assert verdict(warned) is Verdict.READY
    assert verdict(check_draft(DRAFTS["bad: two hours"][0])) is Verdict.FIX_FIRST


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Can you get me a job at your company?", ["get me a job at your company"]),
        ("Could you refer me to your hiring manager?", ["refer me"]),
        ("Would you review my resume?", ["review my resume"]),
        ("Any openings on your team?", ["Any openings on your team"]),
        ("What do you like most about your job?", []),
        ("How did you get your first job in this field?", []),
        ("How does your company's hiring process work?", []),
        ("What does your role look like day to day?", []),
    ],
)
def test_job_asks_are_asks_not_mentions_of_their_work(text: str, asks: list[str]) -> None:
    assert job_asks(text) == asks


def test_the_question_bank_refuses_a_job_ask_with_an_insight_example() -> None:
    with pytest.raises(ValueError, match="asks for a job") as excinfo:
        validate_question("Can you get me a job at your company?")
    assert "What do you wish you had known" in str(excinfo.value)


def test_no_default_question_is_a_job_ask() -> None:
    assert [q.text for q in load_default_questions() if job_asks(q.text)] == []


def test_the_senders_own_search_is_a_warning_not_a_job_ask() -> None:
    text = (
        "Hi John, I found your profile through the Ohio State alumni network. I'm a junior "
        "recruiting for IB summer analyst positions. Would you have 15 minutes for a call?"
    )
    rule = check_draft(text)[4]
    assert rule.status == "warn"
    assert '"recruiting for IB summer analyst positions"' in rule.detail


def test_message_words_skip_greeting_and_sign_off_and_count_placeholders_once() -> None:
    assert message_words("Hi Dana,\n\nI know you're busy\u2014I appreciate it.\n\nBest,\nJo") == 6
    assert message_words("Subject: Hello\nHi [Name], I work at [Company Name] now. Thanks, Jo") == 5
