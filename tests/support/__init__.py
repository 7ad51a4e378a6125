"""Helpers shared by the test files: one place to look, and no test file imports another.

Fixtures stay in the `conftest.py` beside the tests that use them; what a test calls
by hand (member actions, readers of the stores, fakes) lives here:

- `e2e`: acting as a member against the emulator and reading back what the bot stored.
- `emulator`, `demo_bot`: the emulator's own tests, with a small throwaway bot.
- `reminders`: the reminder engine's tests (members, a reminder row, Discord's errors).
- `club`: a club whose nudges all fall due in one second (the rate-limit burst).
- `fuzz`: hypothesis strategies for every command's options, read off the synced schema
  (tests/fuzz).
"""
