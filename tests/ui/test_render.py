"""The ui layer turns the domain's data into what members read: Discord timestamps,
command hints, the /progress nudge, a thank-you's gaps and the prep checklist."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.models import Prospect
from bot.domain.prep import prep_checklist
from bot.domain.progress import Pipeline, PipelineEntry, stage_mix, stage_nudge
from bot.domain.thanks import ThanksGap, draft_thanks
from bot.ui.render import (
    _escaped,
    checklist_line,
    command_hint,
    format_date_time,
    format_relative,
    format_when,
    member_code,
    member_link,
    member_text,
    stage_nudge_text,
    thanks_gap_text,
)
from tests.support.markup import clickable

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_moment_shows_as_discord_timestamps_in_every_readers_zone():
    dt = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)
    assert format_when(dt) == "<t:1796301000:F> (<t:1796301000:R>)"
    assert format_date_time(dt) == "<t:1796301000:F>"
    assert format_relative(dt) == "<t:1796301000:R>"
    assert format_when(dt.astimezone(BERLIN)) == format_when(dt)


@pytest.mark.parametrize("render", [format_when, format_date_time, format_relative])
def test_a_naive_moment_is_refused(render):
    with pytest.raises(ValueError):
        render(datetime(2026, 12, 3, 12, 30))


def test_a_backtick_in_a_name_cannot_end_the_command_hint():
    assert command_hint("/outreach draft prospect:Ada `x`") == (
        "`/outreach draft prospect:Ada \u02cbx\u02cb`"
    )


# What a LinkedIn export or a typed field can carry to make the bot's own message a trap:
# masked links (the two), bare URLs, mentions of people, roles, channels and
# commands, and markdown that would restyle the bot's words.
HOSTILE = [
    "Ann` [Verify your account](https://evil.example/login)",
    "[Claim your reward](https://evil.example/claim)",
    "[Claim](<https://evil.example/claim>)",
    "Ann [**Verify**](https://evil.example/a_b) now",
    "see https://evil.example/login or http://evil.example",
    "<https://evil.example/hidden>",
    "@everyone @here <@123456789012345678> <@!123456789012345678>",
    "<@&123456789012345678> <#123456789012345678> </mydata delete:123456789012345678>",
    "\\[x](https://evil.example/escaped-backslash)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_member_text_shows_no_link_or_mention(text):
    assert clickable(text), "the example is a trap as written"
    assert clickable(member_text(text)) == []
    assert clickable(f"**{member_text(text)}** and more") == []


def test_discord_py_escapes_alone_leave_the_link_clickable():
    # Why the bot has its own renderer: escape_markdown keeps URLs as they are.
    assert clickable(discord.utils.escape_markdown(HOSTILE[1])) == ["https://evil.example/claim"]


@pytest.mark.parametrize("text", HOSTILE)
def test_member_code_cannot_leave_its_code_span(text):
    assert clickable(f"Next: `/meeting prep meeting:{member_code(text)}`.") == []


def test_member_text_reads_as_typed():
    for name in ("Ada Lovelace", "María González", "Jean-Luc O'Brien", "Stripe, Inc.", "AT&T"):
        assert member_text(name) == name
    # Escapes show as the character itself; the zero-width space is invisible.
    assert member_text("a*b_c") == "a\\*b\\_c"
    assert member_text("https://x.example") == "https:\u200b//x.example"
    assert member_text("@everyone") == "@\u200beveryone"


def test_member_markdown_is_shown_not_applied():
    text = "# Head\n-# small\n> quote\n- item\n1. one ||spoiler|| ~~gone~~ __under__ *it*`"
    assert member_text(text) == (
        "\\# Head\n\\-# small\n\\> quote\n\\- item\n1\\. one \\|\\|spoiler\\|\\| "
        "\\~\\~gone\\~\\~ \\_\\_under\\_\\_ \\*it\\*\\`"
    )


def test_a_link_given_as_one_stays_a_link_without_a_preview():
    url = "https://www.linkedin.com/in/ada-lovelace"
    assert member_link(url) == f"<{url}>"
    assert clickable(member_link(url)) == [url]
    assert clickable(member_link("[Verify](https://evil.example)")) == []
    assert clickable(member_link("https://evil.example and more")) == []


def _nudge(*stages: str | None) -> str:
    entries = [
        PipelineEntry(n, f"Person {n}", stage, "to-contact") for n, stage in enumerate(stages)
    ]
    nudge = stage_nudge(stage_mix(Pipeline.of(entries)))
    assert nudge is not None
    unstaged = next((entry.name for entry in entries if entry.stage is None), None)
    return stage_nudge_text(nudge, unstaged=unstaged)


def test_stage_nudge_names_the_missing_stages_and_how_to_add_one():
    assert _nudge("emerging") == (
        "No **mid-career** and **established** professionals yet: meet emerging, mid-career "
        "and established people, since each sees the field differently. Add one, e.g. "
        '`/prospect add name:"…" stage:mid-career`.'
    )


def test_stage_nudge_suggests_setting_the_stages_not_set():
    text = _nudge("emerging", None)
    assert text.endswith(
        "Set them as you learn them, e.g. `/prospect edit prospect:Person 1 stage:mid-career` "
        "(1 not set)."
    )


def test_stage_nudge_when_nobody_has_a_stage():
    assert _nudge(None, None) == (
        "None of your prospects has a career stage yet: meet emerging, mid-career and "
        "established people, since each sees the field differently. Set them as you learn "
        "them, e.g. `/prospect edit prospect:Person 0 stage:emerging`."
    )


def test_each_thank_you_gap_names_the_command_that_fills_it():
    draft = draft_thanks(
        member_name=None, prospect_name="", organization=None, takeaways=None, referrals=[]
    )
    nameless = Prospect(7, "")
    assert [thanks_gap_text(gap, prospect=nameless, meeting_id=3) for gap in draft.missing] == [
        'their name — add it with `/prospect edit prospect:7 name:"…"`',
        'your name — set it with `/settings profile name:"…"`',
        'takeaways — add them with `/meeting done meeting:3 takeaways:"…"`',
    ]
    assert set(ThanksGap) == set(draft.missing)
    named = thanks_gap_text(ThanksGap.TAKEAWAYS, prospect=Prospect(7, "Ada Lovelace"), meeting_id=3)
    assert named == 'takeaways — add them with `/meeting done meeting:Ada Lovelace takeaways:"…"`'


def test_checklist_names_the_thank_you_command():
    lines = [checklist_line(item) for item in prep_checklist("video", 30)]
    assert lines[-1] == "Send your thank-you within 24 hours (/thanks draft)."
    assert lines[0] == "Research their organization and its recent news."


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("Aé 1.\n\\*_~|`[]>#-:<@/hs")))
def test_text_with_nothing_to_escape_is_passed_through_as_every_escape_would(text):
    """member_text skips its escapes when no character any of them needs is there:
    never for text one of them would have changed."""
    assert member_text(text) == _escaped(text)
