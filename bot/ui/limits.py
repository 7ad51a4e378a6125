"""Discord's message limits, enforced in one place."""

from __future__ import annotations

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
BUTTON_LABEL = 80
SELECT_OPTIONS = 25
SELECT_LABEL = 100
MODAL_TITLE = 45
# Uploads: files in one message, and their bytes together (Discord's default limit,
# 10 MiB since January 2025, for a server without boosts and in DMs).
FILES = 10
UPLOAD_BYTES = 10 * 1024 * 1024


def clip(text: str | None, limit: int, *, marker: str = "…") -> str:
    """`text` cut to at most `limit` characters, marked where it was cut."""
    text = text or ""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(marker))] + marker
