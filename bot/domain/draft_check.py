"""Step 2 of the method: checking a member's own request, rule by rule.

The rules are the seed method's (brief and friendly, acknowledge their busy
schedule, ask for 30 minutes and an hour at most, meet at their convenience, early
morning included) plus the "5-Point Email" of *The 2-Hour Job Search* (under 100
words and ideally 75, the connection first, a request for insight rather than a
job). The draft writer (``bot.domain.drafts``) must pass every one of them.

How severe each miss is comes from real requests (tests/data/outreach_corpus.toml):
the samples career offices publish as good often name no length, no flexibility,
no thanks for their time and put the connection second, so those misses are
warnings; what every published bad request shares is a fail: asking for a job, a
referral or a résumé review, running past 100 words, or asking for nothing (and,
from the seed method, asking for more than an hour).

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

WORD_LIMIT = 100  # the career offices' hard limit
WORD_TARGET = 75  # past this the checker warns
MIN_WORDS = 15  # fewer can't say who you are, how you know them and what you ask
MAX_MINUTES = 60  # "ask for 30 minutes (an hour at most)"

Status = Literal["pass", "warn", "fail"]

RULES = (
    "length",
    "time ask",
    "acknowledges their time",
    "flexible on when",
    "no job ask",
    "connection first",
    "clear request",
)


@dataclass(slots=True)
class RuleResult:
    """One rule's verdict on a draft, with a concrete fix when it isn't a pass."""

    rule: str
    status: Status
    detail: str
    fix: str | None


class Verdict(StrEnum):
    """The draft as a whole: a fail anywhere means it needs fixing before it goes out;
    warnings alone are suggestions."""

    READY = "ready"
    FIX_FIRST = "fix first"


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

_GREETING = r"(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))\b"
# Discord's desktop client pastes a multi-line draft into an option as one line, so
# the subject, the greeting and the sign-off may all share a line with the message.
_SUBJECT_LINE_RE = re.compile(r"^\s*subject\s*:[^\n]*(?:\n|$)", re.IGNORECASE)
_SUBJECT_BEFORE_GREETING_RE = re.compile(
    rf"^\s*subject\s*:\s*[^\n]+?(?=\s{_GREETING})", re.IGNORECASE
)
_SUBJECT_SENTENCE_RE = re.compile(r"^\s*subject\s*:\s*[^\n]+?[.?!](?=\s)", re.IGNORECASE)
# A greeting on a line of its own ("Hi Dr. Lee"), or leading a line ("Hi Dana, we met…").
_GREETING_LINE_RE = re.compile(rf"^\s*{_GREETING}[^\n]{{0,40}}\n", re.IGNORECASE)
_GREETING_PREFIX_RE = re.compile(
    rf"^\s*{_GREETING}(?:\s+(?:(?:dr|mr|mrs|ms|mx|prof)\.|[^\s,!:.]+)){{0,4}}?\s*[,!:]",
    re.IGNORECASE,
)
_CLOSINGS = (
    r"best(?: regards| wishes)?|kind regards|warm(?:est)? regards|warmly|regards|cheers"
    r"|thanks(?: so much| again)?|thank you(?: so much| again)?|many thanks|with thanks"
    r"|sincerely|respectfully|all the best|yours"
)
_SIGNOFF_LINE_RE = re.compile(r"^[^\n]{0,40},\s*$")
_SIGNOFF_INLINE_RE = re.compile(
    rf"(?:^|(?<=[.!?])\s+)(?:{_CLOSINGS})"
    r"(?:\s*[,!.]?\s*$|\s*[,!]\s*(?:[^\s.!?]+\s*){1,3}\.?\s*$)",
    re.IGNORECASE,
)
# Template placeholders ("[Company]", "{ role }", "{{name}}", "<job_ID>") stand for
# text the sender fills in: a placeholder counts as one word and is no job ask itself.
_PLACEHOLDER_RE = re.compile(r"\[[^\]\n]*\]|\{\{?[^}\n]*\}?\}|<[^>\n]*>")
_PLEASANTRY_RE = re.compile(
    r"^(?:i\s+)?hope\s+(?:this|you|your|all|that|everything)\b|^how are you\b", re.IGNORECASE
)
_ABBREVIATIONS = frozenset(
    ("mr", "mrs", "ms", "mx", "dr", "prof", "st", "jr", "sr", "inc", "co", "corp", "ltd", "dept",
     "univ", "e.g", "i.e", "vs", "a.m", "p.m", "approx")
)  # fmt: skip


def _plain(text: str, *, spaced_dashes: bool = True) -> str:
    # Curly quotes and dashes typed on phones must match the same rules as ASCII. An em
    # dash separates words for matching, but "busy—I" is one word to a word processor.
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
    )
    return text.replace("\u2014", " - ") if spaced_dashes else text


def _without_subject(text: str) -> str:
    """The message without its "Subject:" line. Pasted on one line, the subject ends
    where the greeting starts, or else at its first full stop or question mark."""
    text = text.lstrip()
    first_line = text.split("\n", 1)[0]
    if not re.match(r"\s*subject\s*:", first_line, re.IGNORECASE):
        return text
    for pattern in (_SUBJECT_BEFORE_GREETING_RE, _SUBJECT_SENTENCE_RE):
        match = pattern.match(first_line)
        if match:
            return text[match.end() :].lstrip()
    return _SUBJECT_LINE_RE.sub("", text, count=1)


def _without_greeting(text: str) -> str:
    match = _GREETING_LINE_RE.match(text) or _GREETING_PREFIX_RE.match(text)
    return text[match.end() :].lstrip() if match else text


def _without_signoff(text: str) -> str:
    """The message without its closing ("Best,\\nJordan" or, on one line, "… Best, Jordan")."""
    lines = text.rstrip().split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(reversed(filled)):
        if position > 3:
            break
        after = [lines[i] for i in filled[len(filled) - position :]]
        if _SIGNOFF_LINE_RE.match(lines[index].strip()) and all(
            len(line.split()) <= 5 for line in after
        ):
            return "\n".join(lines[:index])
    return _SIGNOFF_INLINE_RE.sub("", text.rstrip())


def _message(text: str) -> str:
    """What the recipient reads as the message: no subject, greeting or sign-off."""
    plain = _plain(text, spaced_dashes=False)
    return _without_signoff(_without_greeting(_without_subject(plain)))


def count_words(text: str) -> int:
    """Count words the way a word processor does: whitespace-separated tokens
    holding at least one letter or digit (a lone dash is not a word)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def message_words(text: str) -> int:
    """The words of the message itself, as the 5-Point Email's limits count them: not
    the subject, greeting or sign-off lines; a [placeholder] counts as one word."""
    return count_words(_PLACEHOLDER_RE.sub("X", _message(text)))


def _blank_placeholders(text: str) -> str:
    return _PLACEHOLDER_RE.sub(lambda match: " " * len(match.group()), text)


def _sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping "Dr." and "e.g." inside theirs."""
    sentences: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?]+(?=\s|$)|\n\s*\n", text):
        end = match.end()
        if match.group().startswith("."):
            before = text[start : match.start()].split()
            last = before[-1].lower().rstrip(".") if before else ""
            # An abbreviation or a single initial ("J. Smith") doesn't end a sentence.
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _first_sentence(text: str) -> str:
    """The first sentence of the message proper: after any subject, greeting and
    pleasantry ("I hope this email finds you well")."""
    body = _without_greeting(_without_subject(_plain(text)))
    for sentence in _sentences(body):
        if not _PLEASANTRY_RE.match(sentence):
            return sentence
    return ""


def _quote(words: Iterable[str]) -> str:
    seen: list[str] = []
    for word in words:
        if word.lower() not in (w.lower() for w in seen):
            seen.append(word)
    return ", ".join(f'"{w}"' for w in seen)


# ---------------------------------------------------------------------------
# Rule: time ask
# ---------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "twenty five": 25,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "forty five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "a couple of": 2,
    "a couple": 2,
    "a few": 3,
    "several": 3,
}
# "a few minutes" is vague (its own warning), but "a few hours" is clearly too long,
# so the vague quantities count only with hours.
_NUM_MIN = (
    r"\d+(?:\.\d+)?|twenty[- ]five|forty[- ]five|one|two|three|five|ten|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|ninety"
)
_NUM = _NUM_MIN + r"|a couple of|a couple|a few|several"
_RANGE = rf"(?P<a>{_NUM})(?:\s*(?:-|to|or)\s*(?P<b>{_NUM}))?"
_RANGE_MIN = rf"(?P<a>{_NUM_MIN})(?:\s*(?:-|to|or)\s*(?P<b>{_NUM_MIN}))?"

# Fixed phrases first, so "an hour and a half" isn't also read as "an hour".
_PHRASES: list[tuple[re.Pattern[str], int]] = [
    (
        re.compile(
            r"\b(?:an?|one|1)\s+hour\s+and\s+a\s+half\b|\bhour\s+and\s+a\s+half\b"
            r"|\b(?:one|1)\s+and\s+a\s+half\s+hours?\b",
            re.IGNORECASE,
        ),
        90,
    ),
    (re.compile(r"\b(?:an?|one|1)\s+hour\s+or\s+two\b", re.IGNORECASE), 120),
    (re.compile(r"\b(?:half\s+an\s+hour|a\s+half[- ]hour|half[- ]hour)\b", re.IGNORECASE), 30),
    (re.compile(r"\b(?:a\s+)?quarter(?:\s+of\s+an|-)?\s*hour\b", re.IGNORECASE), 15),
]
_MINUTES_RE = re.compile(rf"\b{_RANGE_MIN}[\s-]*(?:min|mins|minutes?)\b", re.IGNORECASE)
_HOURS_RE = re.compile(rf"\b{_RANGE}[\s-]*(?:hrs?|hours?)\b", re.IGNORECASE)
_AN_HOUR_RE = re.compile(r"\b(?:an|one|a\s+full|a\s+whole)\s+hour\b|\bhour-long\b", re.IGNORECASE)
# "happy hour", "office hours" and friends are not time asks.
_NOT_A_LENGTH_BEFORE = re.compile(
    r"(?:\b(?:within|after|every|per|past|next|over|under|happy|office|rush|business|"
    r"working|lunch|after-)\s*)$",
    re.IGNORECASE,
)
_NOT_A_LENGTH_AFTER = re.compile(
    r"^(?:'s)?\s*(?:away|ahead|behind|ago|later|earlier|drive|difference|from now"
    r"|of (?:travel|driving))\b",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"\b(?:a\s+few|a\s+couple\s+(?:of\s+)?|some|several)\s+(?:minutes|moments)\b"
    r"|\ba\s+(?:minute|moment)\b|\ba\s+little\s+(?:bit\s+of\s+)?(?:your\s+)?time\b",
    re.IGNORECASE,
)
_QUICK_CALL_RE = re.compile(
    r"\b(?:quick|brief|short|informal|informational)\s+(?:call|chat|conversation|meeting|"
    r"coffee|phone\s+call|video\s+call|zoom|talk)\b|\bcoffee\s+chat\b|\bgrab\s+(?:a\s+)?coffee\b",
    re.IGNORECASE,
)


def _number(token: str | None) -> float | None:
    if token is None:
        return None
    token = token.lower()
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _is_meeting_length(text: str, start: int, end: int) -> bool:
    return not (
        _NOT_A_LENGTH_BEFORE.search(text[max(0, start - 20) : start])
        or _NOT_A_LENGTH_AFTER.search(text[end : end + 30])
    )


def requested_minutes(text: str) -> list[int]:
    """Every meeting length the text asks for, in minutes ("20-30 minutes" → 30).

    Times that aren't meeting lengths are skipped: "happy hour", "office hours",
    "within 24 hours", "an hour away".
    """
    text = _plain(text)
    found: list[int] = []

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group())

    for pattern, minutes in _PHRASES:
        for match in pattern.finditer(text):
            if _is_meeting_length(text, match.start(), match.end()):
                found.append(minutes)
        text = pattern.sub(blank, text)
    for pattern, factor in ((_MINUTES_RE, 1), (_HOURS_RE, 60)):
        for match in pattern.finditer(text):
            if not _is_meeting_length(text, match.start(), match.end()):
                continue
            values = [v for v in (_number(match["a"]), _number(match["b"])) if v is not None]
            if values:
                # A range asks for its upper end: "20-30 minutes" may take 30.
                found.append(round(max(values) * factor))
        text = pattern.sub(blank, text)
    for match in _AN_HOUR_RE.finditer(text):
        if _is_meeting_length(text, match.start(), match.end()):
            found.append(60)
    return found


def _minutes_label(minutes: int) -> str:
    if minutes == 60:
        return "an hour"
    if minutes == 90:
        return "an hour and a half"
    if minutes > 60 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


_EXAMPLE_ASK = "e.g. 'Would you have 20 minutes for a call?'"


def _rule_time_ask(text: str) -> RuleResult:
    lengths = requested_minutes(text)
    if lengths:
        longest = max(lengths)
        if longest > MAX_MINUTES:
            return RuleResult(
                "time ask",
                "fail",
                f"Asks for {_minutes_label(longest)}: more than an hour is a lot to ask "
                "of a stranger.",
                f"Ask for 20–30 minutes (an hour at most), {_EXAMPLE_ASK}",
            )
        return RuleResult("time ask", "pass", f"Asks for {_minutes_label(longest)}.", None)
    plain = _plain(text)
    vague = _VAGUE_RE.search(plain) or _QUICK_CALL_RE.search(plain)
    detail = (
        f'Asks for "{vague.group()}" without saying how long.'
        if vague
        else "Doesn't say how much of their time you're asking for."
    )
    return RuleResult(
        "time ask",
        "warn",
        detail,
        f"Name the length so they can say yes quickly: 20–30 minutes, {_EXAMPLE_ASK}",
    )


# ---------------------------------------------------------------------------
# Rules: acknowledging their time, flexibility
# ---------------------------------------------------------------------------

# "schedule a call" is the sender's plan, not an acknowledgement: only "your schedule"
# or a busy, full or tough one counts.
_ACKNOWLEDGE_RE = re.compile(
    r"\bbusy\b|\byour (?:valuable |precious |limited )?time\b"
    r"|\byour (?:busy |full |packed |hectic |tough )?schedule\b"
    r"|\b(?:tough|busy|full|packed|hectic|demanding) schedule\b|\bgenerous\b"
    r"|\bappreciat\w*\b[^.?!]{0,40}\b(?:time|consideration)\b|\bdemands on your\b|\bhectic\b"
    r"|\b(?:full|a lot on your) plate\b|\btime is (?:valuable|precious|limited)\b"
    r"|\bthank(?:s| you)(?: so| very)?(?: much)?(?: in advance)? for (?:considering"
    r"|your consideration|taking the time|reading)\b"
    r"|\bmany requests\b|\brequests add up\b",
    re.IGNORECASE,
)
_FLEXIBLE_RE = re.compile(
    r"\byour convenience\b|\bwhenever\b|\bearly[- ]mornings?\b|\bflexib(?:le|ility)\b"
    r"|\b(?:any|a|whatever|whichever) (?:time|day)s? (?:that )?(?:suits|works|fits|is convenient)"
    r"|\bfits? (?:into |in |around )?your (?:schedule|calendar|day)\b"
    r"|\bworks? best for you\b|\bsuits you\b|\baround your (?:schedule|calendar)\b"
    r"|\b(?:before|after) (?:work|your workday)\b|\bwhatever works\b|\bwhichever works\b"
    r"|\bwork around\b|\bconvenient for you\b|\byour preferred time\b|\btime of your choosing\b"
    r"|\byou pick the time\b|\bon your schedule\b|\bany ?time\b"
    r"|\bwhen you have (?:the |some )?time\b",
    re.IGNORECASE,
)


def _rule_acknowledges(text: str) -> RuleResult:
    match = _ACKNOWLEDGE_RE.search(_plain(text))
    if match:
        return RuleResult(
            "acknowledges their time", "pass", f'Acknowledges their time ("{match.group()}").', None
        )
    return RuleResult(
        "acknowledges their time",
        "warn",
        "Doesn't acknowledge that their time is valuable.",
        "Add a line such as 'I know your schedule is busy, so I appreciate any time you can "
        "spare.'",
    )


def _rule_flexible(text: str) -> RuleResult:
    match = _FLEXIBLE_RE.search(_plain(text))
    if match:
        return RuleResult(
            "flexible on when", "pass", f'Flexible on when ("{match.group()}").', None
        )
    return RuleResult(
        "flexible on when",
        "warn",
        "Doesn't offer to meet when it suits them.",
        "Offer to fit their schedule, e.g. 'I'm happy to meet at your convenience, early "
        "morning included.'",
    )


# ---------------------------------------------------------------------------
# Rule: no job ask
# ---------------------------------------------------------------------------
#
# Three kinds of words, decided from the corpus and the career offices' rule ("no
# mention of jobs anywhere"):
# - job asks: asking for a job, a referral, an interview or a résumé review ("refer
#   me", "any openings", "work for your company", "I'm applying to …"). These also
#   guard the question bank.
# - job words: any other mention of a post to be filled (job, position, role, opening,
#   internship, hiring, résumé, "opportunities at your company"). A request that
#   mentions one gets ignored, so it fails too.
# - the sender's own search ("in the middle of my job hunt", "exploring opportunities
#   in fintech"): asks for nothing, and requests that said it still got meetings, so
#   it is a warning.
# Their own work is fine to mention: "your job", "your role as CFO", "your position on
# AI", "great job on your talk", "in a position to", "eye-opening", "resume our chat".

_PRAISE = (
    r"(?:great|good|nice|amazing|fantastic|wonderful|excellent|terrific|incredible|brilliant"
    r"|stellar|super)"
)
_THEIRS = r"\b(?:your|their|his|her)\s+(?:(?:current|first|new|previous|old)\s+)?$"
_ORG = r"(?:company|firm|team|organi[sz]ation|org|department|group|agency|office|startup|lab)"


@dataclass(frozen=True, slots=True)
class _JobWord:
    pattern: re.Pattern[str]
    not_before: re.Pattern[str] | None = None  # tested on the text just before the match
    not_after: re.Pattern[str] | None = None  # tested on the text just after it
    # When set, the match counts only after this text, or before ``or_after``.
    only_before: re.Pattern[str] | None = None
    or_after: re.Pattern[str] | None = None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_RESUME = r"(?:r[ée]sum[ée]s?|cvs?)"
_JOB_ASKS = (
    _JobWord(
        _rx(
            r"\b(?:get|give|find|offer|land)\s+me\s+(?:a|an|the)\s+(?:job|position|role"
            r"|internship|interview|referral|spot|place)\b"
        )
    ),
    _JobWord(_rx(r"\b(?:hire|refer|sponsor)\s+me\b")),
    _JobWord(_rx(r"\breferrals?\b")),
    _JobWord(_rx(r"\b(?:are|is)\s+(?:you|your\s+\w+|they|there|anyone)\s+(?:\w+\s+)?hiring\b")),
    _JobWord(
        _rx(
            r"\b(?:any|open|current|available)\s+(?:job\s+)?(?:openings|positions|roles"
            r"|vacancies|internships|jobs)\b"
        )
    ),
    _JobWord(
        _rx(
            rf"\b(?:jobs?|positions?|roles?|internships?|openings?)\s+(?:at|on|in|with|within)"
            rf"\s+your\s+{_ORG}\b"
        )
    ),
    _JobWord(_rx(rf"\b(?:work|working)\s+(?:for|at)\s+your\s+{_ORG}\b|\bjoin\s+your\s+{_ORG}\b")),
    _JobWord(
        _rx(
            rf"\b(?:review|look\s+(?:at|over)|check|critique|feedback\s+on|glance\s+at)\s+"
            rf"my\s+{_RESUME}\b|\bmy\s+{_RESUME}\s+(?:is\s+)?(?:attached|enclosed)\b"
            rf"|\battach(?:ed|ing)?\s+my\s+{_RESUME}\b"
        )
    ),
    _JobWord(_rx(r"\b(?:apply|applying|applied)\s+(?:to|for|at)\b")),
    _JobWord(_rx(r"\bbe\s+considered\b|\bget\s+interviewed\b")),
)
_JOB_WORDS = (
    _JobWord(
        _rx(r"\bjobs?\b(?![- ](?:hunt|hunting|search|searching|seekers?|market|boards?)\b)"),
        not_before=_rx(rf"\b{_PRAISE}\s+$|{_THEIRS}"),
        # "how demanding the job is" describes theirs.
        not_after=_rx(r"^\s+(?:is|was|can be|must be|gets)\b"),
    ),
    _JobWord(
        _rx(r"\bpositions?\b"),
        not_before=_rx(rf"\bin an?\s+$|{_THEIRS}"),
        not_after=_rx(r"^\s+(?:on|about|regarding)\b"),
    ),
    _JobWord(
        _rx(r"\bopenings?\b"),
        not_before=_rx(r"eye-$"),
        not_after=_rx(
            r"^\s+(?:keynote|remarks|talk|session|panel|address|night|act|speech|statement|day)\b"
        ),
    ),
    _JobWord(_rx(r"\bhir(?:e|es|ed|ing)\b")),
    _JobWord(_rx(r"\br[ée]sum[ée]s?\b(?<!resume)(?<!resumes)")),
    _JobWord(
        _rx(r"\bresumes?\b"),
        only_before=_rx(
            r"\b(?:my|attached|attach|attaching|send|sending|sent|enclosed|share|sharing|"
            r"review|reviewing|forward|forwarding|updated|copy of|look over|look at|on)\b"
            r"[\w\s]{0,15}$"
        ),
        or_after=_rx(r"^\s+(?:is\s+|are\s+)?(?:attached|enclosed|below)\b"),
    ),
    _JobWord(_rx(r"\bcvs?\b")),
    _JobWord(_rx(r"\binternships?\b")),
    _JobWord(_rx(r"\bvacanc(?:y|ies)\b")),
    _JobWord(
        _rx(
            r"\b(?:the|this|that|a|an|open|entry[- ]level|new|junior|senior)\s+roles?\b"
            r"(?!\s+models?\b)"
        ),
    ),
    _JobWord(
        _rx(
            r"\b(?:exploring|seeking|pursuing|targeting|considering|interested\s+in|looking\s+for)"
            r"\s+(?:[\w-]+\s+){0,3}?roles?\b"
        )
    ),
    _JobWord(
        _rx(
            r"\bopportunit(?:y|ies)\s+(?:at|with|on)\b"
            r"|\b(?:about|regarding|discuss|for|any|current|open|potential|job)\s+opportunit(?:y|ies)\b"
        )
    ),
    _JobWord(
        _rx(
            r"\b(?:my|job|internship)\s+applications?\b|\bapplications?\s+(?:process|to|at)\b"
            r"|\bfor\s+applications\b|\bapplication\s+for\b"
        )
    ),
)
_OWN_SEARCH = (
    _JobWord(_rx(r"\bjob[- ](?:hunt|hunting|search|searching|market)\b")),
    _JobWord(
        _rx(r"\bexplor(?:e|ing)\s+(?:new\s+|career\s+)?opportunities\s+(?:in|within|across)\b")
    ),
    # "I'm a junior recruiting for IB summer positions": their own recruiting season,
    # not "in charge of recruiting for this role".
    _JobWord(
        _rx(
            r"\brecruiting(?:\s+for\s+(?:[\w&-]+\s+){0,4}?(?:positions?|roles?|internships?|jobs?)\b"
            r"|\s+process\b)?"
        ),
        not_before=_rx(r"\b(?:of|do|does|handles?|leads?)\s+(?:the\s+)?$"),
    ),
)


def _find(words: tuple[_JobWord, ...], text: str) -> list[tuple[int, int, str]]:
    text = _blank_placeholders(_plain(text))
    hits: list[tuple[int, int, str]] = []
    for word in words:
        for match in word.pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            after = text[match.end() : match.end() + 40]
            if word.not_before and word.not_before.search(before):
                continue
            if word.not_after and word.not_after.search(after):
                continue
            if (
                word.only_before
                and not word.only_before.search(before)
                and not (word.or_after and word.or_after.search(after))
            ):
                continue
            hits.append((match.start(), match.end(), match.group()))
    return sorted(hits)


def _phrases(text: str, hits: Iterable[tuple[int, int, str]]) -> list[str]:
    """The hits as written, in order; overlapping hits ("any roles" and "roles at your
    company") become one phrase ("any roles at your company")."""
    plain = _plain(text)
    spans: list[list[int]] = []
    for start, end, _ in sorted(hits):
        if spans and start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [plain[start:end] for start, end in spans]


def job_asks(text: str) -> list[str]:
    """The phrases that ask for a job, a referral, an interview or a résumé review,
    as written, in order ("refer me", "any openings", "get me a job")."""
    return _phrases(text, _find(_JOB_ASKS, text))


def job_words(text: str) -> list[str]:
    """Every job ask and job-hunting word in the text, as written, in order: what a
    request must not mention. Their own job ("your role as CFO") doesn't count, nor does
    a word inside the sender's account of their own search ("recruiting for summer
    analyst positions")."""
    own = _find(_OWN_SEARCH, text)
    mentions = [
        hit
        for hit in _find(_JOB_WORDS, text)
        if not any(start <= hit[0] and hit[1] <= end for start, end, _ in own)
    ]
    return _phrases(text, _find(_JOB_ASKS, text) + mentions)


def _rule_no_job_ask(text: str) -> RuleResult:
    words = job_words(text)
    if words:
        quoted = _quote(words)
        return RuleResult(
            "no job ask",
            "fail",
            f"Mentions {quoted}: a request that smells of a job ask gets ignored.",
            f"Remove {quoted} and ask for their insight and advice on the field instead; "
            "if there's an opening, let them bring it up.",
        )
    own = _phrases(text, _find(_OWN_SEARCH, text))
    if own:
        quoted = _quote(own)
        return RuleResult(
            "no job ask",
            "warn",
            f"Asks for no job, but {quoted} tells them you're job hunting.",
            f"Consider leaving out {quoted}: say what you want to learn about the field.",
        )
    return RuleResult("no job ask", "pass", "No mention of jobs, hiring or résumés.", None)


# ---------------------------------------------------------------------------
# Rules: connection first, clear request
# ---------------------------------------------------------------------------

_CONNECTION_RE = re.compile(
    r"\balum(?:s|ni|na|nae|nus)?\b|\bfellow\b|\blinked ?in\b|\brefer(?:red|ral)\b"
    r"|\b(?:suggested|recommended|thought)\s+(?:that\s+)?I\b|\bgave me your\b"
    r"|\bpassed (?:along|on) your\b|\bmentioned (?:that )?you\b"
    r"|\b(?:spoke|talked) (?:with|to) your (?:contact|colleague|friend|teammate)\b"
    r"|\bmet (?:you|at|last|earlier|briefly)\b|\bwe met\b|\bmeet(?:ing)? you at\b|\bmutual\b"
    r"|\bour (?:club|chapter|society|association|group|program|school|university|college"
    r"|alma mater)\b"
    r"|\bsame (?:school|university|college|program|club|hometown|team|class)\b"
    r"|\byour (?:talk|panel|article|post|presentation|session|podcast|webinar|keynote|workshop|"
    r"interview|book|lecture|blog|newsletter|paper)\b"
    r"|\bheard you (?:speak|present|talk)\b|\bsaw you (?:speak|present|at|on)\b"
    r"|\bI (?:saw|read|heard|watched|enjoyed) your\b|\bcame across your\b"
    r"|\bfollow(?:ing|ed)? (?:you|your (?:work|career|writing))\b|\bclassmates?\b"
    r"|\bmy (?:professor|advisor|adviser|mentor|manager|friend|colleague|cousin|sister|brother|"
    r"aunt|uncle|teacher|coach|supervisor|classmate)\b|\bis my (?:mentor|professor|advisor)\b"
    r"|\b(?:both|also) (?:studied|attended|went to|graduated)\b|\bgraduate of\b"
    r"|\bworked together\b|\bwe (?:both|each)\b|\bwe're both\b|\bwe are both\b"
    r"|\bconnected on\b|\bconnecting\b|\bconnection\b|\bintroduc(?:ed|tion)\b",
    re.IGNORECASE,
)
_CONNECTION_EXAMPLE = "e.g. 'As a fellow Michigan alum, …' or 'Sam Lee suggested I reach out.'"

_REQUEST_RE = re.compile(
    r"\bwould you be (?:open|willing|available|up for|interested)\b|\bcould (?:we|I|you)\b"
    r"|\bcan (?:we|you)\b|\bmay I\b"
    r"|\b(?:I'?d|I would|would) (?:really |so )?love (?:to|the chance|a chance)\b"
    r"|\bwould you (?:have|mind|like)\b"
    r"|\bwould it be possible\b|\bare you available\b|\bdo you have\b"
    r"|\bI(?:'d| would) (?:be |really be )?(?:\w+ )?grateful\b"
    r"|\bI(?:'d| would) (?:\w+ )?appreciate\b"
    r"|\bI'?m hoping (?:to|we|you)\b|\bI was hoping\b|\bI hope (?:to|we|you)\b"
    r"|\blet me know if\b|\bif you(?:'re| are) (?:open|willing|available)\b"
    r"|\bwonder(?:ing|ed)? (?:if|whether)\b|\bif you could\b"
    r"|\b(?:wanted|want|would like|'d like) to ask\b"
    r"|\bI(?:'d| would) like to (?:meet|talk|speak|chat|hear|learn|connect|set up|schedule)\b",
    re.IGNORECASE,
)


def _rule_connection_first(text: str) -> RuleResult:
    first = _first_sentence(text)
    match = _CONNECTION_RE.search(first)
    if match:
        return RuleResult(
            "connection first",
            "pass",
            f'The first sentence says how you know them ("{match.group()}").',
            None,
        )
    later = _CONNECTION_RE.search(_without_subject(_plain(text)))
    if later:
        return RuleResult(
            "connection first",
            "warn",
            f'The connection ("{later.group()}") comes after the first sentence.',
            f"Move it up: open with how you know them, {_CONNECTION_EXAMPLE}",
        )
    return RuleResult(
        "connection first",
        "warn",
        "The message never says how you know them or found them.",
        f"Open with how you know them, {_CONNECTION_EXAMPLE}",
    )


def _rule_clear_request(text: str) -> RuleResult:
    plain = _without_subject(_plain(text))
    if "?" in plain:
        return RuleResult("clear request", "pass", "Asks a direct question.", None)
    match = _REQUEST_RE.search(plain)
    if match:
        return RuleResult("clear request", "pass", f'Makes a clear ask ("{match.group()}").', None)
    return RuleResult(
        "clear request",
        "fail",
        "There is no clear ask they can say yes to.",
        "End with a direct question, e.g. 'Would you be open to a 20-minute call?'",
    )


def _cut(words: int) -> str:
    excess = words - WORD_TARGET
    return f"Cut {excess} word{'' if excess == 1 else 's'}: aim for {WORD_TARGET} or fewer."


def _rule_length(text: str) -> RuleResult:
    words = message_words(text)
    if words == 0:
        return RuleResult(
            "length",
            "fail",
            "There are no words to check, only symbols or emoji.",
            "Paste the text of your message to check it.",
        )
    if words < MIN_WORDS:
        return RuleResult(
            "length",
            "fail",
            f"{words} word{'' if words == 1 else 's'}. Too short to say who you are, how you "
            "know them and what you're asking.",
            f"Write {MIN_WORDS}–{WORD_TARGET} words: how you know them, what you're exploring, "
            "and a question they can say yes to.",
        )
    if words > WORD_LIMIT:
        return RuleResult(
            "length",
            "fail",
            f"{words} words: over the {WORD_LIMIT}-word limit.",
            _cut(words),
        )
    if words > WORD_TARGET:
        return RuleResult(
            "length",
            "warn",
            f"{words} words: short enough, but past the {WORD_TARGET}-word target.",
            _cut(words),
        )
    return RuleResult("length", "pass", f"{words} words.", None)


_CHECKS: tuple[Callable[[str], RuleResult], ...] = (
    _rule_length,
    _rule_time_ask,
    _rule_acknowledges,
    _rule_flexible,
    _rule_no_job_ask,
    _rule_connection_first,
    _rule_clear_request,
)


def check_draft(text: str) -> list[RuleResult]:
    """Score a request rule by rule, in the order of ``RULES``.

    The draft may be pasted whole or on one line: a "Subject:" line, the greeting and
    the sign-off are not counted as words, and the first sentence is the one after the
    greeting and any "I hope you're well".
    """
    return [check(text or "") for check in _CHECKS]


def score(results: Iterable[RuleResult]) -> tuple[int, int]:
    """(rules passed, rules checked)."""
    results = list(results)
    return sum(1 for r in results if r.status == "pass"), len(results)


def verdict(results: Iterable[RuleResult]) -> Verdict:
    """Ready to send unless a rule fails; warnings are suggestions."""
    return Verdict.FIX_FIRST if any(r.status == "fail" for r in results) else Verdict.READY
