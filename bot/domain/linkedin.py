"""LinkedIn profile URLs and the member's own `Connections.csv` export.

LinkedIn's terms forbid scraping, so the bot only takes what the member pastes or
downloads themselves. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "EXPECTED_COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "ConnectionsFileError",
    "ImportPlan",
    "ImportedConnection",
    "normalize_linkedin_url",
    "plan_import",
]

MAX_IMPORT_BYTES = 2_000_000
MAX_IMPORT_ROWS = 5000
# The limits /prospect add enforces, so an imported prospect fits everywhere one typed does.
NAME_MAX = 100
FIELD_MAX = 100
EMAIL_MAX = 254
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

# The preamble LinkedIn puts above the header is a handful of lines; a header further
# down than this means it's some other file.
_HEADER_SEARCH_ROWS = 20
# A slug is one path segment; LinkedIn allows letters, digits, hyphens and
# percent-encoded non-ASCII, and members paste decoded Unicode too.
_SLUG = re.compile(r"^[^\s/?#<>\"']+$")


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


class ConnectionsFileError(ValueError):
    """The file can't be imported at all; the message is safe to show the member."""


def normalize_linkedin_url(text: str) -> str:
    """The canonical form of a LinkedIn profile URL: https://www.linkedin.com/in/<slug>.

    Accepts http or https, with or without www (or a country/mobile subdomain such as
    uk. or m.), with or without the scheme, query, fragment, trailing slash or extra
    path after the slug, and the old /pub/<name>/<a>/<b>/<c> form. Lowercases.
    Raises ValueError (member-facing, with an example) for anything else.
    """
    raw = (text or "").strip().strip("<>").strip()
    error = ValueError(
        f"That doesn't look like a LinkedIn profile link. Paste one like {URL_EXAMPLE}"
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


def _url_key(url: str | None) -> str | None:
    """Comparable form of a stored or imported URL; lenient with old, odd values."""
    if not url or not url.strip():
        return None
    try:
        return normalize_linkedin_url(url)
    except ValueError:
        return url.strip().lower().rstrip("/")


def _name_key(name: str | None, organization: str | None) -> tuple[str, str]:
    def fold(s: str | None) -> str:
        return " ".join((s or "").split()).casefold()

    return fold(name), fold(organization)


def _decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ConnectionsFileError(
            f"That file is {len(data) / 1_000_000:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES / 1_000_000:.0f} MB. Upload the Connections.csv from "
            "your LinkedIn data export."
        )
    if b"\x00" in data:
        # UTF-16 or binary: csv would choke on NUL bytes anyway.
        raise ConnectionsFileError(
            "That file isn't a text CSV. Upload the Connections.csv from your LinkedIn "
            "data export as it was downloaded."
        )
    try:
        # utf-8-sig drops the byte-order mark Excel and some exports put in front.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConnectionsFileError(
            "That file isn't UTF-8 text. Upload the Connections.csv from your LinkedIn "
            "data export as it was downloaded (re-saving it in Excel can change it)."
        ) from exc


def _delimiter(text: str) -> str:
    """ "," as LinkedIn writes it; ";" or a tab when a spreadsheet re-saved the file that
    way (Excel in many European locales uses ";"), judged from the header line."""
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


def _fit(value: str | None, limit: int = FIELD_MAX) -> str | None:
    """A company or position cut to the length /prospect add allows, marked where cut."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def plan_import(
    data: bytes,
    existing: list[tuple[str, str | None, str | None]],
) -> ImportPlan:
    """Decide, without writing anything, what importing a Connections.csv would do.

    `existing` holds (name, organization, linkedin_url) of the member's prospects.
    A row is skipped as a duplicate when its profile URL matches an existing prospect
    or an earlier row; otherwise when name and organization match (case- and
    space-insensitive) unless both sides have different profile URLs, since then they
    are two people who share a name. Rows with no name, the wrong number of columns or
    an unusable URL are rejected with the reason.

    Raises ConnectionsFileError when the whole file is unusable: too big, not UTF-8,
    no header, or more than MAX_IMPORT_ROWS rows.
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False, delimiter=_delimiter(text))

    columns: dict[str, int] | None = None
    width = 0
    last_line = 0
    plan = ImportPlan(added=[], skipped=[], rejected=[])
    seen_urls: dict[str, int | None] = {}
    seen_names: dict[tuple[str, str], list[tuple[int | None, str | None]]] = {}
    for name, org, url in existing:
        key = _url_key(url)
        if key:
            seen_urls[key] = None
        seen_names.setdefault(_name_key(name, org), []).append((None, key))

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
            _plan_row(record, line, columns, width, plan, seen_urls, seen_names)
    except csv.Error as exc:
        raise ConnectionsFileError(
            f"Line {reader.line_num} of that file isn't valid CSV ({exc}). Upload the "
            "Connections.csv from your LinkedIn data export as it was downloaded."
        ) from exc
    if columns is None:
        raise _no_header()
    return plan


def _plan_row(
    record: list[str],
    line: int,
    columns: dict[str, int],
    width: int,
    plan: ImportPlan,
    seen_urls: dict[str, int | None],
    seen_names: dict[tuple[str, str], list[tuple[int | None, str | None]]],
) -> None:
    """Sort one data row into added, skipped or rejected, updating the seen sets."""
    if len(record) != width:
        plan.rejected.append((line, f"has {len(record)} columns, expected {width}"))
        return

    def cell(column: str) -> str | None:
        i = columns.get(column.casefold())
        return _clean(record[i]) if i is not None else None

    name = " ".join(p for p in (cell("First Name"), cell("Last Name")) if p)
    if not name:
        plan.rejected.append((line, "no name"))
        return
    if len(name) > NAME_MAX:
        plan.rejected.append(
            (line, f"the name is {len(name)} characters (the limit is {NAME_MAX})")
        )
        return
    raw_url = cell("URL")
    url = None
    if raw_url:
        try:
            url = normalize_linkedin_url(raw_url)
        except ValueError:
            plan.rejected.append((line, "the URL isn't a LinkedIn profile link"))
            return
    organization = _fit(cell("Company"))

    if url and url in seen_urls:
        earlier = seen_urls[url]
        plan.skipped.append((line, _dup_reason(earlier)))
        return
    key = _name_key(name, organization)
    for earlier, other_url in seen_names.get(key, []):
        # Two different profile URLs behind the same name are two different people.
        if url and other_url and url != other_url:
            continue
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
    if url:
        seen_urls[url] = line
    seen_names.setdefault(key, []).append((line, url))


def _dup_reason(earlier_line: int | None) -> str:
    if earlier_line is None:
        return ALREADY_LISTED
    return f"{ALREADY_LISTED} (same as line {earlier_line} of this file)"
