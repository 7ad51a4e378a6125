"""Step 4 end to end: the thank-you nudge DM and its buttons, /thanks draft and sent, which
meeting the option means, and forged or stale nudge buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.client import InterviewBot
from bot.emulator.harness import running_bot
from tests.support.e2e import (
    GUILD_READY_TIMEOUT,
    TOO_BIG,
    add_prospect,
    bot_dms,
    meetings,
    owed_reminders,
    settle,
)

TAKEAWAYS = "Analytics teams value SQL over dashboards"
BUTTONS = ["Sent it", "Draft it for me", "Remind me tomorrow", "Skip"]


async def log_meeting(driver, user, guild, extra=""):
    await add_prospect(driver, user, guild, extra='organization:"Engines Ltd"')
    reply = await driver.run(
        f'/meeting log prospect:"Ada Lovelace" when:"3 hours ago" takeaways:"{TAKEAWAYS}" {extra}',
        user=user,
        guild=guild,
    )
    assert "Logged" in reply.text, reply.text


async def first_nudge(driver, bot, user, guild, extra=""):
    await log_meeting(driver, user, guild, extra)
    (dm,) = await driver.wait_for_dms(user, count=1, interactions=False)
    return dm


async def thanks_owed(bot, user):
    return [r for r in await owed_reminders(bot, user) if r.kind == "thanks"]


async def the_meeting(bot, user):
    ((meeting, _),) = await meetings(bot, user)
    return meeting


async def test_a_logged_past_meeting_is_nudged_at_once(driver, bot, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    assert "thank **Ada Lovelace**" in dm.text or "Time to say thank you" in dm.text
    assert "Ada Lovelace" in dm.text
    assert "<t:" in dm.text  # the meeting's time, as a Discord timestamp
    assert TAKEAWAYS in dm.text
    assert [b["label"] for b in dm.buttons] == BUTTONS
    # The later nudges (20 h and 48 h after the end) are still owed.
    assert [r.step for r in await thanks_owed(bot, alice)] == [1, 2]


async def test_nudges_repeat_at_20_and_48_hours_then_stop(driver, bot, emu, clock, alice, guild):
    await first_nudge(driver, bot, alice, guild)
    clock.advance(hours=18)  # past 20 h after the end (it started 3 h ago, for 30 min)
    second = (await driver.wait_for_dms(alice, count=2, interactions=False))[-1]
    assert "reminder to thank" in second.text
    clock.advance(hours=28)
    last = (await driver.wait_for_dms(alice, count=3, interactions=False))[-1]
    assert "Last reminder" in last.text
    clock.advance(days=7)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 3


async def test_sent_it_marks_thanked_and_ends_the_nudges(driver, bot, emu, clock, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    reply = await driver.click(dm, "Sent it", user=alice)
    assert "as sent" in reply.text
    edited = emu.messages[dm.id]
    assert edited.buttons == []
    assert "✅" in edited.content
    meeting = await the_meeting(bot, alice)
    assert meeting.thanked_at == clock.now()
    assert await thanks_owed(bot, alice) == []
    clock.advance(hours=72)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 1
    listing = await driver.run("/meeting list range:past", user=alice, guild=guild)
    assert "thanked" in listing.text


async def test_draft_it_for_me_names_the_takeaways(driver, bot, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    reply = await driver.click(dm, "Draft it for me", user=alice)
    assert reply.ephemeral
    assert "```" in reply.content
    assert "Analytics teams value SQL over dashboards" in reply.text
    # Drafting changes nothing: the nudge keeps its buttons, the nudges stay owed.
    assert [b["label"] for b in dm.buttons] == BUTTONS
    assert len(await thanks_owed(bot, alice)) == 2


async def test_remind_me_tomorrow_brings_one_nudge_back(driver, bot, emu, clock, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    reply = await driver.click(dm, "Remind me tomorrow", user=alice)
    assert "remind you again" in reply.text
    assert emu.messages[dm.id].buttons == []
    (snoozed,) = await thanks_owed(bot, alice)
    assert snoozed.due_at == clock.now() + timedelta(hours=24)
    clock.advance(hours=23)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 1  # the 20 h nudge was replaced by the snooze
    clock.advance(hours=1)
    again = (await driver.wait_for_dms(alice, count=2, interactions=False))[-1]
    assert "As you asked" in again.text
    assert [b["label"] for b in again.buttons] == BUTTONS


async def test_skip_stops_the_nudges(driver, bot, emu, clock, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    reply = await driver.click(dm, "Skip", user=alice)
    assert "Skipped" in reply.text
    assert emu.messages[dm.id].buttons == []
    meeting = await the_meeting(bot, alice)
    assert meeting.thanks_skipped and meeting.thanked_at is None
    assert await thanks_owed(bot, alice) == []
    clock.advance(hours=72)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 1


async def test_buttons_work_after_a_restart(driver, bot, emu, settings, clock, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    await bot.close()
    # A new process knows nothing of the old one's views: the buttons are rebuilt from
    # their custom_id alone.
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    async with running_bot(restarted, emu):
        reply = await driver.click(dm, "Sent it", user=alice)
        assert "as sent" in reply.text
        assert (await the_meeting(restarted, alice)).thanked_at is not None
        assert emu.messages[dm.id].buttons == []


async def test_another_member_cannot_press_alices_buttons(driver, bot, emu, alice, bob, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    # Bob has a meeting of his own with the same id in his own store.
    await log_meeting(driver, bob, guild)
    # He forges a message in his DMs carrying Alice's buttons, and presses them.
    forged = emu.inject_message(emu.dm_channel(bob).id, content="forged", components=dm.components)
    for label in ("Sent it", "Skip", "Remind me tomorrow", "Draft it for me"):
        reply = await driver.click(forged, label, user=bob)
        assert reply.ephemeral
        assert "someone else's" in reply.text
    for user in (alice, bob):
        meeting = await the_meeting(bot, user)
        assert meeting.thanked_at is None and not meeting.thanks_skipped
    # Without the owner in the custom_id, the id is looked up in Bob's store only.
    sent_it = {"type": 2, "style": 1, "label": "Sent it", "custom_id": "thanks:sent:99"}
    bare = emu.inject_message(
        emu.dm_channel(bob).id,
        content="forged",
        components=[{"type": 1, "components": [sent_it]}],
    )
    reply = await driver.click(bare, "Sent it", user=bob)
    assert reply.ephemeral
    assert "can't find that meeting" in reply.text


async def test_thanks_draft_names_the_takeaways_and_referrals(driver, alice, guild):
    await log_meeting(driver, alice, guild, extra='referrals:"Grace Hopper"')
    reply = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "```" in reply.content
    assert TAKEAWAYS in reply.text
    assert "Grace Hopper" in reply.text
    assert "Subject:" in reply.text
    assert "/settings profile" in reply.text  # the member's name is missing
    card = await driver.run(
        '/thanks draft meeting:"Ada Lovelace" medium:handwritten', user=alice, guild=guild
    )
    assert "Subject:" not in card.text
    assert "handwritten note" in card.text


async def test_thanks_draft_points_out_missing_takeaways(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"1 hour ago"', user=alice, guild=guild
    )
    reply = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "/meeting done" in reply.text


async def test_thanks_for_a_meeting_still_ahead_is_refused(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 9am"', user=alice, guild=guild
    )
    reply = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "still ahead" in reply.text


async def test_thanks_sent_marks_it_and_ends_the_nudges(driver, bot, emu, clock, alice, guild):
    await first_nudge(driver, bot, alice, guild)
    reply = await driver.run(
        '/thanks sent meeting:"Ada Lovelace" medium:handwritten', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "as sent (handwritten)" in reply.text
    meeting = await the_meeting(bot, alice)
    assert (meeting.thanked_at, meeting.thanks_medium) == (clock.now(), "handwritten")
    assert await thanks_owed(bot, alice) == []
    again = await driver.run('/thanks sent meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "already marked sent" in again.text
    clock.advance(hours=72)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 1
    card = await driver.run('/prospect show prospect:"Ada Lovelace"', user=alice, guild=guild)
    assert "thanked" in card.text


# -- which meeting an option means ---------------------------------------------------------


async def test_thanks_offers_the_meeting_that_happened_before_an_upcoming_one(
    driver, bot, alice, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"', user=alice, guild=guild
    )
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm" takeaways:"SQL matters"',
        user=alice,
        guild=guild,
    )
    held = next(m for m, _ in await meetings(bot, alice) if m.done)
    choices = await driver.autocomplete("/thanks draft meeting:Ada", user=alice, guild=guild)
    assert choices[0]["value"] == str(held.id)
    draft = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "SQL matters" in draft.text, draft.text
    sent = await driver.run('/thanks sent meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "as sent" in sent.text, sent.text
    done = await driver.autocomplete("/meeting done meeting:Ada", user=alice, guild=guild)
    assert done[0]["value"] == str(held.id)
    # Preparing and cancelling are about the meeting ahead.
    prep = await driver.autocomplete("/meeting prep meeting:Ada", user=alice, guild=guild)
    assert prep[0]["value"] != str(held.id)


# -- forged and stale nudge buttons --------------------------------------------------------


async def test_a_forged_nudge_button_with_an_out_of_range_id_is_refused(
    driver, bot, emu, alice, bob, guild
):
    custom_id = f"thanks:skip:{TOO_BIG}"
    forged = emu.inject_message(
        emu.dm_channel(bob).id,
        components=[
            {
                "type": 1,
                "components": [{"type": 2, "style": 1, "label": "Skip", "custom_id": custom_id}],
            }
        ],
    )
    reply = await driver.click(forged, "Skip", user=bob)
    assert reply.ephemeral
    assert "can't find" in reply.text, reply.text


async def test_a_nudge_for_a_cancelled_meeting_says_what_to_do(driver, bot, alice, guild):
    dm = await first_nudge(driver, bot, alice, guild)
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.click(dm, "Sent it", user=alice)
    assert reply.ephemeral
    assert "cancelled" in reply.text and "/meeting log" in reply.text, reply.text
    assert (await meetings(bot, alice))[0][0].thanked_at is None


# -- the draft reads like a careful person wrote it (issue 10) -------------------------------

FINTECH = "Fintech PMs spend a third of their time with compliance"


async def test_a_thank_you_to_stripe_inc_names_the_members_note_as_theirs(driver, alice, guild):
    await driver.run('/settings profile name:"Alex Kim"', user=alice, guild=guild)
    await add_prospect(
        driver, alice, guild, extra='role:"UX researcher" organization:"Stripe, Inc."'
    )
    await driver.run(
        f'/meeting log prospect:"Ada Lovelace" when:"3 hours ago" takeaways:"{FINTECH}"',
        user=alice,
        guild=guild,
    )
    reply = await driver.run('/thanks draft meeting:"Ada Lovelace"', user=alice, guild=guild)
    draft = reply.content.split("```", 2)[1]
    assert "about your work as a UX researcher at Stripe, Inc. " in draft
    assert "Stripe, Inc.." not in draft
    # The member's own note: not a "next step", not in quotes as if Ada had said it.
    assert (
        f"noted in particular: {FINTECH}." in draft
        or f"stands out: {FINTECH}." in draft
        or (f"something I noted: {FINTECH}." in draft)
    )
    assert "next steps" not in draft
    assert "\u201c" not in draft
    assert "Fill in before sending" not in reply.text
