"""QA of Step 1 (/prospect …), /settings and /progress as members use them: bad input,
ambiguous names, Discord's limits with many long records, and time zones."""

from __future__ import annotations

import pytest

from bot.domain.linkedin import plan_import


async def prospects_of(bot, user) -> list:
    async with bot.stores.member(user.id) as store:
        return [p for p, _ in await store.list_prospects()]


# -- names a member can't see or read ---------------------------------------------------
@pytest.mark.parametrize("name", ["\u200b\u200b", "\u200b \u2060", "-"])
async def test_a_name_with_nothing_visible_is_refused_and_nothing_added(
    driver, bot, alice, guild, name
):
    reply = await driver.run(f'/prospect add name:"{name}"', user=alice, guild=guild)
    assert reply.ephemeral
    assert "Ada Lovelace" in reply.text  # an example of a good name
    assert await prospects_of(bot, alice) == []


async def test_edit_cannot_rename_a_prospect_to_the_clear_dash(driver, bot, alice, guild):
    await driver.run('/prospect add name:"Ada Lovelace" role:"Analyst"', user=alice, guild=guild)
    reply = await driver.run(
        '/prospect edit prospect:"Ada Lovelace" name:"-"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "always needs a name" in reply.text
    assert [p.name for p in await prospects_of(bot, alice)] == ["Ada Lovelace"]


# -- ids and names that don't resolve to one prospect -----------------------------------
@pytest.mark.parametrize("typed", ["99999999999999999999999", "²", "-1", "0"])
async def test_an_impossible_prospect_id_gets_a_not_found_reply_not_a_crash(
    driver, alice, guild, typed
):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    reply = await driver.run(
        f'/prospect show prospect:"{typed}"',
        user=alice,
        guild=guild,
        validate=False,
        pick_suggestions=False,
    )
    assert reply.ephemeral
    assert "can't find" in reply.text
    assert "went wrong" not in reply.text


async def test_a_prospect_name_that_matches_several_asks_which_one(driver, bot, alice, guild):
    await driver.run(
        '/prospect add name:"Ada Lovelace" organization:"Engines"', user=alice, guild=guild
    )
    second = await driver.run(
        '/prospect add name:"Ada Lovelace" organization:"Royal Society"', user=alice, guild=guild
    )
    # Adding a namesake is allowed (two people can share a name) but the member is told.
    assert "already had someone by that name" in second.text
    ambiguous = await driver.run(
        '/outreach sent prospect:"ada lovelace"',
        user=alice,
        guild=guild,
        validate=False,
        pick_suggestions=False,
    )
    assert ambiguous.ephemeral
    assert "matches 2 of your prospects" in ambiguous.text
    assert "Engines" in ambiguous.text and "Royal Society" in ambiguous.text
    assert "prospect:1" in ambiguous.text  # how to pick one
    async with bot.stores.member(alice.id) as store:
        assert await store.open_requests() == []  # nothing logged on a guess


async def test_a_unique_part_of_a_name_finds_the_prospect(driver, bot, alice, guild):
    await driver.run('/prospect add name:"Grace Hopper"', user=alice, guild=guild)
    reply = await driver.run(
        '/outreach sent prospect:"hopper"',
        user=alice,
        guild=guild,
        validate=False,
        pick_suggestions=False,
    )
    assert "Logged your request to **Grace Hopper**" in reply.text


async def test_a_name_with_backticks_keeps_the_command_hint_intact(driver, alice, guild):
    reply = await driver.run('/prospect add name:"Ada `The Countess` L"', user=alice, guild=guild)
    hint = reply.text.split("Next: ", 1)[1]
    assert hint.count("`") == 2  # one inline-code span, not broken open by the name


async def test_markdown_in_a_name_or_role_does_not_reformat_the_list(driver, alice, guild):
    await driver.run(
        '/prospect add name:"**Ada**" role:"_Analyst_" organization:"~~Engines~~"',
        user=alice,
        guild=guild,
    )
    listing = await driver.run("/prospect list", user=alice, guild=guild)
    assert "**\\*\\*Ada\\*\\***" in listing.text
    assert "\\_Analyst\\_" in listing.text
    assert "\\~\\~Engines\\~\\~" in listing.text


async def test_a_mass_mention_name_never_pings(driver, alice, guild):
    reply = await driver.run(
        '/prospect add name:"@everyone and @here" notes:"<@1> <@&2>"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert reply.allowed_mentions == {"parse": []}
    card = await driver.run('/prospect show prospect:"@everyone"', user=alice, guild=guild)
    assert card.allowed_mentions == {"parse": []}


# -- Discord's limits with many long records -------------------------------------------
async def test_sixty_long_prospects_fit_list_show_progress_and_export(
    driver, bot, emu, alice, guild
):
    for n in range(60):
        name = f"P{n:02d} " + "N" * 96
        await driver.run(
            f'/prospect add name:"{name}" role:"{"R" * 100}" organization:"{"O" * 100}" '
            f'stage:established source:alumni notes:"{"x" * 1000}"',
            user=alice,
            guild=guild,
        )
    for n in range(30):
        await driver.run(
            f'/outreach sent prospect:"P{n:02d}" when:"3 days ago"', user=alice, guild=guild
        )
    listing = await driver.run("/prospect list", user=alice, guild=guild)
    assert "Your prospects (60)" in listing.text
    card = await driver.run('/prospect show prospect:"P05"', user=alice, guild=guild)
    assert "x" * 1000 in card.text
    progress = await driver.run("/progress", user=alice, guild=guild)
    (embed,) = progress.embeds
    actions = next(f for f in embed["fields"] if f["name"] == "Next actions")["value"]
    assert len(actions) <= 1024
    # Whole lines only, and the count of what was left out survives.
    assert not actions.rstrip().endswith("…")
    assert actions.splitlines()[-1].startswith("-# and ")
    left_out = int(actions.splitlines()[-1].split()[2])
    assert left_out + len(actions.splitlines()) - 1 == 60
    export = await driver.run("/mydata export", user=alice, guild=guild)
    assert {name for name, _ in export.files} >= {"mydata.json", "prospects.csv"}
    assert emu.violations == []


# -- time zones ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("new york", "America/New_York"),
        ("london", "Europe/London"),
    ],
)
async def test_common_ways_to_type_a_time_zone_pick_the_right_zone(
    driver, bot, alice, guild, typed, zone
):
    reply = await driver.run(f'/settings timezone tz:"{typed}"', user=alice, guild=guild)
    assert f"**{zone}**" in reply.text
    async with bot.stores.member(alice.id) as store:
        assert (await store.settings()).timezone == zone


async def test_est_is_offered_as_new_york_first(driver, alice, guild):
    choices = await driver.autocomplete("/settings timezone tz:EST", user=alice, guild=guild)
    assert choices[0] == {"name": "America/New_York (EST)", "value": "America/New_York"}


async def test_an_empty_time_zone_gets_an_example(driver, bot, alice, guild):
    reply = await driver.run('/settings timezone tz:"   "', user=alice, guild=guild)
    assert reply.ephemeral
    assert "America/New_York" in reply.text
    assert '""' not in reply.text


async def test_an_overlong_quiet_hour_is_refused_briefly(driver, alice, guild):
    reply = await driver.run(
        f'/settings reminders quiet_start:"{"9" * 500}"', user=alice, guild=guild
    )
    assert reply.ephemeral
    assert "22:00" in reply.text
    assert len(reply.text) < 200


# -- /prospect import: rows that don't fit /prospect add's limits ---------------------
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


async def test_import_clips_long_positions_and_rejects_overlong_names(driver, bot, alice, guild):
    rows = [
        HEADER,
        f"Ada,Lovelace,,,Engines,{'P' * 300},01 Jan 2024",
        f"{'A' * 60},{'B' * 60},,,Engines,Analyst,01 Jan 2024",
    ]
    reply = await driver.run(
        "/prospect import",
        user=alice,
        guild=guild,
        attachments={"file": ("Connections.csv", "\n".join(rows).encode())},
    )
    assert "1 added" in reply.text and "1 rejected" in reply.text
    assert "line 3: the name is 121 characters (the limit is 100)" in reply.text
    (ada,) = await prospects_of(bot, alice)
    assert len(ada.role) == 100


def test_a_semicolon_separated_export_from_a_european_excel_is_read():
    data = (
        "Notes:\n\nFirst Name;Last Name;URL;Email Address;Company;Position;Connected On\n"
        'José;García;;;"Acme; Inc";Analyst;01 Jan 2024\n'
    ).encode()
    plan = plan_import(data, [])
    (row,) = plan.added
    assert (row.name, row.organization, row.role) == ("José García", "Acme; Inc", "Analyst")
