"""/mydata export and delete at scale: an export of 25,000 prospects fits Discord's upload
limit, it holds the member's votes and questions from every server, and a delete leaves
nothing of the member in DATA_DIR, even one killed halfway through hundreds of servers."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.emulator.driver import Driver
from bot.emulator.validation import UPLOAD_MAX_BYTES
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool
from tests.support.e2e import edited_to
from tests.support.process import START_TIMEOUT, kill, start_bot, stop_bot, wait_until

PROSPECTS = 25_000


async def fill_store(bot, user, count: int) -> None:
    """`count` prospects as a LinkedIn import leaves them, with a note each."""
    now = datetime(2026, 11, 1, tzinfo=UTC).isoformat()
    rows = [
        (
            f"Person{n} Lastname{n}",
            "Senior Data Analyst",
            f"Company {n % 500}, Inc.",
            f"https://www.linkedin.com/in/person-{n}",
            f"person{n}@example.com",
            "linkedin",
            f"Met at the fall mixer; ask about their move into analytics ({n}).",
            "01 Nov 2026",
            now,
            now,
        )
        for n in range(count)
    ]
    async with bot.stores.member(user.id) as store, store.transaction():
        await store.conn.executemany(
            "INSERT INTO prospects (name, role, organization, linkedin, email, source, "
            "notes, connected_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def unpacked(replies) -> dict[str, bytes]:
    """Every file the export's messages carry, .zip archives opened."""
    found: dict[str, bytes] = {}
    for message in replies:
        for name, data in message.files:
            if name.endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    found |= {inner: archive.read(inner) for inner in archive.namelist()}
            else:
                found[name] = data
    return found


async def test_an_export_of_25000_prospects_fits_discords_upload_limit(
    driver, emu, bot, alice, guild
):
    await fill_store(bot, alice, PROSPECTS)
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    messages = [m for m in (reply.message, *reply.followups) if m is not None]
    sizes = [sum(len(data) for _, data in m.files) for m in messages]
    assert sizes and all(0 < size <= UPLOAD_MAX_BYTES for size in sizes), sizes
    assert f"prospects: {PROSPECTS}" in reply.text
    assert "compressed" in reply.text
    files = unpacked(messages)
    data = json.loads(files["mydata.json"])
    assert len(data["prospects"]) == PROSPECTS
    assert files["prospects.csv"].count(b"\n") == PROSPECTS + 1
    # Uncompressed, it would have been well over the limit (the emulator refuses that).
    assert sum(len(data) for data in files.values()) > UPLOAD_MAX_BYTES


async def test_an_export_holds_the_members_votes_and_questions_from_every_server(
    driver, emu, bot, alice, bob, guild
):
    text = "What would you do differently if you started again today?"
    await driver.run(f'/questions add text:"{text}" category:advice', user=alice, guild=guild)
    await driver.run(f'/questions vote question:"{text}"', user=bob, guild=guild)
    elsewhere = emu.add_guild("Alumni Network")
    async with bot.stores.guild(elsewhere.id) as bank:
        added, _ = await bank.add_question("Which skill surprised you most?", "insights", bob.id)
        await bank.toggle_vote(added.id, alice.id)

    reply = await driver.run("/mydata export", user=alice, guild=guild)
    data = json.loads(dict(reply.files)["mydata.json"])
    assert [(q["server_id"], q["text"]) for q in data["questions_added"]] == [(guild.id, text)]
    assert [(v["server_id"], v["text"]) for v in data["question_votes"]] == [
        (elsewhere.id, "Which skill surprised you most?")
    ]
    assert "questions added: 1" in reply.text and "question votes: 1" in reply.text


async def test_delete_also_removes_the_copy_set_aside_as_unreadable(
    driver, emu, bot, alice, guild, settings
):
    users = settings.data_dir / "users"
    (users / f"{alice.id}.sqlite3").write_bytes(b"not a database, but Ada Lovelace's notes" * 20)
    await driver.run('/prospect add name:"Grace Hopper"', user=alice, guild=guild)
    assert list(users.glob(f"{alice.id}.sqlite3.unreadable-*"))
    prompt = await driver.run("/mydata delete", user=alice, guild=guild)
    pressed = await driver.click(prompt, "Delete everything", user=alice)
    await edited_to(emu, pressed, "are gone")
    assert [path.name for path in users.iterdir() if str(alice.id) in path.name] == []


# -- a delete killed halfway -------------------------------------------------------------
SERVERS = 400
PRIVATE = ["Zelda Quackenbush", "Bartholomew Oyelaran-Smythe", "salary talk was awkward"]


async def write_member_everywhere(data_dir: Path, user_id: int, other_id: int) -> None:
    """The member's own store (prospects, a reminder, in the index too) and, in each of
    SERVERS servers' banks, a question they added and their vote on another's."""
    clock = Clock()
    stores = Stores(StorePool(data_dir, clock))
    try:
        async with stores.member(user_id) as store:
            await store.set_settings(timezone="America/New_York")
            first = await store.add_prospect(PRIVATE[0], notes=PRIVATE[2])
            await store.add_prospect(PRIVATE[1], organization="Quackenbush Analytics")
            async with store.transaction():
                meeting = await store.add_meeting(first.id, clock.now() + timedelta(days=30))
                reminder = await store.add_reminder(
                    "prep", due_at=meeting.starts_at - timedelta(days=1), meeting_id=meeting.id
                )
        for n in range(SERVERS):
            async with stores.guild(10_000 + n) as bank:
                mine, _ = await bank.add_question(
                    f"What changed in your field in year {n}?", "trends", user_id
                )
                theirs, _ = await bank.add_question(
                    f"Who else should I meet, {n}?", "other", other_id
                )
                await bank.toggle_vote(theirs.id, user_id)
                await bank.toggle_vote(mine.id, other_id)
    finally:
        await stores.close()
    index = DueIndex(data_dir)
    await index.open()
    try:
        await index.put(user_id, [(reminder, meeting.starts_at - timedelta(days=1))])
    finally:
        await index.close()


def has_marks(path: Path, user_id: int) -> bool:
    """Whether a server's bank still holds the member's votes or authorship."""
    conn = sqlite3.connect(path)
    try:
        votes = conn.execute("SELECT COUNT(*) FROM votes WHERE user_id = ?", (user_id,))
        if votes.fetchone()[0]:
            return True
        authored = conn.execute("SELECT COUNT(*) FROM questions WHERE author_id = ?", (user_id,))
        return bool(authored.fetchone()[0])
    finally:
        conn.close()


def servers_with_marks(data_dir: Path, user_id: int) -> int:
    """How many servers' banks still hold the member's votes or authorship."""
    return sum(has_marks(path, user_id) for path in (data_dir / "guilds").glob("*.sqlite3"))


def traces(data_dir: Path, user_id: int) -> list[str]:
    """Every file in DATA_DIR that names the member or holds their id (as text or as
    SQLite stores it) or their private words."""
    needles = [str(user_id).encode(), user_id.to_bytes(8, "big")]
    needles += [text.encode() for text in PRIVATE]
    found = []
    for path in sorted(data_dir.rglob("*")):
        if str(user_id) in path.name:
            found.append(f"{path.relative_to(data_dir)} (its name)")
        elif path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(data_dir)}: {n!r}" for n in needles if n in data]
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_a_delete_killed_halfway_is_finished_at_the_next_start(
    emu, guild, alice, bob, tmp_path
):
    data_dir = tmp_path / "data"
    log_path = tmp_path / "bot.log"
    await write_member_everywhere(data_dir, alice.id, bob.id)
    assert servers_with_marks(data_dir, alice.id) == SERVERS
    driver = Driver(emu, timeout=START_TIMEOUT)
    marker = data_dir / "deleting" / f"{alice.id}.json"

    first = await start_bot(emu, data_dir, log_path)
    try:
        await emu.wait_until_connected(START_TIMEOUT)
        prompt = await driver.run("/mydata delete", user=alice, guild=guild)
        await driver.click(prompt, "Delete everything", user=alice)
        # The banks are gone through in the order of their ids: kill once a few are done.
        await wait_until(lambda: not has_marks(data_dir / "guilds" / "10020.sqlite3", alice.id))
    except BaseException:
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        raise
    finally:
        await kill(first)
    left = servers_with_marks(data_dir, alice.id)
    assert 0 < left < SERVERS, f"the kill should cut the delete short ({left} left)"
    message = prompt.message
    assert message is not None and "Deleting everything" in message.content

    second = await start_bot(emu, data_dir, log_path)
    try:
        await emu.wait_for(lambda: "are gone" in message.content, START_TIMEOUT)
        await wait_until(lambda: not marker.exists())
        # Up and answering again; then stopped, so every file is closed before the search.
        await emu.wait_until_connected(START_TIMEOUT)
        assert "Privacy" in (await driver.run("/help", user=bob, guild=guild)).text
        assert await stop_bot(second), "the bot exits on SIGTERM"
    except BaseException:
        await kill(second)
        print(log_path.read_text(encoding="utf-8", errors="replace"))
        raise
    assert servers_with_marks(data_dir, bob.id) == SERVERS, "other members keep theirs"
    assert traces(data_dir, alice.id) == []
    assert emu.violations == []
