"""Typed settings read from the environment and `.env`.

Every setting is validated up front so a mistake is reported as one line naming
the setting, instead of a traceback deep inside discord.py.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yarl

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# text: for a person at a terminal or journalctl; json: one object a line for a collector.
LOG_FORMATS = ("text", "json")
DEFAULT_DATA_DIR = Path("data")
# Requests a second the bot allows itself (bot/pacing.py): below Discord's global limit
# of 50 by enough that requests bunched up on their way (65 ms of jitter) stay within it,
# and close enough that a burst of reminders goes out at 0.92 of what the limit allows.
DEFAULT_RATE_LIMIT = 46.0


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message names the setting."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the bot reads from its environment (a member's own preferences are
    `bot.domain.models.Settings`)."""

    token: str | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    dev_guild_id: int | None = None
    log_level: str = "INFO"
    api_base: str | None = None
    gateway_url: str | None = None
    rate_limit: float = DEFAULT_RATE_LIMIT
    log_format: str = "text"
    sentry_dsn: str | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    def __repr__(self) -> str:
        # The token (and Sentry's key, in its DSN) must never reach a log line, even
        # through a repr.
        token = "<set>" if self.token else None
        sentry_dsn = "<set>" if self.sentry_dsn else None
        return (
            f"Config(token={token!r}, data_dir={str(self.data_dir)!r}, "
            f"dev_guild_id={self.dev_guild_id!r}, log_level={self.log_level!r}, "
            f"api_base={self.api_base!r}, gateway_url={self.gateway_url!r}, "
            f"rate_limit={self.rate_limit!r}, log_format={self.log_format!r}, "
            f"sentry_dsn={sentry_dsn!r}, metrics_port={self.metrics_port!r}, "
            f"metrics_host={self.metrics_host!r})"
        )


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    url = yarl.URL(value)
    if url.scheme not in schemes or not url.host:
        raise ConfigError(
            f"{name} must be a {' or '.join(schemes)} URL such as "
            f"{schemes[0]}://127.0.0.1:8080{'/api/v10' if 'http' in schemes else '/'}; "
            f"got {value!r}"
        )
    return value.rstrip("/") if "http" in schemes else value


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate the settings in `environ` (default: os.environ after `.env`)."""
    if environ is None:
        from dotenv import load_dotenv

        load_dotenv(override=False)
        environ = os.environ

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    token = get("DISCORD_TOKEN")
    if token is not None and (" " in token or len(token) < 20):
        raise ConfigError(
            "DISCORD_TOKEN does not look like a bot token: copy it from the Bot page "
            "of your application at https://discord.com/developers/applications"
        )

    dev_guild_id = None
    if raw := get("DEV_GUILD_ID"):
        if not raw.isdigit():
            raise ConfigError(f"DEV_GUILD_ID must be a server id (digits only); got {raw!r}")
        dev_guild_id = int(raw)

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; got {log_level!r}")

    log_format = (get("LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(
            f"LOG_FORMAT must be text (lines for people) or json (one JSON object a line, for "
            f"a log collector); got {log_format!r}"
        )

    sentry_dsn = get("SENTRY_DSN")
    if sentry_dsn is not None:
        _check_sentry(sentry_dsn)

    data_dir = Path(get("DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"DATA_DIR must be a folder; {str(data_dir)!r} is a file")

    api_base = get("DISCORD_API_BASE")
    if api_base:
        api_base = _url("DISCORD_API_BASE", api_base, ("http", "https"))
    gateway_url = get("DISCORD_GATEWAY_URL")
    if gateway_url:
        gateway_url = _url("DISCORD_GATEWAY_URL", gateway_url, ("ws", "wss"))

    rate_limit = DEFAULT_RATE_LIMIT
    if raw := get("DISCORD_RATE_LIMIT"):
        try:
            rate_limit = float(raw)
        except ValueError:
            rate_limit = 0.0
        if not 0 < rate_limit <= 10_000:
            raise ConfigError(
                "DISCORD_RATE_LIMIT must be how many requests a second the bot may make, "
                "such as 46 (just below Discord's global limit of 50; higher only if Discord "
                f"granted your bot more); got {raw!r}"
            )

    metrics_port = None
    if raw := get("METRICS_PORT"):
        metrics_port = int(raw) if raw.isdigit() else 0
        if not 1 <= metrics_port <= 65535:
            raise ConfigError(
                "METRICS_PORT must be a TCP port (1-65535) to serve Prometheus metrics on "
                f"127.0.0.1, such as 9464 (unset: no metrics); got {raw!r}"
            )
    metrics_host = get("METRICS_HOST") or "127.0.0.1"
    try:
        ipaddress.ip_address(metrics_host)
    except ValueError:
        raise ConfigError(
            "METRICS_HOST must be the IP address to serve metrics on: 127.0.0.1 (this "
            "machine only, the default), or 0.0.0.0 in a container whose port is published "
            f"to the host's 127.0.0.1; got {metrics_host!r}"
        ) from None

    return Config(
        token=token,
        data_dir=data_dir,
        dev_guild_id=dev_guild_id,
        log_level=log_level,
        api_base=api_base,
        gateway_url=gateway_url,
        rate_limit=rate_limit,
        log_format=log_format,
        sentry_dsn=sentry_dsn,
        metrics_port=metrics_port,
        metrics_host=metrics_host,
    )


def _check_sentry(dsn: str) -> None:
    """A DSN as Sentry's project settings show it, and the `sentry` extra installed."""
    url = yarl.URL(dsn)
    if url.scheme not in ("http", "https") or not url.user or not url.host:
        raise ConfigError(
            "SENTRY_DSN must be the DSN from your Sentry project's Client Keys page, such as "
            "https://0123abcd@o123.ingest.sentry.io/4567; got a value that isn't one"
        )
    if importlib.util.find_spec("sentry_sdk") is None:
        raise ConfigError(
            "SENTRY_DSN is set but Sentry's SDK isn't installed: pip install "
            "'interview-bot[sentry]' (or -e '.[sentry]' in a checkout), or unset SENTRY_DSN"
        )


def prepare_data_dir(data_dir: Path) -> None:
    """Create DATA_DIR (private to this user) if needed and check the bot can write there.

    Raises ConfigError with one line naming the setting: a missing parent folder, a place
    that can't be created, a file in the way, or a folder the bot can't write to.
    """
    shown = str(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise ConfigError(f"DATA_DIR must be a folder; {shown!r} is a file")
    if not data_dir.exists():
        if not data_dir.parent.is_dir():
            raise ConfigError(
                f"DATA_DIR {shown!r} can't be created: its parent folder "
                f"{str(data_dir.parent)!r} doesn't exist (create it, or set DATA_DIR elsewhere)"
            )
        try:
            data_dir.mkdir(mode=0o700)
        except OSError as error:
            raise ConfigError(
                f"DATA_DIR {shown!r} can't be created ({error.strerror or error}); "
                "set DATA_DIR to a folder the bot may write to"
            ) from None
    try:
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as error:
        raise ConfigError(
            f"DATA_DIR {shown!r} isn't writable ({error.strerror or error}); "
            "set DATA_DIR to a folder the bot may write to"
        ) from None


def apply_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Point discord.py's REST base and gateway at a proxy or emulator.

    Must run before the client logs in: discord.py reads both when it connects.
    """
    import discord.gateway
    import discord.http

    if api_base:
        discord.http.Route.BASE = api_base
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def setup_logging(config: Config, stream: TextIO | None = None) -> None:
    """Configure the root logger once (to `stream`, default stderr), dated lines in
    LOG_FORMAT with the token redacted from every line (see bot/logs.py); start Sentry
    when SENTRY_DSN is set."""
    from bot import version
    from bot.logs import JsonFormatter, TextFormatter, start_sentry

    secrets = [config.token] if config.token else []
    handler = logging.StreamHandler(stream)
    formatter = JsonFormatter(secrets) if config.log_format == "json" else TextFormatter(secrets)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(config.log_level)
    # discord.py logs every gateway frame at DEBUG; keep it at INFO unless asked.
    logging.getLogger("discord").setLevel(max(logging.INFO, root.level))
    # aiosqlite logs every statement with its parameters at DEBUG: members' names and
    # private notes. Never below INFO, whatever LOG_LEVEL says.
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))
    if config.sentry_dsn:
        start_sentry(config.sentry_dsn, secrets, release=version())
