"""What end-to-end tests do as a member, and how they read back what the bot stored.

The fixtures (`emu`, `bot`, `driver`, members…) are in `tests/e2e/conftest.py`.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import UTC, datetime

import icalendar

TOKEN = "emulator-token-for-end-to-end-tests"
START = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday afternoon
TOO_BIG = "99999999999999999999999"  # past SQLite's INTEGER range

# How long discord.py waits after the last GUILD_CREATE before it calls itself ready. The
# emulator sends every GUILD_CREATE right behind READY on the same socket, so 10 ms is
# ample, and a late one would still be applied before any interaction that follows it.
GUILD_READY_TIMEOUT = 0.01


# -- members who chose a time zone before the test --------------------------------------


def zone_chosen_at_first_use(bot, users, zone: str = "UTC") -> None:
    """These members chose `zone` the moment their store was created, as if they had
    answered the first-use time zone question at their very first command.

    The suite's regular members (alice, bob, the officer) are set up this way, so tests
    about other things read times as they always have; the question itself is tested
    with members who have no zone. Set at creation rather than up front, so a member
    who never used the bot still has no store (as /club stats' tests check).
    """
    stores = bot.stores
    chosen = {user.id for user in users}
    open_member = stores.member

    @asynccontextmanager
    async def member(user_id: int, *, create: bool = True):
        new = create and user_id in chosen and not stores.pool.exists("users", user_id)
        async with open_member(user_id, create=create) as store:
            if new:
                await store.set_settings(timezone=zone)
            yield store

    stores.member = member


# -- acting as a member ---------------------------------------------------------------


async def add_prospect(driver, user, guild, name="Ada Lovelace", extra=""):
    """`/prospect add`, checked to have worked."""
    reply = await driver.run(f'/prospect add name:"{name}" {extra}', user=user, guild=guild)
    assert "Added" in reply.text, reply.text


async def schedule(driver, user, guild, name="Ada Lovelace", when="2026-12-03 07:30", extra=""):
    """`/meeting schedule`, checked to have worked; returns the reply. A second meeting
    ahead with the same person is kept beside the first ("Keep both" when asked)."""
    reply = await driver.run(
        f'/meeting schedule prospect:"{name}" when:"{when}" {extra}', user=user, guild=guild
    )
    if "Keep both" in [button["label"] for button in reply.buttons]:
        reply = await driver.click(reply, "Keep both", user=user)
    assert "Meeting scheduled" in reply.text, reply.text
    return reply


async def prep(driver, user, guild, name="Ada Lovelace"):
    """`/meeting prep`: the member's own (ephemeral) prep sheet."""
    reply = await driver.run(f'/meeting prep meeting:"{name}"', user=user, guild=guild)
    assert reply.ephemeral
    return reply


async def toggle_vote(driver, guild, text, member):
    """`/questions vote` by one member: adds their vote, or takes it back if they had one."""
    reply = await driver.run(f'/questions vote question:"{text}"', user=member, guild=guild)
    assert "vote" in reply.text, reply.text


# -- waiting for the bot --------------------------------------------------------------


async def settle(bot) -> None:
    """Make the practice rounds due now, then let the reminder engine deliver everything
    due now and finish what it started."""
    await bot.practice.run_due()
    await bot.practice.idle()
    await bot.reminders.run_due()
    await bot.reminders.idle()


async def edited_to(emu, reply, text: str, timeout: float = 10):
    """Wait until the message a reply showed has been edited to contain `text` (a command
    that answers a press at once, then edits the message when its work is done)."""
    message = reply.message
    await emu.wait_for(lambda: text in message.content, timeout)
    return message


# -- reading back what the bot stored or sent -----------------------------------------


async def prospects_of(bot, user) -> list:
    """The member's prospects, as stored."""
    async with bot.stores.member(user.id) as store:
        return [p for p, _ in await store.list_prospects()]


async def meetings(bot, user, range_="all"):
    """The member's (meeting, prospect) pairs, as stored."""
    async with bot.stores.member(user.id) as store:
        return await store.list_meetings(range_)


async def owed_reminders(bot, user):
    """The member's reminders that are still to be sent."""
    async with bot.stores.member(user.id) as store:
        return await store.pending_reminders()


def bot_dms(emu, user):
    """The DMs the bot sent the member on its own (not replies to interactions)."""
    return emu.dms(user, interactions=False)


def calendar_events(reply) -> dict[str, icalendar.Event]:
    """The reply's .ics file, checked to be CRLF-only, as {summary: VEVENT}."""
    ((filename, data),) = reply.files
    assert filename.endswith(".ics")
    assert data.endswith(b"END:VCALENDAR\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return {str(event["SUMMARY"]): event for event in events}
