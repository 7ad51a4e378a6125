"""The member's vocabulary: the records the bot keeps and the values they may take.

Plain dataclasses with no Discord and no SQL, so rules over them are tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

STAGES = ("emerging", "mid-career", "established")
SOURCES = ("alumni", "linkedin", "referral", "event", "posting", "other")
STATUSES = ("to-contact", "contacted", "replied", "scheduled", "met", "thanked")
MEETING_FORMATS = ("in-person", "phone", "video")
MEETING_RANGES = ("upcoming", "past", "all")
MEDIUMS = ("email", "handwritten")
OUTREACH_VIAS = ("email", "linkedin", "phone", "in-person", "other")
OUTCOMES = ("accepted", "declined", "later")
CATEGORIES = ("trends", "insights", "advice", "resources", "assignments", "other")
TIARA = ("trends", "insights", "advice", "resources", "assignments")
REMINDER_KINDS = ("prep", "thanks", "followup-3", "followup-7")
REMINDER_STATES = ("pending", "sending", "sent", "dm_closed", "dismissed", "cancelled")


@dataclass(slots=True)
class Profile:
    """What the member tells the bot about themselves (used in drafts)."""

    name: str | None = None
    school: str | None = None
    interest: str | None = None


@dataclass(slots=True)
class Settings:
    """A member's preferences."""

    timezone: str = "UTC"
    thanks_after_hours: int = 2
    quiet_start: str = "22:00"
    quiet_end: str = "08:00"
    dms: bool = True
    profile: Profile = field(default_factory=Profile)


@dataclass(slots=True)
class Prospect:
    """Someone the member may ask for an informational interview."""

    id: int
    name: str
    role: str | None = None
    organization: str | None = None
    stage: str | None = None
    linkedin: str | None = None
    email: str | None = None
    source: str | None = None
    notes: str | None = None
    referred_by: int | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class Outreach:
    """One request for a conversation, and its outcome."""

    id: int
    prospect_id: int
    sent_at: datetime
    via: str | None = None
    outcome: str | None = None
    replied_at: datetime | None = None


@dataclass(slots=True)
class Meeting:
    """An informational interview, scheduled or held."""

    id: int
    prospect_id: int
    starts_at: datetime
    minutes: int = 30
    format: str | None = None
    place: str | None = None
    takeaways: str | None = None
    done: bool = False
    cancelled: bool = False
    thanked_at: datetime | None = None
    thanks_medium: str | None = None
    thanks_skipped: bool = False
    guild_id: int | None = None  # the server it was recorded in, for club counts

    @property
    def ends_at(self) -> datetime:
        """When the conversation is over."""
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(slots=True)
class Reminder:
    """A DM the bot owes the member at a given time."""

    id: int
    kind: str
    subject_id: int
    due_at: datetime
    state: str = "pending"
    attempts: int = 0
    message_id: int | None = None
    late: bool = False
    step: int = 0
