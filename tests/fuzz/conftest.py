"""The fuzz runs against the same bot and emulator as the end-to-end tests (their
fixtures, from tests/e2e/conftest.py), and checks each case's suggested commands itself:
a command the bot repeats with a value the fuzz forged past Discord's client checks is
the member's value, not the bot's suggestion (see tests/fuzz/test_commands.py)."""

from tests.e2e.conftest import alice, bob, bot, clock, driver, emu, guild, officer, settings

__all__ = ["alice", "bob", "bot", "clock", "driver", "emu", "guild", "officer", "settings"]
