"""English for the drafts: a member's fields set into sentences a careful person writes.

A field is tidied of stray punctuation ("Acme Health." → "Acme Health", but
"Stripe, Inc." keeps its period), a role gets the article its sound asks for ("an
MBA student", "a UX researcher"), an organisation reads as it does in running text
("at the University of Michigan", "a fellow Ohio State University alum"), and a
sentence that ends on a field's own period doesn't get a second one.

Pure functions: no Discord, no storage, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, tzinfo

# A field's last word that keeps its period: company forms, name suffixes, "etc.".
_ABBREVIATIONS = frozenset(
    ("inc", "co", "corp", "ltd", "bros", "jr", "sr", "st", "dept", "univ", "assn", "intl",
     "mfg", "etc", "esq", "md", "phd")
)  # fmt: skip
_DOTTED = re.compile(r"(?:\b\w\.){2,}$|\b[A-Z]\.$")  # "U.S.", "L.L.C.", an initial "J."


def _keeps_period(text: str) -> bool:
    last = text.rsplit(maxsplit=1)[-1]
    return last.rstrip(".").lower() in _ABBREVIATIONS or bool(_DOTTED.search(text))


def tidy(value: str | None) -> str:
    """A member's field ready to sit inside a sentence, or "" when it holds nothing.

    Whitespace collapsed; no space before a comma or period; a doubled mark kept once
    (",," → ","; "..." → "…"); leading and trailing commas, semicolons and colons
    dropped, and a trailing period too unless it ends an abbreviation ("Inc.").
    A field of punctuation alone (LinkedIn's "-") is empty.
    """
    text = " ".join((value or "").split())
    text = re.sub(r"\s+([,.;:!?…])", r"\1", text)
    text = re.sub(r"\.{2,}", "…", text)
    text = re.sub(r"([,;:!?])\1+", r"\1", text)
    previous = None
    while text != previous:  # ".-, Acme" sheds its marks one kind at a time
        previous = text
        # A leading period stays only where it opens a name (".NET").
        text = re.sub(r"^[.!?…]+(?!\w)", "", text).strip(",;: -–—…")
    while text.endswith(".") and not _keeps_period(text):
        text = text[:-1].rstrip(",;: ")
    return text if any(ch.isalnum() for ch in text) else ""


def settle_punctuation(text: str) -> str:
    """Drop the period a template adds after a field that already ended the sentence:
    "…at Stripe, Inc.." → "…at Stripe, Inc.", "Yahoo!." → "Yahoo!".

    Only single marks are touched, so a member's own ellipsis ("…") is kept.
    """
    return re.sub(r"(?<!\.)([.!?…])\.(?!\.)", r"\1", text)


def end_sentence(text: str) -> str:
    """``text`` with one closing mark: a period unless it already ends in . ! ? or …"""
    core = text.rstrip("\"'\u201d\u2019)")
    return text if core.endswith((".", "!", "?", "…")) else text + "."


# -- a or an -------------------------------------------------------------------------
# By sound, not spelling (British Council, "A or An":
# http://www.englishonline.org.cn/en/learners/vocabulary-grammar/grammar-questions/a-or-an):
# "an MBA" (em-), "a union" (yoo-), "an FBI agent", "a UN resolution", "an honest man".
# inflect's a() was tried and says "an UX researcher", "an UI designer" and "a Uber
# driver", the very roles members type; see tests/domain/test_wording.py's table.
_LETTER_NAMES_AN = frozenset("AEFHILMNORSX")  # letters whose names start with a vowel
# Acronyms said as words, which follow the word rules instead: "a NASA engineer".
_SAID_AS_WORDS = frozenset(("NASA", "NATO", "UNICEF", "UNESCO", "FIFA", "OPEC", "NAFTA",
                            "UEFA", "IKEA", "SWAT", "ASEAN"))  # fmt: skip
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
# u- said "oo", not "yoo", although a consonant and a vowel follow.
_U_SAID_OO = ("uber", "ubuntu", "umami", "udon")


def _plain_letters(text: str) -> str:
    """Accents dropped ("Ökonom" → "Okonom"), so the rules see the letter's sound."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _word_takes_an(word: str) -> bool:
    w = word.lower()
    if w.startswith(_SILENT_H):
        return True
    if re.match(r"one\b|once\b|one-|eu|ew", w):
        return False
    if w.startswith("u"):
        if w.startswith(_U_SAID_OO):
            return True
        if w.startswith("uni"):
            return w.startswith(("unin", "unim", "unid"))  # "an uninspired", "a unit"
        # "a user", "a utility", "a urologist", but "an urban", "an undergraduate".
        return not re.match(r"u[bcdfgjklpqrstvxz][aeiou]", w)
    return w[:1] in ("a", "e", "i", "o")


def article(phrase: str) -> str:
    """ "a" or "an" for ``phrase``, by the sound of its first word."""
    stripped = _plain_letters(phrase).lstrip("\"'“‘([ ")
    first = re.split(r"[\s/]", stripped, maxsplit=1)[0] if stripped else ""
    if not first:
        return "a"
    if first[0].isdigit():
        # "an 8-person team", "an 11-year veteran", "an 18,000-member union".
        return "an" if re.match(r"8|1[18](?:\D|$)|1[18][,.]?\d{3}(?!\d)", first) else "a"
    head = re.split(r"[-.&]", first, maxsplit=1)[0] or first
    letters = re.sub(r"[^A-Za-z]", "", first)
    if len(head) == 1 and head.isalpha() and (len(first) == 1 or head.isupper() or head != first):
        return "an" if head.upper() in _LETTER_NAMES_AN else "a"  # "an X-ray", "a T-shirt"
    if len(first) > 1 and first[0].islower() and first[1].isupper():
        return "an" if first[0].upper() in _LETTER_NAMES_AN else "a"  # "an iOS", "an eBay"
    if letters.isupper() and letters.upper() not in _SAID_AS_WORDS and len(letters) <= 4:
        return "an" if letters[0] in _LETTER_NAMES_AN else "a"  # "an MBA", "a UX", "an HR"
    word = re.sub(r"[^A-Za-z]", "", head)
    return "an" if _word_takes_an(word or letters or first) else "a"


# A role that only one person at the organisation holds reads with "the".
_ONE_HOLDER = re.compile(
    r"(?:co-?\s?founder|founder|ceo|cto|cfo|coo|cmo|cpo|cio|ciso|chief|president|owner|"
    r"head of|chair|dean|executive director|managing partner)\b",
    re.IGNORECASE,
)
_DETERMINER = re.compile(r"(?:a|an|the|my|our|their|his|her)\s", re.IGNORECASE)
# What people put in a role field that isn't one: "as a retired" would be wrong.
_NOT_A_ROLE = frozenset(("retired", "self-employed", "self employed", "unemployed", "freelance",
                         "n/a", "na", "none", "tbd"))  # fmt: skip


def is_role(role: str) -> bool:
    """Whether ``role`` names a job one can have ("as a …"), not a state ("retired")."""
    return bool(role) and role.lower() not in _NOT_A_ROLE


def with_article(role: str) -> str:
    """A role as it reads after "as": "an MBA student", "a UX researcher", "the CEO";
    a role that brings its own determiner ("the lead designer") is left as it is."""
    if _DETERMINER.match(role):
        return role
    if _ONE_HOLDER.match(role):
        return f"the {role}"
    return f"{article(role)} {role}"


# Names that read with "the" in running text though it isn't typed: "the University of
# Michigan", "the Museum of Modern Art" (a conservative list: "Bank of America" has none).
_INSTITUTION_OF = re.compile(
    r"(?:University|Institute|College|Museum|Department|Ministry|Office|Bureau|Academy|"
    r"Society|School) of\b"
)


def in_running_text(name: str) -> str:
    """An organisation's name after a preposition: "at the Home Depot" for "The Home
    Depot" (a leading "The" is lowercased mid-sentence, Chicago 8.69), "at the
    University of Michigan" for "University of Michigan", "at Stripe, Inc." as typed."""
    if re.match(r"the\s", name, re.IGNORECASE):
        return "the " + name[4:].lstrip()
    if _INSTITUTION_OF.match(name):
        return f"the {name}"
    return name


def attributive(name: str) -> str:
    """An organisation's name used as a modifier: "a fellow Ohio State University alum"
    for "The Ohio State University" (the article belongs to the phrase, not the name)."""
    return name[4:].lstrip() if re.match(r"the\s", name, re.IGNORECASE) else name


def capitalized(text: str) -> str:
    """``text`` with its first letter raised, for a field that opens a sentence."""
    return text[:1].upper() + text[1:]


# English names from tables, not strftime, so the server's locale can't change them.
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def day_words(day: date, *, weekday: bool = True, year: bool = False) -> str:
    """ "Tuesday, March 3", "March 3" or "March 3, 2025" for a calendar day."""
    words = f"{MONTHS[day.month - 1]} {day.day}"
    if year:
        words += f", {day.year}"
    return f"{DAYS[day.weekday()]}, {words}" if weekday else words


def elapsed_since(then: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """When ``then`` was, as a note to someone says it, counted in calendar days in
    ``tz``: "earlier today", "yesterday", "on Monday" (within the week), else the date,
    "on November 13" (with the year when it isn't this year's). A date stays true
    however late the note is read; "last week" would not."""
    if then.tzinfo is None or now.tzinfo is None:
        raise ValueError("then and now must be timezone-aware")
    zone = tz or then.tzinfo
    sent, today = then.astimezone(zone).date(), now.astimezone(zone).date()
    days = (today - sent).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {DAYS[sent.weekday()]}"
    return "on " + day_words(sent, weekday=False, year=sent.year != today.year)
