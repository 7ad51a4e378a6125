"""Step 4 — follow up with thanks: /thanks draft, /thanks sent, and the thank-you nudges.

The nudge DM's buttons are DynamicItems: their custom_id carries the action and the
meeting id, so they keep working after a restart; they act only on the presser's store.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import Medium, Meeting, MeetingWithProspect, Prospect, Reminder
from bot.domain.reminder_plan import THANKS_SNOOZED_STEP, PlannedNudge, snooze_due
from bot.domain.thanks import draft_thanks
from bot.reminders import Outgoing
from bot.stats import count_activity
from bot.store import MemberStore
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.choices import MediumOption
from bot.ui.components import GuardedItem, PersistentView
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.limits import CONTENT, clip
from bot.ui.meeting_options import PastMeetingTransformer
from bot.ui.render import format_when, member_code, member_text, thanks_gap_text
from bot.ui.respond import reply
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
            "Fill in before sending: " + "; ".join(map(thanks_gap_text, draft.missing)) + "."
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
        self.bot.add_dynamic_items(ThankYouNudgeButton)

    async def cog_unload(self) -> None:
        """Stop answering the nudge buttons."""
        self.bot.remove_dynamic_items(ThankYouNudgeButton)

    # -- shared ----------------------------------------------------------------------
    async def _meeting(self, store: MemberStore, meeting_id: int) -> MeetingWithProspect:
        found = await store.get_meeting_with_prospect(meeting_id)
        if found is None:
            raise UserError(
                "I can't find that meeting among yours. Pick one from the suggestions of "
                "`/thanks draft meeting:…`."
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
    ) -> tuple[Meeting, Prospect, bool]:
        """Mark thanked (or skipped) and end the pending nudges; the bool says whether it
        was already thanked, in which case nothing changed."""
        async with self.bot.stores.member(user_id) as store:
            meeting, prospect = await self._meeting(store, meeting_id)
            if meeting.thanked_at:
                return meeting, prospect, True
            async with store.transaction():
                if skip:
                    await store.skip_thanks(meeting.id)
                else:
                    await store.mark_thanked(meeting.id, medium)
                await store.cancel_reminders(meeting_id=meeting.id, kinds=("thanks",))
            meeting = await store.get_meeting(meeting.id) or meeting
        if not skip:
            # Counted for the server the meeting was recorded in (the button is in a DM).
            await count_activity(
                self.bot.stores, self.bot.clock, meeting.guild_id, user_id, "thanks_sent"
            )
        return meeting, prospect, False

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
        meeting, prospect, already = await self._close_nudges(
            interaction.user.id, meeting.id, medium=medium
        )
        await reply(interaction, _sent_text(meeting, prospect, already=already))

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
            meeting, prospect, already = await self._close_nudges(user_id, meeting_id, medium=None)
            done = "✅ " + _sent_text(meeting, prospect, already=already)
        elif action == "skip":
            meeting, prospect, already = await self._close_nudges(
                user_id, meeting_id, medium=None, skip=True
            )
            done = (
                "✅ " + _sent_text(meeting, prospect, already=True)
                if already
                else f"Skipped: no more thank-you reminders for **{member_text(prospect.name)}**. "
                "If you do send one, `/thanks sent` records it."
            )
        else:
            due = await self._snooze(user_id, meeting_id)
            done = f"⏰ I'll remind you again {format_when(due)}."
        await interaction.response.edit_message(
            content=clip(done, CONTENT), view=None, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _snooze(self, user_id: int, meeting_id: int):
        """Replace the pending nudges with one tomorrow."""
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
        return due


def _sent_text(meeting: Meeting, prospect: Prospect, *, already: bool) -> str:
    name = member_text(prospect.name)
    if already and meeting.thanked_at is not None:
        return (
            f"Your thank-you to **{name}** was already marked sent "
            f"{format_when(meeting.thanked_at)}; nothing changed."
        )
    how = f" ({meeting.thanks_medium})" if meeting.thanks_medium else ""
    return (
        f"Marked your thank-you to **{name}** as sent{how}; no more reminders for it. "
        "Later, tell them how their advice (and any introductions) worked out."
    )


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(FollowUp(bot))
