"""Log lines an operator can read back: dated, JSON for collectors, the token never in
them, and Sentry only when asked for (the optional extra)."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config, setup_logging

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz012345"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def operator_log() -> Iterator[io.StringIO]:
    """What the bot writes to stderr once `setup_logging` has run; the root logger is put
    back as it was afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    out = io.StringIO()
    yield out
    root.handlers[:], root.level = saved[0], saved[1]
    for name in ("discord", "aiosqlite"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def _fail_with_the_token() -> None:
    try:
        raise RuntimeError(f"Discord said no to {TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.test").exception("login with %s failed", TOKEN)


def test_json_lines_carry_time_level_logger_message_and_exception(operator_log):
    setup_logging(Config(token=TOKEN, log_format="json"), stream=operator_log)
    logging.getLogger("bot.reminders.engine").info("reminders: sent %s %s", "thanks", 7)
    _fail_with_the_token()

    lines = operator_log.getvalue().splitlines()
    assert len(lines) == 2
    sent, failed = (json.loads(line) for line in lines)
    assert sent == {
        "time": sent["time"],
        "level": "INFO",
        "logger": "bot.reminders.engine",
        "message": "reminders: sent thanks 7",
    }
    assert datetime.fromisoformat(sent["time"]).utcoffset() is not None  # a date, in UTC
    assert failed["level"] == "ERROR"
    assert failed["exception"].startswith("Traceback (most recent call last):")
    assert "RuntimeError: Discord said no to [redacted token]" in failed["exception"]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_token_is_redacted_from_message_and_exception(operator_log, log_format):
    setup_logging(Config(token=TOKEN, log_format=log_format), stream=operator_log)
    _fail_with_the_token()

    written = operator_log.getvalue()
    assert TOKEN not in written
    assert written.count("[redacted token]") == 2


def test_text_lines_start_with_the_date(operator_log):
    setup_logging(Config(), stream=operator_log)
    logging.getLogger("bot.client").warning("ready")
    line = operator_log.getvalue().strip()
    stamp = datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
    assert stamp.year >= 2024
    assert line[19:].split() == ["WARNING", "bot.client:", "ready"]


def test_log_format_is_read_and_checked():
    assert load_config({}).log_format == "text"
    assert load_config({"LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(ConfigError, match=r"LOG_FORMAT must be text .* or json"):
        load_config({"LOG_FORMAT": "xml"})


def test_the_sentry_dsn_is_checked_and_never_shown():
    dsn = "https://0123abcd@o1.ingest.sentry.io/42"
    settings = load_config({"SENTRY_DSN": dsn})
    assert settings.sentry_dsn == dsn
    assert "0123abcd" not in repr(settings)
    with pytest.raises(ConfigError, match="SENTRY_DSN must be the DSN"):
        load_config({"SENTRY_DSN": "https://o1.ingest.sentry.io/42"})  # no key


def test_a_sentry_dsn_without_the_extra_is_one_clear_line(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sentry_sdk" else real(name)
    )
    with pytest.raises(ConfigError) as refused:
        load_config({"SENTRY_DSN": "https://0123abcd@o1.ingest.sentry.io/42"})
    message = str(refused.value)
    assert "\n" not in message
    assert "SENTRY_DSN is set" in message
    assert "pip install 'interview-bot[sentry]'" in message


def test_without_a_dsn_sentry_is_never_imported():
    script = (
        "import sys\n"
        "from bot.config import load_config, setup_logging\n"
        "setup_logging(load_config({'LOG_FORMAT': 'json'}))\n"
        "print('sentry_sdk' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


class _SentryIngest(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint on 127.0.0.1: keeps every item it is sent."""

    items: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        for line in body.splitlines():
            if line.startswith(b"{"):
                self.items.append(json.loads(line))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args) -> None:  # quiet
        pass


def test_sentry_gets_the_error_without_the_token_or_what_members_typed():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryIngest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://0123abcd@127.0.0.1:{server.server_address[1]}/42"
    # In a process of its own: sentry_sdk.init patches logging and threading for good.
    script = f"""
import logging, sentry_sdk
from bot.config import load_config, setup_logging
setup_logging(load_config({{"DISCORD_TOKEN": {TOKEN!r}, "SENTRY_DSN": {dsn!r}}}))
def log_meeting(notes):
    logging.getLogger("bot.test").info("logged in with %s", {TOKEN!r})
    raise ValueError("meeting 7 failed")
try:
    log_meeting("Zebulon Quackenbush said to call his cousin")
except ValueError:
    logging.getLogger("bot.test").exception("logging meeting 7 failed")
sentry_sdk.flush(10)
"""
    try:
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
    finally:
        server.shutdown()
        server.server_close()  # its listening socket too, not left to the collector
    assert result.returncode == 0, result.stderr
    events = [item for item in _SentryIngest.items if item.get("level") == "error"]
    assert len(events) == 1, _SentryIngest.items
    sent = json.dumps(events[0])
    assert "meeting 7 failed" in sent
    assert "logged in with [redacted token]" in sent  # the breadcrumb before it
    assert TOKEN not in sent
    assert "Quackenbush" not in sent  # the frame's local variable
