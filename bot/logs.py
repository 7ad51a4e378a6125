"""Log lines an operator can keep for months and read back.

Every line carries its date. `LOG_FORMAT=json` writes one JSON object a line (time,
level, logger, message, and the exception if there is one) for a log collector (journald's
`-o cat`, Loki, CloudWatch, Datadog…). The bot token is replaced wherever it would
appear: in a message, an exception or a stack. Members' own words (names, notes, drafts,
takeaways) are never logged: log calls name members and their records by id, and the
libraries that would log payloads at DEBUG (discord.py's gateway frames, aiosqlite's
statements) are held at INFO (see `bot.config.setup_logging`).

With `SENTRY_DSN` set, errors also go to Sentry (the optional `sentry` extra): with the
token scrubbed, without local variables (they hold what members typed), and without the
HTTP integrations whose breadcrumbs carry interaction tokens in webhook URLs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted token]"
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
TEXT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced by a marker."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class TextFormatter(logging.Formatter):
    """`2026-11-27 15:00:00 INFO    bot.client: ready as …`: the machine's local time."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__(TEXT_FORMAT, TEXT_DATE_FORMAT)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """The line, exception and stack included, with the secrets redacted."""
        return redact(super().format(record), self._secrets)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, exception."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON, with the secrets redacted from every value."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        scrubbed = {key: redact(value, self._secrets) for key, value in entry.items()}
        return json.dumps(scrubbed, ensure_ascii=False)


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """A copy of a Sentry event (nested dicts, lists, strings) with the secrets redacted."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def start_sentry(dsn: str, secrets: Iterable[str], release: str | None) -> None:
    """Send errors (and the log lines before them, as breadcrumbs) to Sentry.

    Imports `sentry_sdk` here, only when a DSN is set, so the default install needs
    nothing from it; `bot.config.load_config` has already checked it is installed.
    """
    import sentry_sdk

    hidden = tuple(s for s in secrets if s)

    def before_send(event: Any, _hint: Any) -> Any:
        return _scrub(event, hidden)

    def before_breadcrumb(crumb: Any, _hint: Any) -> Any:
        return _scrub(crumb, hidden)

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        send_default_pii=False,
        # Frames' local variables hold members' names, notes and drafts.
        include_local_variables=False,
        # The aiohttp integration's breadcrumbs carry interaction tokens in webhook URLs;
        # the default integrations (logging, excepthook, dedupe…) are all the bot needs.
        auto_enabling_integrations=False,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
