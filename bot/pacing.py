"""Every REST request the bot makes, paced under Discord's global rate limit.

Discord lets a bot make 50 requests a second in all and answers 429 past that; an IP
that draws 10,000 401, 403 or 429 answers in ten minutes is banned for an hour (docs:
topics/rate-limits). discord.py keeps to each route's bucket from the `X-RateLimit-*`
headers, but learns of the global limit only from a 429, then sleeps. So a burst (a
club's reminders falling due in one second) would draw hundreds of 429s. Here:

- One `RequestBudget` per bot (one bot per process) lets requests to the API go one at a
  time, in the order they asked, at most `DISCORD_RATE_LIMIT` a second and evenly spaced
  (never two at once), so no one-second window sees more than the limit plus one.
- It paces at the wire: an aiohttp trace hook waits for the budget before each HTTP
  request discord.py sends, after discord.py's own per-route bucket let it go, and its
  retries too. (A turn taken before the bucket would be spent while the request still
  waited there, and requests released together by a bucket would bunch.)
- Interaction endpoints (the callback that answers a command, and the interaction
  webhooks that edit the answer or send a followup) are not bound to the global limit
  (docs: interactions/receiving-and-responding#endpoints), so they never wait here: a
  command's answer is never queued behind a burst of DMs.
- A global 429 that still arrives (another process using the same token) pauses the
  budget for its `retry_after`. discord.py waits and retries five times; should it still
  give up, `PacedHTTPClient` asks again: being rate limited is a wait, never a failure.

aiolimiter (a leaky bucket) was the library to use, but it can't pause for a 429's
`retry_after`, and a waiter it wakes can lose its place to a newcomer, so reminders
would not go out strictly in due order; the budget is a dozen lines on asyncio.Lock,
which is first come, first served.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
from discord.http import HTTPClient, Route

from bot import metrics

log = logging.getLogger(__name__)

# Below the API base: the interaction endpoints, free of the global limit. The bot creates
# no webhooks of its own, so every /webhooks/ request is an interaction's.
INTERACTION_ENDPOINTS = ("/interactions/", "/webhooks/")
TOO_MANY_REQUESTS = 429
# How late a turn may start and still keep the budget's grid (see RequestBudget.take):
# any one second then sees at most per_second × (1 s + SLACK) + 1 requests.
SLACK = 0.002


class RequestBudget:
    """At most `per_second` requests a second, one at a time, first come first served.

    Turns are 1/`per_second` seconds apart on the event loop's monotonic clock (a turn
    that starts up to SLACK late keeps the next one on time), and none starts before a
    `pause` ends.
    """

    def __init__(self, per_second: float) -> None:
        if not per_second > 0:
            raise ValueError(f"a budget needs a positive rate; got {per_second!r}")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self.taken = 0
        self.pauses = 0
        self._turn = asyncio.Lock()
        self._next = -math.inf
        self._resume_at = -math.inf

    async def take(self) -> None:
        """Wait for this request's turn."""
        loop = asyncio.get_running_loop()
        async with self._turn:
            while (wait := max(self._next, self._resume_at) - loop.time()) > 0:
                await asyncio.sleep(wait)
            # The turns keep to a grid of `interval`: the event loop wakes a sleeper a
            # little late (about a millisecond), which must not slow every turn down.
            # A turn later than SLACK moves the grid (the turns it missed are not made up).
            slot = max(self._next, self._resume_at)
            self._next = max(slot, loop.time() - SLACK) + self.interval
            self.taken += 1

    def pause(self, seconds: float) -> None:
        """Let no request go for `seconds` from now (Discord said to retry after that)."""
        self._resume_at = max(self._resume_at, asyncio.get_running_loop().time() + seconds)
        self.pauses += 1

    def trace_config(self) -> aiohttp.TraceConfig:
        """The aiohttp hooks that pace discord.py's requests and hear its 429s."""
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._before_request)
        trace.on_request_end.append(self._after_request)
        return trace

    async def _before_request(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        if counts_toward_global_limit(str(params.url)):
            await self.take()

    async def _after_request(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        response = params.response
        if response.status == TOO_MANY_REQUESTS:
            metrics.rate_limited(is_global=is_global(response.headers))
        if response.status != TOO_MANY_REQUESTS or not is_global(response.headers):
            return
        retry_after = await _retry_after(response)
        log.warning(
            "Discord's global rate limit was hit (%s %s; another process using this token?); "
            "no request goes for %.2f s",
            params.method,
            params.url.path,
            retry_after,
        )
        self.pause(retry_after)


def counts_toward_global_limit(url: str) -> bool:
    """Whether a request to `url` counts toward the bot's global rate limit: any to the
    API (not the CDN, not the gateway) but the interaction endpoints."""
    base = Route.BASE
    return url.startswith(base + "/") and not url[len(base) :].startswith(INTERACTION_ENDPOINTS)


def is_global(headers: Any) -> bool:
    """Whether a 429's headers say the global limit (not one route's bucket) was hit."""
    return (
        headers.get("X-RateLimit-Global", "").lower() == "true"
        or headers.get("X-RateLimit-Scope") == "global"
    )


async def _retry_after(response: aiohttp.ClientResponse) -> float:
    """The 429's `retry_after` (seconds, with decimals), else its Retry-After header.
    The body read here is kept by aiohttp for discord.py to read again."""
    try:
        data = await response.json(content_type=None)
        return float(data["retry_after"])
    except (ValueError, TypeError, KeyError, aiohttp.ClientError):
        try:
            return float(response.headers.get("Retry-After", 1))
        except ValueError:
            return 1.0


def is_rate_limit(error: discord.HTTPException) -> bool:
    """Whether discord.py gave up on a request that Discord kept rate limiting (rather
    than, say, a Cloudflare ban, which comes without the `Via` header discord.py checks)."""
    response = error.response
    return (
        error.status == TOO_MANY_REQUESTS
        and bool(getattr(response, "headers", None))
        and bool(response.headers.get("Via"))
    )


class PacedHTTPClient(HTTPClient):
    """discord.py's HTTP client with every API request paced by a `RequestBudget`, and a
    request that is still rate limited after discord.py's own retries asked again."""

    def __init__(self, budget: RequestBudget, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, http_trace=budget.trace_config(), **kwargs)
        self.budget = budget

    @classmethod
    def replacing(cls, http: HTTPClient, budget: RequestBudget) -> PacedHTTPClient:
        """A paced client with the settings discord.py gave `http` (not yet logged in)."""
        if http.http_trace is not None:
            raise ValueError("the bot's requests are traced by its budget; pass no http_trace")
        return cls(
            budget,
            http.loop,
            http.connector,
            proxy=http.proxy,
            proxy_auth=http.proxy_auth,
            unsync_clock=not http.use_clock,
            max_ratelimit_timeout=http.max_ratelimit_timeout,
        )

    async def request(
        self,
        route: Route,
        *,
        files: Sequence[discord.File] | None = None,
        form: Iterable[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Send the request as discord.py does; when discord.py gives up because Discord
        kept answering 429, send it again (the budget holds it until Discord allows)."""
        while True:
            try:
                return await super().request(route, files=files, form=form, **kwargs)
            except discord.HTTPException as error:
                if not is_rate_limit(error):
                    raise
                log.warning(
                    "%s %s still rate limited after discord.py's retries; asking again",
                    route.method,
                    route.path,
                )
                for file in files or ():
                    file.reset(seek=True)
