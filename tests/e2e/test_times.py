"""Times end to end, as a member types them into `when:` (issue 10's examples).

The bot's clock stands at Friday 2026-11-27 15:00 UTC: 10:00 in New York, the zone the
member sets first. What parse_when makes of hundreds of phrases is measured by
tests/domain/test_time_table.py; here the commands show that garbage is refused with a
working example and changes nothing, and that what is read is what is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.e2e import add_prospect, meetings, owed_reminders


def stamp(dt: datetime) -> str:
    """How a reply shows an instant (a Discord timestamp)."""
    return f"<t:{int(dt.timestamp())}:F>"


async def in_new_york(driver, user, guild) -> None:
    reply = await driver.run("/settings timezone tz:America/New_York", user=user, guild=guild)
    assert "America/New_York" in reply.text, reply.text


async def sent_at(bot, user, name: str):
    """When the member's latest request to `name` was sent, as stored (None if none)."""
    async with bot.stores.member(user.id) as store:
        prospect = await store.find_prospect_by_name(name)
        outreach = await store.latest_outreach(prospect.id)
    return None if outreach is None else outreach.sent_at


# -- garbage is refused with a working example, and nothing is stored ---------------------


@pytest.mark.parametrize(
    ("command", "when", "hint"),
    [
        ("schedule", "tomorrow at 13pm", '"tomorrow at 1pm" or "tomorrow at 13:00"'),
        ("schedule", "tomorrow 25:00", '"25:00" isn\'t a time of day'),
        ("schedule", "today at 5", '"today at 5am" or "today at 5pm"'),
        ("schedule", "Dec 32 3pm", '"Dec 32" isn\'t a real day: December has 31 days'),
        ("schedule", "tomorrow 3pm or 4pm", "give one start time"),
        ("log", "yesterday at 99pm", '"99pm" isn\'t a time of day'),
        ("log", "yesterday 4pm lol", 'Couldn\'t read "lol"'),
    ],
)
async def test_a_meeting_time_with_garbage_is_refused_with_a_hint(
    driver, bot, alice, guild, command, when, hint
):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        f'/meeting {command} prospect:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert hint in reply.text, reply.text
    assert f"{when} 9am" not in reply.text  # the old hint: "today at 5 9am"
    assert "too far" not in reply.text
    assert await meetings(bot, alice) == []
    assert await owed_reminders(bot, alice) == []


async def test_a_sent_time_with_garbage_is_refused_and_nothing_is_logged(driver, bot, alice, guild):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Dana Lee")
    reply = await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"yesterday at 99pm"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert '"99pm" isn\'t a time of day' in reply.text, reply.text
    assert '"yesterday at 9pm"' in reply.text
    assert await sent_at(bot, alice, "Dana Lee") is None


# -- what is read is what is stored ---------------------------------------------------------


async def test_the_15th_in_schedule_is_the_next_one_not_a_past_one(driver, bot, alice, guild):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"the 15th at 10am"',
        user=alice,
        guild=guild,
    )
    december_15 = datetime(2026, 12, 15, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert "Meeting scheduled" in reply.text, reply.text
    assert "/meeting log" not in reply.text
    assert stamp(december_15) in reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == december_15


async def test_the_15th_in_log_is_the_last_one(driver, bot, alice, guild):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"the 15th at 10am"', user=alice, guild=guild
    )
    november_15 = datetime(2026, 11, 15, 15, 0, tzinfo=UTC)
    assert stamp(november_15) in reply.text, reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == november_15


async def test_a_zone_beside_a_day_word_is_stored_at_that_zones_time(driver, bot, alice, guild):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm PT"',
        user=alice,
        guild=guild,
    )
    three_pm_pacific = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)  # 18:00 in New York
    assert stamp(three_pm_pacific) in reply.text, reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == three_pm_pacific


async def test_an_iso_time_with_an_offset_is_honoured_exactly(driver, bot, alice, guild):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03T10:00-08:00"',
        user=alice,
        guild=guild,
    )
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("tmrw 3pm", datetime(2026, 11, 28, 20, 0, tzinfo=UTC)),
        ("tmr 3pm", datetime(2026, 11, 28, 20, 0, tzinfo=UTC)),
        ("weds 2pm", datetime(2026, 12, 2, 19, 0, tzinfo=UTC)),
        ("tonight 8", datetime(2026, 11, 28, 1, 0, tzinfo=UTC)),
        ("tonight at 8", datetime(2026, 11, 28, 1, 0, tzinfo=UTC)),
        ("next week tuesday 10am", datetime(2026, 12, 1, 15, 0, tzinfo=UTC)),
        ("a week from today at noon", datetime(2026, 12, 4, 17, 0, tzinfo=UTC)),
    ],
)
async def test_common_ways_of_saying_when_are_scheduled(driver, bot, alice, guild, when, expected):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        f'/meeting schedule prospect:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
    )
    assert "Meeting scheduled" in reply.text, reply.text
    ((meeting, _),) = await meetings(bot, alice)
    assert meeting.starts_at == expected


async def test_a_request_sent_on_a_weekday_in_another_zone_is_logged_then(
    driver, bot, alice, guild
):
    await in_new_york(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Dana Lee")
    reply = await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"tues 9am PT"', user=alice, guild=guild
    )
    tuesday_9am_pacific = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    assert stamp(tuesday_9am_pacific) in reply.text, reply.text
    assert await sent_at(bot, alice, "Dana Lee") == tuesday_9am_pacific
