"""The options with fixed choices: Discord lists exactly the values PRODUCT.md names, and
a value that isn't one of them (only a forged request can send it) is refused with the
list and an example, ephemerally, changing nothing."""

from __future__ import annotations

import pytest

STAGES = ["emerging", "mid-career", "established"]
SOURCES = ["alumni", "linkedin", "referral", "event", "posting", "other"]
STATUSES = ["to-contact", "contacted", "replied", "scheduled", "met", "thanked"]
CATEGORIES = ["trends", "insights", "advice", "resources", "assignments", "other"]
MEDIUMS = ["email", "handwritten"]
SHARES = ["nothing", "linkedin", "email"]

# The command contract (PRODUCT.md): each option's choices as (shown name, value).
CONTRACT = {
    "prospect add stage": STAGES,
    "prospect add source": SOURCES,
    "prospect list stage": STAGES,
    "prospect list status": STATUSES,
    "prospect edit stage": STAGES,
    "prospect edit source": SOURCES,
    "outreach draft minutes": [(f"{m} minutes", m) for m in (20, 30, 45, 60)],
    "outreach draft format": ["email", "linkedin"],
    "outreach sent via": ["email", "linkedin", "phone", "in-person", "other"],
    "outreach reply outcome": ["accepted", "declined", "later"],
    "meeting schedule format": ["in-person", "phone", "video"],
    "meeting list range": ["upcoming", "past", "all"],
    "thanks draft medium": MEDIUMS,
    "thanks sent medium": MEDIUMS,
    "questions list category": CATEGORIES,
    "questions list sort": ["top", "new"],
    "questions add category": CATEGORIES,
    "questions random category": CATEGORIES,
    "network join stage": STAGES,
    "network join share": SHARES,
    "network edit stage": STAGES,
    "network edit share": SHARES,
    "network find stage": STAGES,
    "club practice schedule every": [("every week", 1), ("every 2 weeks", 2), ("every 4 weeks", 4)],
    "club practice schedule day": [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
}


def synced_choices(emu) -> dict[str, list[tuple[str, object]]]:
    """Every option with choices in the synced schema, by "command subcommand option"."""
    found: dict[str, list[tuple[str, object]]] = {}

    def walk(node: dict, path: list[str]) -> None:
        for option in node.get("options") or []:
            if option["type"] in (1, 2):  # a subcommand (group)
                walk(option, [*path, option["name"]])
            elif option.get("choices"):
                key = " ".join([*path, option["name"]])
                found[key] = [(c["name"], c["value"]) for c in option["choices"]]

    for command in emu.commands():
        walk(command, [command["name"]])
    return found


def test_discord_lists_exactly_the_contracts_choices(bot, emu):
    expected = {
        key: [c if isinstance(c, tuple) else (c, c) for c in values]
        for key, values in CONTRACT.items()
    }
    assert synced_choices(emu) == expected


async def add_ada(driver, user, guild) -> None:
    await driver.run('/prospect add name:"Ada Lovelace" stage:emerging', user=user, guild=guild)


async def snapshot(bot, user, guild) -> tuple:
    """Everything the commands below could change."""
    async with bot.stores.member(user.id) as store:
        prospects = [(p.name, p.stage, p.source) for p, _ in await store.list_prospects()]
        meetings = [
            (m.id, m.thanked_at, m.thanks_medium) for m, _ in await store.list_meetings("all")
        ]
        requests = [await store.latest_outreach(p.id) for p in await store.search_prospects("")]
    async with bot.stores.guild(guild.id) as bank:
        questions = [q.text for q in await bank.list_questions()]
    return prospects, meetings, requests, questions


@pytest.mark.parametrize(
    ("line", "option"),
    [
        ('/prospect add name:"Grace Hopper" source:rumour', "source"),
        ('/prospect edit prospect:"Ada Lovelace" stage:legendary', "stage"),
        ("/prospect list status:friend", "status"),
        ('/outreach draft prospect:"Ada Lovelace" minutes:25', "minutes"),
        ('/outreach draft prospect:"Ada Lovelace" format:fax', "format"),
        ('/outreach sent prospect:"Ada Lovelace" via:pigeon', "via"),
        ('/outreach reply prospect:"Ada Lovelace" outcome:maybe', "outcome"),
        (
            '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30" format:hologram',
            "format",
        ),
        ("/meeting list range:someday", "range"),
        ('/thanks sent meeting:"Ada Lovelace" medium:fax', "medium"),
        ("/network join share:carrier-pigeon", "share"),
        ("/network find stage:legendary", "stage"),
        ('/questions add text:"What keeps you up at night?" category:gossip', "category"),
        ("/questions list sort:random", "sort"),
        ("/questions random category:gossip", "category"),
    ],
)
async def test_a_forged_choice_is_refused_and_changes_nothing(
    driver, bot, alice, guild, line, option
):
    await add_ada(driver, alice, guild)
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"', user=alice, guild=guild
    )
    before = await snapshot(bot, alice, guild)
    reply = await driver.run(line, user=alice, guild=guild, validate=False)
    assert reply.ephemeral
    assert f"{option} must be one of" in reply.text, reply.text
    assert f"`{option}:" in reply.text  # an example of a good value
    assert await snapshot(bot, alice, guild) == before
