"""The operator's commands as real processes (`python -m bot backup|restore|check|health`),
against stores being written and against the running bot (`python -m bot` with the
emulator): an online backup restores whole, a live DATA_DIR is never restored over, the
heartbeat and the metrics endpoint say what the bot is doing."""

from __future__ import annotations

import asyncio
import json
import socket

import aiohttp

from bot import metrics, version
from bot.clock import Clock
from bot.emulator.driver import Driver
from bot.health import HEARTBEAT_FILE
from bot.store import Stores
from bot.store.pool import StorePool
from tests.support.e2e import add_prospect
from tests.support.operations import (
    damage,
    free_port,
    run_cli,
    sample,
    units_in,
    write_unit,
)
from tests.support.process import START_TIMEOUT, kill, start_bot, stop_bot, wait_until

MEMBERS = range(2001, 2009)
UNITS_BEFORE = 150


async def test_a_backup_taken_while_members_write_restores_every_store_whole(tmp_path):
    """Eight members' stores are written without pause (a prospect, a meeting and its
    reminder per transaction) while `backup` copies them: the copy restores into a fresh
    DATA_DIR where every store is sound, holds only whole transactions, and has what
    was committed before the backup began and some of what came while it ran."""
    live, copy, fresh = tmp_path / "live", tmp_path / "copy", tmp_path / "fresh"
    clock = Clock()
    stores = Stores(StorePool(live, clock))
    written = dict.fromkeys(MEMBERS, 0)
    stop = asyncio.Event()

    async def write_one(user_id: int) -> None:
        async with stores.member(user_id) as store:
            await write_unit(store, written[user_id], clock.now())
        written[user_id] += 1

    async def writer() -> None:
        while not stop.is_set():
            for user_id in MEMBERS:
                await write_one(user_id)
            await asyncio.sleep(0)

    try:
        for _ in range(UNITS_BEFORE):
            for user_id in MEMBERS:
                await write_one(user_id)
        before = dict(written)
        writing = asyncio.create_task(writer())
        try:
            ran = await run_cli("backup", str(copy), data_dir=live)
        finally:
            stop.set()
            await writing
        after = dict(written)
    finally:
        await stores.close()
    assert ran.code == 0, ran
    assert f"Backed up {len(MEMBERS)} member stores" in ran.out
    assert sum(after.values()) > sum(before.values()), "members wrote during the backup"

    fresh.mkdir()
    restored = await run_cli("restore", str(copy), data_dir=fresh)
    assert restored.code == 0, restored
    checked = await run_cli("check", data_dir=fresh)
    assert checked.code == 0, checked.out
    assert f"Integrity: {len(MEMBERS)} of {len(MEMBERS)} files sound." in checked.out

    stores = Stores(StorePool(fresh, clock))
    try:
        found = {user_id: await units_in(stores, user_id) for user_id in MEMBERS}
    finally:
        await stores.close()
    for user_id, (prospects, meetings, reminders) in found.items():
        assert prospects == meetings == reminders, "whole transactions only"
        assert before[user_id] <= prospects <= after[user_id]
    assert sum(p for p, _, _ in found.values()) > sum(before.values()), "a live copy"


async def test_check_finds_a_damaged_store_and_exits_non_zero(tmp_path):
    clock = Clock()
    stores = Stores(StorePool(tmp_path, clock))
    try:
        for user_id in MEMBERS[:2]:
            async with stores.member(user_id) as store:
                for n in range(40):
                    await write_unit(store, n, clock.now())
    finally:
        await stores.close()
    sound = await run_cli("check", data_dir=tmp_path)
    assert sound.code == 0 and "No problems found." in sound.out, sound

    damage(tmp_path / "users" / f"{MEMBERS[1]}.sqlite3", "prospects")
    ran = await run_cli("check", data_dir=tmp_path)
    assert ran.code == 1, ran
    assert f"users/{MEMBERS[1]}.sqlite3: " in ran.out
    assert ran.out.rstrip().endswith("1 problem found.")


async def test_the_running_bot_beats_serves_metrics_and_keeps_its_data_dir(
    emu, guild, alice, bob, tmp_path
):
    """While the bot runs: `health` says healthy, systemd hears READY=1 and the watchdog's
    pings, the metrics endpoint counts the commands members ran, a second bot and a
    restore on its DATA_DIR are refused, and a backup made meanwhile restores. Once it
    stops, `health` says it isn't running."""
    data_dir, log_path = tmp_path / "data", tmp_path / "bot.log"
    port = free_port()
    systemd_path = tmp_path / "notify"
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(systemd_path))
    systemd.setblocking(False)
    told: list[str] = []

    def heard(line: str) -> bool:
        while True:
            try:
                told.extend(systemd.recv(4096).decode().splitlines())
            except BlockingIOError:
                return line in told

    def connected() -> bool:
        try:
            beat = json.loads((data_dir / HEARTBEAT_FILE).read_text())
        except (OSError, ValueError):
            return False
        return beat["gateway"]["connected"] and beat["scheduler_running"]

    driver = Driver(emu, timeout=START_TIMEOUT)
    bot = await start_bot(
        emu, data_dir, log_path, METRICS_PORT=str(port), NOTIFY_SOCKET=str(systemd_path)
    )
    try:
        await emu.wait_until_connected(START_TIMEOUT)
        await wait_until(connected)
        await wait_until(lambda: heard("READY=1"))
        await wait_until(lambda: heard("WATCHDOG=1"))

        health = await run_cli("health", data_dir=data_dir)
        assert health.code == 0, health
        assert health.out.startswith("healthy: connected to Discord for ")

        for _ in range(3):
            assert "Privacy" in (await driver.run("/help", user=alice, guild=guild)).text
        await add_prospect(driver, alice, guild, "Ada Lovelace")
        refused = await driver.run("/settings timezone tz:Mars/Olympus", user=bob, guild=guild)
        assert refused.ephemeral
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/metrics") as response,
        ):
            assert response.status == 200
            scrape = await response.text()
        commands = "interview_bot_commands_total"
        assert sample(scrape, commands, command="help", outcome="ok") == 3
        assert sample(scrape, commands, command="prospect add", outcome="ok") == 1
        assert sample(scrape, commands, command="settings timezone", outcome="refused") == 1
        assert sample(scrape, "interview_bot_command_seconds_count", command="help") == 3
        assert sample(scrape, "interview_bot_open_stores") >= 1
        assert "interview_bot_reminders_pending" in scrape
        assert sample(scrape, "interview_bot_info", version=version()) == 1

        second = await run_cli(
            data_dir=data_dir,
            DISCORD_TOKEN=emu.token,
            DISCORD_API_BASE=emu.rest_base,
            DISCORD_GATEWAY_URL=emu.gateway_url,
        )
        assert second.code == 1 and "the bot is running on DATA_DIR" in second.err, second

        backed_up = await run_cli("backup", str(tmp_path / "copy"), data_dir=data_dir)
        assert backed_up.code == 0, backed_up
        refused_restore = await run_cli(
            "restore", "--force", str(tmp_path / "copy"), data_dir=data_dir
        )
        assert refused_restore.code == 1
        assert "the bot is running on DATA_DIR" in refused_restore.err
        assert refused_restore.err.count("\n") == 1

        assert await stop_bot(bot), "the bot exits on SIGTERM"
        assert heard("STOPPING=1")
    except BaseException:
        await kill(bot)
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        raise
    finally:
        systemd.close()
    assert bot.returncode == 0
    assert not (data_dir / HEARTBEAT_FILE).exists()
    stopped = await run_cli("health", data_dir=data_dir)
    assert stopped.code == 1 and "the bot isn't running" in stopped.out

    restored = await run_cli("restore", str(tmp_path / "copy"), data_dir=tmp_path / "fresh")
    assert restored.code == 0, restored
    clock = Clock()
    stores = Stores(StorePool(tmp_path / "fresh", clock))
    try:
        async with stores.member(alice.id, create=False) as store:
            assert [p.name for p in await store.prospects_named("Ada Lovelace")]
    finally:
        await stores.close()


async def test_the_metrics_count_a_reminder_from_due_to_sent(driver, bot, emu, clock, alice, guild):
    server = metrics.serve(
        free_port(),
        open_stores=lambda: bot.stores.pool.open_count,
        reminders_pending=lambda: len(bot.reminders.timers.job_ids()),
    )
    try:
        await add_prospect(driver, alice, guild)
        await driver.run(
            '/meeting schedule prospect:"Ada Lovelace" when:"2026-11-30 10:00"',
            user=alice,
            guild=guild,
        )
        clock.advance(hours=43)  # a day before: the prep DM goes
        await driver.wait_for_dms(alice, count=1, interactions=False)
        await bot.reminders.idle()
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{server.port}/metrics") as response,
        ):
            scrape = await response.text()
    finally:
        server.close()
    assert sample(scrape, "interview_bot_reminders_due_total") == 1
    assert sample(scrape, "interview_bot_reminders_sent_total", late="false") == 1
    assert sample(scrape, "interview_bot_reminders_pending") == 3, "the thank-you nudges"
    assert sample(scrape, "interview_bot_commands_total", command="meeting schedule") == 1
