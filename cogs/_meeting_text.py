"""Step 3's words: the pure functions that turn meetings into text, embeds and calendar
entries, and that read the meeting options members type. No Discord I/O here."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import discord

from bot.domain.calendar import CalendarEvent, meeting_uid_seed
from bot.domain.models import (
    Meeting,
    MeetingWithProspect,
    PrepQuestion,
    Prospect,
    Referral,
    Reminder,
    Settings,
)
from bot.domain.prep import prep_checklist
from bot.domain.referrals import ReferredPerson
from bot.domain.referrals import parse_referrals as read_referrals
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.limits import FIELD_VALUE, clip
from bot.ui.render import checklist_line, format_when, member_code, member_link, member_text
from bot.ui.time_zone import DMS_OFF, dm_moment, dm_time, zone_line
from cogs._common import NAME_MAX

MINUTES_MIN, MINUTES_MAX, MINUTES_DEFAULT = 15, 120, 30
REFERRALS_MAX = 10
REFERRALS_EXAMPLE = '`referrals:"Grace Hopper, Alan Turing and Chris Wu (Square PM)"`'


def parse_minutes(value: int | None) -> int:
    """A meeting's length in minutes (30 when not given); refused outside 15–120."""
    if value is None:
        return MINUTES_DEFAULT
    if not MINUTES_MIN <= value <= MINUTES_MAX:
        raise UserError(
            f"minutes must be between {MINUTES_MIN} and {MINUTES_MAX}, e.g. `minutes:30` "
            "(ask for 30 minutes, an hour at most)."
        )
    return value


def parse_referrals(text: str | None) -> list[ReferredPerson]:
    """The people in a referrals option (`bot.domain.referrals` reads it); refused (with
    an example) when a name is too long or there are too many."""
    people = read_referrals(text)
    for person in people:
        if len(person.name) > NAME_MAX:
            raise UserError(
                f"A referral's name is at most {NAME_MAX} characters; separate names with "
                f'commas or "and", e.g. {REFERRALS_EXAMPLE}.'
            )
    if len(people) > REFERRALS_MAX:
        raise UserError(
            f"That's {len(people)} referrals; add up to {REFERRALS_MAX} at a time, "
            f"e.g. {REFERRALS_EXAMPLE}."
        )
    return people


def headline(prospect: Prospect) -> str:
    """The prospect's role and organization, as far as they are known."""
    return " · ".join(part for part in (prospect.role, prospect.organization) if part)


def details(meeting: Meeting, *extra: str) -> str:
    """The meeting's length, format and place (escaped) joined by " · ", then `extra`."""
    parts = (f"{meeting.minutes} min", meeting.format, meeting.place and member_link(meeting.place))
    return " · ".join(part for part in (*parts, *extra) if part)


def meeting_line(meeting: Meeting, prospect: Prospect, now: datetime) -> str:
    """One meeting in a list, with Discord timestamps."""
    if meeting.cancelled:
        state = "cancelled"
    elif meeting.thanked_at:
        state = "thanked"
    elif meeting.thanks_skipped:
        state = "met · no thank-you reminders"
    elif meeting.done or meeting.starts_at <= now:
        state = "met · thank-you to send"
    else:
        state = "upcoming"
    return (
        f"**{member_text(prospect.name)}** — {format_when(meeting.starts_at)}\n"
        f"-# {details(meeting, state)}"
    )


def _chunks(lines: list[str], limit: int = FIELD_VALUE) -> list[str]:
    """Lines joined into as few field values as fit, so a long list isn't cut short."""
    chunks: list[str] = []
    for line in lines:
        line = clip(line, limit)
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return chunks


def prep_sheet(
    meeting: Meeting, prospect: Prospect, questions: list[PrepQuestion]
) -> discord.Embed:
    """The prep sheet: when, who they are, the questions, a short checklist."""
    who = [member_text(headline(prospect)) or "Role and organization not recorded yet."]
    if prospect.stage:
        who.append(f"Career stage: {prospect.stage}")
    if prospect.linkedin:
        who.append(member_link(prospect.linkedin))
    fields = [
        ("When", f"{format_when(meeting.starts_at)}\n{details(meeting)}"),
        ("Who they are", "\n".join(who)),
    ]
    if prospect.notes:
        fields.append(("Your notes", member_text(prospect.notes)))
    lines = [
        f"{n}. {member_text(text)}" + (f" *({category})*" if category else "")
        for n, (text, category) in enumerate(questions, start=1)
    ]
    fields += [("Your questions", chunk) for chunk in _chunks(lines)] or [
        ("Your questions", "None chosen yet.")
    ]
    fields.append(
        (
            "Checklist",
            "\n".join(
                f"☐ {checklist_line(item)}"
                for item in prep_checklist(meeting.format, meeting.minutes)
            ),
        )
    )
    return make_embed(
        f"Prep sheet: {member_text(prospect.name)}",
        "Ask for insight and advice, not a job — and always ask who else to talk to.",
        fields=fields,
        footer=f"meeting id {meeting.id}",
    )


def late_note(reminder: Reminder) -> str:
    """A reminder's apology for arriving late (the bot was offline); empty when on time."""
    return (
        "\n-# This reminder should have arrived earlier (the bot was offline)."
        if reminder.late
        else ""
    )


def votes_label(count: int) -> str:
    """The count with its noun: "1 vote", "3 votes"."""
    return f"{count} vote" + ("" if count == 1 else "s")


def recorded_text(
    prospect: Prospect,
    meeting: Meeting,
    takeaways: str | None,
    referrals: list[Referral],
    *,
    logged: bool,
    nudge: str = "I'll nudge you by DM.",
) -> str:
    """What /meeting log and /meeting done say back; `nudge` says when the thank-you
    nudge comes."""
    name = member_text(prospect.name)
    lines = [
        (
            f"Logged your meeting with **{name}**"
            if logged
            else f"Marked your meeting with **{name}** done"
        )
        + f" ({format_when(meeting.starts_at)}, {meeting.minutes} min)."
    ]
    if takeaways:
        lines.append("Takeaways saved: your thank-you will name them.")
    else:
        lines.append(
            "No takeaways yet: add them with "
            f'`/meeting done meeting:{member_code(prospect.name)} takeaways:"…"` so your '
            "thank-you can name something specific you learned."
        )
    if referrals:
        new = [_referral(r) for r in referrals if r.new]
        linked = [member_text(r.prospect.name) for r in referrals if not r.new]
        if new:
            lines.append(f"New prospects referred by {name}: {', '.join(new)}.")
        if linked:
            lines.append(f"Already in your list, now linked to {name}: {', '.join(linked)}.")
    if not (meeting.thanked_at or meeting.thanks_skipped):
        lines.append(
            "Next: thank them within 24 hours — "
            f"`/thanks draft meeting:{member_code(prospect.name)}`. {nudge}"
        )
    return "\n".join(lines)


def _referral(referral: Referral) -> str:
    """A new referral as the reply names it: with its note, and a word when prospects
    already had that name (the bot doesn't guess which one was meant)."""
    prospect = referral.prospect
    text = member_text(prospect.name)
    if prospect.notes:
        text += f" ({member_text(prospect.notes)})"
    if referral.namesakes:
        text += (
            f" (you already had {referral.namesakes} by that name; this one is id "
            f"{prospect.id}: remove it with `/prospect remove prospect:{prospect.id}` if "
            "it's the same person)"
        )
    return text


def _meetings(count: int) -> str:
    return "1 meeting" if count == 1 else f"{count} meetings"


def calendar_text(chosen: list[MeetingWithProspect], *, single: bool) -> str:
    """What /meeting calendar says with its file: how many meetings it adds, and which
    it marks cancelled (importing the file removes those from the member's calendar)."""
    cancelled = [(m, p) for m, p in chosen if m.cancelled]
    live = len(chosen) - len(cancelled)
    if single and cancelled:
        meeting, prospect = cancelled[0]
        return (
            f"Your meeting with **{member_text(prospect.name)}** "
            f"({format_when(meeting.starts_at)}) was cancelled: this file marks it cancelled, "
            "so importing it removes the meeting from your calendar if you had added it."
        )
    if len(cancelled) == 1:
        gone = "the meeting you cancelled, marked cancelled so importing it removes it"
    else:
        gone = (
            f"the {len(cancelled)} meetings you cancelled, marked cancelled so importing "
            "it removes them"
        )
    gone += " from your calendar"
    if not live:
        verb = "is" if len(cancelled) == 1 else "are"
        return f"You have no upcoming meetings. Here {verb} {gone}."
    verb = "is" if live == 1 else "are"
    text = (
        f"Here {verb} {_meetings(live)} as a calendar file: open it to add it to your calendar "
        "(exporting again updates the same entries rather than duplicating them)."
    )
    return f"{text} It also holds {gone}." if cancelled else text


def calendar_event(
    uid_key: str, meeting: Meeting, prospect: Prospect, questions: list[PrepQuestion]
) -> CalendarEvent:
    """The meeting as a calendar entry (plain text: calendars don't render markdown). A
    cancelled one says so in its title too, for calendar apps that ignore STATUS. Its UID
    comes from the member's `uid_key` and the meeting, never their Discord id."""
    lines = [headline(prospect)] if headline(prospect) else []
    if meeting.cancelled:
        lines += ["", "This meeting was cancelled."]
    else:
        if questions:
            lines += ["", "Questions:", *(f"- {question.text}" for question in questions)]
        lines += ["", "Full prep sheet: /meeting prep"]
    summary = f"Informational interview: {prospect.name}"
    return CalendarEvent(
        uid_seed=meeting_uid_seed(uid_key, meeting.id),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"Cancelled: {summary}" if meeting.cancelled else summary,
        description="\n".join(lines).strip(),
        location=meeting.place or (meeting.format if meeting.format else None),
        cancelled=meeting.cancelled,
        revision=meeting.revision,
    )


def reminders_line(
    meeting: Meeting, prep_at: datetime | None, now: datetime, settings: Settings
) -> str:
    """The reminders a scheduled (or moved) meeting gets, as its confirmation says them:
    when each DM really comes, quiet hours included."""
    if not settings.dms:
        return DMS_OFF
    hours = settings.thanks_after_hours
    nudge_at = meeting.ends_at + timedelta(hours=hours)
    held = dm_moment(nudge_at, now, settings) != nudge_at
    return (
        f"A prep DM {prep_when(prep_at, now, settings, meeting.starts_at)}, and a "
        f"thank-you nudge {hours} h after it ends"
        + (f" ({dm_time(nudge_at, now, settings)})." if held else ".")
    )


def plain_when(when: datetime, tz: ZoneInfo) -> str:
    """A moment in the member's zone as plain text, for a button label (which can't show
    Discord's timestamps): "Thu Dec 3, 10:00"."""
    local = when.astimezone(tz)
    return f"{local:%a} {local:%b} {local.day}, {local:%H:%M}"


def second_meeting_question(prospect: Prospect, ahead: list[Meeting], starts_at: datetime) -> str:
    """/meeting schedule's question when a meeting with that person is already ahead."""
    name = member_text(prospect.name)
    if len(ahead) == 1:
        have = f"You already have a meeting with **{name}** {format_when(ahead[0].starts_at)}."
    else:
        have = f"You already have {len(ahead)} meetings ahead with **{name}**: " + "; ".join(
            format_when(meeting.starts_at) for meeting in ahead
        )
    return (
        f"{have}\nMove it to {format_when(starts_at)} instead (its reminders and your "
        "calendar entry follow), or keep both? Nothing is saved until you choose."
    )


def moved_embed(
    prospect: Prospect, meeting: Meeting, was: datetime, reminders: str, tz: ZoneInfo
) -> discord.Embed:
    """What /meeting reschedule (or "Move the one on …") says back: the new time (and
    the zone it was read in), the old one, and when the reminders now come."""
    return make_embed(
        f"Meeting moved: {member_text(prospect.name)}",
        f"{format_when(meeting.starts_at)}\n{details(meeting)}\n-# was {format_when(was)}\n"
        + zone_line(meeting.starts_at, tz),
        fields=[
            ("Reminders", reminders),
            (
                "Calendar",
                "If you added it to your calendar, export it again with `/meeting calendar`: "
                "importing the file moves the entry you have (same event, newer version).",
            ),
        ],
        footer=f"meeting id {meeting.id}",
    )


def prep_when(
    prep_at: datetime | None, now: datetime, settings: Settings, starts_at: datetime
) -> str:
    """When the prep DM comes, as the schedule confirmation says it: a day before, at
    once when that has passed, or when quiet hours let it (always before the meeting)."""
    if prep_at is None:
        return "isn't needed (the meeting starts now)"
    goes = dm_moment(prep_at, now, settings, before=starts_at)
    if goes <= now:
        return "now, since it's less than a day away"
    if goes == prep_at:
        return f"{format_when(prep_at)} (a day before)"
    return dm_time(prep_at, now, settings, before=starts_at)
