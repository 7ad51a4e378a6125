"""The zones offered first to a member who hasn't set one, from their app's language."""

import zoneinfo

import discord
import pytest

from bot.domain.timezones import all_timezones
from bot.domain.zone_hints import MAX_OFFERED, likely_zones


@pytest.mark.parametrize(
    ("locale", "first"),
    [
        ("en-US", "America/New_York"),
        ("en-GB", "Europe/London"),
        ("de", "Europe/Berlin"),
        ("fr", "Europe/Paris"),
        ("hi", "Asia/Kolkata"),
        ("pt-BR", "America/Sao_Paulo"),
        ("es-419", "America/Mexico_City"),
        ("ja", "Asia/Tokyo"),
        ("en-CA", "America/New_York"),  # a locale Discord may add: by its language
    ],
)
def test_the_locales_own_zone_comes_first(locale, first):
    assert likely_zones(locale)[0] == first


def test_en_us_offers_every_us_zone_before_the_rest_of_the_world():
    zones = likely_zones("en-US")
    us = {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}
    assert us <= set(zones[:7])
    assert zones.index("Pacific/Honolulu") < zones.index("UTC") < zones.index("Europe/London")


def test_utc_and_the_common_zones_are_always_offered():
    for locale in ("de", "xx", "", None):
        zones = likely_zones(locale)
        assert "UTC" in zones
        assert "America/New_York" in zones and "Asia/Tokyo" in zones


def test_an_unknown_locale_starts_with_utc():
    assert likely_zones("tlh")[0] == "UTC"


def test_every_discord_locale_gets_real_zones_without_repeats_within_a_select():
    known = set(all_timezones())
    for locale in discord.Locale:
        zones = likely_zones(locale.value)
        assert len(zones) == len(set(zones)) <= MAX_OFFERED
        assert set(zones) <= known, locale
        for name in zones:
            zoneinfo.ZoneInfo(name)


def test_the_limit_is_kept():
    assert len(likely_zones("en-US", limit=3)) == 3
    assert likely_zones("en-US", limit=0) == []
