import re

import pytest

from bot.domain.linkedin import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ConnectionsFileError,
    ImportedConnection,
    ImportPlan,
    normalize_linkedin_url,
    plan_import,
)

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who "
    'have allowed their connections to see or download their email address."\n'
    "\n"
)


def export(*rows, bom=True, preamble=True):
    text = (PREAMBLE if preamble else "") + HEADER + "\n" + "".join(r + "\n" for r in rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


ADA = (
    "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,Engineer,27 Nov 2026"
)


# --- normalize_linkedin_url -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://www.linkedin.com/in/ada-lovelace",
        "https://www.linkedin.com/in/ada-lovelace/",
        "http://www.linkedin.com/in/ada-lovelace",
        "https://linkedin.com/in/ada-lovelace",
        "linkedin.com/in/ada-lovelace",
        "www.linkedin.com/in/Ada-Lovelace/",
        "https://uk.linkedin.com/in/ada-lovelace?trk=people#about",
        "https://www.linkedin.com/in/ada-lovelace/details/experience/",
        "  <https://www.linkedin.com/in/ada-lovelace>  ",
        "HTTPS://WWW.LINKEDIN.COM/IN/ADA-LOVELACE",
    ],
)
def test_normalize_variants(text):
    assert normalize_linkedin_url(text) == "https://www.linkedin.com/in/ada-lovelace"


def test_normalize_pub_and_unicode():
    assert (
        normalize_linkedin_url("http://www.linkedin.com/pub/ada-lovelace/1a/2b/3c")
        == "https://www.linkedin.com/pub/ada-lovelace/1a/2b/3c"
    )
    encoded = normalize_linkedin_url("https://www.linkedin.com/in/Jos%C3%A9-garc%c3%ADa")
    assert encoded == "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa"
    assert normalize_linkedin_url("linkedin.com/in/JOSÉ-García") == encoded


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ada lovelace",
        "https://example.com/in/ada",
        "https://evil-linkedin.com/in/ada",
        "https://linkedin.com.evil.example/in/ada",
        "https://www.linkedin.com/company/analytical-engines",
        "https://www.linkedin.com/in/",
        "https://www.linkedin.com/",
        "ftp://linkedin.com/in/ada",
        "https://user@linkedin.com/in/ada",
        "https://www.linkedin.com/in/ada lovelace",
        "javascript:alert(1)",
    ],
)
def test_normalize_rejects(text):
    with pytest.raises(ValueError, match=re.escape("https://www.linkedin.com/in/ada-lovelace")):
        normalize_linkedin_url(text)


# --- plan_import -------------------------------------------------------------------


def test_realistic_export_with_bom_and_notes():
    data = export(
        ADA,
        "Grace,Hopper,https://www.linkedin.com/in/grace-hopper,grace@navy.example,"
        '"US Navy, Reserve","Rear Admiral, Retired",3 Oct 2025',
        "José,García,https://www.linkedin.com/in/jose-garcia,,Banco Ñ,Analista,1 Jan 2026",
    )
    plan = plan_import(data, [])
    assert isinstance(plan, ImportPlan)
    assert plan.skipped == []
    assert plan.rejected == []
    assert plan.added[0] == ImportedConnection(
        name="Ada Lovelace",
        linkedin="https://www.linkedin.com/in/ada-lovelace",
        email=None,
        organization="Analytical Engines",
        role="Engineer",
        connected_on="27 Nov 2026",
    )
    grace = plan.added[1]
    assert grace.organization == "US Navy, Reserve"
    assert grace.role == "Rear Admiral, Retired"
    assert grace.email == "grace@navy.example"
    assert plan.added[2].name == "José García"


def test_without_bom_or_preamble_and_crlf():
    data = export(ADA, bom=False, preamble=False).replace(b"\n", b"\r\n")
    assert [c.name for c in plan_import(data, []).added] == ["Ada Lovelace"]


def test_header_found_case_insensitively_and_columns_by_name():
    data = (
        b"url,first name,last name,company\n"
        b"https://linkedin.com/in/ada-lovelace,Ada,Lovelace,Engines\n"
    )
    (conn,) = plan_import(data, []).added
    assert conn.name == "Ada Lovelace"
    assert conn.organization == "Engines"
    assert conn.role is None


def test_duplicates_against_existing():
    existing = [
        ("Ada Lovelace", "Somewhere Else", "http://linkedin.com/in/Ada-Lovelace/"),
        ("grace  HOPPER", "us navy", None),
    ]
    data = export(
        ADA,  # line 5: same URL, different organization
        "Grace,Hopper,,,US Navy,Admiral,",  # line 6: same name + organization
    )
    plan = plan_import(data, existing)
    assert plan.added == []
    assert plan.skipped == [(5, "already in your list"), (6, "already in your list")]


def test_duplicates_within_file():
    data = export(
        ADA,  # line 5
        "Charles,Babbage,,,Engines,,",  # line 6
        "Ada,Lovelace,https://linkedin.com/in/ada-lovelace?trk=x,,Other,,",  # line 7: URL
        "charles,BABBAGE,,,engines,,",  # line 8: name + organization
    )
    plan = plan_import(data, [])
    assert [c.name for c in plan.added] == ["Ada Lovelace", "Charles Babbage"]
    assert [line for line, _ in plan.skipped] == [7, 8]
    assert "line 5" in plan.skipped[0][1]
    assert "line 6" in plan.skipped[1][1]
    assert all("already in your list" in reason for _, reason in plan.skipped)


def test_same_name_different_profiles_are_different_people():
    data = export(
        "John,Smith,https://www.linkedin.com/in/john-smith-1,,Google,,",
        "John,Smith,https://www.linkedin.com/in/john-smith-2,,Google,,",
    )
    assert len(plan_import(data, [("John Smith", "Google", None)]).added) == 0
    assert len(plan_import(data, []).added) == 2


def test_rejected_rows_with_reasons():
    data = export(
        ",,,,Company,,1 Jan 2026",  # line 5: no name
        "Ada,Lovelace,too,few",  # line 6: wrong column count
        "Bad,Url,https://example.com/ada,,,,",  # line 7
        "Cher,,https://www.linkedin.com/in/cher,,,,",  # line 8: one name is enough
        "",  # blank lines are ignored
    )
    plan = plan_import(data, [])
    assert [c.name for c in plan.added] == ["Cher"]
    assert plan.rejected[0] == (5, "no name")
    assert plan.rejected[1][0] == 6
    assert "4 columns" in plan.rejected[1][1] and "7" in plan.rejected[1][1]
    assert plan.rejected[2][0] == 7
    assert "LinkedIn" in plan.rejected[2][1]


def test_line_numbers_count_multiline_fields():
    data = export(
        'Ada,Lovelace,,,"Analytical\nEngines",,',  # lines 5-6
        ",,,,,,x",  # line 7
    )
    plan = plan_import(data, [])
    assert plan.added[0].organization == "Analytical Engines"
    assert plan.rejected == [(7, "no name")]


def test_bad_email_dropped_but_row_kept():
    (conn,) = plan_import(export("Ada,Lovelace,,not-an-email,,,"), []).added
    assert conn.email is None
    assert conn.linkedin is None


def test_header_only_is_empty_plan():
    assert plan_import(export(), []) == ImportPlan([], [], [])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Notes:\nnothing here\n",
        b"name,company\nAda,Engines\n",
        ("Notes:\n" * 30 + HEADER + "\n" + ADA + "\n").encode(),
    ],
)
def test_missing_header(data):
    with pytest.raises(ConnectionsFileError) as exc:
        plan_import(data, [])
    message = str(exc.value)
    assert "First Name, Last Name, URL, Email Address, Company, Position, Connected On" in message


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,  # binary junk
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    ],
)
def test_not_text(data):
    with pytest.raises(ConnectionsFileError, match=r"Connections\.csv"):
        plan_import(data, [])


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_utf16_and_western_european_text_are_read(encoding):
    # Until issue 10 these were refused as "not text" / "not UTF-8"; spreadsheets save them.
    data = (HEADER + "\nJos\xe9,Garc\xeda,,,,,\n").encode(encoding)
    assert [c.name for c in plan_import(data, []).added] == ["José García"]


def test_too_big():
    data = export(ADA) + b" " * MAX_IMPORT_BYTES
    with pytest.raises(ConnectionsFileError, match="limit"):
        plan_import(data, [])


def test_too_many_rows():
    rows = [f"P{i},Person,,,Org,," for i in range(MAX_IMPORT_ROWS + 1)]
    with pytest.raises(ConnectionsFileError, match="5,000"):
        plan_import(export(*rows), [])
    ok = plan_import(export(*rows[:MAX_IMPORT_ROWS]), [])
    assert len(ok.added) == MAX_IMPORT_ROWS


def test_error_types():
    assert issubclass(ConnectionsFileError, ValueError)


def test_a_semicolon_separated_export_from_a_european_excel_is_read():
    data = (
        "Notes:\n\nFirst Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
        'José;García;;;"Acme; Inc";Analyst;01 Jan 2024\n'
    ).encode()
    plan = plan_import(data, [])
    (row,) = plan.added
    assert (row.name, row.organization, row.role) == ("José García", "Acme; Inc", "Analyst")


# --- what LinkedIn writes and what members decorate names with ------------------------


def test_linkedins_dash_means_empty():
    data = export("Tom,Nguyen,https://www.linkedin.com/in/tom-nguyen, -, -, -,12 Apr 2026")
    (tom,) = plan_import(data, []).added
    assert (tom.organization, tom.role, tom.email) == (None, None, None)


def test_a_dash_for_a_last_name_leaves_the_first():
    (cher,) = plan_import(export("Cher,-,,,,,"), []).added
    assert cher.name == "Cher"


@pytest.mark.parametrize(
    "row",
    [
        "Grace,Hopper 🔸,,,US Navy,Rear Admiral,",
        "GRACE,HOPPER,,,us navy,,",
        "Grace,  Hopper ✨🚀,,,US  Navy,,",
        "Grace,Hopper,,,US Navy 🇺🇸,,",
    ],
)
def test_emoji_case_and_spacing_dont_defeat_duplicate_matching(row):
    plan = plan_import(export(row), [("Grace Hopper", "US Navy", None)])
    assert plan.added == []
    assert plan.skipped == [(5, "already in your list")]


def test_an_accented_name_matches_the_same_name_typed_without_accents():
    plan = plan_import(export("José,García,,,Banco Ñ,,"), [("Jose Garcia", "Banco N", None)])
    assert plan.added == []


def test_a_decorated_name_is_kept_as_linkedin_has_it():
    (grace,) = plan_import(export("Grace,Hopper 🔸,,,US Navy,,"), []).added
    assert grace.name == "Grace Hopper 🔸"


def test_decorated_duplicates_within_one_file_are_skipped():
    plan = plan_import(
        export("Grace,Hopper,,,US Navy,,", "Grace 🔸,Hopper,,,US Navy,,"),
        [],
    )
    assert [c.name for c in plan.added] == ["Grace Hopper"]
    assert plan.skipped == [(6, "already in your list (same as line 5 of this file)")]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Ada\u202e,ecalevoL,,,,,", "U+202E"),
        ("\u200b,\u2060,,,,,", "nothing visible"),
        ("Ada\x1b[31m,Lovelace,,,,,", "U+001B"),
        (f"{'A' * 60},{'B' * 60},,,,,", "the name is 121 characters (the limit is 100)"),
        ("Ada,Lovelace,https://www.linkedin.com/in/" + "a" * 200 + ",,,,", "the limit is 200"),
    ],
)
def test_imported_values_get_the_checks_prospect_add_makes(row, reason):
    plan = plan_import(export(row, "Grace,Hopper,,,,,"), [])
    assert [c.name for c in plan.added] == ["Grace Hopper"]
    ((line, why),) = plan.rejected
    assert line == 5
    assert reason in why


def test_normalize_refuses_an_overlong_link_with_its_length():
    with pytest.raises(ValueError, match="250 characters"):
        normalize_linkedin_url("https://www.linkedin.com/in/" + "a" * 222)


# --- an import is one pass over the file ---------------------------------------------


def _lines_run(data: bytes, existing=()) -> int:
    """How many lines of bot/domain/linkedin.py planning `data` executes: a count that
    grows with the work done, the same on any machine (no timing in tests)."""
    import sys

    import bot.domain.linkedin as linkedin

    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != linkedin.__file__:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        plan_import(data, existing=list(existing))
    finally:
        sys.settrace(None)
    return count


def _namesakes(count: int) -> bytes:
    """The duplicate check's worst case: one name at one company, each row its own
    profile (two people can share a name), so every row is compared with the others."""
    return export(
        *(
            f"John,Smith,https://www.linkedin.com/in/john-smith-{n},,Acme,Analyst,1 Nov 2026"
            for n in range(count)
        )
    )


def test_the_duplicate_check_takes_the_same_work_per_row_however_long_the_file():
    small, large = _lines_run(_namesakes(1000)), _lines_run(_namesakes(5000))
    # Five times the rows, five times the work (a row-by-row comparison would be 25x).
    assert large / small < 5.5
    plan = plan_import(_namesakes(5000), existing=[("John Smith", "Acme", None)])
    # Every row matches the prospect without a URL; none the others with theirs.
    assert len(plan.skipped) == 5000 and not plan.added


def test_namesakes_with_their_own_profiles_are_all_added():
    plan = plan_import(_namesakes(5000), existing=[])
    assert len(plan.added) == 5000 and not plan.skipped
