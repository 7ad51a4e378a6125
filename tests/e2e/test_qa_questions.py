"""QA: the shared question bank against forged and out-of-range input."""

from __future__ import annotations

from tests.e2e.test_questions import followup_text, votes_for

TOO_BIG = "99999999999999999999999"  # past SQLite's INTEGER range
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
