"""A server's club network in its store: listings, requests and their caps, answers and
what each owes members through the outbox, lapsing, blocks, and /mydata."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.domain.models import Stage
from bot.domain.network import Answer, Refusal, RequestStatus, Share
from bot.store import PROSPECT, StorePool, Stores
from bot.store.network import ANSWER_STEP, EXPIRY_STEP
from bot.store.pool import _migrations

GUILD = 7
ALICE, BOB, CAROL, DAVE, ERIN = 11, 12, 13, 14, 15
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MESSAGE = "Would you have 20 minutes to tell me how you got into data science?"


async def list_member(stores, user_id, name, **given):
    values = {
        "display_name": name,
        "role": "Analyst",
        "organization": "Acme",
        "fields": ("Data Science",),
        "stage": Stage.MID_CAREER,
        "monthly_limit": 2,
        "share": Share.NOTHING,
        "contact": None,
    } | given
    async with stores.guild(GUILD) as g:
        return await g.put_listing(user_id, **values)


async def posts(stores):
    async with stores.guild(GUILD) as g:
        return [(p.user_id, p.kind, p.step) for p in await g.posts()]


async def test_a_listing_is_replaced_whole_and_joining_again_ends_a_pause(stores):
    await list_member(stores, ALICE, "alice")
    async with stores.guild(GUILD) as g:
        assert await g.pause_listing(ALICE, None)
        assert (await g.get_listing(ALICE)).is_paused(NOW)
        assert not await g.pause_listing(BOB, None)  # not listed
    listing = await list_member(stores, ALICE, "Alice A.", organization="Globex")
    assert (listing.display_name, listing.organization, listing.paused) == (
        "Alice A.",
        "Globex",
        False,
    )


async def test_a_contact_is_kept_only_when_something_is_shared(stores):
    listing = await list_member(stores, ALICE, "alice", contact="a@example.org")
    assert listing.contact is None
    listing = await list_member(stores, ALICE, "alice", share=Share.EMAIL, contact="a@example.org")
    assert listing.contact == "a@example.org"


async def test_asking_owes_the_listed_person_the_request_and_the_asker_its_expiry(stores):
    await list_member(stores, ALICE, "alice")
    async with stores.guild(GUILD) as g:
        request = await g.ask(BOB, "bob", ALICE, MESSAGE)
    assert request.status is RequestStatus.OPEN
    assert request.expires_at == NOW + timedelta(days=7)
    assert await posts(stores) == [
        (ALICE, "network-ask", 0),
        (BOB, "network-answer", EXPIRY_STEP),
    ]


async def test_the_caps_are_checked_inside_the_transaction(stores):
    await list_member(stores, ALICE, "alice", monthly_limit=1)
    for member, name in ((CAROL, "carol"), (DAVE, "dave"), (ERIN, "erin")):
        await list_member(stores, member, name, monthly_limit=5)
    async with stores.guild(GUILD) as g:
        assert await g.ask(ALICE, "alice", ALICE, MESSAGE) is Refusal.SELF
        assert not isinstance(await g.ask(BOB, "bob", ALICE, MESSAGE), Refusal)
        assert await g.ask(BOB, "bob", ALICE, MESSAGE) is Refusal.PAIR_OPEN
        assert await g.ask(CAROL, "carol", ALICE, MESSAGE) is Refusal.NOT_LISTED  # at its limit
        assert await g.ask(BOB, "bob", 999, MESSAGE) is Refusal.NOT_LISTED
        for member in (CAROL, DAVE):
            assert not isinstance(await g.ask(BOB, "bob", member, MESSAGE), Refusal)
        assert await g.ask(BOB, "bob", ERIN, MESSAGE) is Refusal.TOO_MANY_OPEN
        assert await g.hidden_from(DAVE) == {ALICE}


async def test_the_monthly_limit_counts_this_utc_month_only(stores, clock):
    await list_member(stores, ALICE, "alice", monthly_limit=1)
    async with stores.guild(GUILD) as g:
        await g.ask(BOB, "bob", ALICE, MESSAGE)
        assert await g.received_this_month(ALICE) == 1
    clock.advance(days=4)  # December
    async with stores.guild(GUILD) as g:
        assert await g.received_this_month(ALICE) == 0
        assert await g.hidden_from(CAROL) == set()


async def test_accepting_owes_the_answer_the_introduction_and_a_prospect(stores, clock):
    await list_member(
        stores, ALICE, "alice", share=Share.LINKEDIN, contact="https://www.linkedin.com/in/alice"
    )
    async with stores.guild(GUILD) as g:
        request = await g.ask(BOB, "bob", ALICE, MESSAGE)
        await g.handed_over([p.id for p in await g.posts()])
        clock.advance(hours=2)
        assert await g.answer(request.id, BOB, Answer.ACCEPT) is None  # not addressed to him
        answered, changed = await g.answer(request.id, ALICE, Answer.ACCEPT)
        assert changed and answered.status is RequestStatus.ACCEPTED
        assert (await g.answer(request.id, ALICE, Answer.DECLINE))[1] is False
        posted = await g.posts()
    assert [(p.user_id, p.kind, p.step) for p in posted] == [
        (BOB, "network-answer", ANSWER_STEP),
        (ALICE, "network-intro", 0),
        (BOB, PROSPECT, 0),
    ]
    payload = posted[2].payload
    assert (payload["name"], payload["organization"], payload["linkedin"]) == (
        "alice",
        "Acme",
        "https://www.linkedin.com/in/alice",
    )
    assert payload["accepted_at"] == (NOW + timedelta(hours=2)).isoformat()


async def test_a_request_lapses_after_seven_days_and_frees_the_pair(stores, clock):
    await list_member(stores, ALICE, "alice", monthly_limit=5)
    async with stores.guild(GUILD) as g:
        request = await g.ask(BOB, "bob", ALICE, MESSAGE)
    clock.advance(days=7)
    async with stores.guild(GUILD) as g:
        assert (await g.get_request(request.id)).status is RequestStatus.EXPIRED
        assert await g.open_requests_of(BOB) == ([], [])
        assert (await g.answer(request.id, ALICE, Answer.ACCEPT))[1] is False
        again = await g.ask(BOB, "bob", ALICE, MESSAGE)
    assert not isinstance(again, Refusal)


async def test_a_blocked_askers_request_is_kept_silent(stores):
    await list_member(stores, ALICE, "alice", monthly_limit=5)
    async with stores.guild(GUILD) as g:
        first = await g.ask(BOB, "bob", ALICE, MESSAGE)
        await g.answer(first.id, ALICE, Answer.BLOCK)
        assert await g.hidden_from(BOB) == {ALICE}
        await g.handed_over([p.id for p in await g.posts()])
        second = await g.ask(BOB, "bob", ALICE, MESSAGE)
        assert second.silent
        # Never delivered, not among hers, not answerable, and not counted against her.
        assert [(p.user_id, p.kind, p.step) for p in await g.posts()] == [
            (BOB, "network-answer", EXPIRY_STEP)
        ]
        assert (await g.open_requests_of(ALICE))[1] == []
        assert await g.answer(second.id, ALICE, Answer.ACCEPT) is None
        assert await g.received_this_month(ALICE) == 1


async def test_leaving_closes_open_requests_and_owes_each_asker_an_answer(stores):
    await list_member(stores, ALICE, "alice", monthly_limit=5)
    async with stores.guild(GUILD) as g:
        for asker in (BOB, CAROL):
            await g.ask(asker, str(asker), ALICE, MESSAGE)
        await g.handed_over([p.id for p in await g.posts()])
        closed = await g.remove_listing(ALICE)
        assert await g.remove_listing(ALICE) is None
        assert {r.status for r in await _all(g)} == {RequestStatus.CLOSED}
    assert [c.asker_id for c in closed] == [BOB, CAROL]
    assert await posts(stores) == [
        (BOB, "network-answer", ANSWER_STEP),
        (CAROL, "network-answer", ANSWER_STEP),
    ]


async def _all(g):
    return [await g.get_request(i) for i in (1, 2)]


async def test_an_undelivered_request_is_closed_once(stores):
    await list_member(stores, ALICE, "alice")
    async with stores.guild(GUILD) as g:
        request = await g.ask(BOB, "bob", ALICE, MESSAGE)
        assert (await g.undelivered(request.id)).status is RequestStatus.UNDELIVERED
        assert await g.undelivered(request.id) is None
        assert await g.received_this_month(ALICE) == 0


async def test_marks_and_forgetting_a_member(stores):
    await list_member(stores, ALICE, "alice")
    async with stores.guild(GUILD) as g:
        request = await g.ask(BOB, "bob", ALICE, MESSAGE)
        await g.answer(request.id, ALICE, Answer.NOT_NOW)
        alice, bob = await g.network_marks(ALICE), await g.network_marks(BOB)
        assert len(alice["network_listing"]) == 1
        assert alice["network_requests"][0]["direction"] == "received"
        # The asker's copy reads a decline and a not-now alike.
        assert bob["network_requests"][0]["status"] == "not now"
        await g.forget_member(ALICE)
        assert await g.get_listing(ALICE) is None
        assert await g.get_request(request.id) is None
        assert (await g.network_marks(BOB))["network_requests"] == []


async def test_out_of_range_request_ids_are_simply_not_found(stores):
    async with stores.guild(GUILD) as g:
        assert await g.get_request(2**70) is None
        assert await g.answer(0, ALICE, Answer.ACCEPT) is None


async def test_requests_made_before_withdrawing_existed_survive_the_migration(tmp_path, clock):
    """Guild migration 5 rebuilds network_requests to allow 'withdrawn'."""
    guilds = tmp_path / "guilds"
    guilds.mkdir(mode=0o700)
    at = NOW.isoformat()
    with sqlite3.connect(guilds / f"{GUILD}.sqlite3") as conn:
        for number, sql in _migrations("guilds"):
            if number > 4:
                break
            conn.executescript(sql)
        conn.execute(
            "INSERT INTO network_requests (asker_id, listed_id, asker_name, listed_name, "
            "message, asked_at, expires_at) VALUES (1, 2, 'bob', 'alice', ?, ?, ?)",
            (MESSAGE, at, (NOW + timedelta(days=7)).isoformat()),
        )
        conn.execute("PRAGMA user_version = 4")
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.guild(GUILD) as g:
            withdrawn, changed = await g.withdraw(1, 1)
    finally:
        await stores.close()
    assert changed and withdrawn.status is RequestStatus.WITHDRAWN
    assert withdrawn.message == MESSAGE
