"""What /club practice now tells the officer about the round it made."""

from bot.practice_rounds import RoundMade
from cogs.club import round_text


def test_the_round_is_counted_in_pairs_and_trios():
    assert "4 members in 2 pairs." in round_text(RoundMade([(1, 2), (3, 4)], 4), None)
    assert "5 members in 1 pair and 1 trio." in round_text(RoundMade([(1, 2), (3, 4, 5)], 5), None)
    assert "3 members in 1 trio." in round_text(RoundMade([(1, 2, 3)], 3), None)


def test_no_round_says_why():
    assert "a round needs two" in round_text(RoundMade([], 1), None)
