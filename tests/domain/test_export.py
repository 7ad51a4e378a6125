import csv
import io
import json
import random
import string
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.export import (
    BOOKKEEPING_ABOUT,
    csv_safe,
    member_export,
    split_for_upload,
    tables_to_csv,
    to_json,
)


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
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


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
    # A byte-order mark, so Excel reads "José" as written (issue 10; before: no BOM).
    assert data.startswith(b"\xef\xbb\xbfid,name")


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


# -- member_export: what /mydata export hands over --------------------------------------
STORE = {
    "settings": [
        {"key": "timezone", "value": '"America/New_York"'},
        {"key": "dms", "value": "true"},
        {"key": "thanks_after_hours", "value": "3"},
        {"key": "profile_name", "value": '"Zoë Martín"'},
        {"key": "dm_channel_id", "value": "1234567890"},
    ],
    "prospects": [{"id": 1, "name": "José García", "organization": "=Acme"}],
    "outreach": [],
    "reminders": [
        {
            "id": 7,
            "kind": "thanks",
            "meeting_id": 2,
            "outreach_id": None,
            "step": 0,
            "due_at": "2026-12-03T17:00:00+00:00",
            "state": "pending",
            "attempts": 2,
            "message_id": None,
            "late": 0,
            "last_error": "503 Service Unavailable",
            "created_at": "2026-12-01T09:00:00+00:00",
            "updated_at": "2026-12-03T17:00:05+00:00",
            "tried_at": "2026-12-03T17:00:01+00:00",
            "tried_prints": "a1b2 c3d4",
        }
    ],
    "notices": [
        {
            "id": 3,
            "key": "dm-closed",
            "text": "Your DMs are closed",
            "created_at": "2026-12-01T09:00:00+00:00",
            "shown_at": None,
        }
    ],
}


def test_settings_are_exported_as_plain_values():
    export = member_export(STORE)
    assert export.settings == {
        "timezone": "America/New_York",
        "dms": True,
        "thanks_after_hours": 3,
        "profile_name": "Zoë Martín",
    }
    data = json.loads(export.to_json())
    assert data["settings"]["timezone"] == "America/New_York"  # not "\"America/New_York\""
    assert read(export.csv_files()["settings.csv"]) == [
        ["setting", "value"],
        ["timezone", "America/New_York"],
        ["dms", "True"],
        ["thanks_after_hours", "3"],
        ["profile_name", "Zoë Martín"],
    ]


def test_bookkeeping_is_kept_apart_from_the_members_data():
    export = member_export(STORE)
    assert "dm_channel_id" not in export.settings
    (reminder,) = export.tables["reminders"]
    assert set(reminder) == {
        "id",
        "kind",
        "meeting_id",
        "outreach_id",
        "step",
        "due_at",
        "state",
        "created_at",
    }
    assert export.tables["notices"] == [
        {"text": "Your DMs are closed", "created_at": "2026-12-01T09:00:00+00:00", "shown_at": None}
    ]
    books = json.loads(export.to_json())["bookkeeping"]
    assert books["about"] == BOOKKEEPING_ABOUT
    assert books["settings"] == {"dm_channel_id": 1234567890}
    assert books["reminders"][0]["id"] == 7
    assert books["reminders"][0]["tried_prints"] == "a1b2 c3d4"
    assert books["reminders"][0]["last_error"] == "503 Service Unavailable"
    assert books["notices"] == [{"id": 3, "key": "dm-closed"}]
    # No CSV carries bookkeeping.
    header = read(export.csv_files()["reminders.csv"])[0]
    assert not {"attempts", "last_error", "tried_at", "tried_prints"} & set(header)


def test_a_bookkeeping_column_added_later_stays_out_of_the_members_data():
    store = {"reminders": [dict(STORE["reminders"][0], claim_nonce="xyz")]}
    export = member_export(store)
    assert "claim_nonce" not in export.tables["reminders"][0]
    assert export.bookkeeping["reminders"][0]["claim_nonce"] == "xyz"


def test_csv_files_are_one_per_table_with_rows_and_excel_safe():
    files = member_export(STORE).csv_files()
    assert list(files) == ["settings.csv", "prospects.csv", "reminders.csv", "notices.csv"]
    assert all(data.startswith(b"\xef\xbb\xbf") for data in files.values())
    rows = read(files["prospects.csv"])
    assert rows[1] == ["1", "José García", "'=Acme"]  # the formula guard stays


def test_counts_follow_the_export():
    assert member_export(STORE).counts() == {
        "settings": 4,
        "prospects": 1,
        "outreach": 0,
        "reminders": 1,
        "notices": 1,
    }


def test_a_setting_that_isnt_json_is_exported_as_stored():
    export = member_export({"settings": [{"key": "timezone", "value": "UTC"}]})
    assert export.settings == {"timezone": "UTC"}


# --- fitting Discord's upload limits ----------------------------------------------------


def unzipped(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def test_files_that_fit_go_as_they_are():
    files = {"mydata.json": b"{}\n", "prospects.csv": b"id,name\n1,Ada\n"}
    assert split_for_upload(files, limit=1000, max_files=10) == [files]


def test_files_over_the_limit_go_compressed_in_one_zip():
    rows = [{"id": n, "name": f"Person {n}", "organization": "Acme"} for n in range(5000)]
    files = {"mydata.json": to_json({"prospects": rows}), "prospects.csv": tables_to_csv(rows)}
    limit = 200_000
    assert sum(map(len, files.values())) > limit
    ((name, archive),) = [
        item
        for message in split_for_upload(files, limit=limit, max_files=10)
        for item in message.items()
    ]
    assert name == "mydata.zip" and len(archive) <= limit
    assert unzipped(archive) == files


def test_more_files_than_a_message_takes_go_in_a_zip():
    files = {f"table{n}.csv": b"id\n1\n" for n in range(12)}
    ((message),) = split_for_upload(files, limit=10_000, max_files=10)
    assert list(message) == ["mydata.zip"]
    assert unzipped(message["mydata.zip"]) == files


def test_too_much_for_one_message_goes_in_several_each_within_the_limit():
    # Notes that don't compress (random text), as a member's own words might not.
    rng = random.Random(7)
    rows = [
        {"id": n, "notes": "".join(rng.choices(string.ascii_letters, k=300))} for n in range(3000)
    ]
    csv_data, json_data = tables_to_csv(rows), to_json({"prospects": rows})
    limit = 300_000
    messages = split_for_upload(
        {"mydata.json": json_data, "prospects.csv": csv_data}, limit=limit, max_files=10
    )
    assert len(messages) > 2
    names = [name for message in messages for name in message]
    assert names == [f"mydata-{n}-of-{len(messages)}.zip" for n in range(1, len(messages) + 1)]
    assert all(len(data) <= limit for message in messages for data in message.values())
    inside: dict[str, bytes] = {}
    for message in messages:
        for archive in message.values():
            inside |= unzipped(archive)
    # mydata.json's pieces join back into it; each CSV part opens on its own, header first.
    pieces = sorted(name for name in inside if name.startswith("mydata.json."))
    assert pieces and b"".join(inside[name] for name in pieces) == json_data
    parts = sorted(
        (name for name in inside if name.startswith("prospects-")),
        key=lambda name: int(name.split("-")[1]),
    )
    assert len(parts) > 1
    read_back = [row for name in parts for row in read(inside[name])[1:]]
    assert all(read(inside[name])[0] == ["id", "notes"] for name in parts)
    assert read_back == read(csv_data)[1:]


def test_the_name_key_a_prospect_is_found_by_is_bookkeeping():
    ada = {"id": 1, "name": "Adá Lovelace", "origin": None, "name_key": "ada lovelace"}
    export = member_export({"prospects": [ada]})
    assert export.tables["prospects"] == [{"id": 1, "name": "Adá Lovelace", "origin": None}]
    assert export.bookkeeping["prospects"] == [{"id": 1, "name_key": "ada lovelace"}]
