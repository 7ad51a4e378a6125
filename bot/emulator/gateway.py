"""The emulator's websocket gateway: HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeats, RESUME.

Payloads are sent as uncompressed JSON text frames, which discord.py accepts even when it
asked for ``compress=zlib-stream``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import Emulator

log = logging.getLogger(__name__)

# Gateway opcodes
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11

HEARTBEAT_INTERVAL_MS = 41250

# Intent bits that decide which message events a session receives.
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12


class GatewaySession:
    """One bot connection to the gateway."""

    def __init__(self, emu: Emulator, ws: web.WebSocketResponse) -> None:
        self.emu = emu
        self.ws = ws
        self.session_id: str = secrets.token_hex(16)
        self.sequence = 0
        self.intents = 0
        self.identified = False
        self._send_lock = asyncio.Lock()

    async def run(self) -> None:
        """Say HELLO and serve the connection until it closes."""
        await self.send({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
        async for msg in self.ws:
            if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                try:
                    payload = json.loads(msg.data)
                except (ValueError, UnicodeDecodeError):
                    log.error("gateway: undecodable frame %r", msg.data[:200])
                    await self.ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                await self.handle(payload)
            elif msg.type == WSMsgType.ERROR:
                log.debug("gateway: websocket error %s", self.ws.exception())
                break

    async def handle(self, payload: dict[str, Any]) -> None:
        """React to one payload the bot sent."""
        op = payload.get("op")
        data = payload.get("d")
        if op == HEARTBEAT:
            await self.send({"op": HEARTBEAT_ACK, "d": None})
        elif op == IDENTIFY:
            await self._identify(data or {})
        elif op == RESUME:
            await self._resume(data or {})
        elif op == REQUEST_GUILD_MEMBERS:
            await self._request_members(data or {})
        elif op in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            log.debug("gateway: ignoring op %s", op)
        else:
            log.warning("gateway: unknown opcode %s: %r", op, payload)

    async def _identify(self, data: dict[str, Any]) -> None:
        token = str(data.get("token", ""))
        if token.removeprefix("Bot ") != self.emu.token:
            log.error("gateway: IDENTIFY with a wrong token; closing with 4004")
            await self.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.intents = int(data.get("intents") or 0)
        self.identified = True
        ready: dict[str, Any] = {
            "v": 10,
            "user": {**self.emu.bot.payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.emu.guilds.values()],
            "session_id": self.session_id,
            "resume_gateway_url": self.emu.gateway_url,
            "application": {"id": str(self.emu.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "session_type": "normal",
            "auth": {},
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in list(self.emu.guilds.values()):
            await self.dispatch("GUILD_CREATE", guild.payload())
        self.emu._session_identified(self)

    async def _resume(self, data: dict[str, Any]) -> None:
        previous = self.emu._find_session(str(data.get("session_id")))
        token = str(data.get("token", "")).removeprefix("Bot ")
        if previous is None or token != self.emu.token:
            await self.send({"op": INVALID_SESSION, "d": False})
            return
        self.session_id = previous.session_id
        self.sequence = max(previous.sequence, int(data.get("seq") or 0))
        self.intents = previous.intents
        self.identified = True
        await self.dispatch("RESUMED", {})
        self.emu._session_identified(self)

    async def _request_members(self, data: dict[str, Any]) -> None:
        guild = self.emu.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        await self.dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": str(guild.id),
                "members": [m.payload() for m in guild.members.values()],
                "chunk_index": 0,
                "chunk_count": 1,
                "nonce": data.get("nonce"),
                "not_found": [],
            },
        )

    def wants_message_events(self, guild_id: int | None) -> bool:
        """Whether this session's intents ask for MESSAGE_* events in a guild (or DMs)."""
        bit = GUILD_MESSAGES if guild_id is not None else DIRECT_MESSAGES
        return bool(self.intents & bit)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) event with the next sequence number."""
        self.sequence += 1
        await self.send({"op": DISPATCH, "t": event, "s": self.sequence, "d": data})

    async def send(self, payload: dict[str, Any]) -> None:
        """Send one payload as a JSON text frame (no compression)."""
        if self.ws.closed:
            return
        async with self._send_lock:
            try:
                await self.ws.send_str(json.dumps(payload))
            except (ConnectionError, RuntimeError) as exc:
                log.debug("gateway: send failed: %s", exc)
