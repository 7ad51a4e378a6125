"""Suggested commands run as written: the rule read against the synced schema, and the
replies the other end-to-end tests seldom reach.

Every end-to-end test already has its replies checked after it runs
(`tests/e2e/conftest.py`); these tests show the rule catches what issue 11 found, and
check the replies of rare states (an empty question bank, a draft with every gap) by
rendering them directly.
"""

from __future__ import annotations

import pytest

from bot.domain.linkedin import ImportedConnection, ImportPlan
from bot.domain.models import Prospect
from bot.domain.progress import Pipeline, PipelineEntry, stage_mix, stage_nudge
from bot.domain.thanks import ThanksGap
from bot.ui.render import stage_nudge_text, thanks_gap_text
from cogs.locate import import_summary
from cogs.questions import bank_embed
from tests.support.suggestions import SUGGESTION, Seen, problems

RUNNABLE = [
    ('/thanks draft meeting:"Ada Lovelace"', None),
    ("/thanks draft meeting:Ada Lovelace medium:email", None),
    ('/meeting done meeting:Ada Lovelace takeaways:"…"', None),  # their own words
    ('/meeting log prospect:Ada when:"…"', None),
    ('/prospect add name:"…" stage:established', None),
    ("/prospect import file:…", None),  # a file only they have
    ("/outreach reply prospect:Ada outcome:accepted", None),
    ("/progress", None),  # nothing required
    ("/meeting cancel", "help"),  # /help lists commands by name
]
BROKEN = [
    ('/meeting done takeaways:"…"', "required option(s) missing: meeting"),
    ("/thanks draft meeting:…", "placeholder for one of the member's records"),
    ("/outreach reply prospect:Ada outcome:…", "placeholder for a choice"),
    ("/prospect edit prospect:Ada stage:legendary", "is not one of the choices"),
    ("/prospect add nme:Ada", "has no option 'nme'"),
    ("/meeting schedul prospect:Ada", "needs a subcommand"),
    ("/settings reminders checkin_weeks:", "has no value"),
    ("/settings reminders checkin_weeks:six", "is not a whole number"),
    ("/meeting cancel", "required option(s) missing: meeting"),  # outside /help
    ("/settings timezone|profile", "needs a subcommand"),
]


@pytest.mark.parametrize(("text", "origin"), RUNNABLE)
async def test_complete_suggestions_pass(driver, guild, text, origin):
    assert problems(driver, Seen(text, origin), guild) == []


@pytest.mark.parametrize(("text", "expected"), BROKEN)
async def test_incomplete_suggestions_are_caught(driver, guild, text, expected):
    found = problems(driver, Seen(text, None), guild)
    assert any(expected in problem for problem in found), found


def _rare_replies() -> list[str]:
    """Replies of states the journeys seldom reach, rendered as the cogs render them."""
    texts = []
    for category in (None, "advice"):
        empty = bank_embed([], page=0, pages=1, category=category, sort="top", shared=True)
        texts.append(str(empty.description))
    nameless = Prospect(7, "")
    texts += [thanks_gap_text(gap, prospect=nameless, meeting_id=3) for gap in ThanksGap]
    for stages in ((None, None), ("emerging", None), ("emerging",), ("emerging", "mid-career")):
        entries = [PipelineEntry(n, f"Person {n}", s, "to-contact") for n, s in enumerate(stages)]
        nudge = stage_nudge(stage_mix(Pipeline.of(entries)))
        assert nudge is not None
        unstaged = next((e.name for e in entries if e.stage is None), None)
        texts.append(stage_nudge_text(nudge, unstaged=unstaged))
    added = ImportedConnection("Grace Hopper", None, None, "Navy", "Engineer", None)
    texts.append(import_summary(ImportPlan(added=[added], skipped=[], rejected=[])))
    return texts


async def test_rare_replies_suggest_complete_commands(driver, guild):
    seen = [Seen(match, None) for text in _rare_replies() for match in SUGGESTION.findall(text)]
    assert len(seen) >= 10
    broken = {s.text: found for s in seen if (found := problems(driver, s, guild))}
    assert broken == {}
