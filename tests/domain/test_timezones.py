import time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timezones import (
    UnknownTimezone,
    all_timezones,
    resolve_timezone,
    suggest_timezones,
)


def test_all_timezones_is_sorted_and_clean():
    names = all_timezones()
    assert names == sorted(names)
    assert "UTC" in names
    assert "America/New_York" in names
    assert "Europe/Berlin" in names
    for junk in ("posixrules", "Factory", "localtime", "Etc/GMT+5", "EST5EDT", "US/Eastern"):
        assert junk not in names
    assert not any(n.startswith(("Etc/", "posix/", "right/")) for n in names)
    for name in names[:50]:
        ZoneInfo(name)


def test_all_timezones_returns_a_copy():
    all_timezones().clear()
    assert all_timezones()


def test_empty_text_gives_common_zones():
    got = suggest_timezones("")
    assert got[0] == "UTC"
    assert {"America/New_York", "Europe/London", "Asia/Tokyo"} <= set(got)
    assert suggest_timezones("   ", limit=3) == ["UTC", "America/New_York", "America/Chicago"]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("new y", "America/New_York"),
        ("new_y", "America/New_York"),
        ("london", "Europe/London"),
        ("LONDON", "Europe/London"),
        ("europe/berlin", "Europe/Berlin"),
        ("utc", "UTC"),
        ("kolk", "Asia/Kolkata"),
        ("sao paulo", "America/Sao_Paulo"),
        ("york", "America/New_York"),  # substring
        ("berln", "Europe/Berlin"),  # fuzzy
        ("Amrica/Chicgo", "America/Chicago"),  # fuzzy on a full name's city
    ],
)
def test_best_match_first(text, first):
    assert suggest_timezones(text)[0] == first


def test_exact_beats_prefix_beats_substring():
    got = suggest_timezones("america/n")
    prefixed = [g for g in got if g.lower().startswith("america/n")]
    assert got[: len(prefixed)] == prefixed  # prefix matches before anything fuzzier
    assert "America/New_York" in prefixed
    assert suggest_timezones("new")[0] == "America/New_York"  # common zones lead a tier
    # "Europe/Paris" is a city-exact match and outranks names merely containing "paris".
    assert suggest_timezones("paris")[0] == "Europe/Paris"


def test_limit_respected():
    assert len(suggest_timezones("a")) == 25
    assert len(suggest_timezones("america", limit=5)) == 5
    assert suggest_timezones("america", limit=0) == []


def test_nonsense_gives_nothing():
    assert suggest_timezones("zzzzqqqq") == []


def test_suggest_is_fast():
    suggest_timezones("warm up")
    start = time.perf_counter()
    for text in ("new y", "london", "berln", "zzzzqqqq", "a"):
        suggest_timezones(text)
    assert (time.perf_counter() - start) / 5 < 0.02  # generous for slow CI; ~2 ms here


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("America/New_York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("America/New York", "America/New_York"),
        (" Europe/Berlin ", "Europe/Berlin"),
        ("utc", "UTC"),
        ("US/Eastern", "US/Eastern"),  # legacy aliases still resolve
    ],
)
def test_resolve(text, key):
    zone = resolve_timezone(text)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == key


@pytest.mark.parametrize("text", ["Mars/Olympus", "new york", "Factory", "localtime", ""])
def test_resolve_unknown(text):
    with pytest.raises(UnknownTimezone) as exc:
        resolve_timezone(text)
    err = exc.value
    assert isinstance(err, ValueError)
    assert len(err.suggestions) == 3
    assert all(s in all_timezones() for s in err.suggestions)
    assert "isn't a time zone I know" in str(err)
    assert "America/New_York" in str(err)


def test_unknown_suggests_closest():
    with pytest.raises(UnknownTimezone) as exc:
        resolve_timezone("new york")
    assert exc.value.suggestions[0] == "America/New_York"
    assert str(exc.value).startswith('"new york" isn\'t a time zone I know. Did you mean: ')
