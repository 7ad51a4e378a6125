"""What the operator's log gets from a member's whole journey, at LOG_LEVEL=DEBUG: one JSON
object a line, members and records named by id, never their words, never the token."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.config import Config, setup_logging
from tests.support.e2e import TOKEN, settle

# A prospect and notes no log line could contain by chance.
NAME = "Zebulon Quackenbush"
ORGANIZATION = "Quibblefrost Analytics"
NOTES = "met at the Xylophone Guild mixer"
TAKEAWAYS = "Marzipan ledgers beat dashboards"
REFERRAL = "Ottoline Vexworth"
WORDS = ["Zebulon", "Quackenbush", "Quibblefrost", "Xylophone", "Marzipan", "Ottoline", "Vexworth"]


@pytest.fixture
def operator_log():
    """The bot's log as `python -m bot` sets it up with LOG_LEVEL=DEBUG and LOG_FORMAT=json
    (before the bot starts), read back as JSON objects; the root logger is restored after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    out = io.StringIO()
    setup_logging(Config(token=TOKEN, log_level="DEBUG", log_format="json"), stream=out)
    yield out
    root.handlers[:], root.level = saved[0], saved[1]
    for name in ("discord", "aiosqlite"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def _bot_lines(out: io.StringIO) -> list[dict]:
    """The lines a deployed bot writes: the in-process emulator's own are left out."""
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return [line for line in lines if not line["logger"].startswith("bot.emulator")]


async def test_a_members_words_never_reach_the_log(
    operator_log, bot, driver, emu, clock, alice, guild
):
    await driver.run(
        f'/prospect add name:"{NAME}" organization:"{ORGANIZATION}" notes:"{NOTES}"',
        user=alice,
        guild=guild,
    )
    await driver.run(f'/outreach draft prospect:"{NAME}"', user=alice, guild=guild)
    await driver.run(f'/outreach sent prospect:"{NAME}"', user=alice, guild=guild)
    await driver.run(
        f'/meeting log prospect:"{NAME}" when:"3 hours ago" takeaways:"{TAKEAWAYS}" '
        f'referrals:"{REFERRAL}"',
        user=alice,
        guild=guild,
    )
    (nudge,) = await driver.wait_for_dms(alice, count=1, interactions=False)
    await driver.click(nudge, "Draft it for me", user=alice)
    await driver.run(f'/thanks sent meeting:"{NAME}"', user=alice, guild=guild)
    clock.advance(weeks=7)  # the check-in DM, naming the takeaway
    await settle(bot)
    await driver.run("/progress", user=alice, guild=guild)
    await driver.run("/mydata export", user=alice, guild=guild)
    shown = "\n".join(message.content for message in emu.dms(alice))
    assert TAKEAWAYS in shown  # the bot did handle the words the log must not have

    lines = _bot_lines(operator_log)
    loggers = {line["logger"] for line in lines}
    assert {"bot.client", "bot.reminders.engine", "discord.client"} <= loggers
    assert any(line["level"] == "DEBUG" for line in lines)
    written = operator_log.getvalue()
    assert TOKEN not in written
    found = [word for word in WORDS if any(word in json.dumps(line) for line in lines)]
    assert found == [], [line for line in lines if any(w in json.dumps(line) for w in found)]
