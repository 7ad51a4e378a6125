"""Slash commands as members feel them, each against /help in the same run.

The bot runs as deployed (`python -m bot`, bench/process.py) against the emulator;
members' data is seeded through the store API before it starts. A command's latency is
from the driver's call, which reads the typed line into an interaction as Discord's
client does, until the bot's answer has settled (the emulator has taken it and the
driver has seen it). Each figure's note also gives the ratio counted from the
INTERACTION_CREATE's dispatch: without the typed line's reading, which is the same for
every command, that ratio is higher. /help touches no store: it is what discord.py and
the emulator cost, the floor every command stands on. So each command is judged as a
ratio to /help measured in the same run, in the same rounds (the commands take turns,
so a busy moment of the machine falls on all of them):

  /prospect add      a member with 500 prospects adds one more
  /prospect list     the first page of a member's 500 prospects
  /meeting prep      the prep sheet of a meeting in two days
  /progress          a member with 500 prospects, 300 requests and 100 meetings

one at a time, and 8 in flight (8 members at once, each with their own data). Targets:
median ≤ 1.3 × /help's, p95 ≤ 2 ×. Also, as before, in milliseconds:

  prospect: autocomplete  suggestions over 2,000 prospects (Discord drops an answer
                     slower than 3 seconds)
  /meeting log       a meeting held 3 hours ago, and the time until its thank-you
                     nudge DM arrives (due already, so sent at once)
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bench.process import start_bot
from bench.report import Figure, latency_figures, percentile
from bot.clock import Clock
from bot.emulator.driver import Driver, Reply
from bot.emulator.models import Guild, User
from bot.emulator.server import Emulator
from bot.store import MemberStore, Stores
from bot.store.pool import StorePool

BENCH = "commands"
TOKEN = "emulator-token-for-the-benchmark"  # noqa: S105 - a fake token for a local fake Discord
WARM_UP = 5  # rounds not counted: first store opens, first use of each code path
IN_FLIGHT = 8
ZONE = "America/New_York"

# Targets (issue 12): a command's median and p95 against /help's in the same run.
MEDIAN_RATIO = 1.3
P95_RATIO = 2.0
# Absolute ones for the figures kept from before: autocomplete is re-asked on every
# keystroke, and Discord's deadline for any first answer is 3 seconds.
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


@dataclass
class Command:
    """A command as members run it in the benchmark, and how its answer is checked."""

    name: str
    line: Callable[[int], str]  # run number → the command line
    expect: str  # in every answer
    members: list[User] = field(default_factory=list)
    pick_suggestions: bool = True


async def seed(data_dir: Path, commands: dict[str, Command]) -> None:
    """Each benchmark member's data (all chose their time zone long ago)."""
    stores = Stores(StorePool(data_dir, Clock()))
    now = Clock().now()
    try:
        for command in commands.values():
            for user in command.members:
                async with stores.member(user.id) as store:
                    await store.set_settings(timezone=ZONE, quiet_start="00:00", quiet_end="00:00")
                    if command.name in ("/prospect add", "/prospect list"):
                        await add_prospects(store, 500)
                    elif command.name == "/meeting prep":
                        prospect = await store.add_prospect("Ada Lovelace", organization="Acme")
                        async with store.transaction():
                            await store.add_meeting(prospect.id, now + timedelta(days=2))
                    elif command.name == "/progress":
                        await seed_veteran(store, now)
    finally:
        await stores.close()


async def seed_veteran(store: MemberStore, now: datetime) -> None:
    """500 prospects, 300 requests sent, 100 meetings held (half thanked)."""
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


async def timed(call: Awaitable[Reply], expect: str) -> tuple[float, float]:
    """Seconds until the answer settled, from the driver's call (which reads the typed
    line into an interaction, as Discord's client does) and from the INTERACTION_CREATE's
    dispatch; the answer must contain `expect`."""
    began = time.perf_counter()
    reply = await call
    took = time.perf_counter() - began
    assert expect in reply.text, reply.text[:300]
    return took, reply.record.answered_in or took


Timings = dict[str, list[tuple[float, float]]]  # command → (from the call, from dispatch)


async def rounds(
    driver: Driver, guild: Guild, commands: list[Command], runs: int, in_flight: int
) -> Timings:
    """Every command `runs` times (after WARM_UP), taking turns round by round; with
    `in_flight` > 1, each turn is that many members running it at once."""
    took: Timings = {c.name: [] for c in commands}
    for r in range(WARM_UP + runs):
        for command in commands:
            calls = [
                timed(
                    driver.run(
                        command.line(r),
                        user=command.members[k],
                        guild=guild,
                        pick_suggestions=command.pick_suggestions,
                    ),
                    command.expect,
                )
                for k in range(in_flight)
            ]
            found = await asyncio.gather(*calls)
            if r >= WARM_UP:
                took[command.name] += found
    return took


def ratio_figures(timings: Timings, mode: str) -> list[Figure]:
    """Each command's median and p95 as a ratio to /help's, in one mode; the note gives
    the same ratio counted from the INTERACTION_CREATE's dispatch (without the typed
    line's reading, which is the same for every command, so a higher ratio)."""
    took = {name: [t for t, _ in pairs] for name, pairs in timings.items()}
    dispatched = {name: [d for _, d in pairs] for name, pairs in timings.items()}
    help_ms = {p: percentile(took["/help"], p) * 1000 for p in (50, 95)}
    help_dispatched = {p: percentile(dispatched["/help"], p) for p in (50, 95)}
    figures = [
        Figure(
            BENCH,
            f"/help ({mode})",
            help_ms[50],
            "ms",
            note=f"p95 {help_ms[95]:.2f} ms, {len(took['/help'])} runs: the floor",
        )
    ]
    for name, seconds in took.items():
        if name == "/help":
            continue
        for p, target, label in ((50, MEDIAN_RATIO, "median"), (95, P95_RATIO, "p95")):
            ms = percentile(seconds, p) * 1000
            figures.append(
                Figure(
                    BENCH,
                    f"{name} {label} ÷ /help ({mode})",
                    ms / help_ms[p],
                    "×",
                    target,
                    note=f"{ms:.2f} ms vs {help_ms[p]:.2f} ms; from dispatch "
                    f"{percentile(dispatched[name], p) / help_dispatched[p]:.2f} ×",
                    baseline=help_ms[p],
                )
            )
    return figures


async def kept_figures(
    driver: Driver, guild: Guild, typist: User, loggers: list[User], runs: int
) -> list[Figure]:
    """Autocomplete over 2,000 prospects, /meeting log and its thank-you DM (in ms).

    Each /meeting log is another member's: Discord lets a bot send 5 messages in 5
    seconds into one channel, so one member's nudges back to back would measure that."""
    figures: list[Figure] = []
    suggest_took = []
    for n in range(WARM_UP + runs):
        typed = TYPED[n % len(TYPED)]
        began = time.perf_counter()
        choices = await driver.autocomplete(
            f'/prospect show prospect:"{typed}"', user=typist, guild=guild
        )
        if n >= WARM_UP:
            suggest_took.append(time.perf_counter() - began)
        assert choices or typed == "zz", typed
    figures += latency_figures(
        BENCH,
        "autocomplete (2,000)",
        suggest_took,
        p95_target_ms=AUTOCOMPLETE_P95_MS,
        max_limit_ms=DISCORD_DEADLINE_MS,
        limit_note="Discord's 3 s",
    )

    log_took, dm_delays = [], []
    for n, logger in enumerate(loggers):
        began = time.perf_counter()
        # The value Discord sends when the member picks a suggestion: the prospect's id.
        await timed(
            driver.run(
                '/meeting log prospect:1 when:"3 hours ago" takeaways:"Analytics teams value SQL"',
                user=logger,
                guild=guild,
                pick_suggestions=False,
            ),
            "Logged",
        )
        logged = time.perf_counter()
        dms = await driver.wait_for_dms(logger, count=1, interactions=False)
        arrived = time.perf_counter()
        assert "thank" in dms[-1].text.lower(), dms[-1].text
        if n >= WARM_UP:
            log_took.append(logged - began)
            dm_delays.append(arrived - began)
    figures += latency_figures(BENCH, "/meeting log", log_took, p95_target_ms=COMMAND_P95_MS)
    figures += latency_figures(
        BENCH, "/meeting log → thank-you DM", dm_delays, p95_target_ms=DM_P95_MS
    )
    return figures


async def run(runs: int = 200) -> list[Figure]:
    """Seed, start the bot, measure; the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as folder:
        data_dir = Path(folder) / "data"
        async with Emulator(token=TOKEN) as emu:
            guild = emu.add_guild("Career Club")

            def members(role: str) -> list[User]:
                return [emu.add_user(f"{role}{k}", guild=guild) for k in range(IN_FLIGHT)]

            commands = {
                c.name: c
                for c in (
                    Command("/help", lambda n: "/help", "/prospect", members("reader")),
                    Command(
                        "/prospect add",
                        lambda n: f'/prospect add name:"New Person {n}" organization:"Acme"',
                        "Added",
                        members("adder"),
                    ),
                    Command(
                        "/prospect list", lambda n: "/prospect list", "(500)", members("lister")
                    ),
                    Command(
                        "/meeting prep",
                        lambda n: "/meeting prep meeting:1",
                        "Ada Lovelace",
                        members("prepper"),
                        pick_suggestions=False,
                    ),
                    Command("/progress", lambda n: "/progress", "**500**", members("veteran")),
                )
            }
            typist = emu.add_user("typist", guild=guild)
            loggers = [emu.add_user(f"logger{n}", guild=guild) for n in range(WARM_UP + runs)]
            began = time.perf_counter()
            await seed(data_dir, commands)
            await seed_others(data_dir, typist, loggers)
            print(
                f"set-up: members' data seeded through the stores in "
                f"{time.perf_counter() - began:.1f} s"
            )
            bot = await start_bot(emu, data_dir, Path(folder) / "bot.log")
            try:
                await bot.wait_for_log("ready as ", timeout=60)
                await bot.wait_for_log(r"reminders: checked \d+ stores", timeout=60)
                driver = Driver(emu, timeout=30)
                order = list(commands.values())
                alone = await rounds(driver, guild, order, runs, 1)
                # As many rounds as one at a time: a round's 8 answers rise and fall
                # together, so fewer rounds (runs / 8 before) left the ratio to chance.
                together = await rounds(driver, guild, order, runs, IN_FLIGHT)
                figures = ratio_figures(alone, "one at a time")
                figures += ratio_figures(together, f"{IN_FLIGHT} in flight")
                figures += await kept_figures(driver, guild, typist, loggers, runs)
            finally:
                await bot.stop()
            # A fast answer Discord would refuse is no answer at all.
            assert emu.violations == [], emu.violations
            assert emu.unknown_routes == [], emu.unknown_routes
    return figures


async def seed_others(data_dir: Path, typist: User, loggers: list[User]) -> None:
    """The autocomplete member's 2,000 prospects; one prospect for each logger (copies of
    one store: the same file the store API writes for each)."""
    stores = Stores(StorePool(data_dir, Clock()))
    try:
        async with stores.member(typist.id) as store:
            await store.set_settings(timezone=ZONE)
            await add_prospects(store, 2000)
        async with stores.member(loggers[0].id) as store:
            await store.set_settings(timezone=ZONE, quiet_start="00:00", quiet_end="00:00")
            await store.add_prospect("Ada Lovelace", organization="Analytical Engines")
    finally:
        await stores.close()
    users = data_dir / "users"
    for logger in loggers[1:]:
        shutil.copyfile(users / f"{loggers[0].id}.sqlite3", users / f"{logger.id}.sqlite3")
