"""The one place the bot reads the time, so tests can move it instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    """The real clock: aware UTC now."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        return datetime.now(UTC)

    def on_jump(self, callback: Callable[[], object]) -> None:
        """Real time never jumps; a test clock calls `callback` when moved."""


class FakeClock(Clock):
    """A movable clock for tests and demos: time passes only when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._listeners: list[Callable[[], object]] = []

    def now(self) -> datetime:
        """The clock's current time."""
        return self._now

    def on_jump(self, callback: Callable[[], object]) -> None:
        """Call `callback` after every move (the reminder engine re-checks what's due)."""
        self._listeners.append(callback)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` or by timedelta(**kwargs); returns the new now."""
        self._now += delta if delta is not None else timedelta(**kwargs)
        for callback in list(self._listeners):
            callback()
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to `when` (aware)."""
        self._now = when.astimezone(UTC)
        for callback in list(self._listeners):
            callback()
