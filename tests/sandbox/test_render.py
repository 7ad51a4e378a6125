"""The sandbox's renderer: embeds, Discord timestamps, markdown, numbered buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from bot.emulator.models import Message, User
from bot.sandbox.render import (
    Context,
    Shown,
    format_timestamp,
    plain_line,
    relative_phrase,
    render_plain,
    render_rich,
)
from bot.ui.render import member_text

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
MEETING = int((NOW - timedelta(hours=3)).timestamp())
ALICE = User(7, "alice")


def context() -> Context:
    return Context(name_of={ALICE.id: ALICE.name}.get, now=lambda: NOW, tz=UTC)


def card() -> Message:
    embed = {
        "title": "Ada Lovelace",
        "description": f"Met <t:{MEETING}:F> (<t:{MEETING}:R>) with <@{ALICE.id}>",
        "color": 0x5865F2,
        "fields": [
            {"name": "Stage", "value": "established", "inline": True},
            {"name": "Organization", "value": "Engines Ltd", "inline": True},
            {"name": "Takeaways", "value": "SQL beats dashboards\nAsk about mentoring"},
        ],
        "footer": {"text": "prospect 1"},
    }
    buttons = [
        {"type": 2, "style": 3, "label": "Sent it", "custom_id": "thanks:sent:1"},
        {"type": 2, "style": 2, "label": "Skip", "custom_id": "thanks:skip:1"},
    ]
    return Message(
        id=1,
        channel_id=2,
        author=User(3, "Interview Bot", bot=True),
        content="**Your prospect**",
        embeds=[embed],
        components=[{"type": 1, "components": buttons}],
        flags=1 << 6,
    )


def test_timestamps_read_as_local_times():
    ctx = context()
    assert format_timestamp(MEETING, "F", ctx) == "Friday, 27 November 2026 12:00 UTC"
    assert format_timestamp(MEETING, "R", ctx) == "3 hours ago"
    assert format_timestamp(MEETING + 5 * 86400, "R", ctx) == "in 5 days"
    assert format_timestamp(MEETING, "t", ctx) == "12:00"


def test_plain_embed_shows_title_fields_footer_and_numbered_buttons():
    text = render_plain(Shown(card(), "Interview Bot · only you can see this", 4), context())
    assert text.splitlines()[0] == "Interview Bot · only you can see this · #4:"
    assert "== Ada Lovelace ==" in text
    assert "Met Friday, 27 November 2026 12:00 UTC (3 hours ago) with @alice" in text
    assert "Stage: established" in text
    assert "Organization: Engines Ltd" in text
    assert "Takeaways:\n  │   SQL beats dashboards\n  │   Ask about mentoring" in text
    assert "-- prospect 1" in text
    assert "[1] Sent it  [2] Skip" in text
    assert "<t:" not in text
    assert "\x1b[" not in text


def test_rich_embed_is_a_box_with_every_part():
    console = Console(record=True, width=100, color_system=None)
    console.print(render_rich(Shown(card(), "Interview Bot", 4), context()))
    text = console.export_text()
    assert "Interview Bot  #4" in text
    assert "╭─ Ada Lovelace" in text
    assert "3 hours ago" in text
    for part in ("Stage", "established", "Organization", "Engines Ltd", "Takeaways"):
        assert part in text
    assert "prospect 1" in text
    assert " 1  Sent it " in text
    assert " 2  Skip " in text
    assert "**" not in text  # markdown is styled, not shown


# How Discord's client words <t:…:R>: moment.js's fromNow() with its default thresholds,
# rounded half up. Its own words are "a few seconds ago" and "a minute ago"
# (https://github.com/aikaterna/gobcog/pull/383, https://github.com/discord/discord-api-docs/issues/3176).
RELATIVE = [
    (30, "in a few seconds"),
    (-50, "a minute ago"),
    (10 * 60, "in 10 minutes"),
    (-50 * 60, "an hour ago"),
    (12 * 3600 + 20 * 60, "in 12 hours"),
    (12.5 * 3600, "in 13 hours"),  # not "in 1 day"
    (21 * 3600, "in 21 hours"),
    (30 * 3600, "in a day"),
    (-3 * 86400, "3 days ago"),
    (25 * 86400, "in 25 days"),
    (42 * 86400, "in a month"),  # a check-in six weeks on
    (100 * 86400, "in 3 months"),
    (-400 * 86400, "a year ago"),
    (800 * 86400, "in 2 years"),
]


@pytest.mark.parametrize(("seconds", "words"), RELATIVE)
def test_relative_times_read_as_discords_client_words_them(seconds, words):
    assert relative_phrase(seconds) == words


def test_times_read_in_the_zone_given():
    ctx = Context(now=lambda: NOW, tz=ZoneInfo("America/New_York"))
    assert format_timestamp(MEETING, "F", ctx) == "Friday, 27 November 2026 07:00 EST"
    assert format_timestamp(MEETING, "t", ctx) == "07:00"


def test_plain_text_shows_markdown_as_words():
    name = member_text("Ada_Love*lace [x](https://evil.example)")
    message = Message(
        id=2,
        channel_id=2,
        author=User(3, "Interview Bot", bot=True),
        content=(
            f"# Your week\nAdded **{name}** (*today*, __twice__, ~~once~~)\n"
            "-# and 2 more\n> a quote\nNext: `/thanks draft meeting:Ada Lovelace`\n"
            "```\nHi **Ada**,\n```"
        ),
        embeds=[{"title": "**Bold** title", "fields": [{"name": "__F__", "value": "-# small"}]}],
    )
    text = render_plain(Shown(message, "Interview Bot"), context())
    for marker in ("**", "-#", "__", "~~", "```", "\\"):
        assert marker not in text.replace("Hi **Ada**", ""), marker
    assert "Your week" in text
    # The zero-width space that keeps Discord from linking the name stays, unseen.
    shown = text.replace("\u200b", "")
    assert "Added Ada_Love*lace [x](https://evil.example) (today, twice, once)" in shown
    assert "\n  and 2 more\n" in text
    assert "> a quote" in text
    assert "Next: `/thanks draft meeting:Ada Lovelace`" in text  # a command to copy stays code
    assert "\n      Hi **Ada**," in text  # a code block, indented and verbatim
    assert "== Bold title ==" in text
    assert "F: small" in text


def test_plain_line_reads_escapes_and_masked_links():
    assert plain_line("\\*not italic\\*") == "*not italic*"
    assert plain_line("5 * 3 * 2 and snake_case") == "5 * 3 * 2 and snake_case"
    assert plain_line("see [the guide](https://example.org/x)") == (
        "see the guide (https://example.org/x)"
    )
