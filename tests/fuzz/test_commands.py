"""Every command, fuzzed through the emulator as a member (or a forged client) could send it.

The options of each command are read from the schema the bot synced; hypothesis draws
values for them (tests/support/fuzz.py: any Unicode, the max_length and past it,
markdown, mentions, masked links, zero-width and direction marks, times with offsets,
numbers out of range, forged choices and records, files of random bytes) and the driver
sends them raw: no client-side checks, no autocomplete suggestion picked. For each case:

- an answer (its first callback) within Discord's 3 s;
- no bug: the command's error, if any, is one the member can act on (a UserError or a
  check), never the generic "Something went wrong", and nothing logged at ERROR;
- no traceback, Python exception name or "sqlite" in anything the bot sent;
- no link or mention the member didn't give as one (masked links, @everyone, <@id>,
  bare URLs typed into text), as Discord would render each part of each message;
- nothing half-written: a refused command, or one the member cancels when asked, leaves
  their store (and their marks in the server's question bank) exactly as it was,
  compared export to export;
- every command the answer suggests runs as written (tests/support/suggestions.py),
  except where it repeats a value of the member's that the fuzz forged past Discord's
  client checks, or where the member's own text holds a "word:" the driver (stricter
  than Discord's client) reads as an option.

A name or LinkedIn link is also checked to get the same verdict typed into /prospect add
and imported from a Connections.csv.

`make test` runs a few derandomized cases per command (FUZZ_EXAMPLES, default 10);
`make fuzz` (FUZZ_EXAMPLES=300 by default) runs more, with a fresh random seed each time
(hypothesis prints the blob that reproduces a failure).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.domain.linkedin import URL_EXAMPLE, InvalidLinkedInURL, normalize_linkedin_url
from bot.emulator.driver import Driver, DriverError, Reply
from bot.emulator.models import now
from bot.emulator.server import Emulator
from bot.ui.errors import message_for
from tests.support import fuzz, suggestions
from tests.support.e2e import schedule
from tests.support.markup import clickable, masked_links, sent_parts

# Discord's deadline for an interaction's first answer.
ANSWER_DEADLINE = timedelta(seconds=3)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# In CI the same cases every run; a larger run explores afresh each time.
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# Every chat-input command the bot syncs (test_every_synced_command_is_fuzzed keeps it so).
PATHS = [
    "club practice now",
    "club practice pause",
    "club practice schedule",
    "club stats",
    "help",
    "meeting calendar",
    "meeting cancel",
    "meeting done",
    "meeting list",
    "meeting log",
    "meeting prep",
    "meeting reschedule",
    "meeting schedule",
    "mydata delete",
    "mydata export",
    "network edit",
    "network find",
    "network join",
    "network leave",
    "network pause",
    "network requests",
    "outreach check",
    "outreach draft",
    "outreach remove",
    "outreach reply",
    "outreach sent",
    "practice join",
    "practice leave",
    "practice pause",
    "progress",
    "prospect add",
    "prospect edit",
    "prospect import",
    "prospect list",
    "prospect remove",
    "prospect show",
    "questions add",
    "questions list",
    "questions random",
    "questions remove",
    "questions vote",
    "settings profile",
    "settings reminders",
    "settings show",
    "settings timezone",
    "thanks draft",
    "thanks sent",
]

# What a reply must never show: a traceback, an exception's class name, the database.
LEAKS = re.compile(
    r"Traceback|File \"[^\"]+\", line \d+|\b[A-Z]\w*(?:Error|Exception)\b|sqlite|"
    r"NoneType|object has no attribute|StopIteration|CancelledError"
)


# Links the bot itself shows (an example of good input): clickable whoever typed what.
BOT_OWN_LINKS = {URL_EXAMPLE}
URL = re.compile(r"https?://\S+")
# allowed_mentions keys that would let a message notify someone.
PINGING = ("parse", "users", "roles", "replied_user")


@dataclass
class World:
    """The bot with seeded members, and what the fuzz has typed so far."""

    bot: Any
    emu: Emulator
    driver: Driver
    guild: Any
    members: dict[str, Any]
    refs: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[int, BaseException] = field(default_factory=dict)
    logged: list[logging.LogRecord] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    given_links: set[str] = field(default_factory=set)
    foreign: set[str] = field(default_factory=set)

    async def snapshot(self, user) -> dict[str, list[dict[str, Any]]]:
        """Everything /mydata export would give the member (nothing if they have no store),
        once the reminder engine has finished what it was doing."""
        await self.bot.reminders.idle()
        stores = self.bot.stores
        if not stores.pool.exists("users", user.id):
            return {}
        async with stores.member(user.id, create=False) as store:
            tables = await store.export()
        return tables | await stores.member_marks(user.id)

    def __repr__(self) -> str:
        return f"<World of {', '.join(self.members)}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # How hypothesis prints a failing example: briefly.
        printer.text(repr(self))

    def places(self, path: str) -> list[tuple[str, bool]]:
        """Who can run `path`, and whether in DMs too: (member, in DMs), mostly Alice in
        the server, as Discord's client would let each send it."""
        found = []
        for who, user in self.members.items():
            for in_dm in (False, True):
                guild = None if in_dm else self.guild
                try:
                    self.driver.parse(f"/{path}", guild, user=user)
                except DriverError:
                    continue
                found += [(who, in_dm)] * (1 if in_dm or who != "alice" else 4)
        return found

    def remember(self, case: fuzz.Case) -> None:
        """Note what the member typed (and which values they gave as links)."""
        self.typed += case.values.values()
        for filename, content in case.files.values():
            self.typed += [filename, content.decode("utf-8", "ignore")]
            self.typed.append(content.decode("utf-16", "ignore"))
        for name in fuzz.LINK_OPTIONS & case.values.keys():
            value = case.values[name].strip()
            self.given_links.add(value)
            with contextlib.suppress(InvalidLinkedInURL):
                self.given_links.add(normalize_linkedin_url(value))


class _Collect(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@pytest.fixture
async def world(bot, emu, driver, guild, alice, bob, officer):
    """Alice with prospects, a request sent, a meeting ahead and one held, a question in
    the bank; Bob with a prospect of his own (an id Alice may forge); the officer with a
    store. Every command error and every ERROR log line is recorded."""
    fuzzed = World(bot, emu, driver, guild, {"alice": alice, "officer": officer})
    tree = bot.tree
    answer_error = tree.on_error

    async def recording(interaction, error):
        fuzzed.errors[interaction.id] = error
        await answer_error(interaction, error)

    tree.on_error = recording
    handler = _Collect(fuzzed.logged)
    logging.getLogger().addHandler(handler)

    async def run(line: str, user=alice) -> Reply:
        reply = await driver.run(line, user=user, guild=guild)
        assert not fuzzed.errors, reply.text
        return reply

    await run(
        '/prospect add name:"Ada Lovelace" stage:established '
        "linkedin:https://www.linkedin.com/in/ada-lovelace"
    )
    await run('/prospect add name:"Grace Hopper" organization:Navy')
    await run('/prospect add name:"Katherine Johnson"')
    await run('/outreach sent prospect:"Ada Lovelace" when:now')
    await schedule(driver, alice, guild, "Grace Hopper", when="2026-12-03 07:30")
    await run(
        '/meeting log prospect:"Katherine Johnson" when:"yesterday 4pm" '
        'takeaways:"Talk to the data team"'
    )
    await run('/questions add text:"What surprised you in your first year?" category:insights')
    await run('/prospect add name:"Bob Contact"', user=bob)
    await run("/settings show", user=officer)
    stores = bot.stores
    async with stores.member(alice.id) as store:
        prospects = [p for p, _ in await store.list_prospects()]
        meetings = [m for m, _ in await store.list_meetings("all")]
    async with stores.member(bob.id) as store:
        (bobs,) = [p for p, _ in await store.list_prospects()]
    async with stores.guild(guild.id) as bank:
        questions = await bank.list_questions()
    fuzzed.foreign = {str(bobs.id), bobs.name}
    fuzzed.refs = {
        "prospect": [str(p.id) for p in prospects] + [p.name for p in prospects] + ["hopper"],
        "meeting": [str(m.id) for m in meetings] + ["Grace Hopper", "Katherine"],
        "question": [str(q.id) for q in questions] + ["surprised", "first year"],
    }
    fuzzed.logged.clear()
    yield fuzzed
    logging.getLogger().removeHandler(handler)


def _error_is_a_bug(error: BaseException | None) -> bool:
    """An error the central handler answers with "Something went wrong" (a bug)."""
    return error is not None and message_for(error) is None


def _leaks(text: str, typed: list[str]) -> list[str]:
    """Traceback text or exception names in `text` that the member didn't type."""
    return [m.group(0) for m in LEAKS.finditer(text) if not any(m.group(0) in v for v in typed)]


def _member_clickables(text: str, world: World) -> list[str]:
    """Links and mentions in `text` that came from what the member typed, except a link
    they gave whole in a link option (a LinkedIn profile, a call's address). The bot
    itself writes no masked link and never @everyone or @here."""
    typed_urls = [m.group(0) for v in world.typed for m in URL.finditer(v)]
    found = [f"masked link to {url}" for url in masked_links(text)]
    for item in clickable(text):
        if item in world.given_links or item in BOT_OWN_LINKS:
            continue
        if item in ("@everyone", "@here"):
            found.append(item)
        elif item.startswith("http"):
            if any(item in v for v in world.typed) or any(item.startswith(u) for u in typed_urls):
                found.append(item)
        elif any(item in v for v in world.typed):
            found.append(item)
    return found


def _pings(requests: list[Any]) -> list[str]:
    """Messages whose allowed_mentions would let them notify someone. The bot sends each
    with none allowed, so whatever its text holds, no member, role or @everyone is pinged."""
    found = []
    for entry in requests:
        body = entry.json if isinstance(entry.json, dict) else {}
        if "type" in body and isinstance(body.get("data"), dict):
            body = body["data"]  # an interaction's answer: {type, data}
        if not body.get("content"):
            continue
        mentions = body.get("allowed_mentions")
        if mentions is None or any(mentions.get(k) for k in PINGING):
            found.append(f"{entry.method} {entry.path} may ping: allowed_mentions={mentions}")
    return found


def _forged(world: World, case: fuzz.Case) -> set[str]:
    """The options whose value Discord's client would not have sent as typed."""
    options = {o["name"]: o for o in world.driver.options_for(case.path, world.guild)}
    forged = set()
    for name, raw in case.values.items():
        try:
            world.driver.convert({**options[name], "autocomplete": False}, raw, world.guild)
        except DriverError:
            forged.add(name)
    return forged


def _driver_stricter_than_discord(problem: str, typed: list[str]) -> bool:
    """A member's name repeated in a command holds a "word:" or a double quote, which the
    driver asks to be quoted or escaped; Discord's client reads on to the next option."""
    stray = re.search(r"quote the value of '[\w-]+' if '([^']+)'", problem)
    if stray:
        return any(stray[1] in value for value in typed)
    quoting = ("unterminated quote", "unexpected text after the quoted value")
    return problem.startswith(quoting) and any('"' in value for value in typed)


def _broken_suggestions(world: World, case: fuzz.Case, sent: list[tuple[str, str]]) -> list[str]:
    """Suggested commands in this case's answers that don't run as written, but for a
    value the member forged, repeated back, or a "word:" in the member's own text."""
    forged = _forged(world, case)
    origin = case.path.split()[0]
    found = []
    for _, text in sent:
        for line in suggestions.SUGGESTION.findall(text):
            seen = suggestions.Seen(line, origin)
            for problem in suggestions.problems(world.driver, seen, world.guild):
                option = problem.partition(":")[0]
                if option in forged or _driver_stricter_than_discord(problem, world.typed):
                    continue
                found.append(f"suggests `{line}`: {problem}")
    return found


async def check_case(world: World, case: fuzz.Case) -> None:
    """Run one fuzzed case and assert what every answer must hold."""
    user = world.members[case.who]
    world.remember(case)
    before = await world.snapshot(user)
    first_request, first_log = len(world.emu.requests), len(world.logged)
    started = now()
    reply = await world.driver.run(
        case.line,
        user=user,
        guild=None if case.in_dm else world.guild,
        attachments=case.files,
        validate=False,
        pick_suggestions=False,
    )
    after = await world.snapshot(user)
    error = world.errors.pop(reply.record.id, None)
    problems: list[str] = []
    asked = any((b["label"] or "").lower() == "cancel" for b in reply.buttons)
    outcome = "refused" if error else "asked, then cancelled" if asked else "carried out"
    event(f"outcome: {outcome}")
    options = world.driver.options_for(case.path, world.guild)
    # Alice's records are someone else's to the officer.
    foreign = world.foreign | set(fuzz.FORGED_IDS)
    if case.who != "alice":
        foreign |= {ref for refs in world.refs.values() for ref in refs}
    for label in sorted(fuzz.input_classes(case, options, foreign)):
        event(f"input: {label}")
    if asked:
        # Asked to confirm or to choose: the member changes their mind, which changes
        # nothing (and leaves no command waiting for an answer).
        cancelled = await world.driver.click(reply, "Cancel", user=user)
        if (after := await world.snapshot(user)) != before:
            problems.append(f"Cancel changed the store: {cancelled.text[:200]!r}")

    callback = next((r for r in reply.responses if r.kind == "callback"), None)
    if callback is None:
        problems.append("never answered the interaction itself")
    elif (late := callback.at - started) > ANSWER_DEADLINE:
        problems.append(f"first answered after {late.total_seconds():.2f} s")
    if _error_is_a_bug(error):
        problems.append(f"unexpected {type(error).__name__}: {error}")
    problems += [f"logged {r.levelname}: {r.getMessage()}" for r in world.logged[first_log:]]
    sent = list(sent_parts(world.emu.requests[first_request:]))
    for where, text in sent:
        problems += [f"{where} shows {leak!r}" for leak in _leaks(text, world.typed)]
        problems += [f"{where} renders {c!r} clickable" for c in _member_clickables(text, world)]
    problems += _broken_suggestions(world, case, sent)
    problems += _pings(world.emu.requests[first_request:])
    if error is not None and before != after:
        changed = sorted(t for t in {*before, *after} if before.get(t) != after.get(t))
        problems.append(f"refused ({message_for(error)!r}) but changed {changed}")

    assert not problems, (
        f"{case.line!r} as {case.who} {'in DMs' if case.in_dm else 'in the server'}"
        f" with files {[(n, len(b)) for n, b in case.files.values()]}:\n  "
        + "\n  ".join(problems)
        + f"\nreply: {reply.text[:500]!r}"
    )


async def test_every_synced_command_is_fuzzed(driver):
    """The fuzz covers every chat-input command the bot synced, so a new one is fuzzed
    too (add it to PATHS)."""
    assert sorted(PATHS) == driver.command_paths()


@pytest.mark.parametrize("path", PATHS)
@FUZZ
@given(data=st.data())
async def test_fuzzed_options_get_a_clean_answer(world, path, data):
    """Whatever a member types into this command's options: a prompt answer, no bug, no
    leak, nothing clickable they didn't give as a link, nothing half-written."""
    options = world.driver.options_for(path, world.guild, user=world.members["officer"])
    places = world.places(path)
    foreign = sorted(world.foreign)
    await check_case(world, data.draw(fuzz.case(path, options, world.refs, foreign, places)))


# /prospect import's answer to a file that isn't text (bot/domain/linkedin.py).
NOT_TEXT = "That file isn't a text CSV"
NAMES = st.one_of(
    fuzz.member_text(100),
    st.sampled_from(
        [
            "Ada Lovelace",
            "-",
            "\u200b",
            "\u200b\u200c",
            "Ann\u202eecnaL",
            "Ann\u2066x\u2069",
            "José Martí",
            "Zoë  O'Brien-Smith",
            "李小龙",
            "a" * 100,
            "a" * 101,
            "e\u0301" * 60,
            "Ann\tB",
            "  Ann  ",
            "Ann\x00",
            "Ann\x07",
            "`",
            "@everyone",
        ]
    ),
)
URLS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "https://www.linkedin.com/in/ada",
            "linkedin.com/in/ada",
            "https://evil-linkedin.com/in/ada",
            "https://linkedin.com.evil.example/in/ada",
            # Discord sends no option past 6,000 characters; a file has no such limit.
            "https://www.linkedin.com/in/" + "a" * 5_972,
            "https://www.linkedin.com/in/" + "a" * 172,
            "https://www.linkedin.com/in/" + "a" * 173,
            "https://user:pw@www.linkedin.com/in/ada",
            "https://www.linkedin.com/in/ada%20b",
            "https://www.linkedin.com/in/josé",
            "https://www.linkedin.com/company/acme",
            "<https://www.linkedin.com/in/ada>",
            "-",
        ]
    ),
    fuzz.member_text(200),
)


@FUZZ
@given(name=NAMES, url=URLS)
async def test_a_name_or_link_is_accepted_typed_exactly_when_imported(world, name, url):
    """/prospect add and /prospect import judge a name and a LinkedIn link alike: what one
    refuses the other refuses, and what both accept is stored the same."""
    emu, guild, driver = world.emu, world.guild, world.driver
    typist = emu.add_user("typist", guild=guild)
    importer = emu.add_user("importer", guild=guild)
    line = f'/prospect add name:"{fuzz.quote(name)}"'
    if url is not None:
        line += f' linkedin:"{fuzz.quote(url)}"'
    typed = await driver.run(line, user=typist, guild=guild, validate=False)
    csv = fuzz.csv_bytes([[name, "", url or "", "", "", "", ""]])
    imported = await driver.run(
        "/prospect import",
        user=importer,
        guild=guild,
        attachments={"file": ("Connections.csv", csv)},
    )
    if NOT_TEXT in imported.text:
        # chardet reads a file holding a C0 control character as binary, so the whole file
        # is refused; /prospect add reads U+001C-U+001F as spaces (str.split does).
        assert any(unicodedata.category(c) == "Cc" for c in f"{name}{url}"), imported.text
        event("the file held a control character: refused whole")
        return
    stores = world.bot.stores
    stored = []
    for member in (typist, importer):
        if not stores.pool.exists("users", member.id):
            stored.append([])
            continue
        async with stores.member(member.id, create=False) as store:
            stored.append([(p.name, p.linkedin) for p, _ in await store.list_prospects()])
    by_typing, by_import = stored
    assert by_typing == by_import, f"typed: {typed.text[:300]!r}\nimported: {imported.text[:300]!r}"
