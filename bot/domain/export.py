"""Turning a member's store into files they can download (/mydata export)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, datetime, time
from typing import Any

__all__ = ["csv_safe", "tables_to_csv", "to_json"]

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
    """UTF-8 CSV of `rows`; the header is the union of their keys in first-seen order.

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
    return buf.getvalue().encode("utf-8")


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
