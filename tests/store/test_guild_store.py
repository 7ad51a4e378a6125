"""A server's shared store: the seeded question bank, votes, and the anonymous counters."""

import asyncio
import sqlite3
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.domain.models import CATEGORIES, TIARA
from bot.domain.prep import default_prep_questions
from bot.domain.questions import load_default_questions
from bot.stats import METRICS, ClubActivity, MonthlyActivity, recent_months
from bot.store.guild import SALT_KEY, SEEDED_KEY, GuildStore

GUILD = 7
ALICE, BOB = 712345678901234567, 712345678901234568  # realistic snowflakes


# -- seeding --------------------------------------------------------------------------


async def test_first_use_seeds_the_bank_from_the_default_questions(stores):
    async with stores.guild(GUILD) as bank:
        questions = await bank.list_questions()
    seed = load_default_questions()
    assert sorted(q.text for q in questions) == sorted(q.text for q in seed)
    sizes = Counter(q.category for q in questions)
    assert sizes == {
        "trends": 5,
        "insights": 6,
        "advice": 5,
        "resources": 5,
        "assignments": 5,
        "other": 2,
    }
    assert all(sizes[category] >= 3 for category in TIARA)
    assert sum(q.starter for q in questions) == 5
    assert all(q.author_id is None and q.votes == 0 for q in questions)


async def test_the_bank_is_seeded_once_even_after_questions_are_removed(stores, tmp_path):
    async with stores.guild(GUILD) as bank:
        first = await bank.list_questions()
        for question in first:
            assert await bank.remove_question(question.id)
        assert await bank.ensure_seeded() is False
        assert await bank.list_questions() == []
    await stores.close()
    with sqlite3.connect(tmp_path / "guilds" / f"{GUILD}.sqlite3") as conn:
        keys = [row[0] for row in conn.execute("SELECT key FROM meta")]
    assert SEEDED_KEY in keys


async def test_each_server_has_its_own_bank(stores):
    async with stores.guild(1) as bank:
        question, added = await bank.add_question(
            "What would you change about how your team hires?", "advice", 42
        )
    assert added
    async with stores.guild(2) as other:
        assert await other.get_question(question.id) is None
        assert question.text not in [q.text for q in await other.list_questions()]


# -- adding, near-duplicates, listing --------------------------------------------------


async def test_added_questions_keep_author_category_and_time(stores, clock):
    async with stores.guild(GUILD) as bank:
        question, added = await bank.add_question(
            "How do you decide which projects to say no to?", "assignments", 42
        )
    assert added
    assert (question.author_id, question.category, question.votes) == (42, "assignments", 0)
    assert question.created_at == clock.now()


async def test_a_near_duplicate_is_refused_and_the_existing_one_returned(stores):
    async with stores.guild(GUILD) as bank:
        existing, added = await bank.add_question(
            "what does a typical WEEK look like for you", "insights", 42
        )
        total = len(await bank.list_questions())
    assert not added
    assert existing.text == "What does a typical week look like for you?"
    assert existing.author_id is None
    async with stores.guild(GUILD) as bank:
        assert len(await bank.list_questions()) == total


async def test_list_filters_by_category_and_sorts_by_votes_or_newest(stores, clock):
    async with stores.guild(GUILD) as bank:
        clock.advance(minutes=1)
        newest, _ = await bank.add_question(
            "Which podcasts does your team actually listen to?", "resources", 42
        )
        resources = await bank.list_questions(category="resources")
        target = resources[-1]
        await bank.toggle_vote(target.id, 1)
        await bank.toggle_vote(target.id, 2)
        top = await bank.list_questions(category="resources", sort="top")
        new = await bank.list_questions(sort="new")
    assert {q.category for q in resources} == {"resources"}
    assert top[0].id == target.id and top[0].votes == 2
    assert new[0].id == newest.id
    with pytest.raises(ValueError):
        async with stores.guild(GUILD) as bank:
            await bank.list_questions(sort="random")


# -- votes ----------------------------------------------------------------------------


async def test_a_vote_toggles_one_per_member(stores):
    async with stores.guild(GUILD) as bank:
        question = (await bank.list_questions())[0]
        assert await bank.toggle_vote(question.id, 1) == (True, 1)
        assert await bank.toggle_vote(question.id, 2) == (True, 2)
        assert await bank.has_voted(question.id, 1)
        assert await bank.toggle_vote(question.id, 1) == (False, 1)
        assert not await bank.has_voted(question.id, 1)
        assert await bank.toggle_vote(999_999, 1) is None


async def test_twenty_members_voting_at_once_are_counted_exactly(stores):
    async with stores.guild(GUILD) as bank:
        question = (await bank.list_questions())[0]

    async def vote(user_id: int) -> tuple[bool, int] | None:
        async with stores.guild(GUILD) as bank:
            return await bank.toggle_vote(question.id, user_id)

    results = await asyncio.gather(*(vote(user_id) for user_id in range(1, 21)))
    assert all(voted for voted, _ in results)
    assert sorted(count for _, count in results) == list(range(1, 21))
    async with stores.guild(GUILD) as bank:
        assert (await bank.get_question(question.id)).votes == 20


async def test_removing_a_question_removes_its_votes(stores, tmp_path):
    async with stores.guild(GUILD) as bank:
        question = (await bank.list_questions())[0]
        await bank.toggle_vote(question.id, 1)
        assert await bank.remove_question(question.id)
        assert not await bank.remove_question(question.id)
        row = await bank.fetchone("SELECT COUNT(*) AS n FROM votes")
    assert row["n"] == 0


async def test_forgetting_a_member_drops_their_votes_and_unsigns_their_questions(stores):
    async with stores.guild(GUILD) as bank:
        mine, _ = await bank.add_question(
            "What is one tool you could not work without?", "other", 5
        )
        await bank.toggle_vote(mine.id, 5)
        await bank.toggle_vote(mine.id, 6)
        await bank.forget_member(5)
        kept = await bank.get_question(mine.id)
    assert kept.author_id is None
    assert kept.votes == 1


# -- finding questions --------------------------------------------------------------------


async def test_search_puts_the_best_match_first_and_caps_the_choices(stores):
    async with stores.guild(GUILD) as bank:
        assert len(await bank.search_questions("", limit=25)) == 25
        found = await bank.search_questions("what does a typical")
        by_words = await bank.search_questions("week typical")
        nothing = await bank.search_questions("zebra")
    assert found[0].text == "What does a typical week look like for you?"
    assert by_words[0].text == "What does a typical week look like for you?"
    assert nothing == []


async def test_find_by_text_ignores_case_and_punctuation(stores):
    async with stores.guild(GUILD) as bank:
        found = await bank.find_question_by_text("what does a typical week look like for you")
    assert found is not None and found.category == "insights"


async def test_random_questions_are_distinct_and_respect_the_category(stores):
    async with stores.guild(GUILD) as bank:
        picked = await bank.random_questions(4, category="trends")
        everything = await bank.random_questions(100)
    assert len(picked) == 4 and len({q.id for q in picked}) == 4
    assert {q.category for q in picked} == {"trends"}
    assert len(everything) == len(load_default_questions())


# -- what a prep sheet needs -------------------------------------------------------------


async def test_top_questions_feed_the_prep_sheet_top_voted_per_tiara_category(stores):
    async with stores.guild(GUILD) as bank:
        favourite = (await bank.list_questions(category="advice"))[-1]
        await bank.toggle_vote(favourite.id, 1)
        rows = await bank.top_questions()
    assert rows[0] == (favourite.id, favourite.text, "advice", 1)
    assert len(rows) == len(load_default_questions())
    assert {category for _, _, category, _ in rows} == set(CATEGORIES)
    chosen = default_prep_questions(rows)
    assert favourite.text in chosen
    assert len(chosen) >= len(TIARA)


async def test_question_texts_keep_the_order_asked_and_skip_unknown_ids(stores):
    async with stores.guild(GUILD) as bank:
        first, second = (await bank.list_questions())[:2]
        texts = await bank.question_texts([second.id, 999_999, first.id])
    assert texts == [
        (second.id, second.text, second.category),
        (first.id, first.text, first.category),
    ]


# -- anonymous counters ----------------------------------------------------------------


@pytest.fixture
def counts(stores, clock):
    return ClubActivity(stores, clock)


async def test_counting_in_dms_does_nothing(counts, tmp_path):
    counts.count(None, 42, "prospects_added")
    await counts.settled()
    assert list((tmp_path / "guilds").glob("*.sqlite3")) == []


async def test_an_unknown_metric_is_a_bug_not_a_count(counts):
    with pytest.raises(ValueError):
        counts.count(GUILD, 42, "jobs_found")


async def test_counts_are_kept_per_utc_month_with_members_only_as_hashes(
    stores, counts, clock, tmp_path
):
    counts.count(GUILD, ALICE, "prospects_added")
    counts.count(GUILD, ALICE, "prospects_added")
    counts.count(GUILD, BOB, "requests_sent")
    # 23:30 in New York on 30 November is already December in UTC.
    clock.set(datetime(2026, 12, 1, 4, 30, tzinfo=UTC))
    counts.count(GUILD, ALICE, "meetings_held")
    months = await counts.monthly(GUILD)
    assert months[0] == MonthlyActivity("2026-12", meetings_held=1, active_members=1)
    assert months[1] == MonthlyActivity(
        "2026-11", prospects_added=2, requests_sent=1, active_members=2
    )
    assert [m.month for m in months] == [
        "2026-12",
        "2026-11",
        "2026-10",
        "2026-09",
        "2026-08",
        "2026-07",
    ]
    await stores.close()
    with sqlite3.connect(tmp_path / "guilds" / f"{GUILD}.sqlite3") as conn:
        dump = "\n".join(conn.iterdump())
        hashes = [row[0] for row in conn.execute("SELECT member_hash FROM active_members")]
        (salt,) = conn.execute("SELECT value FROM meta WHERE key = ?", (SALT_KEY,)).fetchone()
    assert len(salt) == 64  # 32 random bytes, hex
    assert str(ALICE) not in dump and str(BOB) not in dump
    assert all(len(h) == 64 for h in hashes)
    # The same member's months can't be linked: their hashes differ month to month.
    assert len(set(hashes)) == 3


async def test_the_salt_is_random_per_server_and_created_once(stores, counts):
    counts.count(1, 42, "thanks_sent")
    counts.count(1, 42, "thanks_sent")
    counts.count(2, 42, "thanks_sent")
    await counts.settled()
    salts = []
    for guild_id in (1, 2):
        async with stores.guild(guild_id) as store:
            rows = await store.fetchall("SELECT value FROM meta WHERE key = ?", (SALT_KEY,))
            salts.append(rows[0]["value"])
            assert len(rows) == 1
    assert salts[0] != salts[1]
    months = await counts.monthly(1)
    assert (months[0].thanks_sent, months[0].active_members) == (2, 1)


async def test_counting_while_a_batch_is_written_loses_nothing(counts):
    for user_id in range(20):
        for metric in METRICS:
            counts.count(GUILD, user_id, metric)
        await asyncio.sleep(0)  # the writer takes what has arrived, the rest comes after
    (month, *_) = await counts.monthly(GUILD)
    assert (month.prospects_added, month.requests_sent, month.meetings_held) == (20, 20, 20)
    assert (month.thanks_sent, month.active_members) == (20, 20)


def test_recent_months_cross_the_year_boundary():
    when = datetime(2027, 2, 10, tzinfo=UTC)
    assert recent_months(when, 4) == ["2027-02", "2027-01", "2026-12", "2026-11"]


async def test_an_import_counts_its_prospects_at_once_and_nothing_counts_nothing(counts):
    counts.count(GUILD, ALICE, "prospects_added", amount=12)
    counts.count(GUILD, BOB, "prospects_added", amount=0)
    (month, *_) = await counts.monthly(GUILD)
    assert (month.prospects_added, month.active_members) == (12, 1)
    with pytest.raises(ValueError):
        counts.count(GUILD, ALICE, "prospects_added", amount=-1)


async def test_a_count_waits_for_nothing_and_close_writes_what_is_queued(stores, clock, tmp_path):
    counts = ClubActivity(stores, clock)
    counts.count(GUILD, ALICE, "thanks_sent")
    counts.uncount(GUILD, "thanks_sent", clock.now())
    counts.count(GUILD, BOB, "thanks_sent", amount=2)
    await counts.close()
    await stores.close()
    with sqlite3.connect(tmp_path / "guilds" / f"{GUILD}.sqlite3") as conn:
        rows = conn.execute("SELECT metric, count FROM stats").fetchall()
        (active,) = conn.execute("SELECT COUNT(*) FROM active_members").fetchone()
    # In the order counted: 1, taken back to 0, then 2 more; both members were active.
    assert (rows, active) == ([("thanks_sent", 2)], 2)


async def test_a_count_the_store_cant_take_is_logged_and_the_next_ones_land(
    stores, counts, caplog, monkeypatch
):
    real = stores.guild
    failures = iter([sqlite3.OperationalError("database is locked")])

    def flaky(guild_id):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(guild_id)

    monkeypatch.setattr(stores, "guild", flaky)
    counts.count(GUILD, ALICE, "prospects_added")
    await counts.settled(GUILD)
    assert "could not count 1 changes" in caplog.text
    counts.count(GUILD, BOB, "prospects_added")
    (month, *_) = await counts.monthly(GUILD)
    assert (month.prospects_added, month.active_members) == (1, 1)


async def test_counts_that_arrive_together_are_written_in_one_batch(stores, clock, monkeypatch):
    batches = []
    real = GuildStore.count_activity

    async def recorded(self, changes):
        batches.append(len(changes))
        await real(self, changes)

    monkeypatch.setattr(GuildStore, "count_activity", recorded)
    counts = ClubActivity(stores, clock, gather=60)
    for user_id in range(20):
        counts.count(GUILD, user_id, "prospects_added")
    (month, *_) = await counts.monthly(GUILD)  # asks the writer to write now, not in 60 s
    assert (batches, month.prospects_added) == ([20], 20)


async def test_a_reader_waits_for_what_was_counted_before_it_asked_not_after(stores, clock):
    counts = ClubActivity(stores, clock, gather=60)
    counts.count(GUILD, ALICE, "prospects_added")
    reading = asyncio.ensure_future(counts.monthly(GUILD))
    for user_id in range(5):  # counts keep arriving while the reader waits
        await asyncio.sleep(0)
        counts.count(GUILD, user_id, "thanks_sent")
    (month, *_) = await asyncio.wait_for(reading, 5)
    assert month.prospects_added == 1
    await counts.close()
    (month, *_) = await counts.monthly(GUILD)
    assert month.thanks_sent == 5
