"""Referrals as members write them: names split on the separators people use, remarks
in parentheses kept as notes, names and organisations that contain "and" left whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.names import comparable_name
from bot.domain.referrals import ReferredPerson, parse_referrals


def test_the_issue_example_splits_into_three_people_with_one_note():
    assert parse_referrals("Ana Silva and Raj Mehta; Chris Wu (Square PM)") == [
        ReferredPerson("Ana Silva"),
        ReferredPerson("Raj Mehta"),
        ReferredPerson("Chris Wu", "Square PM"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Grace Hopper, Alan Turing", ["Grace Hopper", "Alan Turing"]),
        ("Grace Hopper; Alan Turing", ["Grace Hopper", "Alan Turing"]),
        (
            "Grace Hopper\nAlan Turing\r\nAda Lovelace",
            ["Grace Hopper", "Alan Turing", "Ada Lovelace"],
        ),
        ("Grace Hopper & Alan Turing", ["Grace Hopper", "Alan Turing"]),
        ("Grace Hopper AND Alan Turing", ["Grace Hopper", "Alan Turing"]),
        ("Ana, Raj, and Chris", ["Ana", "Raj", "Chris"]),  # the Oxford comma
        ("- Ana Silva\n- Raj Mehta\n• Chris Wu", ["Ana Silva", "Raj Mehta", "Chris Wu"]),
        ("1. Ana Silva\n2) Raj Mehta", ["Ana Silva", "Raj Mehta"]),
        # "and" inside a word, "&" inside a word: not separators
        ("Alexander Hamilton, Sandra Day", ["Alexander Hamilton", "Sandra Day"]),
        ("Brandon Andrews and Andy Anderson", ["Brandon Andrews", "Andy Anderson"]),
        ("Fernando Candela", ["Fernando Candela"]),
        ("AT&T Smith", ["AT&T Smith"]),
        # repeats, as the bot compares names, are dropped
        ("Grace Hopper, Alan Turing, grace hopper", ["Grace Hopper", "Alan Turing"]),
        ("María González and Maria Gonzalez", ["María González"]),
        ("", []),
        (" , ;\n and ", []),
    ],
)
def test_names_split_on_the_separators_people_use(text, names):
    assert [person.name for person in parse_referrals(text)] == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an organisation in the remark keeps its "&" and "and"
        (
            "Chris Wu (Procter & Gamble) & Ana Silva (Barnes and Noble)",
            [("Chris Wu", "Procter & Gamble"), ("Ana Silva", "Barnes and Noble")],
        ),
        # the remark stays with the name it was written beside
        ("Ana Silva (Stripe) and Raj Mehta", [("Ana Silva", "Stripe"), ("Raj Mehta", None)]),
        ("Chris (Topher) Wu", [("Chris Wu", "Topher")]),
        ("Chris Wu (Square) (PM)", [("Chris Wu", "Square; PM")]),
        ("Chris Wu (Square (Block) PM)", [("Chris Wu", "Square (Block) PM")]),
        # a parenthesis left open ends with its line; a stray closing one is dropped
        ("Chris Wu (Square PM\nAna Silva", [("Chris Wu", "Square PM"), ("Ana Silva", None)]),
        ("Ana) Silva", [("Ana Silva", None)]),
        # a remark with no name belongs to no one
        ("(her manager), Raj Mehta", [("Raj Mehta", None)]),
        # the first mention keeps its note
        ("Chris Wu (Square), chris wu (Block)", [("Chris Wu", "Square")]),
    ],
)
def test_a_remark_in_parentheses_becomes_that_persons_note(text, expected):
    assert [(p.name, p.note) for p in parse_referrals(text)] == expected


# -- property: a list written any way people write one reads back as the same people ----
name_words = st.text(
    alphabet=st.characters(categories=["Lu", "Ll"], exclude_characters="&"),
    min_size=1,
    max_size=8,
).filter(lambda word: word.casefold() != "and")
names = st.lists(name_words, min_size=1, max_size=3).map(" ".join)
remarks = st.none() | st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Nd"], include_characters="&-"),
    min_size=1,
    max_size=20,
).filter(lambda remark: remark.strip())
separators = st.sampled_from([", ", "; ", "\n", " and ", " & ", " AND ", ",\n", "; and "])


@given(st.lists(st.tuples(names, remarks), min_size=1, max_size=6), st.data())
def test_any_list_of_people_reads_back_as_those_people(people, data):
    unique = {}
    for name, remark in people:
        unique.setdefault(comparable_name(name), (name, remark))
    people = list(unique.values())
    text = ""
    for index, (name, remark) in enumerate(people):
        if index:
            text += data.draw(separators)
        text += name + (f" ({remark})" if remark else "")
    expected = [(name, " ".join(remark.split()) if remark else None) for name, remark in people]
    assert [(p.name, p.note or None) for p in parse_referrals(text)] == [
        (name, note or None) for name, note in expected
    ]


@given(st.text(max_size=60))
def test_parsing_never_fails_and_never_returns_an_empty_name(text):
    for person in parse_referrals(text):
        assert person.name.strip() == person.name and person.name
