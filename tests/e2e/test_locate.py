"""Step 1 end to end: /prospect add, list, show, edit, remove as a member uses them."""

from __future__ import annotations

import pytest


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
