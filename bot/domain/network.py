"""The club network's rules (issue 15): an opt-in directory of members open to an
informational interview, and requests for a conversation with consent and caps.

What the alumni-mentoring platforms career offices buy have in common, kept here:
listings with the fields a person can talk about and their career stage, a monthly cap
on requests chosen by the person listed (default 2), accept/decline with the decline
never shown as such (a "not now" reads the same), requests that lapse unanswered after
a week, and a silent block. The message an asker writes is held to the 5-Point Email's
hard rules (bot/domain/draft_check.py): under 100 words and no job ask.

Pure rules: no Discord, no storage; times are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from rapidfuzz import fuzz, utils

from bot.domain.draft_check import RuleResult, check_draft
from bot.domain.linkedin import InvalidLinkedInURL, normalize_linkedin_url
from bot.domain.models import Stage

# -- caps ------------------------------------------------------------------------------
MONTHLY_LIMIT_DEFAULT = 2  # the career offices' usual default for a volunteer's month
MONTHLY_LIMIT_MIN = 1
MONTHLY_LIMIT_MAX = 10
OPEN_PER_ASKER = 3  # open requests one member may have waiting in one server
ANSWER_WITHIN = timedelta(days=7)  # unanswered this long, a request lapses

# -- what a listing holds --------------------------------------------------------------
ROLE_MAX = 100
ORGANIZATION_MAX = 100
FIELD_MAX = 40  # one field's words
FIELDS_MAX = 6  # fields in one listing
MESSAGE_MAX = 1000  # characters the form takes; the word limit is the real one
EMAIL_MAX = 254  # RFC 5321's limit on a forward path

# Common career fields, offered by autocomplete; a member may type their own as well.
# Drawn from the career clusters US career offices sort students' interests into.
CAREER_FIELDS: tuple[str, ...] = (
    "Accounting",
    "Architecture",
    "Arts & Design",
    "Consulting",
    "Data Science",
    "Education",
    "Energy & Environment",
    "Engineering",
    "Finance",
    "Government & Policy",
    "Healthcare",
    "Human Resources",
    "Journalism & Media",
    "Law",
    "Marketing",
    "Nonprofit",
    "Product Management",
    "Research & Academia",
    "Sales",
    "Software Engineering",
    "UX & Design Research",
)


class Share(StrEnum):
    """What the person listed shares with an asker once they accept."""

    NOTHING = "nothing"
    LINKEDIN = "linkedin"
    EMAIL = "email"


class RequestStatus(StrEnum):
    """Where a request for a conversation stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_NOW = "not-now"
    EXPIRED = "expired"  # no answer within ANSWER_WITHIN
    CLOSED = "closed"  # the listing went (left, removed) before an answer
    UNDELIVERED = "undelivered"  # the person listed can't receive DMs
    WITHDRAWN = "withdrawn"  # the asker took it back before an answer


# To the asker, these read the same: no is never said more bluntly than "not now".
ANSWERED_NO = frozenset({RequestStatus.DECLINED, RequestStatus.NOT_NOW, RequestStatus.CLOSED})


class Answer(StrEnum):
    """The buttons of the request's DM to the person listed."""

    ACCEPT = "accept"
    NOT_NOW = "notnow"
    DECLINE = "decline"
    BLOCK = "block"  # a decline, and this asker is never shown them again


ANSWER_STATUS = {
    Answer.ACCEPT: RequestStatus.ACCEPTED,
    Answer.NOT_NOW: RequestStatus.NOT_NOW,
    Answer.DECLINE: RequestStatus.DECLINED,
    Answer.BLOCK: RequestStatus.DECLINED,
}


@dataclass(frozen=True, slots=True)
class Listing:
    """A member listed in one server's directory."""

    user_id: int
    display_name: str  # their name in the server when they joined or last edited
    role: str | None
    organization: str | None
    fields: tuple[str, ...]
    stage: Stage | None
    monthly_limit: int
    share: Share
    contact: str | None  # the LinkedIn URL or email address shared on accept
    paused: bool
    paused_until: datetime | None  # None while paused: until they resume
    created_at: datetime

    def is_paused(self, now: datetime) -> bool:
        """Whether the listing is paused at `now` (a dated pause ends by itself)."""
        return self.paused and (self.paused_until is None or self.paused_until > now)


@dataclass(frozen=True, slots=True)
class NetworkRequest:
    """One member's request for a conversation with a member listed."""

    id: int
    asker_id: int
    listed_id: int
    asker_name: str
    listed_name: str
    message: str
    status: RequestStatus
    silent: bool  # the person listed had blocked the asker: never delivered
    asked_at: datetime
    expires_at: datetime
    answered_at: datetime | None


# -- fields ----------------------------------------------------------------------------
class InvalidField(ValueError):
    """A field list a listing can't hold; str() says why, in the member's words."""


def _canonical_field(text: str) -> str:
    wanted = utils.default_process(text)
    for known in CAREER_FIELDS:
        if utils.default_process(known) == wanted:
            return known
    return text


def parse_fields(text: str | None) -> tuple[str, ...]:
    """Comma-separated fields: one from CAREER_FIELDS in its own spelling, or the
    member's own words; duplicates dropped, order kept. Raises InvalidField."""
    if text is None:
        return ()
    found: list[str] = []
    for piece in text.split(","):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if len(piece) > FIELD_MAX:
            raise InvalidField(
                f"“{piece[:FIELD_MAX]}…” is {len(piece)} characters; a field is at most "
                f"{FIELD_MAX}. Name it in a few words, e.g. Data Science."
            )
        field = _canonical_field(piece)
        if field.casefold() not in {f.casefold() for f in found}:
            found.append(field)
    if len(found) > FIELDS_MAX:
        raise InvalidField(
            f"That's {len(found)} fields; a listing holds up to {FIELDS_MAX}. Keep the ones "
            "you can talk about best."
        )
    return tuple(found)


def field_suggestions(typed: str, limit: int = 25) -> list[str]:
    """Autocomplete for a comma-separated fields option: what was typed before the last
    comma stays, and the last part is completed from CAREER_FIELDS (best match first)."""
    *before, last = typed.split(",")
    head = ", ".join(p.strip() for p in before if p.strip())
    taken = {p.strip().casefold() for p in before}
    last = last.strip()
    options = [f for f in CAREER_FIELDS if f.casefold() not in taken]
    if last:
        wanted = last.casefold()
        starts = [f for f in options if f.casefold().startswith(wanted)]
        contains = [f for f in options if wanted in f.casefold() and f not in starts]
        options = starts + contains
    choices = [f"{head}, {f}" if head else f for f in options]
    if last and not options:
        choices = [f"{head}, {last}" if head else last]
    return choices[:limit]


# -- what is shared on accept ----------------------------------------------------------
class InvalidContact(ValueError):
    """A LinkedIn link or email address that can't be shared; str() says why."""


_EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
EMAIL_EXAMPLE = "ada@example.org"


def checked_contact(share: Share, text: str) -> str:
    """The LinkedIn profile URL (canonical form) or email address to share; raises
    InvalidContact with an example of a good one."""
    text = text.strip()
    if share is Share.LINKEDIN:
        try:
            return normalize_linkedin_url(text)
        except InvalidLinkedInURL as error:
            raise InvalidContact(str(error)) from None
    if share is Share.EMAIL:
        if len(text) > EMAIL_MAX or not _EMAIL.match(text):
            raise InvalidContact(
                f"That doesn't look like an email address. Type one like {EMAIL_EXAMPLE}."
            )
        return text
    raise InvalidContact("Nothing is shared, so there's nothing to give.")


# -- the asker's message ---------------------------------------------------------------
# The draft checker's rules a request in the directory must pass: the person listed
# already offered a conversation, so only what every published bad request shares
# stops it (too long or too short to say anything, a job ask, more than an hour).
BLOCKING_RULES = ("length", "no job ask", "time ask")


def message_problems(text: str) -> list[RuleResult]:
    """What must be fixed before the message goes: the failing BLOCKING_RULES, each
    with its fix (empty when it can go)."""
    return [r for r in check_draft(text) if r.rule in BLOCKING_RULES and r.status == "fail"]


# -- caps ------------------------------------------------------------------------------
def month_start(now: datetime) -> datetime:
    """The start of `now`'s UTC month: the monthly limit counts requests since then."""
    utc = now.astimezone(UTC)
    return utc.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class Refusal(StrEnum):
    """Why a request can't be made (each has its own words in the cog)."""

    SELF = "self"
    NOT_LISTED = "not-listed"  # gone, paused, or at its monthly limit: said the same
    PAIR_OPEN = "pair-open"
    TOO_MANY_OPEN = "too-many-open"


def refusal(
    *,
    asker_id: int,
    listing: Listing | None,
    now: datetime,
    received_this_month: int,
    open_by_asker: int,
    open_between: bool,
) -> Refusal | None:
    """Whether `asker_id` may ask the person listed now, and if not, why. A listing at
    its monthly limit reads like a paused one: nobody learns who hit a cap."""
    if listing is not None and listing.user_id == asker_id:
        return Refusal.SELF
    if open_between:
        return Refusal.PAIR_OPEN
    if listing is None or listing.is_paused(now) or received_this_month >= listing.monthly_limit:
        return Refusal.NOT_LISTED
    if open_by_asker >= OPEN_PER_ASKER:
        return Refusal.TOO_MANY_OPEN
    return None


# -- finding -----------------------------------------------------------------------------
MATCH_CUTOFF = 70  # a field or organization scoring under this (0–100) doesn't match


@dataclass(frozen=True, slots=True)
class Search:
    """What /network find asks for (each part optional)."""

    field: str | None = None
    organization: str | None = None
    stage: Stage | None = None


def _score(wanted: str, have: str) -> float:
    return float(fuzz.WRatio(wanted, have, processor=utils.default_process))


def match_score(listing: Listing, search: Search) -> float | None:
    """How well a listing matches (higher is better), or None if it doesn't: a field
    or organization asked for must be close (typos and word order forgiven), a stage
    must be the one asked for."""
    score = 0.0
    if search.stage is not None:
        if listing.stage is not search.stage:
            return None
        score += 100
    if search.field:
        best = max((_score(search.field, f) for f in listing.fields), default=0.0)
        if best < MATCH_CUTOFF:
            return None
        score += best
    if search.organization:
        found = _score(search.organization, listing.organization or "")
        if found < MATCH_CUTOFF:
            return None
        score += found
    return score


def find(
    listings: Iterable[Listing],
    search: Search,
    *,
    asker_id: int,
    now: datetime,
    hidden: Sequence[int] = (),
) -> list[Listing]:
    """The listings an asker sees for a search, best match first (then the longest
    listed): never themselves, a paused listing, nor one in `hidden` (at its monthly
    limit, or its owner blocked the asker)."""
    scored: list[tuple[float, datetime, Listing]] = []
    for listing in listings:
        if listing.user_id == asker_id or listing.user_id in hidden or listing.is_paused(now):
            continue
        score = match_score(listing, search)
        if score is not None:
            scored.append((score, listing.created_at, listing))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [listing for _, _, listing in scored]
