"""Prometheus metrics, served on 127.0.0.1:METRICS_PORT when that is set (off by default).

The bot calls the functions below where things happen: a command answered or failed, a
reminder fallen due, sent or failed, Discord answering 429. Until `serve` is called they
do nothing, so tests and bots that never serve metrics pay nothing for them, and
prometheus-client is imported only by `serve`.

What is served (besides the process's own CPU, memory and file descriptors):
  interview_bot_commands_total{command, outcome}   outcome: ok, refused (the member's
                                                   input or rights), error (a bug)
  interview_bot_command_seconds{command}           from the command's start to its end
  interview_bot_reminders_due_total                deliveries begun (a timer fired, or a retry)
  interview_bot_reminders_sent_total{late}         DMs sent; late="true": after they were due
                                                   by more than the engine's LATE_AFTER
  interview_bot_reminders_failed_total{reason}     retried (a passing failure), gave_up,
                                                   dm_closed
  interview_bot_reminders_pending                  reminder timers armed
  interview_bot_discord_rate_limited_total{scope}  429 answers: global or route
  interview_bot_open_stores                        store connections open in the pool
  interview_bot_info{version}
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from bot import version

if TYPE_CHECKING:
    import discord

# Where a command's start time waits in `interaction.extras` for its end.
_STARTED = "metrics:started"
# Discord wants an answer within 3 s: the buckets are finest below that.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


class MetricsServer(Protocol):
    """What `serve` returns: the running endpoint."""

    port: int

    def close(self) -> None:
        """Stop serving and stop counting."""


class _Metrics:
    """The registry and its metrics (built by `serve`)."""

    def __init__(
        self, open_stores: Callable[[], int], reminders_pending: Callable[[], int]
    ) -> None:
        from prometheus_client import (
            CollectorRegistry,
            Counter,
            Gauge,
            Histogram,
            Info,
            ProcessCollector,
        )

        # A registry of its own, not the library's global one: a test can serve twice.
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        prefix = "interview_bot"
        self.commands = Counter(
            f"{prefix}_commands",
            "Slash commands answered, by command and outcome (ok, refused, error).",
            ["command", "outcome"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            f"{prefix}_command_seconds",
            "Seconds from a slash command's start to its end.",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.reminders_due = Counter(
            f"{prefix}_reminders_due",
            "Reminder deliveries begun (a timer fired, or a retry's).",
            registry=registry,
        )
        self.reminders_sent = Counter(
            f"{prefix}_reminders_sent",
            "Reminder DMs sent; late=true when later than they were due.",
            ["late"],
            registry=registry,
        )
        self.reminders_failed = Counter(
            f"{prefix}_reminders_failed",
            "Reminder DMs not sent, by reason (retried, gave_up, dm_closed).",
            ["reason"],
            registry=registry,
        )
        self.rate_limited = Counter(
            f"{prefix}_discord_rate_limited",
            "429 answers from Discord, by scope (global, route).",
            ["scope"],
            registry=registry,
        )
        Gauge(
            f"{prefix}_reminders_pending", "Reminder timers armed.", registry=registry
        ).set_function(reminders_pending)
        Gauge(
            f"{prefix}_open_stores", "Store connections open in the pool.", registry=registry
        ).set_function(open_stores)
        Info(f"{prefix}", "The bot's version.", registry=registry).info({"version": version()})


_metrics: _Metrics | None = None


class _Server:
    def __init__(self, httpd: Any, thread: Any, port: int) -> None:
        self._httpd, self._thread, self.port = httpd, thread, port

    def close(self) -> None:
        global _metrics
        _metrics = None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def serve(
    port: int,
    *,
    open_stores: Callable[[], int],
    reminders_pending: Callable[[], int],
    host: str = "127.0.0.1",
) -> MetricsServer:
    """Start counting and serve the metrics on http://host:port/metrics (a thread of its
    own). Local only by default: put a reverse proxy or Prometheus's agent beside it.
    Raises OSError when the port can't be used."""
    global _metrics
    from prometheus_client import start_http_server

    metrics = _Metrics(open_stores, reminders_pending)
    httpd, thread = start_http_server(port, addr=host, registry=metrics.registry)
    _metrics = metrics
    return _Server(httpd, thread, httpd.server_port)


# -- the calls the bot makes (no-ops until `serve`) -------------------------------------
def command_started(interaction: discord.Interaction[Any]) -> None:
    """A slash command starts (the tree's interaction_check)."""
    if _metrics is not None:
        interaction.extras[_STARTED] = time.perf_counter()


def command_finished(interaction: discord.Interaction[Any], outcome: str) -> None:
    """A slash command ended: ok, refused (a UserError or a failed check) or error."""
    if _metrics is None:
        return
    name = getattr(interaction.command, "qualified_name", None) or "unknown"
    _metrics.commands.labels(name, outcome).inc()
    started = interaction.extras.pop(_STARTED, None)
    if started is not None:
        _metrics.command_seconds.labels(name).observe(time.perf_counter() - started)


def reminder_due() -> None:
    """A reminder's delivery begins (its timer fired, or a retry's)."""
    if _metrics is not None:
        _metrics.reminders_due.inc()


def reminder_sent(*, late: bool) -> None:
    """A reminder's DM was sent (late: after it should have arrived)."""
    if _metrics is not None:
        _metrics.reminders_sent.labels("true" if late else "false").inc()


def reminder_failed(reason: str) -> None:
    """A reminder's DM didn't go: retried, gave_up or dm_closed."""
    if _metrics is not None:
        _metrics.reminders_failed.labels(reason).inc()


def rate_limited(*, is_global: bool) -> None:
    """Discord answered 429."""
    if _metrics is not None:
        _metrics.rate_limited.labels("global" if is_global else "route").inc()
