"""Waiting out the background tasks a service owns (the reminder engine, the practice
rounds): until none is left, or at shutdown for a grace period before cancelling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

Tasks = set[asyncio.Task[Any]]


async def wait_idle(running: Callable[[], Tasks]) -> None:
    """Wait until `running()` (the service's tasks in flight) has none left besides the
    caller, including any they start meanwhile; never cancels them."""
    current = asyncio.current_task()
    while in_flight := running() - {current}:
        await asyncio.wait(in_flight)


async def finish_or_cancel(tasks: Tasks, grace: float) -> Tasks:
    """Give `tasks` `grace` seconds to finish, then cancel the rest and wait for them to
    end; returns those that were cut short."""
    if not tasks:
        return set()
    _, unfinished = await asyncio.wait(tasks, timeout=grace)
    for task in unfinished:
        task.cancel()
    if unfinished:
        await asyncio.wait(unfinished)
    return unfinished
