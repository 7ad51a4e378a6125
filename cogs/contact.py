"""Step 2 — make contact: /outreach draft, check, sent, reply, remove, and the 3B7
follow-up DMs."""

from __future__ import annotations

import re
import zlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.business_days import add_business_days
from bot.domain.draft_check import (
    WORD_LIMIT,
    WORD_TARGET,
    RuleResult,
    Verdict,
    check_draft,
    message_words,
    score,
    verdict,
)
from bot.domain.drafts import Draft, draft_request, followup_draft
from bot.domain.models import (
    FOLLOWUP_KINDS,
    AskMinutes,
    Outreach,
    Prospect,
    Reminder,
    RequestFormat,
)
from bot.domain.progress import FIRST_CHECKPOINT_DAYS, SECOND_CHECKPOINT_DAYS
from bot.domain.timeparse import NEEDS_TIME, WhenError, parse_when
from bot.reminders import Outgoing
from bot.store import MemberStore
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.choices import AskMinutesOption, OutcomeOption, RequestFormatOption, ViaOption
from bot.ui.components import GuardedItem, GuardedModal, PersistentView
from bot.ui.embeds import WARN, make_embed
from bot.ui.errors import UserError
from bot.ui.limits import BUTTON_LABEL, MODAL_TITLE, clip
from bot.ui.options import ProspectOption
from bot.ui.render import format_when, member_code, member_text
from bot.ui.respond import reply
from bot.ui.time_zone import DMS_OFF, dm_note, dm_time, require_timezone, rerun, zone_line
from bot.ui.views import ask_to_choose, ask_to_confirm
from cogs._common import EVERYWHERE, NAME_MAX, SHORT_MAX, checked_name, text_option

if TYPE_CHECKING:
    from bot.client import InterviewBot

CHECK_MAX = 4000  # a request is ~100 words; anything near Discord's 6,000 isn't one
ICONS = {"pass": "✅", "warn": "⚠️", "fail": "❌"}
# A time sent "in the future" by less than this is clock skew, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=2)
LATE_NOTE_AFTER = timedelta(minutes=5)
# A request to someone logged (or sent) this close to another is most likely the same one
# logged twice: /outreach sent asks before logging it again.
REPEAT_WINDOW = timedelta(days=3)
CHECKPOINTS = (
    ("followup-3", FIRST_CHECKPOINT_DAYS),
    ("followup-7", SECOND_CHECKPOINT_DAYS),
)


def _code_block(text: str) -> str:
    """Text in a code block that copies cleanly (a stray ``` can't close it early)."""
    return "```\n" + text.replace("```", "'''") + "\n```"


# A command the domain's advice names: "/settings profile school:…", "/prospect edit
# source:alumni".
COMMAND_HINT = re.compile(r"/[a-z]+ [a-z]+(?: [a-z_]+:(?:…|[a-z-]+))*")


def _commands_in_code(text: str, prospect: Prospect) -> str:
    """The advice's commands as inline code to copy, each complete: a /prospect edit
    names the prospect the advice is about."""

    def code(match: re.Match[str]) -> str:
        command = match.group(0)
        edit = "/prospect edit"
        if command.startswith(edit):
            command = f"{edit} prospect:{member_code(prospect.name)}{command[len(edit) :]}"
        return f"`{command}`"

    return COMMAND_HINT.sub(code, text)


def draft_message(
    prospect: Prospect, draft: Draft, *, minutes: AskMinutes, format: RequestFormat
) -> str:
    """The draft ready to copy, its word count, and what to fill in before sending."""
    name = member_text(prospect.name)
    words = f"{draft.word_count} words"
    # The limits count the message itself, as /outreach check does: not the greeting
    # and sign-off that the total shown includes.
    message = message_words(draft.text)
    if message > WORD_LIMIT:
        words += f" — over the {WORD_LIMIT}-word limit"
    elif message > WORD_TARGET:
        words += f" — past the {WORD_TARGET}-word target"
    lines = [f"**Request to {name}** ({format}, {minutes} minutes) · {words}"]
    if draft.subject:
        lines.append(f"Subject: {member_text(draft.subject)}")
    lines.append(_code_block(draft.text))
    if draft.missing:
        lines.append("**Fill in before sending:**")
        lines += [f"• {_commands_in_code(item, prospect)}" for item in draft.missing]
    if draft.notes:
        lines += [f"-# {_commands_in_code(note, prospect)}" for note in draft.notes]
    lines.append(
        f"Sent it? `/outreach sent prospect:{member_code(prospect.name)}` starts the 3B7 "
        "follow-ups."
    )
    return "\n".join(lines)


def _check_summary(ready: bool, *, warned: bool) -> str:
    # The ⚠️ are mentioned only when there are some.
    if ready:
        return "Ready to send. The ⚠️ are suggestions worth a look." if warned else "Ready to send."
    return "Fix the ❌ first; the ⚠️ are worth a second look." if warned else "Fix the ❌ first."


def check_embed(results: list[RuleResult]) -> discord.Embed:
    """One line per rule (✅/⚠️/❌) with a concrete fix for each miss, the score, and
    whether it can go out: a ❌ must be fixed first, a ⚠️ is a suggestion."""
    passed, total = score(results)
    fields = []
    for result in results:
        value = result.detail
        if result.fix:
            value += f"\n**Fix:** {result.fix}"
        fields.append((f"{ICONS[result.status]} {result.rule}", value))
    ready = verdict(results) is Verdict.READY
    return make_embed(
        f"Your draft: {passed}/{total} rules pass",
        _check_summary(ready, warned=any(r.status == "warn" for r in results)),
        fields=fields,
        colour=discord.Colour(0x2B8A3E) if ready else WARN,
        footer="Rules: the seed method and the 5-Point Email (under 100 words, aim for 75).",
    )


def parse_sent_at(text: str | None, tz: ZoneInfo, now: datetime) -> datetime:
    """When a request was sent: now by default; a day without a time ("yesterday") means
    9am that day (or now, if that is today and 9am hasn't come). Never in the future."""
    if text is None or not text.strip():
        return now
    try:
        when = parse_when(text, tz, now, prefer="past")
    except WhenError as error:
        # The domain's message is plain text quoting what they typed: shown literally.
        if NEEDS_TIME not in str(error):
            raise UserError(member_text(str(error))) from None
        try:
            when = parse_when(f"{text.strip()} 9am", tz, now, prefer="past")
        except WhenError:
            raise UserError(member_text(str(error))) from None
        if when > now and when.astimezone(tz).date() == now.astimezone(tz).date():
            when = now
    if when > now + FUTURE_TOLERANCE:
        raise UserError(
            f"{format_when(when)} is in the future: log a request once you've sent it, "
            'e.g. `when:"now"`, `when:"yesterday"` or `when:"Monday 10am"`.'
        )
    return min(when, now)


# -- the 3B7 DMs' button: add a second person at the organization ------------------
class SecondContactModal(GuardedModal):
    """Name (and role) of a second person at the first prospect's organization."""

    name: discord.ui.TextInput[SecondContactModal] = discord.ui.TextInput(
        label="Their name", max_length=NAME_MAX
    )
    role: discord.ui.TextInput[SecondContactModal] = discord.ui.TextInput(
        label="Their role (optional)", required=False, max_length=SHORT_MAX
    )

    def __init__(self, outreach_id: int, organization: str | None, owner_id: int) -> None:
        where = organization or "that organization"
        super().__init__(
            owner_id,
            title=clip(f"Someone else at {where}", MODAL_TITLE),
            custom_id=f"outreach:second-modal:{outreach_id}:{owner_id}",
        )
        self.outreach_id = outreach_id

    async def on_submit(self, interaction: AnyInteraction) -> None:
        """Add the prospect at the organization, in the presser's own store."""
        name = checked_name(self.name.value, example="Sam Lee")
        role = text_option(self.role.value, label="Role", limit=SHORT_MAX, example="Data Analyst")
        if not name:
            raise UserError("A prospect needs a name, e.g. `Sam Lee`.")
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            outreach = await store.get_outreach(self.outreach_id)
            first = await store.get_prospect(outreach.prospect_id) if outreach else None
            if first is None:
                added = None
            else:
                note = f"Second contact at {first.organization or 'their organization'} "
                note += f"while waiting to hear from {first.name} (3B7)."
                fields = {"organization": first.organization, "role": role, "notes": note}
                added = await store.add_prospect(
                    name, **{k: v for k, v in fields.items() if v is not None}
                )
        if added is None:
            text = "That request isn't in your records any more, so I added nobody."
        else:
            where = f" at **{member_text(added.organization)}**" if added.organization else ""
            text = (
                f"Added **{member_text(added.name)}**{where} to your prospects. "
                f"Next: `/outreach draft prospect:{member_code(added.name)}`."
            )
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


class SecondContactButton(
    GuardedItem[discord.ui.Button],
    template=r"outreach:second:(?P<outreach_id>[0-9]+)(?::(?P<owner>[0-9]+))?",
):
    """A persistent button (it works after a restart): opens SecondContactModal. Its
    custom_id names the request and whose DM it was sent to (buttons from before the
    owner was added look the request up in the presser's own store only)."""

    refusal = "This button belongs to someone else's reminder; it can't change anything."

    def __init__(
        self, outreach_id: int, organization: str | None = None, owner_id: int | None = None
    ) -> None:
        label = f"Add a second person at {organization}" if organization else "Add someone else"
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=f"outreach:second:{outreach_id}" + (f":{owner_id}" if owner_id else ""),
            )
        )
        self.outreach_id = outreach_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: AnyInteraction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SecondContactButton:
        """Rebuild the button from its custom id."""
        owner = match["owner"]
        return cls(int(match["outreach_id"]), owner_id=int(owner) if owner else None)

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Look the request up in the presser's own store, then ask who."""
        async with bot_of(interaction).stores.member(interaction.user.id) as store:
            outreach = await store.get_outreach(self.outreach_id)
            first = await store.get_prospect(outreach.prospect_id) if outreach else None
        if first is None:
            raise UserError("That request isn't in your records any more.")
        await interaction.response.send_modal(
            SecondContactModal(self.outreach_id, first.organization, interaction.user.id)
        )


async def _late_line(store, reminder: Reminder) -> str:
    """Say so when the DM comes after its checkpoint: the request was logged after the
    fact, or the bot was offline when it fell due."""
    logged_at = await store.outreach_logged_at(reminder.subject_id)
    if logged_at is not None and reminder.due_at < logged_at - LATE_NOTE_AFTER:
        return (
            f"-# This checkpoint fell due {format_when(reminder.due_at)}, before you logged "
            "the request.\n"
        )
    if reminder.late:
        return (
            f"-# This reminder should have arrived earlier ({format_when(reminder.due_at)}); "
            "the bot was offline.\n"
        )
    return ""


async def _still_waiting(store, outreach, prospect: Prospect) -> bool:
    """A 3B7 DM is due only while the request has no answer: no reply logged and no
    meeting set up with them since it was sent (a meeting means they said yes)."""
    if outreach.outcome is not None:
        return False
    return not await store.meeting_since(prospect.id, outreach.sent_at)


async def render_followup_3(store, reminder: Reminder) -> Outgoing | None:
    """Day 3 of 3B7: no reply yet, so contact a second person at the organization."""
    outreach = await store.get_outreach(reminder.subject_id)
    prospect = await store.get_prospect(outreach.prospect_id) if outreach else None
    if prospect is None or not await _still_waiting(store, outreach, prospect):
        return None
    where = (
        f"at **{member_text(prospect.organization)}**" if prospect.organization else "in that field"
    )
    late = await _late_line(store, reminder)
    content = (
        f"{late}⏰ No reply yet from "
        f"**{member_text(prospect.name)}** (asked {format_when(outreach.sent_at)}) — "
        f"contact a second person {where}. "
        "If they answer meanwhile: "
        f"`/outreach reply prospect:{member_code(prospect.name)} outcome:accepted` "
        "(or declined, later)."
    )
    view = PersistentView(SecondContactButton(outreach.id, prospect.organization, store.user_id))
    return Outgoing(content=clip(content, 2000), view=view)


async def render_followup_7(store, reminder: Reminder) -> Outgoing | None:
    """Day 7 of 3B7: follow up once with the first person, with a short draft."""
    outreach = await store.get_outreach(reminder.subject_id)
    prospect = await store.get_prospect(outreach.prospect_id) if outreach else None
    if prospect is None or not await _still_waiting(store, outreach, prospect):
        return None
    settings = await store.settings()
    late = await _late_line(store, reminder)
    # The draft says when the request went out, counted in the member's own days.
    draft = followup_draft(
        settings.profile,
        prospect,
        sent_at=outreach.sent_at,
        now=store.now(),
        tz=ZoneInfo(settings.timezone),
    )
    fill_in = (
        "**Fill in before sending:** "
        + "; ".join(_commands_in_code(item, prospect) for item in draft.missing)
        + ".\n"
        if draft.missing
        else ""
    )
    content = (
        f"{late}📨 Follow up once with "
        f"**{member_text(prospect.name)}**: no reply in {SECOND_CHECKPOINT_DAYS} business days "
        f"(asked {format_when(outreach.sent_at)}). "
        f"A short follow-up to send:\n{_code_block(draft.text)}\n{fill_in}"
        f"When they answer: `/outreach reply prospect:{member_code(prospect.name)} "
        "outcome:accepted` (or declined, later)."
    )
    return Outgoing(content=clip(content, 2000))


class Contact(commands.Cog):
    """Ask for a conversation, check the wording, and keep the 3B7 follow-ups."""

    outreach = app_commands.Group(
        name="outreach", description="Step 2: ask for a conversation", **EVERYWHERE
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Register the follow-up renderers and the persistent button."""
        self.bot.reminders.register("followup-3", render_followup_3)
        self.bot.reminders.register("followup-7", render_followup_7)
        self.bot.add_dynamic_items(SecondContactButton)

    async def cog_unload(self) -> None:
        """Stop answering the persistent button."""
        self.bot.remove_dynamic_items(SecondContactButton)

    @outreach.command(name="draft")
    @app_commands.describe(
        prospect="Start typing a name",
        minutes="How much of their time to ask for (30 is the classic ask)",
        format="An email, or a LinkedIn note (300 characters)",
    )
    async def draft(
        self,
        interaction: Interaction,
        prospect: ProspectOption,
        minutes: AskMinutesOption = AskMinutes.THIRTY,
        format: RequestFormatOption = RequestFormat.EMAIL,
    ) -> None:
        """A ready-to-send request under 100 words, from your profile and the prospect."""
        async with self.bot.stores.member(interaction.user.id) as store:
            profile = (await store.settings()).profile
            referrer = (
                await store.get_prospect(prospect.referred_by) if prospect.referred_by else None
            )
        # Seeded by member and prospect: the same member gets the same wording each time,
        # and two members of a club writing to one person don't send identical text.
        seed = zlib.crc32(f"{interaction.user.id}:{prospect.id}".encode())
        draft = draft_request(
            profile,
            prospect,
            minutes=minutes,
            format=format,
            seed=seed,
            referrer_name=referrer.name if referrer else None,
        )
        await reply(interaction, draft_message(prospect, draft, minutes=minutes, format=format))

    @outreach.command(name="check")
    @app_commands.describe(text="Your draft, pasted whole (up to 4,000 characters)")
    async def check(self, interaction: Interaction, text: app_commands.Range[str, 1, 6000]) -> None:
        """Score your own draft rule by rule, with a fix for each miss."""
        if len(text) > CHECK_MAX:
            raise UserError(
                f"That's {len(text):,} characters; I check up to {CHECK_MAX:,}. A good request "
                "is under 100 words (about 600 characters): paste just the message."
            )
        if not text.strip():
            raise UserError('Paste the text of your message, e.g. `text:"Hi Dana, …"`.')
        await reply(interaction, embed=check_embed(check_draft(text)))

    @outreach.command(name="sent")
    @app_commands.describe(
        prospect="Start typing a name",
        via="How you sent it",
        when='When you sent it, e.g. "now", "yesterday", "Monday 10am" (default: now)',
    )
    async def sent(
        self,
        interaction: Interaction,
        prospect: ProspectOption,
        via: ViaOption | None = None,
        when: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """Log a request you sent; starts the 3B7 follow-up checkpoints."""
        if not await require_timezone(
            interaction, continue_with=rerun(self.sent, prospect, via, when)
        ):
            return
        user_id = interaction.user.id
        now = self.bot.clock.now()
        async with self.bot.stores.member(user_id) as store:
            settings = await store.settings()
            tz = ZoneInfo(settings.timezone)
            sent_at = parse_sent_at(when, tz, now)
            earlier = await store.outreach_like(prospect.id, sent_at, within=REPEAT_WINDOW)
        answer: AnyInteraction = interaction
        if earlier is not None:
            # Most likely the same request logged twice: ask; nothing is stored till then.
            chosen = await ask_to_choose(
                interaction,
                repeat_question(prospect, earlier),
                ["Log another"],
                kept=f"Nothing was logged; your request to **{member_text(prospect.name)}** sent "
                f"{format_when(earlier.sent_at)} stands.",
            )
            if chosen is None:
                return
            _, answer = chosen
        first_due = add_business_days(sent_at, FIRST_CHECKPOINT_DAYS, tz)
        second_due = add_business_days(sent_at, SECOND_CHECKPOINT_DAYS, tz)
        async with self.bot.stores.member(user_id) as store, store.transaction():
            # A new request to the same person restarts the routine from this one.
            for unanswered in await store.unanswered_outreach_ids(prospect.id):
                await store.cancel_reminders(outreach_id=unanswered, kinds=FOLLOWUP_KINDS)
            outreach = await store.add_outreach(
                prospect.id, sent_at=sent_at, via=via, guild_id=interaction.guild_id
            )
            await store.add_reminder("followup-3", due_at=first_due, outreach_id=outreach.id)
            await store.add_reminder("followup-7", due_at=second_due, outreach_id=outreach.id)
        self.bot.club_counts.count(interaction.guild_id, user_id, "requests_sent")

        name = member_text(prospect.name)
        where = f"at {member_text(prospect.organization)}" if prospect.organization else "there"
        lines = [
            f"Logged your request to **{name}**"
            + (f" by {via}" if via else "")
            + f", sent {format_when(sent_at)}.",
            *([zone_line(sent_at, tz)] if when else []),
            f"No reply yet? I'll DM you (business days in {tz.key}):"
            if settings.dms
            else f"Your 3B7 checkpoints (business days in {tz.key}):",
            f"• {format_when(first_due)} — day {FIRST_CHECKPOINT_DAYS}: contact a second "
            f"person {where}{dm_note(first_due, now, settings)}",
            f"• {format_when(second_due)} — day {SECOND_CHECKPOINT_DAYS}: follow up once "
            f"with {name}{dm_note(second_due, now, settings)}",
        ]
        passed = dm_time(now, now, settings)
        if not settings.dms:
            lines.append(DMS_OFF)
        elif second_due <= now:
            lines.append(f"Both checkpoints have already passed, so those DMs come {passed}.")
        elif first_due <= now:
            lines.append(f"The first checkpoint has already passed, so that DM comes {passed}.")
        lines.append(
            f"When they answer: `/outreach reply prospect:{member_code(prospect.name)} "
            "outcome:accepted` (or declined, later)."
        )
        if answer is interaction:
            await reply(interaction, "\n".join(lines))
        else:
            await answer.response.edit_message(content="\n".join(lines), view=None)

    @outreach.command(name="reply")
    @app_commands.describe(prospect="Start typing a name", outcome="What they answered")
    async def reply_(
        self, interaction: Interaction, prospect: ProspectOption, outcome: OutcomeOption
    ) -> None:
        """Record their answer; ends the 3B7 follow-ups."""
        user_id = interaction.user.id
        async with self.bot.stores.member(user_id) as store:
            latest = await store.latest_outreach(prospect.id)
            if latest is None:
                raise UserError(
                    f"You haven't logged a request to {member_text(prospect.name)} yet. Log it "
                    "first: "
                    f'`/outreach sent prospect:{member_code(prospect.name)} when:"yesterday"`.'
                )
            async with store.transaction():
                await store.record_reply(latest.id, outcome, replied_at=self.bot.clock.now())
                cancelled: list[int] = []
                for outreach_id in {latest.id, *await store.unanswered_outreach_ids(prospect.id)}:
                    cancelled += await store.cancel_reminders(
                        outreach_id=outreach_id, kinds=FOLLOWUP_KINDS
                    )
        name = member_text(prospect.name)
        ended = " The 3B7 follow-ups are off." if cancelled else ""
        text = {
            "accepted": f"🎉 **{name}** said yes!{ended} Schedule it: "
            f'`/meeting schedule prospect:{member_code(prospect.name)} when:"…"` — '
            "I'll send a prep reminder the day before.",
            "declined": f"Noted: **{name}** declined.{ended} Thank them anyway; a gracious "
            "reply keeps the door open. Find someone else with `/prospect list "
            "status:to-contact`.",
            "later": f"Noted: **{name}** asked to talk later.{ended} When it's time, "
            f"`/outreach sent prospect:{member_code(prospect.name)}` starts the follow-ups again.",
        }[outcome]
        await reply(interaction, text)

    @outreach.command(name="remove")
    @app_commands.describe(prospect="Start typing a name")
    async def remove(self, interaction: Interaction, prospect: ProspectOption) -> None:
        """Take back the last request you logged to someone (asks first), with its 3B7
        follow-ups."""
        user_id = interaction.user.id
        name = member_text(prospect.name)
        async with self.bot.stores.member(user_id) as store:
            last = await store.last_logged_outreach(prospect.id)
        if last is None:
            raise UserError(
                f"You haven't logged a request to {name}; nothing to remove. To log one: "
                f"`/outreach sent prospect:{member_code(prospect.name)}`."
            )
        pressed = await ask_to_confirm(
            interaction,
            f"Remove your request to **{name}**, sent {format_when(last.sent_at)}, and its 3B7 "
            "follow-up reminders? This is for a request logged by mistake; if they answered, "
            f"record it instead: `/outreach reply prospect:{member_code(prospect.name)} "
            "outcome:accepted` (or declined, later).",
            confirm_label="Remove",
            kept=f"Your request to **{name}** stays.",
        )
        if pressed is None:
            return
        async with self.bot.stores.member(user_id) as store:
            tz = ZoneInfo((await store.settings()).timezone)
            async with store.transaction():
                removed = await store.remove_outreach(last.id)
                restored = await restore_checkpoints(store, prospect, tz) if removed else []
        if not removed:
            await pressed.response.edit_message(
                content=f"That request to **{name}** was already removed.", view=None
            )
            return
        if last.logged_at is not None:
            self.bot.club_counts.uncount(last.guild_id, "requests_sent", last.logged_at)
        text = (
            f"Removed your request to **{name}** (sent {format_when(last.sent_at)}) and its "
            "3B7 follow-ups"
            + ("; the club's counts no longer include it." if last.guild_id else ".")
        )
        if restored:
            text += (
                " Your earlier request to them is the one waiting for a reply again; its "
                "follow-ups come back: "
                + ", ".join(f"day {days} {format_when(due)}" for days, due in restored)
                + "."
            )
        await pressed.response.edit_message(content=text, view=None)


def repeat_question(prospect: Prospect, earlier: Outreach) -> str:
    """What /outreach sent asks when a request to that person was just logged."""
    name = member_text(prospect.name)
    return (
        f"You already logged a request to **{name}**, sent {format_when(earlier.sent_at)}. "
        "Log another one anyway (it restarts the 3B7 follow-ups from this one)? If the "
        "first was a mistake, take it back with "
        f"`/outreach remove prospect:{member_code(prospect.name)}`."
    )


async def restore_checkpoints(
    store: MemberStore, prospect: Prospect, tz: ZoneInfo
) -> list[tuple[int, datetime]]:
    """Once a mistaken request is removed, the request before it (when still unanswered)
    gets back the 3B7 checkpoints the mistaken one had stopped, at their own times (one
    already past comes at once). Returns (business days, due) for each one added."""
    previous = await store.latest_outreach(prospect.id)
    if previous is None or not await _still_waiting(store, previous, prospect):
        return []
    kept = await store.followup_kinds_kept(previous.id)
    restored = []
    for kind, days in CHECKPOINTS:
        if kind not in kept:
            due = add_business_days(previous.sent_at, days, tz)
            await store.add_reminder(kind, due_at=due, outreach_id=previous.id)
            restored.append((days, due))
    return restored


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Contact(bot))
