"""A member is never shut out: a damaged page in their store is set aside at the first
command that meets it, every command gets an answer, and one-time notices survive a
refused command (issue 13, items 6 and 7)."""

from __future__ import annotations

import sqlite3

from bot.reminders.engine import DM_CLOSED_NOTICE


def damage_table(path, table: str) -> None:
    """Overwrite one table's root page, keeping the header and the schema intact."""
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)
        ).fetchone()
        (page,) = conn.execute("PRAGMA page_size").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page : root * page] = b"\xff" * page
    path.write_bytes(bytes(data))


async def test_a_damaged_page_is_set_aside_and_the_member_carries_on(
    driver, bot, alice, guild, settings
):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    async with bot.stores.member(alice.id) as store:
        await store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = settings.data_dir / "users" / f"{alice.id}.sqlite3"
    damage_table(path, "prospects")

    first = await driver.run("/prospect list", user=alice, guild=guild)
    assert "Something went wrong" in first.text  # answered, not "This interaction failed"
    assert list(path.parent.glob(f"{alice.id}.sqlite3.unreadable-*"))

    then = await driver.run("/help", user=alice, guild=guild)
    assert "set aside" in then.text
    again = await driver.run("/prospect list", user=alice, guild=guild)
    assert "Something went wrong" not in again.text


async def test_a_notice_waits_for_a_command_that_is_answered(driver, bot, alice, guild):
    async with bot.stores.member(alice.id) as store:
        await store.add_notice(DM_CLOSED_NOTICE, key="dm_closed")
    refused = await driver.run("/prospect show prospect:Nobody", user=alice, guild=guild)
    assert "DMs are closed" not in refused.text
    shown = await driver.run("/help", user=alice, guild=guild)
    assert "DMs are closed" in shown.text
    later = await driver.run("/help", user=alice, guild=guild)
    assert "DMs are closed" not in later.text  # once
