"""LinkedIn profile URLs and the member's own `Connections.csv` export.

LinkedIn's terms forbid scraping, so the bot only takes what the member pastes or
downloads themselves. Nothing here touches the network or the disk: an upload, a .zip
included, is read in memory.

The file arrives as LinkedIn sends it (UTF-8, commas, a few note lines above the header,
inside the export's .zip) or as a spreadsheet re-saved it: Excel's "CSV UTF-8" (a
byte-order mark), Excel's "CSV" in a European locale (Windows-1252 and ";"), Excel's
"Unicode Text" (UTF-16 and tabs), Google Sheets' tab-separated values. Examples of each
are in tests/data/connections/.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import chardet

from bot.domain.names import comparable_name
from bot.domain.prospects import EMAIL_MAX, SHORT_MAX, InvalidName, prospect_name

__all__ = [
    "EXPECTED_COLUMNS",
    "MAX_ARCHIVE_BYTES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "URL_MAX",
    "ConnectionsFileError",
    "ImportPlan",
    "ImportedConnection",
    "InvalidLinkedInURL",
    "decode_csv",
    "normalize_linkedin_url",
    "plan_import",
    "upload_limit",
]

MAX_IMPORT_BYTES = 2_000_000  # a CSV, or the Connections.csv inside a .zip
MAX_IMPORT_ROWS = 5000
# LinkedIn's export .zip holds a dozen or so CSVs besides Connections.csv. 10 MB is what
# Discord lets a member without Nitro upload; the other caps keep a zip bomb (a small
# file that unpacks to gigabytes, or to thousands of entries) from costing more than
# reading the zip's directory.
MAX_ARCHIVE_BYTES = 10_000_000
MAX_ARCHIVE_MEMBERS = 2000
MAX_ARCHIVE_UNPACKED = 100_000_000  # the sum of the sizes the zip declares
MAX_COMPRESSION_RATIO = 100  # text compresses about 3-10 times; bombs a thousand or more
URL_MAX = 200  # as /prospect add's linkedin option
EXPECTED_COLUMNS = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
URL_EXAMPLE = "https://www.linkedin.com/in/ada-lovelace"
ALREADY_LISTED = "already in your list"
WHAT_TO_UPLOAD = (
    "Upload the .zip LinkedIn sends you (Settings → Data privacy → Get a copy of your "
    "data) or the Connections.csv inside it."
)

# The preamble LinkedIn puts above the header is a handful of lines; a header further
# down than this means it's some other file.
_HEADER_SEARCH_ROWS = 20
# A slug is one path segment; LinkedIn allows letters, digits, hyphens and
# percent-encoded non-ASCII, and members paste decoded Unicode too.
_SLUG = re.compile(r"^[^\s/?#<>\"']+$")
# What the encoding detector may choose from: what LinkedIn writes (UTF-8) and what
# spreadsheets re-save it as: UTF-8 with a byte-order mark, UTF-16 (Excel's "Unicode
# Text"), the Windows code page of the locale (Western, Central European, Cyrillic) and
# Mac Roman (Excel for Mac's "CSV"). Left to choose among every legacy code page,
# detectors read short Western European text as Central European or DOS; the table in
# tests/data/connections/encodings.toml measures the choice.
_ENCODINGS = ("utf-8", "utf-16", "cp1252", "cp1250", "cp1251", "mac-roman")
# "-" is LinkedIn's way of writing "none" (a connection between jobs has Company " -").
_NONE = "-"
_ZIP = "application/zip"
_ARCHIVES = {
    "application/gzip": "a .gz archive",
    "application/x-tar": "a .tar archive",
    "application/x-bzip2": "a .bz2 archive",
    "application/x-xz": "an .xz archive",
    "application/zstd": "a .zst archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/vnd.rar": "a RAR archive",
}
_SPREADSHEETS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel workbook",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet",
}


@dataclass(slots=True)
class ImportedConnection:
    """One row of Connections.csv that will become a prospect."""

    name: str
    linkedin: str | None
    email: str | None
    organization: str | None
    role: str | None
    connected_on: str | None


@dataclass(slots=True)
class ImportPlan:
    """What an import would do; line numbers are 1-based lines of the file."""

    added: list[ImportedConnection]
    skipped: list[tuple[int, str]]
    rejected: list[tuple[int, str]]
    # The Connections.csv's path inside the uploaded .zip; None when a CSV was uploaded.
    from_archive: str | None = None


class ConnectionsFileError(ValueError):
    """The file can't be imported at all; the message is safe to show the member."""


class InvalidLinkedInURL(ValueError):
    """Not a LinkedIn profile link. str() is the member-facing sentence with an example;
    `reason` is a phrase for an import's report ("the URL isn't a LinkedIn profile link")."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def normalize_linkedin_url(text: str) -> str:
    """The canonical form of a LinkedIn profile URL: https://www.linkedin.com/in/<slug>.

    Accepts http or https, with or without www (or a country/mobile subdomain such as
    uk. or m.), with or without the scheme, query, fragment, trailing slash or extra
    path after the slug, and the old /pub/<name>/<a>/<b>/<c> form. Lowercases.
    Raises InvalidLinkedInURL (a ValueError; member-facing, with an example) for anything
    else, a link longer than URL_MAX included.
    """
    raw = (text or "").strip().strip("<>").strip()
    if len(raw) > URL_MAX:
        raise InvalidLinkedInURL(
            f"That link is {len(raw)} characters; a LinkedIn profile link is at most "
            f"{URL_MAX}. Paste one like {URL_EXAMPLE}",
            f"the URL is {len(raw)} characters (the limit is {URL_MAX})",
        )
    error = InvalidLinkedInURL(
        f"That doesn't look like a LinkedIn profile link. Paste one like {URL_EXAMPLE}",
        "the URL isn't a LinkedIn profile link",
    )
    if not raw or any(c.isspace() for c in raw):
        raise error
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise error from exc
    host = (parts.hostname or "").lower()
    # Exactly linkedin.com or a subdomain of it: not "evil-linkedin.com" and not
    # "linkedin.com.evil.example". No credentials or odd ports in a profile link.
    if parts.scheme.lower() not in ("http", "https") or not (
        host == "linkedin.com" or host.endswith(".linkedin.com")
    ):
        raise error
    if parts.username or parts.password or parts.port not in (None, 80, 443):
        raise error
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0].lower() == "in":
        kept = segments[:2]
    elif len(segments) >= 2 and segments[0].lower() == "pub":
        # Old public URLs carry the identity in the trailing id segments.
        kept = segments[:5]
    else:
        raise error
    decoded = [unquote(s) for s in kept]
    if not all(_SLUG.match(s) for s in decoded[1:]):
        raise error
    # Decode then re-encode so a pasted "josé" and an exported "jos%C3%A9" compare equal.
    return "https://www.linkedin.com/" + "/".join(quote(s.lower(), safe="-_.~") for s in decoded)


def upload_limit(filename: str) -> int:
    """The largest upload worth downloading: LinkedIn's .zip may be larger than the
    Connections.csv inside it."""
    return MAX_ARCHIVE_BYTES if filename.lower().endswith(".zip") else MAX_IMPORT_BYTES


def _url_key(url: str | None) -> str | None:
    """Comparable form of a stored or imported URL; lenient with old, odd values."""
    if not url or not url.strip():
        return None
    try:
        return normalize_linkedin_url(url)
    except ValueError:
        return url.strip().lower().rstrip("/")


def _name_key(name: str | None, organization: str | None) -> tuple[str, str]:
    """Name and organization as duplicates are found: "Grace Hopper 🔸" at "US Navy" is
    "grace hopper" at "us navy" (see bot.domain.names.comparable_name)."""
    return comparable_name(name), comparable_name(organization)


def _too_big(size: int, limit: int, what: str) -> ConnectionsFileError:
    return ConnectionsFileError(
        f"{what} is {size / 1_000_000:.1f} MB; the limit is {limit / 1_000_000:.0f} MB. "
        "Upload the Connections.csv from your LinkedIn data export (it is usually well "
        "under 1 MB)."
    )


def _bomb(what: str) -> ConnectionsFileError:
    return ConnectionsFileError(
        f"That .zip {what}, far more than LinkedIn's export, so I won't open it. Upload "
        "the Connections.csv from your LinkedIn export."
    )


def _from_zip(data: bytes) -> tuple[bytes, str]:
    """Connections.csv's bytes and path inside LinkedIn's export .zip, read in memory.

    The export has it at the top; a zip made again after unpacking (on a Mac, say) has it
    in a folder, next to `__MACOSX/…/._Connections.csv` resource forks, which are skipped.
    """
    damaged = ConnectionsFileError(
        "That zip archive is damaged or incomplete. Download the export from LinkedIn "
        "again, or upload the Connections.csv inside it."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise _bomb(f"holds {len(members):,} files")
            if unpacked > min(MAX_ARCHIVE_UNPACKED, MAX_COMPRESSION_RATIO * len(data)):
                raise _bomb(f"unpacks to {unpacked / 1_000_000:,.0f} MB")
            found = sorted(
                (
                    member
                    for member in members
                    if not member.is_dir()
                    and PurePosixPath(member.filename).name.casefold() == "connections.csv"
                    and "__MACOSX" not in PurePosixPath(member.filename).parts
                ),
                key=lambda member: (member.filename.count("/"), member.filename),
            )
            if not found:
                raise ConnectionsFileError(
                    "That .zip has no Connections.csv in it. When you ask LinkedIn for a "
                    "copy of your data, make sure Connections is included. " + WHAT_TO_UPLOAD
                )
            member = found[0]
            if member.flag_bits & 0x1:  # the zip format's "encrypted" flag
                raise ConnectionsFileError(
                    "That .zip is password-protected. Upload the Connections.csv inside it."
                )
            if member.file_size > MAX_IMPORT_BYTES:
                raise _too_big(member.file_size, MAX_IMPORT_BYTES, "The Connections.csv in it")
            if member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
                raise ConnectionsFileError(
                    "The Connections.csv in that .zip is compressed far more than any real "
                    "export, so I won't unpack it. Upload the Connections.csv itself."
                )
            # Bounded even if the sizes in the zip's directory lie: the CRC check at its
            # end then fails, and that is reported as damage.
            with archive.open(member) as stream:
                content = stream.read(MAX_IMPORT_BYTES + 1)
            if len(content) > MAX_IMPORT_BYTES:
                raise _too_big(len(content), MAX_IMPORT_BYTES, "The Connections.csv in it")
            return content, member.filename
    # NotImplementedError: a compression method Python can't read.
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise damaged from exc


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV in whichever encoding it was saved: UTF-8 with or
    without a byte-order mark, UTF-16 with one, or a Windows code page.

    chardet decides, restricted to what spreadsheets write (`_ENCODINGS`), over the
    whole file, so an accent near the end counts. Raises ConnectionsFileError for binary
    data and for bytes that don't decode in the encoding found.
    """
    found = chardet.detect(
        data, include_encodings=_ENCODINGS, compat_names=False, max_bytes=max(len(data), 1)
    )
    return _decode(data, found["encoding"])


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding is None:
        raise ConnectionsFileError(
            "That file isn't a text CSV. Upload the Connections.csv from your LinkedIn "
            "data export as it was downloaded."
        )
    # utf-8-sig reads UTF-8 with or without the byte-order mark Excel puts in front.
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ConnectionsFileError(
            f"I couldn't read the characters in that file (it looked like {encoding} but "
            f"byte {exc.start + 1:,} isn't). Upload the Connections.csv from your LinkedIn "
            "data export as it was downloaded, or save it from Excel as CSV UTF-8."
        ) from exc


def _read_upload(data: bytes) -> tuple[str, str | None]:
    """The CSV text of an upload (a CSV, or LinkedIn's .zip holding one) and, for a .zip,
    the path of the CSV inside it."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise _too_big(len(data), MAX_ARCHIVE_BYTES, "That file")
    # A CSV past MAX_IMPORT_BYTES is refused below, so looking further is no use; a zip or
    # another binary format is known by its first bytes.
    found = chardet.detect(
        data,
        include_encodings=_ENCODINGS,
        compat_names=False,
        max_bytes=max(min(len(data), MAX_IMPORT_BYTES), 1),
    )
    kind = found["mime_type"]
    if kind == _ZIP:
        content, path = _from_zip(data)
        return decode_csv(content), path
    if kind in _SPREADSHEETS:
        raise ConnectionsFileError(
            f"That file is {_SPREADSHEETS[kind]}, not a CSV. Save it as CSV (in Excel: "
            "File → Save As → CSV UTF-8), or upload the Connections.csv from your LinkedIn "
            "export as downloaded."
        )
    if kind in _ARCHIVES:
        raise ConnectionsFileError(
            f"That file is {_ARCHIVES[kind]}; the only archive I open is the .zip LinkedIn "
            "sends. " + WHAT_TO_UPLOAD
        )
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_big(len(data), MAX_IMPORT_BYTES, "That file")
    return _decode(data, found["encoding"]), None


def _delimiter(text: str) -> str:
    """ "," as LinkedIn writes it; ";" or a tab when a spreadsheet re-saved the file that
    way (Excel in many European locales uses ";", its "Unicode Text" and Google Sheets'
    TSV use tabs), judged from the header line."""
    for line in text.splitlines()[:_HEADER_SEARCH_ROWS]:
        folded = line.casefold()
        if "first name" in folded and "last name" in folded:
            return max(",;\t", key=line.count)
    return ","


def _no_header() -> ConnectionsFileError:
    return ConnectionsFileError(
        "I couldn't find the header row of a LinkedIn Connections.csv. Expected the "
        f"columns: {', '.join(EXPECTED_COLUMNS)}."
    )


def _fit(value: str | None, limit: int = SHORT_MAX) -> str | None:
    """A company or position cut to the length /prospect add allows, marked where cut."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def _clean(value: str | None) -> str | None:
    """A cell with its spacing collapsed; None when empty or LinkedIn's "-"."""
    text = " ".join((value or "").split())
    return text if text and text != _NONE else None


def plan_import(
    data: bytes,
    existing: Iterable[tuple[str, str | None, str | None]],
) -> ImportPlan:
    """Decide, without writing anything, what importing a Connections.csv would do.

    `data` is the upload: the CSV, or LinkedIn's export .zip holding it.
    `existing` holds (name, organization, linkedin_url) of the member's prospects.
    A row is skipped as a duplicate when its profile URL matches an existing prospect
    or an earlier row; otherwise when name and organization match as the bot compares
    names (case, accents, emoji and spacing ignored) unless both sides have different
    profile URLs, since then they are two people who share a name. Rows with no name, a
    name /prospect add would refuse, the wrong number of columns or an unusable URL are
    rejected with the reason.

    Raises ConnectionsFileError when the whole file is unusable: too big, binary, an
    archive other than a .zip holding Connections.csv, no header, or more than
    MAX_IMPORT_ROWS rows.
    """
    text, from_archive = _read_upload(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False, delimiter=_delimiter(text))

    columns: dict[str, int] | None = None
    width = 0
    last_line = 0
    plan = ImportPlan(added=[], skipped=[], rejected=[], from_archive=from_archive)
    seen = _Seen()
    for name, org, url in existing:
        seen.add(_name_key(name, org), _url_key(url), None)

    rows = 0
    try:
        for record in reader:
            # A quoted field may span lines; report the line the record starts on.
            line, last_line = last_line + 1, reader.line_num
            if columns is None:
                wanted = [c.strip().casefold() for c in record]
                if "first name" in wanted and "last name" in wanted:
                    columns = {c: i for i, c in enumerate(wanted) if c}
                    width = len(record)
                elif reader.line_num > _HEADER_SEARCH_ROWS:
                    raise _no_header()
                continue
            if not any(cell.strip() for cell in record):
                continue
            rows += 1
            if rows > MAX_IMPORT_ROWS:
                raise ConnectionsFileError(
                    f"That file has more than {MAX_IMPORT_ROWS:,} connections; I can import "
                    f"up to {MAX_IMPORT_ROWS:,} at a time. Split it and import each part."
                )
            _plan_row(record, line, columns, width, plan, seen)
    except csv.Error as exc:
        raise ConnectionsFileError(
            f"Line {reader.line_num} of that file isn't valid CSV ({exc}). Upload the "
            "Connections.csv from your LinkedIn data export as it was downloaded."
        ) from exc
    if columns is None:
        raise _no_header()
    return plan


class _Seen:
    """The people met so far (the member's prospects, then the file's rows), to find a
    row's duplicate in constant time however long the file: an import is one pass.

    A row is a duplicate of the first person with its profile URL; failing that, of the
    first with its name and organization, unless both have profile URLs (and so, here,
    different ones: two people who share a name). The line is None for a prospect the
    member already had.
    """

    def __init__(self) -> None:
        self._by_url: dict[str, int | None] = {}
        # By (name, organization): the first person, and the first without a URL.
        self._first: dict[tuple[str, str], int | None] = {}
        self._first_without_url: dict[tuple[str, str], int | None] = {}

    def add(self, key: tuple[str, str], url: str | None, line: int | None) -> None:
        """Remember a person (a prospect, or a row just added)."""
        if url:
            self._by_url.setdefault(url, line)
        else:
            self._first_without_url.setdefault(key, line)
        self._first.setdefault(key, line)

    def duplicate(self, key: tuple[str, str], url: str | None) -> tuple[bool, int | None]:
        """Whether a row duplicates someone, and that person's line."""
        if url and url in self._by_url:
            return True, self._by_url[url]
        # A row with a URL matches by name only someone without one: everyone with a
        # URL under this name has a different URL (the same one was found above).
        earlier = self._first_without_url if url else self._first
        if key in earlier:
            return True, earlier[key]
        return False, None


def _plan_row(
    record: list[str],
    line: int,
    columns: dict[str, int],
    width: int,
    plan: ImportPlan,
    seen: _Seen,
) -> None:
    """Sort one data row into added, skipped or rejected, remembering who was added."""
    if len(record) != width:
        plan.rejected.append((line, f"has {len(record)} columns, expected {width}"))
        return

    def cell(column: str) -> str | None:
        i = columns.get(column.casefold())
        return _clean(record[i]) if i is not None else None

    try:
        # The check /prospect add makes, so an imported name is one a member could type.
        name = prospect_name(" ".join(p for p in (cell("First Name"), cell("Last Name")) if p))
    except InvalidName as error:
        plan.rejected.append((line, error.reason))
        return
    if not name:
        plan.rejected.append((line, "no name"))
        return
    raw_url = cell("URL")
    url = None
    if raw_url:
        try:
            url = normalize_linkedin_url(raw_url)
        except InvalidLinkedInURL as error:
            plan.rejected.append((line, error.reason))
            return
    organization = _fit(cell("Company"))

    key = _name_key(name, organization)
    duplicate, earlier = seen.duplicate(key, url)
    if duplicate:
        plan.skipped.append((line, _dup_reason(earlier)))
        return

    email = cell("Email Address")
    plan.added.append(
        ImportedConnection(
            name=name,
            linkedin=url,
            email=email if email and "@" in email and len(email) <= EMAIL_MAX else None,
            organization=organization,
            role=_fit(cell("Position")),
            connected_on=_fit(cell("Connected On"), 40),
        )
    )
    seen.add(key, url, line)


def _dup_reason(earlier_line: int | None) -> str:
    if earlier_line is None:
        return ALREADY_LISTED
    return f"{ALREADY_LISTED} (same as line {earlier_line} of this file)"
