import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.export import csv_safe, tables_to_csv, to_json


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("plain", "plain"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("", ""),
        (42, "42"),
        (-5, "-5"),  # a real number is data, not a formula
        (-1.5, "-1.5"),
        (True, "True"),
        (datetime(2026, 11, 27, 15, 0, tzinfo=UTC), "2026-11-27T15:00:00+00:00"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def read(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_tables_to_csv_union_header_and_escaping():
    rows = [
        {"id": 1, "name": "Ada, Countess", "notes": '=cmd|" /C calc"!A0'},
        {"id": 2, "name": "José\nGarcía", "email": "jose@example.com"},
    ]
    data = tables_to_csv(rows)
    assert isinstance(data, bytes)
    assert read(data) == [
        ["id", "name", "notes", "email"],
        ["1", "Ada, Countess", '\'=cmd|" /C calc"!A0', ""],
        ["2", "José\nGarcía", "", "jose@example.com"],
    ]
    assert data.startswith(b"id,name")  # no BOM


def test_tables_to_csv_header_cells_also_safe():
    assert read(tables_to_csv([{"=x": 1}]))[0] == ["'=x"]


def test_tables_to_csv_empty():
    assert tables_to_csv([]) == b""


def test_to_json():
    berlin = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    data = to_json({"name": "José", "when": berlin, "day": date(2026, 12, 3), "tags": {"b", "a"}})
    assert isinstance(data, bytes)
    text = data.decode("utf-8")
    assert "José" in text  # ensure_ascii=False
    assert '\n  "name"' in text  # indent 2
    assert json.loads(text) == {
        "name": "José",
        "when": "2026-12-03T09:00:00+01:00",
        "day": "2026-12-03",
        "tags": ["a", "b"],
    }


def test_to_json_dataclasses_and_nested_datetimes():
    @dataclass
    class Row:
        id: int
        at: datetime

    data = to_json({"rows": [Row(1, datetime(2026, 11, 27, 15, 0, tzinfo=UTC))]})
    assert json.loads(data) == {"rows": [{"id": 1, "at": "2026-11-27T15:00:00+00:00"}]}


def test_to_json_refuses_unknown_types():
    with pytest.raises(TypeError):
        to_json({"x": object()})
