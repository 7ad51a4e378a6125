"""Step 2 of the method: checking a member's own request, rule by rule.

The rules are the seed method's (brief and friendly, acknowledge their busy
schedule, ask for 30 minutes and an hour at most, meet at their convenience, early
morning included) plus the "5-Point Email" of *The 2-Hour Job Search* (under 100
words and ideally 75, the connection first, a request for insight rather than a
job). The draft writer (``bot.domain.drafts``) must pass every one of them.

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

WORD_LIMIT = 100  # the career offices' hard limit
WORD_TARGET = 75  # past this the checker warns
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


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

_SUBJECT_LINE_RE = re.compile(r"^\s*subject\s*:.*(?:\n|$)", re.IGNORECASE)
# A greeting on a line of its own ("Hi Dr. Lee,"): at most six words, then a newline.
_GREETING_LINE_RE = re.compile(
    r"^\s*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b"
    r"(?:[ \t]+[^\s]+){0,5}[ \t]*\n",
    re.IGNORECASE,
)
_ABBREVIATIONS = frozenset(
    ("mr", "mrs", "ms", "mx", "dr", "prof", "st", "jr", "sr", "inc", "co", "corp", "ltd", "dept",
     "univ", "e.g", "i.e", "vs", "a.m", "p.m", "approx")
)  # fmt: skip


def _plain(text: str) -> str:
    # Curly quotes and dashes typed on phones must match the same rules as ASCII.
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", " - ")
    )


def _body(text: str) -> str:
    """The message without a leading "Subject:" line (the subject isn't counted)."""
    return _SUBJECT_LINE_RE.sub("", text.lstrip(), count=1)


def count_words(text: str) -> int:
    """Count words the way a word processor does: whitespace-separated tokens
    holding at least one letter or digit (a lone dash is not a word)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


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
    """The first sentence of the message proper: after any subject and greeting line."""
    body = _body(text)
    body = _GREETING_LINE_RE.sub("", body, count=1)
    sentences = _sentences(body)
    return sentences[0] if sentences else ""


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


def _rule_time_ask(text: str) -> RuleResult:
    lengths = requested_minutes(text)
    example = "e.g. 'Would you have 20 minutes for a call?'"
    if lengths:
        longest = max(lengths)
        if longest > MAX_MINUTES:
            return RuleResult(
                "time ask",
                "fail",
                f"Asks for {_minutes_label(longest)}: more than an hour is a lot to ask "
                "of a stranger.",
                f"Ask for 20–30 minutes (an hour at most), {example}",
            )
        return RuleResult("time ask", "pass", f"Asks for {_minutes_label(longest)}.", None)
    vague = _VAGUE_RE.search(_plain(text))
    if vague:
        return RuleResult(
            "time ask",
            "warn",
            f'Asks for "{vague.group()}" without naming a length.',
            f"Name the length so they can say yes quickly: ask for 20–30 minutes, {example}",
        )
    quick = _QUICK_CALL_RE.search(_plain(text))
    if quick:
        return RuleResult(
            "time ask",
            "fail",
            f'Asks for "{quick.group()}" but doesn\'t say how long.',
            f"Say how long: ask for 20–30 minutes, {example}",
        )
    return RuleResult(
        "time ask",
        "fail",
        "Doesn't say how much of their time you're asking for.",
        f"Ask for 20–30 minutes, {example}",
    )


# ---------------------------------------------------------------------------
# Rules: acknowledging their time, flexibility
# ---------------------------------------------------------------------------

_ACKNOWLEDGE_RE = re.compile(
    r"\bbusy\b|\byour (?:valuable |precious |limited )?time\b|\bschedule\b|\bgenerous\b"
    r"|\bappreciat\w*\b[^.?!]{0,40}\btime\b|\bdemands on your\b|\bhectic\b"
    r"|\b(?:full|a lot on your) plate\b|\btime is (?:valuable|precious|limited)\b"
    r"|\bthank you for considering\b|\bgrateful for any\b|\bmany requests\b",
    re.IGNORECASE,
)
_FLEXIBLE_RE = re.compile(
    r"\bat your convenience\b|\bwhenever\b|\bearly[- ]mornings?\b|\bflexib(?:le|ility)\b"
    r"|\b(?:any|a|whatever|whichever) (?:time|day)s? (?:that )?(?:suits|works|fits|is convenient)"
    r"|\bfits? (?:into |in |around )?your (?:schedule|calendar|day)\b"
    r"|\bworks? best for you\b|\bsuits you\b|\baround your (?:schedule|calendar)\b"
    r"|\b(?:before|after) (?:work|your workday)\b|\bwhatever works\b|\bwork around\b"
    r"|\bconvenient for you\b|\byour preferred time\b|\btime of your choosing\b"
    r"|\byou pick the time\b|\bon your schedule\b|\bany ?time\b",
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
        "fail",
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
        "fail",
        "Doesn't offer to meet when it suits them.",
        "Offer to fit their schedule, e.g. 'I'm happy to meet at your convenience, early "
        "morning included.'",
    )


# ---------------------------------------------------------------------------
# Rule: no job ask
# ---------------------------------------------------------------------------
#
# Decisions on the ambiguous words (tests pin them):
# - "position" is a job word except as an opinion ("your position on AI") or in the
#   idiom "in a position to".
# - "job" after praise ("great job on your talk") is not a job ask.
# - "opening" in "opening keynote/remarks/session…" or "eye-opening" is not.
# - "resume" without the accent is also a verb ("resume our chat"), so it counts only
#   near "my", "attached", "send", "share", "review", "copy of", or before
#   "attached/enclosed"; "résumé" with an accent is always the document; so is "CV".
# - "role" counts only as "open role(s)" or "role(s) at/on your company/team…";
#   "your role as CFO" is their role, which is fine to mention.
# - "apply" counts in "apply for …" and "apply to your company/team/role/…", not in
#   "apply what I learn".

_PRAISE = (
    r"(?:great|good|nice|amazing|fantastic|wonderful|excellent|terrific|incredible|brilliant"
    r"|stellar|super)"
)


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


_JOB_WORDS = (
    _JobWord(_rx(r"\bjobs?\b"), not_before=_rx(rf"\b{_PRAISE}\s+$")),
    _JobWord(
        _rx(r"\bpositions?\b"),
        not_before=_rx(r"\bin an?\s+$"),
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
            r"review|reviewing|forward|forwarding|updated|copy of|look over|look at)\b"
            r"[\w\s]{0,15}$"
        ),
        or_after=_rx(r"^\s+(?:is\s+|are\s+)?(?:attached|enclosed|below)\b"),
    ),
    _JobWord(_rx(r"\bcvs?\b")),
    _JobWord(_rx(r"\binternships?\b")),
    _JobWord(_rx(r"\bvacanc(?:y|ies)\b")),
    _JobWord(
        _rx(
            r"\bopen roles?\b|\broles?\s+(?:at|on|in|with|within)\s+your\s+(?:company|firm|team|"
            r"organi[sz]ation|org|department|group|agency|office)\b"
        )
    ),
    _JobWord(_rx(r"\breferral for\b|\brefer me for\b")),
    _JobWord(
        _rx(
            r"\b(?:apply|applying|applied) for\b|\b(?:apply|applying|applied) (?:to|at) "
            r"(?:your|their|the|this) (?:company|firm|team|organi[sz]ation|program|role|office)\b"
            r"|\b(?:my|job) applications?\b"
        )
    ),
)


def job_words(text: str) -> list[str]:
    """The job-hunting words in the text, as written, in order of appearance."""
    text = _plain(text)
    hits: list[tuple[int, str]] = []
    for word in _JOB_WORDS:
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
            hits.append((match.start(), match.group()))
    return [w for _, w in sorted(hits)]


def _rule_no_job_ask(text: str) -> RuleResult:
    words = job_words(text)
    if not words:
        return RuleResult("no job ask", "pass", "No mention of jobs, hiring or résumés.", None)
    quoted = _quote(words)
    return RuleResult(
        "no job ask",
        "fail",
        f"Mentions {quoted}: a request that smells of a job ask gets ignored.",
        f"Remove {quoted} and ask for their insight and advice on the field instead; "
        "if there's an opening, let them bring it up.",
    )


# ---------------------------------------------------------------------------
# Rules: connection first, clear request
# ---------------------------------------------------------------------------

_CONNECTION_RE = re.compile(
    r"\balum(?:s|ni|na|nae|nus)?\b|\bfellow\b|\blinked ?in\b|\brefer(?:red|ral)\b"
    r"|\b(?:suggested|recommended|thought)\s+(?:that\s+)?I\b|\bgave me your\b"
    r"|\bpassed (?:along|on) your\b"
    r"|\bmet (?:you|at|last|earlier|briefly)\b|\bwe met\b|\bmeet(?:ing)? you at\b|\bmutual\b"
    r"|\bour (?:club|chapter|society|association|group|program|school|university|college"
    r"|alma mater)\b"
    r"|\bsame (?:school|university|college|program|club|hometown|team|class)\b"
    r"|\byour (?:talk|panel|article|post|presentation|session|podcast|webinar|keynote|workshop|"
    r"interview|book|lecture|blog|newsletter|paper)\b"
    r"|\bheard you (?:speak|present|talk)\b|\bsaw you (?:speak|present|at|on)\b"
    r"|\bI (?:saw|read|heard|watched|enjoyed) your\b|\bcame across your\b"
    r"|\bfollow(?:ing|ed)? your (?:work|career|writing)\b|\bclassmates?\b"
    r"|\bmy (?:professor|advisor|adviser|mentor|manager|friend|colleague|cousin|sister|brother|"
    r"aunt|uncle|teacher|coach|supervisor|classmate)\b"
    r"|\b(?:both|also) (?:studied|attended|went to|graduated)\b|\bgraduate of\b"
    r"|\bconnected on\b|\bconnection\b|\bintroduc(?:ed|tion)\b",
    re.IGNORECASE,
)
_CONNECTION_EXAMPLE = "e.g. 'As a fellow Michigan alum, …' or 'Sam Lee suggested I reach out.'"

_REQUEST_RE = re.compile(
    r"\bwould you be (?:open|willing|available|up for|interested)\b|\bcould (?:we|I)\b"
    r"|\bcan we\b|\bmay I\b|\bI'?d love to\b|\bI would love to\b|\bwould you have\b"
    r"|\bwould it be possible\b|\bare you available\b|\bdo you have\b|\bwould you mind\b"
    r"|\bI'?d (?:be|really be) grateful\b|\bI would be grateful\b|\bI'?d appreciate\b"
    r"|\bI would appreciate\b|\bI'?m hoping (?:to|we|you)\b|\bI hope (?:to|we|you)\b"
    r"|\blet me know if\b|\bif you(?:'re| are) (?:open|willing|available)\b",
    re.IGNORECASE,
)


def _rule_connection_first(text: str) -> RuleResult:
    first = _first_sentence(_plain(text))
    match = _CONNECTION_RE.search(first)
    if match:
        return RuleResult(
            "connection first",
            "pass",
            f'The first sentence says how you know them ("{match.group()}").',
            None,
        )
    later = _CONNECTION_RE.search(_plain(_body(text)))
    if later:
        return RuleResult(
            "connection first",
            "warn",
            f'The connection ("{later.group()}") comes after the first sentence.',
            f"Move it up: open with how you know them, {_CONNECTION_EXAMPLE}",
        )
    return RuleResult(
        "connection first",
        "fail",
        "The message never says how you know them or found them.",
        f"Open with how you know them, {_CONNECTION_EXAMPLE}",
    )


def _rule_clear_request(text: str) -> RuleResult:
    plain = _plain(_body(text))
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
    words = count_words(_body(text))
    if words == 0:
        return RuleResult(
            "length", "fail", "The draft is empty.", "Paste the text of your message to check it."
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
    return RuleResult("length", "pass", f"{words} word{'' if words == 1 else 's'}.", None)


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

    A leading "Subject:" line is ignored for the word count and the first sentence
    (the rules are about the message body); a greeting line ("Hi Dana,") is skipped
    when finding the first sentence.
    """
    return [check(text or "") for check in _CHECKS]


def score(results: Iterable[RuleResult]) -> tuple[int, int]:
    """(rules passed, rules checked)."""
    results = list(results)
    return sum(1 for r in results if r.status == "pass"), len(results)
