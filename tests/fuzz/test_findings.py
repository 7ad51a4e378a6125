"""What the fuzz found, each pinned by the smallest case that showed it (each failed
before its fix): time and zone errors that quoted the member's text raw, a refused
/meeting calendar that still wrote a setting, suggestions with a record left as "…",
/prospect add refusing the "-" that import reads as no link, and a file whose name
Discord would serve but the emulator could not."""

from __future__ import annotations

import pytest

from tests.support import suggestions
from tests.support.e2e import add_prospect, schedule
from tests.support.markup import clickable, sent_parts

TRAP = "[Verify](https://evil.example/login) @everyone <#1>"
SHORT_TRAP = "[Verify](http://e.x)"  # quiet hours read at most 20 characters
TRAP_40 = "[Verify](https://e.x) @everyone <#1>"  # digest's max_length is 40


@pytest.mark.parametrize(
    "line",
    [
        f'/meeting schedule prospect:"Ada Lovelace" when:"{TRAP}"',
        f'/meeting log prospect:"Ada Lovelace" when:"{TRAP}"',
        f'/meeting reschedule meeting:"Ada Lovelace" when:"{TRAP}"',
        f'/outreach sent prospect:"Ada Lovelace" when:"{TRAP}"',
        f'/settings timezone tz:"{TRAP}"',
        f'/settings reminders quiet_start:"{SHORT_TRAP}"',
        f'/settings reminders digest:"{TRAP_40}"',
        f'/questions vote question:"{TRAP}"',
        f'/questions remove question:"{TRAP}"',
    ],
)
async def test_text_refused_as_a_time_zone_or_question_is_quoted_literally(
    driver, emu, alice, guild, line
):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    first = len(emu.requests)
    reply = await driver.run(line, user=alice, guild=guild, pick_suggestions=False)
    assert "Verify" in reply.text, reply.text
    parts = list(sent_parts(emu.requests[first:]))
    assert [link for _, text in parts for link in clickable(text)] == []


async def test_a_calendar_refused_for_want_of_meetings_writes_nothing(driver, bot, officer, guild):
    await driver.run("/settings show", user=officer, guild=guild)
    async with bot.stores.member(officer.id) as store:
        before = await store.export()
    reply = await driver.run("/meeting calendar", user=officer)
    assert "no upcoming meetings" in reply.text, reply.text
    async with bot.stores.member(officer.id) as store:
        assert await store.export() == before


@pytest.mark.parametrize(
    ("line", "suggested"),
    [
        ("/meeting list", '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"'),
        ("/meeting list range:past", '/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm"'),
        ('/prospect edit prospect:"Ada Lovelace"', "/prospect edit prospect:Ada Lovelace stage:"),
    ],
)
async def test_suggestions_name_a_record_not_an_ellipsis(driver, alice, guild, line, suggested):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(line, user=alice, guild=guild)
    assert suggested in reply.text, reply.text


async def test_a_dash_for_linkedin_means_no_link_typed_as_imported(driver, bot, alice, guild):
    reply = await driver.run(
        '/prospect add name:"Ada Lovelace" linkedin:-', user=alice, guild=guild
    )
    assert "Added" in reply.text, reply.text
    async with bot.stores.member(alice.id) as store:
        ((prospect, _),) = await store.list_prospects()
    assert prospect.linkedin is None


async def test_a_file_with_any_name_is_downloaded(driver, alice, guild):
    csv = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nAda,L,,,,,\r\n"
    reply = await driver.run(
        "/prospect import",
        user=alice,
        guild=guild,
        attachments={"file": ("`evil` [x](https://evil.example)/../a?.csv", csv)},
    )
    assert "1 added" in reply.text, reply.text


async def test_which_one_shortened_to_fit_keeps_the_required_options(driver, alice, guild):
    for name in ("Ada Lovelace", "Grace Hopper", "Katherine Johnson"):
        await add_prospect(driver, alice, guild, name)
    long = "x" * 1000
    reply = await driver.run(
        f'/meeting log prospect:A when:"yesterday 4pm" takeaways:"{long}"',
        user=alice,
        guild=guild,
        pick_suggestions=False,
    )
    assert "Add the other options you gave" in reply.text, reply.text
    shown = suggestions.SUGGESTION.findall(reply.text)
    assert len(shown) == 3
    for line in shown:
        assert suggestions.problems(driver, suggestions.Seen(line, "meeting"), guild) == []
        assert 'when:"yesterday 4pm"' in line
