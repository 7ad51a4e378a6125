"""Connections files as people's tools produce them: LinkedIn's export (its .zip or the
CSV inside), re-saved by Excel or Google Sheets in their encodings and separators, and
files that are none of these. The files are in tests/data/connections/ (its README says
how each was made). Run with `-s` to see the encoding table's score.
"""

from __future__ import annotations

import io
import os
import struct
import tomllib
import zipfile
from pathlib import Path

import pytest

from bot.domain.linkedin import (
    MAX_ARCHIVE_BYTES,
    MAX_IMPORT_BYTES,
    ConnectionsFileError,
    decode_csv,
    plan_import,
)

DATA = Path(__file__).parent.parent / "data" / "connections"

# What every format of the same export must come to: name → (organization, role, email).
EXPECTED = {
    "Dana Lee": ("Mercy Health", "Senior Data Analyst", None),
    "José Hernández": ("Ciudad Planning Partners", "Urbanista", None),
    "Jürgen Weiß": ("Café Müller GmbH", "Leiter – Vertrieb", "j.weiss@example.de"),
    "Françoise Dubois": ("Société Générale, Paris", "Analyste crédit", None),
    "Tom Nguyen": (None, None, None),  # LinkedIn's " -": between jobs
    "Ana Silva": ("Nubank", "Product Manager, Payments", None),
    "Chris Wu": ("Square", "PM", "chris.wu@example.com"),
}
FORMATS = [
    "linkedin_utf8.csv",
    "excel_utf8_bom.csv",
    "excel_de_cp1252_semicolon.csv",
    "excel_unicode_text_utf16le.txt",
    "utf16be_bom.csv",
    "sheets_tab_separated.tsv",
    "Basic_LinkedInDataExport_12-01-2026.zip",
    "rezipped_on_a_mac.zip",
]


def people(data: bytes) -> dict[str, tuple[str | None, str | None, str | None]]:
    plan = plan_import(data, [])
    assert plan.skipped == [] and plan.rejected == []
    return {c.name: (c.organization, c.role, c.email) for c in plan.added}


@pytest.mark.parametrize("filename", FORMATS)
def test_every_format_of_the_same_export_gives_the_same_prospects(filename):
    assert people((DATA / filename).read_bytes()) == EXPECTED


def test_the_profile_links_survive_every_format():
    for filename in FORMATS:
        plan = plan_import((DATA / filename).read_bytes(), [])
        jose = next(c for c in plan.added if c.name == "José Hernández")
        assert jose.linkedin == "https://www.linkedin.com/in/jos%C3%A9-hern%C3%A1ndez"


def test_reimporting_the_export_in_another_format_adds_nobody():
    first = plan_import((DATA / "Basic_LinkedInDataExport_12-01-2026.zip").read_bytes(), [])
    existing = [(c.name, c.organization, c.linkedin) for c in first.added]
    again = plan_import((DATA / "excel_de_cp1252_semicolon.csv").read_bytes(), existing)
    assert again.added == []
    assert len(again.skipped) == len(EXPECTED)


# -- the encoding table ----------------------------------------------------------------
NOTES = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\r\n\r\n'
)
HEADER = "First Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n"
SAMPLES = tomllib.loads((DATA / "encodings.toml").read_text(encoding="utf-8"))["sample"]
ENCODING_TARGET = 0.95


def sample_text(sample: dict) -> str:
    rows = "".join(f"{a};{b};;;{c};{d};01 Jan 2026\r\n" for a, b, c, d in sample["rows"])
    return NOTES + HEADER + rows


def saved_forms(sample: dict) -> list[tuple[str, bytes]]:
    """The sample as each tool would save it: (label, bytes)."""
    text = sample_text(sample)
    forms = [
        (sample["codepage"], text.encode(sample["codepage"])),
        ("utf-8", text.encode("utf-8")),
        ("utf-8 with BOM", text.encode("utf-8-sig")),
        ("utf-16 LE with BOM", text.encode("utf-16")),  # this machine is little-endian
        ("utf-16 BE with BOM", b"\xfe\xff" + text.encode("utf-16-be")),
    ]
    if sample["codepage"] == "cp1252":
        forms.append(("mac-roman", text.encode("mac-roman")))
    return forms


def test_the_encoding_table_covers_western_central_cyrillic_and_unicode():
    assert len(SAMPLES) >= 15
    assert {s["codepage"] for s in SAMPLES} == {"cp1252", "cp1250", "cp1251"}
    assert sum(len(saved_forms(s)) for s in SAMPLES) >= 90


def test_the_encoding_table_reads_back_unchanged():
    verdicts = []
    for sample in SAMPLES:
        text = sample_text(sample)
        for label, data in saved_forms(sample):
            try:
                got = decode_csv(data)
            except ConnectionsFileError as error:
                got = f"refused: {error}"
            verdicts.append((sample["language"], label, got == text))
    misses = [f"  {language} in {label}" for language, label, ok in verdicts if not ok]
    score = 1 - len(misses) / len(verdicts)
    print(
        f"\nencoding table: {len(verdicts) - len(misses)}/{len(verdicts)} read back ({score:.1%})"
    )
    print("\n".join(misses))
    must = [(lang, label) for lang, label, ok in verdicts if not ok and label != "mac-roman"]
    # Every UTF form and every Windows code page right; Mac Roman is the detector's
    # best effort (it reads like Windows-1252 for most letters).
    assert not must, must
    assert score >= ENCODING_TARGET


# -- LinkedIn's .zip -------------------------------------------------------------------
def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONNECTIONS = (DATA / "linkedin_utf8.csv").read_bytes()


def test_the_export_zip_says_which_file_was_read():
    plan = plan_import((DATA / "Basic_LinkedInDataExport_12-01-2026.zip").read_bytes(), [])
    assert plan.from_archive == "Connections.csv"
    plan = plan_import((DATA / "rezipped_on_a_mac.zip").read_bytes(), [])
    assert plan.from_archive == "Basic_LinkedInDataExport_12-01-2026/Connections.csv"
    assert plan_import(CONNECTIONS, []).from_archive is None


def test_a_zip_without_connections_csv_says_what_to_upload():
    data = zipped({"Profile.csv": b"First Name,Last Name\nAlex,Morgan\n", "messages.csv": b""})
    with pytest.raises(ConnectionsFileError, match=r"no Connections\.csv") as error:
        plan_import(data, [])
    assert "Get a copy of your data" in str(error.value)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    bomb = zipped({"Connections.csv": bytes(50_000_000)})  # 50 MB of zeros in ~50 KB
    assert len(bomb) < 100_000
    with pytest.raises(ConnectionsFileError, match="unpacks to 50 MB"):
        plan_import(bomb, [])


def test_a_bomb_hidden_next_to_incompressible_padding_is_refused_by_its_own_ratio():
    # The archive as a whole compresses only ~2x, the CSV inside about 1000x.
    data = zipped({"Connections.csv": bytes(1_900_000), "padding.bin": os.urandom(1_000_000)})
    with pytest.raises(ConnectionsFileError, match="compressed far more"):
        plan_import(data, [])


def test_a_zip_with_thousands_of_entries_is_refused():
    data = zipped({f"f{i}.csv": b"" for i in range(3000)} | {"Connections.csv": CONNECTIONS})
    with pytest.raises(ConnectionsFileError, match="holds 3,001 files"):
        plan_import(data, [])


def test_a_zip_that_understates_a_size_is_read_no_further_and_called_damaged():
    data = bytearray(zipped({"Connections.csv": CONNECTIONS}))
    # The central directory's "uncompressed size" of the only entry: claim 100 bytes.
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, entry + 24, 100)
    with pytest.raises(ConnectionsFileError, match="damaged"):
        plan_import(bytes(data), [])


def test_a_truncated_zip_is_called_damaged():
    data = (DATA / "Basic_LinkedInDataExport_12-01-2026.zip").read_bytes()
    with pytest.raises(ConnectionsFileError, match="damaged or incomplete"):
        plan_import(data[: len(data) // 2], [])


def test_a_password_protected_zip_asks_for_the_csv():
    data = bytearray(zipped({"Connections.csv": CONNECTIONS}))
    # Set the "encrypted" bit in the central directory, as an encrypting tool does.
    entry = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, entry + 8, struct.unpack_from("<H", data, entry + 8)[0] | 0x1)
    with pytest.raises(ConnectionsFileError, match="password-protected"):
        plan_import(bytes(data), [])


def test_an_oversized_connections_csv_inside_a_zip_is_refused():
    rows = b"".join(b"P%d,Person,,,Org %d,Role,01 Jan 2026\n" % (i, i) for i in range(80_000))
    data = zipped({"Connections.csv": CONNECTIONS + rows})
    with pytest.raises(ConnectionsFileError, match="the limit is 2 MB"):
        plan_import(data, [])


def test_an_upload_over_the_archive_limit_is_refused_unread():
    with pytest.raises(ConnectionsFileError, match="the limit is 10 MB"):
        plan_import(b"PK\x03\x04" + bytes(MAX_ARCHIVE_BYTES), [])


# -- files that aren't a Connections.csv or LinkedIn's .zip ----------------------------
def test_another_archive_says_which_it_is_and_what_to_upload():
    with pytest.raises(ConnectionsFileError, match=r"a \.gz archive") as error:
        plan_import((DATA / "Connections.tar.gz").read_bytes(), [])
    assert ".zip LinkedIn sends" in str(error.value)
    assert "Connections.csv" in str(error.value)


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(200), "a 7-Zip archive"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(200), "a RAR archive"),
    ],
)
def test_7z_and_rar_are_named(data, label):
    with pytest.raises(ConnectionsFileError, match=label):
        plan_import(data, [])


def test_an_excel_workbook_is_told_how_to_save_a_csv():
    workbook = zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )
    with pytest.raises(ConnectionsFileError, match="an Excel workbook") as error:
        plan_import(workbook, [])
    assert "CSV UTF-8" in str(error.value)


def test_a_csv_over_the_limit_is_refused():
    with pytest.raises(ConnectionsFileError, match="the limit is 2 MB"):
        plan_import(CONNECTIONS + b" " * MAX_IMPORT_BYTES, [])


def test_text_cut_off_mid_character_is_refused_with_advice():
    data = "First Name,Last Name\nJosé,Pérez\n".encode("utf-16") + b"\x00"  # an odd byte
    with pytest.raises(ConnectionsFileError, match="couldn't read the characters") as error:
        plan_import(data, [])
    assert "CSV UTF-8" in str(error.value)
