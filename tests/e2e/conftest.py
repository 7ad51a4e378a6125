"""End-to-end fixtures: the real bot, unmodified, against the local Discord emulator.

Time is a FakeClock: a test moves it (`clock.advance(hours=3)`) and the reminder
engine delivers what fell due, so no test waits for real time to pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.client import InterviewBot
from bot.clock import FakeClock
from bot.config import Config
from bot.emulator.driver import Driver
from bot.emulator.harness import running_bot
from bot.emulator.server import Emulator
from tests.support import suggestions
from tests.support.e2e import GUILD_READY_TIMEOUT, START, TOKEN, zone_chosen_at_first_use


@pytest.fixture
def clock() -> FakeClock:
    """The bot's clock, at Friday 2026-11-27 15:00 UTC until a test moves it."""
    return FakeClock(START)


@pytest.fixture
async def emu():
    """A started emulator; stopped after the test."""
    async with Emulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
def guild(emu):
    """The career club's server."""
    return emu.add_guild("Career Club")


@pytest.fixture
def alice(emu, guild):
    """A member of the club."""
    return emu.add_user("alice", guild=guild)


@pytest.fixture
def bob(emu, guild):
    """Another member of the club."""
    return emu.add_user("bob", guild=guild)


@pytest.fixture
def officer(emu, guild):
    """A club officer with Manage Server."""
    return emu.add_user("officer", guild=guild, manage_guild=True)


@pytest.fixture
def settings(tmp_path, emu) -> Config:
    """The configuration pointing the bot at the emulator, with data in a temporary folder."""
    return Config(
        token=TOKEN,
        data_dir=tmp_path / "data",
        api_base=emu.rest_base,
        gateway_url=emu.gateway_url,
    )


@pytest.fixture
async def bot(emu, guild, alice, bob, officer, settings, clock):
    """The real InterviewBot, logged in to the emulator with every cog loaded and synced."""
    client = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    # They answered the first-use time zone question long ago (tests/e2e/test_time_zone.py
    # asks it of new members).
    zone_chosen_at_first_use(client, [alice, bob, officer])
    async with running_bot(client, emu):
        yield client
    # Whatever a test did, the bot must never have sent Discord something it refuses.
    assert emu.violations == [], emu.violations
    assert emu.unknown_routes == [], emu.unknown_routes


@pytest.fixture
def driver(emu, bot) -> Driver:
    """Acts as a member: runs slash commands, clicks buttons, reads DMs."""
    return Driver(emu)


@pytest.fixture(autouse=True)
def suggested_commands_run_as_written(request):
    """After each test: every command the bot suggested in it is complete and runnable
    as written (the rule is in tests/support/suggestions.py)."""
    yield
    emu = request.node.funcargs.get("emu")
    if emu is None:
        return
    seen, broken = suggestions.check(emu)
    if folder := os.environ.get(suggestions.RECORD_ENV):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        suggestions.record(Path(folder), worker, request.node.nodeid, seen, broken)
    assert not broken, "suggested commands that don't run as written:\n" + suggestions.describe(
        broken
    )
