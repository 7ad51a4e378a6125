"""The shared question bank end to end: members browse, add, vote and remove questions;
forged and out-of-range ids change nothing."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import pytest

from bot.domain.questions import load_default_questions
from bot.emulator import DriverError
from tests.support.e2e import TOO_BIG

TYPICAL_WEEK = "What does a typical week look like for you?"
NUMBERED = re.compile(r"\*\*(\d+)\.\*\* (.+)")


def listed(reply) -> list[str]:
    """The questions on the page a reply shows, in order."""
    description = reply.embeds[0].get("description") or ""
    return [match.group(2).replace("\\", "") for match in NUMBERED.finditer(description)]


async def every_page(driver, line, *, user, guild) -> list[str]:
    """Run a /questions list line and turn every page, collecting the questions."""
    page = await driver.run(line, user=user, guild=guild)
    questions = listed(page)
    while any(b["label"] == "Next" and not b["disabled"] for b in page.buttons):
        page = await driver.click(page, "Next", user=user)
        questions += listed(page)
    return questions


async def votes_for(bot, guild, text: str) -> int:
    async with bot.stores.guild(guild.id) as store:
        question = await store.find_question_by_text(text)
    return question.votes


async def followup_text(emu, reply) -> str:
    """The ephemeral note the bot sends after refreshing a public page."""
    await emu.wait_for(lambda: reply.followups, 5)
    return reply.followups[-1].content


# -- browsing -----------------------------------------------------------------------------


async def test_the_bank_starts_with_the_default_questions_in_every_category(driver, alice, guild):
    seed = load_default_questions()
    expected = Counter(q.category for q in seed)
    assert expected == {
        "trends": 5,
        "insights": 6,
        "advice": 5,
        "resources": 5,
        "assignments": 5,
        "other": 2,
    }
    for category, size in expected.items():
        shown = await every_page(
            driver, f"/questions list category:{category}", user=alice, guild=guild
        )
        assert len(shown) == size, category
        assert set(shown) == {q.text for q in seed if q.category == category}
    everything = await every_page(driver, "/questions list", user=alice, guild=guild)
    assert len(everything) == len(seed)
    # Most votes first, ties to the seed's starters.
    assert set(everything[:5]) == {q.text for q in seed if q.starter}


async def test_the_list_is_the_shared_bank_with_numbered_vote_buttons(driver, alice, guild):
    page = await driver.run("/questions list", user=alice, guild=guild)
    assert not page.ephemeral  # the bank is the club's, not the member's own data
    labels = [b["label"] for b in page.buttons]
    assert labels == ["▲ 1", "▲ 2", "▲ 3", "▲ 4", "▲ 5", "Previous", "Next"]
    assert "Page 1 of 6" in page.text
    second = await driver.click(page, "Next", user=alice)
    assert [b["label"] for b in second.buttons][:5] == ["▲ 6", "▲ 7", "▲ 8", "▲ 9", "▲ 10"]
    assert page.allowed_mentions == {"parse": []}


# -- adding -------------------------------------------------------------------------------


async def test_a_member_adds_a_question_and_everyone_sees_it(driver, alice, bob, guild, bot):
    reply = await driver.run(
        '/questions add text:"How is AI changing the entry-level work in your team?" '
        "category:trends",
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "Added" in reply.text and "trends" in reply.text
    newest = await driver.run("/questions list sort:new", user=bob, guild=guild)
    assert listed(newest)[0] == "How is AI changing the entry-level work in your team?"
    async with bot.stores.guild(guild.id) as store:
        question = await store.find_question_by_text(
            "How is AI changing the entry-level work in your team?"
        )
    assert (question.author_id, question.category) == (alice.id, "trends")


async def test_a_question_without_a_category_goes_under_other(driver, alice, guild, bot):
    await driver.run(
        '/questions add text:"What question do you wish people asked you more often?"',
        user=alice,
        guild=guild,
    )
    shown = await every_page(driver, "/questions list category:other", user=alice, guild=guild)
    assert "What question do you wish people asked you more often?" in shown


async def test_a_near_duplicate_is_refused_and_the_existing_question_shown(
    driver, alice, guild, bot
):
    before = await every_page(driver, "/questions list", user=alice, guild=guild)
    reply = await driver.run(
        '/questions add text:"what does a typical WEEK look like for you" category:insights',
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "already has a question like that" in reply.text
    assert TYPICAL_WEEK in reply.text
    assert len(await every_page(driver, "/questions list", user=alice, guild=guild)) == len(before)


@pytest.mark.parametrize(
    ("text", "error"),
    [("Why?", "too short"), ("12345 67890 ?", "needs words")],
)
async def test_a_bad_question_gets_a_specific_error(driver, alice, guild, text, error):
    reply = await driver.run(f'/questions add text:"{text}"', user=alice, guild=guild)
    assert reply.ephemeral
    assert error in reply.text
    assert "typical week" in reply.text  # an example to copy


# -- voting -------------------------------------------------------------------------------


async def test_voting_toggles_and_says_which(driver, alice, guild, bot):
    first = await driver.run(f'/questions vote question:"{TYPICAL_WEEK}"', user=alice, guild=guild)
    assert first.ephemeral
    assert "You voted for" in first.text and "1 vote now" in first.text
    assert await votes_for(bot, guild, TYPICAL_WEEK) == 1
    again = await driver.run(f'/questions vote question:"{TYPICAL_WEEK}"', user=alice, guild=guild)
    assert "took back your vote" in again.text
    assert await votes_for(bot, guild, TYPICAL_WEEK) == 0


async def test_vote_autocompletes_best_match_first_and_at_most_25(driver, alice, guild):
    choices = await driver.autocomplete("/questions vote question:typical", user=alice, guild=guild)
    assert choices[0]["name"].startswith(TYPICAL_WEEK)
    words = await driver.autocomplete("/questions vote question:week typ", user=alice, guild=guild)
    assert words[0]["name"].startswith(TYPICAL_WEEK)
    many = await driver.autocomplete("/questions vote question:you", user=alice, guild=guild)
    assert 1 < len(many) <= 25
    assert all(len(choice["name"]) <= 100 for choice in many)


async def test_two_members_vote_on_the_same_bank_with_the_buttons(
    driver, emu, alice, bob, guild, bot
):
    page = await driver.run("/questions list category:insights", user=alice, guild=guild)
    first = listed(page)[0]
    by_bob = await driver.click(page, "▲ 1", user=bob)
    assert "▲ 1" in by_bob.embeds[0]["description"]
    assert "You voted for" in await followup_text(emu, by_bob)
    by_alice = await driver.click(page, "▲ 1", user=alice)
    assert "▲ 2" in by_alice.embeds[0]["description"]
    assert await votes_for(bot, guild, first) == 2
    # Bob presses again: only his own vote is taken back.
    again = await driver.click(page, "▲ 1", user=bob)
    assert "took back your vote" in await followup_text(emu, again)
    async with bot.stores.guild(guild.id) as store:
        question = await store.find_question_by_text(first)
        assert await store.has_voted(question.id, alice.id)
        assert not await store.has_voted(question.id, bob.id)
    # Bob's own list shows the same shared count.
    mine = await driver.run("/questions list category:insights", user=bob, guild=guild)
    assert listed(mine)[0] == first
    assert "▲ 1" in mine.embeds[0]["description"]


async def test_twenty_members_voting_at_once_are_counted_exactly(driver, emu, guild, bot):
    members = [emu.add_user(f"member{n:02d}", guild=guild) for n in range(20)]
    replies = await asyncio.gather(
        *(
            driver.run(f'/questions vote question:"{TYPICAL_WEEK}"', user=member, guild=guild)
            for member in members
        )
    )
    assert all("You voted for" in reply.text for reply in replies)
    assert await votes_for(bot, guild, TYPICAL_WEEK) == 20
    counts = sorted(int(re.search(r"(\d+) votes? now", r.text).group(1)) for r in replies)
    assert counts == list(range(1, 21))


async def test_random_gives_the_count_asked_from_the_category(driver, alice, guild):
    reply = await driver.run("/questions random category:advice count:4", user=alice, guild=guild)
    shown = listed(reply)
    assert len(shown) == 4 and len(set(shown)) == 4
    advice = {q.text for q in load_default_questions() if q.category == "advice"}
    assert set(shown) <= advice
    default = await driver.run("/questions random", user=alice, guild=guild)
    assert len(listed(default)) == 3
    with pytest.raises(DriverError):
        await driver.run("/questions random count:11", user=alice, guild=guild)


# -- removing -----------------------------------------------------------------------------

OWN = "Which meetings on your calendar matter most to your work?"


async def test_the_author_removes_their_question_after_confirming(driver, alice, guild, bot):
    await driver.run(f'/questions add text:"{OWN}" category:assignments', user=alice, guild=guild)
    prompt = await driver.run(f'/questions remove question:"{OWN}"', user=alice, guild=guild)
    assert prompt.ephemeral and "Remove" in prompt.text
    done = await driver.click(prompt, "Remove", user=alice)
    assert "Removed" in done.text
    async with bot.stores.guild(guild.id) as store:
        assert await store.find_question_by_text(OWN) is None


async def test_cancelling_a_removal_keeps_the_question(driver, alice, guild, bot):
    await driver.run(f'/questions add text:"{OWN}" category:assignments', user=alice, guild=guild)
    prompt = await driver.run(f'/questions remove question:"{OWN}"', user=alice, guild=guild)
    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "stays" in kept.text
    async with bot.stores.guild(guild.id) as store:
        assert await store.find_question_by_text(OWN) is not None


async def test_an_officer_removes_any_question(driver, alice, officer, guild, bot):
    await driver.run(f'/questions add text:"{OWN}" category:assignments', user=alice, guild=guild)
    for text in (OWN, TYPICAL_WEEK):
        prompt = await driver.run(f'/questions remove question:"{text}"', user=officer, guild=guild)
        done = await driver.click(prompt, "Remove", user=officer)
        assert "Removed" in done.text
    async with bot.stores.guild(guild.id) as store:
        assert await store.find_question_by_text(OWN) is None
        assert await store.find_question_by_text(TYPICAL_WEEK) is None


async def test_other_members_cannot_remove_a_question(driver, alice, bob, guild, bot):
    await driver.run(f'/questions add text:"{OWN}" category:assignments', user=alice, guild=guild)
    for text in (OWN, TYPICAL_WEEK):  # someone else's, and a seeded one
        refused = await driver.run(f'/questions remove question:"{text}"', user=bob, guild=guild)
        assert refused.ephemeral
        assert "Manage Server" in refused.text
        assert not refused.buttons
    async with bot.stores.guild(guild.id) as store:
        assert await store.find_question_by_text(OWN) is not None
        assert await store.find_question_by_text(TYPICAL_WEEK) is not None


async def test_an_unknown_question_gets_a_specific_error(driver, alice, guild):
    reply = await driver.run(
        '/questions vote question:"zebra crossings at dawn"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "can't find" in reply.text


# -- each server its own bank; DMs read-only ------------------------------------------------


async def test_each_server_has_its_own_bank(driver, emu, alice, guild, bot):
    other = emu.add_guild("Another Club")
    emu.add_member(other, alice)
    await driver.run(f'/questions add text:"{OWN}" category:assignments', user=alice, guild=guild)
    shown = await every_page(driver, "/questions list", user=alice, guild=other)
    assert OWN not in shown
    assert len(shown) == len(load_default_questions())


async def test_in_dms_the_default_bank_is_read_only(driver, alice, bot, tmp_path):
    seed = load_default_questions()
    page = await driver.run("/questions list", user=alice, guild=None)
    assert "default question bank" in page.text
    assert not any(b["label"].startswith("▲") for b in page.buttons)
    shown = await every_page(driver, "/questions list", user=alice, guild=None)
    assert shown == [q.text for q in seed]
    trends = await every_page(driver, "/questions list category:trends", user=alice, guild=None)
    assert len(trends) == 5
    picked = await driver.run("/questions random count:2", user=alice, guild=None)
    assert len(listed(picked)) == 2
    for line in (
        '/questions add text:"What is the best part of your day?"',
        f'/questions vote question:"{TYPICAL_WEEK}"',
        f'/questions remove question:"{TYPICAL_WEEK}"',
    ):
        refused = await driver.run(line, user=alice, guild=None)
        assert "works in a server" in refused.text, line
    assert list((bot.settings.data_dir / "guilds").glob("*.sqlite3")) == []


async def test_the_list_buttons_keep_working_after_the_cog_reloads(driver, alice, bob, guild, bot):
    page = await driver.run("/questions list", user=alice, guild=guild)
    first = listed(page)[0]
    await bot.reload_extension("cogs.questions")  # as after a restart: no view is in memory
    pressed = await driver.click(page, "▲ 1", user=bob)
    assert "▲ 1" in pressed.embeds[0]["description"]
    assert await votes_for(bot, guild, first) == 1
    turned = await driver.click(pressed, "Next", user=bob)
    assert "Page 2 of 6" in turned.text


# -- forged and out-of-range ids -----------------------------------------------------------


FIRST = "What attracted you to this type of work?"


def button_row(*custom_ids: str) -> list[dict]:
    buttons = [{"type": 2, "style": 1, "label": "▲", "custom_id": c} for c in custom_ids]
    return [{"type": 1, "components": buttons}]


async def test_a_forged_vote_button_with_an_out_of_range_id_changes_nothing(
    driver, bot, emu, alice, guild
):
    listing = await driver.run("/questions list", user=alice, guild=guild)
    before = await votes_for(bot, guild, FIRST)
    forged = emu.inject_message(
        listing.message.channel_id, components=button_row(f"qbank:vote:{TOO_BIG}:0::top")
    )
    reply = await driver.click(forged, f"qbank:vote:{TOO_BIG}:0::top", user=alice)
    note = await followup_text(emu, reply)
    assert "removed from the bank" in note, note
    assert await votes_for(bot, guild, FIRST) == before


async def test_voting_by_an_out_of_range_id_is_not_found(driver, alice, guild):
    reply = await driver.run(
        f"/questions vote question:{TOO_BIG}", user=alice, guild=guild, validate=False
    )
    assert reply.ephemeral
    assert "can't find" in reply.text and "question:typical week" in reply.text, reply.text
