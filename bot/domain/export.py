"""Turning a member's store into files they can download (/mydata export).

What the member recorded comes first, as plain values; what the bot records to deliver
reminders and notices (tries, message ids, errors, its DM channel) goes to a separate,
labelled "bookkeeping" section of mydata.json. CSVs carry a UTF-8 byte-order mark, the
sign Excel needs to open them as UTF-8 rather than in the computer's legacy code page.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import zipfile
import zlib
from datetime import date, datetime, time
from typing import Any

from bot.domain.models import Profile, Settings

__all__ = [
    "BOOKKEEPING_ABOUT",
    "MemberExport",
    "csv_safe",
    "member_export",
    "split_for_upload",
    "tables_to_csv",
    "to_json",
]

BOOKKEEPING_ABOUT = (
    "What the bot records to deliver your reminders and notices: delivery tries, message "
    "ids, errors and your DM channel. Not something you entered; kept with your data and "
    "deleted with it."
)
# The columns of these tables that are the member's own record. The rest (attempts,
# last_error, tried_at, tried_prints, message_id, a notice's key…) is bookkeeping, and so
# is any column added later until it is listed here.
_MEMBER_COLUMNS = {
    # name_key: the name as the bot compares names, kept for lookups (bookkeeping).
    "prospects": frozenset({"id", "name", "role", "organization", "stage", "linkedin", "email"})
    | {"source", "notes", "referred_by", "connected_on", "created_at", "updated_at", "origin"},
    "reminders": frozenset(
        {"id", "kind", "meeting_id", "outreach_id", "step", "due_at", "state", "created_at"}
    ),
    "notices": frozenset({"text", "created_at", "shown_at"}),
}

# Spreadsheets treat a cell starting with these as a formula (or, for tab and CR,
# may strip them and then see one): CSV injection. See OWASP "CSV Injection".
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def csv_safe(value: object) -> str:
    """A cell value that spreadsheets will show rather than run.

    None becomes "". Text starting with =, +, -, @, tab or carriage return gets a
    leading single quote. Real numbers are left alone: -5 is data, not a formula.
    """
    text = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def tables_to_csv(rows: list[dict]) -> bytes:
    """UTF-8 CSV of `rows` with a byte-order mark; the header is the union of their keys in
    first-seen order.

    Missing keys give empty cells; every cell goes through csv_safe. No rows gives b"".
    """
    header: dict[str, None] = {}
    for row in rows:
        for key in row:
            header.setdefault(str(key), None)
    if not header:
        return b""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow([csv_safe(k) for k in header])
    for row in rows:
        by_name = {str(k): v for k, v in row.items()}
        writer.writerow([csv_safe(by_name.get(k)) for k in header])
    # utf-8-sig: the byte-order mark Excel needs to read accents as written.
    return buf.getvalue().encode("utf-8-sig")


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset):
        # Sorted by text so the same store always exports the same bytes.
        return sorted(value, key=str)
    raise TypeError(f"can't export {type(value).__name__} as JSON")


def to_json(data: dict) -> bytes:
    """Pretty UTF-8 JSON (indent 2, non-ASCII kept); datetimes become ISO strings."""
    return (json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n").encode("utf-8")


def _member_settings() -> frozenset[str]:
    """The settings a member chooses: the fields of Settings, the profile's stored as
    profile_<field> (see MemberStore.settings)."""
    chosen = {f.name for f in dataclasses.fields(Settings) if f.name != "profile"}
    return frozenset(chosen | {f"profile_{f.name}" for f in dataclasses.fields(Profile)})


def _plain(stored: str) -> Any:
    """A setting's value as stored (JSON text) made the value itself: "\"UTC\"" is "UTC"."""
    try:
        return json.loads(stored)
    except (TypeError, ValueError):
        return stored


@dataclasses.dataclass(frozen=True, slots=True)
class MemberExport:
    """A member's store as /mydata export hands it over."""

    settings: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    bookkeeping: dict[str, Any]

    def counts(self) -> dict[str, int]:
        """How many settings and rows of each table the member has, in export order."""
        return {"settings": len(self.settings)} | {
            name: len(rows) for name, rows in self.tables.items()
        }

    def to_json(self) -> bytes:
        """mydata.json: settings, each table, then the bookkeeping section."""
        return to_json({"settings": self.settings, **self.tables, "bookkeeping": self.bookkeeping})

    def csv_files(self) -> dict[str, bytes]:
        """One CSV per table that has rows, settings first (as setting, value rows)."""
        files = {}
        if self.settings:
            rows = [{"setting": key, "value": value} for key, value in self.settings.items()]
            files["settings.csv"] = tables_to_csv(rows)
        for name, rows in self.tables.items():
            if rows:
                files[f"{name}.csv"] = tables_to_csv(rows)
        return files


# Room left in each upload for a .zip's own headers and directory.
_ZIP_ROOM = 64 * 1024


def _deflated_size(data: bytes) -> int:
    """How many bytes `data` takes in a .zip (raw deflate, zipfile's default level)."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return len(packer.compress(data)) + len(packer.flush())


def _pieces(name: str, data: bytes, budget: int) -> list[tuple[str, bytes]]:
    """A file cut at line ends into pieces that each deflate to at most `budget`.

    A CSV's pieces repeat its header, so each opens on its own (prospects-1-of-3.csv…);
    other files' pieces are consecutive slices to join in order (mydata.json.001…).
    """
    if _deflated_size(data) <= budget:
        return [(name, data)]
    lines = data.splitlines(keepends=True)
    csv_file = name.endswith(".csv") and len(lines) > 1
    header, rows = (lines[0], lines[1:]) if csv_file else (b"", lines)
    count = math.ceil(_deflated_size(data) / budget) + 1
    while True:
        size = math.ceil(len(rows) / count)
        chunks = [header + b"".join(rows[i : i + size]) for i in range(0, len(rows), size)]
        if all(_deflated_size(chunk) <= budget for chunk in chunks) or size == 1:
            break
        count *= 2
    total = len(chunks)
    if csv_file:
        stem = name.removesuffix(".csv")
        return [(f"{stem}-{n}-of-{total}.csv", chunk) for n, chunk in enumerate(chunks, 1)]
    return [(f"{name}.{n:03d}", chunk) for n, chunk in enumerate(chunks, 1)]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def split_for_upload(
    files: dict[str, bytes], *, limit: int, max_files: int
) -> list[dict[str, bytes]]:
    """The export's files as messages whose attachments fit Discord's upload limits:
    `limit` bytes in one message and `max_files` files.

    Files that fit go as they are, in one message. Otherwise they go deflated in .zip
    archives (JSON and CSV shrink about tenfold), one per message: mydata.zip, or
    mydata-1-of-3.zip… when one would be too big, each holding whole files, and a file
    too big for any archive cut into pieces (see `_pieces`).
    """
    if len(files) <= max_files and sum(len(data) for data in files.values()) <= limit:
        return [dict(files)]
    budget = limit - min(_ZIP_ROOM, limit // 8)
    archives: list[list[tuple[str, bytes]]] = [[]]
    used = 0
    for name, data in files.items():
        for piece_name, piece in _pieces(name, data, budget):
            size = _deflated_size(piece)
            if archives[-1] and used + size > budget:
                archives.append([])
                used = 0
            archives[-1].append((piece_name, piece))
            used += size
    if len(archives) == 1:
        return [{"mydata.zip": _zip(archives[0])}]
    total = len(archives)
    return [{f"mydata-{n}-of-{total}.zip": _zip(members)} for n, members in enumerate(archives, 1)]


def member_export(tables: dict[str, list[dict[str, Any]]]) -> MemberExport:
    """Split MemberStore.export()'s rows into the member's data and the bot's bookkeeping.

    Settings become {key: value} with their values as values, not the JSON text the
    store keeps; a setting the member didn't choose (the reminder engine's DM channel)
    is bookkeeping. Reminders and notices keep the columns in _MEMBER_COLUMNS; the rest
    of each row goes to bookkeeping under the same id.
    """
    chosen = _member_settings()
    settings: dict[str, Any] = {}
    internal: dict[str, Any] = {}
    for row in tables.get("settings", []):
        (settings if row["key"] in chosen else internal)[row["key"]] = _plain(row["value"])
    bookkeeping: dict[str, Any] = {"about": BOOKKEEPING_ABOUT, "settings": internal}
    member: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        if name == "settings":
            continue
        keep = _MEMBER_COLUMNS.get(name)
        if keep is None:
            member[name] = rows
            continue
        member[name] = [{k: v for k, v in row.items() if k in keep} for row in rows]
        bookkeeping[name] = [
            {"id": row.get("id")} | {k: v for k, v in row.items() if k not in keep} for row in rows
        ]
    return MemberExport(settings=settings, tables=member, bookkeeping=bookkeeping)
