"""Step 2 of the method: writing the request for a conversation.

Builds ready-to-send requests from the member's profile and a prospect: the
connection first, a general interest, a request for insight (never a job), an
acknowledgement of their busy schedule, 30 minutes or so at their convenience, and
the sender keeps control of the follow-up. Every draft is held to the checker's
rules (``bot.domain.draft_check``) and to the hard limits: 100 words for a request,
300 characters for a LinkedIn connection note. The member's fields are set into the
sentences by ``bot.domain.wording`` (articles, punctuation, "the" before a name).

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from bot.domain.draft_check import (
    WORD_LIMIT,
    WORD_TARGET,
    RuleResult,
    check_draft,
    count_words,
    job_words,
)
from bot.domain.models import AskMinutes, Profile, Prospect, RequestFormat
from bot.domain.wording import (
    attributive,
    capitalized,
    elapsed_since,
    in_running_text,
    is_role,
    settle_punctuation,
    tidy,
    with_article,
)

# The values /outreach draft offers (bot.domain.models), for checking plain ints and text.
MINUTES_CHOICES: tuple[int, ...] = tuple(AskMinutes)
FORMATS: tuple[str, ...] = tuple(RequestFormat)
# LinkedIn's limits on a connection-request note: 300 characters with Premium, 200 on a
# free account since 2023 (https://lettercounter.org/blog/linkedin-connection-request-character-limit).
LINKEDIN_NOTE_CHARS = 300
LINKEDIN_FREE_NOTE_CHARS = 200
FOLLOWUP_MAX_WORDS = 60  # the one polite nudge is shorter than the request it follows
VARIANTS = 3  # distinct wordings of the generated request


@dataclass(slots=True)
class Draft:
    """A generated request, ready to paste.

    ``missing`` names each placeholder left in the text or subject (every one of
    them, with the command that fills it in); ``notes`` are other things the member
    should know before sending (e.g. that free LinkedIn accounts allow 200 characters).
    """

    text: str
    subject: str | None
    word_count: int
    missing: list[str]
    notes: list[str] = field(default_factory=list)


_TITLES = {"dr": "Dr.", "prof": "Prof.", "professor": "Professor", "mr": "Mr.", "mrs": "Mrs.",
           "ms": "Ms.", "mx": "Mx."}  # fmt: skip
# What may follow a name that is not part of it: "Dana Lee, PhD", "Sam Ortiz Jr.".
_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "cpa", "cfa", "esq",
                       "pe", "rn", "jd", "dds", "pmp", "msc", "ma", "ms", "bsc"))  # fmt: skip


def _is_suffix(token: str) -> bool:
    return token.strip(".,").lower() in _SUFFIXES


def salutation_name(name: str | None) -> str:
    """How to address someone in a greeting: "Dana" for "Dana Lee", "Dr. Lee" for
    "Dr. Dana Lee" (a title asks for the surname), "Dana" for "Lee, Dana" or "Dana Lee,
    PhD"; "there" when there is no name."""
    text = tidy(name)
    if "," in text:
        # "Dana Lee, PhD" carries credentials; "Lee, Dana" is the surname first.
        head, tail = (part.strip() for part in text.split(",", 1))
        tail_tokens = tail.replace(",", " ").split()
        if tail_tokens and not all(_is_suffix(t) for t in tail_tokens):
            text = f"{tail} {head}"
        else:
            text = head
    tokens = [t for t in text.split() if t.strip(".,")]
    while len(tokens) > 1 and _is_suffix(tokens[-1]):
        tokens.pop()
    if not tokens:
        return "there"
    title = _TITLES.get(tokens[0].rstrip(".").lower())
    if title and len(tokens) >= 2:
        return f"{title} {tidy(tokens[-1])}"
    return tidy(tokens[0]) or "there"


# Every placeholder a draft can hold, and what fills it. The "briefly" ones stand in
# for a field too long to fit the word or character limit.
PLACEHOLDERS = {
    "[your name]": "your name — set it with /settings profile name:…",
    "[your school or club]": "your school or club — set it with /settings profile school:…",
    "[your field of interest]": "your field of interest — set it with /settings profile interest:…",
    "[their organization]": "their organization — add it with /prospect edit organization:…",
    "[who referred you]": "who referred you — replace [who referred you] with their name",
    "[your school, briefly]": "your school or club in a few words — yours is too long to fit "
    "(shorten it with /settings profile school:…)",
    "[your field, briefly]": "your field of interest in a few words — yours is too long to fit "
    "(shorten it with /settings profile interest:…)",
    "[their organization, briefly]": "their organization in a few words — theirs is too long "
    "to fit (shorten it with /prospect edit organization:…)",
    "[their name, briefly]": "who referred you, in a few words — the name is too long to fit",
}
_BRIEFLY = {
    "school": "[your school, briefly]",
    "interest": "[your field, briefly]",
    "org": "[their organization, briefly]",
    "ref": "[their name, briefly]",
}


def _missing_from(*texts: str | None) -> list[str]:
    joined = "\n".join(t for t in texts if t)
    return [message for holder, message in PLACEHOLDERS.items() if holder in joined]


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
    """The member's and the prospect's fields, tidied, or a placeholder for each."""

    first: str
    me: str
    me_first: str
    school: str
    interest: str
    org: str
    role: str | None
    ref: str
    source: str

    @property
    def school_in_text(self) -> str:
        """ "the University of Michigan" after "at", "of", "with"."""
        return in_running_text(self.school)

    @property
    def school_as_modifier(self) -> str:
        """ "Ohio State University" in "a fellow Ohio State University alum"."""
        return attributive(self.school)

    def briefer(self) -> _Fields | None:
        """These fields with the longest one of the member's own that can give way
        replaced by a short placeholder (None when none is left to shorten)."""
        own = {
            key: getattr(self, key)
            for key in _BRIEFLY
            if not getattr(self, key).startswith("[") and count_words(getattr(self, key)) > 2
        }
        if not own:
            return None
        longest = max(own, key=lambda key: len(own[key]))
        return replace(self, **{longest: _BRIEFLY[longest]})


def _fields(profile: Profile, prospect: Prospect, referrer_name: str | None) -> _Fields:
    me = tidy(profile.name) or "[your name]"
    role = tidy(prospect.role)
    return _Fields(
        first=salutation_name(prospect.name),
        me=me,
        me_first=me if me.startswith("[") else me.split()[0],
        school=tidy(profile.school) or "[your school or club]",
        interest=tidy(profile.interest) or "[your field of interest]",
        org=tidy(prospect.organization) or "[their organization]",
        role=role if is_role(role) else None,
        ref=tidy(referrer_name) or "[who referred you]",
        source=prospect.source if prospect.source in ("alumni", "linkedin", "referral", "event")
        else "generic",
    )  # fmt: skip


def _work(f: _Fields, with_role: bool) -> str:
    """ "your work as a UX researcher at the Home Depot", or "your work at Stripe, Inc."."""
    org = in_running_text(f.org)
    if not (with_role and f.role):
        return f"your work at {org}"
    lowered = f" {f.role.lower()} "
    if " at " in lowered or "@" in lowered or f.org.lower() in lowered:
        return f"your work as {with_article(f.role)}"  # "Engineer at Google" names the place
    return f"your work as {with_article(f.role)} at {org}"


def _connection_sentence(f: _Fields, work: str, variant: int) -> str:
    """The opening sentence: how the member knows or found the prospect."""
    table = {
        "alumni": (
            f"As a fellow alum of {f.school_in_text}, I'm reaching out about {work}.",
            f"I found you through the {f.school_as_modifier} alumni network, and {work} "
            "caught my attention.",
            f"As a fellow {f.school_as_modifier} alum, I was glad to come across {work}.",
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
        where = "" if named else f"at {f.school_in_text}, "
        comma = "," if where else ""
        return (
            f"I'm {where}exploring {f.interest}{comma} and would value your insight into the field."
        )
    if variant == 1:
        where = "" if named else f"{capitalized(f'at {f.school_in_text}')}, "
        return f"{where}I'm exploring {f.interest}, and I'd love your advice on the field."
    where = "" if named else f"with {f.school_in_text} and "
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
        "alumni": f"Fellow {f.school_as_modifier} alum",
        "linkedin": "From a LinkedIn connection",
        "referral": f"Referred by {f.ref}",
    }.get(f.source)
    tail = (
        f"advice on {f.interest}?",
        f"{minutes} minutes of your insight?",
        f"your perspective on {f.interest}",
    )[variant]
    return settle_punctuation(f"{prefix} — {tail}" if prefix else capitalized(tail))


def _email_text(
    f: _Fields,
    minutes: int,
    variant: int,
    *,
    with_role: bool,
    compact: bool,
    with_school: bool = True,
    short_signoff: bool = False,
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
    me = f.me_first if short_signoff else f.me
    return settle_punctuation(f"Hi {f.first},\n\n{paragraph}\n\n{signoff}\n{me}")


def _linkedin_text(f: _Fields, minutes: int, variant: int, with_school: bool) -> str:
    """A connection note with room to say why: fits 300 characters (Premium)."""
    school = (
        f"I'm at {f.school_in_text}, exploring {f.interest}"
        if with_school
        else f"I'm exploring {f.interest}"
    )
    opening = {
        "alumni": f"As a fellow {f.school_as_modifier} alum, I'm exploring {f.interest} and "
        "would value your advice.",
        "linkedin": f"We're connected on LinkedIn. {school}, and I'd value your advice.",
        "referral": f"{f.ref} suggested I reach out. {school}, and I'd value your advice.",
        "event": f"We met at a recent event. {school}, and I'd value your advice.",
        "generic": f"I came across your work at {in_running_text(f.org)}. {school}, and I'd "
        "value your advice.",
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
    return settle_punctuation(
        f"Hi {f.first},\n{opening} {ask} I'll follow up next week.\n{signoff} {f.me_first}"
    )


def _linkedin_short(f: _Fields, minutes: int, variant: int) -> str:
    """Two tight sentences that fit a free account's 200 characters when the fields are
    short: the connection and the field, then the ask."""
    opening = {
        "alumni": f"Fellow {f.school_as_modifier} alum here, exploring {f.interest}.",
        "linkedin": f"We're connected on LinkedIn, and I'm exploring {f.interest}.",
        "referral": f"{f.ref} suggested I reach out; I'm exploring {f.interest}.",
        "event": f"We met at a recent event; I'm exploring {f.interest}.",
        "generic": f"I came across your work at {in_running_text(f.org)} while exploring "
        f"{f.interest}.",
    }[f.source]
    ask = (
        f"I know you're busy: could we talk for {minutes} minutes, early morning included?",
        f"Would you have {minutes} minutes? I know you're busy; whenever suits you, early "
        "morning too.",
        f"Could we talk for {minutes} minutes? I'll fit your schedule, early morning included.",
    )[variant]
    return settle_punctuation(
        f"Hi {f.first},\n{opening} {ask} I'll follow up next week.\n{f.me_first}"
    )


def _problems(text: str) -> list[RuleResult]:
    return [r for r in check_draft(text) if r.status != "pass"]


def _fails(text: str) -> bool:
    return any(r.status == "fail" for r in check_draft(text))


def _choose(own: list[str], briefer: list[str], limits: Iterable[int | None], chars: bool) -> str:
    """The draft to offer. With the member's own fields first: the first wording that
    passes every rule in 75 words within the tightest limit, then within a looser one,
    then one that passes every rule, then one with no ❌; only when none of those fits a
    hard limit do placeholders stand in for the longest fields."""

    def fits(text: str, limit: int | None) -> bool:
        if count_words(text) > WORD_LIMIT:
            return False
        return limit is None or not chars or len(text) <= limit

    def clean(text: str) -> bool:
        # Counted whole (greeting and sign-off too), as the member's word processor would.
        return count_words(text) <= WORD_TARGET and not _problems(text)

    limits = list(limits)
    for limit in limits:
        for text in own:
            if fits(text, limit) and clean(text):
                return text
    for limit in limits:
        for text in own:
            if fits(text, limit) and not _problems(text):
                return text
    loosest = limits[-1]
    for pool in (own, briefer):
        for text in pool:
            if fits(text, loosest) and not _fails(text):
                return text
        for text in pool:
            if fits(text, loosest):
                return text
    return (briefer or own)[-1]


def _briefer_fields(f: _Fields) -> list[_Fields]:
    """``f`` with one more long field given way each time, longest first."""
    steps = []
    current = f.briefer()
    while current is not None:
        steps.append(current)
        current = current.briefer()
    return steps


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
    members of one club don't all send the same text. Absent fields, and fields too
    long for the limits, become visible placeholders listed in ``missing``. An email
    stays within 100 words; a LinkedIn note within 300 characters, and 200 (a free
    account's limit) when the fields allow. Raises ValueError on a bad option.
    """
    _validate_options(minutes, variant)
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {format!r})")
    chosen = seed % VARIANTS if variant is None else variant
    f = _fields(profile, prospect, referrer_name)

    # Wordings in order of preference. Long profile fields can push the full wording
    # past 75 words, and a role such as "Hiring Manager" would trip the job-word rule,
    # so shorter forms drop the role, the school, then the surname in the sign-off.
    subject: str | None = None
    if format == RequestFormat.EMAIL:

        def emails(g: _Fields) -> list[str]:
            return [
                _email_text(g, minutes, chosen, with_role=True, compact=False),
                _email_text(g, minutes, chosen, with_role=True, compact=True),
                _email_text(g, minutes, chosen, with_role=False, compact=True),
                _email_text(g, minutes, chosen, with_role=False, compact=True, with_school=False),
                _email_text(
                    g, minutes, chosen, with_role=False, compact=True, with_school=False,
                    short_signoff=True,
                ),
            ]  # fmt: skip

        own, briefer = emails(f), [emails(g)[-1] for g in _briefer_fields(f)]
        text = _choose(own, briefer, [None], chars=False)
        used = next((g for g in (f, *_briefer_fields(f)) if text in emails(g)), f)
        subject = _subject(used, minutes, chosen)
        if job_words(subject):
            subject = f"{minutes} minutes of your insight?"
    else:

        def notes_for(g: _Fields) -> list[str]:
            return [
                _linkedin_text(g, minutes, chosen, with_school=True),
                _linkedin_text(g, minutes, chosen, with_school=False),
                _linkedin_short(g, minutes, chosen),
            ]

        own, briefer = notes_for(f), [notes_for(g)[-1] for g in _briefer_fields(f)]
        text = _choose(own, briefer, [LINKEDIN_FREE_NOTE_CHARS, LINKEDIN_NOTE_CHARS], chars=True)

    notes = [f"{p.rule}: {p.detail} {p.fix}" for p in _problems(text)]
    if format == RequestFormat.LINKEDIN and len(text) > LINKEDIN_NOTE_CHARS:
        notes.append(
            f"This note is {len(text)} characters; LinkedIn connection notes allow "
            f"{LINKEDIN_NOTE_CHARS}. Shorten your interest (/settings profile interest:…) "
            "or send it as a message once connected."
        )
    elif format == RequestFormat.LINKEDIN and len(text) > LINKEDIN_FREE_NOTE_CHARS:
        notes.append(
            f"This note is {len(text)} characters: it fits LinkedIn Premium's "
            f"{LINKEDIN_NOTE_CHARS}, but free accounts allow {LINKEDIN_FREE_NOTE_CHARS}. On a "
            "free account, trim it or send it as a message once you're connected."
        )
    if f.source == "event":
        notes.append(
            "Name the event in the first sentence if you can; it makes the connection concrete."
        )
    if f.source == "generic" and prospect.source is None:
        notes.append(
            "How do you know them? Set their source with /prospect edit source:alumni (or "
            "linkedin, referral, event) for a stronger first sentence."
        )
    if format == RequestFormat.EMAIL and f.role is None:
        notes.append(
            "Add their role with /prospect edit role:… for a more specific first sentence."
        )
    return Draft(
        text=text,
        subject=subject,
        word_count=count_words(text),
        missing=_missing_from(text, subject),
        notes=notes,
    )


def followup_draft(
    profile: Profile,
    prospect: Prospect,
    *,
    minutes: int = 30,
    sent_at: datetime | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> Draft:
    """The single polite follow-up for the 3B7 day-7 checkpoint (under 60 words).

    It names when the request went out, counted from ``sent_at`` to ``now`` in ``tz``
    ("on Monday", "on November 13"), never a guess such as "last week"; without
    ``sent_at`` it says "my earlier note". Placeholders are listed in ``missing``.
    Raises ValueError on a bad ``minutes``, or ``sent_at`` without ``now``.
    """
    _validate_options(minutes, None)
    if sent_at is not None and now is None:
        raise ValueError("now is needed to say when the request was sent")
    f = _fields(profile, prospect, None)
    when = (
        f"the note I sent {elapsed_since(sent_at, now, tz)}"
        if sent_at is not None and now is not None
        else "my earlier note"
    )

    def text(about: str, me: str) -> str:
        return settle_punctuation(
            f"Hi {f.first},\n\n"
            f"I'm following up on {when}. I'd still value {minutes} minutes of your advice"
            f"{about}, at whatever time suits you. If now isn't a good time, no worries at all, "
            f"and thank you either way.\n\nBest,\n{me}"
        )

    wordings = [
        text(f" on {f.interest}", f.me),
        text("", f.me),  # a long interest gives way: the request already named it
        text("", f.me_first),
    ]
    chosen = next((w for w in wordings if count_words(w) < FOLLOWUP_MAX_WORDS), wordings[-1])
    return Draft(
        text=chosen, subject=None, word_count=count_words(chosen), missing=_missing_from(chosen)
    )
