"""The per-member and per-server stores: migrations, bounds, corruption, concurrency."""

import asyncio
import sqlite3
import stat
import threading

import pytest

from bot.domain.names import comparable_name
from bot.store import StorePool, Stores
from bot.store.base import StoreConnection
from bot.store.pool import _migrations


async def test_migrations_bring_a_new_store_to_the_latest_version(stores, tmp_path):
    async with stores.member(42) as store:
        await store.add_prospect("Ada Lovelace")
    latest = _migrations("users")[-1][0]
    with sqlite3.connect(tmp_path / "users" / "42.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_guild_store_has_its_own_schema(stores, tmp_path):
    async with stores.guild(7) as guild:
        row = await guild.fetchone("SELECT COUNT(*) AS n FROM questions")
    assert row["n"] == 0
    assert (tmp_path / "guilds" / "7.sqlite3").exists()


async def test_stores_are_private_files_in_private_folders(stores, tmp_path):
    async with stores.member(42) as store:
        await store.add_prospect("Ada Lovelace")
    assert stat.S_IMODE((tmp_path / "users").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "users" / "42.sqlite3").stat().st_mode) == 0o600


def _sqlite_threads() -> int:
    return sum("_connection_worker_thread" in t.name for t in threading.enumerate())


async def test_open_connections_stay_bounded_with_many_members(stores):
    peak = 0
    for user_id in range(1, 101):
        async with stores.member(user_id) as store:
            await store.add_prospect(f"Person {user_id}")
        peak = max(peak, stores.pool.open_count)
    assert peak <= 8
    # A closed connection's thread exits right after its close; allow it to finish.
    for _ in range(100):
        if _sqlite_threads() <= 8:
            break
        await asyncio.sleep(0.02)
    assert _sqlite_threads() <= 8
    # Closed stores reopen with their data intact.
    async with stores.member(1) as store:
        assert [p.name for p, _ in await store.list_prospects()] == ["Person 1"]


@pytest.mark.parametrize("kind", ["users", "guilds"])
async def test_a_new_store_is_the_schema_every_migration_leaves_private_from_creation(
    stores, tmp_path, kind
):
    """New stores are copies of a template the migrations built once: the same schema
    and version as running each migration on an empty file, readable only by the bot
    from the start, and in WAL mode once opened."""
    open_store = stores.member if kind == "users" else stores.guild
    async with open_store(5) as store:
        journal = (await store.fetchone("PRAGMA journal_mode"))[0]
    path = tmp_path / kind / "5.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert journal == "wal"
    assert not list((tmp_path / kind).glob("*.creating"))

    def schema(file) -> tuple[int, list[tuple]]:
        with sqlite3.connect(file) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall()
        return version, rows

    stepwise = tmp_path / "stepwise.sqlite3"
    with sqlite3.connect(stepwise) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("comparable_name", 1, comparable_name, deterministic=True)
        for number, sql in _migrations(kind):
            conn.executescript(f"{sql}\nPRAGMA user_version = {number};")
    assert schema(path) == schema(stepwise)
    assert schema(path)[0] == _migrations(kind)[-1][0]


class HeldClose:
    """Holds the close of connections until released, noting the order of events."""

    def __init__(self, monkeypatch):
        self.release = asyncio.Event()
        self.events: list[str] = []
        close = StoreConnection.close

        async def held(conn):
            self.events.append("closing")
            await self.release.wait()
            await close(conn)
            self.events.append("closed")

        monkeypatch.setattr(StoreConnection, "close", held)


async def fill_the_pool(stores, first: int = 1) -> None:
    """Member `first` and then 8 others each use their store: `first` is evicted."""
    for user_id in range(first, first + stores.pool.max_open + 1):
        async with stores.member(user_id) as store:
            await store.add_prospect(f"Person {user_id}")


async def test_an_evicted_store_closes_in_the_background_and_reopens_after_its_close(
    stores, monkeypatch
):
    """The member whose visit evicts another store isn't kept waiting for its close;
    whoever opens that store again waits until it has closed, and finds its data."""
    held = HeldClose(monkeypatch)
    await asyncio.wait_for(fill_the_pool(stores), 5)  # never waits for the held close
    assert held.events == ["closing"] and stores.pool.open_count == 8

    async def reopen():
        async with stores.member(1) as store:
            held.events.append("reopened")
            return [p.name for p, _ in await store.list_prospects()]

    reopening = asyncio.ensure_future(reopen())
    await asyncio.sleep(0.05)
    assert held.events == ["closing"]  # still waiting for the close
    held.release.set()
    assert await reopening == ["Person 1"]
    assert held.events[:3] == ["closing", "closed", "reopened"]


async def test_deleting_a_store_waits_for_its_evicted_connection_to_close(stores, monkeypatch):
    held = HeldClose(monkeypatch)
    await fill_the_pool(stores)
    deleting = asyncio.ensure_future(stores.pool.delete("users", 1))
    await asyncio.sleep(0.05)
    assert not deleting.done() and stores.pool.exists("users", 1)
    held.release.set()
    assert await deleting
    assert held.events[:2] == ["closing", "closed"]
    assert not stores.pool.exists("users", 1)


async def test_deleting_a_store_leaves_no_file_a_crash_left_half_created(stores, tmp_path):
    async with stores.member(3) as store:
        await store.add_prospect("Ada Lovelace")
    (tmp_path / "users" / "3.sqlite3.creating").write_bytes(b"half")  # a crash mid-create
    assert await stores.pool.delete("users", 3)
    assert not [p.name for p in (tmp_path / "users").iterdir() if p.name.startswith("3.")]


async def test_shutdown_waits_for_every_evicted_connection_to_close(tmp_path, clock, monkeypatch):
    held = HeldClose(monkeypatch)
    stores = Stores(StorePool(tmp_path, clock, max_open=2))
    await fill_the_pool(stores)
    closing = asyncio.ensure_future(stores.close())
    await asyncio.sleep(0.05)
    assert not closing.done()
    held.release.set()
    await closing
    # The two open connections and the one evicted before: all closed, none left behind.
    assert held.events.count("closed") == held.events.count("closing") == 3


async def test_a_file_that_is_not_a_database_is_moved_aside(stores, tmp_path):
    users = tmp_path / "users"
    (users / "13.sqlite3").write_bytes(b"this is not sqlite" * 100)
    async with stores.member(99) as other:
        await other.add_prospect("Grace Hopper")
    async with stores.member(13) as store:
        assert await store.list_prospects() == []
        await store.add_prospect("Fresh Start")
    moved = stores.pool.take_moved_aside("users", 13)
    assert moved is not None and moved.exists()
    assert moved.read_bytes().startswith(b"this is not sqlite")
    async with stores.member(99) as other:  # nobody else affected
        assert [p.name for p, _ in await other.list_prospects()] == ["Grace Hopper"]


async def test_fifty_concurrent_writes_for_one_member_are_all_kept(stores):
    async def add(n: int) -> None:
        async with stores.member(5) as store:
            await store.add_prospect(f"Prospect {n}")

    await asyncio.gather(*(add(n) for n in range(50)))
    async with stores.member(5) as store:
        assert await store.count_prospects() == 50


async def test_a_failed_transaction_leaves_nothing_half_written(stores):
    with pytest.raises(RuntimeError):
        async with stores.member(8) as store, store.transaction():
            await store.execute(
                "INSERT INTO prospects (name, created_at, updated_at) VALUES ('A', 'x', 'x')"
            )
            raise RuntimeError("boom")
    async with stores.member(8) as store:
        assert await store.count_prospects() == 0


async def test_deleting_a_member_removes_the_file(stores, tmp_path):
    async with stores.member(21) as store:
        await store.add_prospect("Ada")
    assert await stores.delete_member(21)
    assert not (tmp_path / "users" / "21.sqlite3").exists()
    async with stores.member(21) as store:
        assert await store.count_prospects() == 0


async def test_settings_default_and_round_trip(stores):
    async with stores.member(3) as store:
        assert (await store.settings()).timezone == "UTC"
        await store.set_settings(timezone="Europe/Berlin", profile_name="Sam")
        current = await store.settings()
    assert current.timezone == "Europe/Berlin"
    assert current.profile.name == "Sam"


async def test_notices_are_shown_once(stores):
    async with stores.member(3) as store:
        await store.add_notice("Your DMs are closed", key="dm_closed")
        await store.add_notice("Your DMs are closed", key="dm_closed")
        assert await store.take_notices() == ["Your DMs are closed"]
        assert await store.take_notices() == []


async def test_an_older_store_is_migrated_forward_with_its_data(tmp_path, clock):
    first = _migrations("users")[0][1]
    users = tmp_path / "users"
    users.mkdir(mode=0o700)
    with sqlite3.connect(users / "77.sqlite3") as conn:
        conn.executescript(first)
        conn.execute(
            "INSERT INTO prospects (name, created_at, updated_at) "
            "VALUES ('Ada', '2026-11-01T10:00:00+00:00', '2026-11-01T10:00:00+00:00')"
        )
        conn.execute("PRAGMA user_version = 1")
    stores = Stores(StorePool(tmp_path, clock))
    try:
        async with stores.member(77) as store:
            names = [p.name for p, _ in await store.list_prospects()]
    finally:
        await stores.close()
    assert names == ["Ada"]
    with sqlite3.connect(users / "77.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == _migrations("users")[-1][0]


async def test_a_page_of_prospects_is_the_same_slice_of_the_whole_list(stores, clock):
    async with stores.member(42) as store:
        for n in range(20):
            stage = "emerging" if n % 3 else None
            prospect = await store.add_prospect(f"Person {n:02d}", stage=stage)
            if n % 4 == 0:
                async with store.transaction():
                    await store.add_outreach(prospect.id, sent_at=clock.now())
        for filters in ({}, {"stage": "emerging"}, {"status": "contacted"}, {"status": "met"}):
            whole = await store.list_prospects(**filters)
            paged = []
            for offset in range(0, 24, 8):
                total, page = await store.prospect_page(**filters, offset=offset, limit=8)
                assert total == len(whole)
                paged += page
            assert paged == whole, filters
        assert await store.prospect_page(offset=40, limit=8) == (20, [])
