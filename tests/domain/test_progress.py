"""The dashboard's rules: funnel counts, the career-stage mix and what is due next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.domain.business_days import add_business_days
from bot.domain.progress import (
    DueRequests,
    DueThanks,
    OpenMeeting,
    OpenRequest,
    Pipeline,
    PipelineEntry,
    StageFix,
    StageNudge,
    _overdue_checkpoint,
    funnel,
    next_actions,
    stage_mix,
    stage_nudge,
)

UTC_ZONE = ZoneInfo("UTC")
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def entry(n: int, status: str = "to-contact", stage: str | None = None, **kw) -> PipelineEntry:
    return PipelineEntry(n, f"Person {n}", stage, status, kw.get("created_at"))


def actions(**kw):
    defaults = {
        "now": FRIDAY,
        "tz": UTC_ZONE,
        "thanks_owed": [],
        "open_requests": [],
        "pipeline": [],
    }
    merged = {**defaults, **kw}
    shown = merged.get("limit", 8)
    merged["pipeline"] = Pipeline.of(merged["pipeline"], shown)
    merged["thanks"] = DueThanks.of(merged.pop("thanks_owed"), merged["now"], shown)
    merged["requests"] = DueRequests.of(merged.pop("open_requests"), merged["now"], shown)
    return next_actions(**merged)


# -- funnel -------------------------------------------------------------------------
def test_funnel_counts_every_prospect_that_reached_each_step():
    statuses = ["to-contact", "contacted", "replied", "scheduled", "met", "thanked", "thanked"]
    assert funnel(Pipeline.of([entry(i, s) for i, s in enumerate(statuses)])) == [
        ("prospects", 7),
        ("contacted", 6),
        ("replied", 5),  # a scheduled meeting means they replied
        ("met", 3),
        ("thanked", 2),
    ]


def test_funnel_of_nobody_is_all_zeros():
    assert [count for _, count in funnel(Pipeline.of([]))] == [0, 0, 0, 0, 0]


# -- career stages --------------------------------------------------------------------
def test_stage_mix_lists_every_stage_and_the_unset_ones():
    mix = stage_mix(Pipeline.of([entry(1, stage="emerging"), entry(2, stage="emerging"), entry(3)]))
    assert mix == [("emerging", 2), ("mid-career", 0), ("established", 0), ("not set", 1)]


def test_stage_mix_leaves_out_not_set_when_every_stage_is_known():
    mix = stage_mix(Pipeline.of([entry(1, stage="established")]))
    assert [stage for stage, _ in mix] == ["emerging", "mid-career", "established"]


def test_nudge_names_the_missing_stages():
    nudge = stage_nudge(stage_mix(Pipeline.of([entry(1, stage="emerging")])))
    assert nudge == StageNudge(("mid-career", "established"), 0, StageFix.ADD)


def test_nudge_suggests_setting_stages_when_some_are_unset():
    nudge = stage_nudge(stage_mix(Pipeline.of([entry(1, stage="emerging"), entry(2)])))
    assert nudge == StageNudge(("mid-career", "established"), 1, StageFix.SET_SOME)


def test_nudge_when_no_prospect_has_a_stage_yet():
    nudge = stage_nudge(stage_mix(Pipeline.of([entry(1), entry(2)])))
    assert nudge == StageNudge(("emerging", "mid-career", "established"), 2, StageFix.SET_ALL)


def test_no_nudge_when_all_three_stages_are_there_or_nobody_yet():
    full = [entry(i, stage=s) for i, s in enumerate(("emerging", "mid-career", "established"))]
    assert stage_nudge(stage_mix(Pipeline.of(full))) is None
    assert stage_nudge(stage_mix(Pipeline.of([]))) is None


# -- next actions -----------------------------------------------------------------------
def test_overdue_thanks_come_first_then_followups_then_people_never_asked():
    found, more = actions(
        pipeline=[entry(1, created_at=FRIDAY - timedelta(days=30))],
        open_requests=[
            OpenRequest(10, "Day Three", "Acme", FRIDAY - timedelta(days=5)),
            OpenRequest(11, "Day Seven", "Initech", FRIDAY - timedelta(days=14)),
        ],
        thanks_owed=[OpenMeeting(20, "Met Yesterday", FRIDAY - timedelta(days=1))],
    )
    assert [(a.kind, a.name) for a in found] == [
        ("thanks", "Met Yesterday"),
        ("follow-up", "Day Seven"),
        ("second-contact", "Day Three"),
        ("contact", "Person 1"),
    ]
    assert found[2].organization == "Acme"
    assert more == 0


def test_oldest_thanks_first():
    found, _ = actions(
        thanks_owed=[
            OpenMeeting(1, "Recent", FRIDAY - timedelta(hours=3)),
            OpenMeeting(2, "Last week", FRIDAY - timedelta(days=7)),
        ]
    )
    assert [a.name for a in found] == ["Last week", "Recent"]


def test_a_meeting_that_has_not_ended_owes_no_thanks_yet():
    found, _ = actions(thanks_owed=[OpenMeeting(1, "Later today", FRIDAY + timedelta(hours=1))])
    assert found == []


def test_followups_count_business_days_not_calendar_days():
    # Sent Tuesday 15:00: day 3 is Friday 15:00, reached exactly now.
    tuesday = FRIDAY - timedelta(days=3)
    found, _ = actions(open_requests=[OpenRequest(1, "Tue", None, tuesday)])
    assert [a.kind for a in found] == ["second-contact"]
    # Sent Wednesday: day 3 is Monday, so nothing is due on Friday despite 2+ days.
    wednesday = FRIDAY - timedelta(days=2)
    assert actions(open_requests=[OpenRequest(2, "Wed", None, wednesday)])[0] == []


def test_day_seven_replaces_day_three_for_the_same_request():
    sent = FRIDAY - timedelta(days=9)  # Wednesday the week before: 7 business days
    found, _ = actions(open_requests=[OpenRequest(1, "Old", "Acme", sent)])
    assert [a.kind for a in found] == ["follow-up"]


def test_business_days_follow_the_members_zone():
    # Tuesday 23:30 UTC is already Wednesday in Tokyo, so day 3 there is Monday.
    sent = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    now = datetime(2026, 11, 27, 23, 45, tzinfo=UTC)
    request = OpenRequest(1, "Tokyo", None, sent)
    assert [a.kind for a in actions(now=now, open_requests=[request])[0]] == ["second-contact"]
    tokyo = actions(now=now, tz=ZoneInfo("Asia/Tokyo"), open_requests=[request])[0]
    assert tokyo == []


def test_people_never_asked_oldest_first_and_only_to_contact():
    pipeline = [
        entry(1, created_at=FRIDAY - timedelta(days=1)),
        entry(2, "contacted", created_at=FRIDAY - timedelta(days=9)),
        entry(3, created_at=FRIDAY - timedelta(days=5)),
    ]
    found, _ = actions(pipeline=pipeline)
    assert [a.name for a in found] == ["Person 3", "Person 1"]


def test_long_lists_are_cut_and_say_how_many_more():
    pipeline = [entry(i, created_at=FRIDAY - timedelta(days=i)) for i in range(12)]
    found, more = actions(pipeline=pipeline, limit=5)
    assert len(found) == 5
    assert more == 7


# -- the checkpoints' shortcut ------------------------------------------------------------
ZONES = [UTC_ZONE, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"),
         ZoneInfo("Asia/Kathmandu"), ZoneInfo("Pacific/Kiritimati")]  # fmt: skip


@settings(max_examples=600, deadline=None)
@example(
    sent=datetime(2026, 11, 23, 10), elapsed=timedelta(days=3), zone=UTC_ZONE
)  # Monday → Thursday, on the dot
@example(sent=datetime(2026, 11, 23, 10), elapsed=timedelta(days=3, seconds=-1), zone=UTC_ZONE)
@example(
    sent=datetime(2026, 11, 21, 10), elapsed=timedelta(days=11), zone=UTC_ZONE
)  # Saturday → the 7th: Wednesday
@example(
    sent=datetime(2026, 3, 5, 15), elapsed=timedelta(days=5, hours=-1), zone=ZONES[1]
)  # over spring-forward
@example(
    sent=datetime(2026, 11, 21, 23, 59), elapsed=timedelta(days=11, seconds=-1), zone=UTC_ZONE
)  # Saturday night: the 7th is 11 days later, the longest it can take
@example(
    sent=datetime(2026, 11, 20, 23, 59), elapsed=timedelta(days=5, seconds=-1), zone=UTC_ZONE
)  # Friday night: the 3rd is Wednesday, 5 days later
@given(
    sent=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    zone=st.sampled_from(ZONES),
)
def test_the_checkpoint_shortcut_agrees_with_the_calendar(sent, elapsed, zone):
    """Requests well past (or short of) a checkpoint skip the calendar walk: the answer
    must be the one the walk gives, across weekends, DST nights and odd offsets."""
    sent = sent.replace(tzinfo=UTC)
    now = sent + elapsed
    walked = next(
        (d for d in (7, 3) if add_business_days(sent, d, zone) <= now),
        None,
    )
    assert _overdue_checkpoint(sent, now, zone) == walked


def test_a_pipeline_summed_up_counts_everyone_and_keeps_the_oldest_never_asked():
    entries = [
        entry(3, stage="emerging", created_at=FRIDAY - timedelta(days=3)),
        entry(1, "met", created_at=FRIDAY - timedelta(days=9)),
        entry(2, created_at=FRIDAY - timedelta(days=5)),
        entry(4, created_at=FRIDAY - timedelta(days=1)),
    ]
    pipeline = Pipeline.of(entries, shown=2)
    assert pipeline.counts == {("emerging", "to-contact"): 1, (None, "met"): 1,
                               (None, "to-contact"): 2}  # fmt: skip
    assert [e.prospect_id for e in pipeline.never_contacted] == [2, 3]
    assert (pipeline.unstaged, pipeline.total(), pipeline.total("to-contact")) == ("Person 1", 4, 3)
    found, more = next_actions(
        now=FRIDAY,
        tz=UTC_ZONE,
        thanks=DueThanks(0, []),
        requests=DueRequests(0, [], []),
        pipeline=pipeline,
        limit=2,
    )
    assert ([a.name for a in found], more) == (["Person 2", "Person 3"], 1)


def walked_actions(now, tz, owed, requests, pipeline, limit):
    """next_actions as first written: every request walked through the calendar."""
    thanks = [("thanks", m.prospect_name) for m in sorted(owed, key=lambda m: m.ends_at)
              if m.ends_at <= now]  # fmt: skip
    overdue = []
    for n, request in enumerate(sorted(requests, key=lambda r: r.sent_at)):
        for days, kind in ((7, "follow-up"), (3, "second-contact")):
            if add_business_days(request.sent_at, days, tz) <= now:
                overdue.append((days == 3, request.sent_at, n, kind, request.prospect_name))
                break
    found = thanks + [(kind, name) for *_, kind, name in sorted(overdue)]
    found += [("contact", e.name) for e in pipeline.never_contacted]
    due = len(thanks) + len(overdue) + pipeline.total("to-contact")
    return found[:limit], max(0, due - limit)


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    ages=st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)), max_size=30),
    ended=st.lists(
        st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=9)), max_size=12
    ),
    zone=st.sampled_from(ZONES),
    limit=st.integers(min_value=1, max_value=12),
)
def test_what_the_store_sums_up_gives_the_actions_every_request_walked_would(
    now, ages, ended, zone, limit
):
    """The store counts the old requests and reads only those shown (DueRequests), and
    the ended meetings likewise (DueThanks): the actions and the count left off must be
    those of deciding every request and meeting."""
    now = now.replace(tzinfo=UTC)
    requests = [OpenRequest(n, f"R{n}", None, now - age) for n, age in enumerate(ages)]
    owed = [OpenMeeting(n, f"M{n}", now - age) for n, age in enumerate(ended)]
    pipeline = Pipeline.of([entry(i, created_at=now - timedelta(days=i)) for i in range(3)], limit)
    found, more = next_actions(
        now=now,
        tz=zone,
        thanks=DueThanks.of(owed, now, limit),
        requests=DueRequests.of(requests, now, limit),
        pipeline=pipeline,
        limit=limit,
    )
    assert ([(a.kind, a.name) for a in found], more) == walked_actions(
        now, zone, owed, requests, pipeline, limit
    )
