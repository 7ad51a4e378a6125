"""The club network end to end (issue 15): the opt-in directory, requests for a
conversation, their answers by DM, the caps, expiry, blocks, forged buttons, closed DMs,
a restart between asking and answering, and /mydata."""

from __future__ import annotations

from tests.support.e2e import (
    bot_dms,
    prospects_of,
    schedule,
    settle,
)

MESSAGE = (
    "Hi! I'm a sophomore in the career club exploring data science and would love to hear "
    "how you got into the field. Would you have 20 minutes in the next few weeks, "
    "whenever suits you?"
)
ASK_BUTTONS = ["Accept", "Not now", "Decline", "Block"]


async def join(driver, user, guild, extra='role:"Data analyst" organization:"Acme Health"'):
    """`/network join` with no sharing (no form), checked to have worked."""
    reply = await driver.run(f"/network join {extra}", user=user, guild=guild)
    assert "listed" in reply.text or "updated" in reply.text, reply.text
    return reply


async def ask(driver, asker, guild, name, message=MESSAGE, find=""):
    """/network find, pick `name` in the menu, fill in the form: the form's answer."""
    found = await driver.run(f"/network find {find}", user=asker, guild=guild)
    assert found.ephemeral
    option = next(
        o["label"] for o in found.selects[0]["options"] if o["label"].split(". ", 1)[1] == name
    )
    form = await driver.select(found, [option], user=asker)
    assert form.modal is not None, form.text
    return await driver.submit_modal(form, {"Your message (under 100 words)": message}, user=asker)


async def the_ask_dm(driver, bot, user, count=1):
    await settle(bot)
    dms = await driver.wait_for_dms(user, count=count, interactions=False)
    return dms[count - 1]


async def test_join_find_ask_accept_introduces_both_and_adds_a_prospect(
    driver, bot, emu, alice, bob, guild
):
    await join(
        driver,
        alice,
        guild,
        'role:"Data analyst" organization:"Acme Health" '
        'fields:"Data Science, Healthcare" stage:mid-career',
    )
    sent = await ask(driver, bob, guild, "alice", find="field:Data")
    assert "Sent to **alice**" in sent.text, sent.text
    dm = await the_ask_dm(driver, bot, alice)
    assert "**bob** asks you for a conversation" in dm.text
    assert "sophomore in the career club" in dm.text
    assert [b["label"] for b in dm.buttons] == ASK_BUTTONS

    pressed = await driver.click(dm, "Accept", user=alice)
    assert "Accepted" in pressed.text
    assert emu.messages[dm.id].buttons == []
    await settle(bot)
    (answer,) = bot_dms(emu, bob)
    assert "**alice** accepted" in answer.text
    assert "/meeting schedule prospect:alice" in answer.text
    intro = bot_dms(emu, alice)[-1]
    assert "You accepted **bob**'s request" in intro.text

    (prospect,) = await prospects_of(bot, bob)
    assert (prospect.name, prospect.organization, prospect.source) == (
        "alice",
        "Acme Health",
        "network",
    )
    async with bot.stores.member(bob.id) as store:
        ((_, status),) = await store.list_prospects()
    assert status == "replied"
    await schedule(driver, bob, guild, name="alice", when="2026-12-03 16:00")
