"""The local Discord emulator: an aiohttp REST API plus a websocket gateway on 127.0.0.1.

The real, unmodified discord.py client talks to it once ``discord.http.Route.BASE`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` point here (see
:func:`bot.emulator.harness.running_bot`). Tests and the sandbox set the world up with
:meth:`Emulator.add_guild` / :meth:`Emulator.add_user`, act as members through
:class:`bot.emulator.driver.Driver`, and assert on what the bot sent with
:meth:`Emulator.dms`, :meth:`Emulator.channel_messages` and :attr:`Emulator.interactions`.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from aiohttp import web

from .gateway import GatewaySession
from .models import (
    BOT_PERMISSIONS,
    EPHEMERAL,
    EVERYONE_PERMISSIONS,
    LOADING,
    MANAGE_GUILD,
    Attachment,
    BotResponse,
    Channel,
    Guild,
    InteractionRecord,
    Member,
    Message,
    Role,
    SnowflakeGenerator,
    User,
    now,
)
from .ratelimits import GLOBAL_PER_SECOND, INTERACTION_PREFIXES, RateLimits
from .rest import API_PREFIX, RestApi

log = logging.getLogger(__name__)

NONCE_WINDOW = timedelta(minutes=5)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

RateLimitRule = int | bool | Callable[[str, str], bool] | None


@dataclass
class RequestLog:
    """One REST request the bot made: method, path (below /api/v10), query, JSON body, status."""

    method: str
    path: str
    query: dict[str, str]
    json: Any = None
    status: int | None = None
    at: datetime = field(default_factory=now)


@dataclass
class Violation:
    """Something the bot sent that real Discord would reject (recorded and answered with 400)."""

    method: str
    path: str
    code: int
    message: str
    errors: dict[str, Any]
    details: list[str]

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.message} ({self.code}): " + "; ".join(
            self.details
        )


class Emulator:
    """A fake Discord (REST + gateway) for one bot application.

    Use ``async with Emulator() as emu:`` or ``await emu.start()`` / ``await emu.stop()``.
    Like Discord it enforces the global rate limit (``global_rate_limit`` requests a
    second, None for none) and per-route buckets with their headers
    (``route_rate_limits``), answering 429 past them.
    """

    def __init__(
        self,
        token: str = "emulator-token",  # noqa: S107 - a fake token for a local fake Discord
        *,
        bot_name: str = "Interview Bot",
        port: int = 0,
        host: str = "127.0.0.1",
        global_rate_limit: int | None = GLOBAL_PER_SECOND,
        route_rate_limits: bool = True,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.snowflakes = SnowflakeGenerator()
        self.bot = User(self.snowflakes.next(), bot_name, bot=True)
        self._application_id = self.bot.id
        self.owner = User(self.snowflakes.next(), "Application Owner")
        """The application's owner (``bot.is_owner``); replace it to make a test user own it."""
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.attachments: dict[int, Attachment] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.requests: list[RequestLog] = []
        self.violations: list[Violation] = []
        self.unknown_routes: list[str] = []
        self.rate_limited: list[str] = []
        """Every request answered 429, as "METHOD path" (forced ones and real ones)."""
        self.rate_limits = RateLimits(global_rate_limit, route_rate_limits)
        """Discord's global limit and per-route buckets (see bot/emulator/ratelimits.py);
        change ``rate_limits.global_per_second`` or ``rate_limits.routes`` at any time."""
        self.rate_limit_retry_after = 0.05
        self._interactions_by_token: dict[str, InteractionRecord] = {}
        self._channel_messages: dict[int, list[Message]] = {}
        self._dm_channels: dict[int, Channel] = {}
        self._closed_dms: set[int] = set()
        self._nonces: dict[tuple[int, str], Message] = {}
        self._rate_rule: RateLimitRule = None
        self._rate_count = 0
        self._sessions: list[GatewaySession] = []
        self._changed: asyncio.Condition | None = None
        self._ready: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._api = RestApi(self)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start serving REST and the gateway on ``host:port`` (port 0 picks a free port)."""
        app = web.Application(middlewares=[self._api.middleware], client_max_size=64 * 1024**2)
        app.router.add_get("/", self._gateway_handler)
        self._api.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]
        log.info("Discord emulator listening on %s", self.rest_base)

    async def stop(self) -> None:
        """Close gateway connections and stop the HTTP server."""
        for session in list(self._sessions):
            if not session.ws.closed:
                await session.ws.close(code=4000, message=b"Emulator shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ addresses & ids

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the emulator."""
        return f"http://{self.host}:{self.port}"

    @property
    def rest_base(self) -> str:
        """Value for ``discord.http.Route.BASE``, e.g. ``http://127.0.0.1:PORT/api/v10``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``, e.g. ``ws://127.0.0.1:PORT/``."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def application_id(self) -> int:
        """The bot's application id (equal to the bot user id, as for modern Discord apps)."""
        return self._application_id

    @property
    def bot_user_id(self) -> int:
        """The bot user's id."""
        return self.bot.id

    @property
    def connected(self) -> bool:
        """Whether a bot session has identified on the gateway."""
        return any(s.identified and not s.ws.closed for s in self._sessions)

    # ------------------------------------------------------------------ world setup

    def add_guild(
        self,
        name: str,
        *,
        channels: Iterable[str] = ("general",),
        guild_id: int | None = None,
    ) -> Guild:
        """Create a guild with an @everyone role, text channel(s) and the bot as a member.

        ``guild_id`` fixes the guild's id (e.g. to keep it across runs); by default a new
        snowflake is minted.
        """
        if guild_id is None:
            guild_id = self.snowflakes.next()
        elif guild_id in self.guilds:
            raise ValueError(f"a guild with id {guild_id} already exists")
        guild = Guild(id=guild_id, name=name, owner_id=self.snowflakes.next())
        guild.roles[guild_id] = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS)
        bot_role = Role(self.snowflakes.next(), self.bot.name, BOT_PERMISSIONS, position=1)
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot.id] = Member(self.bot, [bot_role.id])
        self.guilds[guild_id] = guild
        for channel_name in channels:
            self.add_channel(guild, channel_name)
        if self.connected:
            # A guild joined mid-session arrives without "unavailable" (discord.py: guild_join).
            payload = guild.payload()
            payload.pop("unavailable")
            self._schedule(self._dispatch_all("GUILD_CREATE", payload))
        return guild

    def add_channel(self, guild: Guild, name: str) -> Channel:
        """Add a text channel to a guild."""
        channel = Channel(
            id=self.snowflakes.next(),
            type=0,
            name=name,
            guild_id=guild.id,
            position=len(guild.channels),
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        self._channel_messages[channel.id] = []
        return channel

    def add_user(
        self,
        name: str,
        *,
        manage_guild: bool = False,
        guild: Guild | Iterable[Guild] | None = None,
        user_id: int | None = None,
        locale: str = "en-US",
    ) -> User:
        """Create a user and make them a member of ``guild`` (one or several; default all).

        ``manage_guild=True`` gives them a "Managers" role with the MANAGE_GUILD permission.
        ``user_id`` fixes the user's id (e.g. to keep it across runs); by default a new
        snowflake is minted. ``locale`` is their Discord app's language, sent with each of
        their interactions ("en-GB", "de"…).
        """
        if user_id is None:
            user_id = self.snowflakes.next()
        elif user_id in self.users:
            raise ValueError(f"a user with id {user_id} already exists")
        user = User(user_id, name, locale=locale)
        self.users[user.id] = user
        if guild is None:
            guilds = list(self.guilds.values())
        elif isinstance(guild, Guild):
            guilds = [guild]
        else:
            guilds = list(guild)
        for g in guilds:
            self.add_member(g, user, manage_guild=manage_guild)
        return user

    def add_member(self, guild: Guild, user: User, *, manage_guild: bool = False) -> Member:
        """Make an existing user a member of a guild."""
        roles: list[int] = []
        if manage_guild:
            role = next((r for r in guild.roles.values() if r.name == "Managers"), None)
            if role is None:
                role = Role(self.snowflakes.next(), "Managers", MANAGE_GUILD, position=2)
                guild.roles[role.id] = role
            roles.append(role.id)
        member = Member(user, roles)
        guild.members[user.id] = member
        return member

    def inject_message(
        self,
        channel_id: int,
        *,
        author: User | None = None,
        content: str = "",
        components: list[dict[str, Any]] | None = None,
        embeds: list[dict[str, Any]] | None = None,
    ) -> Message:
        """Put a message in a channel as if ``author`` (default: the bot) had sent it.

        For tests that forge what a client could present to the bot, e.g. a message in
        one member's DMs carrying buttons copied from another's. Connected sessions get
        its MESSAGE_CREATE; components are stored as given, not validated.
        """
        channel = self.channels[channel_id]
        data = {"content": content, "components": components or [], "embeds": embeds or []}
        return self._create_message(channel, data, [], author=author)

    def close_dms(self, user: User, closed: bool = True) -> None:
        """Make the bot's DMs to ``user`` fail with 403 code 50007 (or re-open them)."""
        if closed:
            self._closed_dms.add(user.id)
        else:
            self._closed_dms.discard(user.id)

    def forget_nonces(self) -> None:
        """Let Discord's nonce window (NONCE_WINDOW) pass for every message sent so far:
        a repeated nonce now creates a new message, as after a long outage."""
        self._nonces.clear()

    def set_rate_limit(self, rule: RateLimitRule, *, retry_after: float = 0.05) -> None:
        """Besides the real limits (``rate_limits``), answer some REST requests with a
        global 429, exactly as Discord does.

        ``rule`` is ``None``/``False`` (off), ``True`` (the next request only), an int ``n``
        (every n-th request from now on) or ``callable(method, path) -> bool``. Interaction
        callbacks and webhooks are exempt, as on Discord. ``retry_after`` is in seconds.
        """
        self._rate_rule = rule
        self._rate_count = 0
        self.rate_limit_retry_after = retry_after

    def dm_channel(self, user: User) -> Channel:
        """The bot's DM channel with ``user`` (created on first use)."""
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = Channel(id=self.snowflakes.next(), type=1, recipient=user)
            self._dm_channels[user.id] = channel
            self.channels[channel.id] = channel
            self._channel_messages[channel.id] = []
        return channel

    def upload_attachment(
        self, filename: str, data: bytes, *, ephemeral: bool = False
    ) -> Attachment:
        """Store a file served at ``GET /attachments/{id}/{filename}`` and return it."""
        attachment_id = self.snowflakes.next()
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        attachment = Attachment(
            id=attachment_id,
            filename=filename,
            data=data,
            content_type=content_type,
            # Any name a member gives the file stays one path segment, as on Discord's CDN.
            url=f"{self.base_url}/attachments/{attachment_id}/{quote(filename, safe='')}",
            ephemeral=ephemeral,
        )
        self.attachments[attachment_id] = attachment
        return attachment

    # ------------------------------------------------------------------ queries

    def user(self, user_id: int) -> User | None:
        """Look a user up by id."""
        return self.users.get(user_id)

    def channel_messages(self, channel_id: int, *, include_deleted: bool = False) -> list[Message]:
        """Messages in a channel, oldest first (ephemeral interaction replies included)."""
        return [
            m
            for m in self._channel_messages.get(channel_id, [])
            if include_deleted or not m.deleted
        ]

    def dms(self, user: User, *, interactions: bool = True) -> list[Message]:
        """Messages in ``user``'s DM channel with the bot, oldest first.

        With ``interactions=False`` only messages the bot sent on its own (not replies to
        slash commands or buttons used in the DM) are returned.
        """
        channel = self._dm_channels.get(user.id)
        if channel is None:
            return []
        return [
            m for m in self.channel_messages(channel.id) if interactions or m.interaction_id is None
        ]

    def commands(self, guild: Guild | int | None = None) -> list[dict[str, Any]]:
        """The synced command schemas: global ones, or one guild's guild-only commands."""
        if guild is None:
            return list(self.global_commands)
        guild_id = guild if isinstance(guild, int) else guild.id
        return list(self.guild_commands.get(guild_id, []))

    def interaction(self, interaction_id: int) -> InteractionRecord | None:
        """Look up an interaction's record (what the bot answered) by id."""
        return self.interactions.get(interaction_id)

    # ------------------------------------------------------------------ waiting

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def notify(self) -> None:
        """Wake everything waiting in :meth:`wait_for` (called whenever state changes)."""
        cond = self._condition()
        async with cond:
            cond.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float) -> Any:
        """Wait until ``predicate()`` is truthy and return its value; TimeoutError after
        ``timeout`` seconds. Woken by every recorded change, never by polling."""
        cond = self._condition()
        async with asyncio.timeout(timeout), cond:
            while True:
                value = predicate()
                if value:
                    return value
                await cond.wait()

    async def wait_until_connected(self, timeout: float = 10) -> None:
        """Wait until a bot session has identified and received its guilds."""
        await self.wait_for(lambda: self.connected, timeout)

    # ------------------------------------------------------------------ gateway

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0, compress=False)
        if not ws.can_prepare(request).ok:
            return web.Response(text="Discord emulator: connect with a websocket.", status=400)
        await ws.prepare(request)
        session = GatewaySession(self, ws)
        self._sessions.append(session)
        log.debug("gateway: connection opened (%s)", request.query_string)
        try:
            await session.run()
        finally:
            session.identified = False
            log.debug("gateway: connection closed (code %s)", ws.close_code)
        return ws

    def _session_identified(self, session: GatewaySession) -> None:
        self._schedule(self.notify())

    def _find_session(self, session_id: str) -> GatewaySession | None:
        return next((s for s in self._sessions if s.session_id == session_id), None)

    def _live_sessions(self) -> list[GatewaySession]:
        return [s for s in self._sessions if s.identified and not s.ws.closed]

    async def _dispatch_all(self, event: str, data: dict[str, Any]) -> None:
        for session in self._live_sessions():
            await session.dispatch(event, data)

    async def _dispatch_message_event(self, event: str, message: Message) -> None:
        if message.ephemeral:
            return
        data = message.payload()
        if event == "MESSAGE_DELETE":
            data = {"id": str(message.id), "channel_id": str(message.channel_id)}
            if message.guild_id is not None:
                data["guild_id"] = str(message.guild_id)
        for session in self._live_sessions():
            if session.wants_message_events(message.guild_id):
                await session.dispatch(event, data)

    def _schedule(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ------------------------------------------------------------------ interactions

    def new_interaction(
        self,
        *,
        type: int,
        user: User,
        data: dict[str, Any],
        guild: Guild | None = None,
        channel_id: int | None = None,
        message: Message | None = None,
    ) -> InteractionRecord:
        """Build (but do not send) an INTERACTION_CREATE payload from ``user``.

        With a ``guild`` the interaction happens in ``channel_id`` (default: the guild's
        first text channel) and carries a ``member``; without one it happens in the user's
        DM with the bot and carries a ``user``.
        """
        interaction_id = self.snowflakes.next()
        token = f"emu{interaction_id}{secrets.token_urlsafe(32)}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": type,
            "data": data,
            "token": token,
            "version": 1,
            "locale": user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            member = guild.members.get(user.id)
            if member is None:
                raise ValueError(f"{user.name} is not a member of guild {guild.name!r}")
            channel = self.channels[channel_id or guild.channel_id]
            permissions = guild.permissions_of(user.id)
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                    "guild_locale": "en-US",
                    "channel_id": str(channel.id),
                    "channel": channel.payload(permissions=permissions),
                    "member": {**member.payload(), "permissions": str(permissions)},
                    "app_permissions": str(guild.permissions_of(self.bot.id)),
                    "authorizing_integration_owners": {"0": str(guild.id)},
                    "context": 0,
                }
            )
        else:
            channel = self.dm_channel(user)
            payload.update(
                {
                    "channel_id": str(channel.id),
                    "channel": channel.payload(),
                    "user": user.payload(),
                    "app_permissions": str(BOT_PERMISSIONS),
                    "authorizing_integration_owners": {"0": str(user.id)},
                    "context": 1,
                }
            )
        if message is not None:
            payload["message"] = message.payload()
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=type,
            user=user,
            channel_id=channel.id,
            guild_id=guild.id if guild else None,
            payload=payload,
            component_message_id=message.id if message is not None else None,
        )
        return record

    async def send_interaction(self, record: InteractionRecord) -> None:
        """Register ``record`` and dispatch its INTERACTION_CREATE to the connected bot."""
        sessions = self._live_sessions()
        if not sessions:
            raise RuntimeError("no bot is connected to the emulator's gateway")
        self.interactions[record.id] = record
        self._interactions_by_token[record.token] = record
        await sessions[0].dispatch("INTERACTION_CREATE", record.payload)

    def _interaction_for_token(self, token: str) -> InteractionRecord | None:
        return self._interactions_by_token.get(token)

    # ------------------------------------------------------------------ recording messages

    def _make_attachments(
        self, data: dict[str, Any], files: list[tuple[str, bytes, str | None]]
    ) -> list[Attachment]:
        """Turn uploaded ``files[n]`` parts into stored attachments (honouring
        ``attachments[].filename/description`` from the JSON payload)."""
        meta = {str(a.get("id")): a for a in data.get("attachments") or [] if isinstance(a, dict)}
        result = []
        for index, (filename, content, content_type) in enumerate(files):
            info = meta.get(str(index), {})
            attachment = self.upload_attachment(info.get("filename") or filename, content)
            if content_type and content_type != "application/octet-stream":
                attachment.content_type = content_type
            attachment.description = info.get("description")
            result.append(attachment)
        return result

    def _create_message(
        self,
        channel: Channel,
        data: dict[str, Any],
        files: list[tuple[str, bytes, str | None]],
        *,
        record: InteractionRecord | None = None,
        extra_flags: int = 0,
        author: User | None = None,
    ) -> Message:
        flags = int(data.get("flags") or 0) | extra_flags
        message = Message(
            id=self.snowflakes.next(),
            channel_id=channel.id,
            author=author or self.bot,
            guild_id=channel.guild_id,
            content=data.get("content") or "",
            embeds=list(data.get("embeds") or []),
            components=list(data.get("components") or []),
            attachments=self._make_attachments(data, files),
            flags=flags,
            allowed_mentions=data.get("allowed_mentions"),
            nonce=str(data["nonce"]) if data.get("nonce") is not None else None,
            tts=bool(data.get("tts")),
        )
        if data.get("message_reference"):
            message.type = 19
        if record is not None:
            message.interaction_id = record.id
            message.interaction_user = record.user
            message.interaction_type = record.type
            message.webhook_id = self.application_id
            if record.type == 2 and record.callback_type in (4, 5):
                message.type = 20
        self.messages[message.id] = message
        self._channel_messages.setdefault(channel.id, []).append(message)
        self._schedule(self._dispatch_message_event("MESSAGE_CREATE", message))
        return message

    def _edit_message(
        self, message: Message, data: dict[str, Any], files: list[tuple[str, bytes, str | None]]
    ) -> Message:
        message.edits.append(dict(data))
        for key in ("content", "embeds", "components"):
            if key in data:
                value = data[key]
                setattr(message, key, (value or "") if key == "content" else list(value or []))
        if "allowed_mentions" in data:
            message.allowed_mentions = data["allowed_mentions"]
        if "flags" in data and data["flags"] is not None:
            # Only non-ephemeral flags may change; ephemerality is fixed at creation.
            keep = message.flags & EPHEMERAL
            message.flags = (int(data["flags"]) & ~EPHEMERAL & ~LOADING) | keep
        new_attachments = self._make_attachments(data, files)
        if "attachments" in data:
            # Existing attachments survive only if listed by id (new files are listed by index).
            listed = {str(a.get("id")) for a in data["attachments"] or [] if isinstance(a, dict)}
            message.attachments = [a for a in message.attachments if str(a.id) in listed]
        message.attachments.extend(new_attachments)
        message.flags &= ~LOADING
        message.edited_at = now()
        self._schedule(self._dispatch_message_event("MESSAGE_UPDATE", message))
        return message

    def _delete_message(self, message: Message) -> None:
        message.deleted = True
        self._schedule(self._dispatch_message_event("MESSAGE_DELETE", message))

    def _record_response(self, record: InteractionRecord, response: BotResponse) -> None:
        record.responses.append(response)
        log.debug(
            "interaction %s: bot %s type=%s content=%r",
            record.id,
            response.kind,
            response.type,
            (response.content or "")[:80],
        )

    def _find_nonce(self, author_id: int, nonce: str) -> Message | None:
        message = self._nonces.get((author_id, nonce))
        if message is not None and now() - message.created_at <= NONCE_WINDOW:
            return message
        return None

    def _is_dm_closed(self, channel: Channel) -> bool:
        return (
            channel.type == 1
            and channel.recipient is not None
            and (channel.recipient.id in self._closed_dms)
        )

    def _should_rate_limit(self, method: str, path: str) -> bool:
        rule = self._rate_rule
        if rule is None or rule is False:
            return False
        if path.startswith(INTERACTION_PREFIXES):
            return False
        if rule is True:
            self._rate_rule = None
            return True
        if callable(rule):
            return bool(rule(method, path))
        self._rate_count += 1
        return rule > 0 and self._rate_count % rule == 0
