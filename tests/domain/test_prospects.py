import pytest

from bot.domain.prospects import NAME_MAX, InvalidName, prospect_name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ada Lovelace", "Ada Lovelace"),
        ("  Ada \n  Lovelace ", "Ada Lovelace"),
        ("Grace Hopper 🔸", "Grace Hopper 🔸"),
        ("José García", "José García"),
        ("محمد علي", "محمد علي"),  # right-to-left script, no override needed
        ("Ana\u200bSilva", "Ana\u200bSilva"),  # a zero-width space inside is harmless
        ("Fatemeh Rezaei\u200c", "Fatemeh Rezaei\u200c"),  # ZWNJ belongs to Persian spelling
        ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # the joiner inside an emoji sequence
        ("A" * NAME_MAX, "A" * NAME_MAX),
    ],
)
def test_names_people_have_are_kept(typed, stored):
    assert prospect_name(typed) == stored


@pytest.mark.parametrize("typed", [None, "", "   ", "\n\t"])
def test_no_name_is_none(typed):
    assert prospect_name(typed) is None


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-", '"-" means none'),
        (" - ", '"-" means none'),
        ("\u200b\u200b", "nothing visible"),
        ("\u200b \u2060", "nothing visible"),
        ("\u202e", "nothing visible"),
        ("Ada\u202eecalevoL", "U+202E"),  # right-to-left override
        ("Ada\u2066Lovelace\u2069", "U+2066"),  # left-to-right isolate
        ("Ada\x00Lovelace", "U+0000"),
        ("Ada\x1b[31mLovelace", "U+001B"),
        ("A" * (NAME_MAX + 1), f"the name is {NAME_MAX + 1} characters (the limit is 100)"),
    ],
)
def test_names_that_hide_or_disguise_themselves_are_refused_with_why(typed, reason):
    with pytest.raises(InvalidName) as error:
        prospect_name(typed)
    assert reason in error.value.reason
    assert error.value.reason[0].islower() or error.value.reason[0] == '"'


def test_invalid_name_is_a_value_error():
    assert issubclass(InvalidName, ValueError)
