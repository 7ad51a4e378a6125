"""Practice pairings (issue 15): who practises with whom each round, when rounds fall,
and which questions a pair is offered.

Donut-style coffee chats, for informational interviews: members opt in, an officer sets
a cadence (every 1, 2 or 4 weeks, a weekday and an hour in their zone), and each round
pairs the members who opted in (a trio when their number is odd), avoiding partners
from the last few rounds when that can be done. A pair practises a conversation: one
plays the professional, the other asks; they swap halfway. Near the round's end each is
asked whether they met.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum, StrEnum
from itertools import combinations
from zoneinfo import ZoneInfo

from bot.domain.models import TIARA, BankRow

# How many past rounds a new pairing tries not to repeat.
RECENT_ROUNDS = 3
# How many steps the pairing search may take before it settles for the best it found:
# plenty for a club's few dozen members (a repeat-free pairing, when one exists, is
# usually the first one tried), and bounded for a large server.
SEARCH_BUDGET = 20_000
# The check-back comes this long before the next round would start (5 days into a weekly
# round), so a pair that hasn't met still has time to.
CHECKBACK_BEFORE_END = timedelta(days=2)
# A round started by hand with no schedule set lasts a week.
DEFAULT_ROUND = timedelta(weeks=1)
QUESTIONS_PER_PAIR = 3
# Of each TIARA category, a pair's question is drawn from its most-voted few.
TOP_OF_CATEGORY = 3

# The club's anonymous counts (/club stats) a round and its check-backs add to.
PAIRS_MADE = "practice_pairs"
PAIRS_MET = "practice_met"

Group = tuple[int, ...]


class Every(IntEnum):
    """How often rounds come, in weeks (Donut offers the same choices)."""

    WEEK = 1
    TWO_WEEKS = 2
    FOUR_WEEKS = 4

    @property
    def label(self) -> str:
        """ "every week", "every 2 weeks"."""
        return "every week" if self is Every.WEEK else f"every {self.value} weeks"


class Weekday(StrEnum):
    """The day of the week rounds start on."""

    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"

    @property
    def number(self) -> int:
        """Monday 0 … Sunday 6, as `date.weekday()` counts."""
        return list(Weekday).index(self)


class CheckBack(StrEnum):
    """What a member answered when asked whether their pair met."""

    MET = "met"
    NOT_YET = "not_yet"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class PracticeMember:
    """A member who opted in to practice pairings in a server."""

    user_id: int
    display_name: str
    joined_at: datetime
    paused_at: datetime | None = None
    paused_until: datetime | None = None  # None while paused: until they join again

    def available(self, now: datetime) -> bool:
        """Whether a round at `now` pairs them (not paused, or the pause is over)."""
        return self.paused_at is None or (
            self.paused_until is not None and self.paused_until <= now
        )


@dataclass(frozen=True, slots=True)
class PracticeSchedule:
    """A server's rounds: every `every` weeks on `weekday` (Monday 0) at `hour` in
    `timezone`; `next_round_at` None while paused."""

    every: int
    weekday: int
    hour: int
    timezone: str
    next_round_at: datetime | None


@dataclass(frozen=True, slots=True)
class PairMember:
    """One member of a practice pair, and what they answered the check-back."""

    user_id: int
    display_name: str
    answer: CheckBack | None = None
    dms_closed: bool = False


@dataclass(frozen=True, slots=True)
class PracticePair:
    """A pair (or trio) of one round."""

    id: int
    round_id: int
    started_at: datetime
    checkback_at: datetime
    met_at: datetime | None
    members: tuple[PairMember, ...]

    def member(self, user_id: int) -> PairMember | None:
        """This member's place in the pair, or None if they aren't in it."""
        return next((m for m in self.members if m.user_id == user_id), None)

    def partners(self, user_id: int) -> list[PairMember]:
        """Everyone in the pair but this member."""
        return [m for m in self.members if m.user_id != user_id]


# -- when rounds fall ------------------------------------------------------------------


def _at_hour(day: datetime, hour: int, tz: ZoneInfo) -> datetime:
    """`hour` o'clock on `day`'s local date in `tz` (an hour a DST change skips reads
    as the wall time after it, as zoneinfo does)."""
    return datetime.combine(day.astimezone(tz).date(), time(hour), tzinfo=tz).astimezone(UTC)


def first_round(now: datetime, weekday: int, hour: int, tz: ZoneInfo) -> datetime:
    """The first moment after `now` that is `weekday` (Monday 0) at `hour` in `tz`."""
    local = now.astimezone(tz)
    ahead = (weekday - local.weekday()) % 7
    start = _at_hour(local + timedelta(days=ahead), hour, tz)
    if start <= now:
        start = _at_hour(local + timedelta(days=ahead + 7), hour, tz)
    return start


def next_round(previous: datetime, every: int, hour: int, tz: ZoneInfo, now: datetime) -> datetime:
    """The round after the one due at `previous`: `every` weeks on, at `hour` local
    (kept across DST changes); if the bot was down so long that it has passed too, the
    first one in the same cadence after `now` (missed rounds are not made up)."""
    following = previous
    while following <= now or following == previous:
        following = _at_hour(following.astimezone(tz) + timedelta(weeks=every), hour, tz)
    return following


def after_round_now(
    scheduled: datetime, every: int, hour: int, tz: ZoneInfo, now: datetime
) -> datetime:
    """The schedule's next round once an officer made one now (/club practice now): the
    first on its cadence (same weekday and hour, `every` weeks apart) a full period
    after `now`, so the round made now runs its course instead of being followed by
    another within days, its members paired twice at once."""
    following = scheduled
    while following < now + timedelta(weeks=every):
        following = _at_hour(following.astimezone(tz) + timedelta(weeks=every), hour, tz)
    return following


def checkback_time(started_at: datetime, every: int | None) -> datetime:
    """When the members of a round's pairs are asked whether they met: two days before
    the next round (5 days into a weekly one); a week's round when no schedule is set."""
    length = timedelta(weeks=every) if every else DEFAULT_ROUND
    return started_at + length - CHECKBACK_BEFORE_END


# -- pairing -------------------------------------------------------------------------


def recent_partners(rounds: Iterable[Iterable[Group]]) -> set[frozenset[int]]:
    """Every two members who were in one group (a pair, or two of a trio) in `rounds`."""
    return {
        frozenset(two) for groups in rounds for group in groups for two in combinations(group, 2)
    }


def repeats(groups: Iterable[Group], recent: set[frozenset[int]]) -> int:
    """How many of the groups' two-member pairs were partners recently."""
    return sum(frozenset(two) in recent for group in groups for two in combinations(group, 2))


def make_pairs(
    members: Sequence[int],
    recent_rounds: Sequence[Sequence[Group]],
    rng: random.Random,
    *,
    budget: int = SEARCH_BUDGET,
) -> list[Group]:
    """Pair `members` for a round: everyone in exactly one pair, with one trio when their
    number is odd; none when fewer than two. Partners from `recent_rounds` are avoided:
    the pairing chosen has the fewest repeats the search could find (none whenever
    that's possible, for a club of any ordinary size).

    A branch-and-bound search over the members in a random order (so equal pairings are
    drawn fairly, and the same `rng` gives the same pairs): it takes the first member
    left and tries each partner (or, once, two partners for the trio), cheapest first,
    dropping any branch that can't beat the best pairing found. After `budget` steps it
    keeps the best found so far.
    """
    people = list(dict.fromkeys(members))
    if len(people) < 2:
        return []
    rng.shuffle(people)
    recent = recent_partners(recent_rounds)

    def cost(*group: int) -> int:
        return repeats([group], recent)

    best: list[Group] = []
    best_cost = len(people) + 1
    steps = 0

    def search(left: list[int], trio_needed: bool, chosen: list[Group], spent: int) -> None:
        nonlocal best, best_cost, steps
        if spent >= best_cost or steps >= budget:
            return
        steps += 1
        if not left:
            best, best_cost = list(chosen), spent
            return
        first, rest = left[0], left[1:]
        options: list[tuple[int, Group]] = []
        # A pair, if what is left after it can still be grouped (one trio, then pairs).
        if not trio_needed or len(rest) - 1 >= 3:
            options += [(cost(first, other), (first, other)) for other in rest]
        if trio_needed:
            options += [(cost(first, a, b), (first, a, b)) for a, b in combinations(rest, 2)]
        options.sort(key=lambda option: option[0])  # stable: the random order breaks ties
        for extra, group in options:
            remaining = [person for person in rest if person not in group]
            search(remaining, trio_needed and len(group) == 2, [*chosen, group], spent + extra)
            if best_cost == 0:
                return

    search(people, len(people) % 2 == 1, [], 0)
    return best


# -- what a pair talks about ---------------------------------------------------------


def practice_questions(
    bank: Sequence[BankRow], rng: random.Random, count: int = QUESTIONS_PER_PAIR
) -> list[BankRow]:
    """`count` questions for a practice conversation, each from a different TIARA
    category (drawn at random among those the bank has), each one of its category's
    most-voted few; in TIARA order, as a conversation would run. Fewer when the bank
    has fewer categories."""
    by_category = {
        category: sorted(
            (row for row in bank if row.category == category), key=lambda r: (-r.votes, r.id)
        )[:TOP_OF_CATEGORY]
        for category in TIARA
    }
    present = [category for category in TIARA if by_category[category]]
    picked = sorted(rng.sample(present, min(count, len(present))), key=TIARA.index)
    return [rng.choice(by_category[category]) for category in picked]
