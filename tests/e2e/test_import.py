"""/prospect import end to end: a member uploads their own LinkedIn Connections.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.linkedin import MAX_IMPORT_BYTES
from tests.support.e2e import prospects_of

DATA = Path(__file__).resolve().parent.parent / "data"


def connections() -> bytes:
    """A realistic export: BOM, CRLF, LinkedIn's note lines, a duplicate, empty emails,
    a quoted company with a comma, a row without a name and one with a foreign URL."""
    return (DATA / "Connections.csv").read_bytes()


async def imported(bot, user) -> dict[str, object]:
    async with bot.stores.member(user.id) as store:
        return {p.name: p for p, _ in await store.list_prospects()}


async def run_import(driver, user, guild, data: bytes, filename: str = "Connections.csv"):
    return await driver.run(
        "/prospect import", user=user, guild=guild, attachments={"file": (filename, data)}
    )


async def test_a_realistic_export_adds_connections_and_reports_what_it_skipped(
    driver, bot, alice, guild
):
    reply = await run_import(driver, alice, guild, connections())
    assert reply.ephemeral
    assert "6 added" in reply.text
    assert "1 skipped" in reply.text
    assert "2 rejected" in reply.text
    assert "line 9: already in your list (same as line 5 of this file)" in reply.text
    assert "line 11: no name" in reply.text
    assert "line 12: the URL isn't a LinkedIn profile link" in reply.text

    people = await imported(bot, alice)
    assert set(people) == {
        "Dana Lee",
        "Marcus Okafor",
        "José Hernández",
        "Priya Shah",
        "Tom Nguyen",
        "Grace Kim",
    }
    marcus = people["Marcus Okafor"]
    assert marcus.organization == "Brightline Energy, Inc."
    assert marcus.role == "VP of Operations"
    assert marcus.email == "marcus.okafor@example.com"
    assert marcus.source == "linkedin"
    assert marcus.stage is None
    assert people["Dana Lee"].email is None  # LinkedIn left it empty
    assert people["Dana Lee"].linkedin == "https://www.linkedin.com/in/dana-lee-4a1b2c"


async def test_importing_twice_skips_everyone_already_listed(driver, bot, alice, guild):
    await run_import(driver, alice, guild, connections())
    again = await run_import(driver, alice, guild, connections())
    assert "0 added" in again.text
    assert "7 skipped" in again.text
    assert len(await imported(bot, alice)) == 6


async def test_a_prospect_added_by_hand_is_not_imported_again(driver, bot, alice, guild):
    await driver.run(
        '/prospect add name:"Dana Lee" organization:"Mercy Health" stage:mid-career',
        user=alice,
        guild=guild,
    )
    reply = await run_import(driver, alice, guild, connections())
    assert "5 added" in reply.text
    assert "line 5: already in your list" in reply.text
    people = await imported(bot, alice)
    assert people["Dana Lee"].stage == "mid-career"  # the hand-made record is untouched


async def test_imported_connections_are_only_in_the_uploaders_store(driver, bot, alice, bob, guild):
    await run_import(driver, alice, guild, connections())
    assert await imported(bot, bob) == {}


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        (
            "Connections.csv",
            (DATA / "Connections_no_header.csv").read_bytes(),
            "couldn't find the header row",
        ),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "isn't a CSV file"),
        ("Connections.xlsx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(64), "isn't a CSV file"),
        ("Connections.csv", "Vorname;Nachname\n".encode("utf-16"), "isn't a text CSV"),
        ("Connections.csv", b"", "couldn't find the header row"),
    ],
)
async def test_a_broken_file_gets_a_specific_error_and_adds_nothing(
    driver, bot, alice, guild, filename, data, expected
):
    reply = await run_import(driver, alice, guild, data, filename)
    assert reply.ephemeral
    assert expected in reply.text
    assert "Connections.csv" in reply.text  # says what to upload instead
    assert await imported(bot, alice) == {}


async def test_a_file_over_the_limit_is_refused_before_it_is_read(driver, bot, alice, guild):
    big = connections() + b"x" * MAX_IMPORT_BYTES
    reply = await run_import(driver, alice, guild, big)
    assert reply.ephemeral
    assert "the limit is 2 MB" in reply.text
    assert await imported(bot, alice) == {}


async def test_imported_prospects_start_as_to_contact(driver, alice, guild):
    await run_import(driver, alice, guild, connections())
    listing = await driver.run("/prospect list status:to-contact", user=alice, guild=guild)
    assert "Your prospects (6)" in listing.text


# -- /prospect import: rows that don't fit /prospect add's limits ---------------------
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


async def test_import_clips_long_positions_and_rejects_overlong_names(driver, bot, alice, guild):
    rows = [
        HEADER,
        f"Ada,Lovelace,,,Engines,{'P' * 300},01 Jan 2024",
        f"{'A' * 60},{'B' * 60},,,Engines,Analyst,01 Jan 2024",
    ]
    reply = await driver.run(
        "/prospect import",
        user=alice,
        guild=guild,
        attachments={"file": ("Connections.csv", "\n".join(rows).encode())},
    )
    assert "1 added" in reply.text and "1 rejected" in reply.text
    assert "line 3: the name is 121 characters (the limit is 100)" in reply.text
    (ada,) = await prospects_of(bot, alice)
    assert len(ada.role) == 100
