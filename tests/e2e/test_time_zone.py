"""A member's time zone on first use, the zone each reply read a time in, and replies
that say truthfully when a promised DM will come (quiet hours included).

The clock stands at Friday 2026-11-27 15:00 UTC: 10:00 in New York. The suite's regular
members chose a zone long ago (tests/e2e/conftest.py); the newcomers here never did.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.e2e import add_prospect, bot_dms, meetings, owed_reminders, settle

SAT_3PM_NEW_YORK = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
FRI_2_30_NEW_YORK = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
FRI_8_00_NEW_YORK = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)


@pytest.fixture
def newcomer(emu, guild, bot):
    """A member who has never told the bot their time zone (Discord app in US English)."""
    return emu.add_user("newcomer", guild=guild)


async def zone_of(bot, user):
    """The zone the member chose, as stored (None: never chosen)."""
    async with bot.stores.member(user.id) as store:
        return await store.get_setting("timezone")


def options(reply) -> list[str]:
    """The labels of the reply's (first) select."""
    (menu,) = reply.selects
    return [option["label"] for option in menu["options"]]


# -- asked once, then carried on --------------------------------------------------------


async def test_a_new_members_first_schedule_asks_for_a_zone_and_then_schedules_it_there(
    driver, bot, newcomer, guild
):
    await add_prospect(driver, newcomer, guild)
    prompt = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"', user=newcomer, guild=guild
    )
    assert prompt.ephemeral
    assert "Which time zone are you in?" in prompt.text
    assert "/meeting schedule" in prompt.text  # what it will carry on with
    # Nothing stored yet, and nothing read as UTC.
    assert await meetings(bot, newcomer) == []
    assert await owed_reminders(bot, newcomer) == []
    assert await zone_of(bot, newcomer) is None
    # An en-US app: the US zones first, each with its time now; UTC and another zone too.
    offered = options(prompt)
    assert offered[0] == "America/New_York"
    assert {"America/Chicago", "America/Denver", "America/Los_Angeles", "UTC"} <= set(offered)
    assert offered[-1] == "Another zone…"
    (menu,) = prompt.selects
    assert menu["options"][0]["description"] == "10:00 EST there now"

    picked = await driver.select(prompt, ["America/New_York"], user=newcomer)
    # The question is answered in place, and the command's own answer follows.
    assert "Time zone set to **America/New_York**" in prompt.text
    assert not prompt.selects
    assert picked.ephemeral
    assert "Meeting scheduled with Ada Lovelace" in picked.text
    assert "Sat 28 Nov 15:00 (America/New_York)" in picked.text
    ((meeting, _),) = await meetings(bot, newcomer)
    assert meeting.starts_at == SAT_3PM_NEW_YORK  # 15:00 in New York, not 15:00 UTC
    assert await zone_of(bot, newcomer) == "America/New_York"

    # Asked once: the next command just runs.
    await add_prospect(driver, newcomer, guild, "Grace Hopper")
    again = await driver.run(
        '/meeting schedule prospect:"Grace Hopper" when:"Dec 3 3pm"', user=newcomer, guild=guild
    )
    assert "Which time zone" not in again.text
    assert "Meeting scheduled" in again.text


async def test_a_member_who_set_a_zone_is_not_asked(driver, bot, newcomer, guild):
    await driver.run("/settings timezone tz:America/Chicago", user=newcomer, guild=guild)
    await add_prospect(driver, newcomer, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"', user=newcomer, guild=guild
    )
    assert "Which time zone" not in reply.text
    assert not reply.selects
    assert "Meeting scheduled" in reply.text
    assert "Sat 28 Nov 15:00 (America/Chicago)" in reply.text
    ((meeting, _),) = await meetings(bot, newcomer)
    assert meeting.starts_at == datetime(2026, 11, 28, 21, 0, tzinfo=UTC)


async def test_a_member_who_chose_utc_is_not_asked_again(driver, bot, newcomer, guild):
    await add_prospect(driver, newcomer, guild)
    prompt = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"', user=newcomer, guild=guild
    )
    picked = await driver.select(prompt, ["UTC"], user=newcomer)
    assert "Meeting scheduled" in picked.text
    assert await zone_of(bot, newcomer) == "UTC"  # chosen, which is not "never set"
    await add_prospect(driver, newcomer, guild, "Grace Hopper")
    reply = await driver.run(
        '/meeting schedule prospect:"Grace Hopper" when:"Dec 3 3pm"', user=newcomer, guild=guild
    )
    assert "Meeting scheduled" in reply.text
    assert "Thu 3 Dec 15:00 (UTC)" in reply.text


@pytest.mark.parametrize(
    ("command", "done"),
    [
        ('/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm"', "Logged your meeting"),
        ('/outreach sent prospect:"Ada Lovelace" when:"yesterday 4pm"', "Logged your request"),
        ('/outreach sent prospect:"Ada Lovelace"', "Logged your request"),
    ],
)
async def test_every_command_that_stores_a_time_asks_first(
    driver, bot, newcomer, guild, command, done
):
    await add_prospect(driver, newcomer, guild)
    prompt = await driver.run(command, user=newcomer, guild=guild)
    assert "Which time zone are you in?" in prompt.text
    assert done not in prompt.text
    assert await owed_reminders(bot, newcomer) == []
    picked = await driver.select(prompt, ["America/New_York"], user=newcomer)
    assert done in picked.text
    assert await owed_reminders(bot, newcomer), "its reminders, planned once the zone is known"
    if "yesterday 4pm" in command:
        assert "Thu 26 Nov 16:00 (America/New_York)" in picked.text


async def test_a_member_from_before_the_question_is_asked_when_moving_a_meeting(
    driver, bot, newcomer, guild
):
    # Their meeting was stored before members were asked (read as UTC back then).
    async with bot.stores.member(newcomer.id) as store:
        ada = await store.add_prospect("Ada Lovelace")
        await store.add_meeting(ada.id, datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    prompt = await driver.run(
        '/meeting reschedule meeting:"Ada Lovelace" when:"Dec 4 3pm"', user=newcomer, guild=guild
    )
    assert "Which time zone are you in?" in prompt.text
    picked = await driver.select(prompt, ["Asia/Kolkata"], user=newcomer)
    assert "Meeting moved" in picked.text
    ((meeting, _),) = await meetings(bot, newcomer)
    assert meeting.starts_at == datetime(2026, 12, 4, 9, 30, tzinfo=UTC)  # 15:00 in Kolkata


@pytest.mark.parametrize(
    ("locale", "first"),
    [("en-GB", "Europe/London"), ("de", "Europe/Berlin"), ("hi", "Asia/Kolkata")],
)
async def test_the_zones_offered_first_follow_the_members_discord_language(
    driver, emu, bot, guild, locale, first
):
    member = emu.add_user(f"member-{locale}", guild=guild, locale=locale)
    await add_prospect(driver, member, guild)
    prompt = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"', user=member, guild=guild
    )
    offered = options(prompt)
    assert offered[0] == first
    assert "UTC" in offered and "America/New_York" in offered
    assert len(offered) <= 25


async def test_another_zone_is_typed_in_a_form_and_the_command_carries_on(
    driver, bot, newcomer, guild
):
    await add_prospect(driver, newcomer, guild)
    prompt = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"', user=newcomer, guild=guild
    )
    form = await driver.select(prompt, ["Another zone…"], user=newcomer)
    assert form.modal is not None
    # A bare city isn't guessed: the closest names are offered, nothing is stored.
    wrong = await driver.submit_modal(form, {"Your time zone": "Madrid"}, user=newcomer)
    assert wrong.ephemeral
    assert "Europe/Madrid" in wrong.text
    assert await zone_of(bot, newcomer) is None
    assert await meetings(bot, newcomer) == []

    form = await driver.select(prompt, ["Another zone…"], user=newcomer)
    typed = await driver.submit_modal(form, {"Your time zone": "Europe/Madrid"}, user=newcomer)
    assert "Time zone set to **Europe/Madrid**" in prompt.text
    assert "Meeting scheduled" in typed.text
    ((meeting, _),) = await meetings(bot, newcomer)
    assert meeting.starts_at == datetime(2026, 11, 28, 14, 0, tzinfo=UTC)  # 15:00 CET


async def test_bad_input_is_refused_before_the_zone_question(driver, bot, newcomer, guild):
    await add_prospect(driver, newcomer, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm" minutes:500',
        user=newcomer,
        guild=guild,
        validate=False,
    )
    assert "minutes must be between" in reply.text
    assert "Which time zone" not in reply.text


# -- replies promise DMs when they will really come ---------------------------------------


async def at_2_30_in_new_york(driver, clock, user, guild) -> None:
    await driver.run("/settings timezone tz:America/New_York", user=user, guild=guild)
    await add_prospect(driver, user, guild)
    clock.set(FRI_2_30_NEW_YORK)


async def test_a_request_logged_at_2_30_promises_its_overdue_dms_after_quiet_hours(
    driver, bot, emu, clock, alice, guild
):
    await at_2_30_in_new_york(driver, clock, alice, guild)
    reply = await driver.run(
        '/outreach sent prospect:"Ada Lovelace" when:"2 weeks ago"', user=alice, guild=guild
    )
    assert "Both checkpoints have already passed, so those DMs come at 08:00" in reply.text
    assert "after your quiet hours" in reply.text
    assert "come now" not in reply.text
    assert "Fri 13 Nov 09:00 (America/New_York)" in reply.text  # "2 weeks ago": 9am that day
    # And so they do: nothing before 08:00, both at 08:00.
    await settle(bot)
    clock.set(FRI_8_00_NEW_YORK - timedelta(minutes=1))
    await settle(bot)
    assert bot_dms(emu, alice) == []
    clock.set(FRI_8_00_NEW_YORK)
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 2


async def test_a_meeting_scheduled_at_2_30_promises_its_prep_dm_after_quiet_hours(
    driver, bot, emu, clock, alice, guild
):
    await at_2_30_in_new_york(driver, clock, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"in 8 hours"', user=alice, guild=guild
    )
    assert "A prep DM at 08:00" in reply.text
    assert "after your quiet hours" in reply.text
    assert "A prep DM now" not in reply.text
    await settle(bot)
    assert bot_dms(emu, alice) == []
    clock.set(FRI_8_00_NEW_YORK)
    await settle(bot)
    (prep,) = bot_dms(emu, alice)
    assert "Get ready: Ada Lovelace" in prep.text


async def test_a_meeting_in_10_minutes_at_night_promises_its_prep_dm_at_once(
    driver, bot, emu, clock, alice, guild
):
    # Quiet hours would hold it past the start, and they began long before: so it goes
    # now (bot.domain.business_days.when_dm_goes, which the reminder engine follows).
    await at_2_30_in_new_york(driver, clock, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"in 10 minutes"', user=alice, guild=guild
    )
    assert "A prep DM now" in reply.text
    assert "Fri 27 Nov 02:40 (America/New_York)" in reply.text
    await settle(bot)
    (prep,) = bot_dms(emu, alice)  # and so it does, before the meeting
    assert "Get ready: Ada Lovelace" in prep.text


async def test_a_meeting_logged_at_2_30_promises_the_thank_you_nudge_after_quiet_hours(
    driver, bot, emu, clock, alice, guild
):
    await at_2_30_in_new_york(driver, clock, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"', user=alice, guild=guild
    )
    assert "I'll nudge you by DM at 08:00" in reply.text
    assert "after your quiet hours" in reply.text
    await settle(bot)
    assert bot_dms(emu, alice) == []
    clock.set(FRI_8_00_NEW_YORK)
    await settle(bot)
    (nudge,) = bot_dms(emu, alice)
    assert "Ada Lovelace" in nudge.text


async def test_in_the_afternoon_the_promises_are_plain(driver, alice, guild):
    await driver.run("/settings timezone tz:America/New_York", user=alice, guild=guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/outreach sent prospect:"Ada Lovelace" when:"2 weeks ago"', user=alice, guild=guild
    )
    assert "so those DMs come now" in reply.text
    assert "quiet hours" not in reply.text


async def test_with_dms_off_no_dm_is_promised(driver, alice, guild):
    await driver.run("/settings reminders dms:False", user=alice, guild=guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"Dec 3 3pm"', user=alice, guild=guild
    )
    assert "Your reminder DMs are off, so none will come" in reply.text
    assert "A prep DM" not in reply.text
