"""Practice pairings end to end (issue 15, item 3): members opt in, an officer sets the
rounds, each round DMs every pair an introduction and later a check-back whose answers
/club stats counts; forged buttons, closed DMs and restarts."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import combinations

import pytest

from bot.client import InterviewBot
from bot.emulator import DriverError
from bot.emulator.harness import running_bot
from tests.support.e2e import GUILD_READY_TIMEOUT, START, bot_dms, settle

# The officer's zone is UTC (conftest): the clock starts Friday 15:00, so rounds every
# Friday at 16:00 start an hour from now.
FRIDAYS = "every:1 day:Friday hour:16"
FIRST_ROUND = START + timedelta(hours=1)


@pytest.fixture
def carol(emu, guild):
    """A third member, for a trio."""
    return emu.add_user("carol", guild=guild)


@pytest.fixture
def dave(emu, guild):
    """A fourth member."""
    return emu.add_user("dave", guild=guild)


def allow_everyone(emu) -> None:
    """What a server admin can do in Integrations: let everyone see /club."""
    for command in emu.global_commands:
        if command["name"] == "club":
            command["default_member_permissions"] = None


async def join(driver, guild, *users):
    for user in users:
        reply = await driver.run("/practice join", user=user, guild=guild)
        assert reply.ephemeral and "You're in" in reply.text, reply.text


async def schedule(driver, officer, guild, options=FRIDAYS):
    reply = await driver.run(f"/club practice schedule {options}", user=officer, guild=guild)
    assert "Practice rounds set" in reply.text, reply.text
    return reply


async def round_now(driver, officer, guild):
    reply = await driver.run("/club practice now", user=officer, guild=guild)
    assert "Round made" in reply.text, reply.text
    return reply


def intros(emu, user):
    return [m for m in bot_dms(emu, user) if "Practice round in" in m.text]


def checkbacks(emu, user):
    return [m for m in bot_dms(emu, user) if m.text.startswith("Did you meet")]


async def the_schedule(bot, guild):
    async with bot.stores.guild(guild.id) as store:
        return await store.practice_schedule()


async def rounds(bot, guild):
    async with bot.stores.guild(guild.id) as store:
        return await store.recent_practice_groups(rounds=100)


# -- opting in and out ---------------------------------------------------------------


async def test_members_join_pause_and_leave_in_their_server(driver, bot, alice, guild):
    reply = await driver.run("/practice join", user=alice, guild=guild)
    assert "You're in" in reply.text and "No rounds are scheduled yet" in reply.text
    again = await driver.run("/practice join", user=alice, guild=guild)
    assert "already in" in again.text

    paused = await driver.run('/practice pause until:"Dec 15"', user=alice, guild=guild)
    assert paused.ephemeral and "Paused until <t:" in paused.text, paused.text
    async with bot.stores.guild(guild.id) as store:
        member = await store.practice_member(alice.id)
        assert member.paused_until == START.replace(month=12, day=15, hour=0)
        assert await store.practice_pool(START) == []
    back = await driver.run("/practice join", user=alice, guild=guild)
    assert "Welcome back" in back.text

    paused = await driver.run("/practice pause", user=alice, guild=guild)
    assert "until you `/practice join` again" in paused.text
    left = await driver.run("/practice leave", user=alice, guild=guild)
    assert "left practice pairings" in left.text
    async with bot.stores.guild(guild.id) as store:
        assert await store.practice_member(alice.id) is None
    for command in ("/practice leave", "/practice pause"):
        refused = await driver.run(command, user=alice, guild=guild)
        assert refused.ephemeral and "aren't in practice pairings" in refused.text


async def test_a_pause_needs_a_time_ahead_it_can_read(driver, bot, alice, guild):
    await join(driver, guild, alice)
    for until, says in (("yesterday 9am", "already passed"), ("someday soon", "someday")):
        reply = await driver.run(f'/practice pause until:"{until}"', user=alice, guild=guild)
        assert reply.ephemeral and says in reply.text, reply.text
    async with bot.stores.guild(guild.id) as store:
        assert (await store.practice_member(alice.id)).paused_at is None


async def test_practice_in_dms_says_it_works_in_a_server(driver, bot, alice):
    for command in ("/practice join", "/practice leave", "/practice pause"):
        reply = await driver.run(command, user=alice, guild=None)
        assert reply.ephemeral and "works in a server" in reply.text, reply.text
    assert bot.stores.pool.ids("guilds") == []


# -- the officers' schedule --------------------------------------------------------------


async def test_an_officer_schedules_rounds_in_their_zone_and_hears_when_the_first_is(
    driver, bot, officer, guild
):
    reply = await schedule(driver, officer, guild, "every:2 day:Monday hour:18")
    first = START.replace(day=30, hour=18)  # Monday 30 November, 18:00 UTC
    assert "every 2 weeks, Mondays at 18:00 (UTC)" in reply.text
    assert f"<t:{int(first.timestamp())}:F>" in reply.text
    scheduled = await the_schedule(bot, guild)
    assert (scheduled.every, scheduled.weekday, scheduled.hour) == (2, 0, 18)
    assert (scheduled.timezone, scheduled.next_round_at) == ("UTC", first)


async def test_an_officer_without_a_zone_is_asked_for_one_first(driver, emu, bot, guild):
    new_officer = emu.add_user("new officer", guild=guild, manage_guild=True)
    asked = await driver.run(f"/club practice schedule {FRIDAYS}", user=new_officer, guild=guild)
    assert "Which time zone are you in?" in asked.text
    assert await the_schedule(bot, guild) is None
    answered = await driver.select(asked, ["America/New_York"], user=new_officer)
    assert "(America/New_York)" in answered.text, answered.text
    assert (await the_schedule(bot, guild)).timezone == "America/New_York"


async def test_members_without_manage_server_cannot_run_the_rounds(driver, emu, bot, alice, guild):
    assert "club practice schedule" not in driver.command_paths(guild, user=alice)
    with pytest.raises(DriverError, match="lacks the permissions"):
        await driver.run(f"/club practice schedule {FRIDAYS}", user=alice, guild=guild)
    allow_everyone(emu)  # a server can change the default: the bot still refuses
    for command in (f"/club practice schedule {FRIDAYS}", "/club practice now"):
        reply = await driver.run(command, user=alice, guild=guild)
        assert reply.ephemeral and "Manage Server" in reply.text, reply.text
    reply = await driver.run("/club practice pause", user=alice, guild=guild)
    assert "Manage Server" in reply.text
    assert await the_schedule(bot, guild) is None


async def test_pausing_the_rounds_stops_them_until_they_are_set_again(
    driver, emu, bot, clock, alice, bob, officer, guild
):
    await join(driver, guild, alice, bob)
    await schedule(driver, officer, guild)
    paused = await driver.run("/club practice pause", user=officer, guild=guild)
    assert f"`/club practice schedule {FRIDAYS}`" in paused.text, paused.text
    clock.advance(days=15)
    await settle(bot)
    assert intros(emu, alice) == [] and await rounds(bot, guild) == []
    again = await driver.run("/club practice pause", user=officer, guild=guild)
    assert again.ephemeral and "nothing to pause" in again.text
    await schedule(driver, officer, guild)
    clock.advance(days=7)
    await settle(bot)
    assert len(intros(emu, alice)) == 1


# -- rounds ----------------------------------------------------------------------------


async def test_a_scheduled_round_dms_each_pair_an_introduction_with_a_guide(
    driver, emu, bot, clock, alice, bob, officer, guild
):
    await join(driver, guild, alice, bob)
    await schedule(driver, officer, guild)
    clock.advance(minutes=30)
    await settle(bot)
    assert intros(emu, alice) == []  # not yet
    clock.advance(minutes=30)
    await settle(bot)
    for me, partner in ((alice, bob), (bob, alice)):
        (dm,) = intros(emu, me)
        assert f"**{partner.name}** (<@{partner.id}>)" in dm.text
        assert "Swap halfway" in dm.text and "plays the professional" in dm.text
        assert all(f"\n{n}. " in dm.text for n in (1, 2, 3)), dm.text
        assert not (dm.allowed_mentions or {}).get("parse")  # the mention pings no one
    # The same three questions for both.
    assert (
        intros(emu, alice)[0].text.split("**Questions")[1].split("-#")[0]
        == (intros(emu, bob)[0].text.split("**Questions")[1].split("-#")[0])
    )
    assert intros(emu, officer) == []
    assert (await the_schedule(bot, guild)).next_round_at == FIRST_ROUND + timedelta(weeks=1)


async def test_an_odd_number_of_members_makes_a_trio(
    driver, emu, bot, alice, bob, carol, officer, guild
):
    await join(driver, guild, alice, bob, carol)
    reply = await round_now(driver, officer, guild)
    assert "3 members in 1 trio" in reply.text
    await settle(bot)
    for me in (alice, bob, carol):
        (dm,) = intros(emu, me)
        assert "a trio this round" in dm.text
        others = [user for user in (alice, bob, carol) if user is not me]
        assert all(f"<@{other.id}>" in dm.text for other in others)


async def test_fewer_than_two_members_make_no_round(driver, emu, bot, alice, officer, guild):
    await join(driver, guild, alice)
    reply = await driver.run("/club practice now", user=officer, guild=guild)
    assert "No round: 1 member opted in" in reply.text
    await settle(bot)
    assert intros(emu, alice) == [] and await rounds(bot, guild) == []


async def test_rounds_avoid_repeating_partners_and_now_carries_the_schedule_on(
    driver, emu, bot, alice, bob, carol, dave, officer, guild
):
    await join(driver, guild, alice, bob, carol, dave)
    await schedule(driver, officer, guild)
    for _ in range(3):
        reply = await round_now(driver, officer, guild)
        assert "the schedule carries on from it" in reply.text
    await settle(bot)
    made = await rounds(bot, guild)
    assert len(made) == 3
    # Four members have exactly three ways to pair up: three rounds use each once.
    partners = [
        frozenset(two) for groups in made for group in groups for two in combinations(group, 2)
    ]
    assert len(partners) == 6 == len(set(partners))
    assert all(len(intros(emu, user)) == 3 for user in (alice, bob, carol, dave))
    # The weekly round an hour away would have paired them again at once: it moved on a
    # week, so the rounds made now run their course.
    assert (await the_schedule(bot, guild)).next_round_at == FIRST_ROUND + timedelta(weeks=1)


async def test_check_back_answers_are_recorded_and_counted_in_club_stats(
    driver, emu, bot, clock, alice, bob, carol, dave, officer, guild
):
    members = (alice, bob, carol, dave)
    await join(driver, guild, *members)
    await round_now(driver, officer, guild)
    await settle(bot)
    assert all(checkbacks(emu, user) == [] for user in members)
    clock.advance(days=5)
    await settle(bot)
    ((first, second),) = await rounds(bot, guild)
    by_id = {user.id: user for user in members}
    answers = {first[0]: "We met", first[1]: "We met", second[0]: "Not yet", second[1]: "Skip"}
    for user_id, label in answers.items():
        (dm,) = checkbacks(emu, by_id[user_id])
        assert [b["label"] for b in dm.buttons] == ["We met", "Not yet", "Skip"]
        pressed = await driver.click(dm, label, user=by_id[user_id])
        assert "Noted" in pressed.text
        assert emu.messages[dm.id].buttons == []
    async with bot.stores.guild(guild.id) as store:
        pairs = {
            user_id: await store.practice_pair(pair_id)
            for user_id, pair_id in await _pair_ids(store, members)
        }
    assert pairs[first[0]].met_at is not None and pairs[second[0]].met_at is None
    assert pairs[second[0]].member(second[1]).answer == "skip"
    stats = await driver.run("/club stats", user=officer, guild=guild)
    november = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}["November 2026"]
    december = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}["December 2026"]
    assert "Practice pairs made: **2**" in november
    assert "Practice pairs met: **1**" in december  # counted when they said so, once


async def _pair_ids(store, members):
    found = []
    for user in members:
        marks = await store.practice_marks(user.id)
        found += [(user.id, row["pair_id"]) for row in marks["practice_pairs"]]
    return found


async def test_a_forged_check_back_button_is_refused(
    driver, emu, bot, clock, alice, bob, carol, officer, guild
):
    await join(driver, guild, alice, bob)
    await round_now(driver, officer, guild)
    clock.advance(days=5)
    await settle(bot)
    (dm,) = checkbacks(emu, alice)
    # Carol copies Alice's buttons into her own DMs.
    forged = emu.inject_message(
        emu.dm_channel(carol).id, content="forged", components=dm.components
    )
    reply = await driver.click(forged, "We met", user=carol)
    assert reply.ephemeral and "someone else's" in reply.text
    # With her own id as the owner: the pair isn't hers. A server that doesn't exist: the same.
    pair_id = dm.buttons[0]["custom_id"].split(":")[3]
    for custom_id in (
        f"practice:met:{guild.id}:{pair_id}:{carol.id}",
        f"practice:met:424242:{pair_id}:{carol.id}",
    ):
        button = {"type": 2, "style": 1, "label": "We met", "custom_id": custom_id}
        message = emu.inject_message(
            emu.dm_channel(carol).id, components=[{"type": 1, "components": [button]}]
        )
        reply = await driver.click(message, "We met", user=carol)
        assert reply.ephemeral and "isn't about a practice pair of yours" in reply.text
    assert not bot.stores.pool.exists("guilds", 424242)
    async with bot.stores.guild(guild.id) as store:
        pair = await store.practice_pair(int(pair_id))
    assert pair.met_at is None and all(m.answer is None for m in pair.members)


async def test_a_partner_is_told_when_an_introduction_cannot_reach_its_member(
    driver, emu, bot, alice, bob, officer, guild
):
    await join(driver, guild, alice, bob)
    emu.close_dms(bob)
    await round_now(driver, officer, guild)
    await settle(bot)
    assert intros(emu, bob) == []
    (notice,) = [m for m in bot_dms(emu, alice) if "Heads-up" in m.text]
    assert f"<@{bob.id}>" in notice.text and "Reach them in the server" in notice.text
    assert len(intros(emu, alice)) == 1


async def test_my_data_export_and_delete_include_practice(
    driver, emu, bot, alice, bob, officer, guild
):
    await join(driver, guild, alice, bob)
    await round_now(driver, officer, guild)
    await settle(bot)
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    data = json.loads(dict(reply.files)["mydata.json"])
    assert [row["server_id"] for row in data["practice_signup"]] == [guild.id]
    assert [row["partners"] for row in data["practice_pairs"]] == ["bob"]
    prompt = await driver.run("/mydata delete", user=alice, guild=guild)
    await driver.click(prompt, "Delete everything", user=alice)
    await emu.wait_for(lambda: not bot.stores.pool.exists("users", alice.id), 10)
    async with bot.stores.guild(guild.id) as store:
        assert await store.practice_member(alice.id) is None
        assert (await store.practice_marks(alice.id))["practice_pairs"] == []


# -- restarts --------------------------------------------------------------------------


async def test_a_restart_between_pairing_and_check_back_sends_each_check_back_once(
    driver, emu, bot, settings, clock, alice, bob, carol, officer, guild
):
    members = (alice, bob, carol)
    await join(driver, guild, *members)
    await schedule(driver, officer, guild)
    clock.advance(hours=1)
    await settle(bot)
    assert all(len(intros(emu, user)) == 1 for user in members)
    await bot.close()
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    async with running_bot(restarted, emu):
        clock.advance(days=5)
        await settle(restarted)
        clock.advance(hours=1)
        await settle(restarted)
        for user in members:
            assert len(checkbacks(emu, user)) == 1, user.name
            assert len(intros(emu, user)) == 1, user.name


async def test_a_round_overdue_at_start_up_runs_once_late(
    driver, emu, bot, settings, clock, alice, bob, officer, guild
):
    await join(driver, guild, alice, bob)
    await schedule(driver, officer, guild)
    await bot.close()
    clock.advance(hours=3)  # the round fell due while the bot was down
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    async with running_bot(restarted, emu):
        await settle(restarted)
        clock.advance(minutes=10)
        await settle(restarted)
        assert len(intros(emu, alice)) == 1 and len(intros(emu, bob)) == 1
        assert len(await rounds(restarted, guild)) == 1
        after = await the_schedule(restarted, guild)
        assert after.next_round_at == FIRST_ROUND + timedelta(weeks=1)
