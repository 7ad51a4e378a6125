"""/outreach check on the drafts members actually paste, and the same job-ask detector
guarding /questions add (issue 10: "a checker built on evidence")."""

from __future__ import annotations

import pytest

# Pomona College's published "Example Interview Request", pasted on one line as
# Discord's desktop client sends it (tests/data/outreach_corpus.toml).
POMONA = (
    "Hello, my name is Sammy Sagehen and I am a student at Pomona College. I am exploring "
    "possible careers in the ______ field and I found your name on the Linkedln Pomona "
    "Alumni group. I wonder if I might set up a short meeting at your convenience to learn "
    "about your experience and to see what suggestions you might have for someone "
    "interested in this field. Do you have some time to talk with me?"
)
ONE_LINE_WITH_SUBJECT = (
    "Subject: Fellow Michigan alum, 20 minutes of advice? Hi Dana, As a fellow Michigan "
    "alum, I'm exploring healthcare analytics and admire your work at Mercy Health. I know "
    "you're busy, but would you have 20 minutes for a call at your convenience, early "
    "morning included? I'll follow up next week. Best, Jordan"
)


async def check(driver, alice, guild, text: str):
    reply = await driver.run(f'/outreach check text:"{text}"', user=alice, guild=guild)
    assert reply.ephemeral
    embed = reply.embeds[0]
    return embed, {f["name"]: f["value"] for f in embed["fields"]}


async def test_a_published_good_request_is_ready_to_send(driver, alice, guild):
    embed, fields = await check(driver, alice, guild, POMONA)
    assert not any(name.startswith("❌") for name in fields)
    assert embed["description"].startswith("Ready to send.")
    assert "⚠️ time ask" in fields  # a suggestion, not a blocker


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Hi Sam, we met at the Capital One info session. I'm applying to the Product "
            "Development Program at Capital One and would love a referral. Could we talk "
            "for 20 minutes?",
            '"applying to"',
        ),
        ("Hi! Can you please refer me?", '"refer me"'),
        (
            "Hi Ana, as a fellow Tufts alum I am currently exploring roles in fintech. Would "
            "you have 20 minutes at your convenience?",
            '"exploring roles"',
        ),
    ],
    ids=["referral", "refer-me", "exploring-roles"],
)
async def test_job_and_referral_asks_must_be_fixed_first(driver, alice, guild, text, words):
    embed, fields = await check(driver, alice, guild, text)
    assert words in fields["❌ no job ask"]
    assert embed["description"].startswith("Fix the ❌ first")


async def test_a_draft_pasted_on_one_line_with_its_subject_is_read_as_a_message(
    driver, alice, guild
):
    embed, fields = await check(driver, alice, guild, ONE_LINE_WITH_SUBJECT)
    assert embed["title"] == "Your draft: 7/7 rules pass"
    assert "no words" not in fields["✅ length"]


@pytest.mark.parametrize(
    ("text", "detail"), [("hi", "1 word."), ("🙏🙏🙏", "no words")], ids=["hi", "emoji"]
)
async def test_a_greeting_or_emoji_alone_fails_length(driver, alice, guild, text, detail):
    _, fields = await check(driver, alice, guild, text)
    assert detail in fields["❌ length"]


async def test_scheduling_a_call_is_not_acknowledging_their_time(driver, alice, guild):
    _, fields = await check(
        driver,
        alice,
        guild,
        "Hi Lee, as a fellow Rice alum I'd love your advice on energy policy. Could we "
        "schedule a call for 20 minutes at your convenience?",
    )
    assert "⚠️ acknowledges their time" in fields


async def test_a_time_and_place_of_their_convenience_is_flexible_and_a_clear_ask(
    driver, alice, guild
):
    _, fields = await check(
        driver,
        alice,
        guild,
        "Dear Ms. Ito, Professor Diaz suggested I contact you about urban planning. I'd like "
        "to meet with you for 20-30 minutes, at a time and place of your convenience. Thank "
        "you for considering it.",
    )
    assert "✅ flexible on when" in fields
    assert "✅ clear request" in fields


async def test_the_closing_line_mentions_warnings_only_when_there_are_some(driver, alice, guild):
    embed, fields = await check(
        driver,
        alice,
        guild,
        "Hi Dana, as a fellow Michigan alum, I'm applying for the analyst position at your "
        "firm. I know you're busy: would you have 20 minutes for a call at your convenience?",
    )
    assert not any(name.startswith("⚠️") for name in fields)
    assert embed["description"] == "Fix the ❌ first."


async def test_a_job_ask_is_refused_from_the_question_bank_with_an_insight_example(
    driver, alice, guild
):
    line = '/questions add text:"Can you get me a job at your company?"'
    reply = await driver.run(line, user=alice, guild=guild)
    assert reply.ephemeral
    assert "asks for a job" in reply.text
    assert "insight and advice" in reply.text
    assert "What do you wish you had known" in reply.text
    listed = await driver.run("/questions list sort:new", user=alice, guild=guild)
    assert "get me a job" not in listed.text
