"""The member's dashboard: how far each prospect got, the career-stage mix, what to do next.

Pure functions over plain data the store returns; no Discord, no SQL, and `now` and the
member's time zone are passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.business_days import add_business_days
from bot.domain.models import STAGES, STATUSES

__all__ = [
    "FIRST_CHECKPOINT_DAYS",
    "FUNNEL",
    "NEXT_ACTIONS_SHOWN",
    "SECOND_CHECKPOINT_DAYS",
    "DueRequests",
    "DueThanks",
    "NextAction",
    "OpenMeeting",
    "OpenRequest",
    "Pipeline",
    "PipelineEntry",
    "StageFix",
    "StageNudge",
    "checkpoint_window",
    "funnel",
    "next_actions",
    "stage_mix",
    "stage_nudge",
]

# The 3B7 routine: business days without a reply before each checkpoint.
FIRST_CHECKPOINT_DAYS = 3
SECOND_CHECKPOINT_DAYS = 7

# Funnel step → the statuses that have reached it (a status implies every earlier step).
FUNNEL = (
    ("prospects", STATUSES),
    ("contacted", STATUSES[1:]),
    ("replied", STATUSES[2:]),
    ("met", ("met", "thanked")),
    ("thanked", ("thanked",)),
)
NOT_SET = "not set"
NEXT_ACTIONS_SHOWN = 8  # the dashboard's next actions; the rest are counted
_NEVER = datetime.max.replace(tzinfo=UTC)  # sorts after any real time


# The records the store makes one of per row (500 prospects, 300 requests) are named
# tuples: a frozen dataclass costs about three times as much to build.
class PipelineEntry(NamedTuple):
    """One prospect as the dashboard sees it."""

    prospect_id: int
    name: str
    stage: str | None
    status: str
    created_at: datetime | None = None


class Pipeline(NamedTuple):
    """Every prospect as the dashboard needs them: how many at each (stage, status), the
    first few never contacted (oldest first, as many as the dashboard can show) and the
    oldest prospect with no stage. The store sums them up; `of` does it from entries."""

    counts: Mapping[tuple[str | None, str], int]
    never_contacted: Sequence[PipelineEntry] = ()
    unstaged: str | None = None

    @classmethod
    def of(cls, entries: Iterable[PipelineEntry], shown: int = NEXT_ACTIONS_SHOWN) -> Pipeline:
        """The summary of `entries`, keeping the `shown` oldest never contacted."""
        entries = sorted(entries, key=lambda e: e.prospect_id)
        never = sorted(
            (entry for entry in entries if entry.status == "to-contact"),
            key=lambda e: (e.created_at is None, e.created_at or _NEVER, e.prospect_id),
        )
        return cls(
            Counter((entry.stage or None, entry.status) for entry in entries),
            never[:shown],
            next((entry.name for entry in entries if not entry.stage), None),
        )

    def total(self, status: str | None = None) -> int:
        """How many prospects (with this status)."""
        return sum(n for (_, s), n in self.counts.items() if status in (None, s))


class OpenMeeting(NamedTuple):
    """A meeting that has ended (or been marked done) with no thank-you sent or skipped."""

    meeting_id: int
    prospect_name: str
    ends_at: datetime


class OpenRequest(NamedTuple):
    """The latest request to a prospect, still without a reply."""

    prospect_id: int
    prospect_name: str
    organization: str | None
    sent_at: datetime


class DueThanks(NamedTuple):
    """Meetings that have ended with no thank-you sent or skipped: how many, and the
    first `shown` to have ended, in that order (what the store reads)."""

    ended: int
    oldest: list[OpenMeeting]

    @classmethod
    def of(cls, owed: Iterable[OpenMeeting], now: datetime, shown: int) -> DueThanks:
        """From every meeting owing thanks, as the store sums them up."""
        ended = sorted((m for m in owed if m.ends_at <= now), key=lambda m: m.ends_at)
        return cls(len(ended), ended[:shown])


class DueRequests(NamedTuple):
    """Open requests as the dashboard needs them (what the store reads, see
    `checkpoint_window`): how many were sent so long ago that their day-7 checkpoint has
    passed whatever the calendar, the oldest `shown` of those, and every one sent in the
    window where the calendar decides."""

    past_day_seven: int
    oldest: list[OpenRequest]
    undecided: list[OpenRequest]

    @classmethod
    def of(cls, requests: Iterable[OpenRequest], now: datetime, shown: int) -> DueRequests:
        """From every open request, as the store sums them up."""
        surely, not_yet = checkpoint_window(now)
        ordered = sorted(requests, key=lambda r: r.sent_at)
        past = [r for r in ordered if r.sent_at < surely]
        undecided = [r for r in ordered if surely <= r.sent_at <= not_yet]
        return cls(len(past), past[:shown], undecided)


@dataclass(frozen=True, slots=True)
class NextAction:
    """Something the member should do now.

    `kind` is, in order of urgency: thanks (a meeting with no thank-you), follow-up (no
    reply after 7 business days: follow up once), second-contact (no reply after 3: ask
    someone else at `organization`), contact (a prospect never asked). `since` is when
    the meeting ended, the request was sent or the prospect was added.
    """

    kind: str
    name: str
    since: datetime | None = None
    organization: str | None = None


def funnel(pipeline: Pipeline) -> list[tuple[str, int]]:
    """(step, how many prospects reached it) from prospects to thanked, in order."""
    counts: Counter[str] = Counter()
    for (_, status), n in pipeline.counts.items():
        counts[status] += n
    return [(step, sum(counts[s] for s in reached)) for step, reached in FUNNEL]


def stage_mix(pipeline: Pipeline) -> list[tuple[str, int]]:
    """(career stage, count) for every stage, then "not set" when some have none."""
    counts: Counter[str] = Counter()
    for (stage, _), n in pipeline.counts.items():
        counts[stage if stage in STAGES else NOT_SET] += n
    mix = [(stage, counts[stage]) for stage in STAGES]
    if counts[NOT_SET]:
        mix.append((NOT_SET, counts[NOT_SET]))
    return mix


class StageFix(StrEnum):
    """How the member can fill a missing career stage."""

    SET_ALL = "set-all"  # nobody has a stage yet: set theirs
    SET_SOME = "set-some"  # some have no stage: setting theirs may fill the gap
    ADD = "add"  # everyone has a stage: add someone at a missing one


@dataclass(frozen=True, slots=True)
class StageNudge:
    """Career stages with nobody yet (in STAGES order), how many prospects have no
    stage, and what the member can do about it."""

    missing: tuple[str, ...]
    not_set: int
    fix: StageFix


def stage_nudge(mix: Iterable[tuple[str, int]]) -> StageNudge | None:
    """The career stages with nobody yet, or None when all three are met (or no one is
    on the list).

    The method asks for emerging, mid-career and established people: each sees the
    field from a different height.
    """
    counts = dict(mix)
    if not any(counts.values()):
        return None
    missing = tuple(stage for stage in STAGES if not counts.get(stage))
    if not missing:
        return None
    not_set = counts.get(NOT_SET, 0)
    if len(missing) == len(STAGES):
        fix = StageFix.SET_ALL
    elif not_set:
        fix = StageFix.SET_SOME
    else:
        fix = StageFix.ADD
    return StageNudge(missing, not_set, fix)


def _calendar_span(days: int) -> tuple[timedelta, timedelta]:
    """The shortest and longest time `days` business days can take (days < 10): each
    five cross a weekend, a weekend start adds up to two days more, and a DST night an
    hour either way (two, to be safe). Outside that span whether a checkpoint has passed
    is known without the calendar (most of a long list of old requests)."""
    weekends = 2 * (days // 5)
    return (
        timedelta(days=days + weekends, hours=-2),
        timedelta(days=days + weekends + 2, hours=2),
    )


_CHECKPOINT_WINDOWS = tuple(
    (days, *_calendar_span(days)) for days in (SECOND_CHECKPOINT_DAYS, FIRST_CHECKPOINT_DAYS)
)


def checkpoint_window(now: datetime) -> tuple[datetime, datetime]:
    """(surely, not_yet): a request sent before `surely` has passed its day-7 checkpoint
    whatever the calendar, and one sent after `not_yet` hasn't reached day 3; in between,
    the member's calendar decides."""
    return (
        now - _calendar_span(SECOND_CHECKPOINT_DAYS)[1],
        now - _calendar_span(FIRST_CHECKPOINT_DAYS)[0],
    )


def _overdue_checkpoint(sent_at: datetime, now: datetime, tz: ZoneInfo) -> int | None:
    """7 or 3 when that 3B7 checkpoint has passed without a reply, else None."""
    elapsed = now - sent_at
    for days, at_least, at_most in _CHECKPOINT_WINDOWS:
        if elapsed > at_most or (
            elapsed >= at_least and add_business_days(sent_at, days, tz) <= now
        ):
            return days
    return None


def next_actions(
    *,
    now: datetime,
    tz: ZoneInfo,
    thanks: DueThanks,
    requests: DueRequests,
    pipeline: Pipeline,
    limit: int = NEXT_ACTIONS_SHOWN,
) -> tuple[list[NextAction], int]:
    """What is due, most urgent first, and how many more were left off past `limit`.

    Overdue thank-yous first (oldest meeting first: the method asks for thanks within a
    day), then 3B7 follow-ups whose checkpoint has passed (day 7 before day 3, oldest
    first), then prospects never contacted (oldest first).
    """
    actions = [
        NextAction("thanks", meeting.prospect_name, meeting.ends_at)
        for meeting in thanks.oldest[:limit]
    ]
    # The requests sent long ago are all past day 7, and older than any the calendar
    # decides: they come first. The others sort as (day 3 rather than 7, sent).
    decided = sorted(
        (checkpoint == FIRST_CHECKPOINT_DAYS, request.sent_at, n)
        for n, request in enumerate(requests.undecided)
        if (checkpoint := _overdue_checkpoint(request.sent_at, now, tz)) is not None
    )
    overdue = [(False, request) for request in requests.oldest] + [
        (day_three, requests.undecided[n]) for day_three, _, n in decided
    ]
    due = thanks.ended + requests.past_day_seven + len(decided) + pipeline.total("to-contact")
    for day_three, request in overdue[: max(0, limit - len(actions))]:
        kind = "second-contact" if day_three else "follow-up"
        actions.append(
            NextAction(kind, request.prospect_name, request.sent_at, request.organization)
        )
    actions += [
        NextAction("contact", entry.name, entry.created_at)
        for entry in pipeline.never_contacted[: limit - len(actions)]
    ]
    return actions, max(0, due - limit)
