"""The member's time zone, asked for the first time a command reads a time, and how
replies say which zone they read a time in and when a promised DM will come.

Every command that reads a typed time or stores something timed starts with
`require_timezone`: a member who never chose a zone is asked (an ephemeral select of
likely zones, hinted by their app's language) instead of having "tomorrow 3pm" read
silently as UTC; once they pick, the command carries on as if they had just run it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import Any, ParamSpec, cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.domain.business_days import parse_clock, when_dm_goes
from bot.domain.models import Settings
from bot.domain.timezones import UnknownTimezone, resolve_timezone
from bot.domain.zone_hints import likely_zones
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.components import GuardedModal, OwnedView
from bot.ui.errors import UserError
from bot.ui.limits import SELECT_LABEL, clip
from bot.ui.render import format_relative, format_when, member_text
from bot.ui.respond import reply

__all__ = [
    "DMS_OFF",
    "ContinueWith",
    "ZonePicker",
    "dm_moment",
    "dm_note",
    "dm_time",
    "local_time",
    "require_timezone",
    "rerun",
    "zone_line",
]

ContinueWith = Callable[[AnyInteraction], Awaitable[None]]
"""What the member asked for, run again with the interaction of their pick."""

P = ParamSpec("P")


def rerun(
    command: app_commands.Command[Any, P, Any], *args: P.args, **kwargs: P.kwargs
) -> ContinueWith:
    """A slash command run again with the same arguments, answering another interaction
    (the member's pick): `rerun(self.schedule, prospect, when, minutes, format, place)`.
    The arguments are checked against the command's own parameters."""
    # discord.py types a callback as "with or without its cog"; `binding` says which.
    callback = cast("Callable[..., Awaitable[Any]]", command.callback)

    async def again(interaction: AnyInteraction) -> None:
        if command.binding is not None:
            await callback(command.binding, interaction, *args, **kwargs)
        else:
            await callback(interaction, *args, **kwargs)

    return again


OTHER = "other"
# An example to copy: the checker of suggested commands wants each complete.
SETTINGS_HINT = "`/settings timezone tz:Europe/Madrid` (type your city after tz: and pick)"


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A moment on the member's own clock, with the zone named: "Thu 3 Dec 15:00
    (America/New_York)". Shown beside a Discord timestamp, which carries the year."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M} ({tz.key})"


def zone_line(moment: datetime, tz: ZoneInfo) -> str:
    """The small line under a time the bot read: what it read, in which zone."""
    return f"-# Read as {local_time(moment, tz)}. Another zone? Set it with /settings timezone."


def _clock(moment: datetime, now: datetime, tz: ZoneInfo) -> str:
    """ "at 08:00", "tomorrow at 08:00" or "Thu 3 Dec at 08:00", on the member's clock."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        day = ""
    elif local.date() == today + timedelta(days=1):
        day = "tomorrow "
    else:
        day = f"{local:%a} {local.day} {local:%b} "
    return f"{day}at {local:%H:%M}"


DMS_OFF = (
    "Your reminder DMs are off, so none will come; `/settings reminders dms:True` turns "
    "them back on."
)


def dm_moment(
    due: datetime, now: datetime, settings: Settings, *, before: datetime | None = None
) -> datetime:
    """When a DM due at `due` is really sent for this member (`when_dm_goes` with their
    zone and quiet hours, as the reminder engine delivers). `before`: a moment the DM
    must precede (a prep DM's meeting)."""
    try:
        quiet = parse_clock(settings.quiet_start), parse_clock(settings.quiet_end)
    except ValueError:
        quiet = (time(0), time(0))  # unreadable quiet hours hold nothing, as in the engine
    return when_dm_goes(due, now, ZoneInfo(settings.timezone), *quiet, before=before)


def dm_time(
    due: datetime, now: datetime, settings: Settings, *, before: datetime | None = None
) -> str:
    """When a DM due at `due` will really come: "now"; the Discord timestamp when it
    comes as due; else on the member's clock with the reason: "at 08:00 (in 5 hours),
    after your quiet hours", "tomorrow at 21:45 (…), before your quiet hours". (With
    DMs off none comes: say `DMS_OFF` instead.)"""
    goes = dm_moment(due, now, settings, before=before)
    if goes <= now:
        return "now"
    wanted = max(due, now)
    if goes == wanted:
        return format_when(goes)
    tz = ZoneInfo(settings.timezone)
    why = "after" if goes > wanted else "before"
    return f"{_clock(goes, now, tz)} ({format_relative(goes)}), {why} your quiet hours"


def dm_note(due: datetime, now: datetime, settings: Settings) -> str:
    """'; the DM comes at 08:00 (…), after your quiet hours' to follow a time a DM is
    due, when quiet hours move it; "" when it comes on time or the time has passed (say
    when those come in words of their own)."""
    if due <= now or dm_moment(due, now, settings) == due:
        return ""
    return f"; the DM comes {dm_time(due, now, settings)}"


async def require_timezone(interaction: Interaction, *, continue_with: ContinueWith) -> bool:
    """Whether the member has chosen a time zone. If not, ask them (ephemeral, nothing
    stored) and return False: the command stops there, and `continue_with` runs it
    with the interaction of their pick. Nothing is ever read as UTC by default."""
    bot = bot_of(interaction)
    async with bot.stores.member(interaction.user.id) as store:
        chosen = await store.get_setting("timezone")
    if chosen is not None:
        return True
    command = interaction.command.qualified_name if interaction.command else None
    picker = ZonePicker(
        interaction.user.id,
        zones=likely_zones(str(interaction.locale)),
        now=bot.clock.now(),
        continue_with=continue_with,
        command=command,
    )
    await reply(interaction, picker.question(), view=picker)
    picker.interaction = interaction
    return False


class _ZoneSelect(discord.ui.Select["ZonePicker"]):
    """The likely zones, each with its time now, and "another zone"."""

    def __init__(self, zones: list[str], now: datetime) -> None:
        options = [
            discord.SelectOption(
                label=clip(name, SELECT_LABEL),
                value=name,
                description=f"{now.astimezone(ZoneInfo(name)):%H:%M %Z} there now",
            )
            for name in zones
        ]
        options.append(
            discord.SelectOption(
                label="Another zone…",
                value=OTHER,
                description="Type it, e.g. Europe/Madrid or America/Halifax",
            )
        )
        super().__init__(placeholder="Pick your time zone", options=options)

    async def callback(self, interaction: AnyInteraction) -> None:
        """Open the form for another zone, or settle the one picked."""
        assert self.view is not None
        if self.values[0] == OTHER:
            await interaction.response.send_modal(_OtherZone(self.view, interaction.user.id))
            return
        try:
            zone = resolve_timezone(self.values[0])
        except UnknownTimezone:  # a forged value: nothing offered reads like that
            raise UserError("Pick a zone from the list.") from None
        await self.view.chosen(interaction, zone)


class _OtherZone(GuardedModal):
    """A zone not in the list, typed."""

    zone: discord.ui.TextInput[_OtherZone] = discord.ui.TextInput(
        label="Your time zone", placeholder="e.g. Europe/Madrid, America/Halifax", max_length=64
    )

    def __init__(self, picker: ZonePicker, owner_id: int) -> None:
        super().__init__(
            owner_id, title="Your time zone", custom_id=f"timezone:other:{owner_id}:{id(picker)}"
        )
        self.picker = picker

    async def on_submit(self, interaction: AnyInteraction) -> None:
        """Resolve what was typed (strictly, as /settings timezone does) and settle it."""
        try:
            zone = resolve_timezone(self.zone.value)
        except UnknownTimezone as error:
            hint = f" Did you mean {', '.join(error.suggestions)}?" if error.suggestions else ""
            raise UserError(
                f'"{member_text(error.text)}" isn\'t a time zone I know.{hint} Pick '
                f"*Another zone…* again and type one of those, or use {SETTINGS_HINT}."
            ) from None
        await self.picker.chosen(interaction, zone)


class ZonePicker(OwnedView):
    """The first-use question: which zone the member is in. Picking one stores it and
    runs the command they had asked for."""

    def __init__(
        self,
        owner_id: int,
        *,
        zones: list[str],
        now: datetime,
        continue_with: ContinueWith,
        command: str | None,
    ) -> None:
        super().__init__(owner_id)
        self.continue_with = continue_with
        self.command = command
        self.add_item(_ZoneSelect(zones, now))

    def question(self) -> str:
        """The message that asks."""
        then = f"and I'll carry on with your **/{self.command}**" if self.command else "to go on"
        return (
            "**Which time zone are you in?** I read times such as “tomorrow 3pm” in it and "
            "send reminders at your local hours, so I ask once before storing any time. "
            f"Pick yours {then}.\n"
            f"-# Not listed? Choose *Another zone…* to type it, or set it with {SETTINGS_HINT}."
        )

    async def chosen(self, interaction: AnyInteraction, zone: ZoneInfo) -> None:
        """Store the zone, say so in place of the question, then carry on: the command's
        answer is the answer to this pick. (Once: a form for another zone sent after a
        pick only sets the zone.)"""
        bot = bot_of(interaction)
        async with bot.stores.member(interaction.user.id) as store:
            await store.set_settings(timezone=zone.key)
        first = not self.is_finished()
        self.stop()
        now = bot.clock.now().astimezone(zone)
        text = (
            f"Time zone set to **{zone.key}** (it's {now:%H:%M} there now). "
            "Change it any time with /settings timezone."
        )
        if self.interaction is not None:
            # The question was the command's answer: its token edits it for 15 minutes.
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.edit_original_response(content=text, view=None)
        if first:
            await self.continue_with(interaction)
        else:
            await reply(interaction, text)
