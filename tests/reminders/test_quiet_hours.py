"""Quiet hours hold a reminder, a change of quiet hours releases it at once, and a prep
DM never arrives after its meeting started (issue 11 item 3, issue 13 item 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from tests.support.reminders import ALICE

NEW_YORK = "America/New_York"


async def reminder(stores, rid):
    async with stores.member(ALICE) as store:
        return await store.get_reminder(rid)


async def add(stores, kind: str, due: datetime, meeting_at: datetime) -> int:
    async with stores.member(ALICE) as store:
        await store.set_settings(timezone=NEW_YORK, quiet_start="22:00", quiet_end="08:00")
        prospect = await store.add_prospect("Ada Lovelace")
        async with store.transaction():
            meeting = await store.add_meeting(prospect.id, meeting_at)
            return await store.add_reminder(kind, due_at=due, meeting_id=meeting.id)


async def test_changing_quiet_hours_releases_a_held_reminder_at_once(
    engine, stores, clock: FakeClock, fake_discord
):
    # 23:00 in New York (04:00 UTC): inside quiet hours 22:00-08:00.
    clock.set(datetime(2026, 12, 2, 4, 0, tzinfo=UTC))
    rid = await add(stores, "thanks", clock.now(), clock.now() - timedelta(hours=3))
    await engine.start()
    await engine.idle()
    held = await reminder(stores, rid)
    assert held.state == "pending"
    assert held.due_at == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # 08:00 New York
    assert fake_discord.sent == []

    async with stores.member(ALICE) as store:  # what /settings reminders does
        await store.set_settings(quiet_start="00:00", quiet_end="00:00")
        assert await store.release_held_reminders() == [rid]
    await engine.run_due()
    await engine.idle()
    assert (await reminder(stores, rid)).state == "sent"
    assert len(fake_discord.sent) == 1


async def test_a_prep_dm_goes_before_its_meeting_not_after_quiet_hours(
    engine, stores, clock: FakeClock, fake_discord
):
    # 23:00 in New York, the meeting at 07:00: quiet hours would hold it past the start.
    clock.set(datetime(2026, 12, 2, 4, 0, tzinfo=UTC))
    meeting_at = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    rid = await add(stores, "prep", clock.now(), meeting_at)
    await engine.start()
    await engine.idle()
    assert (await reminder(stores, rid)).state == "sent"
    assert len(fake_discord.sent) == 1


async def test_a_fall_back_night_never_sends_inside_quiet_hours(
    engine, stores, clock: FakeClock, fake_discord
):
    """New York, quiet 22:00-01:30, due 01:00 EST on the night clocks fall back: it used to
    be moved to 01:30 EDT, an hour earlier, and sent at once inside quiet hours."""
    async with stores.member(ALICE) as store:
        await store.set_settings(timezone=NEW_YORK, quiet_start="22:00", quiet_end="01:30")
        prospect = await store.add_prospect("Ada Lovelace")
        async with store.transaction():
            meeting = await store.add_meeting(prospect.id, clock.now())
            due = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # 01:00 EST, the second 01:00
            rid = await store.add_reminder("thanks", due_at=due, meeting_id=meeting.id)
    clock.set(due)
    await engine.start()
    await engine.idle()
    held = await reminder(stores, rid)
    assert fake_discord.sent == []
    assert held.due_at == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST
