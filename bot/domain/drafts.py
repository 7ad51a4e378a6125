"""Step 2 of the method: writing the request for a conversation.

Builds ready-to-send requests from the member's profile and a prospect: the
connection first, a general interest, a request for insight (never a job), an
acknowledgement of their busy schedule, 30 minutes or so at their convenience, and
the sender keeps control of the follow-up. Every draft is held to the checker's
rules (``bot.domain.draft_check``).

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.draft_check import RuleResult, check_draft, count_words, job_words
from bot.domain.models import AskMinutes, Profile, Prospect, RequestFormat

# The values /outreach draft offers (bot.domain.models), for checking plain ints and text.
MINUTES_CHOICES: tuple[int, ...] = tuple(AskMinutes)
FORMATS: tuple[str, ...] = tuple(RequestFormat)
LINKEDIN_NOTE_CHARS = 300  # LinkedIn's limit on a connection-request note
VARIANTS = 3  # distinct wordings of the generated request


@dataclass(slots=True)
class Draft:
    """A generated request, ready to paste.

    ``missing`` lists profile/prospect fields that were absent (the text carries a
    visible placeholder for each); ``notes`` are other things the member should
    know before sending (e.g. a LinkedIn note that runs past 300 characters).
    """

    text: str
    subject: str | None
    word_count: int
    missing: list[str]
    notes: list[str] = field(default_factory=list)


_TITLES = {"dr": "Dr.", "prof": "Prof.", "professor": "Professor", "mr": "Mr.", "mrs": "Mrs.",
           "ms": "Ms.", "mx": "Mx."}  # fmt: skip


def salutation_name(name: str | None) -> str:
    """How to address someone in a greeting: "Dana" for "Dana Lee", "Dr. Lee" for
    "Dr. Dana Lee" (a title asks for the surname)."""
    tokens = (name or "").split()
    if not tokens:
        return "there"
    title = _TITLES.get(tokens[0].rstrip(".").lower())
    if title and len(tokens) >= 2:
        return f"{title} {tokens[-1]}"
    return tokens[0]


_PLACEHOLDERS = {
    "[your name]": "your name — set it with /settings profile name:…",
    "[your school or club]": "your school or club — set it with /settings profile school:…",
    "[your field of interest]": "your field of interest — set it with /settings profile interest:…",
    "[their organization]": "their organization — add it with /prospect edit",
    "[who referred you]": "who referred you — replace [who referred you] with their name",
}


def _missing_from(*texts: str | None) -> list[str]:
    joined = "\n".join(t for t in texts if t)
    return [message for holder, message in _PLACEHOLDERS.items() if holder in joined]


def _validate_options(minutes: int, variant: int | None) -> None:
    if minutes not in MINUTES_CHOICES:
        raise ValueError(
            f"minutes must be one of {', '.join(map(str, MINUTES_CHOICES))} (got {minutes}); "
            "e.g. minutes:30"
        )
    if variant is not None and not 0 <= variant < VARIANTS:
        raise ValueError(f"variant must be 0–{VARIANTS - 1} (got {variant})")


@dataclass(frozen=True, slots=True)
class _Fields:
    first: str
    me: str
    me_first: str
    school: str
    interest: str
    org: str
    role: str | None
    ref: str
    source: str


def _fields(profile: Profile, prospect: Prospect, referrer_name: str | None) -> _Fields:
    me = (profile.name or "").strip() or "[your name]"
    return _Fields(
        first=salutation_name(prospect.name),
        me=me,
        me_first=me if me.startswith("[") else me.split()[0],
        school=(profile.school or "").strip() or "[your school or club]",
        interest=(profile.interest or "").strip() or "[your field of interest]",
        org=(prospect.organization or "").strip() or "[their organization]",
        role=(prospect.role or "").strip() or None,
        ref=(referrer_name or "").strip() or "[who referred you]",
        source=prospect.source if prospect.source in ("alumni", "linkedin", "referral", "event")
        else "generic",
    )  # fmt: skip


def _connection_sentence(f: _Fields, work: str, variant: int) -> str:
    """The opening sentence: how the member knows or found the prospect."""
    table = {
        "alumni": (
            f"As a fellow alum of {f.school}, I'm reaching out about {work}.",
            f"I found you through the {f.school} alumni network, and {work} caught my attention.",
            f"As a fellow {f.school} alum, I was glad to come across {work}.",
        ),
        "linkedin": (
            f"We're connected on LinkedIn, and I'm reaching out about {work}.",
            f"We're connected on LinkedIn, and {work} caught my attention.",
            f"I'm writing because we're connected on LinkedIn and I admire {work}.",
        ),
        "referral": (
            f"{f.ref} suggested I reach out to you about {work}.",
            f"{f.ref} suggested I reach out because of {work}.",
            f"{f.ref} recommended I get in touch with you about {work}.",
        ),
        "event": (
            f"We met at a recent event, and I'm reaching out about {work}.",
            f"It was great to meet you at a recent event, and {work} caught my attention.",
            f"I saw you at a recent event and was glad to learn about {work}.",
        ),
        "generic": (
            f"I came across {work} and am reaching out to learn more.",
            f"I've been following {work} with interest.",
            f"I came across your profile, and {work} stood out to me.",
        ),
    }
    return table[f.source][variant]


def _interest_sentence(f: _Fields, variant: int, with_school: bool = True) -> str:
    """A general interest (the field, not one company), asked as a request for insight."""
    # The alumni opening already names the school; saying it twice wastes words.
    named = f.source == "alumni" or not with_school
    if variant == 0:
        where = "" if named else f"at {f.school}, "
        comma = "," if where else ""
        return (
            f"I'm {where}exploring {f.interest}{comma} and would value your insight into the field."
        )
    if variant == 1:
        where = "" if named else f"At {f.school}, "
        return f"{where}I'm exploring {f.interest}, and I'd love your advice on the field."
    where = "" if named else f"with {f.school} and "
    return (
        f"I'm {where}looking into {f.interest}, and your perspective on the field would help "
        "me greatly."
    )


def _time_sentences(minutes: int, variant: int) -> str:
    """Acknowledge their schedule, ask for the minutes, offer any time incl. early morning."""
    return (
        f"I know you're busy, so would you have {minutes} minutes for a call? I'm happy to "
        "meet at your convenience, early morning included.",
        f"Would you have {minutes} minutes to talk? I know your schedule is full, so any time "
        "that suits you works, including early morning.",
        f"I'd be grateful for {minutes} minutes of your time, whenever fits your busy schedule, "
        "early mornings included. Could we find a time?",
    )[variant]


def _followup_sentence(variant: int, compact: bool) -> str:
    """The sender keeps control of the follow-up (the 3B7 routine relies on it)."""
    if compact:
        return "I'll follow up next week."
    return (
        "I'll follow up next week in case this gets buried.",
        "I'll follow up next week.",
        "I'll follow up next week so this doesn't get lost in your inbox.",
    )[variant]


def _subject(f: _Fields, minutes: int, variant: int) -> str:
    prefix = {
        "alumni": f"Fellow {f.school} alum",
        "linkedin": "From a LinkedIn connection",
        "referral": f"Referred by {f.ref}",
    }.get(f.source)
    tail = (
        f"advice on {f.interest}?",
        f"{minutes} minutes of your insight?",
        f"your perspective on {f.interest}",
    )[variant]
    return f"{prefix} — {tail}" if prefix else tail[0].upper() + tail[1:]


def _work(f: _Fields, with_role: bool) -> str:
    if with_role and f.role:
        return f"your work as {f.role} at {f.org}"
    return f"your work at {f.org}"


def _email_text(
    f: _Fields,
    minutes: int,
    variant: int,
    *,
    with_role: bool,
    compact: bool,
    with_school: bool = True,
) -> str:
    signoff = ("Best,", "Thank you,", "Many thanks,")[variant]
    paragraph = " ".join(
        (
            _connection_sentence(f, _work(f, with_role), variant),
            _interest_sentence(f, variant, with_school),
            _time_sentences(minutes, variant),
            _followup_sentence(variant, compact),
        )
    )
    return f"Hi {f.first},\n\n{paragraph}\n\n{signoff}\n{f.me}"


def _linkedin_text(f: _Fields, minutes: int, variant: int, with_school: bool) -> str:
    school = f"I'm at {f.school}, exploring {f.interest}" if with_school else (
        f"I'm exploring {f.interest}")  # fmt: skip
    opening = {
        "alumni": f"As a fellow {f.school} alum, I'm exploring {f.interest} and would value "
        "your advice.",
        "linkedin": f"We're connected on LinkedIn. {school}, and I'd value your advice.",
        "referral": f"{f.ref} suggested I reach out. {school}, and I'd value your advice.",
        "event": f"We met at a recent event. {school}, and I'd value your advice.",
        "generic": f"I came across your work at {f.org}. {school}, and I'd value your advice.",
    }[f.source]
    ask = (
        f"I know you're busy: would you have {minutes} minutes at your convenience, early "
        "morning included?",
        f"Would you have {minutes} minutes? I know your time is precious, so whenever suits "
        "you works, early morning too.",
        f"Could we talk for {minutes} minutes? I'll fit your schedule, early morning included, "
        "and appreciate your time.",
    )[variant]
    signoff = ("Thanks,", "Best,", "With thanks,")[variant]
    return f"Hi {f.first},\n{opening} {ask} I'll follow up next week.\n{signoff} {f.me_first}"


def _problems(text: str) -> list[RuleResult]:
    return [r for r in check_draft(text) if r.status != "pass"]


def draft_request(
    profile: Profile,
    prospect: Prospect,
    *,
    minutes: int = 30,
    format: str = "email",
    variant: int | None = None,
    referrer_name: str | None = None,
    seed: int = 0,
) -> Draft:
    """Write a request for an informational interview, ready to send.

    Connection first, a general interest, a request for insight (never a job),
    an acknowledgement of their busy schedule, the chosen ``minutes``, any time
    that suits them (early morning included), and "I'll follow up next week".
    ``variant`` picks one of ``VARIANTS`` wordings; without it ``seed`` does, so
    members of one club don't all send the same text. Absent fields become visible
    placeholders listed in ``missing``. Raises ValueError on a bad option.
    """
    _validate_options(minutes, variant)
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {format!r})")
    chosen = seed % VARIANTS if variant is None else variant
    f = _fields(profile, prospect, referrer_name)

    # Fallbacks in order of preference: the first one the checker fully passes wins.
    # Long profile fields can push the full wording past 75 words, and a role such as
    # "Hiring Manager" would trip the job-word rule, so shorter forms drop it.
    if format == "email":
        candidates = [
            _email_text(f, minutes, chosen, with_role=True, compact=False),
            _email_text(f, minutes, chosen, with_role=True, compact=True),
            _email_text(f, minutes, chosen, with_role=False, compact=True),
            _email_text(f, minutes, chosen, with_role=False, compact=True, with_school=False),
        ]
        subject: str | None = _subject(f, minutes, chosen)
        if job_words(subject):
            subject = f"{minutes} minutes of your insight?"
    else:
        candidates = [
            _linkedin_text(f, minutes, chosen, with_school=True),
            _linkedin_text(f, minutes, chosen, with_school=False),
        ]
        subject = None

    def fits(text: str) -> bool:
        return format != "linkedin" or len(text) <= LINKEDIN_NOTE_CHARS

    text = next(
        (c for c in candidates if not _problems(c) and fits(c)),
        next((c for c in candidates if not _problems(c)), candidates[-1]),
    )

    notes: list[str] = []
    for problem in _problems(text):
        notes.append(f"{problem.rule}: {problem.detail} {problem.fix}")
    if format == "linkedin" and len(text) > LINKEDIN_NOTE_CHARS:
        notes.append(
            f"This note is {len(text)} characters; LinkedIn connection notes allow "
            f"{LINKEDIN_NOTE_CHARS}. Shorten your interest (/settings profile interest:…) "
            "or send it as a message once connected."
        )
    if f.source == "event":
        notes.append(
            "Name the event in the first sentence if you can; it makes the connection concrete."
        )
    if f.source == "generic" and prospect.source is None:
        notes.append(
            "How do you know them? Set their source with /prospect edit (alumni, linkedin, "
            "referral, event) for a stronger first sentence."
        )

    missing = _missing_from(text, subject)
    if f.role is None:
        missing.append("their role — add it with /prospect edit")
    return Draft(
        text=text, subject=subject, word_count=count_words(text), missing=missing, notes=notes
    )


def followup_draft(profile: Profile, prospect: Prospect, *, minutes: int = 30) -> str:
    """The single polite follow-up for the 3B7 day-7 checkpoint (under 60 words)."""
    _validate_options(minutes, None)
    f = _fields(profile, prospect, None)
    return (
        f"Hi {f.first},\n\n"
        f"I'm following up on my note from last week. I'd still value {minutes} minutes of "
        f"your advice on {f.interest}, at whatever time suits you. If now isn't a good time, "
        "no worries at all, and thank you either way.\n\n"
        f"Best,\n{f.me}"
    )
