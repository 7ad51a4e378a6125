"""Step 1 — locate people: /prospect add, list, show, edit, remove."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.linkedin import (
    ConnectionsFileError,
    ImportPlan,
    normalize_linkedin_url,
    plan_import,
    upload_limit,
)
from bot.domain.models import Prospect, ProspectStatus, TimelineEvent
from bot.types import Interaction
from bot.ui.choices import SourceOption, StageOption, StatusOption
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.options import AMBIGUOUS_SHOWN, ProspectOption, prospect_label
from bot.ui.render import (
    command_hint,
    format_date_time,
    member_code,
    member_link,
    member_text,
)
from bot.ui.respond import reply
from bot.ui.views import ListPages, Paginator, ask_to_confirm
from cogs._common import (
    CLEAR,
    EVERYWHERE,
    NAME_MAX,
    NOTES_MAX,
    SHORT_MAX,
    checked_name,
    text_option,
)

if TYPE_CHECKING:
    from bot.client import InterviewBot


def _linkedin(value: str | None) -> str | None:
    # "-" is no link, as in LinkedIn's export (and /prospect edit, where it clears one).
    if value is None or value.strip() in ("", CLEAR):
        return None
    try:
        return normalize_linkedin_url(value)
    except ValueError as error:
        raise UserError(str(error)) from None


def prospect_line(prospect: Prospect, status: ProspectStatus) -> str:
    """One prospect in a list."""
    extra = " · ".join(member_text(part) for part in (prospect.role, prospect.organization) if part)
    tags = " · ".join(part for part in (prospect.stage, status) if part)
    return f"**{member_text(prospect.name)}**" + (f" — {extra}" if extra else "") + f"\n-# {tags}"


def prospect_card(
    prospect: Prospect,
    status: ProspectStatus,
    *,
    referred_by: Prospect | None,
    referrals: list[Prospect],
    timeline: list[TimelineEvent],
) -> discord.Embed:
    """The prospect's card: who they are, how the member knows them, what happened."""
    headline = " · ".join(
        member_text(part) for part in (prospect.role, prospect.organization) if part
    )
    fields = [
        ("Stage", prospect.stage or "not set"),
        ("Status", status),
        ("Source", prospect.source or "not set"),
    ]
    if prospect.linkedin:
        fields.append(("LinkedIn", member_link(prospect.linkedin)))
    if prospect.email:
        fields.append(("Email", member_text(prospect.email)))
    if referred_by:
        fields.append(("Referred by", member_text(referred_by.name)))
    if referrals:
        fields.append(("Referred you to", ", ".join(member_text(p.name) for p in referrals)))
    if prospect.notes:
        fields.append(("Notes", member_text(prospect.notes)))
    history = "\n".join(f"{format_date_time(when)} — {what}" for when, what in timeline)
    draft = f"`/outreach draft prospect:{member_code(prospect.name)}`"
    fields.append(("Timeline", history or f"Nothing yet: draft a request with {draft}."))
    embed = make_embed(
        member_text(prospect.name), headline or None, fields=fields, footer=f"id {prospect.id}"
    )
    for index in range(3):
        embed.set_field_at(index, name=fields[index][0], value=fields[index][1], inline=True)
    return embed


class Locate(commands.Cog):
    """Find people to talk to and keep them in one private list."""

    prospect = app_commands.Group(
        name="prospect", description="Step 1: the people you'd like to talk to", **EVERYWHERE
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    @prospect.command(name="add")
    @app_commands.describe(
        name="Their full name",
        role="Their job title, e.g. Data Analyst",
        organization="Where they work",
        stage="Career stage: meet emerging, mid-career and established people",
        linkedin="Their LinkedIn profile URL (https://www.linkedin.com/in/…)",
        source="Where you found them",
        notes="Anything to remember (how you met, what they work on)",
    )
    async def add(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        role: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        organization: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        stage: StageOption | None = None,
        linkedin: app_commands.Range[str, 1, 200] | None = None,
        source: SourceOption | None = None,
        notes: app_commands.Range[str, 1, NOTES_MAX] | None = None,
    ) -> None:
        """Add someone you'd like to talk to."""
        fields = {
            "role": text_option(role, label="Role", limit=SHORT_MAX, example="Data Analyst"),
            "organization": text_option(
                organization, label="Organization", limit=SHORT_MAX, example="Acme Health"
            ),
            "stage": stage,
            "linkedin": _linkedin(linkedin),
            "source": source,
            "notes": text_option(
                notes, label="Notes", limit=NOTES_MAX, example="met at career fair"
            ),
        }
        clean_name = checked_name(name, example='`name:"Ada Lovelace"`')
        if not clean_name:
            raise UserError('A prospect needs a name, e.g. `/prospect add name:"Ada Lovelace"`.')
        async with self.bot.stores.member(interaction.user.id) as store:
            prospect, namesakes, count = await store.add_prospect_noting(
                clean_name, **{k: v for k, v in fields.items() if v is not None}
            )
        tip = (
            ""
            if prospect.stage
            else " When you know their career stage: "
            f"`/prospect edit prospect:{member_code(prospect.name)} stage:mid-career` "
            "(or emerging, established)."
        )
        note = _namesake_note(
            namesakes,
            prospect.id,
            f"remove the extra one with `/prospect remove prospect:{prospect.id}`",
        )
        # With namesakes, the name alone would ask which one: the hint names this one.
        target = str(prospect.id) if namesakes else prospect.name
        self.bot.club_counts.count(interaction.guild_id, interaction.user.id, "prospects_added")
        await reply(
            interaction,
            f"Added **{member_text(prospect.name)}** to your prospects (you have {count}).{tip} "
            f"Next: {command_hint(f'/outreach draft prospect:{target}')}.{note}",
        )

    @prospect.command(name="import")
    @app_commands.describe(
        file="Connections.csv or the .zip LinkedIn sends (Settings → Data privacy → Get a "
        "copy of your data)"
    )
    async def import_(self, interaction: Interaction, file: discord.Attachment) -> None:
        """Add your LinkedIn connections as prospects (duplicates are skipped)."""
        limit = upload_limit(file.filename)
        if file.size > limit:
            raise UserError(
                f"`{member_code(file.filename)}` is {file.size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.0f} MB. Upload the Connections.csv from your "
                "LinkedIn data export (it is usually well under 1 MB)."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            raise UserError(
                "I couldn't download that file from Discord. Please attach it again."
            ) from None
        async with self.bot.stores.member(interaction.user.id) as store:
            try:
                # Reading and checking 5,000 rows takes a while: in a thread, so other
                # members' commands are answered meanwhile.
                plan = await asyncio.to_thread(
                    plan_import, data, existing=await store.prospect_identities()
                )
            except ConnectionsFileError as error:
                raise UserError(_import_error(file.filename, str(error))) from None
            people = []
            for person in plan.added:
                fields = {
                    "role": person.role,
                    "organization": person.organization,
                    "linkedin": person.linkedin,
                    "email": person.email,
                    "connected_on": person.connected_on,
                    "source": "linkedin",
                }
                people.append((person.name, {k: v for k, v in fields.items() if v is not None}))
            await store.add_prospects(people)
        self.bot.club_counts.count(
            interaction.guild_id, interaction.user.id, "prospects_added", amount=len(plan.added)
        )
        await reply(interaction, import_summary(plan))

    @prospect.command(name="list")
    @app_commands.describe(stage="Only this career stage", status="Only this status")
    async def list_(
        self,
        interaction: Interaction,
        stage: StageOption | None = None,
        status: StatusOption | None = None,
    ) -> None:
        """Your prospects, a page at a time."""
        filters = " · ".join(part for part in (stage, status) if part)

        async def fetch(offset: int, limit: int) -> tuple[int, list[str]]:
            async with self.bot.stores.member(interaction.user.id) as store:
                total, found = await store.prospect_page(
                    stage=stage, status=status, offset=offset, limit=limit
                )
            return total, [prospect_line(p, s) for p, s in found]

        pages = ListPages(
            lambda total: f"Your prospects ({total})" + (f" — {filters}" if filters else ""),
            fetch,
            empty="No prospects match. Add one with `/prospect add name:…`."
            if filters
            else "No prospects yet. Add one with `/prospect add name:…`.",
        )
        await Paginator(interaction.user.id, pages).send(interaction)

    @prospect.command(name="show")
    @app_commands.describe(prospect="Start typing a name")
    async def show(self, interaction: Interaction, prospect: ProspectOption) -> None:
        """A prospect's card with their timeline."""
        async with self.bot.stores.member(interaction.user.id) as store:
            status = await store.prospect_status(prospect.id)
            referred_by = (
                await store.get_prospect(prospect.referred_by) if prospect.referred_by else None
            )
            referrals = await store.referrals_of(prospect.id)
            timeline = await store.prospect_timeline(prospect.id)
        embed = prospect_card(
            prospect, status, referred_by=referred_by, referrals=referrals, timeline=timeline
        )
        await reply(interaction, embed=embed)

    @prospect.command(name="edit")
    @app_commands.describe(
        prospect="Start typing a name",
        name="New name",
        role=f"New role ({CLEAR} clears it)",
        organization=f"New organization ({CLEAR} clears it)",
        stage="Career stage",
        linkedin=f"LinkedIn profile URL ({CLEAR} clears it)",
        source="Where you found them",
        notes=f"Replaces the notes ({CLEAR} clears them)",
    )
    async def edit(
        self,
        interaction: Interaction,
        prospect: ProspectOption,
        name: app_commands.Range[str, 1, NAME_MAX] | None = None,
        role: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        organization: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        stage: StageOption | None = None,
        linkedin: app_commands.Range[str, 1, 200] | None = None,
        source: SourceOption | None = None,
        notes: app_commands.Range[str, 1, NOTES_MAX] | None = None,
    ) -> None:
        """Change what you know about a prospect."""
        changes: dict[str, str | None] = {}
        if name is not None:
            changes["name"] = checked_name(name, example="`name:Ada Lovelace`")
            if not changes["name"]:
                raise UserError("A name can't be empty, e.g. `name:Ada Lovelace`.")
        for key, value, limit, example in (
            ("role", role, SHORT_MAX, "Data Analyst"),
            ("organization", organization, SHORT_MAX, "Acme Health"),
            ("notes", notes, NOTES_MAX, "met at the fall mixer"),
        ):
            if value is not None:
                changes[key] = (
                    None
                    if value.strip() == CLEAR
                    else text_option(value, label=key.capitalize(), limit=limit, example=example)
                )
        if linkedin is not None:
            changes["linkedin"] = None if linkedin.strip() == CLEAR else _linkedin(linkedin)
        if stage is not None:
            changes["stage"] = stage
        if source is not None:
            changes["source"] = source
        if not changes:
            raise UserError(
                "Tell me what to change, e.g. "
                f"`/prospect edit prospect:{member_code(prospect.name)} stage:established`."
            )
        async with self.bot.stores.member(interaction.user.id) as store:
            new_name = changes.get("name")
            namesakes = (
                [p for p in await store.prospects_named(new_name) if p.id != prospect.id]
                if new_name
                else []
            )
            updated = await store.update_prospect(prospect.id, **changes)
        if updated is None:
            raise UserError("That prospect was removed in the meantime.")
        note = _namesake_note(
            namesakes,
            updated.id,
            f"give this one another name with `/prospect edit prospect:{updated.id} name:…`",
        )
        await reply(
            interaction,
            f"Updated **{member_text(updated.name)}**: " + ", ".join(sorted(changes)) + f".{note}",
        )

    @prospect.command(name="remove")
    @app_commands.describe(prospect="Start typing a name")
    async def remove(self, interaction: Interaction, prospect: ProspectOption) -> None:
        """Remove a prospect with their outreach, meetings and reminders (asks first)."""
        name = member_text(prospect.name)
        pressed = await ask_to_confirm(
            interaction,
            f"Remove **{name}** and everything recorded with them "
            "(requests, meetings, reminders)? This can't be undone.",
            confirm_label="Remove",
            kept=f"{name} stays.",
        )
        if pressed is None:
            return
        async with self.bot.stores.member(interaction.user.id) as store:
            removed = await store.remove_prospect(prospect.id)
        text = f"Removed **{name}**." if removed else f"**{name}** was already gone."
        await pressed.response.edit_message(content=text, view=None)


def _namesake_note(namesakes: list[Prospect], prospect_id: int, fix: str) -> str:
    """The warning when a prospect now shares its name with others (two people can share
    a name, so it's allowed, but the member should know): which ones, and `fix`."""
    if not namesakes:
        return ""
    others = ", ".join(
        f"{member_text(prospect_label(p))} (id {p.id})" for p in namesakes[:AMBIGUOUS_SHOWN]
    )
    return (
        f"\nNote: you already had someone by that name ({others}); this one is id "
        f"{prospect_id}. Pick by role or organization from the suggestions, or {fix}."
    )


IMPORT_REASONS_SHOWN = 5


def _import_error(filename: str, message: str) -> str:
    """Why a file can't be imported; a file named as neither a CSV (or the tab-separated
    text spreadsheets save) nor a .zip says so first."""
    if not filename.lower().endswith((".csv", ".txt", ".tsv", ".zip")):
        return (
            f"`{member_code(filename)}` isn't a CSV file. {message} In your LinkedIn data export "
            "it is the file named Connections.csv."
        )
    return message


def import_summary(plan: ImportPlan) -> str:
    """Counts added / skipped / rejected, and the first few reasons with line numbers."""
    added = len(plan.added)
    lines = [
        f"Imported your LinkedIn connections: **{added} added**, {len(plan.skipped)} skipped, "
        f"{len(plan.rejected)} rejected."
    ]
    if plan.from_archive:
        lines.append(f"-# Read from `{member_code(plan.from_archive)}` in your .zip.")
    for label, rows in (("Skipped", plan.skipped), ("Rejected", plan.rejected)):
        if rows:
            shown = [f"line {line}: {reason}" for line, reason in rows[:IMPORT_REASONS_SHOWN]]
            more = len(rows) - IMPORT_REASONS_SHOWN
            lines.append(
                f"{label}: " + "; ".join(shown) + (f"; and {more} more." if more > 0 else ".")
            )
    if added:
        first = member_code(plan.added[0].name)
        lines.append(
            "Set each one's career stage as you go, e.g. "
            f"`/prospect edit prospect:{first} stage:mid-career` (or emerging, established), "
            "and see who to ask first with `/prospect list status:to-contact`."
        )
    return "\n".join(lines)


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Locate(bot))
