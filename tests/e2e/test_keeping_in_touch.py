"""Keeping in touch and the weekly digest (issue 11, items 4 and 5) end to end.

After a thank-you is marked sent, a check-in nudge comes weeks later with a note naming
what was discussed; thanking someone who was referred brings a nudge to tell the
referrer how it went; a member who opts in gets one digest a week at their own day and
hour, only when something is due. Every one of them is a reminder like the others:
quiet hours hold it, a restart neither loses nor doubles it, and its buttons act only on
the presser's own data.

The clock starts on Friday 2026-11-27 15:00 UTC and moves only when a test moves it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.client import InterviewBot
from bot.emulator.harness import running_bot
from tests.support.e2e import (
    GUILD_READY_TIMEOUT,
    add_prospect,
    bot_dms,
    meetings,
    owed_reminders,
    settle,
)

TAKEAWAYS = "Analytics teams value SQL over dashboards"
TOUCH_BUTTONS = ["Done", "Remind me later", "Skip"]
# Monday 09:00 in New York (EST, UTC-5), the first after the start.
MONDAY_9_NEW_YORK = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


# -- acting as the member -------------------------------------------------------------


def says_when(text: str, what: str, moment: datetime, tz: str = "UTC") -> bool:
    """Whether a reply promises `what` at `moment`: as a Discord timestamp, or on the
    member's own clock ("Fri 8 Jan at 15:00", "tomorrow at 15:00")."""
    local = moment.astimezone(ZoneInfo(tz))
    shown = (
        f"<t:{int(moment.timestamp())}:",
        f"{local:%a} {local.day} {local:%b} at {local:%H:%M}",
        f"tomorrow at {local:%H:%M}",
    )
    return any(f"{what} {when}" in text for when in shown)


async def in_zone(driver, user, guild, tz="UTC"):
    reply = await driver.run(f"/settings timezone tz:{tz}", user=user, guild=guild)
    assert "Time zone set" in reply.text, reply.text


async def thank(driver, user, guild, name="Ada Lovelace", *, log=True):
    """Meet `name` (logged 3 hours ago, with takeaways) and mark the thank-you sent."""
    if log:
        reply = await driver.run(
            f'/meeting log prospect:"{name}" when:"3 hours ago" takeaways:"{TAKEAWAYS}"',
            user=user,
            guild=guild,
        )
        assert "Logged" in reply.text, reply.text
    reply = await driver.run(f'/thanks sent meeting:"{name}"', user=user, guild=guild)
    assert "as sent" in reply.text, reply.text
    return reply


async def met_and_thanked(driver, user, guild, *, extra=""):
    await in_zone(driver, user, guild)
    if extra:
        reply = await driver.run(f"/settings reminders {extra}", user=user, guild=guild)
        assert "saved" in reply.text, reply.text
    await add_prospect(driver, user, guild, extra='organization:"Engines Ltd"')
    return await thank(driver, user, guild)


def saying(emu, user, text: str) -> list:
    """The bot's own DMs to the member that contain `text`."""
    return [dm for dm in bot_dms(emu, user) if text in dm.text]


async def dms_saying(driver, emu, user, text: str, count: int = 1) -> list:
    await driver.emu.wait_for(lambda: len(saying(emu, user, text)) >= count, 10)
    return saying(emu, user, text)


async def owed(bot, user, kind):
    return [r for r in await owed_reminders(bot, user) if r.kind == kind]


async def restart(bot, settings, clock):
    await bot.close()
    return InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)


# -- the check-in ---------------------------------------------------------------------


async def test_a_check_in_comes_six_weeks_after_the_thank_you_naming_the_takeaway(
    driver, bot, emu, clock, alice, guild
):
    sent = await met_and_thanked(driver, alice, guild)
    assert says_when(sent.text, "check in with them", clock.now() + timedelta(weeks=6))
    clock.advance(days=41)
    await settle(bot)
    assert saying(emu, alice, "check in with") == []
    clock.advance(days=1)  # six weeks after the thank-you
    (dm,) = await dms_saying(driver, emu, alice, "Time to check in with **Ada Lovelace**")
    assert TAKEAWAYS in dm.text  # the note names what they discussed
    assert "```" in dm.content
    assert any(f"{greeting} Ada," in dm.text for greeting in ("Hi", "Hello", "Dear"))
    assert "Fill in before sending" in dm.text
    assert [b["label"] for b in dm.buttons] == TOUCH_BUTTONS
    clock.advance(days=30)
    await settle(bot)
    assert len(saying(emu, alice, "check in with")) == 1  # exactly once


async def test_a_check_in_without_takeaways_is_a_warm_general_note(
    driver, bot, emu, clock, alice, guild
):
    await in_zone(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"1 hour ago"', user=alice, guild=guild
    )
    await thank(driver, alice, guild, log=False)
    clock.advance(weeks=6)
    (dm,) = await dms_saying(driver, emu, alice, "Time to check in")
    assert "our conversation" in dm.text
    assert "[one specific thing" not in dm.text


async def test_checkin_weeks_0_means_no_check_in(driver, bot, emu, clock, alice, guild):
    sent = await met_and_thanked(driver, alice, guild, extra="checkin_weeks:0")
    assert "check in" not in sent.text
    assert await owed(bot, alice, "checkin") == []
    clock.advance(weeks=12)
    await settle(bot)
    assert saying(emu, alice, "check in") == []


async def test_turning_check_ins_off_cancels_one_already_owed(
    driver, bot, emu, clock, alice, guild
):
    await met_and_thanked(driver, alice, guild)
    assert len(await owed(bot, alice, "checkin")) == 1
    reply = await driver.run("/settings reminders checkin_weeks:0", user=alice, guild=guild)
    assert "Check-in after thanks" in reply.text and "off" in reply.text
    assert await owed(bot, alice, "checkin") == []
    clock.advance(weeks=7)
    await settle(bot)
    assert saying(emu, alice, "check in") == []


async def test_checkin_weeks_sets_when_it_comes(driver, bot, emu, clock, alice, guild):
    await met_and_thanked(driver, alice, guild, extra="checkin_weeks:2")
    clock.advance(days=13)
    await settle(bot)
    assert saying(emu, alice, "Time to check in") == []
    clock.advance(days=1)
    assert len(await dms_saying(driver, emu, alice, "Time to check in")) == 1


async def test_sent_it_on_the_thank_you_nudge_plans_the_check_in(
    driver, bot, emu, clock, alice, guild
):
    await in_zone(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    await driver.run(
        f'/meeting log prospect:"Ada Lovelace" when:"3 hours ago" takeaways:"{TAKEAWAYS}"',
        user=alice,
        guild=guild,
    )
    (nudge,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    pressed = await driver.click(nudge, "Sent it", user=alice)
    assert "check in with them" in pressed.text
    (checkin,) = await owed(bot, alice, "checkin")
    assert checkin.due_at == clock.now() + timedelta(weeks=6)


async def test_remind_me_later_brings_it_back_in_a_week_and_done_ends_it(
    driver, bot, emu, clock, alice, guild
):
    await met_and_thanked(driver, alice, guild)
    clock.advance(weeks=6)
    (dm,) = await dms_saying(driver, emu, alice, "Time to check in")
    reply = await driver.click(dm, "Remind me later", user=alice)
    assert "remind you again" in reply.text
    assert emu.messages[dm.id].buttons == []
    (later,) = await owed(bot, alice, "checkin")
    assert later.due_at == clock.now() + timedelta(days=7)
    clock.advance(days=7)
    (again,) = await dms_saying(driver, emu, alice, "As you asked: time to check in")
    assert TAKEAWAYS in again.text
    done = await driver.click(again, "Done", user=alice)
    assert "✅" in done.text
    assert emu.messages[again.id].buttons == []
    sent = len(bot_dms(emu, alice))  # the thank-you nudge, the check-in, its return
    clock.advance(weeks=10)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == sent == 3


async def test_skip_ends_the_check_in(driver, bot, emu, clock, alice, guild):
    await met_and_thanked(driver, alice, guild)
    clock.advance(weeks=6)
    (dm,) = await dms_saying(driver, emu, alice, "Time to check in")
    reply = await driver.click(dm, "Skip", user=alice)
    assert "Skipped" in reply.text
    assert await owed(bot, alice, "checkin") == []


async def test_another_member_cannot_press_a_check_in_s_buttons(
    driver, bot, emu, clock, alice, bob, guild
):
    await met_and_thanked(driver, alice, guild)
    clock.advance(weeks=6)
    (dm,) = await dms_saying(driver, emu, alice, "Time to check in")
    await met_and_thanked(driver, bob, guild)  # Bob has a meeting with the same id
    forged = emu.inject_message(emu.dm_channel(bob).id, content="forged", components=dm.components)
    for label in TOUCH_BUTTONS:
        reply = await driver.click(forged, label, user=bob)
        assert reply.ephemeral
        assert "someone else's" in reply.text
    assert len(await owed(bot, bob, "checkin")) == 1  # Bob's own check-in untouched
    assert await owed(bot, alice, "checkin") == []  # Alice's was sent; nothing added


async def test_quiet_hours_hold_the_check_in(driver, bot, emu, clock, alice, guild):
    clock.set(datetime(2026, 11, 27, 23, 30, tzinfo=UTC))  # thanked late at night
    await met_and_thanked(driver, alice, guild)
    clock.advance(weeks=6)  # 23:30: quiet hours (22:00–08:00)
    await settle(bot)
    assert saying(emu, alice, "Time to check in") == []
    clock.set(datetime(2027, 1, 9, 8, 0, tzinfo=UTC))
    assert len(await dms_saying(driver, emu, alice, "Time to check in")) == 1


async def test_a_restart_in_between_sends_the_check_in_exactly_once(
    driver, bot, emu, settings, clock, alice, guild
):
    await met_and_thanked(driver, alice, guild)
    restarted = await restart(bot, settings, clock)
    async with running_bot(restarted, emu):
        clock.advance(weeks=6)
        (dm,) = await dms_saying(driver, emu, alice, "Time to check in")
        clock.advance(days=1)
        await settle(restarted)
        assert len(bot_dms(emu, alice)) == 2  # the thank-you nudge, then the check-in
        # Its buttons are answered by the new process too.
        reply = await driver.click(dm, "Done", user=alice)
        assert "✅" in reply.text


# -- the referrer -----------------------------------------------------------------------


async def referred_by_grace(driver, user, guild):
    """Grace Hopper, met two days ago, referred the member to Ada Lovelace."""
    await in_zone(driver, user, guild)
    await add_prospect(driver, user, guild, name="Grace Hopper")
    reply = await driver.run(
        '/meeting log prospect:"Grace Hopper" when:"2 days ago 10am" referrals:"Ada Lovelace"',
        user=user,
        guild=guild,
    )
    assert "Logged" in reply.text, reply.text


async def test_thanking_a_referred_person_brings_a_nudge_to_tell_the_referrer(
    driver, bot, emu, clock, alice, guild
):
    await referred_by_grace(driver, alice, guild)
    sent = await thank(driver, alice, guild)
    assert says_when(
        sent.text, "tell **Grace Hopper** how it went", clock.now() + timedelta(days=1)
    )
    clock.advance(hours=23)
    await settle(bot)
    assert saying(emu, alice, "introduced") == []
    clock.advance(hours=1)
    (dm,) = await dms_saying(driver, emu, alice, "introduced")
    assert "Tell **Grace Hopper** how your conversation with **Ada Lovelace** went" in dm.text
    assert "Hi Grace," in dm.text  # the note is to the referrer
    assert TAKEAWAYS in dm.text
    assert [b["label"] for b in dm.buttons] == TOUCH_BUTTONS
    reply = await driver.click(dm, "Done", user=alice)
    assert "Grace Hopper" in reply.text


async def test_the_referrer_is_nudged_once_per_person(driver, bot, emu, clock, alice, guild):
    await referred_by_grace(driver, alice, guild)
    await thank(driver, alice, guild)
    clock.advance(days=3)
    await dms_saying(driver, emu, alice, "introduced")
    # A second meeting with Ada, thanked too: another check-in, no second word to Grace.
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"1 hour ago"', user=alice, guild=guild
    )
    latest = max(meeting.id for meeting, _ in await meetings(bot, alice))
    reply = await driver.run(f"/thanks sent meeting:{latest}", user=alice, guild=guild)
    assert "check in with them" in reply.text and "Grace" not in reply.text
    assert len(await owed(bot, alice, "checkin")) == 2
    assert await owed(bot, alice, "referrer") == []
    clock.advance(days=3)
    await settle(bot)
    assert len(saying(emu, alice, "introduced")) == 1


async def test_no_referrer_nudge_for_someone_not_referred(driver, bot, emu, clock, alice, guild):
    sent = await met_and_thanked(driver, alice, guild)
    assert "how it went" not in sent.text
    assert await owed(bot, alice, "referrer") == []


# -- the weekly digest ----------------------------------------------------------------------


async def opt_in(driver, user, guild, when="monday 9am", tz="America/New_York"):
    await in_zone(driver, user, guild, tz)
    return await driver.run(f'/settings reminders digest:"{when}"', user=user, guild=guild)


def digests(emu, user) -> list:
    return saying(emu, user, "Your weekly digest")


async def test_the_digest_is_off_by_default(driver, bot, emu, clock, alice, guild):
    await add_prospect(driver, alice, guild)
    clock.advance(weeks=3)
    await settle(bot)
    assert digests(emu, alice) == []
    show = await driver.run("/settings show", user=alice, guild=guild)
    assert "Weekly digest" in show.text
    assert "Check-in after thanks" in show.text and "6 weeks after" in show.text


async def test_an_opted_in_member_gets_one_digest_at_their_day_and_hour(
    driver, bot, emu, clock, alice, guild
):
    await add_prospect(driver, alice, guild, extra='organization:"Engines Ltd"')
    reply = await opt_in(driver, alice, guild)
    assert says_when(reply.text, "Your weekly digest comes", MONDAY_9_NEW_YORK, "America/New_York")
    assert "Monday 09:00" in reply.text  # the settings card
    clock.set(MONDAY_9_NEW_YORK - timedelta(minutes=1))
    await settle(bot)
    assert digests(emu, alice) == []
    clock.set(MONDAY_9_NEW_YORK)
    (dm,) = await dms_saying(driver, emu, alice, "Your weekly digest")
    assert "Ada Lovelace" in dm.text
    assert "/outreach draft prospect:Ada Lovelace" in dm.text  # a ready command
    assert "No meetings or thank-yous this week" in dm.text
    clock.advance(hours=1)
    await settle(bot)
    assert len(digests(emu, alice)) == 1
    # The next one is already owed, a week later at the same local hour.
    (following,) = await owed(bot, alice, "digest")
    assert following.due_at == MONDAY_9_NEW_YORK + timedelta(days=7)
    clock.set(MONDAY_9_NEW_YORK + timedelta(days=7))
    assert len(await dms_saying(driver, emu, alice, "Your weekly digest", count=2)) == 2


async def test_the_digest_lists_the_weeks_wins_and_what_is_owed(
    driver, bot, emu, clock, alice, guild
):
    await opt_in(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    await thank(driver, alice, guild)  # met and thanked Ada: two wins
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    await driver.run(
        '/meeting log prospect:"Grace Hopper" when:"1 hour ago"', user=alice, guild=guild
    )
    clock.set(MONDAY_9_NEW_YORK)
    (dm,) = await dms_saying(driver, emu, alice, "Your weekly digest")
    assert "Thank **Grace Hopper**" in dm.text  # due: a thank-you
    assert "You met **Ada Lovelace**, **Grace Hopper**" in dm.text
    assert "You thanked **Ada Lovelace**" in dm.text


async def test_nothing_due_means_no_digest_but_next_week_is_still_scheduled(
    driver, bot, emu, clock, alice, guild
):
    await opt_in(driver, alice, guild)
    clock.set(MONDAY_9_NEW_YORK)
    await settle(bot)
    assert digests(emu, alice) == []
    (following,) = await owed(bot, alice, "digest")
    assert following.due_at == MONDAY_9_NEW_YORK + timedelta(days=7)
    await add_prospect(driver, alice, guild)  # now something is due
    clock.set(MONDAY_9_NEW_YORK + timedelta(days=7))
    assert len(await dms_saying(driver, emu, alice, "Your weekly digest")) == 1


async def test_quiet_hours_hold_the_digest(driver, bot, emu, clock, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await opt_in(driver, alice, guild, when="monday 7am")
    assert "at 08:00" in reply.text and "after your quiet hours" in reply.text
    seven = MONDAY_9_NEW_YORK - timedelta(hours=2)
    clock.set(seven)
    await settle(bot)
    assert digests(emu, alice) == []
    clock.set(seven + timedelta(hours=1))  # 08:00 in New York: quiet hours are over
    assert len(await dms_saying(driver, emu, alice, "Your weekly digest")) == 1
    # Next week's keeps the member's own hour; quiet hours hold that one too.
    (following,) = await owed(bot, alice, "digest")
    assert following.due_at == seven + timedelta(days=7)


async def test_a_restart_before_the_digest_sends_it_exactly_once(
    driver, bot, emu, settings, clock, alice, guild
):
    await add_prospect(driver, alice, guild)
    await opt_in(driver, alice, guild)
    restarted = await restart(bot, settings, clock)
    async with running_bot(restarted, emu):
        clock.set(MONDAY_9_NEW_YORK)
        await dms_saying(driver, emu, alice, "Your weekly digest")
        clock.advance(hours=2)
        await settle(restarted)
        assert len(digests(emu, alice)) == 1
    again = await restart(restarted, settings, clock)
    async with running_bot(again, emu):
        clock.set(MONDAY_9_NEW_YORK + timedelta(days=7))
        await dms_saying(driver, emu, alice, "Your weekly digest", count=2)
        await settle(again)
    assert len(digests(emu, alice)) == 2


async def test_digest_off_stops_it(driver, bot, emu, clock, alice, guild):
    await add_prospect(driver, alice, guild)
    await opt_in(driver, alice, guild)
    reply = await driver.run("/settings reminders digest:off", user=alice, guild=guild)
    assert "The weekly digest is off" in reply.text
    assert await owed(bot, alice, "digest") == []
    clock.set(MONDAY_9_NEW_YORK + timedelta(days=14))
    await settle(bot)
    assert digests(emu, alice) == []


async def test_a_digest_time_it_cannot_read_is_refused_and_changes_nothing(
    driver, bot, alice, guild
):
    await in_zone(driver, alice, guild)
    reply = await driver.run('/settings reminders digest:"every monday"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "monday 9am" in reply.text  # an example of what works
    reply = await driver.run('/settings reminders digest:"mon 9"', user=alice, guild=guild)
    assert "time of day" in reply.text
    async with bot.stores.member(alice.id) as store:
        assert (await store.settings()).digest is None
    assert await owed(bot, alice, "digest") == []


async def test_the_digest_option_suggests_what_was_typed(driver, alice, guild):
    choices = await driver.autocomplete(
        "/settings reminders digest:fri 5pm", user=alice, guild=guild
    )
    assert [c["value"] for c in choices] == ["friday 17:00", "off"]


async def test_changing_time_zone_keeps_the_digest_at_the_members_hour(
    driver, bot, emu, clock, alice, guild
):
    await opt_in(driver, alice, guild)
    await in_zone(driver, alice, guild, "Europe/London")
    (owed_digest,) = await owed(bot, alice, "digest")
    assert owed_digest.due_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # 09:00 in London


async def test_help_mentions_check_ins_and_the_digest(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    assert "checkin_weeks" in reply.text and "digest" in reply.text
