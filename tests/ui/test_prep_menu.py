"""The prep sheet's select: its choices are remembered per bank and chosen questions,
and a change to either shows at once."""

from __future__ import annotations

import pytest

from bot.domain.models import BankRow, PrepQuestion
from bot.ui.limits import SELECT_LABEL
from cogs._prep_menu import prep_view


def options_of(view) -> list[tuple[str, str, str | None, bool]]:
    (select,) = view.children
    return [(o.label, o.value, o.description, o.default) for o in select.item.options]


@pytest.mark.asyncio
async def test_the_remembered_choices_follow_the_bank_and_the_chosen_questions():
    long = "What " + "really " * 30 + "matters?"
    bank = [BankRow(1, long, "advice", 3), BankRow(2, "How did you start?", "insights", 1)]
    first = options_of(prep_view(7, 42, bank, [PrepQuestion(long, "advice")]))
    assert first[0][0] == long[: SELECT_LABEL - 1] + "…"
    assert first[0][3] and not first[1][3]
    assert first[0][2] == "advice · 3 votes"

    # The same again (remembered), then a vote and a pick: each shows at once.
    assert options_of(prep_view(7, 42, bank, [PrepQuestion(long, "advice")])) == first
    voted = [bank[0]._replace(votes=4), bank[1]]
    assert options_of(prep_view(7, 42, voted, [PrepQuestion(long, "advice")]))[0][2] == (
        "advice · 4 votes"
    )
    picked = options_of(prep_view(7, 42, bank, [PrepQuestion("How did you start?", "insights")]))
    assert [o[3] for o in picked] == [False, True]
