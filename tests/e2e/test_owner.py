"""The owner's tools (/owner status, sync, reload): in DEV_GUILD_ID alone, for the
application's owner alone; without DEV_GUILD_ID they don't exist."""

from __future__ import annotations

import pytest

from bot import version
from bot.config import Config
from bot.emulator import DriverError
from bot.emulator.models import ADMINISTRATOR, Role
from cogs.owner import NOT_THE_OWNER
from tests.support.e2e import TOKEN, add_prospect


@pytest.fixture
def app_owner(emu, guild):
    """Who owns the application on the Developer Portal; they own the dev server too."""
    user = emu.add_user("owner", guild=guild)
    emu.owner = user
    guild.owner_id = user.id
    return user


@pytest.fixture
def admin(emu, guild):
    """A server admin (Administrator) who doesn't own the bot."""
    user = emu.add_user("admin", guild=guild)
    role = Role(emu.snowflakes.next(), "Admins", ADMINISTRATOR, position=3)
    guild.roles[role.id] = role
    guild.members[user.id].role_ids.append(role.id)
    return user


@pytest.fixture
def dev_guild_id(guild) -> int | None:
    """DEV_GUILD_ID: the club's server (a test sets None for none)."""
    return guild.id


@pytest.fixture
def settings(tmp_path, emu, app_owner, dev_guild_id) -> Config:
    """The end-to-end settings with DEV_GUILD_ID."""
    return Config(
        token=TOKEN,
        data_dir=tmp_path / "data",
        api_base=emu.rest_base,
        gateway_url=emu.gateway_url,
        dev_guild_id=dev_guild_id,
    )


def _field(reply, name: str) -> str:
    ((embed,),) = [reply.embeds]
    return next(f["value"] for f in embed["fields"] if f["name"] == name)


async def test_the_owner_sees_how_the_bot_is_doing(bot, driver, guild, app_owner, alice, clock):
    await add_prospect(driver, alice, guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"1 hour ago" takeaways:"Ask about CS"',
        user=alice,
        guild=guild,
    )
    await bot.reminders.check_consistency()
    owed = await bot.reminders.index.all()
    clock.advance(minutes=5)

    reply = await driver.run("/owner status", user=app_owner, guild=guild)

    assert reply.ephemeral
    assert _field(reply, "Version") == version()
    assert _field(reply, "Up").startswith("5 min 0 s, since <t:")
    assert _field(reply, "Members with a store").startswith("1 ")
    assert len(owed) == 3  # the thank-you nudge and its two follow-ups
    assert _field(reply, "Reminders owed") == "3 (0 due now)"
    assert _field(reply, "Last consistency pass").startswith(
        "5 min 0 s ago: 1 stores checked, 0 reminders armed, 0 dropped, 0 resumed"
    )
    assert _field(reply, "Gateway latency")


async def test_an_admin_who_does_not_own_the_bot_is_refused(bot, emu, driver, guild, admin):
    prepare = bot.extensions["cogs.prepare"]
    synced_before = len([r for r in emu.requests if r.method == "PUT"])

    for line in ("/owner status", "/owner sync", "/owner reload cog:cogs.prepare"):
        reply = await driver.run(line, user=admin, guild=guild)
        assert reply.ephemeral
        assert reply.text == NOT_THE_OWNER
        assert reply.embeds == []

    assert bot.extensions["cogs.prepare"] is prepare  # not reloaded
    assert len([r for r in emu.requests if r.method == "PUT"]) == synced_before  # not synced


async def test_members_never_see_the_owner_commands(bot, emu, driver, guild, alice):
    assert "owner" in driver.command_names(guild, user=guild_owner(emu, guild))
    assert "owner" not in driver.command_names(guild, user=alice)  # no Administrator
    assert "owner" not in driver.command_names(dm=True)
    assert "owner" not in [command["name"] for command in emu.global_commands]
    other = emu.add_guild("Another club")
    emu.add_member(other, alice)
    assert "owner" not in driver.command_names(other)
    with pytest.raises(DriverError, match="lacks the permissions"):
        await driver.run("/owner status", user=alice, guild=guild)


def guild_owner(emu, guild):
    """The server's owner, who has every permission there."""
    return emu.users[guild.owner_id]


@pytest.mark.parametrize("dev_guild_id", [None])
async def test_without_dev_guild_id_there_are_no_owner_commands(bot, driver, guild, app_owner):
    assert bot.get_cog("Owner") is None
    assert "owner" not in driver.command_names()  # nowhere: no server, no DM
    assert "help" in driver.command_names(guild, user=app_owner)


async def test_reload_brings_a_cog_back_and_its_commands_still_work(
    bot, driver, guild, app_owner, alice
):
    before = bot.extensions["cogs.locate"]

    reply = await driver.run("/owner reload cog:cogs.locate", user=app_owner, guild=guild)

    assert reply.text.startswith("Reloaded `cogs.locate`.")
    assert bot.extensions["cogs.locate"] is not before
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    reply = await driver.run("/owner reload cog:cogs.owner", user=app_owner, guild=guild)
    assert reply.text.startswith("Reloaded `cogs.owner`.")
    assert (await driver.run("/owner status", user=app_owner, guild=guild)).embeds


async def test_sync_sends_the_tree_to_the_dev_server(bot, emu, driver, guild, app_owner):
    commands = emu.guild_commands[guild.id]
    commands[:] = [c for c in commands if c["name"] != "prospect"]  # as if Discord lost it

    reply = await driver.run("/owner sync", user=app_owner, guild=guild)

    synced = sorted(command["name"] for command in emu.guild_commands[guild.id])
    assert "owner" in synced and "prospect" in synced
    assert reply.text.startswith(f"Synced the command tree: {len(synced)} commands in this server")
