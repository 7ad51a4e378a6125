"""Step 3 — be prepared: /meeting schedule, log, done, prep, list, cancel, reschedule,
calendar.

The words live in `cogs._meeting_text` and the prep sheet's select in
`cogs._prep_menu`; this module is the command surface.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.calendar import build_ics, new_uid_key
from bot.domain.models import (
    BankRow,
    Meeting,
    MeetingFormat,
    MeetingRange,
    PrepQuestion,
    Prospect,
    Reminder,
    Settings,
)
from bot.domain.prep import default_prep_questions
from bot.domain.questions import WHO_ELSE, asks_who_else, load_default_questions
from bot.domain.reminder_plan import prep_due, thanks_plan
from bot.domain.timeparse import WhenError, parse_when
from bot.reminders import Outgoing
from bot.store import MemberStore
from bot.types import AnyInteraction, Interaction
from bot.ui.choices import MeetingFormatOption, RangeOption
from bot.ui.embeds import make_embed, paginate
from bot.ui.errors import UserError
from bot.ui.meeting_options import (
    MeetingTransformer,
    PastMeetingTransformer,
    PrepOf,
    PrepSheetTransformer,
    row_id,
)
from bot.ui.options import ProspectOption
from bot.ui.render import (
    command_hint,
    format_relative,
    format_when,
    member_code,
    member_text,
)
from bot.ui.respond import reply
from bot.ui.time_zone import DMS_OFF, dm_time, require_timezone, rerun, zone_line
from bot.ui.views import Paginator, ask_to_choose
from cogs._common import EVERYWHERE, NOTES_MAX, text_option
from cogs._meeting_text import (
    MINUTES_MAX,
    MINUTES_MIN,
    calendar_event,
    calendar_text,
    details,
    headline,
    late_note,
    meeting_line,
    moved_embed,
    parse_minutes,
    parse_referrals,
    plain_when,
    prep_sheet,
    recorded_text,
    reminders_line,
    second_meeting_question,
)
from cogs._prep_menu import (
    PREPARE_COG,
    PrepQuestionSelect,
    kept_question_value,
    prep_view,
)

if TYPE_CHECKING:
    from bot.client import InterviewBot

MeetingOption = app_commands.Transform[Meeting, MeetingTransformer]
HeldMeetingOption = app_commands.Transform[Meeting, PastMeetingTransformer]
PrepSheetOption = app_commands.Transform[PrepOf, PrepSheetTransformer]

PLACE_MAX = 200
# The member's secret for their calendar entries' UIDs (bot.domain.calendar.meeting_uid_seed).
UID_KEY_SETTING = "calendar_uid_key"
PREP_DM_QUESTIONS = 3
# "Move the one on …" buttons offered when scheduling someone already met ahead.
MOVE_CHOICES = 3


def proposed_questions(bank: list[BankRow] | None) -> list[PrepQuestion]:
    """What a meeting starts with: the top-voted question of each TIARA category of the
    server's bank plus "who else should I talk to?", or the seed's five starters when
    there is no bank (DMs)."""
    if bank:
        categories = {row.text: row.category for row in bank}
    else:
        categories = {q.text: q.category for q in load_default_questions()}
    return [PrepQuestion(text, categories.get(text)) for text in default_prep_questions(bank)]


async def questions_for(
    store: MemberStore,
    meeting_id: int,
    bank: list[BankRow] | None = None,
    *,
    held: list[PrepQuestion] | None = None,
) -> list[PrepQuestion]:
    """The questions chosen for a meeting (`held`, when already read). The first time,
    the proposal from `bank` is copied in, so the sheet stays the same when the bank's
    votes change later."""
    questions = held if held is not None else await store.meeting_questions(meeting_id)
    if questions:
        return questions
    questions = proposed_questions(bank)
    await store.set_meeting_questions(meeting_id, questions)
    return questions


def with_who_else(questions: list[PrepQuestion]) -> list[PrepQuestion]:
    """The questions, with "who else should I talk to?" last unless one already asks it."""
    if any(asks_who_else(question.text) for question in questions):
        return questions
    return [*questions, PrepQuestion(WHO_ELSE)]


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """A meeting /meeting schedule is about to store (kept while the member chooses)."""

    prospect: Prospect
    starts_at: datetime
    minutes: int
    format: MeetingFormat | None
    place: str | None
    guild_id: int | None


def _same_time(name: str, starts_at: datetime) -> str:
    """The refusal for a second meeting with someone at the very time of another."""
    return (
        f"You already have a meeting with {member_text(name)} {format_when(starts_at)}; "
        "nothing changed. To move it: "
        + command_hint(f'/meeting reschedule meeting:{name} when:"tomorrow 8am"')
        + "; to call it off: "
        + command_hint(f"/meeting cancel meeting:{name}")
        + "."
    )


async def plan_prep(store: MemberStore, meeting_id: int, starts_at: datetime) -> datetime | None:
    """Add the prep reminder for a meeting starting at `starts_at` (24 h before, at once
    if sooner: `prep_due`); returns when it is due, None if the meeting has started."""
    prep_at = prep_due(starts_at, store.now())
    if prep_at is not None:
        await store.add_reminder("prep", due_at=prep_at, meeting_id=meeting_id)
    return prep_at


async def plan_thanks(
    store: MemberStore, meeting_id: int, ended_at: datetime, after_hours: float
) -> list[int]:
    """Add the thank-you nudges for a meeting that ends (or ended) at `ended_at`."""
    return [
        await store.add_reminder(
            "thanks", due_at=nudge.due_at, meeting_id=meeting_id, step=nudge.step
        )
        for nudge in thanks_plan(ended_at, store.now(), after_hours=after_hours)
    ]


async def nudge_promise(store: MemberStore, meeting_id: int, settings: Settings) -> str:
    """When the meeting's first thank-you nudge will come, as /meeting log and done
    promise it (quiet hours included)."""
    due = [
        reminder.due_at
        for reminder in await store.pending_reminders()
        if reminder.kind == "thanks" and reminder.subject_id == meeting_id
    ]
    if not settings.dms:
        return DMS_OFF
    if not due:
        return "I'll nudge you by DM."
    return f"I'll nudge you by DM {dm_time(min(due), store.now(), settings)}."


class Prepare(commands.Cog, name=PREPARE_COG):
    """Schedule and record meetings, prepare for them, and put them in a calendar."""

    meeting = app_commands.Group(
        name="meeting", description="Step 3: your informational interviews", **EVERYWHERE
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Render the prep DMs the reminder engine delivers; answer prep selects, even
        after a restart."""
        self.bot.reminders.register("prep", self.render_prep)
        self.bot.add_dynamic_items(PrepQuestionSelect)

    async def cog_unload(self) -> None:
        """Stop answering the prep selects."""
        self.bot.remove_dynamic_items(PrepQuestionSelect)

    async def _server_bank(self, guild_id: int | None) -> list[BankRow] | None:
        """The server's question bank, most votes first; None outside a server. Read in
        its own store block, never inside a member's (no two store locks at once)."""
        if guild_id is None:
            return None
        async with self.bot.stores.guild(guild_id) as bank:
            return await bank.top_questions()

    # -- parsing shared by the commands ------------------------------------------------
    def _when(self, text: str, tz: ZoneInfo, prefer: Literal["future", "past"]) -> datetime:
        try:
            return parse_when(text, tz, self.bot.clock.now(), prefer=prefer)
        except WhenError as error:
            # The domain's message is plain text quoting what they typed: shown literally.
            raise UserError(member_text(str(error))) from None

    # -- /meeting schedule -----------------------------------------------------------
    @meeting.command(name="schedule")
    @app_commands.describe(
        prospect="Who you're meeting (start typing a name)",
        when=(
            'When: "tomorrow 8am", "the 15th at 10am", "Dec 3 3pm PT" '
            "(your time zone unless you name one)"
        ),
        minutes=f"How long ({MINUTES_MIN}–{MINUTES_MAX}; ask for 30, an hour at most)",
        format="In person, by phone or by video",
        place="Where, or the video link",
    )
    async def schedule(
        self,
        interaction: Interaction,
        prospect: ProspectOption,
        when: app_commands.Range[str, 1, 100],
        minutes: app_commands.Range[int, MINUTES_MIN, MINUTES_MAX] | None = None,
        format: MeetingFormatOption | None = None,
        place: app_commands.Range[str, 1, PLACE_MAX] | None = None,
    ) -> None:
        """Plan a meeting: a prep reminder the day before and a thank-you nudge after."""
        length = parse_minutes(minutes)
        where = text_option(place, label="Place", limit=PLACE_MAX, example="Café Central")
        if not await require_timezone(
            interaction,
            continue_with=rerun(self.schedule, prospect, when, minutes, format, place),
        ):
            return
        user_id = interaction.user.id
        bank = await self._server_bank(interaction.guild_id)
        async with self.bot.stores.member(user_id) as store:
            tz = ZoneInfo((await store.settings()).timezone)
            starts_at = self._when(when, tz, "future")
            if starts_at <= store.now():
                raise UserError(
                    f"{format_when(starts_at)} is in the past. To record a meeting that "
                    "already happened, use "
                    + command_hint(f'/meeting log prospect:{prospect.name} when:"{when}"')
                    + "."
                )
            if await store.find_meeting_at(prospect.id, starts_at) is not None:
                raise UserError(_same_time(prospect.name, starts_at))
            ahead = (await store.upcoming_meetings_with(prospect.id))[:MOVE_CHOICES]
        new_meeting = NewMeeting(prospect, starts_at, length, format, where, interaction.guild_id)
        if not ahead:
            await reply(interaction, embed=await self._add(user_id, new_meeting, bank))
            return
        # Most likely the same meeting at a new time: offer to move it; nothing is stored
        # until the member chooses.
        chosen = await ask_to_choose(
            interaction,
            second_meeting_question(prospect, ahead, starts_at),
            [f"Move the one on {plain_when(m.starts_at, tz)}" for m in ahead] + ["Keep both"],
            kept=f"Nothing was scheduled; your plans with {member_text(prospect.name)} stay as "
            "they were.",
        )
        if chosen is None:
            return
        index, pressed = chosen
        try:
            if index < len(ahead):
                async with self.bot.stores.member(user_id) as store:
                    embed = await self._move(
                        store,
                        ahead[index].id,
                        starts_at,
                        minutes=minutes,
                        format=format,
                        place=where,
                        when_text=when,
                    )
            else:
                embed = await self._add(user_id, new_meeting, bank)
        except UserError as error:
            # The press waits for the answer now, not the command.
            await pressed.response.edit_message(content=error.message, embed=None, view=None)
            return
        await pressed.response.edit_message(content=None, embed=embed, view=None)

    async def _add(
        self, user_id: int, new: NewMeeting, bank: list[BankRow] | None
    ) -> discord.Embed:
        """Store a new meeting with its prep reminder and thank-you nudges; the reply."""
        prospect = new.prospect
        async with self.bot.stores.member(user_id) as store:
            settings = await store.settings()
            # Checked again: the member may have scheduled it elsewhere while choosing.
            if await store.find_meeting_at(prospect.id, new.starts_at) is not None:
                raise UserError(_same_time(prospect.name, new.starts_at))
            async with store.transaction():
                meeting = await store.add_meeting(
                    prospect.id,
                    new.starts_at,
                    minutes=new.minutes,
                    format=new.format,
                    place=new.place,
                    guild_id=new.guild_id,
                )
                await questions_for(store, meeting.id, bank)
                store_now = store.now()
                prep_at = await plan_prep(store, meeting.id, meeting.starts_at)
                await plan_thanks(store, meeting.id, meeting.ends_at, settings.thanks_after_hours)
        return make_embed(
            f"Meeting scheduled with {member_text(prospect.name)}",
            f"{format_when(meeting.starts_at)}\n{details(meeting)}\n"
            + zone_line(meeting.starts_at, ZoneInfo(settings.timezone)),
            fields=[
                ("Reminders", reminders_line(meeting, prep_at, store_now, settings)),
                (
                    "Next",
                    f"`/meeting prep meeting:{member_code(prospect.name)}` for your prep "
                    "sheet · `/meeting calendar` for your calendar",
                ),
            ],
            footer=f"meeting id {meeting.id}",
        )

    async def _move(
        self,
        store: MemberStore,
        meeting_id: int,
        starts_at: datetime,
        *,
        minutes: int | None,
        when_text: str,
        format: MeetingFormat | None = None,
        place: str | None = None,
    ) -> discord.Embed:
        """Move a meeting still ahead to `starts_at` (a new length, format or place when
        given) and re-time its reminders in the same transaction: the prep DM as
        /meeting schedule plans it, the thank-you nudges after the new end. The reply;
        a UserError (nothing changed) for a meeting that is gone, cancelled or past, or a
        time that is past or already taken."""
        found = await store.get_meeting_with_prospect(meeting_id)
        if found is None:
            raise UserError("That meeting was removed in the meantime.")
        meeting, prospect = found
        now = store.now()
        name = member_text(prospect.name)
        if meeting.cancelled:
            raise UserError(
                f"Your meeting with {name} ({format_when(meeting.starts_at)}) was cancelled, so "
                "there is nothing to move. Plan the new time instead: "
                + command_hint(f'/meeting schedule prospect:{prospect.name} when:"{when_text}"')
                + "."
            )
        if meeting.done or meeting.starts_at <= now:
            raise UserError(
                f"Your meeting with {name} was {format_when(meeting.starts_at)}, already past, "
                "so it can't be moved. If it happened, record it with "
                + command_hint(f"/meeting done meeting:{prospect.name}")
                + "; if not, plan the next one with "
                + command_hint(f'/meeting schedule prospect:{prospect.name} when:"{when_text}"')
                + "."
            )
        if starts_at <= now:
            raise UserError(
                f"{format_when(starts_at)} is in the past; a meeting moves to a time ahead, e.g. "
                + command_hint(f'/meeting reschedule meeting:{prospect.name} when:"tomorrow 8am"')
                + "."
            )
        length = meeting.minutes if minutes is None else minutes
        if (
            (starts_at, length) == (meeting.starts_at, meeting.minutes)
            and format in (None, meeting.format)
            and place in (None, meeting.place)
        ):
            raise UserError(
                f"Your meeting with {name} is already {format_when(starts_at)} "
                f"({length} min); nothing changed."
            )
        taken = await store.find_meeting_at(prospect.id, starts_at)
        if taken is not None and taken.id != meeting.id:
            raise UserError(_same_time(prospect.name, starts_at))
        settings = await store.settings()
        async with store.transaction():
            moved = await store.move_meeting(
                meeting.id, starts_at, minutes=minutes, format=format, place=place
            )
            if moved is None:
                raise UserError("That meeting has started in the meantime; nothing changed.")
            await store.cancel_reminders(meeting_id=meeting.id, kinds=("prep", "thanks"))
            prep_at = await plan_prep(store, moved.id, moved.starts_at)
            await plan_thanks(store, moved.id, moved.ends_at, settings.thanks_after_hours)
        return moved_embed(
            prospect,
            moved,
            meeting.starts_at,
            reminders_line(moved, prep_at, now, settings),
            ZoneInfo(settings.timezone),
        )

    # -- /meeting log --------------------------------------------------------------
    @meeting.command(name="log")
    @app_commands.describe(
        prospect="Who you met (start typing a name)",
        when=(
            'When it started: "3 hours ago", "yesterday 4pm", "Tuesday 2pm PT" '
            "(your zone unless you name one)"
        ),
        minutes=f"How long it lasted ({MINUTES_MIN}–{MINUTES_MAX})",
        takeaways="What you learned — your thank-you will name it",
        referrals=(
            'Who else to talk to: "Ana Silva and Raj Mehta; Chris Wu (Square PM)" '
            "(a remark is a note)"
        ),
    )
    async def log_(
        self,
        interaction: Interaction,
        prospect: ProspectOption,
        when: app_commands.Range[str, 1, 100],
        minutes: app_commands.Range[int, MINUTES_MIN, MINUTES_MAX] | None = None,
        takeaways: app_commands.Range[str, 1, NOTES_MAX] | None = None,
        referrals: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        """Record a meeting that already happened, with what you learned."""
        length = parse_minutes(minutes)
        notes = text_option(
            takeaways, label="Takeaways", limit=NOTES_MAX, example="automation of claims review"
        )
        names = parse_referrals(referrals)
        if not await require_timezone(
            interaction,
            continue_with=rerun(self.log_, prospect, when, minutes, takeaways, referrals),
        ):
            return
        user_id = interaction.user.id
        bank = await self._server_bank(interaction.guild_id)
        async with self.bot.stores.member(user_id) as store:
            settings = await store.settings()
            starts_at = self._when(when, ZoneInfo(settings.timezone), "past")
            now = store.now()
            if starts_at > now:
                raise UserError(
                    f"{format_when(starts_at)} is still ahead. To plan it, use "
                    + command_hint(f'/meeting schedule prospect:{prospect.name} when:"{when}"')
                    + "."
                )
            if await store.find_meeting_at(prospect.id, starts_at) is not None:
                raise UserError(
                    f"Your meeting with {member_text(prospect.name)} {format_when(starts_at)} is "
                    "already recorded; nothing changed. To add what you learned, use "
                    f'`/meeting done meeting:{member_code(prospect.name)} takeaways:"…"`.'
                )
            async with store.transaction():
                meeting = await store.add_meeting(
                    prospect.id,
                    starts_at,
                    minutes=length,
                    takeaways=notes,
                    done=True,
                    guild_id=interaction.guild_id,
                )
                added = await store.add_referrals(meeting.id, prospect.id, names)
                await questions_for(store, meeting.id, bank)
                await plan_thanks(
                    store, meeting.id, min(meeting.ends_at, now), settings.thanks_after_hours
                )
            nudge = await nudge_promise(store, meeting.id, settings)
        self.bot.club_counts.count(interaction.guild_id, user_id, "meetings_held")
        text = recorded_text(prospect, meeting, notes, added, logged=True, nudge=nudge)
        await reply(interaction, text + "\n" + zone_line(starts_at, ZoneInfo(settings.timezone)))

    # -- /meeting done ------------------------------------------------------------
    @meeting.command(name="done")
    @app_commands.describe(
        meeting="The meeting (start typing the person's name)",
        takeaways="What you learned — your thank-you will name it",
        referrals=(
            'Who else to talk to: "Ana Silva and Raj Mehta; Chris Wu (Square PM)" '
            "(a remark is a note)"
        ),
    )
    async def done(
        self,
        interaction: Interaction,
        meeting: HeldMeetingOption,
        takeaways: app_commands.Range[str, 1, NOTES_MAX] | None = None,
        referrals: app_commands.Range[str, 1, 1000] | None = None,
    ) -> None:
        """Mark a meeting as held, with what you learned and who they referred you to."""
        notes = text_option(
            takeaways, label="Takeaways", limit=NOTES_MAX, example="automation of claims review"
        )
        names = parse_referrals(referrals)
        user_id = interaction.user.id
        async with self.bot.stores.member(user_id) as store:
            found = await store.get_meeting_with_prospect(meeting.id)
            if found is None:
                raise UserError("That meeting was removed in the meantime.")
            meeting, prospect = found
            now = store.now()
            if meeting.cancelled:
                raise UserError(
                    "That meeting was cancelled. If it did happen, record it with "
                    f'`/meeting log prospect:{member_code(prospect.name)} when:"yesterday 4pm"`.'
                )
            if meeting.starts_at > now:
                raise UserError(
                    f"That meeting is {format_when(meeting.starts_at)}, still ahead: mark it done "
                    "once it has happened. If it happened at another time, "
                    + command_hint(f"/meeting cancel meeting:{prospect.name}")
                    + " it and "
                    + command_hint(f'/meeting log prospect:{prospect.name} when:"…"')
                    + " the real one."
                )
            settings = await store.settings()
            # Marking it done again (to add takeaways) doesn't count another meeting held.
            newly_held = not meeting.done
            async with store.transaction():
                await store.mark_meeting_done(meeting.id, takeaways=notes)
                added = await store.add_referrals(meeting.id, prospect.id, names)
                await store.cancel_reminders(meeting_id=meeting.id, kinds=("prep",))
                open_thanks = not (meeting.thanked_at or meeting.thanks_skipped)
                if open_thanks and now < meeting.ends_at:
                    # It ended early: the nudges follow the real end, not the planned one.
                    await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",))
                    await plan_thanks(store, meeting.id, now, settings.thanks_after_hours)
            meeting = await store.get_meeting(meeting.id) or meeting
            nudge = await nudge_promise(store, meeting.id, settings)
        if newly_held:
            self.bot.club_counts.count(interaction.guild_id, user_id, "meetings_held")
        await reply(
            interaction,
            recorded_text(prospect, meeting, meeting.takeaways, added, logged=False, nudge=nudge),
        )

    # -- /meeting prep -------------------------------------------------------------
    @meeting.command(name="prep")
    @app_commands.describe(meeting="The meeting (start typing the person's name)")
    async def prep(self, interaction: Interaction, meeting: PrepSheetOption) -> None:
        """Your prep sheet: who they are, your questions, a short checklist."""
        user_id = interaction.user.id
        (found, prospect), questions = meeting
        bank = await self._server_bank(interaction.guild_id)
        if not questions:  # the first sheet: the bank's proposal is copied in
            async with self.bot.stores.member(user_id) as store:
                again = await store.prep_of(found.id)
                if again is None:
                    raise UserError("That meeting was removed in the meantime.")
                (found, prospect), held = again
                questions = await questions_for(store, found.id, bank, held=held)
        view = prep_view(found.id, user_id, bank, questions)
        await reply(interaction, embed=prep_sheet(found, prospect, questions), view=view)

    async def choose_questions(
        self,
        interaction: AnyInteraction,
        meeting_id: int,
        guild_id: int | None,
        values: list[str],
    ) -> None:
        """The prep select: the picked questions become the meeting's list (who-else kept
        last), stored in the presser's own store, and the sheet is shown again."""
        values = list(dict.fromkeys(values))
        bank: list[BankRow] | None = None
        offered: dict[str, PrepQuestion] = {}
        if guild_id is not None:
            picked = [n for n in map(row_id, values) if n is not None]
            async with self.bot.stores.guild(guild_id) as store:
                rows = await store.question_texts(picked)
                bank = await store.top_questions()
            by_id = {row.id: PrepQuestion(row.text, row.category) for row in rows}
            offered = {v: by_id[n] for v in values if (n := row_id(v)) in by_id}
        else:
            seed = load_default_questions()
            offered = {str(i): PrepQuestion(q.text, q.category) for i, q in enumerate(seed)}
        async with self.bot.stores.member(interaction.user.id) as store:
            found = await store.get_meeting_with_prospect(meeting_id)
            if found is None:
                raise UserError(
                    "That meeting isn't among yours any more. Open a fresh sheet with "
                    '`/meeting prep meeting:"Ada Lovelace"`.'
                )
            held = await store.meeting_questions(meeting_id)
            offered |= {kept_question_value(question.text): question for question in held}
            # Keyed by text: a question offered twice (forged values) is listed once.
            chosen = list({offered[v].text: offered[v] for v in values if v in offered}.values())
            if not chosen:
                raise UserError(
                    "Those questions were removed from the bank. Run "
                    + command_hint(f"/meeting prep meeting:{found[1].name}")
                    + " again to choose from the current ones."
                )
            chosen = with_who_else(chosen)
            await store.set_meeting_questions(meeting_id, chosen)
        meeting, prospect = found
        await interaction.response.edit_message(
            embed=prep_sheet(meeting, prospect, chosen),
            view=prep_view(meeting_id, interaction.user.id, bank, chosen),
        )

    # -- /meeting list -------------------------------------------------------------
    @meeting.command(name="list")
    @app_commands.describe(range="Upcoming (default), past or all meetings")
    async def list_(self, interaction: Interaction, range: RangeOption | None = None) -> None:
        """Your meetings, a page at a time."""
        chosen = range or MeetingRange.UPCOMING
        async with self.bot.stores.member(interaction.user.id) as store:
            found = await store.list_meetings(chosen)
            now = store.now()
        # A command to run as written names a prospect (as /meeting calendar's does).
        empty = {
            "upcoming": "No upcoming meetings. Plan one with "
            '`/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"`.',
            "past": "No past meetings yet. Record one with "
            '`/meeting log prospect:"Ada Lovelace" when:"yesterday 4pm"`.',
            "all": "No meetings yet. Plan one with "
            '`/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"`.',
        }[chosen]
        pages = paginate(
            f"Your meetings — {chosen} ({len(found)})",
            [meeting_line(m, p, now) for m, p in found],
            empty=empty,
        )
        await Paginator(interaction.user.id, pages).send(interaction)

    # -- /meeting cancel -----------------------------------------------------------
    @meeting.command(name="cancel")
    @app_commands.describe(meeting="The meeting (start typing the person's name)")
    async def cancel(self, interaction: Interaction, meeting: MeetingOption) -> None:
        """Cancel a meeting and its reminders (it stays on the person's timeline)."""
        user_id = interaction.user.id
        async with self.bot.stores.member(user_id) as store:
            found = await store.get_meeting_with_prospect(meeting.id)
            if found is None:
                raise UserError("That meeting was removed in the meantime.")
            meeting, prospect = found
            if meeting.cancelled:
                raise UserError(
                    f"Your meeting with {member_text(prospect.name)} was already cancelled; "
                    "nothing changed."
                )
            async with store.transaction():
                await store.cancel_meeting(meeting.id)
                await store.cancel_reminders(meeting_id=meeting.id)
        await reply(
            interaction,
            f"Cancelled your meeting with **{member_text(prospect.name)}** "
            f"({format_when(meeting.starts_at)}); its reminders are off. "
            "Set a new time with "
            + command_hint(f"/meeting schedule prospect:{prospect.name} when:…")
            + ".",
        )

    # -- /meeting reschedule -------------------------------------------------------
    @meeting.command(name="reschedule")
    @app_commands.describe(
        meeting="The meeting to move (start typing the person's name)",
        when='The new time: "Friday 3pm", "Dec 4 10:30", "in 2 days at 9am" (your time zone)',
        minutes=f"A new length ({MINUTES_MIN}–{MINUTES_MAX}; leave empty to keep it)",
    )
    async def reschedule(
        self,
        interaction: Interaction,
        meeting: MeetingOption,
        when: app_commands.Range[str, 1, 100],
        minutes: app_commands.Range[int, MINUTES_MIN, MINUTES_MAX] | None = None,
    ) -> None:
        """Move an upcoming meeting; its reminders and calendar entry follow."""
        length = None if minutes is None else parse_minutes(minutes)
        if not await require_timezone(
            interaction,
            continue_with=rerun(self.reschedule, meeting, when, minutes),
        ):
            return
        async with self.bot.stores.member(interaction.user.id) as store:
            tz = ZoneInfo((await store.settings()).timezone)
            starts_at = self._when(when, tz, "future")
            embed = await self._move(store, meeting.id, starts_at, minutes=length, when_text=when)
        await reply(interaction, embed=embed)

    # -- /meeting calendar ---------------------------------------------------------
    @meeting.command(name="calendar")
    @app_commands.describe(meeting="One meeting (leave empty for all upcoming ones)")
    async def calendar(
        self, interaction: Interaction, meeting: MeetingOption | None = None
    ) -> None:
        """An .ics file to add your meetings to your calendar."""
        user_id = interaction.user.id
        async with self.bot.stores.member(user_id) as store:
            if meeting is not None:
                found = await store.get_meeting_with_prospect(meeting.id)
                chosen = [found] if found else []
            else:
                # Cancelled ones too: re-importing then removes them from the calendar.
                chosen = await store.list_meetings("ahead")
            if not chosen:
                # Refused before the calendar's UID key is made: a refusal changes nothing.
                raise UserError(
                    "You have no upcoming meetings to put in a calendar. Plan one with "
                    '`/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 8am"`.'
                )
            uid_key = await store.get_setting(UID_KEY_SETTING)
            if uid_key is None:
                uid_key = new_uid_key()
                await store.set_settings(**{UID_KEY_SETTING: uid_key})
            events = [
                calendar_event(
                    uid_key, m, p, [] if m.cancelled else await questions_for(store, m.id)
                )
                for m, p in chosen
            ]
            now = store.now()
        data = build_ics(events, now=now)
        filename = "meeting.ics" if meeting is not None else "meetings.ics"
        await reply(
            interaction,
            calendar_text(chosen, single=meeting is not None),
            files=[discord.File(io.BytesIO(data), filename=filename)],
        )

    # -- the prep DM ---------------------------------------------------------------
    async def render_prep(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The prep DM: when, who, the top questions; None once it's no longer useful."""
        found = await store.get_meeting_with_prospect(reminder.subject_id)
        if found is None:
            return None
        meeting, prospect = found
        if meeting.cancelled or meeting.done or meeting.starts_at <= store.now():
            return None
        questions = await questions_for(store, meeting.id)
        top = "\n".join(
            f"{n}. {member_text(text)}"
            for n, (text, _) in enumerate(questions[:PREP_DM_QUESTIONS], start=1)
        )
        embed = make_embed(
            f"Get ready: {member_text(prospect.name)}",
            member_text(headline(prospect)) or None,
            fields=[
                ("When", f"{format_when(meeting.starts_at)}\n{details(meeting)}"),
                (
                    "Top questions",
                    top
                    or f"Choose a few with `/meeting prep meeting:{member_code(prospect.name)}`.",
                ),
                (
                    "Full sheet",
                    f"`/meeting prep meeting:{member_code(prospect.name)}`: who they are, your "
                    "questions and a checklist.",
                ),
            ],
            footer=f"meeting id {meeting.id}",
        )
        content = (
            f"Your informational interview with **{member_text(prospect.name)}** is "
            f"{format_relative(meeting.starts_at)}." + late_note(reminder)
        )
        return Outgoing(content=content, embed=embed, view=None)


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Prepare(bot))
