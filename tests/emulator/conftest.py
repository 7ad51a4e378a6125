"""Fixtures: a running emulator with one guild and members, a throwaway bot, a driver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator import Driver, Emulator, running_bot
from tests.support.demo_bot import DemoBot
from tests.support.emulator import World


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
def world(emu: Emulator) -> World:
    guild = emu.add_guild("Career Club")
    alice = emu.add_user("alice", guild=guild)
    maria = emu.add_user("maria", manage_guild=True, guild=guild)
    return World(guild, alice, maria)


@pytest.fixture
async def demo_bot(emu: Emulator, world: World) -> AsyncIterator[DemoBot]:
    async with running_bot(DemoBot(), emu) as bot:
        yield bot


@pytest.fixture
def driver(emu: Emulator, demo_bot: DemoBot) -> Driver:
    return Driver(emu, timeout=5)
