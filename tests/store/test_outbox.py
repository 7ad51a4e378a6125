"""A server's outbox: what its club network owes members reaches their own stores once,
and the migration that made room for it keeps every member's rows."""

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.domain.models import ProspectStatus, ReminderKind, Source
from bot.store import PROSPECT, StorePool, Stores
from bot.store.member import MemberStore
from tests.support.stores import member_store_at

GUILD = 7
ALICE, BOB = 712345678901234567, 712345678901234568
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


async def test_a_post_becomes_a_reminder_in_the_members_store_and_leaves_the_outbox(stores):
    async with stores.guild(GUILD) as guild, guild.transaction():
        await guild.post(BOB, ReminderKind.NETWORK_ASK, 3, due_at=NOW, origin="request:3:ask")
    assert await stores.hand_over(GUILD) == 1
    async with stores.member(BOB) as bob:
        (reminder,) = await bob.pending_reminders()
    assert (reminder.kind, reminder.server_id, reminder.subject_id) == ("network-ask", GUILD, 3)
    async with stores.guild(GUILD) as guild:
        assert await guild.posts() == []
    assert await stores.hand_over(GUILD) == 0


async def test_a_post_handed_over_twice_arrives_once(stores):
    """A crash after the member's store took a post and before the outbox forgot it."""
    async with stores.guild(GUILD) as guild:
        await guild.post(BOB, ReminderKind.NETWORK_ASK, 3, due_at=NOW, origin="request:3:ask")
        (post,) = await guild.posts()
    async with stores.member(BOB) as bob:
        assert await bob.receive(post) is True
    assert await stores.hand_over(GUILD) == 0  # the outbox still had it: ignored
    async with stores.member(BOB) as bob:
        assert len(await bob.pending_reminders()) == 1


async def test_the_same_origin_posted_again_is_ignored(stores):
    async with stores.guild(GUILD) as guild:
        for _ in range(2):
            await guild.post(BOB, ReminderKind.NETWORK_ASK, 3, due_at=NOW, origin="r:3")
        assert len(await guild.posts()) == 1


async def test_an_accepted_request_becomes_a_replied_prospect_from_the_network(stores):
    fields = {
        "name": "Grace Hopper",
        "role": "Engineer",
        "organization": "Navy",
        "linkedin": "https://www.linkedin.com/in/grace",
        "asked_at": (NOW - timedelta(days=2)).isoformat(),
        "accepted_at": NOW.isoformat(),
    }
    async with stores.guild(GUILD) as guild:
        await guild.post(
            ALICE, PROSPECT, 3, due_at=NOW, origin="request:3:prospect", payload=fields
        )
    await stores.hand_over(GUILD)
    await stores.hand_over(GUILD)
    async with stores.member(ALICE) as alice:
        ((prospect, status),) = await alice.list_prospects()
    assert prospect.name == "Grace Hopper" and prospect.source is Source.NETWORK
    assert status is ProspectStatus.REPLIED


async def test_a_member_deleting_their_data_is_owed_nothing_more(stores):
    async with stores.guild(GUILD) as guild:
        await guild.post(BOB, ReminderKind.NETWORK_ASK, 3, due_at=NOW, origin="request:3:ask")
    await stores.delete_member(BOB)
    assert await stores.hand_over(GUILD) == 0
    assert not stores.pool.exists("users", BOB)


async def test_start_up_hands_over_what_any_server_still_owes(stores):
    for guild_id in (GUILD, GUILD + 1):
        async with stores.guild(guild_id) as guild:
            await guild.post(BOB, ReminderKind.NETWORK_ASK, 1, due_at=NOW, origin="r:1")
    assert await stores.hand_over_all() == 2
    async with stores.member(BOB) as bob:
        assert {r.server_id for r in await bob.pending_reminders()} == {GUILD, GUILD + 1}


async def test_rebuilding_prospects_keeps_their_outreach_and_meetings(tmp_path, clock):
    """Migration 6 rebuilds `prospects`, which outreach and meetings refer to ON DELETE
    CASCADE: with foreign keys on, dropping the old table would have deleted them."""
    at = "2026-11-01T10:00:00+00:00"
    with member_store_at(tmp_path, 77, 5) as conn:
        conn.execute(
            "INSERT INTO prospects (id, name, source, created_at, updated_at) "
            "VALUES (1, 'Ada', 'alumni', ?, ?)",
            (at, at),
        )
        conn.execute(
            "INSERT INTO outreach (prospect_id, sent_at, created_at) VALUES (1, ?, ?)", (at, at)
        )
        conn.execute(
            "INSERT INTO meetings (prospect_id, starts_at, created_at) VALUES (1, ?, ?)",
            (at, at),
        )
        conn.execute(
            "INSERT INTO reminders (kind, meeting_id, due_at, created_at, updated_at) "
            "VALUES ('thanks', 1, ?, ?, ?)",
            (at, at, at),
        )
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(77) as store:
            ((prospect, status),) = await store.list_prospects()
            reminders = await store.pending_reminders()
            foreign_keys = (await store.fetchone("PRAGMA foreign_keys"))[0]
    finally:
        await stores.close()
    assert (prospect.name, prospect.source, status) == ("Ada", Source.ALUMNI, "met")
    assert [r.kind for r in reminders] == ["thanks"]
    assert foreign_keys == 1  # back on once the migration is done


async def test_a_post_a_members_store_cannot_take_now_waits_without_failing_the_caller(
    stores, monkeypatch
):
    """The caller's own work (a request, an answer) is committed already: one member's
    store failing keeps that post in the outbox for later, and the others arrive."""
    receive = MemberStore.receive

    async def locked_for_bob(self, post):
        if self.user_id == BOB:
            raise sqlite3.OperationalError("database is locked")
        return await receive(self, post)

    async with stores.guild(GUILD) as guild:
        await guild.post(ALICE, ReminderKind.NETWORK_ANSWER, 3, due_at=NOW, origin="r:3:a")
        await guild.post(BOB, ReminderKind.NETWORK_ASK, 3, due_at=NOW, origin="r:3:ask")
    monkeypatch.setattr(MemberStore, "receive", locked_for_bob)
    assert await stores.hand_over(GUILD) == 1
    async with stores.guild(GUILD) as guild:
        assert [post.user_id for post in await guild.posts()] == [BOB]
    monkeypatch.setattr(MemberStore, "receive", receive)
    assert await stores.hand_over_all() == 1
    async with stores.member(BOB) as bob:
        assert [r.kind for r in await bob.pending_reminders()] == ["network-ask"]
