"""The stores' side of changing plans: a meeting moved (one revision on), a request taken
back with its reminders, a request that repeats another, and a count taken back."""

from datetime import UTC, datetime, timedelta

from bot.store.guild import ActivityChange
from tests.support.stores import member_store_at

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
ALICE = 712345678901234567
GUILD = 7


async def test_moving_a_meeting_ahead_counts_a_revision(stores):
    async with stores.member(ALICE) as store:
        ada = await store.add_prospect("Ada Lovelace")
        meeting = await store.add_meeting(ada.id, NOW + timedelta(days=6), minutes=30)
        later = NOW + timedelta(days=10)
        moved = await store.move_meeting(meeting.id, later, place="Café Central")
        assert (moved.starts_at, moved.minutes, moved.place, moved.revision) == (
            later,
            30,
            "Café Central",
            1,
        )
        again = await store.move_meeting(meeting.id, later, minutes=45)
        assert (again.minutes, again.place, again.revision) == (45, "Café Central", 2)
        assert [m.id for m in await store.upcoming_meetings_with(ada.id)] == [meeting.id]


async def test_a_cancelled_held_or_started_meeting_is_not_moved(stores, clock):
    async with stores.member(ALICE) as store:
        ada = await store.add_prospect("Ada Lovelace")
        cancelled = await store.add_meeting(ada.id, NOW + timedelta(days=1))
        await store.cancel_meeting(cancelled.id)
        held = await store.add_meeting(ada.id, NOW + timedelta(days=2), done=True)
        started = await store.add_meeting(ada.id, NOW + timedelta(minutes=10))
        clock.advance(minutes=15)
        for meeting in (cancelled, held, started):
            assert await store.move_meeting(meeting.id, NOW + timedelta(days=9)) is None
            assert (await store.get_meeting(meeting.id)).revision == 0
        assert await store.upcoming_meetings_with(ada.id) == []


async def test_removing_a_request_removes_its_reminders(stores):
    async with stores.member(ALICE) as store:
        dana = await store.add_prospect("Dana Lee")
        async with store.transaction():
            request = await store.add_outreach(dana.id, sent_at=NOW, guild_id=GUILD)
            for kind, days in (("followup-3", 5), ("followup-7", 11)):
                await store.add_reminder(
                    kind, due_at=NOW + timedelta(days=days), outreach_id=request.id
                )
        assert (request.guild_id, request.logged_at) == (GUILD, NOW)
        assert await store.last_logged_outreach(dana.id) == request
        assert await store.remove_outreach(request.id)
        assert await store.pending_reminders() == []
        assert await store.count("SELECT COUNT(*) FROM reminders") == 0
        assert await store.last_logged_outreach(dana.id) is None
        assert not await store.remove_outreach(request.id)


async def test_a_request_repeats_one_logged_lately_or_sent_about_then(stores, clock):
    window = timedelta(days=3)
    async with stores.member(ALICE) as store:
        dana = await store.add_prospect("Dana Lee")
        assert await store.outreach_like(dana.id, NOW, within=window) is None
        # Sent two weeks ago, logged now.
        old = await store.add_outreach(dana.id, sent_at=NOW - timedelta(days=14))
        assert await store.outreach_like(dana.id, NOW, within=window) == old
        clock.advance(days=4)
        # Logged four days ago and sent long before: a new request now is not the same.
        assert await store.outreach_like(dana.id, clock.now(), within=window) is None
        # ...but one said to be sent about when the old one was sent is.
        sent_then = NOW - timedelta(days=13)
        assert await store.outreach_like(dana.id, sent_then, within=window) == old


async def test_a_count_taken_back_stops_at_zero_and_keeps_the_active_member(stores):
    async with stores.guild(GUILD) as club:
        await club.count_activity(
            [
                ActivityChange("requests_sent", NOW, 1, ALICE),
                ActivityChange("requests_sent", NOW, -1),
                ActivityChange("requests_sent", NOW, -1),
            ]
        )
        counts = await club.monthly_counts(["2026-11"])
    assert counts["2026-11"] == {"requests_sent": 0, "active_members": 1}


async def test_a_store_from_before_the_migration_keeps_its_rows(stores, tmp_path):
    """A member's store at version 2 (before meetings.revision and outreach.guild_id)."""
    path = tmp_path / "users" / f"{ALICE}.sqlite3"
    with member_store_at(tmp_path, ALICE, 2) as conn:
        conn.execute(
            "INSERT INTO prospects (id, name, created_at, updated_at) VALUES (1, 'Ada', ?, ?)",
            (NOW.isoformat(), NOW.isoformat()),
        )
        conn.execute(
            "INSERT INTO meetings (prospect_id, starts_at, created_at) VALUES (1, ?, ?)",
            ((NOW + timedelta(days=3)).isoformat(), NOW.isoformat()),
        )
        conn.execute(
            "INSERT INTO outreach (prospect_id, sent_at, created_at) VALUES (1, ?, ?)",
            (NOW.isoformat(), NOW.isoformat()),
        )
    path.chmod(0o600)
    async with stores.member(ALICE) as store:
        ((meeting, _),) = await store.list_meetings("all")
        request = await store.last_logged_outreach(1)
    assert meeting.revision == 0
    assert request.guild_id is None
