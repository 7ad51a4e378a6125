"""Step 3 polish end to end: cancelled meetings leave members' calendars on re-import,
the prep select never drops a question a meeting holds, and member-typed text can't
restyle the bot's messages."""

from __future__ import annotations

import icalendar

from bot.domain.questions import WHO_ELSE
from tests.e2e.test_meetings import add_prospect, meetings
from tests.e2e.test_prep_bank import PROJECTS, TYPICAL_WEEK, prep, sheet_questions, stored_questions

KEEP_IN_TOUCH = "May I keep in touch and let you know how my exploration goes?"
STYLED_PLACE = "**Room** _5_ ~~x~~"
ESCAPED_PLACE = r"\*\*Room\*\* \_5\_ \~\~x\~\~"


async def schedule(driver, user, guild, name="Ada Lovelace", when="2026-12-03 07:30", extra=""):
    reply = await driver.run(
        f'/meeting schedule prospect:"{name}" when:"{when}" {extra}', user=user, guild=guild
    )
    assert "Meeting scheduled" in reply.text, reply.text
    return reply


def calendar_events(reply) -> dict[str, icalendar.Event]:
    """The reply's .ics file, checked to be CRLF-only, as {summary: VEVENT}."""
    ((filename, data),) = reply.files
    assert filename.endswith(".ics")
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {str(event["SUMMARY"]): event for event in events}


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
    assert str(event["UID"]) == f"meeting-{alice.id}-{meeting.id}@interview-bot"
    assert (str(event["STATUS"]), event.decoded("SEQUENCE")) == ("CANCELLED", 1)


# -- the prep select keeps the meeting's questions ----------------------------------------------


async def vote(driver, guild, text, member):
    reply = await driver.run(f'/questions vote question:"{text}"', user=member, guild=guild)
    assert "vote" in reply.text, reply.text


async def test_the_prep_select_offers_a_held_question_outside_the_banks_top_25(
    driver, bot, alice, guild
):
    await vote(driver, guild, KEEP_IN_TOUCH, alice)  # up to the top, so it can be picked
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    sheet = await prep(driver, alice, guild)
    await driver.select(sheet, [KEEP_IN_TOUCH, TYPICAL_WEEK], user=alice)
    await vote(driver, guild, KEEP_IN_TOUCH, alice)  # vote taken back: last of the bank now
    async with bot.stores.guild(guild.id) as store:
        bank = [text for _, text, _, _ in await store.top_questions()]
    assert len(bank) > 25 and KEEP_IN_TOUCH not in bank[:25]

    again = await prep(driver, alice, guild)
    (menu,) = again.selects
    options = menu["options"]
    assert len(options) == 25 and menu["max_values"] == 25
    preselected = [o["label"] for o in options if o.get("default")]
    assert sorted(preselected) == sorted([KEEP_IN_TOUCH, TYPICAL_WEEK])
    # The rest are the bank's others, most votes first.
    others = [o["label"] for o in options if not o.get("default")]
    assert others == [text for text in bank if text not in preselected][:23]

    # Adding a question keeps the low-voted one the member had.
    await driver.select(again, [KEEP_IN_TOUCH, TYPICAL_WEEK, PROJECTS], user=alice)
    assert await stored_questions(bot, alice) == [KEEP_IN_TOUCH, TYPICAL_WEEK, PROJECTS, WHO_ELSE]


async def test_the_prep_select_keeps_a_held_question_removed_from_the_bank(
    driver, bot, alice, guild
):
    own = "Which of your habits helped you most in your first year?"
    added = await driver.run(
        f'/questions add text:"{own}" category:advice', user=alice, guild=guild
    )
    assert "Added" in added.text, added.text
    await vote(driver, guild, own, alice)
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    await driver.select(await prep(driver, alice, guild), [own], user=alice)
    prompt = await driver.run(f'/questions remove question:"{own}"', user=alice, guild=guild)
    removed = await driver.click(prompt, "Remove", user=alice)
    assert "Removed" in removed.text, removed.text

    sheet = await prep(driver, alice, guild)
    (kept,) = [o for o in sheet.selects[0]["options"] if o["label"] == own]
    assert kept.get("default") and "not in the bank" in kept["description"]
    await driver.select(sheet, [own, TYPICAL_WEEK], user=alice)
    assert sheet_questions(sheet) == [own, TYPICAL_WEEK, WHO_ELSE]
    assert await stored_questions(bot, alice) == [own, TYPICAL_WEEK, WHO_ELSE]


# -- member-typed text is shown literally --------------------------------------------------------


async def test_a_styled_place_and_question_render_escaped(driver, bot, emu, alice, guild):
    styled = "What does *really* matter in __your__ work?"
    added = await driver.run(
        f'/questions add text:"{styled}" category:insights', user=alice, guild=guild
    )
    assert "Added" in added.text, added.text
    await vote(driver, guild, styled, alice)
    await add_prospect(driver, alice, guild, extra='role:"*Lead* analyst"')
    scheduled = await schedule(driver, alice, guild, extra=f'place:"{STYLED_PLACE}"')
    assert ESCAPED_PLACE in scheduled.text and STYLED_PLACE not in scheduled.text

    listed = await driver.run("/meeting list", user=alice, guild=guild)
    assert ESCAPED_PLACE in listed.text and STYLED_PLACE not in listed.text
    assert "**Ada Lovelace**" in listed.text  # the bot's own bold name is untouched

    sheet = await prep(driver, alice, guild)
    await driver.select(sheet, [styled], user=alice)
    assert ESCAPED_PLACE in sheet.text and STYLED_PLACE not in sheet.text
    assert r"\*Lead\* analyst" in sheet.text
    assert r"1. What does \*really\* matter in \_\_your\_\_ work?" in sheet.text
    assert "*(insights)*" in sheet.text  # the bot's category label keeps its italics

    # The calendar is plain text: no markdown escapes there.
    (event,) = calendar_events(
        await driver.run("/meeting calendar", user=alice, guild=guild)
    ).values()
    assert str(event["LOCATION"]) == STYLED_PLACE


async def test_the_schedule_reply_says_when_the_prep_dm_comes(driver, alice, guild):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    soon = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 9am"', user=alice, guild=guild
    )
    assert "A prep DM now, since it's less than a day away" in soon.text
    later = await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-10 09:00"', user=alice, guild=guild
    )
    assert "(a day before)" in later.text
