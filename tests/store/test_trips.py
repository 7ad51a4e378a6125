"""Each store call runs its statements in one go, quick ones on the event loop (a trip
to the connection's thread costs a command more than most statements take), bulk ones in
the thread; what the store keeps so commands needn't derive it each time (a prospect's
name key, its status) stays right however the rows change."""

import asyncio
import random
import sqlite3
import threading
from collections import Counter
from datetime import timedelta

import pytest

from bot.domain.models import CATEGORIES
from bot.domain.progress import DueRequests, DueThanks
from bot.store import StorePool, Stores
from bot.store.base import ts
from tests.support.stores import member_store_at


class Trips:
    """Counts a store's goes at its connection (`run`), and the calls run in the
    connection's thread."""

    def __init__(self, monkeypatch, store):
        self.count = 0
        self.threaded = 0
        run, execute = store.run, store.conn._execute

        async def counted_run(work, *, quick=False):
            self.count += 1
            return await run(work, quick=quick)

        async def counted_execute(fn, *args, **kwargs):
            self.threaded += 1
            return await execute(fn, *args, **kwargs)

        monkeypatch.setattr(store, "run", counted_run)
        monkeypatch.setattr(store.conn, "_execute", counted_execute)


async def test_a_prospect_is_added_in_one_go_commit_included_on_the_event_loop(stores, monkeypatch):
    async with stores.member(1) as store:
        trips = Trips(monkeypatch, store)
        prospect = await store.add_prospect("Ada Lovelace", organization="Acme")
        assert (trips.count, trips.threaded) == (1, 0)
        assert not store.conn.in_transaction  # committed in that go
    async with stores.member(1) as store:
        assert (await store.get_prospect(prospect.id)).organization == "Acme"


async def test_prospect_add_learns_namesakes_and_the_count_in_the_same_trip(stores, monkeypatch):
    async with stores.member(1) as store:
        ada = await store.add_prospect("Ada Lovelace")
        await store.add_prospect("Grace Hopper")
        trips = Trips(monkeypatch, store)
        added, namesakes, total = await store.add_prospect_noting("ADA lovelace", role="CTO")
        assert (trips.count, trips.threaded) == (1, 0)
    assert (added.name, added.role, [p.id for p in namesakes], total) == (
        "ADA lovelace",
        "CTO",
        [ada.id],
        3,
    )


async def test_begin_travels_with_the_first_statement_and_an_empty_transaction_costs_none(
    stores, monkeypatch
):
    async with stores.member(1) as store:
        trips = Trips(monkeypatch, store)
        async with store.transaction():
            pass
        assert trips.count == 0
        async with store.transaction():
            await store.add_prospect("Ada Lovelace")  # joins: no COMMIT of its own
            assert store.conn.in_transaction
            await store.add_prospect("Grace Hopper")
        assert trips.count == 3  # BEGIN with the first insert, the second, COMMIT


async def test_quick_work_runs_on_the_event_loop_and_bulk_work_in_the_thread(stores, monkeypatch):
    async with stores.member(1) as store:
        await store.add_prospect("Ada Lovelace")
        ran_in = []
        await store.run(lambda raw: ran_in.append(threading.get_ident()), quick=True)
        await store.run(lambda raw: ran_in.append(threading.get_ident()))
        assert ran_in[0] == threading.get_ident() != ran_in[1]
        trips = Trips(monkeypatch, store)
        assert [p.name for p in await store.search_prospects("ada")] == ["Ada Lovelace"]
        assert trips.threaded == 1  # every prospect is read: in the thread
        people = [(f"Person {n}", {"organization": "Acme"}) for n in range(500)]
        assert await store.add_prospects(people) == 500
        assert trips.threaded == 2  # an import, COMMIT included, in one trip there
        assert not store.conn.in_transaction
        assert [p.name for p in await store.prospects_named("person 499")] == ["Person 499"]


async def test_quick_work_waits_for_what_the_thread_still_has_queued(stores):
    """Work still queued for the thread (a trip whose caller was cancelled, say) runs
    before any later statement: a quick read then takes the thread too, in turn."""
    async with stores.member(1) as store:
        gate = threading.Event()

        def slow_write(raw):
            gate.wait(5)
            raw.execute("INSERT INTO settings (key, value) VALUES ('late', '1')")

        writing = asyncio.ensure_future(store.run(slow_write))
        await asyncio.sleep(0)  # queued in the thread, and blocked there
        assert not store.conn.idle
        reading = asyncio.ensure_future(store.get_setting("late"))
        await asyncio.sleep(0.01)
        assert not reading.done()  # not read on the loop ahead of the write
        gate.set()
        await writing
        assert await reading == 1
        assert store.conn.idle


async def test_a_store_locked_by_another_connection_never_holds_up_the_event_loop(stores, tmp_path):
    """Quick work never waits for a lock on the loop (an operator's tool holding the
    store would stall every member): it waits in the connection's thread instead, and
    goes through once the lock is let go."""
    async with stores.member(1) as store:
        await store.add_prospect("Ada Lovelace")
        other = sqlite3.connect(tmp_path / "users" / "1.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        try:
            adding = asyncio.ensure_future(store.add_prospect("Grace Hopper"))
            began = asyncio.get_running_loop().time()
            await asyncio.sleep(0.05)
            assert asyncio.get_running_loop().time() - began < 1  # the loop went on
            assert not adding.done()  # waiting for the lock, in the thread
        finally:
            other.execute("COMMIT")
            other.close()
        await adding
        assert await store.count_prospects() == 2


async def test_a_commit_only_appends_to_the_log_until_it_has_grown_then_it_is_copied_in(
    stores, monkeypatch, tmp_path
):
    """No commit checkpoints by itself (that syncs the disk, and would on the event
    loop); once the log passes CHECKPOINT_BYTES the store copies it in, in the thread,
    while the commit that found it so goes on."""
    path = tmp_path / "users" / "1.sqlite3"

    def in_the_file_itself() -> list[str]:
        copy = tmp_path / "copy.sqlite3"  # the store file without its log
        copy.write_bytes(path.read_bytes())
        with sqlite3.connect(copy) as conn:
            return [row[0] for row in conn.execute("SELECT name FROM prospects")]

    async with stores.member(1) as store:
        await store.add_prospect("Ada Lovelace")
        assert "Ada Lovelace" not in in_the_file_itself()
        assert store.conn.checkpointing is None
        monkeypatch.setattr("bot.store.base.CHECKPOINT_BYTES", 1)
        await store.add_prospect("Grace Hopper")
        # Queued to the thread; the commit that asked for it didn't wait for it.
        assert store.conn.checkpointing is not None and not store.conn.checkpointing.done()
        assert not store.conn.idle  # what the store does next waits its turn behind it
        await store.conn.checkpointing
        assert in_the_file_itself() == ["Ada Lovelace", "Grace Hopper"]
        assert await store.count_prospects() == 2


async def test_the_bank_is_read_once_until_the_server_store_changes(stores, monkeypatch):
    """Every prep sheet reads its server's bank: it is remembered, and read afresh after
    any change (a question added, a vote), but never remembered from a transaction that
    then rolls back."""
    async with stores.guild(1) as bank:
        first = await bank.top_questions()
        trips = Trips(monkeypatch, bank)
        assert await bank.top_questions() == first
        assert trips.count == 0
        question, added = await bank.add_question(
            "What surprised you most in your first year?", CATEGORIES[0], author_id=5
        )
        assert added and question.id in [row.id for row in await bank.top_questions()]
        await bank.toggle_vote(question.id, 7)
        assert [r.votes for r in await bank.top_questions() if r.id == question.id] == [1]
        with pytest.raises(RuntimeError):
            async with bank.transaction():
                await bank.remove_question(question.id)
                assert question.id not in [row.id for row in await bank.top_questions()]
                raise RuntimeError("rolled back")
        assert question.id in [row.id for row in await bank.top_questions()]


async def test_emptying_the_log_after_forgetting_a_member_syncs_in_the_thread(stores):
    """/mydata delete empties a server store's log (no copy of the rows stays in it):
    a checkpoint that syncs the disk, so never on the event loop."""
    async with stores.guild(1) as bank:
        await bank.top_questions()  # seeded
        ran = []
        bank.conn._conn.set_trace_callback(lambda sql: ran.append((sql, threading.get_ident())))
        try:
            await bank.forget_member(5)
        finally:
            bank.conn._conn.set_trace_callback(None)
    threads = [thread for sql, thread in ran if "wal_checkpoint(TRUNCATE)" in sql]
    assert threads and threading.get_ident() not in threads


async def test_the_write_lock_is_taken_before_the_first_read(stores, tmp_path):
    """BEGIN IMMEDIATE, though sent late, still comes before the transaction reads: a
    writer elsewhere can't slip in between the read and the write it decides."""
    async with stores.member(1) as store:
        await store.add_prospect("Ada Lovelace")
        async with store.transaction():
            assert await store.count_prospects() == 1
            other = sqlite3.connect(tmp_path / "users" / "1.sqlite3", timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            finally:
                other.close()


async def test_a_failed_one_trip_write_changes_nothing(stores):
    async with stores.member(1) as store:
        with pytest.raises(sqlite3.IntegrityError):
            await store.add_prospect("Ada Lovelace", stage="senior")  # not a stage
        assert not store.conn.in_transaction
        assert await store.count_prospects() == 0


async def test_a_write_that_touches_reminders_still_settles_them(stores, clock):
    async with stores.member(1) as store:
        prospect = await store.add_prospect("Ada Lovelace")
        async with store.transaction():
            meeting = await store.add_meeting(prospect.id, clock.now() + timedelta(days=2))
            await store.add_reminder("prep", due_at=clock.now(), meeting_id=meeting.id)
        assert [r.kind for r in await store.pending_reminders()] == ["prep"]


async def test_namesakes_are_found_by_the_kept_key_case_accents_and_renames_included(stores):
    async with stores.member(1) as store:
        ada = await store.add_prospect("Ada Lovelace")
        await store.add_prospect("Grace Hopper")
        accented = await store.add_prospect("Adá  LOVELACE 🙂")
        assert [p.id for p in await store.prospects_named("ada lovelace")] == [ada.id, accented.id]
        await store.update_prospect(accented.id, name="Ada Byron")
        assert [p.id for p in await store.prospects_named("Ada Lovelace")] == [ada.id]
        assert [p.id for p in await store.prospects_named("ADA BYRON")] == [accented.id]


async def test_a_prospect_written_by_another_tool_is_still_found_by_name(stores, tmp_path):
    async with stores.member(1) as store:
        await store.add_prospect("Grace Hopper")
    at = "2026-11-01T10:00:00+00:00"
    with sqlite3.connect(tmp_path / "users" / "1.sqlite3") as conn:  # no key kept here
        conn.execute(
            "INSERT INTO prospects (name, created_at, updated_at) VALUES ('Ada Lovelace', ?, ?)",
            (at, at),
        )
    async with stores.member(1) as store:
        assert [p.name for p in await store.prospects_named("ada lovelace")] == ["Ada Lovelace"]


async def test_migration_7_keys_every_existing_name(tmp_path, clock):
    at = "2026-11-01T10:00:00+00:00"
    with member_store_at(tmp_path, 7, 6) as conn:
        conn.execute(
            "INSERT INTO prospects (name, created_at, updated_at) VALUES ('Zoë  Ng', ?, ?)",
            (at, at),
        )
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(7) as store:
            keys = [row["name_key"] for row in await store.fetchall("SELECT * FROM prospects")]
            assert [p.name for p in await store.prospects_named("zoe ng")] == ["Zoë  Ng"]
    finally:
        await stores.close()
    assert keys == ["zoe ng"]


async def test_migration_9_keeps_the_open_request_of_every_existing_prospect(tmp_path, clock):
    at, later = "2026-11-01T10:00:00+00:00", "2026-11-05T10:00:00+00:00"
    with member_store_at(tmp_path, 7, 8) as conn:
        for n in (1, 2):
            conn.execute(
                "INSERT INTO prospects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (n, f"P{n}", at, at),
            )
        conn.executemany(
            "INSERT INTO outreach (prospect_id, sent_at, outcome, created_at) VALUES (?, ?, ?, ?)",
            [(1, at, "later", at), (1, later, None, later), (2, at, "declined", at)],
        )
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(7) as store:
            found = await store.open_requests()
    finally:
        await stores.close()
    assert [(r.prospect_name, ts(r.sent_at)) for r in found] == [("P1", later)]


async def test_progress_reads_everything_in_one_trip_as_the_separate_reads_do(
    stores, clock, monkeypatch
):
    """/progress's one-trip read, and the faster status of every prospect it counts
    with, agree with each prospect's own status and the separate reads."""
    now = clock.now()
    async with stores.member(1) as store:
        await store.set_settings(timezone="Europe/Paris")
        ids = [(await store.add_prospect(f"P{n}", stage="emerging" if n % 2 else None)).id
               for n in range(9)]  # fmt: skip
        clock.advance(minutes=1)
        async with store.transaction():
            await store.add_outreach(ids[1], sent_at=now - timedelta(days=12))  # contacted
            replied = await store.add_outreach(ids[2], sent_at=now - timedelta(days=4))
            await store.add_meeting(ids[3], now + timedelta(days=2))  # scheduled
            await store.add_meeting(ids[4], now - timedelta(hours=3))  # met, owes thanks
            thanked = await store.add_meeting(ids[5], now - timedelta(days=3), done=True)
            cancelled = await store.add_meeting(ids[6], now + timedelta(days=1))
            await store.add_outreach(ids[7], sent_at=now - timedelta(days=1))
        await store.record_reply(replied.id, "accepted", replied_at=now - timedelta(days=1))
        await store.mark_thanked(thanked.id, None)
        await store.cancel_meeting(cancelled.id)  # to-contact again
        trips = Trips(monkeypatch, store)
        board = await store.dashboard(shown=3)
        assert (trips.count, trips.threaded) == (1, 0)
        statuses = {p.id: s for p, s in await store.list_prospects()}
        assert board.settings == await store.settings()
        assert board.thanks == DueThanks.of(await store.meetings_owing_thanks(), clock.now(), 3)
        assert board.requests == DueRequests.of(await store.open_requests(), clock.now(), 3)
        assert [r.prospect_name for r in await store.open_requests()] == ["P1", "P7"]
        assert board.pipeline == await store.pipeline(shown=3)
    assert [statuses[i] for i in ids] == [
        "to-contact", "contacted", "replied", "scheduled", "met", "thanked", "to-contact",
        "contacted", "to-contact",
    ]  # fmt: skip
    counted = {}
    for (_, status), n in board.pipeline.counts.items():
        counted[status] = counted.get(status, 0) + n
    assert counted == {"to-contact": 3, "contacted": 2, "replied": 1, "scheduled": 1,
                       "met": 1, "thanked": 1}  # fmt: skip
    assert board.pipeline.counts[(None, "to-contact")] == 3  # P0, P6 (cancelled), P8
    assert [e.name for e in board.pipeline.never_contacted] == ["P0", "P6", "P8"]
    assert board.pipeline.unstaged == "P0"
    assert [m.prospect_name for m in board.thanks.oldest] == ["P4"]
    # P1's request, 12 days old, is past day 7 whatever the calendar; P7's is a day old.
    assert board.requests == DueRequests(1, [board.requests.oldest[0]], [])
    assert board.requests.oldest[0].prospect_name == "P1"


async def test_progress_finds_old_requests_and_ended_meetings_through_their_indexes(stores):
    """The dashboard's reads of open requests and meetings owing thanks go through the
    indexes member migrations 9 and 10 made for them (its SQL must match the index's)."""
    async with stores.member(1) as store:
        statements = []
        store.conn._conn.set_trace_callback(statements.append)
        try:
            await store.dashboard()
        finally:
            store.conn._conn.set_trace_callback(None)
        plans = {
            sql: " ".join(row[3] for row in await store.fetchall(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements
            if "open_since" in sql or "thanks_skipped" in sql
        }
        met = [
            " ".join(row[3] for row in await store.fetchall(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements
            if "kept_status = 'meeting'" in sql
        ]
    assert len(plans) == 6  # three reads each: how many, the oldest, the rest needed
    for sql, plan in plans.items():
        index = "prospects_open_since" if "open_since" in sql else "meetings_owing_thanks"
        assert index in plan and "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), (sql, plan)
    # The funnel splits only the prospects with a meeting, from the index of just those.
    assert len(met) == 1 and "prospects_meeting" in met[0], met


@pytest.mark.parametrize("seed", range(4))
async def test_progress_reads_only_what_it_shows_and_sums_up_as_reading_everything_would(
    stores, clock, seed
):
    """The dashboard counts ended meetings and old requests in SQL and reads only the
    few it shows, plus the requests the calendar decides: the same as every meeting
    owing thanks and every open request, summed up (DueThanks.of, DueRequests.of)."""
    rng = random.Random(seed)
    now = clock.now()
    async with stores.member(1) as store:
        ids = [(await store.add_prospect(f"P{n}")).id for n in range(40)]
        async with store.transaction():
            for prospect_id in ids[:30]:
                sent = now - timedelta(hours=rng.randrange(0, 24 * 20))
                await store.add_outreach(prospect_id, sent_at=sent)
            for prospect_id in ids[20:40]:
                starts = now - timedelta(minutes=rng.randrange(-600, 6000))
                await store.add_meeting(
                    prospect_id, starts, minutes=rng.choice([20, 45]), done=rng.random() < 0.2
                )
        for shown in (1, 3, 8):
            board = await store.dashboard(shown=shown)
            owed = await store.meetings_owing_thanks()
            assert board.thanks == DueThanks.of(owed, now, shown)
            assert board.requests == DueRequests.of(await store.open_requests(), now, shown)


async def test_a_transaction_cancelled_while_its_first_statement_waits_leaves_nothing_open(
    stores,
):
    """A statement cancelled while it waits for the connection's thread still runs there
    later, BEGIN included: the rollback must come after it, not be skipped because no
    transaction was open yet when the cancellation arrived."""
    async with stores.member(1) as store:
        gate = threading.Event()
        blocker = asyncio.ensure_future(store.run(lambda raw: gate.wait(5)))

        async def add():
            async with store.transaction():
                await store.add_prospect("Ada Lovelace")

        adding = asyncio.ensure_future(add())
        await asyncio.sleep(0)  # the insert is queued behind the blocker
        adding.cancel()
        with pytest.raises(asyncio.CancelledError):
            await adding
        gate.set()
        await blocker
        assert not store.conn.in_transaction
        assert await store.count_prospects() == 0


async def test_migration_10_counts_every_existing_prospect(tmp_path, clock):
    at = "2026-11-01T10:00:00+00:00"
    with member_store_at(tmp_path, 7, 9) as conn:
        conn.executemany(
            "INSERT INTO prospects (id, name, stage, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(1, "P1", "emerging", at, at), (2, "P2", None, at, at), (3, "P3", None, at, at)],
        )
        conn.execute(
            "INSERT INTO outreach (prospect_id, sent_at, created_at) VALUES (1, ?, ?)", (at, at)
        )
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(7) as store:
            counts = (await store.pipeline()).counts
    finally:
        await stores.close()
    assert counts == {("emerging", "contacted"): 1, (None, "to-contact"): 2}


@pytest.mark.parametrize("seed", range(8))
async def test_the_kept_counts_follow_every_change_of_prospects_and_their_records(
    stores, clock, seed
):
    """Member migration 10 keeps how many prospects have each status and stage as
    prospects are added, removed, given a stage and their records change: the funnel's
    counts always equal counting every prospect by the funnel's rules."""
    rng = random.Random(seed)
    stages = [None, "emerging", "mid-career", "established"]
    async with stores.member(1) as store:
        ids = [(await store.add_prospect(f"P{n}", stage=rng.choice(stages))).id for n in range(5)]
        for step in range(60):
            action = rng.randrange(6)
            if action == 0:
                ids.append((await store.add_prospect(f"N{step}", stage=rng.choice(stages))).id)
            elif action == 1 and len(ids) > 1:
                await store.remove_prospect(ids.pop(rng.randrange(len(ids))))
            elif action == 2:
                await store.update_prospect(rng.choice(ids), stage=rng.choice(stages))
            else:
                await change_something(store, clock, rng, rng.choice(ids))
            now = clock.now().isoformat(timespec="seconds")
            expected: Counter[tuple[str | None, str]] = Counter()
            for prospect in await store.list_prospects():
                status = reference_status(
                    await rows_of(store, "meetings", prospect[0].id),
                    await rows_of(store, "outreach", prospect[0].id),
                    now,
                )
                expected[(prospect[0].stage or None, status)] += 1
            assert dict((await store.pipeline()).counts) == dict(expected)


def reference_open_request(meetings: list[dict], outreach: list[dict]) -> str | None:
    """When a prospect's open request was sent, straight from its rows: their latest
    request, if it has no reply and no meeting (not cancelled) followed."""
    if not outreach or any(m["cancelled_at"] is None for m in meetings):
        return None
    latest = max(outreach, key=lambda o: (o["sent_at"], o["id"]))
    return latest["sent_at"] if latest["outcome"] is None else None


def reference_status(meetings: list[dict], outreach: list[dict], now: str) -> str:
    """A prospect's status straight from PRODUCT.md's funnel, from its rows."""
    live = [m for m in meetings if m["cancelled_at"] is None]
    if any(m["thanked_at"] is not None for m in meetings):
        return "thanked"
    if any(m["done"] or m["starts_at"] <= now for m in live):
        return "met"
    if live:
        return "scheduled"
    if any(o["outcome"] is not None for o in outreach):
        return "replied"
    return "contacted" if outreach else "to-contact"


async def rows_of(store, table, prospect_id):
    rows = await store.fetchall(f"SELECT * FROM {table} WHERE prospect_id = ?", (prospect_id,))
    return [dict(row) for row in rows]


async def change_something(store, clock, rng, prospect_id):
    """One random change to a prospect's records, or time passing."""
    now = clock.now()
    meetings = [m["id"] for m in await rows_of(store, "meetings", prospect_id)]
    requests = [o["id"] for o in await rows_of(store, "outreach", prospect_id)]
    action = rng.randrange(9)
    if action == 0:
        await store.add_outreach(prospect_id, sent_at=now - timedelta(days=rng.randrange(9)))
    elif action == 1 and requests:
        outcome = rng.choice(["accepted", "declined", "later"])
        await store.record_reply(rng.choice(requests), outcome, replied_at=now)
    elif action == 2 and requests:
        await store.remove_outreach(rng.choice(requests))
    elif action == 3:
        await store.add_meeting(prospect_id, now + timedelta(hours=rng.randrange(-48, 48)))
    elif action == 4 and meetings:
        await store.cancel_meeting(rng.choice(meetings))
    elif action == 5 and meetings:
        await store.mark_meeting_done(rng.choice(meetings))
    elif action == 6 and meetings:
        await store.mark_thanked(rng.choice(meetings), None)
    elif action == 7 and meetings:
        await store.move_meeting(
            rng.choice(meetings), now + timedelta(hours=rng.randrange(-24, 72))
        )
    else:
        clock.advance(hours=rng.randrange(1, 30))


@pytest.mark.parametrize("seed", range(12))
async def test_the_kept_status_follows_every_change_of_a_prospects_records(stores, clock, seed):
    """Member migration 8 keeps each prospect's status as its meetings and requests
    change (and migration 9 its open request); after any sequence of changes, and as
    time passes, it reads as the funnel's rules say, in lists, filters, counts and a
    single prospect's status."""
    rng = random.Random(seed)
    async with stores.member(1) as store:
        ids = [(await store.add_prospect(f"P{n}")).id for n in range(6)]
        for _ in range(40):
            changed = rng.choice(ids)
            await change_something(store, clock, rng, changed)
            now = clock.now().isoformat(timespec="seconds")
            expected = {
                pid: reference_status(
                    await rows_of(store, "meetings", pid),
                    await rows_of(store, "outreach", pid),
                    now,
                )
                for pid in ids
            }
            assert {p.id: s for p, s in await store.list_prospects()} == expected
            open_since = {
                pid: reference_open_request(
                    await rows_of(store, "meetings", pid), await rows_of(store, "outreach", pid)
                )
                for pid in ids
            }
            assert {r.prospect_id: ts(r.sent_at) for r in await store.open_requests()} == {
                pid: since for pid, since in open_since.items() if since is not None
            }
            assert await store.prospect_status(changed) == expected[changed]
            wanted = Counter(expected.values())
            counted: Counter[str] = Counter()
            for (_, status), n in (await store.pipeline()).counts.items():
                counted[status] += n
            assert counted == wanted
            some = rng.choice(list(expected.values()))
            total, page = await store.prospect_page(status=some, offset=0, limit=10)
            assert total == wanted[some] == len(page)
