"""The request budget (bot/pacing.py): turns evenly spaced, first come first served,
paused by a global 429, and which requests it paces at all.

These measure the event loop's monotonic clock: pacing is real time by nature. Rates
are high (a turn every few milliseconds) so the tests take a fraction of a second.
"""

from __future__ import annotations

import asyncio
import itertools

import pytest
from discord.http import Route

from bot.pacing import SLACK, RequestBudget, counts_toward_global_limit


async def test_turns_are_evenly_spaced_at_the_rate():
    budget = RequestBudget(200)  # a turn every 5 ms
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(20):
        await budget.take()
        times.append(loop.time())
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= budget.interval - SLACK - 1e-6
    assert times[-1] - times[0] >= 19 * budget.interval - SLACK
    assert budget.taken == 20


async def test_concurrent_requests_go_in_the_order_they_asked():
    budget = RequestBudget(500)
    order: list[int] = []

    async def request(n: int) -> None:
        await budget.take()
        order.append(n)

    tasks = []
    for n in range(30):
        tasks.append(asyncio.create_task(request(n)))
        await asyncio.sleep(0)  # each asks in turn
    await asyncio.gather(*tasks)
    assert order == list(range(30))


async def test_a_pause_holds_every_request_until_it_ends():
    budget = RequestBudget(1000)
    loop = asyncio.get_running_loop()
    await budget.take()
    budget.pause(0.05)
    began = loop.time()
    await budget.take()
    assert loop.time() - began >= 0.05 - 1e-3
    assert budget.pauses == 1


def test_a_budget_needs_a_positive_rate():
    with pytest.raises(ValueError, match="positive"):
        RequestBudget(0)


@pytest.mark.parametrize(
    ("path", "counted"),
    [
        ("/users/@me/channels", True),
        ("/channels/1/messages", True),
        ("/applications/1/commands", True),
        ("/interactions/1/tok/callback", False),  # answering a command
        ("/webhooks/1/tok/messages/@original", False),  # editing the answer
        ("/webhooks/1/tok", False),  # a followup
    ],
)
def test_interaction_endpoints_are_not_paced(path: str, counted: bool):
    assert counts_toward_global_limit(Route.BASE + path) is counted


def test_requests_outside_the_api_are_not_paced():
    assert not counts_toward_global_limit("https://cdn.discordapp.com/attachments/1/2/a.csv")
    assert not counts_toward_global_limit("wss://gateway.discord.gg/?v=10")
