"""Discord's rate limits, as the emulator enforces them (docs: topics/rate-limits).

**Global**: a bot may make at most ``global_per_second`` requests in any one second
(Discord: 50), counted as each arrives. Interaction endpoints are not bound to it
(docs: interactions/receiving-and-responding#endpoints): ``POST /interactions/{id}/{token}
/callback`` and the interaction webhooks ``/webhooks/{application_id}/{token}/...`` that
edit an answer or send a followup. Past the limit Discord answers 429 with a JSON body
``{"message": "You are being rate limited.", "retry_after": 0.32, "global": true}`` and
the headers ``Retry-After`` (whole seconds), ``X-RateLimit-Global: true`` and
``X-RateLimit-Scope: global`` (plus ``Via``, which discord.py looks for to tell a rate
limit from a Cloudflare ban). A request answered 429 is not counted.

**Per route**: every answer carries its bucket's ``X-RateLimit-Limit``, ``-Remaining``,
``-Reset`` (epoch seconds), ``-Reset-After`` (seconds) and ``-Bucket`` headers, which
discord.py reads to wait before a bucket runs out. A bucket is the route (method and
path template) and its top-level resource: the channel, the guild, or the webhook and
its token. One that is exhausted answers 429 with ``"global": false``,
``X-RateLimit-Scope: user`` and the bucket's headers. Discord publishes no table of
per-route limits; the one known to bind a bot sending DMs is message creation, 5 per
5 seconds in one channel (``ROUTE_LIMITS``). Every other route gets a bucket that the
global limit always binds first (``DEFAULT_ROUTE_LIMIT``), so its headers are real but
never make discord.py wait. Interaction callbacks carry none: discord.py would put every
interaction's callback in one bucket (their ids are not top-level resources).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

GLOBAL_PER_SECOND = 50
# The interaction endpoints, below /api/v10: exempt from the global limit.
INTERACTION_PREFIXES = ("/interactions/", "/webhooks/")
# Route parameters that are top-level resources (a separate bucket for each value).
TOP_LEVEL = ("channel_id", "guild_id", "app_id", "token")


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """``limit`` requests per ``per`` seconds in one bucket."""

    limit: int
    per: float


ROUTE_LIMITS: Mapping[tuple[str, str], RouteLimit] = {
    ("POST", "/channels/{channel_id}/messages"): RouteLimit(5, 5.0),
}
DEFAULT_ROUTE_LIMIT = RouteLimit(GLOBAL_PER_SECOND, 1.0)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A 429 to answer: for how long, and whether the global limit was hit."""

    retry_after: float
    is_global: bool
    headers: dict[str, str]

    @classmethod
    def global_limit(cls, retry_after: float) -> Refusal:
        """The 429 of the global limit."""
        return cls(retry_after, True, {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"})

    def body(self) -> dict[str, object]:
        """The JSON body Discord sends with a 429."""
        return {
            "message": "You are being rate limited.",
            "retry_after": round(self.retry_after, 3),
            "global": self.is_global,
        }

    def all_headers(self) -> dict[str, str]:
        """The 429's headers: Retry-After in whole seconds (rounded up), the scope."""
        return {
            "Via": "1.1 google",
            "Retry-After": str(max(1, math.ceil(self.retry_after))),
            **self.headers,
        }


@dataclass(slots=True)
class _Bucket:
    window: RouteLimit
    name: str
    count: int = 0
    resets_at: float = 0.0


@dataclass
class RateLimits:
    """The global limit and the per-route buckets of one bot token.

    ``global_per_second`` None turns the global limit off; ``per_route`` False drops the
    per-route buckets (no headers, no 429). ``clock`` is monotonic seconds (tests move
    it); ``wall`` is epoch seconds for the ``X-RateLimit-Reset`` header.
    """

    global_per_second: int | None = GLOBAL_PER_SECOND
    per_route: bool = True
    routes: dict[tuple[str, str], RouteLimit] = field(default_factory=lambda: dict(ROUTE_LIMITS))
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _arrivals: deque[float] = field(default_factory=deque)
    _buckets: dict[tuple[str, str], _Bucket] = field(default_factory=dict)

    def admit(
        self, method: str, template: str | None, path: str, params: Mapping[str, str]
    ) -> tuple[Refusal | None, dict[str, str]]:
        """Count a request to `path` (its route `template`, None when unknown) with its
        route `params`. Returns the 429 to answer (None to let it through) and the
        rate-limit headers its answer carries."""
        now = self.clock()
        bucket = self._bucket(method, template, params, now)
        refusal = self._global_refusal(path, now)
        if refusal is not None:
            return refusal, {}
        if bucket is None:
            self._count_global(path, now)
            return None, {}
        if bucket.count >= bucket.window.limit:
            headers = {**self._headers(bucket, now), "X-RateLimit-Scope": "user"}
            return Refusal(bucket.resets_at - now, False, headers), {}
        bucket.count += 1
        self._count_global(path, now)
        return None, self._headers(bucket, now)

    def _global_refusal(self, path: str, now: float) -> Refusal | None:
        limit = self.global_per_second
        if limit is None or path.startswith(INTERACTION_PREFIXES):
            return None
        arrivals = self._arrivals
        while arrivals and arrivals[0] <= now - 1.0:
            arrivals.popleft()
        if len(arrivals) < limit:
            return None
        return Refusal.global_limit(arrivals[0] + 1.0 - now)

    def _count_global(self, path: str, now: float) -> None:
        if self.global_per_second is not None and not path.startswith(INTERACTION_PREFIXES):
            self._arrivals.append(now)

    def _bucket(
        self, method: str, template: str | None, params: Mapping[str, str], now: float
    ) -> _Bucket | None:
        if not self.per_route or template is None or template.startswith("/interactions/"):
            return None
        route = (method, template)
        window = self.routes.get(route, DEFAULT_ROUTE_LIMIT)
        name = hashlib.sha256(f"{method} {template}".encode()).hexdigest()[:16]
        top = "+".join(params[key] for key in TOP_LEVEL if key in params)
        bucket = self._buckets.get((name, top))
        if bucket is None or bucket.window != window:
            bucket = self._buckets[(name, top)] = _Bucket(window, name)
        if now >= bucket.resets_at:
            bucket.count = 0
            bucket.resets_at = now + window.per
        return bucket

    def _headers(self, bucket: _Bucket, now: float) -> dict[str, str]:
        reset_after = max(0.0, bucket.resets_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.window.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.window.limit - bucket.count)),
            "X-RateLimit-Reset": f"{self.wall() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }
