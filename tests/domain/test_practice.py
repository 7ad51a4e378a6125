"""Practice pairings: everyone paired (a trio when odd), no repeat while one can be
avoided, the same pairs from the same seed; when rounds fall; which questions a pair gets."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import TIARA, BankRow
from bot.domain.practice import (
    CHECKBACK_BEFORE_END,
    Weekday,
    after_round_now,
    checkback_time,
    first_round,
    make_pairs,
    next_round,
    practice_questions,
    recent_partners,
    repeats,
)

SEEDS = range(60)


def groupings(people: list[int]) -> list[list[tuple[int, ...]]]:
    """Every way to split `people` into pairs plus one trio when odd (brute force)."""
    if not people:
        return [[]]
    if len(people) == 3:
        return [[tuple(people)]]
    first, rest = people[0], people[1:]
    found = []
    for other in rest:
        remaining = [p for p in rest if p != other]
        if len(remaining) != 1:
            found += [[(first, other), *g] for g in groupings(remaining)]
    if len(people) % 2 == 1:
        for a, b in combinations(rest, 2):
            remaining = [p for p in rest if p not in (a, b)]
            found += [
                [(first, a, b), *g] for g in groupings(remaining) if all(len(x) == 2 for x in g)
            ]
    return found


def assert_everyone_grouped_once(groups, members):
    seen = Counter(person for group in groups for person in group)
    assert set(seen) == set(members) and set(seen.values()) == {1}
    sizes = sorted(len(group) for group in groups)
    assert sizes == [2] * (len(members) // 2 - 1) + [len(members) % 2 + 2], sizes


@pytest.mark.parametrize("count", range(2, 14))
def test_everyone_is_paired_once_with_a_trio_when_odd(count):
    members = list(range(100, 100 + count))
    for seed in SEEDS:
        assert_everyone_grouped_once(make_pairs(members, [], random.Random(seed)), members)


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_make_no_pairs(count):
    assert make_pairs(list(range(count)), [], random.Random(1)) == []


def test_a_member_listed_twice_is_paired_once():
    groups = make_pairs([1, 2, 2, 3, 4], [], random.Random(3))
    assert_everyone_grouped_once(groups, [1, 2, 3, 4])


@pytest.mark.parametrize("count", range(2, 10))
def test_the_fewest_repeats_possible_over_three_recent_rounds(count):
    """Against brute force: after three rounds of history, a new pairing repeats no
    more partners than the best pairing there is, for every seed."""
    members = list(range(count))
    for seed in SEEDS:
        rng = random.Random(seed)
        history = []
        for _ in range(3):
            history.insert(0, make_pairs(members, history[:3], rng))
        recent = recent_partners(history)
        optimum = min(repeats(g, recent) for g in groupings(members))
        chosen = make_pairs(members, history, rng)
        assert_everyone_grouped_once(chosen, members)
        assert repeats(chosen, recent) == optimum, (count, seed, history, chosen)


def test_twelve_members_meet_someone_new_for_five_rounds_running():
    members = list(range(12))
    for seed in SEEDS:
        rng = random.Random(seed)
        history: list[list[tuple[int, ...]]] = []
        for _ in range(5):
            groups = make_pairs(members, history[:3], rng)
            assert repeats(groups, recent_partners(history[:3])) == 0
            history.insert(0, groups)


def test_a_large_club_is_paired_within_the_budget():
    members = list(range(400))
    history = [make_pairs(members, [], random.Random(n)) for n in range(3)]
    groups = make_pairs(members, history, random.Random(9))
    assert_everyone_grouped_once(groups, members)
    assert repeats(groups, recent_partners(history)) == 0


def test_the_same_seed_gives_the_same_pairs_and_others_differ():
    members = list(range(10))
    assert make_pairs(members, [], random.Random(5)) == make_pairs(members, [], random.Random(5))
    drawn = {tuple(make_pairs(members, [], random.Random(seed))) for seed in SEEDS}
    assert len(drawn) > 30


def test_a_trio_counts_each_of_its_three_partnerships():
    recent = recent_partners([[(1, 2, 3)]])
    assert recent == {frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3})}
    assert repeats([(1, 2), (3, 4)], recent) == 1


# -- when rounds fall --------------------------------------------------------------------

MADRID = ZoneInfo("Europe/Madrid")
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Madrid


def test_the_first_round_is_the_next_such_weekday_and_hour_in_the_officers_zone():
    start = first_round(FRIDAY, Weekday.MONDAY.number, 18, MADRID)
    assert start.astimezone(MADRID) == datetime(2026, 11, 30, 18, 0, tzinfo=MADRID)
    # Today, later: today; today, already gone: a week on.
    assert first_round(FRIDAY, Weekday.FRIDAY.number, 17, MADRID).astimezone(MADRID).day == 27
    assert first_round(FRIDAY, Weekday.FRIDAY.number, 16, MADRID).astimezone(MADRID).day == 4


def test_the_next_round_keeps_the_local_hour_across_a_dst_change():
    previous = datetime(2027, 3, 22, 18, 0, tzinfo=MADRID)  # before summer time
    following = next_round(previous, 2, 18, MADRID, previous)
    assert following.astimezone(MADRID) == datetime(2027, 4, 5, 18, 0, tzinfo=MADRID)
    assert following - previous == timedelta(weeks=2, hours=-1)


def test_rounds_missed_while_the_bot_was_down_are_not_made_up():
    previous = datetime(2026, 11, 30, 18, 0, tzinfo=MADRID)
    now = previous + timedelta(weeks=3, days=2)
    following = next_round(previous, 1, 18, MADRID, now)
    assert following.astimezone(MADRID) == datetime(2026, 12, 28, 18, 0, tzinfo=MADRID)
    assert following > now


def test_a_round_made_now_moves_the_schedule_a_full_period_on_its_cadence():
    """/club practice now on a Friday, with rounds every 2 weeks on Mondays from Monday
    the 30th: the round made now runs its two weeks; the schedule's next is the first
    Monday of its cadence after that (14 December), not three days later."""
    scheduled = datetime(2026, 11, 30, 18, 0, tzinfo=MADRID)
    following = after_round_now(scheduled, 2, 18, MADRID, FRIDAY)
    assert following.astimezone(MADRID) == datetime(2026, 12, 14, 18, 0, tzinfo=MADRID)
    assert following - FRIDAY >= timedelta(weeks=2)
    # Already a full period away: the schedule stays as it was.
    assert after_round_now(scheduled, 2, 18, MADRID, scheduled - timedelta(weeks=3)) == scheduled


def test_the_check_back_comes_two_days_before_the_round_ends():
    assert checkback_time(FRIDAY, 1) == FRIDAY + timedelta(days=5)
    assert checkback_time(FRIDAY, 4) == FRIDAY + timedelta(weeks=4) - CHECKBACK_BEFORE_END
    assert checkback_time(FRIDAY, None) == FRIDAY + timedelta(days=5)


# -- questions -------------------------------------------------------------------------


def bank_of(per_category: int) -> list[BankRow]:
    rows, next_id = [], 1
    for category in (*TIARA, "other"):
        for n in range(per_category):
            rows.append(BankRow(next_id, f"{category} {n}", category, votes=per_category - n))
            next_id += 1
    return rows


def test_three_questions_from_three_tiara_categories_among_the_most_voted():
    bank = bank_of(6)
    for seed in SEEDS:
        picked = practice_questions(bank, random.Random(seed))
        categories = [row.category for row in picked]
        assert len(set(categories)) == 3 and set(categories) <= set(TIARA)
        assert categories == sorted(categories, key=TIARA.index)
        assert all(row.votes >= 4 for row in picked)  # one of its category's top three


def test_a_small_bank_gives_what_it_has():
    bank = [BankRow(1, "What changed?", "trends", 0), BankRow(2, "Anything else?", "other", 5)]
    assert practice_questions(bank, random.Random(1)) == [bank[0]]
    assert practice_questions([], random.Random(1)) == []
