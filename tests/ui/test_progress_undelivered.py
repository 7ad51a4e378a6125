"""/progress lists the DMs that couldn't reach the member, the club network's included."""

from datetime import UTC, datetime

from bot.domain.models import Reminder, ReminderKind, ReminderState
from cogs.account import progress_embed

DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def undelivered_field(reminders):
    embed = progress_embed([("prospects", 1)], [("emerging", 1)], None, [], 0, reminders)
    (field,) = [f for f in embed.fields if f.name == "Reminders I couldn't deliver"]
    return field.value


def test_a_club_network_dm_is_named_for_what_it_was_not_a_removed_record():
    ask = Reminder(7, ReminderKind.NETWORK_ASK, 3, DUE, ReminderState.DM_CLOSED, server_id=5)
    pair = Reminder(8, ReminderKind.PRACTICE_INTRO, 4, DUE, ReminderState.DM_CLOSED, server_id=5)
    value = undelivered_field([(ask, None), (pair, None)])
    assert "a request for a conversation (club network)" in value
    assert "your practice partner for this round" in value
    assert "removed record" not in value


def test_a_reminder_about_a_removed_prospect_still_says_so():
    thanks = Reminder(9, ReminderKind.THANKS, 3, DUE, ReminderState.DM_CLOSED)
    assert "a removed record" in undelivered_field([(thanks, None)])
