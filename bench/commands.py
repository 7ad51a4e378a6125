"""Slash-command round trips: the real bot against the local Discord emulator.

The unmodified InterviewBot logs in to the emulator on 127.0.0.1 over real HTTP and
a real gateway websocket, with the real clock, exactly as the end-to-end tests start
it. Members' data is seeded straight through the store API (fast), then each command
is run many times as a member would, timing from the INTERACTION_CREATE until the
bot's answer has settled:

  /prospect add      a member with 500 prospects adds one more
  /prospect list     the first page of a member's 500 prospects
  prospect: autocomplete  suggestions while typing, over 2,000 prospects
                     (Discord drops an answer slower than 3 seconds)
  /meeting log       a meeting held 3 hours ago; also the time until its thank-you
                     nudge DM arrives (due already, so sent at once)
  /progress          a member with 500 prospects and 100 meetings
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from bench.report import Figure, latency_figures
from bot.client import InterviewBot
from bot.clock import Clock
from bot.config import Config
from bot.emulator.driver import Driver
from bot.emulator.harness import running_bot
from bot.emulator.models import Guild, User
from bot.emulator.server import Emulator
from bot.store import MemberStore, Stores
from bot.store.pool import StorePool

BENCH = "commands"
TOKEN = "emulator-token-for-the-benchmark"  # noqa: S105 - a fake token for a local fake Discord
WARM_UP = 5  # runs not counted: first store opens, first use of each code path

# Targets for p95 on this loopback set-up (no network latency): a command answered
# within a quarter second feels instant; autocomplete is re-asked on every keystroke,
# so it gets less. Discord's own deadline for any first answer is 3 seconds.
COMMAND_P95_MS = 250
AUTOCOMPLETE_P95_MS = 100
DISCORD_DEADLINE_MS = 3000
DM_P95_MS = 500

FIRST = [
    "Ada", "Alan", "Grace", "Dana", "Tom", "Maria", "Wei", "Priya", "Omar", "Lena",
    "Kofi", "Sofia", "Hiro", "Ana", "Luis", "Fatima", "Ivan", "Chloe", "Noah", "Aisha",
    "Mateo", "Yuki", "Sam", "Zara", "Emeka", "Ines", "Raj", "Nora", "Tariq", "Mei",
    "Jonas", "Leila", "Diego", "Hana", "Kwame", "Elif", "Pavel", "Amara", "Finn", "Rosa",
    "Arjun", "Signe", "Malik", "Julia", "Tane", "Olga", "Bruno", "Nia", "Cyrus", "Eva",
]  # fmt: skip
LAST = [
    "Lovelace", "Turing", "Hopper", "Lee", "Nguyen", "Garcia", "Zhang", "Patel", "Haddad",
    "Berg", "Mensah", "Rossi", "Tanaka", "Silva", "Moreno", "Khan", "Petrov", "Martin",
    "Cohen", "Bello", "Lopez", "Sato", "Kim", "Ahmed", "Okafor", "Dubois", "Iyer", "Novak",
    "Aziz", "Chen",
]  # fmt: skip
ROLES = ["Data Analyst", "Product Manager", "Nurse Practitioner", "UX Researcher", None]
ORGS = ["Acme Health", "Analytical Engines", "Mercy Health", "City Library", None]
# What members type into `prospect:`: a prefix, a part of a surname, an organization.
TYPED = ["a", "Lov", "ana", "grace h", "Kim", "Acme", "zz", "Mei C"]


def people(count: int) -> list[tuple[str, str | None, str | None]]:
    """`count` distinct (name, role, organization), varied like a real list."""
    names = [f"{first} {last}" for last, first in itertools.product(LAST, FIRST)]
    if count > len(names):
        names += [f"{name} {n}" for n in range(count // len(names)) for name in names]
    return [(names[i], ROLES[i % len(ROLES)], ORGS[i % 7 % len(ORGS)]) for i in range(count)]


async def add_prospects(store: MemberStore, count: int) -> list[int]:
    """`count` prospects in one transaction; their ids."""
    ids = []
    async with store.transaction():
        for name, role, org in people(count):
            fields = {k: v for k, v in (("role", role), ("organization", org)) if v}
            ids.append((await store.add_prospect(name, **fields)).id)
    return ids


async def seed(data_dir: Path, clock: Clock, members: dict[str, User], runs: int) -> list[int]:
    """Each member's data; returns the prospect ids the meeting-log member will log."""
    stores = Stores(StorePool(data_dir, clock))
    now = clock.now()
    try:
        for user in members.values():
            async with stores.member(user.id) as store:
                # No quiet hours, so the thank-you nudge is sent whatever the hour now.
                await store.set_settings(quiet_start="00:00", quiet_end="00:00")
        async with stores.member(members["adder"].id) as store:
            await add_prospects(store, 500)
        async with stores.member(members["lister"].id) as store:
            await add_prospects(store, 500)
        async with stores.member(members["typist"].id) as store:
            await add_prospects(store, 2000)
        async with stores.member(members["logger"].id) as store:
            # A member who chose their zone long ago: /meeting log isn't asked for one.
            await store.set_settings(timezone="America/New_York")
            to_log = await add_prospects(store, runs + WARM_UP)
        async with stores.member(members["veteran"].id) as store:
            ids = await add_prospects(store, 500)
            async with store.transaction():
                for n, prospect_id in enumerate(ids[:300]):
                    await store.add_outreach(prospect_id, sent_at=now - timedelta(days=40 - n / 10))
                for n, prospect_id in enumerate(ids[:100]):
                    meeting = await store.add_meeting(
                        prospect_id,
                        now - timedelta(days=30 - n / 5),
                        takeaways="Analytics teams value SQL",
                        done=True,
                    )
                    if n % 2:
                        await store.mark_thanked(meeting.id, "email")
    finally:
        await stores.close()
    return to_log


async def timed(runs: int, one: Callable[[int], Awaitable[None]]) -> list[float]:
    """Seconds each of `runs` calls of `one(n)` took, after a few uncounted warm-up runs."""
    for n in range(WARM_UP):
        await one(n)
    took = []
    for n in range(WARM_UP, WARM_UP + runs):
        began = time.perf_counter()
        await one(n)
        took.append(time.perf_counter() - began)
    return took


async def measure(
    driver: Driver, guild: Guild, members: dict[str, User], to_log: list[int], runs: int
) -> list[Figure]:
    """Run every command `runs` times; the latency figures."""
    adder, lister, typist = members["adder"], members["lister"], members["typist"]
    logger, veteran = members["logger"], members["veteran"]
    figures: list[Figure] = []

    async def add(n: int) -> None:
        reply = await driver.run(
            f'/prospect add name:"New Person {n}" organization:"Acme Health"',
            user=adder,
            guild=guild,
        )
        assert "Added" in reply.text, reply.text

    figures += latency_figures(
        BENCH, "/prospect add", await timed(runs, add), p95_target_ms=COMMAND_P95_MS
    )

    async def list_(n: int) -> None:
        reply = await driver.run("/prospect list", user=lister, guild=guild)
        assert "Your prospects (500)" in reply.text, reply.text[:200]

    figures += latency_figures(
        BENCH, "/prospect list (500)", await timed(runs, list_), p95_target_ms=COMMAND_P95_MS
    )

    async def suggest(n: int) -> None:
        typed = TYPED[n % len(TYPED)]
        choices = await driver.autocomplete(
            f'/prospect show prospect:"{typed}"', user=typist, guild=guild
        )
        assert choices or typed == "zz", typed

    figures += latency_figures(
        BENCH,
        "autocomplete (2,000)",
        await timed(runs, suggest),
        p95_target_ms=AUTOCOMPLETE_P95_MS,
        max_limit_ms=DISCORD_DEADLINE_MS,
        limit_note="Discord's 3 s",
    )

    dm_delays: list[float] = []

    async def log(n: int) -> None:
        async def nudge_arrives() -> float:
            dms = await driver.wait_for_dms(logger, count=n + 1, interactions=False)
            arrived = time.perf_counter()
            assert "thank" in dms[-1].text.lower(), dms[-1].text
            return arrived

        waiting = asyncio.create_task(nudge_arrives())
        began = time.perf_counter()
        # The value Discord sends when the member picks a suggestion: the prospect's id.
        reply = await driver.run(
            f'/meeting log prospect:{to_log[n]} when:"3 hours ago" '
            'takeaways:"Analytics teams value SQL"',
            user=logger,
            guild=guild,
            pick_suggestions=False,
        )
        assert "Logged" in reply.text, reply.text
        arrived = await waiting
        if n >= WARM_UP:
            dm_delays.append(arrived - began)

    figures += latency_figures(
        BENCH, "/meeting log", await timed(runs, log), p95_target_ms=COMMAND_P95_MS
    )
    figures += latency_figures(
        BENCH, "/meeting log → thank-you DM", dm_delays, p95_target_ms=DM_P95_MS
    )

    async def progress(n: int) -> None:
        reply = await driver.run("/progress", user=veteran, guild=guild)
        assert "**500** prospects" in reply.text, reply.text[:200]

    figures += latency_figures(
        BENCH,
        "/progress (500 + 100 meetings)",
        await timed(runs, progress),
        p95_target_ms=COMMAND_P95_MS,
    )
    return figures


async def run(runs: int = 200) -> list[Figure]:
    """Start the emulator and the bot, seed, measure; the figures."""
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as folder:
        async with Emulator(token=TOKEN) as emu:
            guild = emu.add_guild("Career Club")
            members = {
                role: emu.add_user(role, guild=guild)
                for role in ("adder", "lister", "typist", "logger", "veteran")
            }
            settings = Config(
                token=TOKEN,
                data_dir=Path(folder) / "data",
                api_base=emu.rest_base,
                gateway_url=emu.gateway_url,
            )
            began = time.perf_counter()
            to_log = await seed(settings.data_dir, clock, members, runs)
            seeded = time.perf_counter() - began
            print(
                f"set-up: {len(members)} members' data seeded through the stores in {seeded:.1f} s"
            )
            bot = InterviewBot(settings, clock=clock, guild_ready_timeout=0.05)
            async with running_bot(bot, emu):
                figures = await measure(Driver(emu), guild, members, to_log, runs)
            # A fast answer Discord would refuse is no answer at all.
            assert emu.violations == [], emu.violations
            assert emu.unknown_routes == [], emu.unknown_routes
    return figures
