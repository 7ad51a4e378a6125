"""End-to-end checks of the emulator with the real discord.py client and a throwaway bot."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import aiohttp
import discord
import pytest

from bot.emulator import Driver, DriverError, Emulator, running_bot
from bot.emulator.models import MANAGE_GUILD
from tests.support.demo_bot import DemoBot
from tests.support.emulator import World

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def test_login_ready_and_command_sync(emu: Emulator, world: World, demo_bot: DemoBot):
    assert demo_bot.user is not None and demo_bot.user.id == emu.bot_user_id
    assert demo_bot.application_id == emu.application_id
    guild = demo_bot.get_guild(world.guild.id)
    assert guild is not None and guild.name == "Career Club"
    assert guild.get_channel(world.guild.channel_id) is not None
    names = {c["name"] for c in emu.commands()}
    assert names == {"demo", "admin"}
    demo = next(c for c in emu.commands() if c["name"] == "demo")
    assert {o["name"] for o in demo["options"]} >= {"echo", "pipeline", "find", "upload"}
    assert all(c["id"].isdigit() for c in emu.commands())
    paths = [r.path for r in emu.requests]
    assert "/users/@me" in paths and f"/applications/{emu.application_id}/commands" in paths
    assert emu.unknown_routes == []


async def test_wrong_token_is_refused(emu: Emulator, world: World):
    with pytest.raises(discord.LoginFailure):
        async with running_bot(DemoBot(), emu, token="not-the-token"):
            pass


async def test_gateway_closes_4004_on_wrong_token(emu: Emulator):
    async with aiohttp.ClientSession() as session, session.ws_connect(emu.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] > 0
        await ws.send_json({"op": 1, "d": None})
        assert (await ws.receive_json())["op"] == 11
        await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
        msg = await ws.receive()
        assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 4004


async def test_response_content_type_is_exact(emu: Emulator):
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {emu.token}"}
        async with session.get(emu.rest_base + "/users/@me", headers=headers) as resp:
            assert resp.headers["Content-Type"] == "application/json"
        async with session.get(emu.rest_base + "/nope/nothing", headers=headers) as resp:
            assert resp.status == 404
            assert (await resp.json())["message"] == "404: Not Found"
    assert emu.unknown_routes == ["GET /api/v10/nope/nothing"]


async def test_subcommand_with_options(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run(
        '/demo echo text:"hello there" times:2', user=world.alice, guild=world.guild
    )
    assert reply.content == "hello there hello there"
    assert reply.callback_type == 4 and not reply.ephemeral
    assert emu.channel_messages(world.guild.channel_id)[-1].content == reply.content


async def test_the_driver_times_an_answer_from_its_dispatch(world: World, driver: Driver):
    """The benchmark's second clock: from the INTERACTION_CREATE until the driver saw the
    answer settled, within the whole call's time."""
    began = time.perf_counter()
    reply = await driver.run('/demo echo text:"hi" times:1', user=world.alice)
    took = time.perf_counter() - began
    assert reply.record.answered_in is not None and 0 < reply.record.answered_in <= took


async def test_unquoted_value_runs_to_next_option(world: World, driver: Driver):
    reply = await driver.run("/demo echo text:hello big world times:1", user=world.alice)
    assert reply.content == "hello big world"


async def test_subcommand_group_and_choice(world: World, driver: Driver):
    reply = await driver.run(
        '/demo pipeline move name:"Ada Lovelace" stage:established',
        user=world.alice,
        guild=world.guild,
    )
    assert reply.content == "Ada Lovelace -> established"
    reply = await driver.run(
        "/demo pipeline move name:Ada stage:Cold", user=world.alice, guild=world.guild
    )
    assert reply.content == "Ada -> cold"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/demo pipeline move name:Ada stage:lukewarm", "not one of the choices"),
        ("/demo echo times:2", "missing required option"),
        ("/demo echo text:hi times:9", "at most 3"),
        ("/demo echo text:hi times:two", "not a whole number"),
        ("/demo echo text:hi colour:red", "no option 'colour'"),
        ("/demo nothing", "needs a subcommand"),
        ("/nope", "unknown command"),
    ],
)
async def test_driver_refuses_what_the_client_would(
    world: World, driver: Driver, line: str, message: str
):
    with pytest.raises(DriverError, match=message):
        await driver.run(line, user=world.alice, guild=world.guild)


async def test_default_member_permissions_hide_commands(world: World, driver: Driver):
    with pytest.raises(DriverError, match="lacks the permissions"):
        await driver.run("/admin", user=world.alice, guild=world.guild)
    reply = await driver.run("/admin", user=world.maria, guild=world.guild)
    assert reply.content == "@everyone admin ok"
    assert reply.allowed_mentions == {"parse": []}
    assert "admin" not in driver.command_names(dm=True)  # guild_only
    assert "admin" in driver.command_names(world.guild, user=world.maria)
    assert "admin" not in driver.command_names(world.guild, user=world.alice)
    assert "admin" in driver.command_names()
    assert "demo pipeline move" in driver.command_paths()


async def test_autocomplete_resolves_like_the_client(emu: Emulator, world: World, driver: Driver):
    choices = await driver.autocomplete("/demo find person:gra", user=world.alice)
    assert [c["name"] for c in choices] == ["Grace Hopper"]
    reply = await driver.run('/demo find person:"alan turing"', user=world.alice)
    assert reply.content == "found alan-turing" and reply.ephemeral
    reply = await driver.run("/demo find person:Ka", user=world.alice)
    assert reply.content == "found katherine-johnson"
    # Nothing suggested contains the typed text: the member submits their own text.
    reply = await driver.run("/demo find person:Gracee", user=world.alice)
    assert reply.content == "found Gracee"
    autocompletes = [r for r in emu.interactions.values() if r.type == 4]
    assert autocompletes and autocompletes[0].callback_type == 8


async def test_attachment_option_is_downloadable(world: World, driver: Driver):
    data = b"First Name,Last Name\nAda,Lovelace\n"
    reply = await driver.run(
        "/demo upload",
        user=world.alice,
        guild=world.guild,
        attachments={"file": ("Connections.csv", data)},
    )
    assert reply.content == f"Connections.csv: {len(data)} bytes, First Name,Last Name"
    with pytest.raises(DriverError, match="missing required option"):
        await driver.run("/demo upload", user=world.alice, guild=world.guild)


async def test_defer_then_edit_original(world: World, driver: Driver):
    reply = await driver.run("/demo slow", user=world.alice, guild=world.guild)
    assert reply.callback_type == 5
    assert reply.ephemeral
    assert reply.content == "done slowly"
    assert reply.embeds[0]["title"] == "Result"
    assert "All good" in reply.text
    kinds = [r.kind for r in reply.responses]
    assert kinds == ["callback", "edit_original"]


async def test_defer_then_followups(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo followups", user=world.alice, guild=world.guild)
    assert reply.content == "first"
    await emu.wait_for(lambda: len(reply.followups) == 2, timeout=5)
    assert [m.content for m in reply.followups] == ["first", "second"]
    assert reply.followups[1].ephemeral and not reply.followups[0].ephemeral


async def test_file_sent_as_multipart(world: World, driver: Driver):
    reply = await driver.run("/demo report", user=world.alice, guild=world.guild)
    assert reply.ephemeral
    assert reply.files == [("report.csv", b"name,stage\nAda,cold\n")]
    assert reply.responses[0].files == [("report.csv", b"name,stage\nAda,cold\n")]


async def test_buttons_and_select(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo buttons", user=world.alice, guild=world.guild)
    assert [b["label"] for b in reply.buttons] == ["Yes", "No", "Later"]
    assert reply.selects[0]["custom_id"] == "demo:pick"

    no = await driver.click(reply, "No", user=world.alice)
    assert no.content == "No it is" and no.ephemeral

    picked = await driver.select(reply, ["Warm"], user=world.alice)
    assert picked.content == "picked warm"

    with pytest.raises(DriverError, match="'Yes', 'No', 'Later'"):
        await driver.click(reply, "Maybe", user=world.alice)

    yes = await driver.click(reply, "Yes", user=world.alice)
    assert yes.callback_type == 7
    assert reply.content == "You said yes" and reply.buttons == []  # edited in place
    assert yes.message is reply.message


async def test_deferred_component_update(world: World, driver: Driver):
    reply = await driver.run("/demo buttons", user=world.alice, guild=world.guild)
    later = await driver.click(reply, "Later", user=world.alice)
    assert later.callback_type == 6
    assert reply.content == "Snoozed"


async def test_modal(world: World, driver: Driver):
    reply = await driver.run("/demo note", user=world.alice, guild=world.guild)
    modal = reply.modal
    assert modal is not None and modal.title == "Add a note"
    assert [f.custom_id for f in modal.fields] == ["note:body", "note:mood"]
    assert modal.fields[0].label == "Note" and modal.fields[0].required
    with pytest.raises(DriverError, match="required"):
        await driver.submit_modal(reply, {"Mood": "happy"}, user=world.alice)
    done = await driver.submit_modal(
        reply, {"Note": "Met Ada", "note:mood": "great"}, user=world.alice
    )
    assert done.content == "noted: Met Ada (great)" and done.ephemeral


async def test_dm_recorded_and_clickable(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo dm", user=world.alice, guild=world.guild)
    assert reply.content == "sent you a DM" and reply.ephemeral
    dms = await driver.wait_for_dms(world.alice, 1, timeout=5)
    assert dms[0].content == "Reminder: follow up with Ada"
    assert emu.dms(world.alice) == dms
    yes = await driver.click(dms[0], "Yes", user=world.alice)
    assert yes.callback_type == 7 and emu.dms(world.alice)[0].content == "You said yes"
    with pytest.raises(DriverError, match="someone else's DMs"):
        await driver.click(dms[0], "No", user=world.maria)


async def test_commands_in_dms(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo echo text:hi", user=world.alice)
    assert reply.content == "hi"
    assert reply.message is not None and reply.message.channel_id == emu.dm_channel(world.alice).id
    assert emu.dms(world.alice, interactions=False) == []


async def test_closed_dms_raise_forbidden_50007(emu: Emulator, world: World, driver: Driver):
    emu.close_dms(world.alice)
    reply = await driver.run("/demo dm", user=world.alice, guild=world.guild)
    assert reply.content == "forbidden 50007"
    assert emu.dms(world.alice) == []


async def test_nonce_deduplication(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo nonce", user=world.alice, guild=world.guild)
    assert reply.content == "same=True"
    sent = [m for m in emu.channel_messages(world.guild.channel_id) if m.content == "only once"]
    assert len(sent) == 1 and sent[0].nonce == "4242"


async def test_global_429_is_retried(emu: Emulator, world: World, driver: Driver):
    calls: list[str] = []

    def once_per_path(method: str, path: str) -> bool:
        key = f"{method} {path}"
        if key in calls:
            return False
        calls.append(key)
        return True

    emu.set_rate_limit(once_per_path, retry_after=0.01)
    reply = await driver.run("/demo dm", user=world.alice, guild=world.guild)
    assert reply.content == "sent you a DM"
    assert len(emu.dms(world.alice)) == 1
    assert emu.rate_limited  # the DM channel and the message were both 429'd first
    statuses = [r.status for r in emu.requests if r.path.startswith("/channels/")]
    assert statuses == [429, 200]


async def test_rate_limit_headers(emu: Emulator):
    emu.set_rate_limit(True)
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {emu.token}"}
        async with session.get(emu.rest_base + "/users/@me", headers=headers) as resp:
            assert resp.status == 429
            assert resp.headers["Via"] and resp.headers["Retry-After"]
            assert resp.headers["X-RateLimit-Global"] == "true"
            assert resp.headers["X-RateLimit-Scope"] == "global"
            body = json.loads(await resp.text())
            assert body["global"] is True and body["retry_after"] > 0
        async with session.get(emu.rest_base + "/users/@me", headers=headers) as resp:
            assert resp.status == 200


async def test_limit_violation_is_rejected(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo big", user=world.alice, guild=world.guild)
    assert reply.content == "rejected 400 50035"
    assert len(emu.violations) == 1
    assert "content" in str(emu.violations[0]) and "2000" in str(emu.violations[0])


async def test_interaction_history_and_request_log(emu: Emulator, world: World, driver: Driver):
    reply = await driver.run("/demo report", user=world.alice, guild=world.guild)
    record = emu.interaction(reply.record.id)
    assert record is reply.record
    callback = record.responses[0]
    assert callback.kind == "callback" and callback.type == 4 and callback.ephemeral
    posts = [r for r in emu.requests if r.path.endswith("/callback")]
    assert posts[-1].json["type"] == 4 and posts[-1].query["with_response"] in ("1", "true")


async def test_guild_added_after_connect(emu: Emulator, world: World, demo_bot: DemoBot):
    joined = asyncio.ensure_future(demo_bot.wait_for("guild_join", timeout=5))
    guild = emu.add_guild("Second Club")
    assert (await joined).id == guild.id
    assert demo_bot.get_guild(guild.id) is not None


async def test_guilds_and_users_can_keep_fixed_ids(emu: Emulator):
    guild = emu.add_guild("Sandbox Club", guild_id=1234567890)
    assert guild.id == 1234567890 and emu.guilds[guild.id] is guild
    assert guild.roles[guild.id].name == "@everyone"
    assert emu.bot.id in guild.members and len(guild.channels) == 1
    user = emu.add_user("you", user_id=42, guild=guild, manage_guild=True)
    assert user.id == 42 and emu.user(42) is user
    assert guild.permissions_of(42) & MANAGE_GUILD
    with pytest.raises(ValueError, match="already exists"):
        emu.add_guild("Another", guild_id=1234567890)
    with pytest.raises(ValueError, match="already exists"):
        emu.add_user("someone", user_id=42)


async def test_an_injected_message_reaches_the_bot_and_is_clickable(
    emu: Emulator, world: World, demo_bot: DemoBot, driver: Driver
):
    reply = await driver.run("/demo buttons", user=world.alice, guild=world.guild)
    channel_id = emu.dm_channel(world.maria).id
    seen = asyncio.ensure_future(
        demo_bot.wait_for("message", check=lambda m: m.channel.id == channel_id, timeout=5)
    )
    forged = emu.inject_message(channel_id, content="forged", components=reply.components)
    assert (await seen).content == "forged"
    assert forged.author is emu.bot and emu.channel_messages(channel_id) == [forged]
    no = await driver.click(forged, "No", user=world.maria)
    assert no.content == "No it is"
    by_alice = emu.inject_message(channel_id, author=world.alice, content="hi")
    assert by_alice.author is world.alice


async def test_rejected_interaction_answer_is_reported(emu: Emulator, world: World, driver: Driver):
    with pytest.raises(DriverError, match=r"rejected the bot's answer.*2000 or fewer"):
        await driver.run("/demo toolong", user=world.alice, guild=world.guild)
    assert emu.violations and emu.violations[0].code == 50035


async def test_resync_keeps_command_ids(emu: Emulator, world: World, demo_bot: DemoBot):
    before = {c["name"]: c["id"] for c in emu.commands()}
    await demo_bot.tree.sync()
    assert {c["name"]: c["id"] for c in emu.commands()} == before


async def test_interaction_needs_a_connected_bot(emu: Emulator, world: World):
    record = emu.new_interaction(type=2, user=world.alice, data={"name": "x"}, guild=world.guild)
    with pytest.raises(RuntimeError, match="no bot is connected"):
        await emu.send_interaction(record)


async def test_unanswered_interaction_times_out_helpfully(world: World, driver: Driver):
    with pytest.raises(DriverError, match="deferred but never edited"):
        await driver.run("/demo silent", user=world.alice, guild=world.guild, timeout=0.2)


async def test_non_persistent_view_clicked_immediately(world: World, driver: Driver):
    for _ in range(5):
        reply = await driver.run("/demo confirm", user=world.alice, guild=world.guild)
        confirmed = await driver.click(reply, "Confirm", user=world.alice)
        assert confirmed.content == "confirmed"


async def test_gateway_identify_and_resume(emu: Emulator, world: World):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(emu.gateway_url) as ws:
            await ws.receive_json()  # HELLO
            await ws.send_json({"op": 2, "d": {"token": emu.token, "intents": 513}})
            ready = await ws.receive_json()
            assert ready["t"] == "READY" and ready["d"]["resume_gateway_url"] == emu.gateway_url
            assert ready["d"]["guilds"] == [{"id": str(world.guild.id), "unavailable": True}]
            guild = await ws.receive_json()
            assert guild["t"] == "GUILD_CREATE" and guild["s"] == 2
            session_id = ready["d"]["session_id"]
        async with session.ws_connect(emu.gateway_url) as ws:
            await ws.receive_json()  # HELLO
            resume = {"token": emu.token, "session_id": session_id, "seq": 2}
            await ws.send_json({"op": 6, "d": resume})
            resumed = await ws.receive_json()
            assert resumed["t"] == "RESUMED" and resumed["s"] == 3


async def test_validate_false_lets_the_bot_validate(world: World, driver: Driver):
    with pytest.raises(DriverError, match="at most 3"):
        await driver.run("/demo echo text:hi times:4", user=world.alice)
    reply = await driver.run("/demo echo text:hi times:4", user=world.alice, validate=False)
    assert reply.content == "hi hi hi hi"


async def test_reading_a_channel_pages_like_discord(emu: Emulator, world: World, demo_bot: DemoBot):
    channel = emu.dm_channel(world.alice)
    ids = [
        emu.inject_message(channel.id, content=f"m{n}", author=world.alice if n == 3 else None).id
        for n in range(121)
    ]
    dm = demo_bot.get_partial_messageable(channel.id, type=discord.ChannelType.private)

    def reads() -> list[dict[str, str]]:
        return [r.query for r in emu.requests if r.path == f"/channels/{channel.id}/messages"]

    # Newest first; discord.py pages backwards with `before`, 100 at a time.
    assert [m.id async for m in dm.history(limit=None)] == ids[::-1]
    first, second = reads()
    assert first == {"limit": "100"} and second == {"limit": "100", "before": str(ids[21])}
    # `after`: the oldest messages newer than it, paged forwards.
    assert [m.id async for m in dm.history(limit=None, after=discord.Object(ids[9]))] == ids[10:]
    # `before`, `around` (half before it, the message and newer ones after it).
    before = [m.id async for m in dm.history(limit=3, before=discord.Object(ids[5]))]
    assert before == [ids[4], ids[3], ids[2]]
    around = [m.id async for m in dm.history(limit=4, around=discord.Object(ids[50]))]
    assert around == [ids[51], ids[50], ids[49], ids[48]]
    # A time works as well as a message id (discord.py turns it into a snowflake).
    start = emu.messages[ids[0]].created_at - timedelta(seconds=1)
    assert [m.id async for m in dm.history(limit=5, after=start)] == ids[:5]
    end = emu.messages[ids[-1]].created_at + timedelta(seconds=1)
    assert [m.id async for m in dm.history(limit=5, after=end)] == []
    assert emu.violations == []

    async with aiohttp.ClientSession() as session:
        url = f"{emu.rest_base}/channels/{channel.id}/messages"
        headers = {"Authorization": f"Bot {emu.token}"}
        async with session.get(url, params={"limit": "2"}, headers=headers) as resp:
            assert [m["content"] for m in await resp.json()] == ["m120", "m119"]
        for bad in ({"limit": "0"}, {"limit": "101"}, {"before": str(ids[5]), "after": "1"}):
            async with session.get(url, params=bad, headers=headers) as resp:
                assert resp.status == 400 and (await resp.json())["code"] == 50035
    assert len(emu.violations) == 3


async def test_a_nonce_is_echoed_on_create_but_not_when_read_back(
    emu: Emulator, world: World, demo_bot: DemoBot
):
    channel = emu.dm_channel(world.alice)
    dm = demo_bot.get_partial_messageable(channel.id, type=discord.ChannelType.private)
    sent = await dm.send("hello", nonce="r123")
    again = await dm.send("hello", nonce="r123")  # within the window: the same message
    assert again.id == sent.id and len(emu.dms(world.alice)) == 1
    emu.forget_nonces()  # the window has passed: a repeat is a new message
    third = await dm.send("hello", nonce="r123")
    assert third.id != sent.id and len(emu.dms(world.alice)) == 2
    async with aiohttp.ClientSession() as session:
        url = f"{emu.rest_base}/channels/{channel.id}/messages"
        async with session.get(url, headers={"Authorization": f"Bot {emu.token}"}) as resp:
            read = await resp.json()
    assert [m["id"] for m in read] == [str(third.id), str(sent.id)]
    assert all("nonce" not in m for m in read)
