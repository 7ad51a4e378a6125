"""The bot's heartbeat: a small file saying it is alive, for a container's HEALTHCHECK
and systemd's watchdog (`python -m bot health` reads it).

While the bot runs it rewrites DATA_DIR/heartbeat.json every BEAT_EVERY, and at once
when the gateway connects or drops: whether it is connected to Discord (and since
when), whether the reminder scheduler runs, when the last gateway event came, the
version. A beat that stops coming means the process died or its event loop hangs; the
file is removed on a clean shutdown. Under systemd (NOTIFY_SOCKET set, `Type=notify`)
each healthy beat also pings the watchdog (`WATCHDOG=1`), and READY=1 is sent once the
bot is connected and ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import version
from bot.clock import Clock

if TYPE_CHECKING:
    from bot.client import InterviewBot

log = logging.getLogger(__name__)

HEARTBEAT_FILE = "heartbeat.json"
BEAT_EVERY = timedelta(seconds=15)
# A heartbeat older than this means the bot stopped or hangs (four beats missed).
STALE_AFTER = timedelta(seconds=60)
# discord.py reconnects by itself after a drop; only a longer outage is unhealthy.
GATEWAY_GRACE = timedelta(minutes=2)


def notify(*lines: str) -> bool:
    """Tell systemd (sd_notify): READY=1, WATCHDOG=1, STATUS=…; whether it was sent.
    A no-op outside a `Type=notify` unit (no NOTIFY_SOCKET)."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not lines:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall("\n".join(lines).encode())
    except OSError as error:
        log.warning("couldn't notify systemd (%s)", error)
        return False
    return True


class Heartbeat:
    """Writes the heartbeat file while the bot runs: `async with Heartbeat(bot, dir):`."""

    def __init__(
        self,
        bot: InterviewBot,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        every: timedelta = BEAT_EVERY,
        metrics_port: int | None = None,
    ) -> None:
        self.bot = bot
        self.path = Path(data_dir) / HEARTBEAT_FILE
        # Real time, injected: health is judged against the wall clock of `bot health`.
        self.clock = clock or Clock()
        self.every = every
        self.metrics_port = metrics_port
        self.started_at = self.clock.now()
        self.connected = False
        self.gateway_since = self.started_at
        self.last_event_at: datetime | None = None
        self._ready_told = False
        self._stopped = False
        self._task: asyncio.Task[None] | None = None
        bot.add_listener(self._on_connect, "on_connect")
        bot.add_listener(self._on_connect, "on_resumed")
        bot.add_listener(self._on_disconnect, "on_disconnect")
        bot.add_listener(self._on_ready, "on_ready")
        bot.add_listener(self._on_event, "on_socket_event_type")

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._run(), name="heartbeat")
        return self

    async def __aexit__(self, *_: object) -> None:
        # Shutdown goes on after this (the gateway closing says it disconnected): no
        # beat may bring the file back.
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        notify("STOPPING=1")
        # No beat now means not running: `bot health` says so instead of "stale".
        self.path.unlink(missing_ok=True)

    def state(self) -> dict[str, Any]:
        """What the next beat writes."""
        scheduler = self.bot.reminders.running and self.bot.reminders.timers.running
        return {
            "version": version(),
            "pid": os.getpid(),
            "written_at": _iso(self.clock.now()),
            "started_at": _iso(self.started_at),
            "every_seconds": self.every.total_seconds(),
            "gateway": {
                "connected": self.connected and not self.bot.is_closed(),
                "since": _iso(self.gateway_since),
                "latency_ms": _latency_ms(self.bot.latency),
            },
            "scheduler_running": scheduler,
            "last_event_at": _iso(self.last_event_at) if self.last_event_at else None,
            "metrics_port": self.metrics_port,
        }

    async def beat(self) -> None:
        """Write the heartbeat now (atomically: a reader never sees half a file), and
        ping systemd's watchdog if the bot is healthy. Nothing once stopped."""
        if self._stopped:
            return
        state = self.state()
        # On the loop, not in a thread: a few hundred bytes, no fsync, and a write in a
        # thread could land after shutdown removed the file.
        _write(self.path, json.dumps(state, indent=1).encode())
        if not problems(state, self.clock.now()):
            notify("WATCHDOG=1")

    async def _run(self) -> None:
        while True:
            try:
                await self.beat()
            except OSError as error:  # a full disk: the next beat tries again
                log.warning("couldn't write the heartbeat (%s)", error)
            await asyncio.sleep(self.every.total_seconds())

    async def _on_connect(self) -> None:
        if not self.connected:
            self.connected, self.gateway_since = True, self.clock.now()
            await self._beat_quietly()

    async def _on_disconnect(self) -> None:
        if self.connected:
            self.connected, self.gateway_since = False, self.clock.now()
            await self._beat_quietly()

    async def _on_ready(self) -> None:
        if not self._ready_told:
            self._ready_told = True
            notify("READY=1", f"STATUS=connected to Discord, version {version()}")

    async def _on_event(self, _event: str) -> None:
        self.last_event_at = self.clock.now()

    async def _beat_quietly(self) -> None:
        try:
            await self.beat()
        except OSError as error:
            log.warning("couldn't write the heartbeat (%s)", error)


def read_heartbeat(data_dir: Path) -> dict[str, Any] | None:
    """The last heartbeat a bot on `data_dir` wrote, or None if there is none."""
    try:
        found = json.loads((Path(data_dir) / HEARTBEAT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def problems(beat: Mapping[str, Any], now: datetime) -> list[str]:
    """What is wrong with the bot according to its heartbeat, judged at `now`: [] when
    healthy. Stale (the process died or hangs), the reminder scheduler stopped, or cut
    off from Discord for longer than discord.py's reconnects take."""
    try:
        written = datetime.fromisoformat(beat["written_at"])
        gateway = beat["gateway"]
        since = datetime.fromisoformat(gateway["since"])
        connected, scheduler = bool(gateway["connected"]), bool(beat["scheduler_running"])
    except (KeyError, TypeError, ValueError):
        return ["the heartbeat file can't be read"]
    found = []
    age = now - written
    if age > STALE_AFTER:
        found.append(f"the last heartbeat is {_span(age)} old: the bot stopped or hangs")
    if not scheduler:
        found.append("the reminder scheduler isn't running")
    if not connected and now - since > GATEWAY_GRACE:
        found.append(f"not connected to Discord for {_span(now - since)}")
    return found


def describe(beat: Mapping[str, Any], now: datetime) -> str:
    """One line on a healthy bot: connected how long, last event, version and pid."""
    gateway = beat.get("gateway") or {}
    parts = []
    since = gateway.get("since")
    if gateway.get("connected") and since:
        parts.append(f"connected to Discord for {_span(now - datetime.fromisoformat(since))}")
    else:
        parts.append("reconnecting to Discord")
    parts.append("reminders running")
    if last := beat.get("last_event_at"):
        parts.append(f"last event {_span(now - datetime.fromisoformat(last))} ago")
    parts.append(f"version {beat.get('version')}, pid {beat.get('pid')}")
    return ", ".join(parts)


def _span(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _latency_ms(latency: float) -> int | None:
    # discord.py says inf (or nan) before the first heartbeat is acknowledged.
    return round(latency * 1000) if latency == latency and latency != float("inf") else None


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
