"""A server's practice pairings in its store: sign-ups and pauses, the schedule, a round
written whole with what it owes its members, check-back answers, and a member's data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.models import ReminderKind
from bot.domain.practice import CheckBack
from bot.stats import ClubActivity

GUILD = 7
ALICE, BOB, CAROL = 712345678901234567, 712345678901234568, 712345678901234569
NAMES = {ALICE: "Alice", BOB: "Bob", CAROL: "Carol"}
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
CHECKBACK = NOW + timedelta(days=5)


async def join(stores, *users):
    async with stores.guild(GUILD) as guild:
        for user in users:
            await guild.join_practice(user, NAMES[user])


async def make_round(stores, groups):
    async with stores.guild(GUILD) as guild, guild.transaction():
        return await guild.add_practice_round(groups, NAMES, checkback_at=CHECKBACK, scheduled=True)


async def test_joining_pausing_and_leaving_decide_who_a_round_pairs(stores, clock):
    await join(stores, ALICE, BOB, CAROL)
    async with stores.guild(GUILD) as guild:
        assert await guild.join_practice(ALICE, "Alice L.") is not None  # already in
        assert await guild.pause_practice(BOB, NOW + timedelta(days=3))
        assert await guild.pause_practice(CAROL, None)
        assert [m.user_id for m in await guild.practice_pool(NOW)] == [ALICE]
        # Bob's pause ends; Carol's lasts until she joins again.
        later = NOW + timedelta(days=3)
        assert [m.user_id for m in await guild.practice_pool(later)] == [ALICE, BOB]
        await guild.join_practice(CAROL, "Carol")
        assert len(await guild.practice_pool(NOW)) == 2
        assert (await guild.practice_member(ALICE)).display_name == "Alice L."
        assert await guild.leave_practice(ALICE)
        assert not await guild.leave_practice(ALICE)
        assert not await guild.pause_practice(ALICE, None)  # not signed up
        assert [m.user_id for m in await guild.practice_pool(later)] == [BOB, CAROL]


async def test_the_schedule_is_set_moved_and_paused(stores):
    async with stores.guild(GUILD) as guild:
        assert await guild.practice_schedule() is None
        assert not await guild.move_next_round(NOW)
        await guild.set_practice_schedule(2, 0, 18, "Europe/Madrid", NOW + timedelta(days=3))
        schedule = await guild.practice_schedule()
        assert (schedule.every, schedule.weekday, schedule.hour) == (2, 0, 18)
        assert schedule.timezone == "Europe/Madrid"
        assert schedule.next_round_at == NOW + timedelta(days=3)
        assert await guild.move_next_round(None)
        assert (await guild.practice_schedule()).next_round_at is None


async def test_a_round_posts_each_member_an_introduction_and_a_check_back(stores, clock):
    await join(stores, ALICE, BOB, CAROL)
    (pair_id,) = await make_round(stores, [(ALICE, BOB, CAROL)])
    async with stores.guild(GUILD) as guild:
        posts = await guild.posts()
        pair = await guild.practice_pair(pair_id)
        assert [g for g in await guild.recent_practice_groups()] == [[(ALICE, BOB, CAROL)]]
    assert sorted((p.user_id, p.kind, p.due_at) for p in posts) == sorted(
        [(user, ReminderKind.PRACTICE_INTRO, NOW) for user in NAMES]
        + [(user, ReminderKind.PRACTICE_CHECKBACK, CHECKBACK) for user in NAMES]
    )
    assert {p.subject for p in posts} == {pair_id}
    assert [m.display_name for m in pair.partners(ALICE)] == ["Bob", "Carol"]
    assert (pair.started_at, pair.checkback_at) == (NOW, CHECKBACK)
    assert await stores.hand_over(GUILD) == 6
    (month, *_) = await ClubActivity(stores, clock).monthly(GUILD)
    assert month.practice_pairs == 1


async def test_a_round_cut_short_leaves_nothing_behind(stores):
    await join(stores, ALICE, BOB)
    with pytest.raises(RuntimeError):
        async with stores.guild(GUILD) as guild, guild.transaction():
            await guild.add_practice_round(
                [(ALICE, BOB)], NAMES, checkback_at=CHECKBACK, scheduled=True
            )
            raise RuntimeError("the bot stopped")
    async with stores.guild(GUILD) as guild:
        assert await guild.posts() == []
        assert await guild.recent_practice_groups() == []


async def test_recent_groups_are_the_last_three_rounds_newest_first(stores):
    await join(stores, ALICE, BOB, CAROL)
    for groups in ([(ALICE, BOB)], [(ALICE, CAROL)], [(BOB, CAROL)], [(ALICE, BOB)]):
        await make_round(stores, groups)
    async with stores.guild(GUILD) as guild:
        recent = await guild.recent_practice_groups()
    assert recent == [[(ALICE, BOB)], [(BOB, CAROL)], [(ALICE, CAROL)]]


async def test_met_is_counted_once_per_pair_and_only_a_member_can_answer(stores, clock):
    await join(stores, ALICE, BOB)
    (pair_id,) = await make_round(stores, [(ALICE, BOB)])
    async with stores.guild(GUILD) as guild:
        assert await guild.answer_checkback(pair_id, CAROL, CheckBack.MET) is None
        assert await guild.answer_checkback(pair_id + 1, ALICE, CheckBack.MET) is None
        pair = await guild.answer_checkback(pair_id, ALICE, CheckBack.NOT_YET)
        assert pair.member(ALICE).answer is CheckBack.NOT_YET and pair.met_at is None
        await guild.answer_checkback(pair_id, ALICE, CheckBack.MET)
        pair = await guild.answer_checkback(pair_id, BOB, CheckBack.MET)
        assert pair.met_at == NOW
    (month, *_) = await ClubActivity(stores, clock).monthly(GUILD)
    assert (month.practice_pairs, month.practice_met, month.active_members) == (1, 1, 0)


async def test_an_undelivered_introduction_is_noted_once(stores):
    await join(stores, ALICE, BOB)
    (pair_id,) = await make_round(stores, [(ALICE, BOB)])
    async with stores.guild(GUILD) as guild:
        pair = await guild.note_intro_undelivered(pair_id, BOB)
        assert pair.member(BOB).dms_closed and not pair.member(ALICE).dms_closed
        assert await guild.note_intro_undelivered(pair_id, BOB) is None
        assert await guild.note_intro_undelivered(pair_id, CAROL) is None


async def test_a_members_practice_is_exported_and_forgotten_in_every_server(stores):
    await join(stores, ALICE, BOB)
    (pair_id,) = await make_round(stores, [(ALICE, BOB)])
    async with stores.guild(GUILD) as guild:
        await guild.answer_checkback(pair_id, ALICE, CheckBack.SKIP)
    marks = await stores.member_marks(ALICE)
    ((signup,), (pair,)) = marks["practice_signup"], marks["practice_pairs"]
    assert signup["server_id"] == GUILD and signup["display_name"] == "Alice"
    assert (pair["pair_id"], pair["partners"], pair["answer"]) == (pair_id, "Bob", "skip")
    await stores.hand_over(GUILD)
    await stores.delete_member(ALICE)
    async with stores.guild(GUILD) as guild:
        assert await guild.practice_member(ALICE) is None
        pair = await guild.practice_pair(pair_id)
        assert [m.user_id for m in pair.members] == [BOB]
    marks = await stores.member_marks(ALICE)
    assert marks["practice_signup"] == [] and marks["practice_pairs"] == []
