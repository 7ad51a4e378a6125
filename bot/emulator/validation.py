"""Checks what the bot sends against Discord's documented limits.

Each ``validate_*`` function returns Discord's nested ``errors`` object (empty when valid),
e.g. ``{"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "..."}]}}``,
which the REST layer wraps in a 400 ``{"code": 50035, "message": "Invalid Form Body"}``.
"""

from __future__ import annotations

import re
from typing import Any

from .models import SELECT_TYPES, walk_components

Errors = dict[str, Any]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
ACTION_ROWS_MAX = 5
ROW_WIDTH_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
PLACEHOLDER_MAX = 150
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_VALUE_MAX = 4000
TEXT_INPUT_PLACEHOLDER_MAX = 100
# Uploads (https://discord.com/developers/docs/reference#uploading-files): at most 10
# files in a message, and 10 MiB the default upload limit (since 2025-01-16 for bots,
# webhooks and interaction responses alike; a server's boosts raise it). Since 2025-04
# Discord checks an app's files one by one; the emulator holds a message's files to
# 10 MiB together, the older and stricter rule, so what passes here passes Discord.
FILES_MAX = 10
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
COMMAND_NAME_RE = re.compile(r"^[-_\w]{1,32}$")
COMMAND_DESCRIPTION_MAX = 100
OPTIONS_MAX = 25


def _error(code: str, message: str) -> Errors:
    return {"_errors": [{"code": code, "message": message}]}


def _max_length(limit: int) -> Errors:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_length(low: int, high: int) -> Errors:
    return _error("BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _check_len(errors: Errors, key: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        errors[key] = _max_length(limit)


def embed_size(embed: dict[str, Any]) -> int:
    """Characters that count towards the 6000-character limit of all embeds in a message."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    return total


def validate_embed(embed: dict[str, Any]) -> Errors:
    """Check one embed's title/description/fields/footer/author lengths."""
    errors: Errors = {}
    for key, limit in EMBED_LIMITS.items():
        _check_len(errors, key, embed.get(key), limit)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        errors["fields"] = _max_length(FIELDS_MAX)
    else:
        field_errors: Errors = {}
        for i, fld in enumerate(fields):
            one: Errors = {}
            _check_len(one, "name", fld.get("name"), FIELD_NAME_MAX)
            _check_len(one, "value", fld.get("value"), FIELD_VALUE_MAX)
            for key in ("name", "value"):
                if not fld.get(key):
                    one[key] = _error("BASE_TYPE_REQUIRED", "This field is required")
            if one:
                field_errors[str(i)] = one
        if field_errors:
            errors["fields"] = field_errors
    footer: Errors = {}
    _check_len(footer, "text", (embed.get("footer") or {}).get("text"), FOOTER_MAX)
    if footer:
        errors["footer"] = footer
    author: Errors = {}
    _check_len(author, "name", (embed.get("author") or {}).get("name"), AUTHOR_NAME_MAX)
    if author:
        errors["author"] = author
    return errors


def validate_components(components: list[dict[str, Any]], *, modal: bool = False) -> Errors:
    """Check action rows, buttons and selects (counts, custom_id and label lengths)."""
    errors: Errors = {}
    limit = MODAL_COMPONENTS_MAX if modal else ACTION_ROWS_MAX
    v1 = all(c.get("type") == 1 for c in components)
    if v1 and len(components) > limit:
        return {"_errors": _max_length(limit)["_errors"]}
    for i, row in enumerate(components):
        row_errors: Errors = {}
        if row.get("type") == 1:
            children = row.get("components") or []
            selects = [c for c in children if c.get("type") in SELECT_TYPES]
            if len(children) > ROW_WIDTH_MAX or (selects and len(children) > 1):
                row_errors["components"] = _error(
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
        for j, comp in enumerate(walk_components([row])):
            comp_errors: Errors = {}
            _check_len(comp_errors, "custom_id", comp.get("custom_id"), CUSTOM_ID_MAX)
            ctype = comp.get("type")
            if ctype == 2:
                _check_len(comp_errors, "label", comp.get("label"), BUTTON_LABEL_MAX)
                if comp.get("style") != 5 and comp.get("style") != 6 and not comp.get("custom_id"):
                    comp_errors["custom_id"] = _error(
                        "BASE_TYPE_REQUIRED", "This field is required"
                    )
            elif ctype in SELECT_TYPES:
                _check_len(comp_errors, "placeholder", comp.get("placeholder"), PLACEHOLDER_MAX)
                options = comp.get("options") or []
                if ctype == 3 and not 1 <= len(options) <= SELECT_OPTIONS_MAX:
                    comp_errors["options"] = _bad_length(1, SELECT_OPTIONS_MAX)
                for k, opt in enumerate(options):
                    opt_errors: Errors = {}
                    for key in ("label", "value", "description"):
                        _check_len(opt_errors, key, opt.get(key), SELECT_OPTION_TEXT_MAX)
                    if opt_errors:
                        comp_errors.setdefault("options", {})[str(k)] = opt_errors
            elif ctype == 4:
                _check_len(comp_errors, "label", comp.get("label"), TEXT_INPUT_LABEL_MAX)
                _check_len(comp_errors, "value", comp.get("value"), TEXT_INPUT_VALUE_MAX)
                _check_len(
                    comp_errors, "placeholder", comp.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX
                )
            elif ctype == 18:
                _check_len(comp_errors, "label", comp.get("label"), TEXT_INPUT_LABEL_MAX)
            if comp_errors:
                row_errors.setdefault("components", {})[str(j)] = comp_errors
        if row_errors:
            errors[str(i)] = row_errors
    return errors


def validate_message(
    data: dict[str, Any], *, has_files: bool = False, edit: bool = False
) -> Errors:
    """Check a message body (create or edit) against Discord's limits."""
    errors: Errors = {}
    content = data.get("content")
    if content is not None and not isinstance(content, str):
        errors["content"] = _error("STRING_TYPE_CONVERT", "Could not interpret value as string.")
    _check_len(errors, "content", content, CONTENT_MAX)
    embeds = data.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        errors["embeds"] = _max_length(EMBEDS_MAX)
    else:
        embed_errors: Errors = {}
        for i, embed in enumerate(embeds):
            one = validate_embed(embed)
            if one:
                embed_errors[str(i)] = one
        if embed_errors:
            errors["embeds"] = embed_errors
        elif sum(embed_size(e) for e in embeds) > EMBED_TOTAL_MAX:
            errors["embeds"] = _error(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}"
            )
    components = data.get("components")
    if components:
        comp_errors = validate_components(components)
        if comp_errors:
            errors["components"] = comp_errors
    return errors


def upload_too_large(sizes: list[int]) -> bool:
    """Whether a message's files, `sizes` bytes each, are over the upload limit (Discord
    answers 413 with error 40005, "Request entity too large")."""
    return sum(sizes) > UPLOAD_MAX_BYTES


def is_empty_message(data: dict[str, Any], *, has_files: bool) -> bool:
    """Whether a new message would have nothing in it (Discord error 50006)."""
    return not (
        data.get("content")
        or data.get("embeds")
        or data.get("components")
        or data.get("sticker_ids")
        or data.get("poll")
        or has_files
    )


def validate_choices(data: dict[str, Any]) -> Errors:
    """Check an autocomplete result (type 8): at most 25 choices, names 1-100 chars."""
    choices = data.get("choices")
    if choices is None:
        return {"choices": _error("BASE_TYPE_REQUIRED", "This field is required")}
    if len(choices) > CHOICES_MAX:
        return {"choices": _max_length(CHOICES_MAX)}
    errors: Errors = {}
    for i, choice in enumerate(choices):
        one: Errors = {}
        name = choice.get("name") or ""
        if not 1 <= len(name) <= CHOICE_NAME_MAX:
            one["name"] = _bad_length(1, CHOICE_NAME_MAX)
        value = choice.get("value")
        if isinstance(value, str) and len(value) > CHOICE_VALUE_MAX:
            one["value"] = _max_length(CHOICE_VALUE_MAX)
        if one:
            errors[str(i)] = one
    return {"choices": errors} if errors else {}


def validate_modal(data: dict[str, Any]) -> Errors:
    """Check a modal (type 9): title ≤ 45, custom_id ≤ 100, 1-5 components, text inputs."""
    errors: Errors = {}
    title = data.get("title") or ""
    if not 1 <= len(title) <= MODAL_TITLE_MAX:
        errors["title"] = _bad_length(1, MODAL_TITLE_MAX)
    _check_len(errors, "custom_id", data.get("custom_id"), CUSTOM_ID_MAX)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS_MAX:
        errors["components"] = _bad_length(1, MODAL_COMPONENTS_MAX)
    else:
        comp_errors = validate_components(components, modal=True)
        if comp_errors:
            errors["components"] = comp_errors
    return errors


def validate_command(command: dict[str, Any]) -> Errors:
    """Check an application command's name, description and options."""
    errors: Errors = {}
    name = command.get("name") or ""
    if not COMMAND_NAME_RE.match(name) or (command.get("type", 1) == 1 and name != name.lower()):
        errors["name"] = _error("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if command.get("type", 1) == 1:
        desc = command.get("description") or ""
        if not 1 <= len(desc) <= COMMAND_DESCRIPTION_MAX:
            errors["description"] = _bad_length(1, COMMAND_DESCRIPTION_MAX)
    options = command.get("options") or []
    if len(options) > OPTIONS_MAX:
        errors["options"] = _max_length(OPTIONS_MAX)
        return errors
    option_errors: Errors = {}
    seen_optional = False
    for i, option in enumerate(options):
        one = validate_command(option) if option.get("type") in (1, 2) else {}
        if option.get("type") not in (1, 2):
            one.update(
                {
                    k: v
                    for k, v in validate_command({**option, "type": 1, "options": []}).items()
                    if k in ("name", "description")
                }
            )
            if len(option.get("choices") or []) > CHOICES_MAX:
                one["choices"] = _max_length(CHOICES_MAX)
            if option.get("required"):
                if seen_optional:
                    one["required"] = _error(
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                seen_optional = True
        if one:
            option_errors[str(i)] = one
    if option_errors:
        errors["options"] = option_errors
    return errors


def flatten_errors(errors: Errors, prefix: str = "") -> list[str]:
    """Render a nested errors object as readable lines like ``embeds.0.title: Must be ...``."""
    lines: list[str] = []
    for key, value in errors.items():
        if key == "_errors":
            for err in value:
                lines.append(f"{prefix or '<body>'}: {err['message']} ({err['code']})")
        elif isinstance(value, dict):
            lines.extend(flatten_errors(value, f"{prefix}.{key}" if prefix else key))
    return lines
