"""Step 2 end to end: /outreach draft, check, sent, reply and the 3B7 follow-up DMs.

The clock starts on Friday 2026-11-27 15:00 UTC (the member's zone is UTC unless set),
so three business days later is Wednesday and seven is the Tuesday after next.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

import discord
import pytest

from bot.domain.draft_check import count_words
from bot.domain.drafts import VARIANTS
from cogs.contact import SecondContactButton

WEDNESDAY_3PM = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # sent + 3 business days
NEXT_TUESDAY_3PM = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # sent + 7 business days

GOOD_DRAFT = (
    "Hi Dana, as a fellow Michigan alum, I'm reaching out because I'm exploring healthcare "
    "analytics and admire your work at Mercy Health. I know you're busy, but would you have "
    "20 minutes for a call? I'm happy to talk at your convenience, early morning included. "
    "I'll follow up next week. Best, Jordan"
)
BAD_DRAFT = (
    "Hello, I am applying for the open analyst position at your company and wanted to send "
    "my resume. Could we meet for two hours next Tuesday at 3pm to discuss the job?"
)


def code_block(text: str) -> str:
    """The text inside the first ``` code block."""
    return text.split("```", 2)[1].strip("\n")


async def add_dana(driver, user, guild, **extra: str) -> None:
    options = " ".join(f'{key}:"{value}"' for key, value in extra.items())
    await driver.run(
        f'/prospect add name:"Dana Lee" role:"Senior Data Analyst" '
        f'organization:"Mercy Health" {options}',
        user=user,
        guild=guild,
    )


async def due_dms(bot, driver, user) -> list:
    """Deliver whatever the clock says is due, then return the member's reminder DMs."""
    await bot.reminders.run_due()
    return driver.emu.dms(user, interactions=False)


async def outreach_reminders(bot, user) -> list:
    async with bot.stores.member(user.id) as store:
        return [r for r in await store.pending_reminders() if r.kind.startswith("followup")]


# -- /outreach draft -------------------------------------------------------------------
async def test_draft_points_out_missing_profile_fields(driver, alice, guild):
    await driver.run('/prospect add name:"Dana Lee" source:alumni', user=alice, guild=guild)
    reply = await driver.run('/outreach draft prospect:"Dana Lee"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "```" in reply.content
    assert "Fill in before sending" in reply.text
    assert "`/settings profile school:…`" in reply.text
    assert "`/settings profile name:…`" in reply.text
    assert "their organization" in reply.text
    assert "[your school or club]" in code_block(reply.content)


async def test_draft_from_a_full_profile_is_ready_to_send_and_short(driver, alice, guild):
    await driver.run(
        '/settings profile name:"Jordan Park" school:"State University" '
        'interest:"healthcare analytics"',
        user=alice,
        guild=guild,
    )
    await add_dana(driver, alice, guild, source="alumni")
    reply = await driver.run(
        '/outreach draft prospect:"Dana Lee" minutes:20', user=alice, guild=guild
    )
    text = code_block(reply.content)
    assert "Fill in before sending" not in reply.text
    assert "[" not in text
    assert text.startswith("Hi Dana,")
    assert "20 minutes" in text
    assert "State University" in text
    assert "Jordan Park" in text
    words = count_words(text)
    assert words < 100
    assert f"{words} words" in reply.content
    assert "/outreach sent" in reply.content


async def test_draft_wording_is_seeded_by_member_and_prospect(driver, bot, alice, bob, guild):
    for member in (alice, bob):
        await driver.run(
            '/settings profile name:"Sam Lee" school:"State University" interest:"urban planning"',
            user=member,
            guild=guild,
        )
        await add_dana(driver, member, guild, source="linkedin")
    alice_first = await driver.run('/outreach draft prospect:"Dana Lee"', user=alice, guild=guild)
    alice_again = await driver.run('/outreach draft prospect:"Dana Lee"', user=alice, guild=guild)
    bob_draft = await driver.run('/outreach draft prospect:"Dana Lee"', user=bob, guild=guild)
    assert code_block(alice_first.content) == code_block(alice_again.content)  # stable

    def variant(user) -> int:
        return zlib.crc32(f"{user.id}:1".encode()) % VARIANTS  # each has prospect id 1

    same_wording = code_block(alice_first.content) == code_block(bob_draft.content)
    assert same_wording == (variant(alice) == variant(bob))


async def test_linkedin_format_fits_a_connection_note(driver, alice, guild):
    await driver.run(
        '/settings profile name:"Sam Lee" school:"State University" interest:"urban planning"',
        user=alice,
        guild=guild,
    )
    await add_dana(driver, alice, guild, source="event")
    reply = await driver.run(
        '/outreach draft prospect:"Dana Lee" format:linkedin', user=alice, guild=guild
    )
    assert len(code_block(reply.content)) <= 300


# -- /outreach check -------------------------------------------------------------------
async def test_check_passes_a_good_draft(driver, alice, guild):
    reply = await driver.run(f'/outreach check text:"{GOOD_DRAFT}"', user=alice, guild=guild)
    assert reply.ephemeral
    title = reply.embeds[0]["title"]
    assert title == "Your draft: 7/7 rules pass"
    assert "❌" not in reply.text
    assert "Fix:" not in reply.text


async def test_check_names_each_miss_with_a_fix(driver, alice, guild):
    reply = await driver.run(f'/outreach check text:"{BAD_DRAFT}"', user=alice, guild=guild)
    embed = reply.embeds[0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "❌ time ask" in fields
    assert "20–30 minutes" in fields["❌ time ask"]
    assert "❌ no job ask" in fields
    assert "Fix:" in fields["❌ no job ask"]
    # Issue 10: a missing acknowledgement is a suggestion (⚠️), as in the good requests
    # career offices publish (tests/data/outreach_corpus.toml); the job ask is the ❌.
    assert "⚠️ acknowledges their time" in fields
    assert "/7 rules pass" in embed["title"]
    assert not embed["title"].startswith("Your draft: 7/7")


async def test_check_refuses_a_text_far_longer_than_a_request(driver, alice, guild):
    reply = await driver.run(f'/outreach check text:"{"word " * 900}"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "I check up to 4,000" in reply.text


# -- /outreach sent and the 3B7 checkpoints --------------------------------------------
async def test_followups_come_after_three_and_seven_business_days(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    reply = await driver.run(
        '/outreach sent prospect:"Dana Lee" via:email', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "Logged your request to **Dana Lee** by email" in reply.content
    assert f"<t:{int(WEDNESDAY_3PM.timestamp())}:F>" in reply.content
    assert f"<t:{int(NEXT_TUESDAY_3PM.timestamp())}:F>" in reply.content

    # Monday 15:00 is three calendar days on, but only one business day: nothing yet.
    clock.advance(days=3)
    assert await due_dms(bot, driver, alice) == []
    # Wednesday 14:59: still nothing.
    clock.set(WEDNESDAY_3PM.replace(minute=0, hour=14))
    assert await due_dms(bot, driver, alice) == []

    clock.set(WEDNESDAY_3PM)
    (first,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "No reply yet from **Dana Lee**" in first.content
    assert "second person at **Mercy Health**" in first.content
    assert [b["label"] for b in first.buttons] == ["Add a second person at Mercy Health"]

    clock.set(NEXT_TUESDAY_3PM.replace(hour=14))
    assert len(await due_dms(bot, driver, alice)) == 1
    clock.set(NEXT_TUESDAY_3PM)
    dms = await driver.wait_for_dms(alice, count=2, interactions=False)
    second = dms[1]
    assert "Follow up once with **Dana Lee**" in second.content
    assert "```" in second.content  # a short follow-up draft to copy
    assert "following up" in code_block(second.content)


async def test_the_day_three_button_adds_a_second_person_at_that_organization(
    driver, bot, clock, alice, guild
):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    clock.set(WEDNESDAY_3PM)
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    opened = await driver.click(dm, "Add a second person at Mercy Health", user=alice)
    assert opened.modal is not None
    done = await driver.submit_modal(
        opened, {"Their name": "Grace Kim", "Their role (optional)": "Nurse Manager"}, user=alice
    )
    assert "Added **Grace Kim** at **Mercy Health**" in done.text
    async with bot.stores.member(alice.id) as store:
        grace = await store.find_prospect_by_name("Grace Kim")
    assert grace.organization == "Mercy Health"
    assert grace.role == "Nurse Manager"


async def test_a_reply_ends_the_followups(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    assert len(await outreach_reminders(bot, alice)) == 2
    reply = await driver.run(
        '/outreach reply prospect:"Dana Lee" outcome:accepted', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "/meeting schedule prospect:Dana Lee" in reply.content
    assert "follow-ups are off" in reply.content
    assert await outreach_reminders(bot, alice) == []
    clock.advance(days=14)
    assert await due_dms(bot, driver, alice) == []


@pytest.mark.parametrize("outcome", ["declined", "later"])
async def test_other_replies_end_the_followups_too(driver, bot, alice, guild, outcome):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    reply = await driver.run(
        f'/outreach reply prospect:"Dana Lee" outcome:{outcome}', user=alice, guild=guild
    )
    assert "Noted" in reply.content
    assert await outreach_reminders(bot, alice) == []


async def test_a_reply_before_any_request_points_to_outreach_sent(driver, bot, alice, guild):
    await add_dana(driver, alice, guild)
    reply = await driver.run(
        '/outreach reply prospect:"Dana Lee" outcome:accepted', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "haven't logged a request" in reply.text
    assert "/outreach sent" in reply.text


async def test_a_request_logged_late_brings_its_overdue_checkpoints_at_once(
    driver, bot, alice, guild
):
    await add_dana(driver, alice, guild)
    reply = await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"2026-11-13 10:00"', user=alice, guild=guild
    )
    assert "Both checkpoints have already passed" in reply.content
    dms = await driver.wait_for_dms(alice, count=2, interactions=False)
    texts = " ".join(m.content for m in dms)
    assert "No reply yet from **Dana Lee**" in texts
    assert "Follow up once with **Dana Lee**" in texts
    assert "before you logged the request" in texts


async def test_only_the_passed_checkpoint_comes_at_once(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    # Sent Tuesday: day 3 was Friday morning (passed), day 7 is next Thursday.
    await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"Tuesday 9am"', user=alice, guild=guild
    )
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "No reply yet" in dm.content
    assert [r.kind for r in await outreach_reminders(bot, alice)] == ["followup-7"]


async def test_a_day_without_a_time_means_that_morning(driver, bot, alice, guild):
    await add_dana(driver, alice, guild)
    reply = await driver.run(
        '/outreach sent prospect:"Dana Lee" when:yesterday', user=alice, guild=guild
    )
    thursday_9am = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert f"<t:{int(thursday_9am.timestamp())}:F>" in reply.content


@pytest.mark.parametrize(
    ("when", "expected"),
    [("tomorrow 9am", "in the future"), ("someday soon", "Couldn't read")],
)
async def test_a_bad_sent_time_is_refused_and_nothing_is_logged(
    driver, bot, alice, guild, when, expected
):
    await add_dana(driver, alice, guild)
    reply = await driver.run(
        f'/outreach sent prospect:"Dana Lee" when:"{when}"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert expected in reply.text
    async with bot.stores.member(alice.id) as store:
        dana = await store.find_prospect_by_name("Dana Lee")
        assert await store.latest_outreach(dana.id) is None
    assert await outreach_reminders(bot, alice) == []


async def test_business_days_are_counted_in_the_members_time_zone(driver, clock, alice, guild):
    # Monday 01:00 UTC is still Sunday evening in Los Angeles: a weekend day there, so
    # day 3 is Thursday 17:00 local (Friday 01:00 UTC), not Thursday 01:00 UTC.
    await driver.run("/settings timezone tz:America/Los_Angeles", user=alice, guild=guild)
    await add_dana(driver, alice, guild)
    clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    reply = await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    friday_1am_utc = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert f"<t:{int(friday_1am_utc.timestamp())}:F>" in reply.content


async def test_a_new_request_restarts_the_routine(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    clock.advance(days=1)
    prompt = await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    await driver.click(prompt, "Log another", user=alice)  # a day later: asked first
    reminders = await outreach_reminders(bot, alice)
    assert len(reminders) == 2  # the first request's two were cancelled


# -- status follows the records --------------------------------------------------------
async def listed(driver, user, guild, status: str) -> str:
    return (await driver.run(f"/prospect list status:{status}", user=user, guild=guild)).text


async def test_status_filter_follows_the_pipeline(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    assert "Dana Lee" in await listed(driver, alice, guild, "to-contact")
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    assert "Dana Lee" in await listed(driver, alice, guild, "contacted")
    assert "Dana Lee" not in await listed(driver, alice, guild, "to-contact")
    await driver.run(
        '/outreach reply prospect:"Dana Lee" outcome:accepted', user=alice, guild=guild
    )
    assert "Dana Lee" in await listed(driver, alice, guild, "replied")
    assert "Dana Lee" not in await listed(driver, alice, guild, "contacted")

    # Meetings belong to Step 3's cog; write the row the way it would.
    starts = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    async with bot.stores.member(alice.id) as store:
        dana = await store.find_prospect_by_name("Dana Lee")
        meeting_id = await store.execute(
            "INSERT INTO meetings (prospect_id, starts_at, minutes, created_at) "
            "VALUES (?, ?, 30, ?)",
            (dana.id, starts.isoformat(), clock.now().isoformat()),
        )
    assert "Dana Lee" in await listed(driver, alice, guild, "scheduled")
    assert "Dana Lee" not in await listed(driver, alice, guild, "replied")
    clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    assert "Dana Lee" in await listed(driver, alice, guild, "met")
    assert "Dana Lee" not in await listed(driver, alice, guild, "scheduled")
    async with bot.stores.member(alice.id) as store:
        await store.execute(
            "UPDATE meetings SET thanked_at = ? WHERE id = ?",
            (clock.now().isoformat(), meeting_id),
        )
    assert "Dana Lee" in await listed(driver, alice, guild, "thanked")
    assert "Dana Lee" not in await listed(driver, alice, guild, "met")


async def test_a_forged_day_three_button_finds_nothing_in_the_pressers_store(
    driver, bot, clock, alice, bob, guild
):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    # Bob gets a button carrying the id of Alice's request (as if he forged the custom id).
    view = discord.ui.View(timeout=None)
    view.add_item(SecondContactButton(1, "Mercy Health"))
    user = await bot.fetch_user(bob.id)
    await user.send("forged", view=view)
    (dm,) = await driver.wait_for_dms(bob, count=1, interactions=False)
    pressed = await driver.click(dm, "Add a second person at Mercy Health", user=bob)
    assert pressed.modal is None
    assert "isn't in your records" in pressed.text
    async with bot.stores.member(bob.id) as store:
        assert await store.count_prospects() == 0


# -- the 3B7 DMs as members meet them ------------------------------------------------------


async def test_a_meeting_set_up_without_logging_the_reply_stops_the_3b7_dms(
    driver, bot, clock, alice, guild
):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    # Dana said yes by email; the member goes straight to scheduling.
    scheduled = await driver.run(
        '/meeting schedule prospect:"Dana Lee" when:"2026-12-10 09:00"', user=alice, guild=guild
    )
    assert scheduled.ephemeral
    clock.set(WEDNESDAY_3PM)
    await bot.reminders.run_due()
    clock.set(NEXT_TUESDAY_3PM)
    await bot.reminders.run_due()
    dms = driver.emu.dms(alice, interactions=False)
    assert not any("No reply yet" in m.content for m in dms)
    assert not any("Follow up once" in m.content for m in dms)


async def test_the_3b7_dms_still_come_while_there_is_no_answer(driver, bot, clock, alice, guild):
    await add_dana(driver, alice, guild)
    await driver.run('/outreach sent prospect:"Dana Lee"', user=alice, guild=guild)
    clock.set(WEDNESDAY_3PM)
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert "No reply yet from **Dana Lee**" in dm.content


async def test_a_mass_mention_prospect_in_a_3b7_dm_never_pings(driver, bot, clock, alice, guild):
    await driver.run(
        '/prospect add name:"@everyone" organization:"@here Inc"', user=alice, guild=guild
    )
    await driver.run('/outreach sent prospect:"@everyone"', user=alice, guild=guild)
    clock.set(WEDNESDAY_3PM)
    (dm,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    assert dm.allowed_mentions == {"parse": []}


# -- word counts ---------------------------------------------------------------------------


async def test_a_one_word_draft_is_counted_as_one_word(driver, alice, guild):
    reply = await driver.run('/outreach check text:"Hello"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "1 word." in reply.text
    assert "1 words" not in reply.text


# -- the drafts read like a careful person wrote them (issue 10) ----------------------------


async def test_a_draft_sets_the_organisation_and_role_in_good_english(driver, alice, guild):
    await driver.run(
        '/settings profile name:"Jordan Park" school:"University of Michigan" interest:"fintech."',
        user=alice,
        guild=guild,
    )
    await driver.run(
        '/prospect add name:"Dana Lee" role:"MBA student" organization:"Stripe, Inc." '
        "source:alumni",
        user=alice,
        guild=guild,
    )
    reply = await driver.run('/outreach draft prospect:"Dana Lee"', user=alice, guild=guild)
    text = code_block(reply.content)
    assert "your work as an MBA student at Stripe, Inc." in text
    assert "Stripe, Inc.." not in text
    assert "fintech." not in text  # the interest's own period doesn't end a clause early
    assert "of University of Michigan" not in text
    assert "Fill in before sending" not in reply.text


async def test_a_linkedin_note_warns_that_free_accounts_allow_200(driver, alice, guild):
    await driver.run(
        '/settings profile name:"Sam Lee" school:"The University of Michigan Ross School of '
        'Business" interest:"sustainable finance, impact investing and climate risk"',
        user=alice,
        guild=guild,
    )
    await add_dana(driver, alice, guild, source="alumni")
    reply = await driver.run(
        '/outreach draft prospect:"Dana Lee" format:linkedin', user=alice, guild=guild
    )
    note = code_block(reply.content)
    assert 200 < len(note) <= 300
    assert "free accounts allow 200" in reply.text


async def test_the_followup_to_a_two_week_old_request_names_its_date(driver, bot, alice, guild):
    await add_dana(driver, alice, guild)
    await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"2026-11-13 10:00"', user=alice, guild=guild
    )
    dms = await driver.wait_for_dms(alice, count=2, interactions=False)
    followup = next(m for m in dms if "Follow up once" in m.content)
    draft = code_block(followup.content)
    # Sent on Friday the 13th, followed up on the 27th: not "my note from last week".
    assert "I'm following up on the note I sent on November 13." in draft
    assert "last week" not in draft
    # No profile yet: the placeholders in the draft are listed with what fills them.
    assert "[your name]" in draft
    assert "Fill in before sending" in followup.content
    assert "`/settings profile name:…`" in followup.content
