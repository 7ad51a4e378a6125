"""The operator's commands, in process: backup, restore, check, the DATA_DIR lock, the
heartbeat's verdict, systemd's notifications, METRICS_PORT. (As real processes, while
the bot runs: tests/e2e/test_operations.py.)"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest

from bot import version
from bot.cli import build_parser, run_command
from bot.clock import FakeClock
from bot.config import Config, ConfigError, load_config
from bot.health import GATEWAY_GRACE, HEARTBEAT_FILE, STALE_AFTER, notify, problems
from bot.operations import (
    MANIFEST,
    DataDirBusyError,
    OperationError,
    backup,
    check,
    hold_data_dir,
)
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool
from tests.support.operations import damage, units_in, write_unit

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
ALICE, BOB = 1001, 1002


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


async def make_data(data_dir, clock, *, units: int = 3, index: bool = True) -> None:
    """Two members with `units` prospects (each with a meeting and its prep reminder), a
    server's store, and (with `index`) the reminder index as the engine keeps it."""
    stores = Stores(StorePool(data_dir, clock))
    try:
        for user_id in (ALICE, BOB):
            async with stores.member(user_id) as store:
                for n in range(units):
                    await write_unit(store, n, clock.now())
        async with stores.guild(7):
            pass
        owed = {}
        for user_id in (ALICE, BOB):
            async with stores.member(user_id) as store:
                owed[user_id] = [(r.id, r.due_at) for r in await store.pending_reminders()]
    finally:
        await stores.close()
    if index:
        due = DueIndex(data_dir)
        await due.open()
        try:
            for user_id, entries in owed.items():
                await due.put(user_id, entries)
        finally:
            await due.close()


def settings_for(data_dir) -> Config:
    return Config(data_dir=data_dir)


def run(data_dir, *argv: str) -> int:
    return run_command(build_parser().parse_args(list(argv)), settings_for(data_dir))


# -- the command line ----------------------------------------------------------------------
def test_version_is_the_installed_packages(capsys):
    with pytest.raises(SystemExit) as exit:
        build_parser().parse_args(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip().endswith(f" {version()}")
    assert version() != "unknown"  # the checkout is installed (make install: pip install -e)


def test_help_names_every_command(capsys):
    with pytest.raises(SystemExit) as exit:
        build_parser().parse_args(["--help"])
    assert exit.value.code == 0
    shown = capsys.readouterr().out
    for command in ("backup", "restore", "check", "health", "--sandbox", "--version"):
        assert command in shown


@pytest.mark.parametrize(
    "argv", [["backup"], ["restore"], ["rewind"], ["check", "a", "b"], ["--verbose"]]
)
def test_a_bad_command_line_is_one_line_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        build_parser().parse_args(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("raw", "port"), [("", None), ("9464", 9464), (" 1 ", 1), ("65535", 65535)]
)
def test_metrics_port_is_a_local_port_or_none(raw, port):
    assert load_config({"METRICS_PORT": raw}).metrics_port == port


@pytest.mark.parametrize("raw", ["0", "65536", "http", "-1", "9464.5"])
def test_a_metrics_port_that_isnt_one_is_refused_with_an_example(raw):
    with pytest.raises(ConfigError, match=r"METRICS_PORT must be a TCP port .* such as 9464"):
        load_config({"METRICS_PORT": raw})


def test_metrics_are_served_on_this_machine_alone_unless_told():
    assert load_config({}).metrics_host == "127.0.0.1"
    assert load_config({"METRICS_HOST": "0.0.0.0"}).metrics_host == "0.0.0.0"
    with pytest.raises(ConfigError, match=r"METRICS_HOST must be the IP address .*'localhost'"):
        load_config({"METRICS_HOST": "localhost"})


# -- backup and restore ----------------------------------------------------------------------
async def test_a_backup_restores_into_an_empty_data_dir(tmp_path, clock, capsys):
    live, copy, fresh = tmp_path / "live", tmp_path / "copy", tmp_path / "fresh"
    await make_data(live, clock)
    (live / "deleting").mkdir()
    (live / "deleting" / f"{BOB}.json").write_text("{}")
    assert run(live, "backup", str(copy)) == 0
    assert "2 member stores, 1 server store, the reminder index" in capsys.readouterr().out
    assert copy.stat().st_mode & 0o777 == 0o700
    manifest = json.loads((copy / MANIFEST).read_text())
    assert {entry["path"] for entry in manifest["files"]} == {
        f"users/{ALICE}.sqlite3",
        f"users/{BOB}.sqlite3",
        "guilds/7.sqlite3",
        "reminder-index.sqlite3",
        f"deleting/{BOB}.json",
    }
    assert all((copy / e["path"]).stat().st_mode & 0o777 == 0o600 for e in manifest["files"])

    fresh.mkdir()
    assert run(fresh, "restore", str(copy)) == 0
    stores = Stores(StorePool(fresh, clock))
    try:
        assert await units_in(stores, ALICE) == (3, 3, 3)
    finally:
        await stores.close()
    assert (fresh / "deleting" / f"{BOB}.json").exists(), "a deletion under way goes on"
    assert check(fresh).problems == 0


async def test_restore_refuses_a_data_dir_holding_stores_unless_forced(tmp_path, clock, capsys):
    live, copy = tmp_path / "live", tmp_path / "copy"
    await make_data(live, clock, units=2)
    backup(live, copy)
    stores = Stores(StorePool(live, clock))
    try:
        async with stores.member(ALICE) as store:
            await write_unit(store, 99, clock.now())
    finally:
        await stores.close()

    assert run(live, "restore", str(copy)) == 1
    err = capsys.readouterr().err
    assert "already holds the bot's data" in err and "--force" in err and err.count("\n") == 1
    stores = Stores(StorePool(live, clock))
    try:
        assert (await units_in(stores, ALICE))[0] == 3, "nothing changed"
    finally:
        await stores.close()

    assert run(live, "restore", "--force", str(copy)) == 0
    [aside] = live.glob("before-restore-*")
    assert f"The data it replaced is in {aside} " in capsys.readouterr().out
    stores = Stores(StorePool(live, clock))
    try:
        assert (await units_in(stores, ALICE))[0] == 2, "the backup's data"
    finally:
        await stores.close()
    assert (aside / "users" / f"{ALICE}.sqlite3").exists(), "what it replaced is kept aside"


async def test_restore_refuses_a_damaged_backup_and_restores_nothing(tmp_path, clock, capsys):
    live, copy, fresh = tmp_path / "live", tmp_path / "copy", tmp_path / "fresh"
    await make_data(live, clock, units=1)
    backup(live, copy)
    with (copy / "guilds" / "7.sqlite3").open("r+b") as file:
        file.seek(200)
        file.write(b"\x00\x01")
    fresh.mkdir()
    assert run(fresh, "restore", str(copy)) == 1
    err = capsys.readouterr().err
    assert "guilds/7.sqlite3 differs from its manifest" in err and "nothing was restored" in err
    assert not list(fresh.glob("*/*.sqlite3"))


def test_restore_names_what_isnt_a_backup(tmp_path, capsys):
    (tmp_path / "half").mkdir()
    assert run(tmp_path / "data", "restore", str(tmp_path / "half")) == 2
    assert "isn't a finished backup: it has no manifest.json" in capsys.readouterr().err
    assert run(tmp_path / "data", "restore", str(tmp_path / "nowhere")) == 2
    assert "isn't a folder" in capsys.readouterr().err


async def test_backup_wants_a_new_folder(tmp_path, clock, capsys):
    await make_data(tmp_path / "live", clock, units=1)
    (tmp_path / "taken").mkdir()
    assert run(tmp_path / "live", "backup", str(tmp_path / "taken")) == 2
    assert "already exists: back up into a new folder" in capsys.readouterr().err
    assert run(tmp_path / "live", "backup", str(tmp_path / "no" / "such")) == 2
    assert "its parent folder" in capsys.readouterr().err
    assert run(tmp_path / "missing", "backup", str(tmp_path / "b")) == 2
    assert "nothing to back up" in capsys.readouterr().err


async def test_a_store_too_damaged_to_copy_is_named_and_the_rest_backed_up(tmp_path, clock):
    live = tmp_path / "live"
    await make_data(live, clock, units=1)
    (live / "users" / f"{BOB}.sqlite3").write_bytes(b"not a database at all" * 100)
    report = backup(live, tmp_path / "copy")
    assert report.members == 1 and [name for name, _ in report.skipped] == [f"users/{BOB}.sqlite3"]
    manifest = json.loads((tmp_path / "copy" / MANIFEST).read_text())
    assert manifest["skipped"][0]["path"] == f"users/{BOB}.sqlite3"


async def test_a_store_damaged_already_is_copied_as_it_is_and_named(tmp_path, clock, capsys):
    live = tmp_path / "live"
    await make_data(live, clock, units=40)
    damage(live / "users" / f"{BOB}.sqlite3", "reminders")
    assert run(live, "backup", str(tmp_path / "copy")) == 1
    out = capsys.readouterr().out
    assert f"copied, but damaged already: users/{BOB}.sqlite3: " in out
    assert (tmp_path / "copy" / "users" / f"{BOB}.sqlite3").exists()
    assert sorted(p.name for p in (tmp_path / "copy" / "users").iterdir()) == [
        f"{ALICE}.sqlite3",
        f"{BOB}.sqlite3",
    ], "one file a store: no -wal or -shm beside the copies"


# -- the lock a running bot holds ----------------------------------------------------------
def test_one_process_holds_a_data_dir_at_a_time(tmp_path):
    with hold_data_dir(tmp_path):
        with pytest.raises(DataDirBusyError) as busy, hold_data_dir(tmp_path):
            pass
        assert busy.value.pid is not None
        assert f"pid {busy.value.pid}" in str(busy.value)
    with hold_data_dir(tmp_path):  # let go at the end of the block
        pass


async def test_restore_refuses_a_data_dir_a_bot_holds(tmp_path, clock, capsys):
    await make_data(tmp_path / "live", clock, units=1)
    backup(tmp_path / "live", tmp_path / "copy")
    (tmp_path / "other").mkdir()
    with hold_data_dir(tmp_path / "other"):
        assert run(tmp_path / "other", "restore", str(tmp_path / "copy")) == 1
    assert "the bot is running on DATA_DIR" in capsys.readouterr().err
    assert not (tmp_path / "other" / "users").exists()


# -- check -------------------------------------------------------------------------------
async def test_check_passes_sound_data(tmp_path, clock, capsys):
    await make_data(tmp_path, clock)
    assert run(tmp_path, "check") == 0
    out = capsys.readouterr().out
    assert "Integrity: 4 of 4 files sound." in out
    assert "Reminders: 6 owed; the index has every one of them." in out
    assert out.rstrip().endswith("No problems found.")


async def test_check_names_a_damaged_store(tmp_path, clock, capsys):
    await make_data(tmp_path, clock, units=40)
    damage(tmp_path / "users" / f"{BOB}.sqlite3", "reminders")
    assert run(tmp_path, "check") == 1
    out = capsys.readouterr().out
    assert f"1 damaged:\n  users/{BOB}.sqlite3: " in out
    assert "1 problem found." in out
    # Alice's reminders are still compared; Bob's entries aren't called stale.
    report = check(tmp_path)
    assert report.owed == 40 and report.stale == [] and report.unindexed == []


async def test_check_finds_the_index_out_of_step_and_changes_nothing(tmp_path, clock, capsys):
    await make_data(tmp_path, clock, units=2)
    index = DueIndex(tmp_path)
    await index.open()
    try:
        lost = sorted(await index.of_member(ALICE))[0]
        await index.remove(ALICE, [lost])
        await index.put(BOB, [(777, NOW)])
    finally:
        await index.close()
    before = {p: p.read_bytes() for p in tmp_path.glob("*/*.sqlite3")}

    assert run(tmp_path, "check") == 1
    out = capsys.readouterr().out
    assert f"not in the index: member {ALICE}, reminder {lost}" in out
    assert f"owed by no store: member {BOB}, reminder 777" in out
    assert "2 problems found." in out
    assert {p: p.read_bytes() for p in tmp_path.glob("*/*.sqlite3")} == before, "read-only"


async def test_check_reads_a_backups_folder(tmp_path, clock, capsys):
    await make_data(tmp_path / "live", clock)
    backup(tmp_path / "live", tmp_path / "copy")
    assert run(tmp_path / "elsewhere", "check", str(tmp_path / "copy")) == 0
    assert "2 member stores, 1 server store, the reminder index" in capsys.readouterr().out


def test_check_of_no_folder_is_a_bad_argument(tmp_path):
    with pytest.raises(OperationError) as error:
        check(tmp_path / "nothing")
    assert error.value.code == 2


# -- health --------------------------------------------------------------------------------
def beat(*, age=timedelta(seconds=5), connected=True, since=timedelta(hours=1), scheduler=True):
    """A heartbeat as the bot writes it, `age` old at NOW."""
    return {
        "version": "0.1.0",
        "pid": 42,
        "written_at": (NOW - age).isoformat(),
        "gateway": {"connected": connected, "since": (NOW - since).isoformat()},
        "scheduler_running": scheduler,
        "last_event_at": (NOW - timedelta(seconds=3)).isoformat(),
    }


def test_a_fresh_beat_connected_with_reminders_running_is_healthy():
    assert problems(beat(), NOW) == []


def test_a_short_reconnect_is_still_healthy():
    assert problems(beat(connected=False, since=GATEWAY_GRACE - timedelta(seconds=1)), NOW) == []


@pytest.mark.parametrize(
    ("unwell", "said"),
    [
        (beat(age=STALE_AFTER + timedelta(seconds=1)), "the bot stopped or hangs"),
        (beat(connected=False, since=GATEWAY_GRACE * 2), "not connected to Discord for 4 min"),
        (beat(scheduler=False), "the reminder scheduler isn't running"),
        ({"written_at": "yesterday"}, "can't be read"),
    ],
)
def test_what_makes_the_bot_unhealthy(unwell, said):
    assert any(said in problem for problem in problems(unwell, NOW))


def test_health_reads_the_heartbeat_file(tmp_path, capsys):
    assert run(tmp_path, "health") == 1
    assert "unhealthy: no heartbeat" in capsys.readouterr().out
    fresh = beat(age=timedelta(0))
    fresh["written_at"] = datetime.now(UTC).isoformat()
    (tmp_path / HEARTBEAT_FILE).write_text(json.dumps(fresh))
    assert run(tmp_path, "health") == 0
    assert capsys.readouterr().out.startswith("healthy: connected to Discord for ")
    (tmp_path / HEARTBEAT_FILE).write_text(json.dumps(beat(age=timedelta(days=400))))
    assert run(tmp_path, "health") == 1


def test_systemd_hears_what_the_bot_notifies(tmp_path, monkeypatch):
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        assert notify("READY=1", "STATUS=connected")
        assert systemd.recv(100) == b"READY=1\nSTATUS=connected"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert not notify("WATCHDOG=1"), "nothing to tell outside systemd"
