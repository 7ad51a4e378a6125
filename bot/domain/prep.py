"""Step 3 of the method: being prepared. The prep sheet's questions and checklist."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.models import MEETING_FORMATS, TIARA, BankRow
from bot.domain.questions import WHO_ELSE, asks_who_else, load_default_questions


def default_prep_questions(bank: list[BankRow] | None) -> list[str]:
    """The questions a prep sheet suggests when the member hasn't chosen any.

    With a bank: the top-voted question of each TIARA category (ties go to the
    lowest id, the older question), in TIARA order; a category with no question is
    skipped. "Who else should I talk to?" is added unless one of them already asks
    it, because the answers are the member's next prospects. With no bank (None or
    empty): the seed's five starters.
    """
    if not bank:
        return [q.text for q in load_default_questions() if q.starter]
    rows = [BankRow._make(row) for row in bank]  # plain (id, text, category, votes) too
    chosen: list[str] = []
    for category in TIARA:
        in_category = [row for row in rows if row.category == category]
        if in_category:
            chosen.append(min(in_category, key=lambda row: (-row.votes, row.id)).text)
    if not any(asks_who_else(text) for text in chosen):
        chosen.append(WHO_ELSE)
    return chosen


class Aid(StrEnum):
    """Something the bot does for a checklist item (the ui names its command)."""

    THANKS_DRAFT = "thanks-draft"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One sentence of the prep checklist, and what the bot offers for it, if anything."""

    text: str
    aid: Aid | None = None


def prep_checklist(meeting_format: str | None, minutes: int) -> list[ChecklistItem]:
    """A short checklist for the prep sheet, in the order the member will need it.

    ``meeting_format`` is one of MEETING_FORMATS or None (not decided yet).
    Raises ValueError on an unknown format or a non-positive length.
    """
    if meeting_format is not None and meeting_format not in MEETING_FORMATS:
        raise ValueError(
            f"format must be one of {', '.join(MEETING_FORMATS)} (got {meeting_format!r})"
        )
    if minutes <= 0:
        raise ValueError(f"minutes must be positive (got {minutes})")
    logistics = {
        "video": "Test the video link, camera and microphone beforehand; join a minute early.",
        "in-person": "Plan to arrive 10 minutes early; bring a notebook and pen.",
        "phone": "Find a quiet place with good reception, and confirm who calls whom.",
        None: "Confirm the format (in person, phone or video) and the place or link.",
    }[meeting_format]
    sentences = [
        "Research their organization and its recent news.",
        "Re-read their profile and your notes on them.",
        "Prepare a 30-second introduction: who you are, what you're exploring, why them.",
        "Have your questions ready, the most important first.",
        logistics,
        f"Keep to the agreed {minutes} minutes; offer to wrap up when time is up.",
        "Ask for insight and advice, not a job.",
        'Before you finish, ask "Who else should I talk to?"',
        "Take notes: your thank-you should name something specific you learned.",
    ]
    return [
        *(ChecklistItem(text) for text in sentences),
        ChecklistItem("Send your thank-you within 24 hours.", Aid.THANKS_DRAFT),
    ]
