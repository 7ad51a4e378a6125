"""Which time zones to offer a member first, from the language their Discord app uses.

Discord sends each interaction's `locale` (the app's language: "en-US", "de", "pt-BR"…,
https://discord.com/developers/docs/reference#locales). A language is a hint, not a
place: en-US is also the default for many people outside the United States, so the
hinted zones come first and the world's most common ones follow. The member always
picks; nothing here is stored without them.
"""

from __future__ import annotations

from bot.domain.timezones import COMMON_TIMEZONES

__all__ = ["MAX_OFFERED", "likely_zones"]

# Discord's locales and the zones most speakers of each live in, most populous first.
_BY_LOCALE: dict[str, tuple[str, ...]] = {
    "en-US": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    ),
    "en-GB": ("Europe/London", "Europe/Dublin"),
    "bg": ("Europe/Sofia",),
    "zh-CN": ("Asia/Shanghai",),
    "zh-TW": ("Asia/Taipei", "Asia/Hong_Kong"),
    "hr": ("Europe/Zagreb",),
    "cs": ("Europe/Prague",),
    "id": ("Asia/Jakarta", "Asia/Makassar"),
    "da": ("Europe/Copenhagen",),
    "nl": ("Europe/Amsterdam", "Europe/Brussels"),
    "fi": ("Europe/Helsinki",),
    "fr": ("Europe/Paris", "Europe/Brussels", "America/Toronto"),
    "de": ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "el": ("Europe/Athens",),
    "hi": ("Asia/Kolkata",),
    "hu": ("Europe/Budapest",),
    "it": ("Europe/Rome",),
    "ja": ("Asia/Tokyo",),
    "ko": ("Asia/Seoul",),
    "es-419": (
        "America/Mexico_City",
        "America/Bogota",
        "America/Lima",
        "America/Argentina/Buenos_Aires",
        "America/Santiago",
    ),
    "lt": ("Europe/Vilnius",),
    "no": ("Europe/Oslo",),
    "pl": ("Europe/Warsaw",),
    "pt-BR": ("America/Sao_Paulo", "America/Manaus"),
    "ro": ("Europe/Bucharest",),
    "ru": ("Europe/Moscow",),
    "es-ES": ("Europe/Madrid",),
    "sv-SE": ("Europe/Stockholm",),
    "th": ("Asia/Bangkok",),
    "tr": ("Europe/Istanbul",),
    "uk": ("Europe/Kyiv",),
    "vi": ("Asia/Ho_Chi_Minh",),
}
# A locale Discord adds later ("en-CA", "es-MX") gets the zones of the first locale above
# in its language (en-US's, es-419's).
_BY_LANGUAGE = {locale.split("-")[0]: zones for locale, zones in reversed(_BY_LOCALE.items())}

# Room for one more choice ("another zone") under Discord's 25 options per select.
MAX_OFFERED = 24


def likely_zones(locale: str | None, limit: int = MAX_OFFERED) -> list[str]:
    """IANA zone names to offer, best guess first: the locale's own zones ("en-GB" ->
    Europe/London, "de" -> Europe/Berlin, "en-US" -> the US zones), then UTC, then the
    most common zones worldwide; no name twice, at most `limit`."""
    key = (locale or "").strip()
    hinted = _BY_LOCALE.get(key) or _BY_LANGUAGE.get(key.split("-")[0].lower(), ())
    ordered = [*hinted, "UTC", *COMMON_TIMEZONES]
    return list(dict.fromkeys(ordered))[: max(limit, 0)]
