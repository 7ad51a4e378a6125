"""Practice pairings (issue 15, item 3): /practice join, leave, pause, and the DMs a
round sends: the introduction with a short practice guide, and the check-back near the
round's end with *We met* / *Not yet* / *Skip*.

Rounds themselves are made by bot/practice_rounds.py (the officers set them with
/club practice); this cog renders what a round owes each member and takes their answer.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import Reminder, ReminderKind
from bot.domain.practice import CheckBack, PairMember, PracticePair, practice_questions
from bot.domain.timeparse import WhenError, parse_until
from bot.practice_rounds import UNREACHABLE_STEP
from bot.reminders.delivery import Outgoing
from bot.store.base import is_row_id
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.components import GuardedItem, PersistentView
from bot.ui.errors import UserError
from bot.ui.limits import CONTENT, clip
from bot.ui.render import format_when, member_text
from bot.ui.respond import reply
from bot.ui.time_zone import require_timezone, rerun
from cogs._common import EVERYWHERE, server_id

if TYPE_CHECKING:
    from bot.client import InterviewBot
    from bot.store import MemberStore

STOP_HINT = "`/practice pause` skips rounds for a while; `/practice leave` stops them."
LATE_LINE = "-# This should have reached you earlier; sorry for the delay."
CHECKBACK_ANSWERS = {
    CheckBack.MET: ("We met", discord.ButtonStyle.success),
    CheckBack.NOT_YET: ("Not yet", discord.ButtonStyle.primary),
    CheckBack.SKIP: ("Skip", discord.ButtonStyle.secondary),
}
NOT_YOUR_PAIR = "This check-back isn't about a practice pair of yours; it changes nothing."


def in_a_server(interaction: Interaction, command: str) -> int:
    """The server the command runs in; in DMs, a refusal saying where it works."""
    return server_id(
        interaction,
        f"`/practice {command}` works in a server: practice partners are members of the "
        "same club. Run it in your club's server.",
    )


def partner_names(partners: list[PairMember]) -> str:
    """ "**Bob** (@Bob)", or "**Bob** (@Bob) and **Carol** (@Carol)" for a trio: the name
    the server showed them (literally) and a mention, which in a DM pings no one."""
    named = [f"**{member_text(p.display_name)}** (<@{p.user_id}>)" for p in partners]
    return " and ".join(named) if len(named) < 3 else ", ".join(named[:-1]) + " and " + named[-1]


def intro_text(
    server: str, pair: PracticePair, user_id: int, questions: list[str], *, late: bool
) -> str:
    """The introduction DM: who, the practice guide, three questions, what comes next."""
    partners = pair.partners(user_id)
    trio = " (a trio this round)" if len(partners) > 1 else ""
    lines = [
        f"🤝 **Practice round in {member_text(server)}**",
        f"You're paired with {partner_names(partners)}{trio} for a practice informational "
        "interview. Say hello in the server, and find 30 minutes before "
        f"{format_when(pair.checkback_at)}.",
        "",
        "**How to practise**",
        "• One of you plays the professional (your own field, or one you know well); the "
        "other asks the questions, as in a real informational interview.",
        "• Swap halfway, so each of you asks and answers.",
        "• End by asking who else you should talk to, as you would for real.",
    ]
    if questions:
        lines += ["", "**Questions to try** (from this server's bank)"]
        lines += [f"{n}. {member_text(text)}" for n, text in enumerate(questions, 1)]
    lines += [
        "",
        "-# I'll ask near the end whether you met. In the server, `/practice pause` skips "
        "rounds for a while and `/practice leave` stops them.",
    ]
    if late:
        lines.append(LATE_LINE)
    return clip("\n".join(lines), CONTENT)


def unreachable_text(server: str, unreachable: list[PairMember]) -> str:
    """The notice to a member whose partner's introduction couldn't be delivered."""
    who = partner_names(unreachable)
    return (
        f"Heads-up about your practice round in **{member_text(server)}**: I couldn't DM "
        f"{who} (their DMs are closed), so they may not know you're paired. Reach them in "
        "the server."
    )


def checkback_text(server: str, pair: PracticePair, user_id: int, *, late: bool) -> str:
    """The check-back DM: did the pair meet?"""
    text = (
        f"Did you meet {partner_names(pair.partners(user_id))} for your practice round in "
        f"**{member_text(server)}**? Your answer helps the club's officers see whether "
        "practice rounds work (they see counts, never names)."
    )
    return f"{text}\n{LATE_LINE}" if late else text


class CheckBackButton(
    GuardedItem[discord.ui.Button],
    template=r"practice:(?P<answer>met|not_yet|skip):(?P<guild>[0-9]+):(?P<pair>[0-9]+):(?P<owner>[0-9]+)",
):
    """One answer to a practice check-back; its custom_id names the server, the pair and
    the member it was sent to, so anyone else pressing it (a forwarded or forged
    button) is refused, and a member can answer only for a pair they are in."""

    refusal = "These buttons belong to someone else's practice round; they change nothing."

    def __init__(self, answer: CheckBack, guild_id: int, pair_id: int, owner_id: int) -> None:
        label, style = CHECKBACK_ANSWERS[answer]
        custom_id = f"practice:{answer}:{guild_id}:{pair_id}:{owner_id}"
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.answer = answer
        self.guild_id = guild_id
        self.pair_id = pair_id
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: AnyInteraction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CheckBackButton:
        """Rebuild the button from a press (also after a restart)."""
        return cls(
            CheckBack(match["answer"]), int(match["guild"]), int(match["pair"]), int(match["owner"])
        )

    async def on_press(self, interaction: AnyInteraction) -> None:
        """Hand the answer to the practice cog."""
        cog = cast("Practice | None", bot_of(interaction).get_cog(Practice.__cog_name__))
        if cog is None:
            raise UserError("Practice rounds are unavailable right now; try again soon.")
        await cog.on_checkback(interaction, self.answer, self.guild_id, self.pair_id)


def checkback_view(guild_id: int, pair_id: int, owner_id: int) -> PersistentView:
    """The check-back's three buttons."""
    return PersistentView(
        *(CheckBackButton(answer, guild_id, pair_id, owner_id) for answer in CHECKBACK_ANSWERS)
    )


class Practice(commands.Cog):
    """Practice conversations with another member of the server."""

    practice = app_commands.Group(
        name="practice",
        description="Practise informational interviews with another member of this server",
        **EVERYWHERE,
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Render the rounds' DMs the reminder engine delivers; answer check-backs, also
        after a restart."""
        self.bot.reminders.register(
            ReminderKind.PRACTICE_INTRO,
            self.render_intro,
            undelivered=self.bot.practice.intro_undelivered,
        )
        self.bot.reminders.register(ReminderKind.PRACTICE_CHECKBACK, self.render_checkback)
        self.bot.add_dynamic_items(CheckBackButton)

    async def cog_unload(self) -> None:
        """Stop answering check-back buttons."""
        self.bot.remove_dynamic_items(CheckBackButton)

    # -- the commands ------------------------------------------------------------------
    @practice.command(name="join")
    async def join(self, interaction: Interaction) -> None:
        """Be paired with another member for a practice conversation each round."""
        guild_id = in_a_server(interaction, "join")
        name = interaction.user.display_name
        async with self.bot.stores.guild(guild_id) as store:
            before = await store.join_practice(interaction.user.id, name)
            schedule = await store.practice_schedule()
        server = member_text(interaction.guild.name if interaction.guild else "this server")
        if before is None:
            lead = (
                f"You're in: each round I'll pair you with another member of **{server}** "
                "and DM you both, with a short practice guide."
            )
        elif before.paused_at is not None:
            lead = f"Welcome back: your pause is over, and rounds in **{server}** pair you again."
        else:
            lead = f"You're already in practice pairings in **{server}**."
        if schedule is not None and schedule.next_round_at is not None:
            when = f"Next round: {format_when(schedule.next_round_at)}."
        else:
            when = (
                "No rounds are scheduled yet: an officer sets them with /club practice "
                "schedule. I'll DM you when you're paired."
            )
        await reply(
            interaction,
            f"{lead}\n{when}\n-# Allow DMs from this server's members so your partner's "
            f"introduction reaches you. {STOP_HINT}",
        )

    @practice.command(name="leave")
    async def leave(self, interaction: Interaction) -> None:
        """Stop being paired for practice in this server."""
        guild_id = in_a_server(interaction, "leave")
        async with self.bot.stores.guild(guild_id) as store:
            was_in = await store.leave_practice(interaction.user.id)
        if not was_in:
            raise UserError(
                "You aren't in practice pairings in this server; `/practice join` signs you up."
            )
        await reply(
            interaction,
            "You've left practice pairings here: no more rounds will pair you. A partner "
            "from a round already made can still find you in the server. `/practice join` "
            "any time to come back.",
        )

    @practice.command(name="pause")
    @app_commands.describe(
        until='Until when: "Jan 10", "in 3 weeks" (your time zone); leave out to pause '
        "until you /practice join again"
    )
    async def pause(
        self, interaction: Interaction, until: app_commands.Range[str, 1, 100] | None = None
    ) -> None:
        """Skip practice rounds for a while."""
        guild_id = in_a_server(interaction, "pause")
        if until is not None and not await require_timezone(
            interaction, continue_with=rerun(self.pause, until)
        ):
            return
        ends = None
        if until is not None:
            async with self.bot.stores.member(interaction.user.id) as member:
                tz = ZoneInfo((await member.settings()).timezone)
            ends = self._until(until, tz)
        async with self.bot.stores.guild(guild_id) as store:
            paused = await store.pause_practice(interaction.user.id, ends)
        if not paused:
            raise UserError(
                "You aren't in practice pairings in this server, so there's nothing to "
                "pause; `/practice join` signs you up."
            )
        if ends is None:
            text = "Paused: rounds leave you out until you `/practice join` again."
        else:
            text = (
                f"Paused until {format_when(ends)}: rounds before then leave you out, and "
                "you're back in after. `/practice join` ends the pause sooner."
            )
        await reply(interaction, text)

    def _until(self, text: str, tz: ZoneInfo) -> datetime:
        """When a pause ends, read in the member's zone; a day alone means its start."""
        now = self.bot.clock.now()
        try:
            ends = parse_until(text, tz, now)
        except WhenError as error:
            raise UserError(member_text(str(error))) from None
        if ends <= now:
            raise UserError(
                f"{format_when(ends)} has already passed: pause until a day ahead, e.g. "
                '`/practice pause until:"in 2 weeks"`.'
            )
        return ends

    # -- the DMs a round sends -----------------------------------------------------------
    def _server_name(self, guild_id: int) -> str:
        guild = self.bot.get_guild(guild_id)
        return guild.name if guild is not None else "your club's server"

    async def render_intro(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The introduction to a member's partner(s) with the practice guide; or, at the
        notice's step, that a partner can't get DMs. None once the pair is gone."""
        if reminder.server_id is None:
            return None
        async with self.bot.stores.guild(reminder.server_id) as guild:
            pair = await guild.practice_pair(reminder.subject_id)
            bank = await guild.top_questions() if reminder.step != UNREACHABLE_STEP else []
        if pair is None or pair.member(store.user_id) is None:
            return None
        partners = pair.partners(store.user_id)
        server = self._server_name(reminder.server_id)
        if reminder.step == UNREACHABLE_STEP:
            unreachable = [partner for partner in partners if partner.dms_closed]
            return Outgoing(content=unreachable_text(server, unreachable)) if unreachable else None
        if not partners:
            return None
        # Both members of a pair get the same questions.
        questions = [row.text for row in practice_questions(bank, random.Random(pair.id))]
        return Outgoing(
            content=intro_text(server, pair, store.user_id, questions, late=reminder.late)
        )

    async def render_checkback(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """The check-back with its three buttons; None once the member answered (or the
        pair is gone)."""
        if reminder.server_id is None:
            return None
        async with self.bot.stores.guild(reminder.server_id) as guild:
            pair = await guild.practice_pair(reminder.subject_id)
        me = None if pair is None else pair.member(store.user_id)
        if pair is None or me is None or me.answer is not None or not pair.partners(me.user_id):
            return None
        server = self._server_name(reminder.server_id)
        return Outgoing(
            content=checkback_text(server, pair, store.user_id, late=reminder.late),
            view=checkback_view(reminder.server_id, pair.id, store.user_id),
        )

    async def on_checkback(
        self, interaction: AnyInteraction, answer: CheckBack, guild_id: int, pair_id: int
    ) -> None:
        """We met / Not yet / Skip, for a pair the presser is in (else refused)."""
        if not is_row_id(guild_id) or not self.bot.stores.pool.exists("guilds", guild_id):
            raise UserError(NOT_YOUR_PAIR)
        async with self.bot.stores.guild(guild_id) as store:
            pair = await store.answer_checkback(pair_id, interaction.user.id, answer)
        if pair is None:
            raise UserError(NOT_YOUR_PAIR)
        names = partner_names(pair.partners(interaction.user.id)) or "your partner"
        done = {
            CheckBack.MET: f"✅ Noted: you met {names}. Well done — next round, someone new.",
            CheckBack.NOT_YET: (
                f"Noted: not yet. There's still time to meet {names} before the next round."
            ),
            CheckBack.SKIP: "Noted: this round skipped. See you next round.",
        }[answer]
        await interaction.response.edit_message(
            content=clip(done, CONTENT), view=None, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Practice(bot))
