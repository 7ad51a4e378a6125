"""The member's account: /help, /settings, /progress, /mydata."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import DELETION_DONE
from bot.domain.business_days import parse_clock
from bot.domain.digest import (
    DIGEST_OFF,
    WEEK,
    DigestTimeError,
    WeeklyDigest,
    Win,
    digest_suggestions,
    digest_text,
    parse_digest,
    weekly_digest,
)
from bot.domain.export import member_export, split_for_upload
from bot.domain.keeping_in_touch import CHECKIN_WEEKS_MAX
from bot.domain.models import Reminder, ReminderKind, Settings
from bot.domain.progress import (
    NEXT_ACTIONS_SHOWN,
    NextAction,
    StageNudge,
    funnel,
    next_actions,
    stage_mix,
    stage_nudge,
)
from bot.domain.timezones import (
    ABBREVIATIONS,
    UnknownTimezone,
    resolve_timezone,
    suggest_timezones,
)
from bot.reminders import Outgoing
from bot.store import MemberStore
from bot.types import AnyInteraction, Interaction
from bot.ui.embeds import make_embed
from bot.ui.errors import UserError
from bot.ui.limits import CHOICES, FIELD_VALUE, FILES, UPLOAD_BYTES
from bot.ui.render import (
    format_relative,
    format_when,
    member_code,
    member_text,
    stage_nudge_text,
)
from bot.ui.respond import reply
from bot.ui.time_zone import DMS_OFF, dm_time, require_timezone
from bot.ui.views import ask_to_confirm
from cogs._common import EVERYWHERE, SHORT_MAX, text_option

if TYPE_CHECKING:
    from datetime import datetime

    from bot.client import InterviewBot
    from bot.store.member import Dashboard

CLOCK_INPUT_MAX = 20  # "10:30 pm" and friends; anything longer isn't a time of day
DIGEST_INPUT_MAX = 40  # "wednesday at 10:30 pm" and friends

HELP_INTRO = (
    "Find people, ask them for a short conversation, prepare, and thank them afterwards. "
    "I keep your list private and nudge you by DM."
)
# The first week in three commands; each runs as written, one after the other.
HELP_START = (
    '1. `/prospect add name:"Ada Lovelace" stage:established` — someone whose work you '
    "want to learn about (or import your LinkedIn Connections.csv).\n"
    '2. `/outreach draft prospect:"Ada Lovelace"` — a request under 100 words; once you '
    'have sent it, `/outreach sent prospect:"Ada Lovelace"`.\n'
    '3. `/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"` — a prep sheet '
    "before, a thank-you nudge after."
)
HELP_GLOSSARY = (
    "**3B7**: no reply in 3 business days, ask a second person there; in 7, follow up once. "
    "**TIARA**: ask about Trends, Insights, Advice, Resources, Assignments. "
    "**5-Point Email**: under 100 words, your connection first, asking for advice, "
    "never for a job."
)
HELP_STEPS = (
    (
        "1 · Locate people",
        "Meet emerging, mid-career and established professionals.\n"
        "`/prospect add` · `/prospect import` (your LinkedIn Connections.csv) · "
        "`/prospect list` · `/prospect show` · `/prospect edit` · `/prospect remove`",
    ),
    (
        "2 · Make contact",
        "A brief, friendly request: under 100 words, 30 minutes, at their convenience.\n"
        "`/outreach draft` · `/outreach check` · `/outreach sent` (3B7 follow-ups) · "
        "`/outreach reply` · `/outreach remove` (one logged by mistake)",
    ),
    (
        "3 · Be prepared",
        "TIARA questions, and always ask who else you should talk to.\n"
        "`/meeting schedule` · `/meeting reschedule` · `/meeting cancel` · `/meeting list` · "
        "`/meeting prep` · `/meeting calendar` · `/questions list` · `/questions random` · "
        "`/questions add` · `/questions vote` · `/questions remove`",
    ),
    (
        "4 · Follow up with thanks",
        "Within 24 hours, naming something specific you learned; I'll nudge you by DM.\n"
        "`/meeting log` · `/meeting done` · `/thanks draft` · `/thanks sent`\n"
        "Later I nudge you to check in, and to tell a referrer how it went "
        "(`/settings reminders checkin_weeks:6`); a weekly summary is opt-in: "
        '`/settings reminders digest:"monday 9am"`.',
    ),
    (
        "Club network (in a server)",
        "Members open to a conversation list themselves; ask one and they answer by DM. "
        "Accepted, they become your prospect.\n"
        "`/network join` · `/network edit` · `/network pause` · `/network leave` · "
        "`/network find` · `/network requests`",
    ),
    (
        "Practice with a club member",
        "Each round pairs you with another member of the server by DM: one plays the "
        "professional, then swap.\n"
        "`/practice join` · `/practice pause` · `/practice leave` · officers: "
        "`/club practice schedule` · `/club practice pause` · `/club practice now`",
    ),
    (
        "Your account",
        "`/help` · `/progress` · `/settings timezone` · `/settings profile` · "
        "`/settings reminders` · `/settings show` · `/mydata export` · `/mydata delete` · "
        "officers: `/club stats`",
    ),
)
PRIVACY = (
    "Your prospects, meetings and notes live in a store of your own that only your "
    "commands can reach; replies showing them are visible only to you. The server's "
    "question bank is shared, and officers see only anonymous monthly counts. A network "
    "listing is seen by this server's members, and what it shares only by someone you "
    "accept. `/mydata export` gives you everything; `/mydata delete` erases it, in every "
    "server too."
)


def help_embed() -> discord.Embed:
    """Where to start, the method's words, the four steps with every command for each,
    and privacy in one paragraph."""
    return make_embed(
        "Informational interviews, step by step",
        f"{HELP_INTRO}\n\n**Start here**\n{HELP_START}\n\n**Words**: {HELP_GLOSSARY}",
        fields=[*HELP_STEPS, ("Privacy", PRIVACY)],
    )


def _zone_label(name: str, typed: str, meant: str | None, shown: str) -> str:
    """A zone as offered: with the abbreviation it was picked for ("America/New_York
    (EST)"), or with its city spelled out when that is what was typed ("new york")."""
    if name == meant:
        return f"{name} ({shown})"
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    if " " in typed and typed.casefold() in city.casefold():
        return f"{name} ({city})"
    return name


def due_actions(board: Dashboard, now: datetime) -> tuple[list[NextAction], int]:
    """What is due (the first NEXT_ACTIONS_SHOWN) and how many more, from one read of
    the member's store: /progress and the weekly digest list the same."""
    return next_actions(
        now=now,
        tz=ZoneInfo(board.settings.timezone),
        thanks=board.thanks,
        requests=board.requests,
        pipeline=board.pipeline,
        limit=NEXT_ACTIONS_SHOWN,
    )


class Account(commands.Cog):
    """Help, preferences and the member's own data."""

    settings = app_commands.Group(
        name="settings", description="Your time zone, profile and reminders", **EVERYWHERE
    )
    mydata = app_commands.Group(
        name="mydata",
        description="Export or delete everything the bot keeps about you",
        **EVERYWHERE,
    )

    def __init__(self, bot: InterviewBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Render the weekly digest: /progress's next actions, by DM, once a week."""
        self.bot.reminders.register(ReminderKind.DIGEST, self.render_digest)

    async def render_digest(self, store: MemberStore, reminder: Reminder) -> Outgoing | None:
        """This week's digest DM, or None (no DM) when nothing is due or the digest was
        turned off. Either way next week's is scheduled first, while the digest is on."""
        settings = await store.settings()
        if settings.digest is None:
            return None
        await store.ensure_next_digest(settings)
        now = store.now()
        actions, more = due_actions(await store.dashboard(shown=NEXT_ACTIONS_SHOWN), now)
        met, thanked = await store.wins_since(now - WEEK)
        digest = weekly_digest(now=now, actions=actions, more=more, held=met, thanked=thanked)
        if digest is None:
            return None
        late = "\n-# This digest should have arrived earlier (the bot was offline)."
        return Outgoing(
            content="📅 Your week: what's due, and what you got done."
            + (late if reminder.late else ""),
            embed=digest_embed(digest),
        )

    @app_commands.command(name="help", description="The four steps and the commands for each")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def help_(self, interaction: Interaction) -> None:
        """Show how the bot works."""
        await reply(interaction, embed=help_embed())

    # -- /settings -----------------------------------------------------------------
    @settings.command(name="timezone")
    @app_commands.describe(tz="Your time zone, e.g. America/New_York (start typing a city)")
    async def timezone(self, interaction: Interaction, tz: str) -> None:
        """Set your time zone, used for every time you type and every reminder."""
        if not tz.strip():
            raise UserError(
                "Type your time zone and pick it from the list, e.g. `tz:America/New_York` "
                "(a city such as `london` or an abbreviation such as `EST` works too)."
            )
        try:
            zone = resolve_timezone(tz)
        except UnknownTimezone as error:
            # The domain's message is plain text quoting what they typed: shown literally.
            raise UserError(member_text(str(error))) from None
        async with self.bot.stores.member(interaction.user.id) as store, store.transaction():
            await store.set_settings(timezone=zone.key)
            await store.schedule_digest(await store.settings())  # its day and hour are local
        now = self.bot.clock.now().astimezone(zone)
        await reply(interaction, f"Time zone set to **{zone.key}** (it's {now:%H:%M} there now).")

    @timezone.autocomplete("tz")
    async def timezone_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """IANA names, best match first; the zone an abbreviation means says so
        ("America/New_York (EST)")."""
        typed = " ".join(current.split())[:20]
        meant = ABBREVIATIONS.get(typed.lower())
        shown = typed.upper() if len(typed) <= 5 else typed.title()
        return [
            app_commands.Choice(name=_zone_label(name, typed, meant, shown), value=name)
            for name in suggest_timezones(current, limit=CHOICES)
        ]

    @settings.command(name="profile")
    @app_commands.describe(
        name="Your name as you sign your requests",
        school="Your school or club, e.g. State University Career Club",
        interest="The field you're exploring, e.g. healthcare analytics",
    )
    async def profile(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        school: app_commands.Range[str, 1, SHORT_MAX] | None = None,
        interest: app_commands.Range[str, 1, SHORT_MAX] | None = None,
    ) -> None:
        """Set what your drafts say about you."""
        values = {
            "profile_name": text_option(name, label="Name", limit=SHORT_MAX, example="Sam Lee"),
            "profile_school": text_option(
                school, label="School", limit=SHORT_MAX, example="State University"
            ),
            "profile_interest": text_option(
                interest, label="Interest", limit=SHORT_MAX, example="healthcare analytics"
            ),
        }
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            raise UserError(
                "Tell me at least one thing, e.g. `/settings profile name:Sam Lee "
                "school:State University interest:healthcare analytics`."
            )
        async with self.bot.stores.member(interaction.user.id) as store:
            await store.set_settings(**values)
            current = await store.settings()
            zone_chosen = await store.get_setting("timezone") is not None
        await reply(
            interaction,
            embed=settings_embed(current, title="Profile saved", zone_chosen=zone_chosen),
        )

    @settings.command(name="reminders")
    @app_commands.describe(
        thanks_after_hours="Hours after a meeting ends before the first thank-you nudge (1–24)",
        quiet_start="No DMs from this local time, e.g. 22:00",
        quiet_end="…until this local time, e.g. 08:00",
        dms="Send me reminder DMs",
        checkin_weeks="Weeks after a thank-you before I nudge you to check in (0 = never)",
        digest='A weekly digest of what is due, e.g. "monday 9am" (your time), or "off"',
    )
    async def reminders(
        self,
        interaction: Interaction,
        thanks_after_hours: app_commands.Range[int, 1, 24] | None = None,
        quiet_start: str | None = None,
        quiet_end: str | None = None,
        dms: bool | None = None,
        checkin_weeks: app_commands.Range[int, 0, CHECKIN_WEEKS_MAX] | None = None,
        digest: app_commands.Range[str, 1, DIGEST_INPUT_MAX] | None = None,
    ) -> None:
        """Choose when and whether the bot nudges you."""
        values: dict[str, object] = {}
        if thanks_after_hours is not None:
            if not 1 <= thanks_after_hours <= 24:
                raise UserError("thanks_after_hours must be between 1 and 24, e.g. `2`.")
            values["thanks_after_hours"] = thanks_after_hours
        for key, raw in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
            if raw is not None:
                if len(raw.strip()) > CLOCK_INPUT_MAX:
                    raise UserError(
                        f"{key}: that's too long to be a time of day. Try `22:00` or `7am`."
                    )
                try:
                    values[key] = parse_clock(raw).strftime("%H:%M")
                except ValueError as error:
                    raise UserError(f"{key}: {member_text(str(error))}") from None
        if dms is not None:
            values["dms"] = dms
        if checkin_weeks is not None:
            if not 0 <= checkin_weeks <= CHECKIN_WEEKS_MAX:
                raise UserError(
                    f"checkin_weeks must be between 0 (no check-ins) and {CHECKIN_WEEKS_MAX}, "
                    "e.g. `6`."
                )
            values["checkin_weeks"] = checkin_weeks
        if digest is not None:
            try:
                when = parse_digest(digest)
            except DigestTimeError as error:
                raise UserError(f"digest: {member_text(str(error))}") from None
            values["digest"] = digest_text(when) if when else None  # None: off
        if not values:
            raise UserError(
                "Tell me what to change, e.g. `/settings reminders quiet_start:22:00 "
                "quiet_end:07:30`."
            )
        if values.get("digest") and not await require_timezone(
            interaction, continue_with=lambda again: self._save_reminders(again, values)
        ):
            return  # a weekly hour needs the member's zone: asked first, then saved
        await self._save_reminders(interaction, values)

    async def _save_reminders(self, interaction: AnyInteraction, values: dict[str, object]) -> None:
        """Save reminder settings, and move what they time: the check-ins still owed,
        the next digest."""
        async with self.bot.stores.member(interaction.user.id) as store:
            async with store.transaction():
                await store.set_settings(**values)
                current = await store.settings()
                if "checkin_weeks" in values:
                    await store.retime_checkins(current.checkin_weeks)
                if {"quiet_start", "quiet_end", "dms"} & values.keys():
                    # What the old quiet hours hold is decided afresh with the new ones.
                    await store.release_held_reminders()
                next_digest = (
                    await store.schedule_digest(current)
                    if {"digest", "dms"} & values.keys()
                    else None
                )
            now = store.now()
            zone_chosen = await store.get_setting("timezone") is not None
        note = None
        if "digest" in values:
            if current.digest is None:
                note = "The weekly digest is off."
            elif not current.dms:
                note = DMS_OFF
            elif next_digest is not None:
                note = (
                    f"Your weekly digest comes {dm_time(next_digest, now, current)}, and then "
                    "every week, only when something is due."
                )
        await reply(
            interaction,
            note,
            embed=settings_embed(current, title="Reminder settings saved", zone_chosen=zone_chosen),
        )

    @reminders.autocomplete("digest")
    async def digest_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """A day and an hour, read from what is typed, or the usual ones; and "off"."""
        return [
            app_commands.Choice(
                name=value if value == DIGEST_OFF else f"{value.capitalize()} (your time)",
                value=value,
            )
            for value in digest_suggestions(current[:DIGEST_INPUT_MAX], limit=CHOICES)
        ]

    @settings.command(name="show")
    async def show(self, interaction: Interaction) -> None:
        """See your settings."""
        async with self.bot.stores.member(interaction.user.id) as store:
            current = await store.settings()
            zone_chosen = await store.get_setting("timezone") is not None
        await reply(
            interaction,
            embed=settings_embed(current, title="Your settings", zone_chosen=zone_chosen),
        )

    # -- /progress -----------------------------------------------------------------
    @app_commands.command(
        name="progress", description="Your funnel, career-stage mix and what to do next"
    )
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def progress(self, interaction: Interaction) -> None:
        """Where you are with everyone, and the next actions that are due."""
        now = self.bot.clock.now()
        async with self.bot.stores.member(interaction.user.id) as store:
            board = await store.dashboard(shown=NEXT_ACTIONS_SHOWN)
        actions, more = due_actions(board, now)
        mix = stage_mix(board.pipeline)
        embed = progress_embed(
            funnel(board.pipeline),
            mix,
            stage_nudge(mix),
            actions,
            more,
            board.undelivered,
            unstaged=board.pipeline.unstaged,
        )
        await reply(interaction, embed=embed)

    # -- /mydata -------------------------------------------------------------------
    @mydata.command(name="export")
    async def export(self, interaction: Interaction) -> None:
        """Download everything the bot keeps about you (JSON and CSV)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = interaction.user.id
        async with self.bot.stores.member(user_id) as store:
            tables = await store.export()
        # Their questions and votes in servers' banks, read once their own store is let
        # go (one store at a time): what /mydata delete removes is in the export too.
        tables |= await self.bot.stores.member_marks(user_id)
        # 25,000 prospects are ~15 MB of JSON and CSV to write and compress: in a thread.
        for text, files in await asyncio.to_thread(export_messages, tables):
            await reply(
                interaction,
                text,
                files=[discord.File(io.BytesIO(data), filename=n) for n, data in files.items()],
            )

    @mydata.command(name="delete")
    async def delete(self, interaction: Interaction) -> None:
        """Erase your store and every reminder (asks first)."""
        pressed = await ask_to_confirm(
            interaction,
            "Delete **all** your prospects, requests, meetings, notes, settings and "
            "reminders? This can't be undone — `/mydata export` first if you want a copy.",
            confirm_label="Delete everything",
            kept="Nothing was deleted.",
        )
        if pressed is None:
            return
        # Answer the press first: going through every server's bank may take longer than
        # the 3 seconds Discord waits for a button's answer.
        await pressed.response.edit_message(content="Deleting everything…", view=None)
        # Their store, their reminders, and their votes and authorship in servers' banks.
        # If the bot stops halfway, it finishes at its next start and edits this message
        # then (the note says which; see InterviewBot.finish_deletions).
        message = pressed.message
        note = {
            "application_id": pressed.application_id,
            "token": pressed.token,
            "message_id": message.id if message is not None else None,
        }
        await self.bot.stores.delete_member(interaction.user.id, note=note)
        await pressed.edit_original_response(content=DELETION_DONE)


def export_messages(tables: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, bytes]]]:
    """/mydata export's messages: (text, files) each, within Discord's upload limits."""
    export = member_export(tables)
    files = {"mydata.json": export.to_json(), **export.csv_files()}
    messages = split_for_upload(files, limit=UPLOAD_BYTES, max_files=FILES)
    counts = ", ".join(
        f"{name.replace('_', ' ')}: {count}" for name, count in export.counts().items() if count
    )
    text = (
        f"Here is everything I keep about you ({counts or 'nothing yet'}). "
        "`mydata.json` has it all, with the bot's own delivery bookkeeping in a separate "
        "section; each CSV is one table and opens in Excel with accents intact."
    )
    if len(messages) == 1 and list(messages[0]) == list(files):
        return [(text, messages[0])]
    size = sum(len(data) for data in files.values()) / 1_000_000
    packed = (
        "in `mydata.zip`"
        if len(messages) == 1
        else f"in {len(messages)} .zip files, one per message (this is 1 of {len(messages)})"
    )
    text += (
        f"\nIt comes to {size:.1f} MB, more than Discord lets me attach to a message, so "
        f"it's compressed {packed}."
    )
    if len(messages) > 1:
        text += (
            " A file too big for one is cut in parts: a CSV's parts each open on their own; "
            "`mydata.json`'s (.001, .002…) join in order."
        )
    return [(text, messages[0])] + [
        (f"Your data export, part {n} of {len(messages)}.", files_)
        for n, files_ in enumerate(messages[1:], start=2)
    ]


def settings_embed(current: Settings, *, title: str, zone_chosen: bool = True) -> discord.Embed:
    """The member's settings as a card; a zone never chosen shows as such, not as the
    UTC the store falls back to (they are asked before any time is read)."""
    profile = current.profile
    quiet = (
        "off"
        if current.quiet_start == current.quiet_end
        else f"{current.quiet_start}–{current.quiet_end}"
    )
    return make_embed(
        title,
        fields=[
            (
                "Time zone",
                current.timezone
                if zone_chosen
                else "not chosen yet: I'll ask when you first give a time",
            ),
            ("Name", member_text(profile.name) if profile.name else "not set"),
            ("School or club", member_text(profile.school) if profile.school else "not set"),
            ("Interest", member_text(profile.interest) if profile.interest else "not set"),
            ("Thank-you nudge", f"{current.thanks_after_hours} h after a meeting ends"),
            ("Quiet hours", quiet),
            ("Reminder DMs", "on" if current.dms else "off"),
            (
                "Check-in after thanks",
                f"{current.checkin_weeks} weeks after" if current.checkin_weeks else "off",
            ),
            (
                "Weekly digest",
                digest_text(current.digest).capitalize() if current.digest else "off",
            ),
        ],
        inline=True,
    )


REMINDER_WHAT = {
    "prep": "prep for your meeting with",
    "thanks": "thank-you nudge for",
    "followup-3": "3-day follow-up (second contact) for",
    "followup-7": "7-day follow-up for",
    "checkin": "check-in with",
    "referrer": "word to the referrer of",
}
# The club network's DMs are about a server's request or practice pair, not a prospect.
NETWORK_WHAT = {
    ReminderKind.NETWORK_ASK: "a request for a conversation (club network)",
    ReminderKind.NETWORK_ANSWER: "the answer to your request (club network)",
    ReminderKind.NETWORK_INTRO: "an introduction (club network)",
    ReminderKind.PRACTICE_INTRO: "your practice partner for this round",
    ReminderKind.PRACTICE_CHECKBACK: "a practice round check-back",
}


def _names(wins: tuple[Win, ...], limit: int = 10) -> str:
    names = [f"**{member_text(win.name)}**" for win in wins[:limit]]
    more = f" and {len(wins) - limit} more" if len(wins) > limit else ""
    return ", ".join(names) + more


def digest_embed(digest: WeeklyDigest) -> discord.Embed:
    """The weekly digest: what is due now, each with its command, and the week's wins."""
    wins = []
    if digest.met:
        wins.append(f"🤝 You met {_names(digest.met)}.")
    if digest.thanked:
        wins.append(f"🙏 You thanked {_names(digest.thanked)}.")
    return make_embed(
        "Your weekly digest",
        fields=[
            ("Due now", fit_lines([action_line(a) for a in digest.actions], digest.more)),
            (
                "This week",
                "\n".join(wins)
                or "No meetings or thank-yous this week; one conversation makes a good week.",
            ),
        ],
        footer="Change the day or stop it: /settings reminders digest:off",
    )


def action_line(action: NextAction) -> str:
    """One next action, in the member's words, with the command that does it."""
    name = member_text(action.name)
    since = f" {format_relative(action.since)}" if action.since else ""
    if action.kind == "thanks":
        hint = f"/thanks draft meeting:{member_code(action.name)}"
        return f"🙏 Thank **{name}** — you met{since}. `{hint}`"
    if action.kind == "follow-up":
        return f"📨 Follow up once with **{name}** — asked{since}, no reply."
    if action.kind == "second-contact":
        where = (
            f"at **{member_text(action.organization)}**" if action.organization else "in that field"
        )
        return f"👥 Contact a second person {where} — no reply from **{name}** yet."
    hint = f"/outreach draft prospect:{member_code(action.name)}"
    return f"✉️ Ask **{name}** for a conversation — `{hint}`"


def fit_lines(lines: list[str], more: int, *, footer: str | None = None) -> str:
    """Whole lines that fit one embed field, then "and N more" (counting the lines left
    out too) and the footer: never a line cut in half, never the count lost."""
    kept: list[str] = []
    for index, line in enumerate(lines):
        left = more + len(lines) - index - 1
        tail = [f"-# and {left} more"] if left else []
        tail += [footer] if footer else []
        if len("\n".join([*kept, line, *tail])) > FIELD_VALUE:
            break
        kept.append(line)
    left = more + len(lines) - len(kept)
    tail = ([f"-# and {left} more"] if left else []) + ([footer] if footer else [])
    return "\n".join([*kept, *tail])


def progress_embed(
    steps: list[tuple[str, int]],
    mix: list[tuple[str, int]],
    nudge: StageNudge | None,
    actions: list[NextAction],
    more: int,
    undelivered: list[tuple[Reminder, str | None]],
    *,
    unstaged: str | None = None,
) -> discord.Embed:
    """The dashboard: funnel, career-stage mix, next actions, reminders that missed you.
    `unstaged` is a prospect with no career stage, for the command the nudge suggests."""
    if not steps or steps[0][1] == 0:
        return make_embed(
            "Your progress",
            'Nothing yet. Start with `/prospect add name:"…"` or import your LinkedIn '
            "connections: `/prospect import file:…` with your Connections.csv attached.",
        )
    funnel_line = " → ".join(f"**{count}** {step}" for step, count in steps)
    stages = " · ".join(f"{stage} {count}" for stage, count in mix)
    nudge_text = f"\n{stage_nudge_text(nudge, unstaged=unstaged)}" if nudge else ""
    fields = [("Career stages", stages + nudge_text)]
    if actions:
        fields.append(("Next actions", fit_lines([action_line(a) for a in actions], more)))
    else:
        fields.append(("Next actions", "Nothing due. Nice work."))
    if undelivered:
        lines = [
            f"• {REMINDER_WHAT.get(r.kind, r.kind)} **{member_text(name)}** "
            f"(due {format_when(r.due_at)})"
            if name
            else f"• your weekly digest (due {format_when(r.due_at)})"
            if r.kind == ReminderKind.DIGEST
            else f"• {NETWORK_WHAT[r.kind]} (due {format_when(r.due_at)})"
            if r.kind in NETWORK_WHAT
            else f"• {REMINDER_WHAT.get(r.kind, r.kind)} a removed record"
            for r, name in undelivered
        ]
        advice = (
            "Your DMs with me are closed. Allow direct messages from this server's members "
            "(server menu → Privacy Settings) so reminders reach you."
        )
        fields.append(("Reminders I couldn't deliver", fit_lines(lines, 0, footer=advice)))
    return make_embed("Your progress", funnel_line, fields=fields)


async def setup(bot: InterviewBot) -> None:
    """Load the cog."""
    await bot.add_cog(Account(bot))
