"""A whole club's reminders due in the same second, against Discord's global rate limit.

Quiet hours end at 08:00 for a whole club at once, so the nudges they held fall due in
the same second. The bot runs as deployed (`python -m bot`, bench/process.py) against
the emulator, which enforces Discord's global limit (50 requests a second, 429 past it)
and its per-route buckets. Every member's store holds a thank-you nudge due at the same
second, a little after the bot has started and checked the stores; half the members
have had a DM from the bot before (the DM channel's id is stored: one request a DM),
half have not (open the DM channel, then send: two). The bot's timers fire at that
second and the engine delivers, as it would at 08:00.

Measured, as members feel it:
  delivered per second, as a fraction of what the limit allows (50 requests a second
    over the requests the club's DMs need), from the due second to the last DM;
  429s drawn, DMs lost, DMs duplicated;
  /help's p95 while the burst goes out, against its p95 when the bot is idle.

Member stores are copies of one made through the store API (the same file the API
writes for each member; making 2,000 of them one by one takes over a minute).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bench.process import start_bot
from bench.report import Figure, percentile
from bot.clock import Clock
from bot.emulator.driver import Driver
from bot.emulator.models import Guild, User
from bot.emulator.ratelimits import GLOBAL_PER_SECOND, INTERACTION_PREFIXES
from bot.emulator.server import Emulator, RequestLog
from bot.reminders.delivery import DM_CHANNEL_SETTING
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool

BENCH = "burst"
TOKEN = "emulator-token-for-the-benchmark"  # noqa: S105 - a fake token for a local fake Discord
IDLE_PROBES = 300
# A member's /help every 50 ms while the burst goes out: a busy club, not a load test.
PROBE_EVERY = 0.05
# Time for the set-up, the bot's start and its check of the stores before the nudges fall
# due: a fixed part, and a part for each member's store.
LEAD_SECONDS = 30.0
LEAD_PER_MEMBER = 0.015
STOP_AFTER_SECONDS = 600.0

# Targets (issue 12).
BOUND_FRACTION = 0.9
HELP_P95_UNDER_BURST = 2.0


async def template_store(folder: Path, due: datetime) -> tuple[Path, int]:
    """One member's store with a meeting held three hours before `due` and its thank-you
    nudge due then, no quiet hours; the file and the nudge's id."""
    clock = Clock()
    stores = Stores(StorePool(folder, clock))
    try:
        async with stores.member(1) as store:
            await store.set_settings(quiet_start="00:00", quiet_end="00:00")
            prospect = await store.add_prospect("Ada Lovelace", organization="Analytical Engines")
            async with store.transaction():
                meeting = await store.add_meeting(prospect.id, due - timedelta(hours=3))
                reminder_id = await store.add_reminder("thanks", due_at=due, meeting_id=meeting.id)
    finally:
        await stores.close()
    return stores.pool.data_dir / "users" / "1.sqlite3", reminder_id


async def seed_club(
    data_dir: Path, due: datetime, members: list[User], known: dict[int, int]
) -> None:
    """Every member's store with a nudge due at `due`, in the index too (as a running bot
    leaves it); `known` maps members who had a DM before to their DM channel's id."""
    with tempfile.TemporaryDirectory(prefix="bench-template-") as folder:
        template, reminder_id = await template_store(Path(folder), due)
        users = data_dir / "users"
        users.mkdir(parents=True, exist_ok=True)

        def copy_all() -> None:
            for user in members:
                shutil.copyfile(template, users / f"{user.id}.sqlite3")

        await asyncio.to_thread(copy_all)
    stores = Stores(StorePool(data_dir, Clock()))
    try:
        for user_id, channel_id in known.items():
            async with stores.member(user_id, create=False) as store:
                await store.set_settings(**{DM_CHANNEL_SETTING: channel_id})
    finally:
        await stores.close()
    index = DueIndex(data_dir)
    await index.open()
    try:
        for user in members:
            await index.put(user.id, [(reminder_id, due)])
    finally:
        await index.close()


async def help_once(driver: Driver, user: User, guild: Guild) -> float:
    """Seconds one /help took, from the member's command to the bot's answer."""
    began = time.perf_counter()
    reply = await driver.run("/help", user=user, guild=guild)
    took = time.perf_counter() - began
    assert reply.ephemeral, reply.text[:100]
    return took


class DMsSent:
    """How many DMs the emulator accepted since a point in its request log (read on as
    the log grows, so a look costs only the requests since the last one)."""

    def __init__(self, requests: list[RequestLog], start: int) -> None:
        self.requests = requests
        self.seen = start
        self.sent = 0

    def count(self) -> int:
        """DMs accepted so far."""
        for request in self.requests[self.seen :]:
            if request.method == "POST" and request.path.endswith("/messages"):
                self.sent += request.status == 200
        self.seen = len(self.requests)
        return self.sent


def counted(requests: list[RequestLog]) -> list[RequestLog]:
    """The requests Discord's global limit counts (not the interaction endpoints)."""
    return [r for r in requests if not r.path.startswith(INTERACTION_PREFIXES)]


async def run(
    members: int = 2000, known_share: float = 0.5, rate_limit: float | None = None
) -> list[Figure]:
    """Seed the club, start the bot, let every nudge fall due in one second; the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as folder:
        data_dir = Path(folder) / "data"
        async with Emulator(token=TOKEN, global_rate_limit=GLOBAL_PER_SECOND) as emu:
            guild = emu.add_guild("Career Club")
            prober = emu.add_user("prober", guild=guild)
            club = [emu.add_user(f"member{n}", guild=guild) for n in range(members)]
            first_contact = club[: round(members * (1 - known_share))]
            known = {user.id: emu.dm_channel(user).id for user in club[len(first_contact) :]}
            lead = timedelta(seconds=LEAD_SECONDS + LEAD_PER_MEMBER * members)
            due = (Clock().now() + lead).replace(microsecond=0)
            began = time.perf_counter()
            await seed_club(data_dir, due, club, known)
            print(
                f"set-up: {members:,} members' stores with a nudge due in the same second "
                f"({len(first_contact):,} never DMed before) in {time.perf_counter() - began:.1f} s"
            )
            env = {} if rate_limit is None else {"DISCORD_RATE_LIMIT": str(rate_limit)}
            bot = await start_bot(emu, data_dir, Path(folder) / "bot.log", **env)
            try:
                await bot.wait_for_log("ready as ", timeout=60)
                await bot.wait_for_log(r"reminders: checked \d+ stores", timeout=lead.seconds)
                driver = Driver(emu, timeout=30)
                idle = []
                for _ in range(IDLE_PROBES):
                    idle.append(await help_once(driver, prober, guild))
                    await asyncio.sleep(PROBE_EVERY)
                wait = (due - Clock().now()).total_seconds()
                if wait < 0:
                    print(f"warning: the bot was still starting {-wait:.1f} s after the due second")
                await asyncio.sleep(max(0.0, wait))
                requests_before = len(emu.requests)
                during: list[float] = []
                sent = DMsSent(emu.requests, requests_before)
                async with asyncio.timeout(STOP_AFTER_SECONDS):
                    while sent.count() < members:
                        during.append(await help_once(driver, prober, guild))
                        await asyncio.sleep(PROBE_EVERY)
            finally:
                await bot.stop()
            burst_requests = emu.requests[requests_before:]
            assert emu.violations == [], emu.violations
            per_member = Counter(
                message.channel_id for user in club for message in emu.dms(user, interactions=False)
            )
            last_dm = max(
                message.created_at for user in club for message in emu.dms(user, interactions=False)
            )

    elapsed = (last_dm - due).total_seconds()
    delivered = len(per_member)
    duplicated = sum(count - 1 for count in per_member.values())
    lost = members - delivered
    limited = sum(r.status == 429 for r in burst_requests)
    needed = 2 * len(first_contact) + len(known)
    bound_per_second = members / (needed / GLOBAL_PER_SECOND)
    fraction = delivered / elapsed / bound_per_second
    idle_p95, during_p95 = percentile(idle, 95) * 1000, percentile(during, 95) * 1000
    print(
        f"burst: {delivered:,} DMs in {elapsed:.1f} s from the due second "
        f"({delivered / elapsed:.1f}/s; the limit allows {bound_per_second:.1f}/s for "
        f"{needed:,} requests); {len(counted(burst_requests)):,} requests counted by the "
        f"global limit, {limited} answered 429; /help p95 {during_p95:.1f} ms during "
        f"({len(during)} runs), {idle_p95:.1f} ms idle"
    )
    return [
        Figure(
            BENCH,
            "delivered/s ÷ the limit's bound",
            fraction,
            "",
            BOUND_FRACTION,
            higher_is_better=True,
            note=f"{delivered / elapsed:.1f} DMs/s of {bound_per_second:.1f}/s; "
            f"{members:,} members, {len(first_contact):,} first contact",
            baseline=bound_per_second,
        ),
        Figure(
            BENCH,
            "429s drawn",
            limited,
            "",
            0,
            hard=True,
            note=f"of {len(counted(burst_requests)):,} requests counted ({needed:,} needed)",
        ),
        Figure(BENCH, "DMs lost", lost, "", 0, hard=True),
        Figure(BENCH, "DMs duplicated", duplicated, "", 0, hard=True),
        Figure(
            BENCH,
            "/help p95 during the burst ÷ idle",
            during_p95 / idle_p95,
            "×",
            HELP_P95_UNDER_BURST,
            note=f"{during_p95:.1f} ms vs {idle_p95:.1f} ms, {len(during)} runs",
            baseline=idle_p95,
        ),
    ]
