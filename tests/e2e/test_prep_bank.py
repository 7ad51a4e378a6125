"""Prep from the server's bank end to end: /meeting prep proposes the club's top-voted
questions across TIARA, a select menu swaps them (never dropping a question the meeting
holds, still working after a restart, refusing a forged press), and meetings held are
counted."""

from __future__ import annotations

import asyncio
import re

from bot.client import InterviewBot
from bot.domain.questions import WHO_ELSE, load_default_questions
from bot.emulator.harness import running_bot
from tests.support.e2e import (
    GUILD_READY_TIMEOUT,
    add_prospect,
    meetings,
    prep,
    schedule,
    settle,
    toggle_vote,
)

CHANGING_FIELD = (
    "How has your field changed over the last five years, and where do you see it heading?"
)
ASSOCIATIONS = "Which professional associations, events or communities are worth joining?"
ATTRACTED = "What attracted you to this type of work?"
SKILLS = "What skills, qualities and experiences does your employer seek in new hires?"
PROJECTS = "What kinds of projects are you working on right now?"
TYPICAL_WEEK = "What does a typical week look like for you?"
OTHER_PEOPLE = (
    "Given what we have talked about today, are there other people you'd recommend I connect with?"
)
STARTERS = [q.text for q in load_default_questions() if q.starter]
QUESTION_LINE = re.compile(r"^\d+\. (.+?)(?: \*\(\w+\)\*)?$")


def sheet_questions(reply) -> list[str]:
    """The questions a prep sheet lists, in order."""
    lines = [
        line
        for field in reply.embeds[0]["fields"]
        if field["name"] == "Your questions"
        for line in field["value"].splitlines()
    ]
    return [QUESTION_LINE.match(line).group(1) for line in lines]


async def vote(driver, guild, text, *members):
    for member in members:
        reply = await driver.run(f'/questions vote question:"{text}"', user=member, guild=guild)
        assert "You voted for" in reply.text, reply.text


async def stored_questions(bot, user) -> list[str]:
    async with bot.stores.member(user.id) as store:
        ((meeting, _),) = await store.list_meetings("all")
        return [text for text, _ in await store.meeting_questions(meeting.id)]


async def meetings_held(driver, officer, guild) -> str:
    reply = await driver.run("/club stats", user=officer, guild=guild)
    fields = {field["name"]: field["value"] for field in reply.embeds[0]["fields"]}
    november = fields["November 2026"].replace("*", "")
    return re.search(r"Meetings held: (\d+)", november).group(1)


async def test_prep_proposes_the_top_voted_question_of_each_tiara_category(
    driver, bot, alice, bob, guild
):
    await vote(driver, guild, CHANGING_FIELD, alice, bob)
    await vote(driver, guild, ASSOCIATIONS, alice, bob)
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    sheet = await prep(driver, alice, guild)
    # Trends, Insights, Advice, Resources, Assignments — then the must-ask, last.
    assert sheet_questions(sheet) == [
        CHANGING_FIELD,
        ATTRACTED,
        SKILLS,
        ASSOCIATIONS,
        PROJECTS,
        WHO_ELSE,
    ]
    assert "*(trends)*" in sheet.text
    assert await stored_questions(bot, alice) == sheet_questions(sheet)


async def test_a_who_else_question_at_the_top_of_resources_is_not_asked_twice(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    questions = sheet_questions(await prep(driver, alice, guild))
    assert questions[3] == OTHER_PEOPLE
    assert WHO_ELSE not in questions
    assert len(questions) == 5


async def test_the_select_swaps_the_meetings_questions(driver, bot, alice, guild):
    long_question = "What would you tell a career changer " + "who is curious " * 12 + "now?"
    added = await driver.run(
        f'/questions add text:"{long_question}" category:insights', user=alice, guild=guild
    )
    assert "Added" in added.text, added.text
    await vote(driver, guild, long_question, alice)
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    sheet = await prep(driver, alice, guild)
    (menu,) = sheet.selects
    options = menu["options"]
    assert len(options) == 25 and (menu["min_values"], menu["max_values"]) == (1, 25)
    assert all(len(option["label"]) <= 100 for option in options)
    assert options[0]["label"].endswith("…")  # the most voted, clipped to fit
    assert all(option["value"].isdigit() for option in options)
    # The meeting's current questions (the long one among them) come preselected.
    current = sheet_questions(sheet)
    assert long_question in current
    preselected = [o["label"].removesuffix("…") for o in options if o.get("default")]
    assert len(preselected) == len(current)
    assert all(any(q.startswith(label) for q in current) for label in preselected)

    picked = await driver.select(sheet, [TYPICAL_WEEK, PROJECTS], user=alice)
    assert picked.callback_type == 7  # the sheet itself is edited
    assert sheet_questions(sheet) == [TYPICAL_WEEK, PROJECTS, WHO_ELSE]
    assert await stored_questions(bot, alice) == [TYPICAL_WEEK, PROJECTS, WHO_ELSE]
    again = await prep(driver, alice, guild)
    assert sheet_questions(again) == [TYPICAL_WEEK, PROJECTS, WHO_ELSE]
    assert {o["label"] for o in again.selects[0]["options"] if o.get("default")} == {
        TYPICAL_WEEK,
        PROJECTS,
    }

    # Picking a who-else question of their own: the must-ask isn't added on top.
    await driver.select(again, [OTHER_PEOPLE, TYPICAL_WEEK], user=alice)
    assert await stored_questions(bot, alice) == [OTHER_PEOPLE, TYPICAL_WEEK]


async def test_in_dms_prep_proposes_the_five_starters(driver, bot, alice):
    await add_prospect(driver, alice, None)
    await schedule(driver, alice, None)
    sheet = await prep(driver, alice, None)
    assert sheet_questions(sheet) == STARTERS
    (menu,) = sheet.selects
    seed = load_default_questions()
    assert [o["value"] for o in menu["options"]] == [str(i) for i in range(25)]
    assert [o["label"] for o in menu["options"]] == [q.text for q in seed[:25]]
    await driver.select(sheet, [TYPICAL_WEEK], user=alice)
    assert sheet_questions(sheet) == [TYPICAL_WEEK, WHO_ELSE]
    assert await stored_questions(bot, alice) == [TYPICAL_WEEK, WHO_ELSE]


async def test_bank_changes_after_the_list_was_stored_do_not_alter_it(
    driver, bot, alice, bob, guild
):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    await schedule(driver, alice, guild)  # Ada's list is chosen now
    before = sheet_questions(await prep(driver, alice, guild))
    await vote(driver, guild, CHANGING_FIELD, alice, bob)
    assert sheet_questions(await prep(driver, alice, guild)) == before
    assert CHANGING_FIELD not in before
    # A meeting planned after the vote does get the club's new favourite.
    await schedule(driver, alice, guild, name="Grace Hopper", when="2026-12-04 12:00")
    assert CHANGING_FIELD in sheet_questions(await prep(driver, alice, guild, "Grace Hopper"))


async def test_meetings_held_count_once_per_meeting_and_not_in_dms(
    driver, clock, alice, officer, guild
):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    assert await meetings_held(driver, officer, guild) == "0"
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"', user=alice, guild=guild
    )
    assert await meetings_held(driver, officer, guild) == "1"
    await schedule(driver, alice, guild, name="Grace Hopper", when="in 2 hours")
    clock.advance(hours=3)
    for takeaways in ("Start with the data", "And ask for feedback early"):
        done = await driver.run(
            f'/meeting done meeting:"Grace Hopper" takeaways:"{takeaways}"',
            user=alice,
            guild=guild,
        )
        assert "done" in done.text, done.text
    assert await meetings_held(driver, officer, guild) == "2"
    # In DMs nothing is counted for any server.
    await add_prospect(driver, alice, None, name="Alan Turing")
    await driver.run('/meeting log prospect:"Alan Turing" when:"1 hour ago"', user=alice)
    assert await meetings_held(driver, officer, guild) == "2"


# -- the prep select keeps the meeting's questions ----------------------------------------------


KEEP_IN_TOUCH = "May I keep in touch and let you know how my exploration goes?"


def view_timers() -> list[asyncio.Task]:
    """The tasks discord.py keeps to time out views it listens to."""
    return [t for t in asyncio.all_tasks() if "timeout_task_impl" in t.get_coro().__qualname__]


async def test_a_prep_sheet_leaves_no_view_behind_and_its_select_still_answers(
    driver, alice, guild
):
    # The select is answered by its custom_id's pattern: discord.py needn't hold each
    # sheet's view (with a 15-minute timer, as it does for an ephemeral answer's view).
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    sheet = await prep(driver, alice, guild)
    assert view_timers() == []
    picked = await driver.select(sheet, [TYPICAL_WEEK, PROJECTS], user=alice)
    assert picked.callback_type == 7
    assert sheet_questions(sheet) == [TYPICAL_WEEK, PROJECTS, WHO_ELSE]
    assert view_timers() == []


async def test_the_prep_select_offers_a_held_question_outside_the_banks_top_25(
    driver, bot, alice, guild
):
    await toggle_vote(driver, guild, KEEP_IN_TOUCH, alice)  # up to the top, so it can be picked
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    sheet = await prep(driver, alice, guild)
    await driver.select(sheet, [KEEP_IN_TOUCH, TYPICAL_WEEK], user=alice)
    await toggle_vote(driver, guild, KEEP_IN_TOUCH, alice)  # vote taken back: last of the bank now
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
    await toggle_vote(driver, guild, own, alice)
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


# -- the prep select after a restart, and forged -------------------------------------------


async def test_the_prep_select_works_after_a_restart(
    driver, bot, emu, settings, clock, alice, bob, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"',
        user=alice,
        guild=guild,
    )
    sheet = await driver.run('/meeting prep meeting:"Ada Lovelace"', user=alice, guild=guild)
    options = sheet.selects[0]["options"]
    chosen = [options[3]["label"], options[5]["label"]]
    await bot.close()
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    async with running_bot(restarted, emu):
        picked = await driver.select(sheet, chosen, user=alice)
        assert picked.callback_type == 7, picked.text
        async with restarted.stores.member(alice.id) as store:
            ((meeting, _),) = await store.list_meetings("all")
            stored = [text for text, _ in await store.meeting_questions(meeting.id)]
        assert stored[:2] == chosen
        await settle(restarted)


def select_row(custom_id: str, values: list[str]) -> list[dict]:
    options = [{"label": f"Question {v}", "value": v} for v in values]
    menu = {"type": 3, "custom_id": custom_id, "options": options, "max_values": len(options)}
    return [{"type": 1, "components": [menu]}]


async def test_a_forged_prep_select_cannot_touch_another_members_meeting(
    driver, bot, emu, alice, bob, guild
):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"',
        user=alice,
        guild=guild,
    )
    ((meeting, _),) = await meetings(bot, alice)
    async with bot.stores.member(alice.id) as store:
        before = await store.meeting_questions(meeting.id)
    for owner in (alice.id, bob.id):
        forged = emu.inject_message(
            emu.dm_channel(bob).id,
            components=select_row(f"prep:questions:{meeting.id}:{owner}:d", ["0", "1"]),
        )
        reply = await driver.select(forged, ["0"], user=bob)
        assert reply.ephemeral
        assert "someone else" in reply.text or "isn't among yours" in reply.text, reply.text
    async with bot.stores.member(alice.id) as store:
        assert await store.meeting_questions(meeting.id) == before
