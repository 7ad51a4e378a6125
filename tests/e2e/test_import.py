"""/prospect import end to end: a member uploads their own LinkedIn Connections.csv."""

from __future__ import annotations

import asyncio
import io
import os
import sys
import threading
import zipfile
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
        # UTF-16 is read since issue 10 (Excel's "Unicode Text"); a German header is not
        # LinkedIn's, so this file now fails on its header instead of as "not text".
        ("Connections.csv", "Vorname;Nachname\n".encode("utf-16"), "couldn't find the header"),
        ("Connections.csv", bytes(range(256)) * 4, "isn't a text CSV"),
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


# -- files as people's tools produce them (issue 10) ----------------------------------
FILES = DATA / "connections"
SAME_EXPORT = {  # every format of tests/data/connections/ holds these seven
    "Dana Lee": "Mercy Health",
    "José Hernández": "Ciudad Planning Partners",
    "Jürgen Weiß": "Café Müller GmbH",
    "Françoise Dubois": "Société Générale, Paris",
    "Tom Nguyen": None,  # LinkedIn's " -": stored as no company, not as "-"
    "Ana Silva": "Nubank",
    "Chris Wu": "Square",
}


@pytest.mark.parametrize(
    "filename",
    [
        "Basic_LinkedInDataExport_12-01-2026.zip",  # as LinkedIn delivers it
        "rezipped_on_a_mac.zip",  # unpacked and zipped again: a folder, __MACOSX
        "excel_de_cp1252_semicolon.csv",  # Excel "CSV" in a European locale
        "excel_unicode_text_utf16le.txt",  # Excel "Unicode Text": UTF-16, tabs
        "excel_utf8_bom.csv",
        "sheets_tab_separated.tsv",
    ],
)
async def test_the_export_imports_the_same_whatever_tool_saved_it(
    driver, bot, alice, guild, filename
):
    reply = await run_import(driver, alice, guild, (FILES / filename).read_bytes(), filename)
    assert reply.ephemeral
    assert "7 added" in reply.text, reply.text
    assert "0 rejected" in reply.text
    people = await imported(bot, alice)
    assert {name: p.organization for name, p in people.items()} == SAME_EXPORT
    assert people["Tom Nguyen"].role is None
    assert people["Jürgen Weiß"].role == "Leiter – Vertrieb"


async def test_the_reply_says_where_in_the_zip_the_connections_were(driver, alice, guild):
    data = (FILES / "rezipped_on_a_mac.zip").read_bytes()
    reply = await run_import(driver, alice, guild, data, "rezipped_on_a_mac.zip")
    assert "Basic_LinkedInDataExport_12-01-2026/Connections.csv" in reply.text


async def test_importing_the_zip_then_excels_copy_adds_nobody_twice(driver, bot, alice, guild):
    zipped = (FILES / "Basic_LinkedInDataExport_12-01-2026.zip").read_bytes()
    await run_import(driver, alice, guild, zipped, "Basic_LinkedInDataExport_12-01-2026.zip")
    excel = (FILES / "excel_de_cp1252_semicolon.csv").read_bytes()
    again = await run_import(driver, alice, guild, excel, "Connections.csv")
    assert "0 added" in again.text
    assert "7 skipped" in again.text
    assert len(await imported(bot, alice)) == 7


async def test_an_emoji_in_a_name_doesnt_make_a_duplicate(driver, bot, alice, guild):
    await driver.run(
        '/prospect add name:"Grace Hopper" organization:"US Navy"', user=alice, guild=guild
    )
    rows = [HEADER, "Grace,Hopper 🔸,,,US Navy,Rear Admiral,01 Jan 2024", "Ada,Lovelace,,,,,"]
    reply = await run_import(driver, alice, guild, "\n".join(rows).encode())
    assert "1 added" in reply.text and "1 skipped" in reply.text
    assert "line 2: already in your list" in reply.text
    assert set(await imported(bot, alice)) == {"Grace Hopper", "Ada Lovelace"}


async def test_imported_names_get_the_check_prospect_add_makes(driver, bot, alice, guild):
    rows = [
        HEADER,
        "Ada\u202e,ecalevoL,,,,,",  # a right-to-left override: displays as something else
        "\u200b,\u200b,,,,,",  # nothing visible
        "Grace,Hopper,https://www.linkedin.com/in/" + "g" * 300 + ",,,,",
        "Chris,Wu,,,Square,PM,",
    ]
    reply = await run_import(driver, alice, guild, "\n".join(rows).encode())
    assert "1 added" in reply.text and "3 rejected" in reply.text
    assert "line 2: the name holds an invisible control character (U+202E)" in reply.text
    assert "line 3: the name has nothing visible in it" in reply.text
    assert "line 4: the URL is 328 characters (the limit is 200)" in reply.text
    assert set(await imported(bot, alice)) == {"Chris Wu"}
    # The same name typed into /prospect add is refused for the same reason.
    typed = await driver.run(
        '/prospect add name:"Ada\u202eecalevoL"', user=alice, guild=guild, validate=False
    )
    assert typed.ephemeral
    assert "U+202E" in typed.text and "Ada Lovelace" in typed.text
    assert set(await imported(bot, alice)) == {"Chris Wu"}


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


UNUSABLE_ARCHIVES = {
    # 50 MB of zeros in about 50 KB: refused from the zip's directory, never unpacked.
    "LinkedInDataExport.zip": (
        lambda: zip_of({"Connections.csv": bytes(50_000_000)}),
        "won't open",
    ),
    "Basic_LinkedInDataExport.zip": (
        lambda: zip_of({"Profile.csv": b"First Name,Last Name\nAlex,Morgan\n"}),
        "no Connections.csv",
    ),
    "Connections.tar.gz": (lambda: (FILES / "Connections.tar.gz").read_bytes(), "a .gz archive"),
    "Connections.7z": (lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200), "a 7-Zip archive"),
}


@pytest.mark.parametrize("filename", list(UNUSABLE_ARCHIVES))
async def test_an_archive_i_cant_use_gets_a_clear_error_and_adds_nothing(
    driver, bot, alice, guild, filename
):
    make, expected = UNUSABLE_ARCHIVES[filename]
    reply = await run_import(driver, alice, guild, make(), filename)
    assert reply.ephemeral
    assert expected in reply.text
    assert "Connections.csv" in reply.text  # what to upload instead
    assert await imported(bot, alice) == {}


async def test_a_zip_may_be_larger_than_a_csv(driver, bot, alice, guild):
    # LinkedIn's complete export carries messages and more: 3 MB of it is fine as a .zip.
    padding = os.urandom(3_000_000)
    data = zip_of(
        {"Connections.csv": (FILES / "linkedin_utf8.csv").read_bytes()} | {"messages.csv": padding}
    )
    reply = await run_import(driver, alice, guild, data, "Complete_LinkedInDataExport.zip")
    assert "7 added" in reply.text


def many_connections(count: int) -> bytes:
    """A LinkedIn export with `count` distinct connections."""
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    rows = "".join(
        f"Person{n},Tester{n},https://www.linkedin.com/in/person-{n},,Company {n % 97},"
        "Analyst,01 Nov 2026\n"
        for n in range(count)
    )
    return (header + rows).encode()


async def test_other_members_are_answered_while_a_big_import_is_read(
    driver, bot, alice, bob, guild, monkeypatch
):
    # The import's planning is held until the test lets it go: if it ran on the event
    # loop, nothing else could be answered until then.
    locate = sys.modules["cogs.locate"]  # the cog's module, as the bot loaded it
    planning, planned, release = threading.Event(), threading.Event(), threading.Event()
    plan_import = locate.plan_import

    def held_plan(*args, **kwargs):
        planning.set()
        release.wait(timeout=5)
        try:
            return plan_import(*args, **kwargs)
        finally:
            planned.set()

    monkeypatch.setattr(locate, "plan_import", held_plan)
    upload = asyncio.create_task(run_import(driver, alice, guild, many_connections(5000)))
    await asyncio.to_thread(planning.wait, 5)

    help_reply = await driver.run("/help", user=bob, guild=guild, timeout=3)
    assert "Privacy" in help_reply.text
    assert not planned.is_set(), "/help was answered while the import was being read"

    release.set()
    reply = await upload
    assert "5000 added" in reply.text, reply.text
    assert len(await prospects_of(bot, alice)) == 5000
