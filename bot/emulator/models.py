"""Plain data objects that make up the emulator's world: users, guilds, channels, messages.

Everything here is in-memory state owned by :class:`bot.emulator.server.Emulator`. The
``payload`` methods render objects in the JSON shapes Discord's API uses, so discord.py can
parse them.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Message flags
EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Permission bits used by the emulator.
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 53) - 1

EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | SEND_MESSAGES_IN_THREADS

# Component types that are selects.
SELECT_TYPES = {3, 5, 6, 7, 8}


class SnowflakeGenerator:
    """Generates Discord-style snowflake ids that are strictly increasing."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        """Return a new snowflake, greater than any previously returned one."""
        with self._lock:
            now_ms = int(datetime.now(UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
            candidate = now_ms << 22
            if candidate <= self._last:
                candidate = self._last + 1
            self._last = candidate
            return candidate


def iso(dt: datetime) -> str:
    """Format an aware datetime the way Discord does (ISO 8601 with offset)."""
    return dt.isoformat()


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


@dataclass
class User:
    """A Discord user (a member of the club, or the bot itself)."""

    id: int
    name: str
    bot: bool = False
    locale: str = "en-US"  # their app's language, sent with each interaction

    def payload(self) -> dict[str, Any]:
        """The user object as Discord sends it."""
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass
class Role:
    """A guild role with a permission bitfield."""

    id: int
    name: str
    permissions: int
    position: int = 0

    def payload(self) -> dict[str, Any]:
        """The role object as Discord sends it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Channel:
    """A guild text channel (type 0) or a DM channel (type 1)."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    recipient: User | None = None
    position: int = 0

    def payload(self, *, permissions: int | None = None) -> dict[str, Any]:
        """The channel object as Discord sends it."""
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "flags": 0}
        if self.type == 1:
            data["recipients"] = [self.recipient.payload()] if self.recipient else []
            data["last_message_id"] = None
        else:
            data.update(
                {
                    "name": self.name,
                    "guild_id": str(self.guild_id),
                    "position": self.position,
                    "permission_overwrites": [],
                    "parent_id": None,
                    "nsfw": False,
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                }
            )
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Member:
    """A user's membership in a guild."""

    user: User
    role_ids: list[int] = field(default_factory=list)
    joined_at: datetime = field(default_factory=now)

    def payload(self, *, include_user: bool = True) -> dict[str, Any]:
        """The guild member object as Discord sends it."""
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "nick": None,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if include_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Guild:
    """A guild (server) with roles, text channels and members."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    created_at: datetime = field(default_factory=now)

    @property
    def channel_id(self) -> int:
        """The id of the guild's first text channel ("general")."""
        return next(iter(self.channels))

    def permissions_of(self, user_id: int) -> int:
        """The guild-level permission bitfield of a member (ALL if administrator)."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = self.roles[self.id].permissions
        for role_id in member.role_ids:
            perms |= self.roles[role_id].permissions
        if user_id == self.owner_id or perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    def payload(self) -> dict[str, Any]:
        """The full GUILD_CREATE payload."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "system_channel_id": str(self.channel_id),
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "features": [],
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "members": [m.payload() for m in self.members.values()],
            "member_count": len(self.members),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "lazy": True,
            "joined_at": iso(self.created_at),
            "application_id": None,
            "max_members": 500000,
            "nsfw": False,
            "premium_progress_bar_enabled": False,
        }


@dataclass
class Attachment:
    """A file attached to a message (by the bot) or to an interaction option (by a member)."""

    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    url: str = ""
    ephemeral: bool = False

    def payload(self) -> dict[str, Any]:
        """The attachment object as Discord sends it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        if self.ephemeral:
            data["ephemeral"] = True
        return data


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield every component in a (possibly nested) component tree, depth first."""
    for component in components or []:
        yield component
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            child = component.get(key)
            if isinstance(child, dict):
                yield from walk_components([child])


@dataclass
class Message:
    """A message the bot created, updated in place when the bot edits it.

    Attributes mirror Discord's message object; ``embeds`` and ``components`` are the raw
    dicts the bot sent, ``files`` is a list of ``(filename, bytes)``.
    """

    id: int
    channel_id: int
    author: User
    guild_id: int | None = None
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    nonce: str | None = None
    tts: bool = False
    interaction_id: int | None = None
    interaction_user: User | None = None
    interaction_type: int | None = None
    webhook_id: int | None = None
    type: int = 0
    created_at: datetime = field(default_factory=now)
    edited_at: datetime | None = None
    deleted: bool = False
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        """Whether the message is ephemeral (only visible to the invoking user)."""
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether this is a deferred "Bot is thinking..." message not yet edited."""
        return bool(self.flags & LOADING)

    @property
    def files(self) -> list[tuple[str, bytes]]:
        """The attached files as ``(filename, bytes)`` pairs."""
        return [(a.filename, a.data) for a in self.attachments]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button on the message, flattened: label, custom_id, style, disabled, url, emoji."""
        return [
            {
                "label": c.get("label"),
                "custom_id": c.get("custom_id"),
                "style": c.get("style"),
                "disabled": bool(c.get("disabled", False)),
                "url": c.get("url"),
                "emoji": c.get("emoji"),
            }
            for c in walk_components(self.components)
            if c.get("type") == 2
        ]

    @property
    def selects(self) -> list[dict[str, Any]]:
        """Every select menu on the message (raw component dicts, in order)."""
        return [c for c in walk_components(self.components) if c.get("type") in SELECT_TYPES]

    @property
    def text(self) -> str:
        """Content plus embed authors/titles/descriptions/fields/footers, joined by newlines."""
        return message_text(self.content, self.embeds)

    def payload(self) -> dict[str, Any]:
        """The message object as Discord sends it."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": iso(self.edited_at) if self.edited_at else None,
            "tts": self.tts,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "reactions": [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction_id is not None and self.interaction_user is not None:
            data["interaction_metadata"] = {
                "id": str(self.interaction_id),
                "type": self.interaction_type or 2,
                "user": self.interaction_user.payload(),
                "authorizing_integration_owners": {},
            }
        return data


def message_text(content: str | None, embeds: list[dict[str, Any]]) -> str:
    """Join message content and the human-readable parts of embeds into one string."""
    parts: list[str] = [content] if content else []
    for embed in embeds or []:
        author = (embed.get("author") or {}).get("name")
        for value in (author, embed.get("title"), embed.get("description")):
            if value:
                parts.append(str(value))
        for fld in embed.get("fields") or []:
            parts.append(f"{fld.get('name', '')}\n{fld.get('value', '')}")
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            parts.append(str(footer))
    return "\n".join(parts)


@dataclass
class BotResponse:
    """One thing the bot did in answer to an interaction (callback, followup, edit, delete)."""

    kind: str
    """"callback", "followup", "edit_original", "edit_followup", "delete_original",
    "delete_followup"."""
    type: int | None
    """The callback type for ``kind == "callback"`` (4 message, 5/6 defer, 7 update, 8
    autocomplete, 9 modal), else None."""
    data: dict[str, Any]
    """The JSON the bot sent (``data`` of the callback, or the webhook message body)."""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    message_id: int | None = None
    at: datetime = field(default_factory=now)

    @property
    def content(self) -> str | None:
        """The content field sent, if any."""
        return self.data.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The embeds sent, if any."""
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        """The components sent, if any."""
        return self.data.get("components") or []

    @property
    def flags(self) -> int:
        """The message flags sent (64 = ephemeral)."""
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """Whether the bot asked for an ephemeral message."""
        return bool(self.flags & EPHEMERAL)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """The allowed_mentions object sent, if any."""
        return self.data.get("allowed_mentions")


@dataclass
class InteractionRecord:
    """An interaction the driver sent, and the full history of how the bot answered it."""

    id: int
    token: str
    type: int
    user: User
    channel_id: int
    guild_id: int | None
    payload: dict[str, Any]
    responses: list[BotResponse] = field(default_factory=list)
    callback_type: int | None = None
    component_message_id: int | None = None
    """For component and modal interactions: the message the component was attached to."""
    original_message_id: int | None = None
    """The interaction's response message (@original), once the bot has answered."""
    followup_ids: list[int] = field(default_factory=list)
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    settled: bool = False
    rejections: list[str] = field(default_factory=list)
    answered_in: float | None = None
    """Seconds from the INTERACTION_CREATE's dispatch until the driver saw the answer
    settled (set by the driver)."""

    @property
    def deferred(self) -> bool:
        """Whether the bot answered with a deferral (type 5 or 6)."""
        return self.callback_type in (5, 6)


class Counter:
    """A tiny thread-safe counter (used for attachment file indexes and request counts)."""

    def __init__(self) -> None:
        self._it = itertools.count(1)

    def next(self) -> int:
        """Return the next integer, starting at 1."""
        return next(self._it)
