"""What a prospect's fields may hold, whether typed (/prospect add, /prospect edit, the
network form) or imported from a LinkedIn export: one check, so an imported prospect
fits everywhere a typed one does.
"""

from __future__ import annotations

import unicodedata

__all__ = ["EMAIL_MAX", "NAME_MAX", "SHORT_MAX", "InvalidName", "prospect_name"]

NAME_MAX = 100
# Role, organization and the member's own profile fields.
SHORT_MAX = 100
EMAIL_MAX = 254  # RFC 5321's limit on a forward path

# The explicit embedding, override and isolate controls (U+202A-E, U+2066-9): they make
# the text around them display in another order ("moc.elgoog" shown as "google.com"),
# so a name holding one can't be trusted to read as what it is.
_DIRECTION_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


class InvalidName(ValueError):
    """A name the bot won't store; `reason` says why in a phrase that fits after "line 5:"
    or at the start of a sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _visible(text: str) -> bool:
    """True when the text has something a member can see (not only zero-width, format or
    control characters and spaces)."""
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)


def prospect_name(text: str | None) -> str | None:
    """A prospect's name with its spacing collapsed; None when there is none.

    Raises InvalidName when it is longer than NAME_MAX, is only "-" (which means "no
    value" both in /prospect edit and in LinkedIn's export), shows nothing (zero-width
    characters only), or holds a control character or a direction override such as
    U+202E, which would make the name display as something else.
    """
    name = " ".join((text or "").split())
    if not name:
        return None
    if len(name) > NAME_MAX:
        raise InvalidName(f"the name is {len(name)} characters (the limit is {NAME_MAX})")
    if name == "-":
        raise InvalidName('a prospect always needs a name, and "-" means none')
    if not _visible(name):
        raise InvalidName("the name has nothing visible in it")
    for char in name:
        if unicodedata.category(char) == "Cc" or (
            unicodedata.bidirectional(char) in _DIRECTION_CONTROLS
        ):
            raise InvalidName(
                f"the name holds an invisible control character (U+{ord(char):04X}) that "
                "changes how text around it reads"
            )
    return name
