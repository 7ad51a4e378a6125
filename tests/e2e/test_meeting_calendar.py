"""/meeting calendar end to end: the .ics file a member imports, with stable ids, and
cancelled meetings that leave members' calendars on re-import."""

from __future__ import annotations

import icalendar

from bot.domain.calendar import event_uid, meeting_uid_seed
from tests.support.e2e import add_prospect, calendar_events, meetings, schedule


async def test_calendar_file_parses_with_stable_uids(driver, bot, alice, guild):
    empty = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert empty.ephemeral
    assert "no upcoming meetings" in empty.text
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    for name, when in (("Ada Lovelace", "2026-12-03 07:30"), ("Grace Hopper", "2026-12-04 12:00")):
        await driver.run(
            f'/meeting schedule prospect:"{name}" when:"{when}" place:"Room 1"',
            user=alice,
            guild=guild,
        )
    ids = sorted(m.id for m, _ in await meetings(bot, alice))

    def uids(reply):
        ((filename, data),) = reply.files
        assert filename.endswith(".ics")
        cal = icalendar.Calendar.from_ical(data)
        return {str(event["UID"]) for event in cal.walk("VEVENT")}, cal

    first = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert first.ephemeral
    found, cal = uids(first)
    expected = {await meeting_uid(bot, alice, i) for i in ids}
    assert found == expected
    summaries = {str(event["SUMMARY"]) for event in cal.walk("VEVENT")}
    assert summaries == {
        "Informational interview: Ada Lovelace",
        "Informational interview: Grace Hopper",
    }
    again, _ = uids(await driver.run("/meeting calendar", user=alice, guild=guild))
    assert again == expected
    one, _ = uids(
        await driver.run('/meeting calendar meeting:"Grace Hopper"', user=alice, guild=guild)
    )
    assert one == {await meeting_uid(bot, alice, ids[1])}


async def meeting_uid(bot, user, meeting_id: int) -> str:
    """A meeting's UID: its id keyed with the member's own secret (never their Discord id)."""
    async with bot.stores.member(user.id) as store:
        key = await store.get_setting("calendar_uid_key")
    return event_uid(meeting_uid_seed(key, meeting_id))


# -- the calendar export and cancellations --------------------------------------------------


async def test_a_cancelled_meeting_is_exported_cancelled_so_a_reimport_removes_it(
    driver, bot, clock, alice, guild
):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    await schedule(driver, alice, guild)
    await schedule(driver, alice, guild, name="Grace Hopper", when="2026-12-04 12:00")
    before = calendar_events(await driver.run("/meeting calendar", user=alice, guild=guild))
    live = before["Informational interview: Grace Hopper"]
    assert (str(live["STATUS"]), live.decoded("SEQUENCE")) == ("CONFIRMED", 0)

    await driver.run('/meeting cancel meeting:"Grace Hopper"', user=alice, guild=guild)
    reply = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert "Here is 1 meeting" in reply.text, reply.text
    assert "the meeting you cancelled" in reply.text and "removes it" in reply.text
    after = calendar_events(reply)
    ada = after["Informational interview: Ada Lovelace"]
    assert (str(ada["STATUS"]), ada.decoded("SEQUENCE")) == ("CONFIRMED", 0)
    gone = after["Cancelled: Informational interview: Grace Hopper"]
    assert str(gone["UID"]) == str(live["UID"])
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone.decoded("SEQUENCE") > live.decoded("SEQUENCE")
    assert gone.decoded("DTSTART") == live.decoded("DTSTART")
    assert gone.walk("VALARM") == []

    # Once its time has passed, a cancelled meeting is no longer "upcoming" to export.
    clock.advance(days=7, hours=1)
    empty = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert "no upcoming meetings" in empty.text and not empty.files


async def test_only_cancelled_meetings_ahead_still_export_their_cancellation(
    driver, bot, alice, guild
):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert "no upcoming meetings" in reply.text and "the meeting you cancelled" in reply.text
    (event,) = calendar_events(reply).values()
    assert str(event["STATUS"]) == "CANCELLED"


async def test_the_calendar_of_one_cancelled_meeting_is_its_cancellation(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    ((meeting, _),) = await meetings(bot, alice)
    await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.run(f"/meeting calendar meeting:{meeting.id}", user=alice, guild=guild)
    assert reply.ephemeral
    assert "was cancelled" in reply.text and "removes the meeting" in reply.text, reply.text
    (event,) = calendar_events(reply).values()
    # The meeting's own UID, which (issue 13) no longer carries the member's Discord id.
    assert str(event["UID"]) == await meeting_uid(bot, alice, meeting.id)
    assert (str(event["STATUS"]), event.decoded("SEQUENCE")) == ("CANCELLED", 1)


async def test_the_calendar_reply_counts_meetings_in_good_english(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    for when in ("2026-12-03 07:30", "2026-12-04 07:30"):
        await schedule(driver, alice, guild, when=when)  # the second: "Keep both"
    reply = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert "Here are 2 meetings" in reply.text, reply.text


async def test_a_calendar_file_carries_no_discord_id(driver, bot, alice, bob, guild):
    uids = {}
    for member in (alice, bob):
        await add_prospect(driver, member, guild)
        await schedule(driver, member, guild)
        reply = await driver.run("/meeting calendar", user=member, guild=guild)
        ((_, data),) = reply.files
        assert str(member.id).encode() not in data
        uids[member.id] = {str(event["UID"]) for event in calendar_events(reply).values()}
    again = await driver.run("/meeting calendar", user=alice, guild=guild)
    assert {str(event["UID"]) for event in calendar_events(again).values()} == uids[alice.id]
    # Each is meeting 1 of its member's store, yet their UIDs differ: each member's key.
    assert uids[alice.id].isdisjoint(uids[bob.id])
