"""The check-in, referrer and digest rows in a member's store: migration 0004 keeps every
reminder, admits the digest (about no meeting), and the store's units of work plan, move
and end these rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain.models import DigestTime, Settings
from bot.store import StorePool, Stores
from bot.store.pool import _migrations
from tests.support.stores import member_store_at

START = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday


async def test_migration_4_keeps_every_reminder_and_admits_the_digest(tmp_path, clock):
    users = tmp_path / "users"
    stamp = "2026-11-01T10:00:00+00:00"
    with member_store_at(tmp_path, 77, 3) as conn:
        conn.execute(
            "INSERT INTO prospects (id, name, created_at, updated_at) VALUES (1, 'Ada', ?, ?)",
            (stamp, stamp),
        )
        conn.execute(
            "INSERT INTO meetings (id, prospect_id, starts_at, created_at) VALUES (5, 1, ?, ?)",
            (stamp, stamp),
        )
        conn.execute(
            "INSERT INTO reminders (id, kind, meeting_id, due_at, state, attempts, message_id, "
            "created_at, updated_at, tried_at, tried_prints) "
            "VALUES (9, 'thanks', 5, ?, 'sent', 2, 1234, ?, ?, ?, 'abc def')",
            (stamp, stamp, stamp, stamp),
        )
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(77) as store:
            kept = await store.get_reminder(9)
            digest_due = await store.schedule_digest(Settings(digest=DigestTime(0, time(9))))
    finally:
        await stores.close()
    assert kept is not None
    assert (kept.kind, kept.subject_id, kept.state, kept.attempts, kept.message_id) == (
        "thanks",
        5,
        "sent",
        2,
        1234,
    )
    assert digest_due == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with sqlite3.connect(users / "77.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == _migrations("users")[-1][0]
        assert conn.execute("SELECT tried_prints FROM reminders WHERE id = 9").fetchone() == (
            "abc def",
        )
        # The rules still hold: a meeting's reminder names its meeting, a digest none.
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO reminders (kind, due_at, created_at, updated_at) "
                "VALUES ('checkin', ?, ?, ?)",
                (stamp, stamp, stamp),
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO reminders (kind, meeting_id, due_at, created_at, updated_at) "
                "VALUES ('digest', 5, ?, ?, ?)",
                (stamp, stamp, stamp),
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO reminders (kind, meeting_id, due_at, created_at, updated_at) "
                "VALUES ('birthday', 5, ?, ?, ?)",
                (stamp, stamp, stamp),
            )
        indexes = {row[1] for row in conn.execute("PRAGMA index_list('reminders')")}
        assert {"reminders_due", "reminders_meeting", "reminders_outreach"} <= indexes


async def thanked_meeting(store, *, referred_by=None, name="Ada Lovelace"):
    prospect = await store.add_prospect(name)
    if referred_by is not None:
        await store.execute(
            "UPDATE prospects SET referred_by = ? WHERE id = ?", (referred_by, prospect.id)
        )
    async with store.transaction():
        meeting = await store.add_meeting(prospect.id, store.now() - timedelta(hours=3))
        await store.mark_thanked(meeting.id, "email")
    return prospect, meeting


async def owed(store, kind):
    return [r for r in await store.pending_reminders() if r.kind == kind]


async def test_a_thank_you_plans_the_check_in_and_the_referrer_nudge_once(stores, clock):
    async with stores.member(1) as store:
        grace = await store.add_prospect("Grace Hopper")
        ada, first = await thanked_meeting(store, referred_by=grace.id)
        planned = await store.plan_keeping_in_touch(first.id, checkin_weeks=6)
        assert planned == {
            "checkin": clock.now() + timedelta(weeks=6),
            "referrer": clock.now() + timedelta(days=1),
        }
        # A second meeting with Ada, thanked too: another check-in, no second word to Grace.
        async with store.transaction():
            second = await store.add_meeting(ada.id, clock.now() - timedelta(hours=1))
            await store.mark_thanked(second.id, "email")
        assert list(await store.plan_keeping_in_touch(second.id, checkin_weeks=6)) == ["checkin"]
        assert len(await owed(store, "checkin")) == 2
        assert len(await owed(store, "referrer")) == 1


async def test_no_check_in_when_turned_off_and_none_for_an_unthanked_meeting(stores, clock):
    async with stores.member(1) as store:
        _, meeting = await thanked_meeting(store)
        assert await store.plan_keeping_in_touch(meeting.id, checkin_weeks=0) == {}
        prospect = await store.add_prospect("Grace Hopper")
        unthanked = await store.add_meeting(prospect.id, clock.now() - timedelta(hours=1))
        assert await store.plan_keeping_in_touch(unthanked.id, checkin_weeks=6) == {}
        assert await store.pending_reminders() == []


async def test_changing_check_in_weeks_moves_or_cancels_those_still_owed(stores, clock):
    async with stores.member(1) as store:
        _, meeting = await thanked_meeting(store)
        thanked_at = clock.now()
        await store.plan_keeping_in_touch(meeting.id, checkin_weeks=6)
        clock.advance(days=10)
        await store.retime_checkins(2)
        (checkin,) = await owed(store, "checkin")
        assert checkin.due_at == thanked_at + timedelta(weeks=2)
        await store.retime_checkins(1)  # already past: it comes now
        (checkin,) = await owed(store, "checkin")
        assert checkin.due_at == clock.now()
        await store.retime_checkins(0)
        assert await owed(store, "checkin") == []


async def test_later_replaces_what_is_owed_and_done_ends_it(stores, clock):
    async with stores.member(1) as store:
        _, meeting = await thanked_meeting(store)
        await store.plan_keeping_in_touch(meeting.id, checkin_weeks=6)
        later = clock.now() + timedelta(days=7)
        assert await store.snooze_keeping_in_touch("checkin", meeting.id, later)
        (checkin,) = await owed(store, "checkin")
        assert (checkin.due_at, checkin.step) == (later, 1)
        assert await store.end_keeping_in_touch("checkin", meeting.id)
        assert await owed(store, "checkin") == []
        # Ids not in this store, or kinds that aren't these nudges, change nothing.
        assert not await store.end_keeping_in_touch("checkin", 999)
        assert not await store.snooze_keeping_in_touch("thanks", meeting.id, later)


async def test_one_digest_is_owed_at_a_time(stores, clock):
    monday_9 = Settings(digest=DigestTime(0, time(9)), timezone="America/New_York")
    async with stores.member(1) as store:
        first = await store.schedule_digest(monday_9)
        assert first == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
        assert await store.schedule_digest(monday_9) == first  # replaced, not added
        assert await store.ensure_next_digest(monday_9) == first  # one is owed already
        (row,) = await owed(store, "digest")
        assert (row.due_at, row.subject_id) == (first, 0)
        assert await store.schedule_digest(Settings()) is None  # off
        assert await owed(store, "digest") == []


async def test_the_weeks_wins(stores, clock):
    async with stores.member(1) as store:
        await thanked_meeting(store, name="Ada Lovelace")
        old = await store.add_prospect("Old Friend")
        await store.add_meeting(old.id, clock.now() - timedelta(days=9))
        met, thanked = await store.wins_since(clock.now() - timedelta(days=7))
    assert [w.name for w in met] == ["Ada Lovelace"]
    assert [w.name for w in thanked] == ["Ada Lovelace"]
