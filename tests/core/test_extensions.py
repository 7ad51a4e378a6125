"""Every cog loads, and the command surface is exactly PRODUCT.md's contract."""

from __future__ import annotations

import asyncio

import discord

from bot.client import InterviewBot, find_extensions
from bot.config import Config

CONTRACT = {
    "help": [],
    "progress": [],
    "prospect add": ["name", "role", "organization", "stage", "linkedin", "source", "notes"],
    "prospect list": ["stage", "status"],
    "prospect show": ["prospect"],
    "prospect edit": [
        "prospect",
        "name",
        "role",
        "organization",
        "stage",
        "linkedin",
        "source",
        "notes",
    ],
    "prospect remove": ["prospect"],
    "prospect import": ["file"],
    "outreach draft": ["prospect", "minutes", "format"],
    "outreach check": ["text"],
    "outreach sent": ["prospect", "via", "when"],
    "outreach reply": ["prospect", "outcome"],
    "outreach remove": ["prospect"],
    "meeting schedule": ["prospect", "when", "minutes", "format", "place"],
    "meeting log": ["prospect", "when", "minutes", "takeaways", "referrals"],
    "meeting done": ["meeting", "takeaways", "referrals"],
    "meeting prep": ["meeting"],
    "meeting list": ["range"],
    "meeting cancel": ["meeting"],
    "meeting reschedule": ["meeting", "when", "minutes"],
    "meeting calendar": ["meeting"],
    "questions list": ["category", "sort"],
    "questions add": ["text", "category"],
    "questions vote": ["question"],
    "questions random": ["category", "count"],
    "questions remove": ["question"],
    "thanks draft": ["meeting", "medium"],
    "thanks sent": ["meeting", "medium"],
    "settings timezone": ["tz"],
    "settings profile": ["name", "school", "interest"],
    "settings reminders": [
        "thanks_after_hours",
        "quiet_start",
        "quiet_end",
        "dms",
        "checkin_weeks",
        "digest",
    ],
    "settings show": [],
    "mydata export": [],
    "mydata delete": [],
    "club stats": [],
    "network join": ["role", "organization", "fields", "stage", "monthly_limit", "share"],
    "network edit": ["role", "organization", "fields", "stage", "monthly_limit", "share"],
    "network pause": ["until"],
    "network leave": [],
    "network find": ["field", "organization", "stage"],
    "network requests": [],
    "practice join": [],
    "practice leave": [],
    "practice pause": ["until"],
    "club practice schedule": ["every", "day", "hour"],
    "club practice pause": [],
    "club practice now": [],
}


def test_every_cog_module_is_found():
    assert find_extensions() == [
        "cogs.account",
        "cogs.club",
        "cogs.contact",
        "cogs.follow_up",
        "cogs.locate",
        "cogs.network",
        "cogs.owner",
        "cogs.practice",
        "cogs.prepare",
        "cogs.questions",
    ]


async def test_the_command_surface_matches_the_product_contract(tmp_path):
    bot = InterviewBot(Config(data_dir=tmp_path))
    for extension in find_extensions():
        await bot.load_extension(extension)  # a name collision raises here
    found = {
        command.qualified_name: [parameter.name for parameter in command.parameters]
        for command in bot.tree.walk_commands()
        if isinstance(command, discord.app_commands.Command)
    }
    assert found == CONTRACT
    await bot.close()


async def test_owner_commands_live_in_the_dev_server_alone(tmp_path):
    bot = InterviewBot(Config(data_dir=tmp_path, dev_guild_id=1234))
    for extension in find_extensions():
        await bot.load_extension(extension)
    everywhere = {
        command.qualified_name
        for command in bot.tree.walk_commands()
        if isinstance(command, discord.app_commands.Command)
    }
    assert everywhere == set(CONTRACT)  # the global surface is the contract, still
    dev_server = [
        command.qualified_name
        for command in bot.tree.walk_commands(guild=discord.Object(id=1234))
        if isinstance(command, discord.app_commands.Command)
    ]
    assert sorted(dev_server) == ["owner reload", "owner status", "owner sync"]
    await bot.close()


async def test_closing_twice_at_once_closes_the_stores_once(tmp_path):
    """discord.py's connect() closes the bot too when the gateway goes: the second close
    waits for the first instead of closing every store a second time beside it."""
    bot = InterviewBot(Config(data_dir=tmp_path))
    closes = []
    close_stores = bot.stores.close

    async def counted() -> None:
        closes.append(asyncio.current_task())
        await asyncio.sleep(0)  # let the other close() run meanwhile
        await close_stores()

    bot.stores.close = counted
    await asyncio.gather(bot.close(), bot.close())
    assert len(closes) == 1
    await bot.close()  # and once closed, closing again does nothing more
    assert len(closes) == 1
