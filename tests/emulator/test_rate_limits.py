"""The emulator's rate limits, as Discord's docs describe them (topics/rate-limits): the
global limit of 50 requests a second, interaction endpoints free of it, per-route
buckets with their X-RateLimit headers, and discord.py keeping to them unaided."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.emulator import Driver, Emulator, running_bot
from bot.emulator.ratelimits import GLOBAL_PER_SECOND, RateLimits, RouteLimit
from tests.support.demo_bot import DemoBot
from tests.support.emulator import World

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MESSAGES = ("POST", "/channels/{channel_id}/messages")


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limits(**kwargs) -> tuple[RateLimits, Ticks]:
    ticks = Ticks()
    return RateLimits(clock=ticks, wall=lambda: 1_700_000_000.0, **kwargs), ticks


def get_me(rate_limits: RateLimits):
    return rate_limits.admit("GET", "/users/@me", "/users/@me", {})


def test_the_51st_request_within_a_second_is_refused_globally():
    rate_limits, ticks = limits()
    for n in range(GLOBAL_PER_SECOND):
        ticks.now += 0.01
        refusal, _ = get_me(rate_limits)
        assert refusal is None, n
    refusal, _ = get_me(rate_limits)
    assert refusal is not None and refusal.is_global
    # 50 came in the last 0.5 s; the first leaves the window a second after it came.
    assert refusal.retry_after == pytest.approx(0.51)
    assert refusal.body() == {
        "message": "You are being rate limited.",
        "retry_after": 0.51,
        "global": True,
    }
    assert refusal.all_headers()["X-RateLimit-Global"] == "true"
    assert refusal.all_headers()["X-RateLimit-Scope"] == "global"
    assert refusal.all_headers()["Retry-After"] == "1"
    ticks.now += 0.511
    assert get_me(rate_limits)[0] is None


def test_a_refused_request_is_not_counted():
    rate_limits, ticks = limits(global_per_second=2)
    assert get_me(rate_limits)[0] is None
    assert get_me(rate_limits)[0] is None
    for _ in range(10):
        assert get_me(rate_limits)[0] is not None
    ticks.now += 1.0
    assert get_me(rate_limits)[0] is None


def test_interaction_endpoints_are_not_bound_to_the_global_limit():
    rate_limits, _ = limits(global_per_second=1)
    assert get_me(rate_limits)[0] is None
    callback = "/interactions/{interaction_id}/{token}/callback"
    followup = "/webhooks/{app_id}/{token}"
    for n in range(20):
        path = f"/interactions/{n}/tok{n}/callback"
        params = {"interaction_id": str(n), "token": f"tok{n}"}
        assert rate_limits.admit("POST", callback, path, params) == (None, {})
        params = {"app_id": "1", "token": f"tok{n}"}
        refusal, headers = rate_limits.admit("POST", followup, f"/webhooks/1/tok{n}", params)
        assert refusal is None and headers["X-RateLimit-Remaining"]
    assert get_me(rate_limits)[0] is not None


def test_messages_in_one_channel_have_a_bucket_of_five_per_five_seconds():
    rate_limits, ticks = limits()
    template, params = MESSAGES[1], {"channel_id": "42"}
    seen = []
    for _ in range(5):
        refusal, headers = rate_limits.admit("POST", template, "/channels/42/messages", params)
        assert refusal is None
        seen.append(headers)
    assert [h["X-RateLimit-Remaining"] for h in seen] == ["4", "3", "2", "1", "0"]
    assert {h["X-RateLimit-Limit"] for h in seen} == {"5"}
    assert seen[-1]["X-RateLimit-Reset-After"] == "5.000"
    assert seen[-1]["X-RateLimit-Reset"] == "1700000005.000"
    assert len({h["X-RateLimit-Bucket"] for h in seen}) == 1

    refusal, _ = rate_limits.admit("POST", template, "/channels/42/messages", params)
    assert refusal is not None and not refusal.is_global
    assert refusal.retry_after == pytest.approx(5.0)
    assert refusal.all_headers()["X-RateLimit-Scope"] == "user"
    # Another channel is another bucket.
    other = {"channel_id": "43"}
    assert rate_limits.admit("POST", template, "/channels/43/messages", other)[0] is None
    ticks.now += 5.0
    assert rate_limits.admit("POST", template, "/channels/42/messages", params)[0] is None


def test_both_limits_can_be_turned_off():
    rate_limits, _ = limits(global_per_second=None, per_route=False)
    for _ in range(200):
        assert get_me(rate_limits) == (None, {})


async def test_over_the_global_limit_discord_answers_429_as_documented():
    async with Emulator(global_rate_limit=3) as emu, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {emu.token}"}
        statuses = []
        for _ in range(4):
            async with session.get(emu.rest_base + "/users/@me", headers=headers) as resp:
                statuses.append(resp.status)
                if resp.status == 200:
                    assert "X-RateLimit-Bucket" in resp.headers
                    continue
                assert resp.headers["Content-Type"] == "application/json"
                assert resp.headers["X-RateLimit-Global"] == "true"
                assert resp.headers["X-RateLimit-Scope"] == "global"
                assert resp.headers["Via"] and int(resp.headers["Retry-After"]) >= 1
                body = json.loads(await resp.text())
                assert body["global"] is True and 0 < body["retry_after"] <= 1
        assert statuses == [200, 200, 200, 429]
        assert emu.rate_limited == ["GET /users/@me"]


async def test_discord_py_keeps_to_a_channels_bucket_without_a_429(emu: Emulator, world: World):
    emu.rate_limits.routes[MESSAGES] = RouteLimit(2, 0.3)
    async with running_bot(DemoBot(), emu):
        driver = Driver(emu, timeout=5)
        for _ in range(3):
            reply = await driver.run("/demo nonce", user=world.alice, guild=world.guild)
            assert reply.content.startswith("same=")
    posts = [r for r in emu.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 6 and {r.status for r in posts} == {200}
    assert emu.rate_limited == []
