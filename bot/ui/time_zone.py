"""The member's time zone, asked for the first time a command reads a time, and how
replies say which zone they read a time in and when a promised DM will come.

Every command that reads a typed time or stores something timed starts with
`require_timezone`: a member who never chose a zone is asked (an ephemeral select of
likely zones, hinted by their app's language) instead of having "tomorrow 3pm" read
silently as UTC; once they pick, the command carries on as if they had just run it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord

from bot.domain.business_days import parse_clock, when_dm_goes
from bot.domain.models import Settings
from bot.domain.timezones import UnknownTimezone, resolve_timezone
from bot.domain.zone_hints import likely_zones
from bot.types import AnyInteraction, Interaction, bot_of
from bot.ui.components import GuardedModal, OwnedView
from bot.ui.errors import UserError
from bot.ui.limits import SELECT_LABEL, clip
from bot.ui.respond import reply

__all__ = [
    "DMS_OFF",
    "ContinueWith",
    "ZonePicker",
    "dm_time",
    "local_time",
    "require_timezone",
    "zone_line",
]

ContinueWith = Callable[[AnyInteraction], Awaitable[None]]
"""What the member asked for, run again with the interaction of their pick."""

OTHER = "other"
SETTINGS_HINT = "`/settings timezone tz:` (it autocompletes)"


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A moment on the member's own clock, with the zone named: "Thu 3 Dec 15:00
    (America/New_York)" (the year too when it isn't this one is left to the Discord
    timestamp shown beside it)."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M} ({tz.key})"


def zone_line(moment: datetime, tz: ZoneInfo) -> str:
    """The small line under a time the bot read: what it read, in which zone."""
    return f"-# Read as {local_time(moment, tz)}. Another zone? `/settings timezone`"


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


def dm_time(
    due: datetime, now: datetime, settings: Settings, *, before: datetime | None = None
) -> str:
    """When a DM due at `due` will really come, in the member's local time: "now", "at
    08:00, after your quiet hours", "tomorrow at 21:45, before your quiet hours" or
    "Thu 3 Dec at 07:30". `before`: a moment the DM must precede (a prep DM's meeting).
    Computed by `when_dm_goes`, as the reminder engine delivers. (With DMs off none
    comes: say `DMS_OFF` instead.)"""
    tz = ZoneInfo(settings.timezone)
    try:
        quiet = parse_clock(settings.quiet_start), parse_clock(settings.quiet_end)
    except ValueError:
        quiet = (time(0), time(0))  # unreadable quiet hours hold nothing, as in the engine
    goes = when_dm_goes(due, now, tz, *quiet, before=before)
    if goes <= now:
        return "now"
    wanted = max(due, now)
    if goes > wanted:
        return f"{_clock(goes, now, tz)}, after your quiet hours"
    if goes < wanted:
        return f"{_clock(goes, now, tz)}, before your quiet hours"
    return _clock(goes, now, tz)


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
                f'"{error.text}" isn\'t a time zone I know.{hint} Pick *Another zone…* again '
                f"and type one of those, or use {SETTINGS_HINT}."
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
        then = f"and I'll carry on with your `/{self.command}`" if self.command else "to go on"
        return (
            "**Which time zone are you in?** I read times such as “tomorrow 3pm” in it and "
            "send reminders at your local hours, so I ask once before storing any time. "
            f"Pick yours {then}.\n"
            f"-# Not listed? Choose *Another zone…* to type it, or set it with {SETTINGS_HINT}."
        )

    async def chosen(self, interaction: AnyInteraction, zone: ZoneInfo) -> None:
        """Store the zone, say so in place of the question, then carry on (once: a form
        for another zone sent after a pick only sets the zone)."""
        bot = bot_of(interaction)
        async with bot.stores.member(interaction.user.id) as store:
            await store.set_settings(timezone=zone.key)
        first = not self.is_finished()
        self.stop()
        now = bot.clock.now().astimezone(zone)
        text = (
            f"Time zone set to **{zone.key}** (it's {now:%H:%M} there now). "
            "Change it any time with `/settings timezone`."
        )
        if interaction.message is not None:
            await interaction.response.edit_message(content=text, view=None)
        else:
            await interaction.response.send_message(text, ephemeral=True)
        if first:
            await self.continue_with(interaction)
