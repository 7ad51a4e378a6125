"""Sending one reminder's DM, exactly once: the nonce, the fingerprint, the history check.

Discord drops a repeated nonce from the same sender for a few minutes, so every try at
one reminder carries the same nonce (`nonce_for`). A DM that Discord accepted just before
a crash (or whose answer was lost in a timeout) would still be sent twice by a resend that
comes later than that window. So before any send of a reminder that was tried before (its
row has `tried_at`), the sender reads the member's DM channel from a little before that
first try and, if a message from the bot there has the fingerprint of one of those tries
(`dm_fingerprint`), reports it as already delivered instead of sending again. If the
history can't be read, it sends with the nonce: at most one duplicate, never a lost DM.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.models import Reminder
from bot.store.reminders import EarlierTries
from bot.ui.limits import CONTENT, clip

if TYPE_CHECKING:
    from bot.store import MemberStore

log = logging.getLogger(__name__)

DM_CHANNEL_SETTING = "dm_channel_id"

# Looking for an earlier try's DM before sending again: the history read starts this
# long before the first try (this host's clock and Discord's may differ a little) and
# reads at most HISTORY_LIMIT messages, oldest first: the DM is among the first after
# that moment unless the member wrote dozens of messages in those two minutes.
HISTORY_MARGIN = timedelta(minutes=2)
HISTORY_LIMIT = 50
HISTORY_TIMEOUT_SECONDS = 15.0

DM_CLOSED = 50007
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013
# Opening a DM with a user id that no longer exists (a deleted account): 400, this code.
INVALID_RECIPIENT = 50033
TOO_MANY_REQUESTS = 429


@dataclass
class Outgoing:
    """What a renderer wants sent: the DM's text, embed and buttons."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None


Renderer = Callable[["MemberStore", Reminder], Awaitable[Outgoing | None]]
# Told, with no store held, that a reminder's DM can never be delivered (see register).
Undelivered = Callable[[int, Reminder], Awaitable[None]]


@dataclass(slots=True)
class Claimed:
    """A reminder claimed for sending, with what to send and where."""

    reminder: Reminder
    channel_id: int | None
    # The message as handed to discord.py, the same on every try.
    kwargs: dict[str, Any]
    # Earlier sends of it that may have reached Discord: look for them before sending.
    earlier: EarlierTries | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    """A reminder's DM on Discord: the message, whether an earlier try had already
    delivered it, and the DM channel it is in."""

    message: discord.Message
    found_earlier: bool
    channel_id: int


def nonce_for(user_id: int, reminder_id: int) -> str:
    """The DM's nonce: the same for every attempt at one reminder, different for every
    other. Reminder ids are per member and Discord de-duplicates nonces per sender (the
    bot), so the member is part of it; hashed to fit Discord's 25 characters."""
    digest = hashlib.sha256(f"{user_id}:{reminder_id}".encode()).hexdigest()
    return f"r{digest[:24]}"


def dm_fingerprint(
    content: str | None, embeds: Iterable[discord.Embed], components: Iterable[Mapping[str, Any]]
) -> str:
    """A short, stable digest of what a DM shows: its text, each embed's title,
    description and footer, and the custom_ids of its components.

    How the sender recognises a reminder's DM in the channel's history, chosen over the
    alternatives:
      - the nonce: Discord doesn't return it when messages are read back;
      - a visible marker (an embed footer "ref r1a2b3", an extra button): clutter in the
        member's DM, and the prep and follow-up DMs have no component of their own whose
        custom_id could carry it;
      - comparing with what would be rendered now: a resend after a restart is rendered
        late (with a line saying so) and the data may have changed meanwhile.
    So the digest of exactly what was handed to Discord is stored in the row before each
    send (`tried_prints`) and compared with the digest of the messages read back; the
    parts kept are the ones Discord echoes unchanged (whitespace at the ends aside).
    Another of the bot's DMs with the same digest would have to carry the very same
    text, embed and buttons, and be sent within minutes of this reminder's first try.
    """
    custom_ids: list[str] = []
    stack = list(components)
    while stack:
        component = stack.pop()
        if component.get("custom_id"):
            custom_ids.append(str(component["custom_id"]))
        stack.extend(component.get("components") or ())
        if isinstance(component.get("accessory"), dict):
            stack.append(component["accessory"])
    shown = {
        "content": (content or "").strip(),
        "embeds": [
            [(part or "").strip() for part in (e.title, e.description, e.footer.text)]
            for e in embeds
        ],
        "custom_ids": sorted(custom_ids),
    }
    encoded = json.dumps(shown, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


def message_fingerprint(message: discord.Message) -> str:
    """The fingerprint of a message read back from Discord."""
    return dm_fingerprint(
        message.content,
        message.embeds,
        [dict(component.to_dict()) for component in message.components],
    )


def message_kwargs(user_id: int, reminder: Reminder, outgoing: Outgoing) -> dict[str, Any]:
    """What `channel.send` gets for a reminder's DM, the same on every try."""
    kwargs: dict[str, Any] = {
        "nonce": nonce_for(user_id, reminder.id),
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if outgoing.content:
        kwargs["content"] = clip(outgoing.content, CONTENT)
    if outgoing.embed is not None:
        kwargs["embed"] = outgoing.embed
    if outgoing.view is not None:
        kwargs["view"] = outgoing.view
    return kwargs


def outgoing_fingerprint(kwargs: dict[str, Any], outgoing: Outgoing) -> str:
    """The fingerprint of what is about to be handed to Discord."""
    return dm_fingerprint(
        kwargs.get("content"),
        [outgoing.embed] if outgoing.embed is not None else [],
        outgoing.view.to_components() if outgoing.view is not None else [],
    )


def retry_after_of(error: BaseException) -> float | None:
    """How long Discord asked the bot to wait, in seconds, if `error` is a rate limit
    (discord.py's RateLimited, or a 429 it gave up on); None for any other error."""
    if isinstance(error, discord.RateLimited):
        return error.retry_after
    if not isinstance(error, discord.HTTPException) or error.status != TOO_MANY_REQUESTS:
        return None
    headers = getattr(error.response, "headers", None) or {}
    try:
        return max(0.0, float(headers.get("Retry-After", 1.0)))
    except (TypeError, ValueError):
        return 1.0


def describe(error: BaseException) -> str:
    """A short description of a failed send, for the row's last_error and the log."""
    if isinstance(error, discord.HTTPException):
        return f"{type(error).__name__} {error.status} ({error.code}): {error.text}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


class DirectMessages:
    """Sends reminders' DMs through the bot's REST client, never one twice."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    async def send(self, user_id: int, claimed: Claimed) -> Delivered:
        """Send the DM, or find the earlier try's DM that already arrived.

        One request when the DM channel is known (its id is stored) and it wasn't tried
        before; two the first time: open the DM channel with the member's id alone
        (`POST /users/@me/channels`, no need to fetch the user first), then send.
        """
        channel_id = claimed.channel_id
        if channel_id is not None:
            channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
            try:
                return await self._send_to(channel, channel_id, user_id, claimed)
            except discord.NotFound as error:
                if error.code != UNKNOWN_CHANNEL:
                    raise
                log.info("reminders: member %s's DM channel is gone; opening another", user_id)
        dm = await self.bot.create_dm(discord.Object(id=user_id))
        channel = self.bot.get_partial_messageable(dm.id, type=discord.ChannelType.private)
        return await self._send_to(channel, dm.id, user_id, claimed)

    async def _send_to(
        self, channel: discord.PartialMessageable, channel_id: int, user_id: int, claimed: Claimed
    ) -> Delivered:
        """Send into `channel`, unless an earlier try's DM is there. When the DM channel
        had to be opened, it is looked at too: the try before may have opened it and its
        DM arrived there."""
        if claimed.earlier is not None:
            earlier = await self._find_earlier(channel, user_id, claimed.reminder, claimed.earlier)
            if earlier is not None:
                return Delivered(earlier, True, channel_id)
        return Delivered(await channel.send(**claimed.kwargs), False, channel_id)

    async def _find_earlier(
        self,
        channel: discord.PartialMessageable,
        user_id: int,
        reminder: Reminder,
        earlier: EarlierTries,
    ) -> discord.Message | None:
        """The bot's message in the DM channel that an earlier try of `reminder` created,
        or None: not there, or the history couldn't be read (the send then goes ahead
        with the nonce, so a reminder is never lost to avoid a duplicate)."""
        me = self.bot.user
        if me is None or not earlier.prints:
            return None
        try:
            async with asyncio.timeout(HISTORY_TIMEOUT_SECONDS):
                async for message in channel.history(
                    limit=HISTORY_LIMIT, after=earlier.since - HISTORY_MARGIN, oldest_first=True
                ):
                    if (
                        message.author.id == me.id
                        and message_fingerprint(message) in earlier.prints
                    ):
                        return message
        except Exception as error:  # never let the check cost the reminder
            log.warning(
                "reminders: couldn't read member %s's DMs to check %s was not delivered "
                "already (%s); sending it again with its nonce",
                user_id,
                reminder.id,
                describe(error),
            )
        return None
