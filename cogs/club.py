"""For the club's officers: /club stats, the club's anonymous monthly counts, and
/club practice, the practice rounds' schedule.

Officers see counts only (prospects added, requests sent, meetings held, thank-yous
sent, practice pairs made and met, active members), never who did what; every command
needs Manage Server.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.practice import Every, PracticeSchedule, Weekday
from bot.practice_rounds import RoundMade
from bot.stats import METRICS, MonthlyActivity
from bot.types import Interaction
from bot.ui.choices import EnumChoices
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.render import format_when
from bot.ui.respond import reply
from bot.ui.time_zone import local_time, require_timezone, rerun
from cogs._common import server_id

if TYPE_CHECKING:
    from bot.client import InterviewBot

METRIC_LABELS = {
    "prospects_added": "Prospects added",
    "requests_sent": "Requests sent",
    "meetings_held": "Meetings held",
    "thanks_sent": "Thank-yous sent",
    "network_requests": "Network requests",
    "practice_pairs": "Practice pairs made",
    "practice_met": "Practice pairs met",
    "active_members": "Active members",
}


EveryOption = app_commands.Transform[Every, EnumChoices(Every, "every", label=lambda e: e.label)]
DayOption = app_commands.Transform[Weekday, EnumChoices(Weekday, "day")]


def officers_only(interaction: Interaction, command: str, instead: str) -> int:
    """The server an officer's command runs in. Default permissions are only a hint a
    server can change: this check is the rule."""
    guild_id = server_id(interaction, f"`/club {command}` works in a server: it's about that club.")
    if not interaction.permissions.manage_guild:
        raise UserError(
            f"Only members with the Manage Server permission can use /club {command}. {instead}"
        )
    return guild_id


def schedule_example(schedule: PracticeSchedule | None) -> str:
    """A complete /club practice schedule to copy: the server's own, else an example."""
    if schedule is None:
        return "`/club practice schedule every:2 day:Monday hour:18`"
    day = list(Weekday)[schedule.weekday]
    return f"`/club practice schedule every:{schedule.every} day:{day} hour:{schedule.hour}`"


def round_text(made: RoundMade, schedule: PracticeSchedule | None) -> str:
    """What /club practice now did."""
    if not made.groups:
        return (
            f"No round: {made.available} member{'s' if made.available != 1 else ''} "
            "opted in and available, and a round needs two. Members opt in with "
            "`/practice join`."
        )
    trios = sum(1 for group in made.groups if len(group) == 3)
    pairs = len(made.groups) - trios
    groups = " and ".join(
        f"{count} {name}{'s' if count != 1 else ''}"
        for count, name in ((pairs, "pair"), (trios, "trio"))
        if count
    )
    text = (
        f"Round made: {made.available} members in {groups}. Each gets a DM now "
        "introducing their partner, with a practice guide, and a check-back near the end."
    )
    if schedule is not None and schedule.next_round_at is not None:
        text += (
            "\nThis round runs a full period, so the schedule carries on from it: the "
            f"next round is {format_when(schedule.next_round_at)}."
        )
    return text


def stats_embed(server: str, months: list[MonthlyActivity]) -> discord.Embed:
    """The club's anonymous monthly counts, newest month first; no member is named."""
    fields = []
    for activity in months:
        year, month = map(int, activity.month.split("-"))
        lines = [
            f"{METRIC_LABELS[name]}: **{getattr(activity, name)}**"
            for name in (*METRICS, "active_members")
        ]
        fields.append((f"{calendar.month_name[month]} {year}", "\n".join(lines)))
    totals = ", ".join(
        f"{METRIC_LABELS[name].lower()} {sum(getattr(a, name) for a in months)}" for name in METRICS
    )
    return make_embed(
        f"Club activity — {server}",
        "Anonymous counts from what members did with the bot in this server, by month "
        f"(UTC). Members are counted, never named.\nLast {len(months)} months: {totals}.",
        fields=fields,
        inline=True,
    )


class Club(commands.Cog):
    """The club's anonymous activity, for its officers."""

    club = app_commands.Group(
        name="club",
        description="For club officers",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
        # Discord takes default permissions per top-level command only (not per subcommand).
        default_permissions=discord.Permissions(manage_guild=True),
    )

    practice = app_commands.Group(
        name="practice", description="Practice rounds for the club's members", parent=club
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @club.command(name="stats")
    async def stats(self, interaction: Interaction) -> None:
        """Anonymous monthly counts of the club's activity (Manage Server only)."""
        guild_id = server_id(
            interaction, "`/club stats` works in a server: it shows that club's activity."
        )
        # Default permissions are only a hint a server can change; this check is the rule.
        if not interaction.permissions.manage_guild:
            raise UserError(
                "Only members with the Manage Server permission can see the club's stats. "
                "Your own progress is in `/progress`."
            )
        months = await self.bot.club_counts.monthly(guild_id)
        server = interaction.guild.name if interaction.guild else "this server"
        await reply(interaction, embed=stats_embed(server, months))

    # -- /club practice ------------------------------------------------------------------
    @practice.command(name="schedule")
    @app_commands.describe(
        every="How often: every week, 2 weeks or 4 weeks",
        day="The day rounds start",
        hour="The hour they start (0-23), in your time zone",
    )
    async def practice_schedule(
        self,
        interaction: Interaction,
        every: EveryOption,
        day: DayOption,
        hour: app_commands.Range[int, 0, 23],
    ) -> None:
        """Set practice rounds: members who opted in are paired each round (Manage Server)."""
        guild_id = officers_only(
            interaction, "practice schedule", "Members opt in with `/practice join`."
        )
        if not 0 <= hour <= 23:  # a forged value past the option's range
            raise UserError(f"hour is 0-23, e.g. {schedule_example(None)}.")
        if not await require_timezone(
            interaction, continue_with=rerun(self.practice_schedule, every, day, hour)
        ):
            return
        async with self.bot.stores.member(interaction.user.id) as store:
            tz = ZoneInfo((await store.settings()).timezone)
        first = await self.bot.practice.schedule(guild_id, every, day.number, hour, tz)
        async with self.bot.stores.guild(guild_id) as guild:
            members = len(await guild.practice_pool(first))
        await reply(
            interaction,
            f"Practice rounds set: {every.label}, {day.value}s at {hour:02d}:00 ({tz.key}).\n"
            f"First round: {format_when(first)} — {local_time(first, tz)}.\n"
            f"{members} member{'s' if members != 1 else ''} opted in so far; members join "
            "with `/practice join`. `/club practice now` runs a round at once; "
            "`/club practice pause` stops them.",
        )

    @practice.command(name="pause")
    async def practice_pause(self, interaction: Interaction) -> None:
        """Stop practice rounds until the schedule is set again (Manage Server)."""
        guild_id = officers_only(
            interaction, "practice pause", "To skip rounds yourself: `/practice pause`."
        )
        paused = await self.bot.practice.pause(guild_id)
        async with self.bot.stores.guild(guild_id) as guild:
            schedule = await guild.practice_schedule()
        again = schedule_example(schedule)
        if not paused:
            raise UserError(
                f"No practice rounds are coming, so there's nothing to pause. {again} sets them."
            )
        await reply(
            interaction,
            f"Practice rounds paused: none until the schedule is set again, e.g. {again}. "
            "Pairs already made keep their check-backs.",
        )

    @practice.command(name="now")
    async def practice_now(self, interaction: Interaction) -> None:
        """Run a practice round at once; the schedule carries on from it (Manage Server)."""
        guild_id = officers_only(
            interaction, "practice now", "Members opt in with `/practice join`."
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        made = await self.bot.practice.run_now(guild_id)
        async with self.bot.stores.guild(guild_id) as guild:
            schedule = await guild.practice_schedule()
        await reply(interaction, round_text(made, schedule))


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Club(bot))
