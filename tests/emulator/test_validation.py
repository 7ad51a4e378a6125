"""Unit checks of the Discord limits the emulator enforces."""

from __future__ import annotations

from bot.emulator.validation import (
    flatten_errors,
    is_empty_message,
    validate_choices,
    validate_command,
    validate_message,
    validate_modal,
)


def button(label: str = "Go", custom_id: str = "go") -> dict:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def test_valid_message_has_no_errors():
    embed = {"title": "t", "description": "d", "fields": [{"name": "n", "value": "v"}]}
    assert validate_message({"content": "x" * 2000, "embeds": [embed]}) == {}


def test_content_limit():
    errors = validate_message({"content": "x" * 2001})
    assert errors["content"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert flatten_errors(errors) == [
        "content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)"
    ]


def test_embed_limits():
    assert "embeds" in validate_message({"embeds": [{"title": "t"}] * 11})
    bad = {
        "title": "t" * 257,
        "description": "d" * 4097,
        "fields": [{"name": "n" * 257, "value": "v" * 1025}],
        "footer": {"text": "f" * 2049},
    }
    errors = validate_message({"embeds": [bad]})["embeds"]["0"]
    assert set(errors) == {"title", "description", "fields", "footer"}
    assert set(errors["fields"]["0"]) == {"name", "value"}
    too_many_fields = {"fields": [{"name": "n", "value": "v"}] * 26}
    assert "fields" in validate_message({"embeds": [too_many_fields]})["embeds"]["0"]
    big = {"description": "d" * 4000, "fields": [{"name": "n", "value": "v" * 1000}] * 3}
    total = validate_message({"embeds": [big]})
    assert total["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"


def test_component_limits():
    rows = [{"type": 1, "components": [button(custom_id=str(i))]} for i in range(6)]
    assert "components" in validate_message({"components": rows})
    wide = [{"type": 1, "components": [button(custom_id=str(i)) for i in range(6)]}]
    assert "components" in validate_message({"components": wide})
    long_id = [{"type": 1, "components": [button(custom_id="c" * 101)]}]
    assert "components" in validate_message({"components": long_id})
    ok = [{"type": 1, "components": [button(custom_id=str(i)) for i in range(5)]}] * 5
    assert validate_message({"components": ok}) == {}


def test_empty_message():
    assert is_empty_message({"content": ""}, has_files=False)
    assert not is_empty_message({"content": ""}, has_files=True)


def test_autocomplete_choices():
    assert validate_choices({"choices": [{"name": "a", "value": "a"}] * 25}) == {}
    assert "choices" in validate_choices({"choices": [{"name": "a", "value": "a"}] * 26})
    assert "choices" in validate_choices({"choices": [{"name": "a" * 101, "value": "a"}]})


def test_modal_limits():
    text_input = {"type": 4, "custom_id": "x", "style": 1, "label": "Label"}
    row = {"type": 1, "components": [text_input]}
    assert validate_modal({"title": "T", "custom_id": "m", "components": [row]}) == {}
    errors = validate_modal({"title": "T" * 46, "custom_id": "m", "components": [row]})
    assert "title" in errors
    assert "components" in validate_modal({"title": "T", "custom_id": "m", "components": []})


def test_command_schema():
    good = {"name": "prospect", "description": "Prospects", "options": []}
    assert validate_command(good) == {}
    assert "name" in validate_command({**good, "name": "Has Space"})
    assert "description" in validate_command({**good, "description": ""})
    options = [
        {"type": 3, "name": "a", "description": "a"},
        {"type": 3, "name": "b", "description": "b", "required": True},
    ]
    assert "options" in validate_command({**good, "options": options})
