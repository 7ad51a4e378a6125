"""The collector's settings for the bot's own process (bot/heap.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import discord
import pytest
from discord.ext import commands

from bot import heap


@pytest.fixture
def restored() -> Iterator[None]:
    """The test process's collector as it was, whatever the test set."""
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


class Node:
    """Something that can sit in a reference cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


def test_tune_collects_young_objects_less_often_and_keeps_the_older_ratios(restored) -> None:
    gc.set_threshold(700, 10, 10)
    heap.tune()
    assert gc.get_threshold() == (heap.YOUNG, 10, 10)


def test_settle_collects_start_up_garbage_then_freezes_what_lives(restored) -> None:
    garbage = Node()
    garbage.other = Node()
    garbage.other.other = garbage  # a cycle only the collector frees
    gone = weakref.ref(garbage)
    del garbage
    kept = Node()

    heap.settle()

    assert gone() is None, "start-up's garbage was frozen instead of collected"
    assert gc.get_freeze_count() > 0
    walked = {id(o) for o in gc.get_objects()}
    assert id(kept) not in walked, "what lived at start-up is still walked"
    later = Node()
    assert gc.is_tracked(later) and id(later) in {id(o) for o in gc.get_objects()}


async def test_the_heap_settles_once_though_on_ready_comes_after_every_reconnect(
    monkeypatch,
) -> None:
    settled: list[None] = []
    monkeypatch.setattr(heap, "settle", lambda: settled.append(None))
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    heap.settle_once_ready(bot)
    (listener,) = bot.extra_events["on_ready"]

    await listener()  # ready
    assert settled == [None]
    assert not bot.extra_events.get("on_ready"), "still listening for the next ready"
