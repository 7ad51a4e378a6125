"""/club stats end to end: officers see anonymous monthly counts; nobody else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.emulator import DriverError
from tests.support.e2e import edited_to


def allow_everyone(emu) -> None:
    """What a server admin can do in Integrations: let everyone see /club."""
    for command in emu.global_commands:
        if command["name"] == "club":
            command["default_member_permissions"] = None


async def test_club_stats_is_offered_only_to_members_with_manage_server(
    driver, alice, officer, guild
):
    assert "club stats" in driver.command_paths(guild, user=officer)
    assert "club stats" not in driver.command_paths(guild, user=alice)
    with pytest.raises(DriverError, match="lacks the permissions"):
        await driver.run("/club stats", user=alice, guild=guild)


async def test_club_stats_is_refused_at_run_time_without_manage_server(driver, emu, alice, guild):
    # Default permissions are only a hint a server can override; the bot still refuses.
    allow_everyone(emu)
    reply = await driver.run("/club stats", user=alice, guild=guild)
    assert reply.ephemeral
    assert "Manage Server" in reply.text
    assert not reply.embeds


async def test_club_stats_is_not_offered_in_dms(driver, officer):
    assert "club stats" not in driver.command_paths(dm=True)
    with pytest.raises(DriverError, match="not available"):
        await driver.run("/club stats", user=officer, guild=None)


async def test_club_stats_shows_a_scripted_month_anonymously(
    driver, emu, bot, clock, alice, bob, officer, guild
):
    other = emu.add_guild("Another Club")

    def did(user, metric, guild_id=guild.id):
        bot.club_counts.count(guild_id, user.id, metric)

    # November (the clock starts on 27 November 2026).
    for _ in range(3):
        did(alice, "prospects_added")
    did(bob, "prospects_added")
    did(alice, "requests_sent")
    did(bob, "requests_sent")
    did(alice, "meetings_held")
    did(alice, "thanks_sent")
    did(bob, "prospects_added", guild_id=other.id)  # another server: not counted here
    bot.club_counts.count(None, bob.id, "requests_sent")  # DMs: not counted
    # December.
    clock.advance(days=5)
    did(bob, "meetings_held")
    did(bob, "thanks_sent")

    reply = await driver.run("/club stats", user=officer, guild=guild)
    assert reply.ephemeral
    fields = {field["name"]: field["value"] for field in reply.embeds[0]["fields"]}
    assert list(fields) == [
        "December 2026",
        "November 2026",
        "October 2026",
        "September 2026",
        "August 2026",
        "July 2026",
    ]
    november = fields["November 2026"].replace("*", "")
    assert "Prospects added: 4" in november
    assert "Requests sent: 2" in november
    assert "Meetings held: 1" in november
    assert "Thank-yous sent: 1" in november
    assert "Active members: 2" in november
    december = fields["December 2026"].replace("*", "")
    assert "Prospects added: 0" in december
    assert "Meetings held: 1" in december
    assert "Thank-yous sent: 1" in december
    assert "Active members: 1" in december
    assert "Active members: 0" in fields["July 2026"].replace("*", "")
    for private in (alice.name, bob.name, str(alice.id), str(bob.id)):
        assert private not in reply.text
    # Counting and reporting never opened a member's own store.
    for member in (alice, bob):
        assert not (bot.settings.data_dir / "users" / f"{member.id}.sqlite3").exists()


async def test_an_empty_club_shows_zeros_not_an_error(driver, officer, guild):
    reply = await driver.run("/club stats", user=officer, guild=guild)
    assert reply.ephemeral
    assert len(reply.embeds[0]["fields"]) == 6
    assert "Prospects added: **0**" in reply.text


async def test_members_actions_in_the_server_are_counted(driver, officer, alice, bob, guild):
    connections = (Path(__file__).parent.parent / "data" / "Connections.csv").read_bytes()
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    imported = await driver.run(
        "/prospect import", user=alice, guild=guild, attachments={"file": ("c.csv", connections)}
    )
    added = int(imported.text.split("**")[1].split()[0])
    await driver.run('/outreach sent prospect:"Ada Lovelace"', user=alice, guild=guild)
    await driver.run('/prospect add name:"Grace Hopper"', user=bob, guild=None)  # DMs: private
    reply = await driver.run("/club stats", user=officer, guild=guild)
    november = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}["November 2026"]
    assert f"Prospects added: **{1 + added}**" in november
    assert "Requests sent: **1**" in november
    assert "Active members: **1**" in november


async def test_deleting_my_data_removes_my_votes_from_the_bank(driver, emu, bot, alice, guild):
    await driver.run(
        '/questions add text:"Which podcast do you never miss on your commute?"',
        user=alice,
        guild=guild,
    )
    await driver.run(
        '/questions vote question:"Which podcast do you never miss on your commute?"',
        user=alice,
        guild=guild,
    )
    prompt = await driver.run("/mydata delete", user=alice, guild=guild)
    pressed = await driver.click(prompt, "Delete everything", user=alice)
    await edited_to(emu, pressed, "are gone")
    async with bot.stores.guild(guild.id) as bank:
        question = await bank.find_question_by_text(
            "Which podcast do you never miss on your commute?"
        )
        assert question.votes == 0
        assert question.author_id is None


async def test_a_thank_you_sent_from_the_dm_counts_for_the_meetings_server(
    driver, officer, alice, guild
):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"', user=alice, guild=guild
    )
    (nudge,) = await driver.wait_for_dms(alice, count=1)
    await driver.click(nudge, "Sent it", user=alice)
    await driver.run('/thanks sent meeting:"Ada Lovelace"', user=alice, guild=guild)  # no-op
    reply = await driver.run("/club stats", user=officer, guild=guild)
    november = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}["November 2026"]
    assert "Thank-yous sent: **1**" in november
    assert "Meetings held: **1**" in november
