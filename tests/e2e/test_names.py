"""Names resolve the same way in every command (issue 10, "Names"): namesakes and several
meetings with one person are a choice the member makes, never a silent pick; a name typed
without its accents is found; a typo gets "did you mean"; renaming onto an existing name
warns as adding does; referrals are read as members write them.

Each command runs twice: as a member who presses Enter on the first suggestion Discord
offers (the driver's default), and as one who sends the typed text as is."""

from __future__ import annotations

import re

import pytest

from tests.support.e2e import add_prospect, meetings, prospects_of, schedule

ENTER_ON_FIRST_SUGGESTION = {}
SENT_AS_TYPED = {"pick_suggestions": False}
BOTH_WAYS = pytest.mark.parametrize(
    "typing", [ENTER_ON_FIRST_SUGGESTION, SENT_AS_TYPED], ids=["suggestion", "typed"]
)


async def two_jordan_lees(driver, bot, alice, guild):
    """Two prospects named Jordan Lee (one at Stripe); returns them oldest first."""
    await add_prospect(driver, alice, guild, name="Jordan Lee")
    await add_prospect(driver, alice, guild, name="Jordan Lee", extra='organization:"Stripe"')
    return sorted(await prospects_of(bot, alice), key=lambda p: p.id)


def commands_offered(reply) -> list[str]:
    """The commands to copy that a reply lists, one per choice."""
    return re.findall(r"• .*? — `([^`]+)`", reply.text)


# -- two prospects with one name ---------------------------------------------------------
@BOTH_WAYS
@pytest.mark.parametrize(
    "line",
    [
        '/prospect edit prospect:"Jordan Lee" stage:established',
        '/prospect show prospect:"Jordan Lee"',
        '/prospect remove prospect:"Jordan Lee"',
        '/outreach draft prospect:"Jordan Lee"',
        '/outreach sent prospect:"Jordan Lee"',
        '/meeting schedule prospect:"Jordan Lee" when:"2026-12-03 07:30"',
        '/meeting log prospect:"Jordan Lee" when:"3 hours ago"',
    ],
)
async def test_namesakes_are_a_choice_in_every_prospect_command(
    driver, bot, alice, guild, line, typing
):
    first, second = await two_jordan_lees(driver, bot, alice, guild)
    reply = await driver.run(line, user=alice, guild=guild, **typing)
    assert reply.ephemeral
    assert '"Jordan Lee" matches 2 of your prospects' in reply.text, reply.text
    assert "Stripe" in reply.text  # the one at Stripe can be told apart
    # One command per Jordan Lee: the member's own, with the name swapped for an id.
    command = line.split(" prospect:")[0]
    rest = line.split('"Jordan Lee"', 1)[1]
    assert commands_offered(reply) == [
        f"{command} prospect:{first.id}{rest}",
        f"{command} prospect:{second.id}{rest}",
    ]
    # Nothing happened to either of them on a guess.
    assert sorted(await prospects_of(bot, alice), key=lambda p: p.id) == [first, second]
    assert await meetings(bot, alice) == []
    async with bot.stores.member(alice.id) as store:
        assert await store.open_requests() == []


async def test_the_command_offered_for_one_namesake_acts_on_that_one(driver, bot, alice, guild):
    first, second = await two_jordan_lees(driver, bot, alice, guild)
    asked = await driver.run(
        '/prospect edit prospect:"Jordan Lee" stage:established', user=alice, guild=guild
    )
    chosen = commands_offered(asked)[1]
    assert chosen == f"/prospect edit prospect:{second.id} stage:established"
    done = await driver.run(chosen, user=alice, guild=guild)
    assert "Updated **Jordan Lee**" in done.text
    stages = {p.id: p.stage for p in await prospects_of(bot, alice)}
    assert stages == {first.id: None, second.id: "established"}


async def test_autocomplete_leads_namesakes_with_a_choice_that_asks(driver, bot, alice, guild):
    first, second = await two_jordan_lees(driver, bot, alice, guild)
    choices = await driver.autocomplete(
        '/prospect edit prospect:"Jordan Lee"', user=alice, guild=guild
    )
    assert choices[0]["value"] == "Jordan Lee"
    assert "2 prospects match" in choices[0]["name"]
    rest = {c["value"]: c["name"] for c in choices[1:]}
    assert set(rest) == {str(first.id), str(second.id)}
    # No two suggestions read alike, and none reads as just the name typed.
    assert len(set(rest.values())) == 2 and "Jordan Lee" not in rest.values()
    # While a part is still being typed, the list itself is the choice.
    partial = await driver.autocomplete("/prospect show prospect:jor", user=alice, guild=guild)
    assert {c["value"] for c in partial} == {str(first.id), str(second.id)}


# -- two meetings with one person ---------------------------------------------------------
@BOTH_WAYS
@pytest.mark.parametrize(
    "line",
    [
        '/meeting cancel meeting:"Ada Lovelace"',
        '/meeting prep meeting:"Ada Lovelace"',
        '/meeting done meeting:"Ada Lovelace" takeaways:"Start with the data"',
        '/meeting calendar meeting:"Ada Lovelace"',
    ],
)
async def test_two_meetings_with_one_person_are_a_choice(driver, bot, alice, guild, line, typing):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild, when="2026-12-03 07:30")
    await schedule(driver, alice, guild, when="2026-12-05 07:30")
    before = await meetings(bot, alice)
    soon, later = sorted((m for m, _ in before), key=lambda m: m.starts_at)
    reply = await driver.run(line, user=alice, guild=guild, **typing)
    assert reply.ephemeral
    assert '"Ada Lovelace" matches 2 of your meetings' in reply.text, reply.text
    # Each with when it is (in the reader's own zone) and the command for it.
    assert f"<t:{int(soon.starts_at.timestamp())}:f>" in reply.text
    assert f"<t:{int(later.starts_at.timestamp())}:f>" in reply.text
    offered = commands_offered(reply)
    assert [c.split(" meeting:")[1].split()[0] for c in offered] == [str(soon.id), str(later.id)]
    assert await meetings(bot, alice) == before  # nothing cancelled or moved on a guess
    assert reply.files == []


async def test_cancel_asks_then_cancels_the_meeting_chosen(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild, when="2026-12-03 07:30")
    await schedule(driver, alice, guild, when="2026-12-05 07:30")
    asked = await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    later = commands_offered(asked)[1]
    assert "Cancelled" in (await driver.run(later, user=alice, guild=guild)).text
    cancelled = {m.starts_at.day: m.cancelled for m, _ in await meetings(bot, alice)}
    assert cancelled == {3: False, 5: True}
    # With one meeting ahead left, the name alone means it.
    again = await driver.run('/meeting cancel meeting:"Ada Lovelace"', user=alice, guild=guild)
    assert "Cancelled" in again.text
    assert all(m.cancelled for m, _ in await meetings(bot, alice))


@BOTH_WAYS
async def test_thanks_asks_which_of_two_meetings_held(driver, bot, alice, guild, typing):
    await add_prospect(driver, alice, guild)
    for when in ("yesterday 4pm", "3 hours ago"):
        await driver.run(
            f'/meeting log prospect:"Ada Lovelace" when:"{when}"', user=alice, guild=guild
        )
    reply = await driver.run(
        '/thanks sent meeting:"Ada Lovelace"', user=alice, guild=guild, **typing
    )
    assert '"Ada Lovelace" matches 2 of your meetings' in reply.text, reply.text
    assert all(m.thanked_at is None for m, _ in await meetings(bot, alice))


# -- a name typed without its accents, and a typo ------------------------------------------
@BOTH_WAYS
async def test_a_name_typed_without_accents_is_found(driver, bot, alice, guild, typing):
    await add_prospect(driver, alice, guild, name="María González")
    card = await driver.run(
        '/prospect show prospect:"maria gonzalez"', user=alice, guild=guild, **typing
    )
    assert "María González" in card.text and "can't find" not in card.text
    sent = await driver.run(
        '/outreach sent prospect:"MARIA GONZALEZ"', user=alice, guild=guild, **typing
    )
    assert "Logged your request to **María González**" in sent.text, sent.text
    suggested = await driver.autocomplete("/prospect show prospect:maria", user=alice, guild=guild)
    assert [c["name"] for c in suggested] == ["María González"]


@BOTH_WAYS
async def test_a_typo_gets_did_you_mean(driver, bot, alice, guild, typing):
    await add_prospect(driver, alice, guild)
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    (ada,) = [p for p in await prospects_of(bot, alice) if p.name == "Ada Lovelace"]
    reply = await driver.run(
        '/outreach sent prospect:"Ada Lovelce"', user=alice, guild=guild, **typing
    )
    assert reply.ephemeral
    assert 'can\'t find "Ada Lovelce"' in reply.text
    assert "Did you mean" in reply.text
    assert commands_offered(reply) == [f"/outreach sent prospect:{ada.id}"]
    assert "Grace Hopper" not in reply.text
    async with bot.stores.member(alice.id) as store:
        assert await store.open_requests() == []  # nothing logged on a guess


async def test_a_typo_in_a_meeting_gets_did_you_mean(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    await schedule(driver, alice, guild)
    ((meeting, _),) = await meetings(bot, alice)
    reply = await driver.run('/meeting prep meeting:"Ada Lovelce"', user=alice, guild=guild)
    assert 'can\'t find a meeting with "Ada Lovelce"' in reply.text
    assert commands_offered(reply) == [f"/meeting prep meeting:{meeting.id}"]


async def test_nothing_close_gets_how_to_add_one(driver, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run('/prospect show prospect:"Zygmunt Bauman"', user=alice, guild=guild)
    assert "can't find" in reply.text and "Did you mean" not in reply.text
    assert "/prospect add" in reply.text


# -- renaming onto a name already in the list ---------------------------------------------
async def test_renaming_onto_an_existing_name_warns_as_adding_does(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild, extra='organization:"Engines"')
    await add_prospect(driver, alice, guild, name="Grace Hopper")
    ada, grace = sorted(await prospects_of(bot, alice), key=lambda p: p.id)
    # Renaming a prospect to its own name in other letters is no namesake.
    own = await driver.run(
        f'/prospect edit prospect:{grace.id} name:"GRACE HOPPER"', user=alice, guild=guild
    )
    assert "Updated" in own.text and "already had" not in own.text
    reply = await driver.run(
        '/prospect edit prospect:"Grace Hopper" name:"ada lovelace"', user=alice, guild=guild
    )
    assert "Updated **ada lovelace**" in reply.text
    assert "already had someone by that name" in reply.text
    assert f"Ada Lovelace — Engines (id {ada.id})" in reply.text
    assert f"this one is id {grace.id}" in reply.text


# -- referrals as members write them -------------------------------------------------------
async def test_referrals_split_on_and_semicolons_with_a_remark_as_note(driver, bot, alice, guild):
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago" '
        'referrals:"Ana Silva and Raj Mehta; Chris Wu (Square PM)"',
        user=alice,
        guild=guild,
    )
    assert (
        "New prospects referred by Ada Lovelace: Ana Silva, Raj Mehta, Chris Wu (Square PM)."
        in reply.text
    ), reply.text
    people = {p.name: p for p in await prospects_of(bot, alice)}
    assert set(people) == {"Ada Lovelace", "Ana Silva", "Raj Mehta", "Chris Wu"}
    ada = people["Ada Lovelace"]
    referred = [people[n] for n in ("Ana Silva", "Raj Mehta", "Chris Wu")]
    assert [(p.source, p.referred_by) for p in referred] == [("referral", ada.id)] * 3
    assert [p.notes for p in referred] == [None, None, "Square PM"]


async def test_a_referral_whose_name_several_prospects_share_is_not_guessed(
    driver, bot, alice, guild
):
    await two_jordan_lees(driver, bot, alice, guild)
    await add_prospect(driver, alice, guild)
    reply = await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago" referrals:"jordan lee"',
        user=alice,
        guild=guild,
    )
    assert "you already had 2 by that name" in reply.text, reply.text
    people = await prospects_of(bot, alice)
    ada = next(p for p in people if p.name == "Ada Lovelace")
    jordans = sorted((p for p in people if p.name.lower() == "jordan lee"), key=lambda p: p.id)
    assert [p.referred_by for p in jordans] == [None, None, ada.id]  # neither one linked
