"""A crash never loses a reminder and never sends one twice.

The real bot runs as a subprocess (`python -m bot`) against the in-process emulator.
Members' stores hold several thank-you and prep nudges that are already due. The bot
is killed with SIGKILL as soon as its first DM lands, while the other nudges are
claimed and on their way (Discord is answering them with 429s), then started again
on the same data. Every nudge must reach its member exactly once: the emulator keeps
every message it created and, like Discord, answers a repeated nonce with the
earlier message instead of a new one.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.emulator.driver import Driver
from bot.reminders.delivery import nonce_for
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


async def write_due_nudges(data_dir: Path, alice_id: int, bob_id: int) -> dict[int, list[int]]:
    """Meetings with due nudges in two members' stores. Alice's are also in the index
    (start-up schedules them from it); Bob's are left for the background pass over
    the stores. Returns user id → reminder ids."""
    clock = Clock()  # the bot under test runs on real time
    now = clock.now()
    plans = {
        alice_id: [
            ("Ada Lovelace", -timedelta(hours=4), "thanks", -timedelta(hours=1)),
            ("Grace Hopper", timedelta(hours=20), "prep", -timedelta(minutes=10)),
            ("Katherine Johnson", -timedelta(hours=26), "thanks", -timedelta(hours=3)),
        ],
        bob_id: [
            ("Alan Turing", -timedelta(hours=3), "thanks", timedelta(0)),
            ("Barbara Liskov", timedelta(hours=30), "prep", -timedelta(minutes=1)),
        ],
    }
    owed: dict[int, list[int]] = {}
    indexed: list[tuple[int, datetime]] = []
    stores = Stores(StorePool(data_dir, clock))
    try:
        for user_id, meetings in plans.items():
            owed[user_id] = []
            async with stores.member(user_id) as store:
                # No quiet hours, so the test passes whatever the time of day.
                await store.set_settings(quiet_start="00:00", quiet_end="00:00")
                for name, starts_in, kind, due_in in meetings:
                    prospect = await store.add_prospect(name, organization="Analytical Engines")
                    async with store.transaction():
                        meeting = await store.add_meeting(prospect.id, now + starts_in)
                        rid = await store.add_reminder(
                            kind, due_at=now + due_in, meeting_id=meeting.id
                        )
                    owed[user_id].append(rid)
                    if user_id == alice_id:
                        indexed.append((rid, now + due_in))
    finally:
        await stores.close()
    index = DueIndex(data_dir)
    await index.open()
    try:
        await index.put(alice_id, indexed)
    finally:
        await index.close()
    return owed


async def start_bot(emu, data_dir: Path, log_path: Path) -> asyncio.subprocess.Process:
    """`python -m bot` against the emulator, logging to `log_path`."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": emu.token,
        "DATA_DIR": str(data_dir),
        "DISCORD_API_BASE": emu.rest_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "DEV_GUILD_ID": "",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    with log_path.open("ab") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log
        )


def reminder_states(data_dir: Path, user_id: int) -> dict[int, tuple[str, int | None]]:
    """reminder id → (state, message id), read straight from the member's file."""
    with sqlite3.connect(data_dir / "users" / f"{user_id}.sqlite3") as conn:
        rows = conn.execute("SELECT id, state, message_id FROM reminders").fetchall()
    return {rid: (state, message_id) for rid, state, message_id in rows}


def all_recorded(data_dir: Path, owed: dict[int, list[int]]) -> bool:
    """Whether every owed nudge is recorded as sent in its member's store."""
    return all(
        reminder_states(data_dir, user_id)[rid][0] == "sent"
        for user_id, ids in owed.items()
        for rid in ids
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_a_killed_bot_delivers_every_due_nudge_exactly_once_after_restart(
    emu, guild, alice, bob, tmp_path
):
    data_dir = tmp_path / "data"
    log_path = tmp_path / "bot.log"
    owed = await write_due_nudges(data_dir, alice.id, bob.id)
    members = {alice.id: alice, bob.id: bob}
    expected = sum(len(ids) for ids in owed.values())
    driver = Driver(emu, timeout=START_TIMEOUT)

    def delivered() -> int:
        return sum(len(emu.dms(user, interactions=False)) for user in members.values())

    # After the first DM, Discord answers every other DM with a global 429, so the bot
    # is holding the rest of the nudges, claimed, when it is killed.
    emu.set_rate_limit(
        lambda method, path: method == "POST" and path.endswith("/messages") and delivered() >= 1,
        retry_after=5,
    )
    first = await start_bot(emu, data_dir, log_path)
    try:
        await emu.wait_for(lambda: delivered() >= 1, START_TIMEOUT)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert first.returncode == -signal.SIGKILL
    assert 1 <= delivered() < expected, "the crash should interrupt the deliveries"
    left = [state for user_id in owed for state, _ in reminder_states(data_dir, user_id).values()]
    assert "sending" in left, f"some nudge should be caught mid-send: {left}"

    emu.set_rate_limit(None)
    second = await start_bot(emu, data_dir, log_path)
    try:
        for user_id, ids in owed.items():
            await driver.wait_for_dms(
                members[user_id], len(ids), timeout=START_TIMEOUT, interactions=False
            )
        async with asyncio.timeout(START_TIMEOUT):
            while not all_recorded(data_dir, owed):
                await asyncio.sleep(0.05)  # the bot records a send just after Discord answers
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(second.wait(), STOP_TIMEOUT)
        except TimeoutError:
            pytest.fail(f"the bot did not exit within {STOP_TIMEOUT}s of SIGTERM")
    except BaseException:
        if second.returncode is None:
            second.kill()
            await second.wait()
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        raise

    for user_id, ids in owed.items():
        dms = emu.dms(members[user_id], interactions=False)
        nonces = Counter(message.nonce for message in dms)
        assert nonces == Counter(nonce_for(user_id, rid) for rid in ids), (
            f"each nudge exactly once to {members[user_id].name}: "
            + "; ".join(repr(m.text[:60]) for m in dms)
        )
        by_nonce = {message.nonce: message.id for message in dms}
        states = reminder_states(data_dir, user_id)
        for rid in ids:
            assert states[rid] == ("sent", by_nonce[nonce_for(user_id, rid)])
    assert emu.violations == []
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log.split("shutting down")[-1]


async def stop_bot(process: asyncio.subprocess.Process, log_path: Path) -> None:
    """SIGTERM, and the bot must exit in time."""
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        pytest.fail(f"the bot did not exit within {STOP_TIMEOUT}s of SIGTERM")


async def run_until_recorded(
    emu, data_dir: Path, log_path: Path, owed: dict[int, list[int]]
) -> None:
    """Start the bot, wait until every owed nudge is recorded as sent, stop it."""
    process = await start_bot(emu, data_dir, log_path)
    try:
        async with asyncio.timeout(START_TIMEOUT):
            while not all_recorded(data_dir, owed):
                await asyncio.sleep(0.05)
    except BaseException:
        process.kill()
        await process.wait()
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        raise
    await stop_bot(process, log_path)


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
async def test_a_dm_discord_took_before_a_crash_is_not_sent_again_after_the_nonce_window(
    emu, guild, alice, bob, tmp_path
):
    """The bot dies after Discord accepted each DM but before recording it, and comes
    back after Discord has forgotten the nonces: it finds each DM in the member's DM
    channel (read back through discord.py, rendered late this time) and records it,
    instead of sending it again. Alice's DM channel was stored by earlier DMs; Bob's
    never was (the crash came on his first DM)."""
    data_dir = tmp_path / "data"
    log_path = tmp_path / "bot.log"
    owed = await write_due_nudges(data_dir, alice.id, bob.id)
    members = {alice.id: alice, bob.id: bob}
    await run_until_recorded(emu, data_dir, log_path, owed)
    delivered = {user_id: emu.dms(members[user_id], interactions=False) for user_id in owed}
    assert {u: len(dms) for u, dms in delivered.items()} == {u: len(ids) for u, ids in owed.items()}

    # What a crash between Discord's answer and the record leaves behind.
    for user_id in owed:
        with sqlite3.connect(data_dir / "users" / f"{user_id}.sqlite3") as conn:
            conn.execute(
                "UPDATE reminders SET state = 'sending', message_id = NULL WHERE state = 'sent'"
            )
            if user_id == bob.id:
                conn.execute("DELETE FROM settings WHERE key = 'dm_channel_id'")
    emu.forget_nonces()  # the restart comes after Discord's nonce window
    reads_before = len(emu.requests)

    await run_until_recorded(emu, data_dir, log_path, owed)

    for user_id, ids in owed.items():
        dms = emu.dms(members[user_id], interactions=False)
        assert [m.id for m in dms] == [m.id for m in delivered[user_id]], (
            f"nothing sent again to {members[user_id].name}: "
            + "; ".join(repr(m.text[:60]) for m in dms)
        )
        by_nonce = {message.nonce: message.id for message in dms}
        states = reminder_states(data_dir, user_id)
        for rid in ids:
            assert states[rid] == ("sent", by_nonce[nonce_for(user_id, rid)])
        channel = emu.dm_channel(members[user_id])
        reads = [
            r
            for r in emu.requests[reads_before:]
            if r.method == "GET" and r.path == f"/channels/{channel.id}/messages"
        ]
        assert reads, f"the bot looked in {members[user_id].name}'s DMs before resending"
    assert emu.violations == []
    assert "had reached member" in log_path.read_text(encoding="utf-8", errors="replace")
