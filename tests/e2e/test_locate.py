"""Step 1 end to end: /prospect add, list, show, edit, remove as a member uses them, with
names that can't be seen or resolve to several prospects, and Discord's limits."""

from __future__ import annotations

import pytest

from tests.support.e2e import prospects_of


async def prospect_names(bot, user) -> list[str]:
    async with bot.stores.member(user.id) as store:
        return [p.name for p, _ in await store.list_prospects()]


async def test_add_then_show_a_prospect(driver, alice, guild):
    reply = await driver.run(
        '/prospect add name:"Ada Lovelace" role:"Analyst" organization:"Analytical Engines" '
        "stage:established source:alumni",
        user=alice,
        guild=guild,
    )
    assert reply.ephemeral
    assert "Ada Lovelace" in reply.text
    card = await driver.run('/prospect show prospect:"Ada Lovelace"', user=alice, guild=guild)
    assert card.ephemeral
    assert "Analytical Engines" in card.text
    assert "established" in card.text
    assert "to-contact" in card.text


async def test_prospects_work_in_dms_too(driver, bot, alice):
    reply = await driver.run('/prospect add name:"Grace Hopper"', user=alice, guild=None)
    assert "Grace Hopper" in reply.text
    assert await prospect_names(bot, alice) == ["Grace Hopper"]


async def test_a_member_sees_only_their_own_prospects(driver, bot, alice, bob, guild):
    await driver.run('/prospect add name:"Ada Lovelace"', user=alice, guild=guild)
    listing = await driver.run("/prospect list", user=bob, guild=guild)
    assert "Ada Lovelace" not in listing.text
    assert "No prospects yet" in listing.text
    # Bob typing Alice's prospect id finds nothing in his own store.
    async with bot.stores.member(alice.id) as store:
        ((ada, _),) = await store.list_prospects()
    refused = await driver.run(f"/prospect show prospect:{ada.id}", user=bob, guild=guild)
    assert refused.ephemeral
    assert "can't find" in refused.text


async def test_list_is_paginated_with_buttons(driver, alice, guild):
    for n in range(12):
        await driver.run(f'/prospect add name:"Person {n:02d}"', user=alice, guild=guild)
    first = await driver.run("/prospect list", user=alice, guild=guild)
    assert "Page 1 of 2" in first.text
    assert "Person 11" in first.text
    second = await driver.click(first, "Next", user=alice)
    assert "Page 2 of 2" in second.text
    assert "Person 00" in second.text


async def test_list_filters_by_stage(driver, alice, guild):
    await driver.run('/prospect add name:"Ada" stage:established', user=alice, guild=guild)
    await driver.run('/prospect add name:"Grace" stage:emerging', user=alice, guild=guild)
    reply = await driver.run("/prospect list stage:emerging", user=alice, guild=guild)
    assert "Grace" in reply.text
    assert "Ada" not in reply.text


async def test_edit_changes_fields_and_dash_clears(driver, bot, alice, guild):
    await driver.run('/prospect add name:"Ada" role:"Analyst"', user=alice, guild=guild)
    reply = await driver.run(
        '/prospect edit prospect:"Ada" stage:mid-career role:"-"', user=alice, guild=guild
    )
    assert "Updated" in reply.text
    async with bot.stores.member(alice.id) as store:
        ((ada, _),) = await store.list_prospects()
    assert ada.stage == "mid-career"
    assert ada.role is None


async def test_remove_asks_first_and_cancel_keeps_the_prospect(driver, bot, alice, guild):
    await driver.run('/prospect add name:"Ada"', user=alice, guild=guild)
    prompt = await driver.run('/prospect remove prospect:"Ada"', user=alice, guild=guild)
    assert "can't be undone" in prompt.text
    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "stays" in kept.text
    assert await prospect_names(bot, alice) == ["Ada"]
    prompt = await driver.run('/prospect remove prospect:"Ada"', user=alice, guild=guild)
    done = await driver.click(prompt, "Remove", user=alice)
    assert "Removed" in done.text
    assert await prospect_names(bot, alice) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('/prospect add name:"Ada" linkedin:"https://example.com/ada"', "linkedin.com/in/"),
        ('/prospect add name:"Ada" notes:"' + "x" * 1001 + '"', "limit is 1000"),
        ('/prospect add name:"' + "A" * 101 + '"', "limit is 100"),
        ('/prospect add name:"Ada" stage:"legendary"', "stage must be one of"),
    ],
)
async def test_bad_input_gets_a_specific_error_and_changes_nothing(
    driver, bot, alice, guild, line, expected
):
    reply = await driver.run(line, user=alice, guild=guild, validate=False)
    assert reply.ephemeral
    assert expected in reply.text
    assert await prospect_names(bot, alice) == []


async def test_autocomplete_offers_best_match_first(driver, alice, guild):
    for name in ("Bob Ada", "Ada Lovelace", "Grace Hopper"):
        await driver.run(f'/prospect add name:"{name}"', user=alice, guild=guild)
    choices = await driver.autocomplete("/prospect show prospect:Ada", user=alice, guild=guild)
    assert [c["name"] for c in choices][:2] == ["Ada Lovelace", "Bob Ada"]


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


async def test_list_pages_turn_both_ways_and_show_every_prospect_once(driver, alice, guild):
    for n in range(20):
        await driver.run(f'/prospect add name:"Person {n:02d}"', user=alice, guild=guild)
    page = await driver.run("/prospect list", user=alice, guild=guild)
    seen = []
    for number in (1, 2, 3):
        assert f"Page {number} of 3" in page.text
        seen += [f"Person {n:02d}" for n in range(20) if f"Person {n:02d}" in page.text]
        buttons = {b["label"]: b["disabled"] for b in page.buttons}
        assert buttons == {"Previous": number == 1, "Next": number == 3}
        if number < 3:
            page = await driver.click(page, "Next", user=alice)
    assert sorted(seen) == [f"Person {n:02d}" for n in range(20)]
    back = await driver.click(page, "Previous", user=alice)
    assert "Page 2 of 3" in back.text
    assert "Person 11" in back.text


async def test_a_list_that_shrank_since_it_was_shown_turns_to_its_last_page(
    driver, alice, guild, bot
):
    for n in range(10):
        await driver.run(f'/prospect add name:"Person {n:02d}"', user=alice, guild=guild)
    first = await driver.run("/prospect list", user=alice, guild=guild)
    assert "Page 1 of 2" in first.text
    async with bot.stores.member(alice.id) as store:
        for prospect, _ in await store.list_prospects():
            if prospect.name < "Person 03":
                await store.remove_prospect(prospect.id)
    turned = await driver.click(first, "Next", user=alice)
    assert "Your prospects (7)" in turned.text
    assert "Page" not in turned.text  # one page now
    assert "Person 09" in turned.text
    assert not any(b["label"] == "Next" and not b["disabled"] for b in turned.buttons)
