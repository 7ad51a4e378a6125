"""The sandbox's renderer: embeds, Discord timestamps, numbered buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.console import Console

from bot.emulator.models import Message, User
from bot.sandbox.render import Context, Shown, format_timestamp, render_plain, render_rich

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
