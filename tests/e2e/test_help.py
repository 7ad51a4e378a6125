"""/help teaches: where to start, the method's words, and every command the bot has."""

from __future__ import annotations

import re

from bot.ui.limits import EMBED_DESCRIPTION, EMBED_TOTAL, FIELD_VALUE

# Being added to PRODUCT.md's table alongside this help; listed whether synced yet or not.
NEW_COMMANDS = ("meeting reschedule", "outreach remove")
ROOM_LEFT = 1000  # characters kept free under Discord's 6,000 for lines still to come


async def test_help_lists_every_command_the_bot_synced(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    listed = set(re.findall(r"`/([a-z]+(?: [a-z]+)*)", reply.text))
    paths = driver.command_paths()
    assert {"help", "prospect add", "meeting schedule", "thanks sent"} <= set(paths)
    assert set(paths) <= listed, set(paths) - listed
    for path in NEW_COMMANDS:
        assert path in listed, path


async def test_help_starts_with_three_commands_that_run_one_after_another(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    (embed,) = reply.embeds
    start = embed["description"].split("**Start here**\n", 1)[1].split("\n\n", 1)[0]
    lines = start.splitlines()
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. "]
    commands = [re.findall(r"`(/[^`]+)`", line)[0] for line in lines]
    for command in commands:
        step = await driver.run(command, user=alice, guild=guild)
        assert "Ada Lovelace" in step.text, (command, step.text)
    assert "Meeting scheduled" in step.text


async def test_help_explains_the_methods_words_in_one_line(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    (embed,) = reply.embeds
    (words,) = [line for line in embed["description"].splitlines() if "3B7" in line]
    for term, meaning in (
        ("3B7", "3 business days"),
        ("TIARA", "Trends, Insights, Advice, Resources, Assignments"),
        ("5-Point Email", "under 100 words"),
    ):
        assert f"**{term}**" in words and meaning in words, term


async def test_help_fits_discords_embed_limits_with_room_to_spare(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    (embed,) = reply.embeds
    assert len(embed["description"]) <= EMBED_DESCRIPTION
    assert all(len(field["value"]) <= FIELD_VALUE for field in embed["fields"])
    total = len(embed["title"]) + len(embed["description"])
    total += sum(len(field["name"]) + len(field["value"]) for field in embed["fields"])
    assert total <= EMBED_TOTAL - ROOM_LEFT, total


async def test_helps_privacy_line_says_who_sees_a_network_listing(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    (privacy,) = [f["value"] for f in reply.embeds[0]["fields"] if f["name"] == "Privacy"]
    assert "listing is seen by this server's members" in privacy
    assert "in every server too" in privacy
