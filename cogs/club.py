"""For the club's officers: /club stats, the club's anonymous monthly counts.

Officers see counts only (prospects added, requests sent, meetings held, thank-yous
sent, active members), never who did what; the command needs Manage Server.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.stats import METRICS, MonthlyActivity, club_activity
from bot.types import Interaction
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.respond import reply

if TYPE_CHECKING:
    from bot.client import InterviewBot

METRIC_LABELS = {
    "prospects_added": "Prospects added",
    "requests_sent": "Requests sent",
    "meetings_held": "Meetings held",
    "thanks_sent": "Thank-yous sent",
    "practice_pairs": "Practice pairs made",
    "practice_met": "Practice pairs met",
    "active_members": "Active members",
}


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

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @club.command(name="stats")
    async def stats(self, interaction: Interaction) -> None:
        """Anonymous monthly counts of the club's activity (Manage Server only)."""
        if interaction.guild_id is None:
            raise UserError("`/club stats` works in a server: it shows that club's activity.")
        # Default permissions are only a hint a server can change; this check is the rule.
        if not interaction.permissions.manage_guild:
            raise UserError(
                "Only members with the Manage Server permission can see the club's stats. "
                "Your own progress is in `/progress`."
            )
        months = await club_activity(self.bot.stores, self.bot.clock, interaction.guild_id)
        server = interaction.guild.name if interaction.guild else "this server"
        await reply(interaction, embed=stats_embed(server, months))


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Club(bot))
