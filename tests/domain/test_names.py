"""Names: one normalisation, one resolver, and "did you mean" measured on a typo table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.names import (
    closest,
    comparable_name,
    rank,
    resolve,
    same_name,
)


def itself(text: str) -> str:
    return text


# -- one normalisation -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("maria gonzalez", "María González"),
        ("MARIA GONZALEZ", "María González"),
        ("Grace Hopper", "Grace Hopper 🔸"),  # LinkedIn decoration
        ("Priya Patel", "👩🏽‍💻 Priya Patel"),  # an emoji sequence with a skin tone and a ZWJ
        ("Sean O'Brien", "Seán O’Brien"),  # typographic apostrophe
        ("Jean Luc Picard", "Jean-Luc Picard"),
        ("nguyen thi minh khai", "Nguyễn Thị Minh Khai"),
        ("zoe  ng", "Zoë Ng"),
        ("ivan elkin", "Ivan Ëlkin"),
        ("strasse", "Straße"),
        ("ada", "ＡＤＡ"),  # full-width letters
        ("Ada Lovelace", "**Ada Lovelace**"),  # markdown a member typed
        ("AdaLovelace", "Ada\u200bLovelace"),  # an invisible zero-width space
    ],
)
def test_names_compare_as_a_member_reads_them(typed, stored):
    assert same_name(typed, stored)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jon Stewart", "John Stewart"),
        ("Ana Silva", "Anna Silva"),
        ("राम", "रम"),  # a Devanagari vowel sign is part of the name, not an accent
        ("🙂", "🙃"),  # emoji-only names still differ from each other
    ],
)
def test_different_names_stay_different(first, second):
    assert not same_name(first, second)


@given(st.text(max_size=40))
def test_comparable_name_is_idempotent_and_tidy(text):
    once = comparable_name(text)
    assert comparable_name(once) == once
    assert once == " ".join(once.split())
    assert once == once.casefold() or comparable_name(once.casefold()) == once


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=20))
def test_case_and_surrounding_emoji_never_change_a_name(name):
    assert same_name(name.casefold(), f"✨ {name} 🔸")


# -- resolving a typed name --------------------------------------------------------------
PEOPLE = ["Ada Lovelace", "Grace Hopper", "Jordan Lee", "Jordan Lee", "María González"]


def test_an_exact_name_is_found_whatever_its_case_and_accents():
    assert resolve("maria gonzalez", PEOPLE, itself).found == "María González"


def test_an_exact_name_wins_over_names_that_contain_it():
    assert resolve("Ada", ["Ada Lovelace", "Ada"], itself).found == "Ada"


def test_namesakes_are_choices_never_a_pick():
    result = resolve("jordan lee", PEOPLE, itself)
    assert result.found is None
    assert result.choices == ("Jordan Lee", "Jordan Lee") and result.exact


@pytest.mark.parametrize("typed", ["hopper", "grace h", "hopper grace", "Gonz"])
def test_a_unique_part_finds_the_one_record(typed):
    assert resolve(typed, PEOPLE, itself).found in {"Grace Hopper", "María González"}


def test_a_part_several_names_share_is_a_choice():
    result = resolve("a", ["Ada Lovelace", "Dana Scully", "Bob"], itself)
    assert result.choices == ("Ada Lovelace", "Dana Scully") and not result.exact


def test_a_preference_settles_only_when_it_leaves_one():
    meetings = [("Ada", "past"), ("Ada", "ahead")]
    ahead = resolve("ada", meetings, lambda m: m[0], prefer=lambda m: m[1] == "ahead")
    assert ahead.found == ("Ada", "ahead")
    two_ahead = [("Ada", "ahead"), ("Ada", "ahead"), ("Ada", "past")]
    result = resolve("ada", two_ahead, lambda m: m[0], prefer=lambda m: m[1] == "ahead")
    assert result.choices == (("Ada", "ahead"), ("Ada", "ahead"))
    none_ahead = [("Ada", "past"), ("Ada", "past")]
    assert len(resolve("ada", none_ahead, lambda m: m[0], prefer=lambda m: False).choices) == 2


def test_a_typo_is_not_found_but_suggested():
    result = resolve("Ada Lovelce", PEOPLE, itself)
    assert result.found is None and result.choices == ()
    assert result.suggestions == ("Ada Lovelace",)


def test_nothing_typed_finds_nothing():
    assert resolve("  ", PEOPLE, itself) == resolve("", PEOPLE, itself)
    assert resolve("", PEOPLE, itself).found is None


# Names as the bot stores them: something visible (blank names are refused on the way in).
stored_names = st.text(min_size=1, max_size=15).filter(lambda name: name.strip())


@given(st.lists(stored_names, min_size=1, max_size=8), st.data())
def test_any_stored_name_typed_back_is_found_or_its_namesakes_offered(names, data):
    typed = data.draw(st.sampled_from(names))
    result = resolve(typed, names, itself)
    namesakes = [n for n in names if same_name(n, typed)]
    if len(namesakes) == 1:
        assert result.found == namesakes[0]
    else:
        assert result.found is None and list(result.choices) == namesakes


@given(st.lists(st.text(max_size=15), max_size=8), st.text(max_size=15))
def test_the_resolver_never_both_finds_and_asks(names, typed):
    result = resolve(typed, names, itself)
    assert sum(map(bool, (result.found is not None, result.choices, result.suggestions))) <= 1
    assert len(result.choices) != 1


# -- autocomplete's order ----------------------------------------------------------------
def test_rank_puts_exact_then_starts_then_words_then_contains_then_other_fields():
    people = [
        ("Bob Ada", "Acme"),
        ("Adalyn Ng", None),
        ("Ada", None),
        ("Zed", "Ada Industries"),
        ("Nadal Rafa", None),
        ("Ada Lovelace", None),
    ]
    order = rank("ada", people, lambda p: p[0], also=lambda p: (p[1],))
    assert [p[0] for p in order] == [
        "Ada",
        "Adalyn Ng",
        "Ada Lovelace",
        "Bob Ada",
        "Nadal Rafa",
        "Zed",
    ]


def test_rank_offers_the_closest_names_for_a_typo():
    assert rank("Ada Lovelce", PEOPLE, itself) == ["Ada Lovelace"]


def test_rank_finds_accented_names_typed_without_accents():
    assert rank("maria", PEOPLE, itself) == ["María González"]


# -- "did you mean": measured ----------------------------------------------------------
# Spelling errors are mostly one insertion, deletion, substitution or transposition
# (Damerau, "A technique for computer detection and correction of spelling errors",
# CACM 7(3), 1964: https://doi.org/10.1145/363958.363994); names add dropped accents,
# phonetic spellings and swapped word order. Each typo is labelled with the name meant.
ROSTER = [
    "Ada Lovelace", "Grace Hopper", "Alan Turing", "María González", "Jordan Lee",
    "Priya Patel", "Nguyễn Thị Minh Khai", "Chris Wu", "Ana Silva", "Raj Mehta",
    "Katherine Johnson", "Margaret Hamilton", "Barbara Liskov", "Tim Berners-Lee",
    "Linus Torvalds", "Guido van Rossum", "Sophie Wilson", "Frances Allen", "Radia Perlman",
    "Shafi Goldwasser", "Donald Knuth", "Edsger Dijkstra", "John McCarthy", "Seán O'Brien",
    "Zoë Ng", "Mohammed Al-Fayed", "Aisha Bello", "Hiroshi Tanaka", "Olga Petrova",
    "Lucas Oliveira", "Fatima Zahra", "Sipho Dlamini", "Chen Wei", "Emma Schmidt",
    "Noah Williams", "Olivia Brown", "Liam Smith", "Jon Stewart", "John Stewart", "Sandra Day",
]  # fmt: skip
TYPOS = [
    ("Ada Lovelce", "Ada Lovelace"), ("Grace Hoper", "Grace Hopper"),
    ("Alan Turring", "Alan Turing"), ("maria gonzales", "María González"),
    ("Jordon Lee", "Jordan Lee"), ("Pryia Patel", "Priya Patel"),
    ("Nguyen Thi Min Khai", "Nguyễn Thị Minh Khai"), ("Chris Woo", "Chris Wu"),
    ("Anna Silva", "Ana Silva"), ("Raj Metha", "Raj Mehta"),
    ("Katherine Jonson", "Katherine Johnson"), ("Margret Hamilton", "Margaret Hamilton"),
    ("Barbra Liskov", "Barbara Liskov"), ("Tim Berners Le", "Tim Berners-Lee"),
    ("Linus Torvals", "Linus Torvalds"), ("Guido van Rosum", "Guido van Rossum"),
    ("Sophie Wilsen", "Sophie Wilson"), ("Francis Allen", "Frances Allen"),
    ("Radia Pearlman", "Radia Perlman"), ("Shafi Goldwaser", "Shafi Goldwasser"),
    ("Donald Kunth", "Donald Knuth"), ("Edsger Dijkstr", "Edsger Dijkstra"),
    ("Edsger Djikstra", "Edsger Dijkstra"), ("John MacCarthy", "John McCarthy"),
    ("Sean OBrian", "Seán O'Brien"), ("Zoe Ngg", "Zoë Ng"),
    ("Mohamed Al Fayed", "Mohammed Al-Fayed"), ("Aisha Belo", "Aisha Bello"),
    ("Hiroshi Tanka", "Hiroshi Tanaka"), ("Olga Petrov", "Olga Petrova"),
    ("Lucas Olivera", "Lucas Oliveira"), ("Fatima Zara", "Fatima Zahra"),
    ("Sipho Dlamni", "Sipho Dlamini"), ("Chen Wie", "Chen Wei"),
    ("Emma Schmitt", "Emma Schmidt"), ("Noah Wiliams", "Noah Williams"),
    ("Olivia Borwn", "Olivia Brown"), ("Liam Smyth", "Liam Smith"),
    ("Lovelace Ada", "Ada Lovelace"), ("Hopper Grace", "Grace Hopper"),
    ("Torvlads", "Linus Torvalds"), ("Dijkstar", "Edsger Dijkstra"),
]  # fmt: skip
# Names that are nobody in the roster: a suggestion here is noise (harmless, but noise).
ABSENT = [
    "Bill Gates", "Steve Jobs", "Marie Curie", "Ada Yonath", "Satya Nadella", "Sundar Pichai",
    "Jane Doe", "Mark Zuckerberg", "Elon Musk", "Sheryl Sandberg", "Tom Hanks", "Carlos Ruiz",
    "Ravi Kumar", "Kim Lee", "Susan Wojcicki", "Paul Graham", "Dennis Ritchie",
    "Ken Thompson", "Bjarne Stroustrup", "Ann Smith",
]  # fmt: skip


def test_did_you_mean_finds_the_name_meant(capsys):
    top = [closest(typed, ROSTER, itself)[:1] == [meant] for typed, meant in TYPOS]
    noise = [typed for typed in ABSENT if closest(typed, ROSTER, itself)]
    with capsys.disabled():
        print(
            f"\ndid you mean: {sum(top)}/{len(TYPOS)} typos suggest the name meant first; "
            f"{len(noise)}/{len(ABSENT)} absent names get a suggestion ({', '.join(noise)})"
        )
    assert all(top)
    assert len(noise) <= len(ABSENT) // 10
