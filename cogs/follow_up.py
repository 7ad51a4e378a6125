"""Step 4 — follow up with thanks: /thanks draft, /thanks sent, the thank-you nudges, and
keeping in touch afterwards (the check-in and the word to the referrer).

The nudge DMs' buttons are DynamicItems: their custom_id carries the action and the
meeting id, so they keep working after a restart; they act only on the presser's store.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.keeping_in_touch import (
    TouchDraft,
    TouchGap,
    draft_checkin,
    draft_referrer_update,
    touch_snooze_due,
)
from bot.domain.models import (
    KEEP_IN_TOUCH_KINDS,
    Medium,
    Meeting,
    MeetingWithProspect,
    Prospect,
    Reminder,
    ReminderKind,
    Settings,
)
from bot.domain.reminder_plan import THANKS_SNOOZED_STEP, PlannedNudge, snooze_due
from bot.domain.thanks import draft_thanks
from bot.reminders import Outgoing
from bot.store import MemberStore
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.choices import MediumOption
from bot.ui.components import GuardedItem, PersistentView
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.limits import CONTENT, clip
from bot.ui.meeting_options import PastMeetingTransformer
from bot.ui.render import (
    format_date_time,
    format_relative,
    format_when,
    member_code,
    member_text,
    thanks_gap_text,
)
from bot.ui.respond import reply
from bot.ui.time_zone import dm_time
from cogs._common import EVERYWHERE

if TYPE_CHECKING:
    from bot.client import InterviewBot

MeetingOption = app_commands.Transform[Meeting, PastMeetingTransformer]

NUDGE_ACTIONS = {
    "sent": ("Sent it", discord.ButtonStyle.success),
    "draft": ("Draft it for me", discord.ButtonStyle.primary),
    "snooze": ("Remind me tomorrow", discord.ButtonStyle.secondary),
    "skip": ("Skip", discord.ButtonStyle.secondary),
}


class ThankYouNudgeButton(
    GuardedItem[discord.ui.Button],
    template=r"thanks:(?P<action>sent|draft|snooze|skip):(?P<meeting>[0-9]+)(?::(?P<owner>[0-9]+))?",
):
    """One button of the thank-you nudge; its custom_id says what to do to which meeting
    (and whose DM it was sent to, so a forwarded or forged button is refused outright;
    buttons from before the owner was added act on the presser's own store only)."""

    refusal = "These buttons belong to someone else's reminder; they can't change anything."

    def __init__(self, action: str, meeting_id: int, owner_id: int | None = None) -> None:
        label, style = NUDGE_ACTIONS[action]
        custom_id = f"thanks:{action}:{meeting_id}" + (f":{owner_id}" if owner_id else "")
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.action = action
        self.meeting_id = meeting_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: AnyInteraction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ThankYouNudgeButton:
        """Rebuild the button from a press (also after a restart)."""
        owner = match["owner"]
        return cls(match["action"], int(match["meeting"]), int(owner) if owner else None)

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Hand the press to the Step 4 cog."""
        cog = cast("FollowUp | None", bot_of(interaction).get_cog(FollowUp.__cog_name__))
        if cog is None:
            raise UserError("Thank-you reminders are unavailable right now; try again soon.")
        await cog.on_nudge_button(interaction, self.action, self.meeting_id)


def nudge_view(meeting_id: int, owner_id: int) -> PersistentView:
    """The thank-you nudge's four buttons."""
    return PersistentView(
        *(ThankYouNudgeButton(action, meeting_id, owner_id) for action in NUDGE_ACTIONS)
    )


def nudge_text(prospect: Prospect, meeting: Meeting, *, step: int, late: bool) -> str:
    """The thank-you nudge's message: who, which meeting, and why now."""
    name = member_text(prospect.name)
    lead = {
        0: f"How did it go with **{name}**? Time to say thank you",
        1: f"A gentle reminder to thank **{name}**",
    }.get(step, f"Last reminder to thank **{name}**")
    if step == THANKS_SNOOZED_STEP:
        lead = f"As you asked: time to thank **{name}**"
    text = (
        f"{lead} for your conversation {format_when(meeting.starts_at)}.\n"
        "A short email or handwritten note within 24 hours, naming something specific you "
        "learned, is what they'll remember."
    )
    if PlannedNudge(step, meeting.starts_at).last and step != THANKS_SNOOZED_STEP:
        text += " I won't remind you again after this one."
    if late:
        text += "\n-# This reminder should have arrived earlier (the bot was offline)."
    return text


def draft_message(
    prospect: Prospect,
    meeting: Meeting,
    referrals: list[Prospect],
    *,
    member_name: str | None,
    tz: ZoneInfo,
    medium: Medium,
) -> tuple[str, list[discord.File]]:
    """The draft in a code block (copies cleanly), what's missing, and the next step; as a
    .txt file too when it would not fit in one message."""
    draft = draft_thanks(
        member_name=member_name,
        prospect_name=prospect.name,
        organization=prospect.organization,
        role=prospect.role,
        takeaways=meeting.takeaways,
        referrals=[p.name for p in referrals],
        medium=medium,
        met_on=meeting.starts_at,
        tz=tz,
        seed=meeting.id,
    )
    kind = "email" if medium == Medium.EMAIL else "handwritten note"
    head = f"Your thank-you {kind} to **{member_text(prospect.name)}**:"
    if draft.subject:
        head += f"\n**Subject:** {member_text(draft.subject)}"
    tail = []
    if draft.missing:
        tail.append(
            "Fill in before sending: "
            + "; ".join(
                thanks_gap_text(gap, prospect=prospect, meeting_id=meeting.id)
                for gap in draft.missing
            )
            + "."
        )
    if meeting.thanked_at:
        tail.append(f"-# You already marked this one thanked {format_when(meeting.thanked_at)}.")
    else:
        tail.append(
            f"When it's sent: `/thanks sent meeting:{member_code(prospect.name)} medium:{medium}`."
        )
    body = draft.text.replace("```", "'''")
    content = f"{head}\n```\n{body}\n```\n" + "\n".join(tail)
    if len(content) <= CONTENT:
        return content, []
    file_text = (f"Subject: {draft.subject}\n\n" if draft.subject else "") + draft.text
    short = f"{head}\nIt's long, so here it is as a file.\n" + "\n".join(tail)
    return clip(short, CONTENT), [
        discord.File(io.BytesIO(file_text.encode("utf-8")), filename="thank-you.txt")
    ]


# -- keeping in touch: the check-in and the word to the referrer ---------------------------
TOUCH_ACTIONS = {
    "done": ("Done", discord.ButtonStyle.success),
    "later": ("Remind me later", discord.ButtonStyle.secondary),
    "skip": ("Skip", discord.ButtonStyle.secondary),
}
_TOUCH_GAPS = {
    TouchGap.MEMBER_NAME: "your name (`/settings profile name:…` fills it in next time)",
    TouchGap.UPDATE: "one thing you did with their advice",
}


class KeepInTouchButton(
    GuardedItem[discord.ui.Button],
    template=r"touch:(?P<action>done|later|skip):(?P<kind>checkin|referrer):(?P<meeting>[0-9]+)"
    r":(?P<owner>[0-9]+)",
):
    """One button of a check-in or referrer nudge; its custom_id says what to do, which
    nudge, which meeting, and whose DM it was sent to (anyone else is refused)."""

    refusal = "These buttons belong to someone else's reminder; they can't change anything."

    def __init__(self, action: str, kind: str, meeting_id: int, owner_id: int) -> None:
        label, style = TOUCH_ACTIONS[action]
        custom_id = f"touch:{action}:{kind}:{meeting_id}:{owner_id}"
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.action = action
        self.kind = kind
        self.meeting_id = meeting_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: AnyInteraction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> KeepInTouchButton:
        """Rebuild the button from a press (also after a restart)."""
        return cls(match["action"], match["kind"], int(match["meeting"]), int(match["owner"]))

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Hand the press to the Step 4 cog."""
        cog = cast("FollowUp | None", bot_of(interaction).get_cog(FollowUp.__cog_name__))
        if cog is None:
            raise UserError("Reminders are unavailable right now; try again soon.")
        await cog.on_touch_button(interaction, self.action, self.kind, self.meeting_id)


def touch_view(kind: str, meeting_id: int, owner_id: int) -> PersistentView:
    """A keeping-in-touch nudge's buttons: Done, Remind me later, Skip."""
    return PersistentView(
        *(KeepInTouchButton(action, kind, meeting_id, owner_id) for action in TOUCH_ACTIONS)
    )


def _touch_draft_block(draft: TouchDraft) -> str:
    """A check-in or referrer note as the DM shows it: subject, the note in a code block
    (it copies cleanly), and what to fill in."""
    body = draft.text.replace("```", "'''")
    text = f"**Subject:** {member_text(draft.subject)}\n```\n{body}\n```"
    if draft.missing:
        text += (
            "\nFill in before sending: " + "; ".join(_TOUCH_GAPS[g] for g in draft.missing) + "."
        )
    return text


def _late_note(late: bool) -> str:
    return "\n-# This reminder should have arrived earlier (the bot was offline)." if late else ""


def checkin_text(
    prospect: Prospect, meeting: Meeting, draft: TouchDraft, *, snoozed: bool, late: bool
) -> str:
    """The check-in nudge: who, when they met and were thanked, and a note to send."""
    name = member_text(prospect.name)
    lead = (
        f"👋 As you asked: time to check in with **{name}**"
        if snoozed
        else f"👋 Time to check in with **{name}**"
    )
    thanked = (
        f" and thanked them {format_relative(meeting.thanked_at)}" if meeting.thanked_at else ""
    )
    return (
        f"{lead}: you met {format_date_time(meeting.starts_at)}{thanked}. A short update on "
        "what you did with their advice keeps the relationship alive. A note to start from:\n"
        f"{_touch_draft_block(draft)}{_late_note(late)}"
    )


def referrer_text(
    referrer: Prospect, prospect: Prospect, meeting: Meeting, draft: TouchDraft, *,
    snoozed: bool, late: bool,
) -> str:  # fmt: skip
    """The referrer nudge: who introduced the member to whom, and a note telling them
    how it went."""
    who, whom = member_text(referrer.name), member_text(prospect.name)
    lead = "🤝 As you asked: tell" if snoozed else "🤝 Tell"
    return (
        f"{lead} **{who}** how your conversation with **{whom}** went: {who} introduced "
        f"you, and you met {format_when(meeting.starts_at)}. People who make an introduction "
        "like to hear what came of it. A note to start from:\n"
        f"{_touch_draft_block(draft)}{_late_note(late)}"
    )


def _zone(settings: Settings) -> ZoneInfo:
    return ZoneInfo(settings.timezone)


class FollowUp(commands.Cog, name="FollowUp"):
    """Thank the people you met, with a draft and a nudge until it's done."""

    thanks = app_commands.Group(
        name="thanks", description="Step 4: thank the people you met", **EVERYWHERE
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Render the thank-you nudges and answer their buttons, even after a restart."""
        self.bot.reminders.register("thanks", self.render_nudge)
        self.bot.reminders.register(ReminderKind.CHECKIN, self.render_checkin)
        self.bot.reminders.register(ReminderKind.REFERRER, self.render_referrer)
        self.bot.add_dynamic_items(ThankYouNudgeButton, KeepInTouchButton)

    async def cog_unload(self) -> None:
        """Stop answering the nudge buttons."""
        self.bot.remove_dynamic_items(ThankYouNudgeButton, KeepInTouchButton)

    # -- shared ----------------------------------------------------------------------
    async def _meeting(self, store: MemberStore, meeting_id: int) -> MeetingWithProspect:
        found = await store.get_meeting_with_prospect(meeting_id)
        if found is None:
            raise UserError(
                "I can't find that meeting among yours: `/meeting list range:past` lists the "
                "ones you've had."
            )
        meeting, prospect = found
        if meeting.cancelled:
            raise UserError(
                f"Your meeting with {member_text(prospect.name)} was cancelled, so there's "
                "nothing to thank them for yet. If it did happen, record it first with "
                f'`/meeting log prospect:{member_code(prospect.name)} when:"yesterday 4pm"`.'
            )
        if not meeting.done and meeting.starts_at > store.now():
            raise UserError(
                f"Your meeting with {member_text(prospect.name)} is "
                f"{format_when(meeting.starts_at)}, still ahead: thank them once you've met."
            )
        return found

    async def _draft(self, user_id: int, meeting_id: int, medium: Medium) -> tuple[str, list]:
        async with self.bot.stores.member(user_id) as store:
            meeting, prospect = await self._meeting(store, meeting_id)
            referrals = await store.meeting_referrals(meeting.id)
            settings = await store.settings()
        return draft_message(
            prospect,
            meeting,
            referrals,
            member_name=settings.profile.name,
            tz=ZoneInfo(settings.timezone),
            medium=medium,
        )

    async def _close_nudges(
        self, user_id: int, meeting_id: int, *, medium: Medium | None, skip: bool = False
    ) -> tuple[Meeting, Prospect, bool, str]:
        """Mark thanked (or skipped) and end the pending nudges; a thank-you sent plans
        the keeping-in-touch nudges. Returns the meeting, its person, whether it was
        already thanked (then nothing changed), and what the reply promises next."""
        async with self.bot.stores.member(user_id) as store:
            meeting, prospect = await self._meeting(store, meeting_id)
            if meeting.thanked_at:
                return meeting, prospect, True, ""
            planned: dict[ReminderKind, datetime] = {}
            settings = await store.settings()
            async with store.transaction():
                if skip:
                    await store.skip_thanks(meeting.id)
                else:
                    await store.mark_thanked(meeting.id, medium)
                    planned = await store.plan_keeping_in_touch(
                        meeting.id, checkin_weeks=settings.checkin_weeks
                    )
                await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",))
            meeting = await store.get_meeting(meeting.id) or meeting
            referrer = (
                await store.get_prospect(prospect.referred_by)
                if ReminderKind.REFERRER in planned and prospect.referred_by is not None
                else None
            )
            promise = _touch_promise(planned, referrer, store.now(), settings) if planned else ""
        if not skip:
            # Counted for the server the meeting was recorded in (the button is in a DM).
            self.bot.club_counts.count(meeting.guild_id, user_id, "thanks_sent")
        return meeting, prospect, False, promise

    # -- /thanks draft ---------------------------------------------------------------
    @thanks.command(name="draft")
    @app_commands.describe(
        meeting="The meeting (start typing the person's name)",
        medium="Email (default) or a handwritten note",
    )
    async def draft(
        self,
        interaction: Interaction,
        meeting: MeetingOption,
        medium: MediumOption = Medium.EMAIL,
    ) -> None:
        """A thank-you naming what you learned, ready to copy."""
        content, files = await self._draft(interaction.user.id, meeting.id, medium)
        await reply(interaction, content, files=files)

    # -- /thanks sent ----------------------------------------------------------------
    @thanks.command(name="sent")
    @app_commands.describe(
        meeting="The meeting (start typing the person's name)",
        medium="How you thanked them: email (default) or a handwritten note",
    )
    async def sent(
        self,
        interaction: Interaction,
        meeting: MeetingOption,
        medium: MediumOption = Medium.EMAIL,
    ) -> None:
        """Record that you thanked them; the reminders stop."""
        meeting, prospect, already, promise = await self._close_nudges(
            interaction.user.id, meeting.id, medium=medium
        )
        await reply(interaction, _sent_text(meeting, prospect, already=already, promise=promise))

    # -- the nudge -------------------------------------------------------------------
    async def render_nudge(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The thank-you nudge DM, or None once it's thanked, skipped or cancelled."""
        found = await store.get_meeting_with_prospect(reminder.subject_id)
        if found is None:
            return None
        meeting, prospect = found
        if meeting.cancelled or meeting.thanked_at or meeting.thanks_skipped:
            return None
        text = nudge_text(
            prospect,
            meeting,
            step=reminder.step,
            late=reminder.late,
        )
        embed = None
        if meeting.takeaways:
            embed = make_embed(
                "What you noted", member_text(meeting.takeaways), footer=f"meeting id {meeting.id}"
            )
        return Outgoing(content=text, embed=embed, view=nudge_view(meeting.id, store.user_id))

    async def on_nudge_button(
        self, interaction: AnyInteraction, action: str, meeting_id: int
    ) -> None:
        """Sent it / Draft it for me / Remind me tomorrow / Skip, on the presser's store."""
        user_id = interaction.user.id
        if action == "draft":
            content, files = await self._draft(user_id, meeting_id, Medium.EMAIL)
            await interaction.response.send_message(
                content,
                files=files,
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        if action == "sent":
            meeting, prospect, already, promise = await self._close_nudges(
                user_id, meeting_id, medium=None
            )
            done = "✅ " + _sent_text(meeting, prospect, already=already, promise=promise)
        elif action == "skip":
            meeting, prospect, already, _ = await self._close_nudges(
                user_id, meeting_id, medium=None, skip=True
            )
            done = (
                "✅ " + _sent_text(meeting, prospect, already=True)
                if already
                else f"Skipped: no more thank-you reminders for **{member_text(prospect.name)}**. "
                "If you do send one, "
                f"`/thanks sent meeting:{member_code(prospect.name)}` records it."
            )
        else:
            done = f"⏰ I'll remind you again {await self._snooze(user_id, meeting_id)}."
        await interaction.response.edit_message(
            content=clip(done, CONTENT), view=None, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _snooze(self, user_id: int, meeting_id: int) -> str:
        """Replace the pending nudges with one tomorrow; when it will come, quiet hours
        included."""
        async with self.bot.stores.member(user_id) as store:
            meeting, prospect = await self._meeting(store, meeting_id)
            if meeting.thanked_at or meeting.thanks_skipped:
                raise UserError(
                    f"Your thank-you to {member_text(prospect.name)} is already settled; no "
                    "reminder needed."
                )
            due = snooze_due(store.now())
            async with store.transaction():
                await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",))
                await store.add_reminder(
                    "thanks", due_at=due, meeting_id=meeting.id, step=THANKS_SNOOZED_STEP
                )
            return dm_time(due, store.now(), await store.settings())

    # -- keeping in touch ------------------------------------------------------------------
    async def render_checkin(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The check-in nudge DM with a note naming what they discussed, or None once the
        meeting is gone or no longer thanked."""
        found = await store.get_meeting_with_prospect(reminder.subject_id)
        if found is None:
            return None
        meeting, prospect = found
        if meeting.cancelled or meeting.thanked_at is None:
            return None
        settings = await store.settings()
        draft = draft_checkin(
            member_name=settings.profile.name,
            prospect_name=prospect.name,
            organization=prospect.organization,
            takeaways=meeting.takeaways,
            met_on=meeting.starts_at,
            now=store.now(),
            tz=_zone(settings),
            seed=meeting.id,
        )
        text = checkin_text(prospect, meeting, draft, snoozed=reminder.step > 0, late=reminder.late)
        view = touch_view(ReminderKind.CHECKIN, meeting.id, store.user_id)
        return Outgoing(content=clip(text, CONTENT), view=view)

    async def render_referrer(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The nudge to tell the referrer how it went, with a note; None once the meeting
        or the referrer is gone from the member's list."""
        found = await store.get_meeting_with_prospect(reminder.subject_id)
        if found is None:
            return None
        meeting, prospect = found
        referrer = await store.get_prospect(prospect.referred_by) if prospect.referred_by else None
        if referrer is None or meeting.cancelled or meeting.thanked_at is None:
            return None
        settings = await store.settings()
        draft = draft_referrer_update(
            member_name=settings.profile.name,
            referrer_name=referrer.name,
            prospect_name=prospect.name,
            takeaways=meeting.takeaways,
            met_on=meeting.starts_at,
            now=store.now(),
            tz=_zone(settings),
            seed=meeting.id,
        )
        text = referrer_text(
            referrer, prospect, meeting, draft, snoozed=reminder.step > 0, late=reminder.late
        )
        view = touch_view(ReminderKind.REFERRER, meeting.id, store.user_id)
        return Outgoing(content=clip(text, CONTENT), view=view)

    async def on_touch_button(
        self, interaction: AnyInteraction, action: str, kind: str, meeting_id: int
    ) -> None:
        """Done / Remind me later / Skip on a keeping-in-touch nudge, on the presser's
        own store."""
        if kind not in KEEP_IN_TOUCH_KINDS:
            raise UserError("That reminder isn't one I know.")
        async with self.bot.stores.member(interaction.user.id) as store:
            found = await store.get_meeting_with_prospect(meeting_id)
            if found is None:
                raise UserError("That meeting isn't in your records any more.")
            meeting, prospect = found
            referrer = (
                await store.get_prospect(prospect.referred_by) if prospect.referred_by else None
            )
            if action == "later":
                due = touch_snooze_due(store.now())
                await store.snooze_keeping_in_touch(kind, meeting.id, due)
                settings = await store.settings()
                done = f"⏰ I'll remind you again {dm_time(due, store.now(), settings)}."
            else:
                await store.end_keeping_in_touch(kind, meeting.id)
                done = _touch_done_text(action, kind, prospect, referrer)
        await interaction.response.edit_message(
            content=clip(done, CONTENT), view=None, allowed_mentions=discord.AllowedMentions.none()
        )


def _touch_done_text(action: str, kind: str, prospect: Prospect, referrer: Prospect | None) -> str:
    """What a keeping-in-touch nudge says once the member pressed Done or Skip."""
    name = member_text(prospect.name)
    who = f"**{member_text(referrer.name)}**" if referrer else "the person who referred them"
    if kind == ReminderKind.REFERRER:
        if action == "done":
            return f"✅ Nice: {who} knows how it went with **{name}**."
        return f"Skipped: no reminder to tell {who} how it went with **{name}**."
    if action == "done":
        return (
            f"✅ Nice: you checked in with **{name}**. A note every few months keeps a "
            "conversation turning into a relationship."
        )
    return f"Skipped: no more check-in reminders for **{name}**."


def _touch_promise(
    planned: dict[ReminderKind, datetime],
    referrer: Prospect | None,
    now: datetime,
    settings: Settings,
) -> str:
    """What the /thanks sent reply promises next, with when each DM really comes."""
    if not settings.dms:
        return ""
    parts = []
    if ReminderKind.CHECKIN in planned:
        when = dm_time(planned[ReminderKind.CHECKIN], now, settings)
        parts.append(f"to check in with them {when}")
    if ReminderKind.REFERRER in planned and referrer is not None:
        when = dm_time(planned[ReminderKind.REFERRER], now, settings)
        parts.append(f"to tell **{member_text(referrer.name)}** how it went {when}")
    return f"I'll remind you {' and '.join(parts)}." if parts else ""


def _sent_text(meeting: Meeting, prospect: Prospect, *, already: bool, promise: str = "") -> str:
    name = member_text(prospect.name)
    if already and meeting.thanked_at is not None:
        return (
            f"Your thank-you to **{name}** was already marked sent "
            f"{format_when(meeting.thanked_at)}; nothing changed."
        )
    how = f" ({meeting.thanks_medium})" if meeting.thanks_medium else ""
    later = promise or "Later, tell them how their advice (and any introductions) worked out."
    return f"Marked your thank-you to **{name}** as sent{how}; no more reminders for it. {later}"


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(FollowUp(bot))
