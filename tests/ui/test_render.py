"""The ui layer turns the domain's data into what members read: Discord timestamps,
command hints, the /progress nudge, a thank-you's gaps and the prep checklist."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.prep import prep_checklist
from bot.domain.progress import PipelineEntry, stage_mix, stage_nudge
from bot.domain.thanks import ThanksGap, draft_thanks
from bot.ui.render import (
    checklist_line,
    command_hint,
    format_date_time,
    format_relative,
    format_when,
    stage_nudge_text,
    thanks_gap_text,
)

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


def _nudge(*stages: str | None) -> str:
    entries = [
        PipelineEntry(n, f"Person {n}", stage, "to-contact") for n, stage in enumerate(stages)
    ]
    nudge = stage_nudge(stage_mix(entries))
    assert nudge is not None
    return stage_nudge_text(nudge)


def test_stage_nudge_names_the_missing_stages_and_how_to_add_one():
    assert _nudge("emerging") == (
        "No **mid-career** and **established** professionals yet: meet emerging, mid-career "
        "and established people, since each sees the field differently. Add one with "
        "`/prospect add name:… stage:…`."
    )


def test_stage_nudge_suggests_setting_the_stages_not_set():
    text = _nudge("emerging", None)
    assert text.endswith("Set their stage with `/prospect edit prospect:… stage:…` (1 not set).")


def test_stage_nudge_when_nobody_has_a_stage():
    assert _nudge(None, None) == (
        "None of your prospects has a career stage yet: meet emerging, mid-career and "
        "established people, since each sees the field differently. Set them with "
        "`/prospect edit prospect:… stage:…`."
    )


def test_each_thank_you_gap_names_the_command_that_fills_it():
    draft = draft_thanks(
        member_name=None, prospect_name="", organization=None, takeaways=None, referrals=[]
    )
    assert [thanks_gap_text(gap) for gap in draft.missing] == [
        "their name — add it with /prospect edit",
        "your name — set it with /settings profile name:…",
        "takeaways — add them with /meeting done",
    ]
    assert {thanks_gap_text(gap) for gap in ThanksGap} == set(map(thanks_gap_text, draft.missing))


def test_checklist_names_the_thank_you_command():
    lines = [checklist_line(item) for item in prep_checklist("video", 30)]
    assert lines[-1] == "Send your thank-you within 24 hours (/thanks draft)."
    assert lines[0] == "Research their organization and its recent news."
