"""The member's vocabulary: the records the bot keeps and the values they may take.

Plain dataclasses with no Discord and no SQL, so rules over them are tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import IntEnum, StrEnum
from typing import NamedTuple

# -- the fixed sets of values (the command options' choices, by value) ------------------
# A StrEnum member is equal to its value, so stored text and members compare alike.


class Stage(StrEnum):
    """A prospect's career stage: the method asks to meet all three."""

    EMERGING = "emerging"
    MID_CAREER = "mid-career"
    ESTABLISHED = "established"


class Source(StrEnum):
    """Where the member found a prospect."""

    ALUMNI = "alumni"
    LINKEDIN = "linkedin"
    REFERRAL = "referral"
    EVENT = "event"
    POSTING = "posting"
    OTHER = "other"
    NETWORK = "network"  # introduced through a server's club network (never typed)


# The sources a member picks from; NETWORK is set only by an accepted network request.
MEMBER_SOURCES: tuple[Source, ...] = tuple(s for s in Source if s is not Source.NETWORK)


class ProspectStatus(StrEnum):
    """How far things went with a prospect, in order; it follows from their records."""

    TO_CONTACT = "to-contact"
    CONTACTED = "contacted"
    REPLIED = "replied"
    SCHEDULED = "scheduled"
    MET = "met"
    THANKED = "thanked"


class RequestFormat(StrEnum):
    """What a drafted request is written for: an email, or a LinkedIn note."""

    EMAIL = "email"
    LINKEDIN = "linkedin"


class AskMinutes(IntEnum):
    """How much of their time a request asks for: 30 is the classic ask, an hour at most."""

    TWENTY = 20
    THIRTY = 30
    FORTY_FIVE = 45
    SIXTY = 60


class OutreachVia(StrEnum):
    """How a request was sent."""

    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    IN_PERSON = "in-person"
    OTHER = "other"
    NETWORK = "network"  # a request made through a server's club network (never typed)


# How a member says they sent a request; NETWORK is set only by the club network.
MEMBER_VIAS: tuple[OutreachVia, ...] = tuple(v for v in OutreachVia if v is not OutreachVia.NETWORK)


class Outcome(StrEnum):
    """What they answered to a request."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    LATER = "later"


class MeetingFormat(StrEnum):
    """How a meeting is held."""

    IN_PERSON = "in-person"
    PHONE = "phone"
    VIDEO = "video"


class MeetingRange(StrEnum):
    """Which meetings a list shows."""

    UPCOMING = "upcoming"
    PAST = "past"
    ALL = "all"


class Medium(StrEnum):
    """How a thank-you is sent."""

    EMAIL = "email"
    HANDWRITTEN = "handwritten"


class Category(StrEnum):
    """A question's TIARA category (Trends, Insights, Advice, Resources, Assignments),
    or other."""

    TRENDS = "trends"
    INSIGHTS = "insights"
    ADVICE = "advice"
    RESOURCES = "resources"
    ASSIGNMENTS = "assignments"
    OTHER = "other"


class BankSort(StrEnum):
    """The order of a question bank: most votes first, or newest first."""

    TOP = "top"
    NEW = "new"


# The values in order, for checking stored text: Python 3.11's `in` on an enum class
# takes members only.
STAGES: tuple[str, ...] = tuple(Stage)
SOURCES: tuple[str, ...] = tuple(Source)
STATUSES: tuple[str, ...] = tuple(ProspectStatus)
MEETING_FORMATS: tuple[str, ...] = tuple(MeetingFormat)
MEDIUMS: tuple[str, ...] = tuple(Medium)
CATEGORIES: tuple[str, ...] = tuple(Category)
TIARA: tuple[str, ...] = tuple(c for c in Category if c is not Category.OTHER)


class ReminderKind(StrEnum):
    """What a reminder DM is about (its renderer is registered by the step's cog)."""

    PREP = "prep"
    THANKS = "thanks"
    FOLLOWUP_3 = "followup-3"
    FOLLOWUP_7 = "followup-7"
    CHECKIN = "checkin"  # keep in touch, weeks after the thank-you
    REFERRER = "referrer"  # tell the person who referred them how it went
    DIGEST = "digest"  # the opt-in weekly digest: about the member, no one meeting
    # The club network (about a server's request or practice pair, not a meeting):
    NETWORK_ASK = "network-ask"  # to the person listed: a member asks for a conversation
    NETWORK_ANSWER = "network-answer"  # to the asker: the answer (step 0), or none (1)
    NETWORK_INTRO = "network-intro"  # to the person listed, who accepted: the asker
    PRACTICE_INTRO = "practice-intro"  # to each member of a practice pair
    PRACTICE_CHECKBACK = "practice-checkback"  # near the round's end: did you meet?


class ReminderState(StrEnum):
    """Where a reminder is in its life (see bot/store/reminders.py for the moves)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DM_CLOSED = "dm_closed"
    DISMISSED = "dismissed"
    CANCELLED = "cancelled"


REMINDER_KINDS: tuple[str, ...] = tuple(ReminderKind)
REMINDER_STATES: tuple[str, ...] = tuple(ReminderState)
# The states a reminder can end in; a row in one of them is never sent again.
FINAL_STATES: tuple[str, ...] = (
    ReminderState.SENT,
    ReminderState.DM_CLOSED,
    ReminderState.DISMISSED,
    ReminderState.CANCELLED,
)
FOLLOWUP_KINDS: tuple[str, ...] = (ReminderKind.FOLLOWUP_3, ReminderKind.FOLLOWUP_7)
# The nudges that keep a relationship going after the thank-you (one meeting each).
KEEP_IN_TOUCH_KINDS: tuple[str, ...] = (ReminderKind.CHECKIN, ReminderKind.REFERRER)


@dataclass(slots=True)
class Profile:
    """What the member tells the bot about themselves (used in drafts)."""

    name: str | None = None
    school: str | None = None
    interest: str | None = None


class DigestTime(NamedTuple):
    """When the weekly digest comes: a weekday (0 = Monday) and a local time of day."""

    weekday: int
    at: time


@dataclass(slots=True)
class Settings:
    """A member's preferences."""

    timezone: str = "UTC"
    thanks_after_hours: int = 2
    quiet_start: str = "22:00"
    quiet_end: str = "08:00"
    dms: bool = True
    profile: Profile = field(default_factory=Profile)
    checkin_weeks: int = 6  # weeks after a thank-you before the check-in nudge; 0 = none
    digest: DigestTime | None = None  # the weekly digest's day and hour; None = off


@dataclass(slots=True)
class Prospect:
    """Someone the member may ask for an informational interview."""

    id: int
    name: str
    role: str | None = None
    organization: str | None = None
    stage: Stage | None = None
    linkedin: str | None = None
    email: str | None = None
    source: Source | None = None
    notes: str | None = None
    referred_by: int | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class Outreach:
    """One request for a conversation, and its outcome."""

    id: int
    prospect_id: int
    sent_at: datetime
    via: OutreachVia | None = None
    outcome: Outcome | None = None
    replied_at: datetime | None = None
    # When the member logged it (it may have been sent well before), and in which
    # server (None: in DMs), so taking it back uncounts it where it was counted.
    logged_at: datetime | None = None
    guild_id: int | None = None


@dataclass(slots=True)
class Meeting:
    """An informational interview, scheduled or held."""

    id: int
    prospect_id: int
    starts_at: datetime
    minutes: int = 30
    format: MeetingFormat | None = None
    place: str | None = None
    takeaways: str | None = None
    done: bool = False
    cancelled: bool = False
    thanked_at: datetime | None = None
    thanks_medium: Medium | None = None
    thanks_skipped: bool = False
    guild_id: int | None = None  # the server it was recorded in, for club counts
    revision: int = 0  # how many times it was moved (its calendar entry's SEQUENCE)

    @property
    def ends_at(self) -> datetime:
        """When the conversation is over."""
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(slots=True)
class Reminder:
    """A DM the bot owes the member at a given time."""

    id: int
    kind: ReminderKind
    # The meeting's or outreach's id; for the club network's kinds, the server's request
    # or practice pair (with `server_id`); 0 for the digest (about no one).
    subject_id: int
    due_at: datetime
    state: ReminderState = ReminderState.PENDING
    attempts: int = 0
    message_id: int | None = None
    late: bool = False
    step: int = 0
    server_id: int | None = None  # the server a club network reminder is from


# -- small records the store hands the cogs and the domain -----------------------------


class ProspectWithStatus(NamedTuple):
    """A prospect and how far things went with them."""

    prospect: Prospect
    status: ProspectStatus


class ProspectIdentity(NamedTuple):
    """What tells two prospects apart when importing: name, organization, profile URL."""

    name: str
    organization: str | None
    linkedin: str | None


class TimelineEvent(NamedTuple):
    """One line of a prospect's history: when, and what happened."""

    when: datetime
    what: str


class MeetingWithProspect(NamedTuple):
    """A meeting and the person it is with."""

    meeting: Meeting
    prospect: Prospect


class Referral(NamedTuple):
    """A person a meeting referred the member to; `new` when it added them as a prospect
    (else they were already in the list, now linked to the referrer); `namesakes`: how
    many prospects already had that name when it was added anyway (the bot doesn't guess
    which of several was meant)."""

    prospect: Prospect
    new: bool
    namesakes: int = 0


class PrepQuestion(NamedTuple):
    """One question on a meeting's prep sheet (category None: the member's own)."""

    text: str
    category: str | None = None


class BankRow(NamedTuple):
    """A question of a server's shared bank with its votes, as prep sheets choose from."""

    id: int
    text: str
    category: str
    votes: int


class QuestionText(NamedTuple):
    """A bank question's id, wording and category, for copying into a prep sheet."""

    id: int
    text: str
    category: str


class Vote(NamedTuple):
    """A member's vote on a bank question after a toggle: on or off, and the new count."""

    voted: bool
    votes: int
