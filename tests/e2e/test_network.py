"""The club network end to end (issue 15): the opt-in directory, requests for a
conversation, their answers by DM, the caps, expiry, blocks, forged buttons, closed DMs,
a restart between asking and answering, and /mydata."""

from __future__ import annotations

import pytest

from bot.client import InterviewBot
from bot.emulator.harness import running_bot
from tests.support.e2e import (
    GUILD_READY_TIMEOUT,
    TOO_BIG,
    bot_dms,
    prospects_of,
    schedule,
    settle,
)
from tests.support.markup import clickable, masked_links, sent_parts

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


# -- answers that read the same, and expiry -------------------------------------------------


async def answered(driver, bot, emu, listed, asker, guild, label):
    """`asker` asks `listed`, who presses `label`: the asker's DM about it."""
    await join(driver, listed, guild)
    await ask(driver, asker, guild, listed.name)
    dm = await the_ask_dm(driver, bot, listed)
    await driver.click(dm, label, user=listed)
    await settle(bot)
    return bot_dms(emu, asker)[-1]


async def test_a_decline_and_a_not_now_read_the_same_to_the_asker(
    driver, bot, emu, alice, bob, officer, guild
):
    declined = await answered(driver, bot, emu, alice, bob, guild, "Decline")
    not_now = await answered(driver, bot, emu, officer, alice, guild, "Not now")
    assert declined.text.replace("alice", "X") == not_now.text.replace("officer", "X")
    assert "can't take on a conversation right now" in declined.text
    assert "decline" not in declined.text.lower()
    assert await prospects_of(bot, bob) == []


async def test_an_unanswered_request_lapses_after_seven_days(
    driver, bot, emu, clock, alice, bob, guild
):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    clock.advance(days=6, hours=23)
    await settle(bot)
    assert bot_dms(emu, bob) == []
    clock.advance(hours=1)
    await settle(bot)
    (lapsed,) = bot_dms(emu, bob)
    assert "No answer from **alice** within 7 days" in lapsed.text
    # Too late to answer; nothing more goes to Bob, and he may ask again.
    pressed = await driver.click(dm, "Accept", user=alice)
    assert "lapsed" in pressed.text
    await settle(bot)
    assert len(bot_dms(emu, bob)) == 1 and await prospects_of(bot, bob) == []
    again = await ask(driver, bob, guild, "alice")
    assert "Sent to" in again.text


async def test_an_answered_request_sends_no_lapse_a_week_later(
    driver, bot, emu, clock, alice, bob, guild
):
    await answered(driver, bot, emu, alice, bob, guild, "Accept")
    clock.advance(days=8)
    await settle(bot)
    assert len(bot_dms(emu, bob)) == 1


# -- caps ---------------------------------------------------------------------------------


async def test_a_listing_at_its_monthly_limit_is_hidden_and_refused_without_saying_why(
    driver, bot, emu, clock, alice, bob, officer, guild
):
    await join(driver, alice, guild, "monthly_limit:1")
    stale = await driver.run("/network find", user=officer, guild=guild)
    await ask(driver, bob, guild, "alice")
    found = await driver.run("/network find", user=officer, guild=guild)
    assert "alice" not in found.text and "No one" in found.text
    form = await driver.select(stale, ["1. alice"], user=officer)
    refused = await driver.submit_modal(
        form, {"Your message (under 100 words)": MESSAGE}, user=officer
    )
    assert refused.ephemeral
    assert "**alice** isn't taking requests right now" in refused.text
    assert "limit" not in refused.text
    # A new month, a new allowance.
    clock.advance(days=5)
    assert "alice" in (await driver.run("/network find", user=officer, guild=guild)).text


async def test_one_open_request_per_pair(driver, bot, alice, bob, guild):
    await join(driver, alice, guild, "monthly_limit:5")
    stale = await driver.run("/network find", user=bob, guild=guild)
    await ask(driver, bob, guild, "alice")
    form = await driver.select(stale, ["1. alice"], user=bob)
    refused = await driver.submit_modal(form, {"Your message (under 100 words)": MESSAGE}, user=bob)
    assert "already have a request waiting with **alice**" in refused.text
    async with bot.stores.guild(guild.id) as g:
        sent, _ = await g.open_requests_of(bob.id)
    assert len(sent) == 1


async def test_club_stats_counts_the_requests_sent_not_the_refused(
    driver, bot, alice, bob, officer, guild
):
    await join(driver, alice, guild, "monthly_limit:5")
    stale = await driver.run("/network find", user=bob, guild=guild)
    assert "Sent to" in (await ask(driver, bob, guild, "alice")).text
    form = await driver.select(stale, ["1. alice"], user=bob)
    await driver.submit_modal(form, {"Your message (under 100 words)": MESSAGE}, user=bob)
    stats = await driver.run("/club stats", user=officer, guild=guild)
    assert "Network requests: **1**" in stats.embeds[0]["fields"][0]["value"]
    for private in ("alice", "bob", MESSAGE[:20]):
        assert private not in stats.text


async def test_at_most_three_open_requests_per_asker(driver, bot, emu, alice, officer, bob, guild):
    others = [emu.add_user(name, guild=guild) for name in ("carol", "dave")]
    for member in (alice, officer, *others):
        await join(driver, member, guild)
    for member in (alice, officer, others[0]):
        assert "Sent to" in (await ask(driver, bob, guild, member.name)).text
    refused = await ask(driver, bob, guild, "dave")
    assert "3 requests waiting" in refused.text
    await settle(bot)
    assert bot_dms(emu, others[1]) == []


async def test_a_message_over_100_words_or_asking_for_a_job_is_not_sent(
    driver, bot, emu, alice, bob, guild
):
    await join(driver, alice, guild)
    long = await ask(driver, bob, guild, "alice", message=" ".join(["word"] * 120) + "?")
    assert "Not sent yet" in long.text and "over the 100-word limit" in long.text
    job = await ask(
        driver, bob, guild, "alice",
        message="Hi! I saw your talk at our club and wondered whether your team is hiring "
        "interns this summer. Could you refer me for an open position there?",
    )  # fmt: skip
    assert "Not sent yet" in job.text and "no job ask" in job.text
    await settle(bot)
    assert bot_dms(emu, alice) == []
    async with bot.stores.guild(guild.id) as g:
        assert await g.open_requests_of(bob.id) == ([], [])


# -- block, leave, officers ---------------------------------------------------------------


async def test_block_declines_and_hides_the_listing_from_that_asker_silently(
    driver, bot, emu, clock, alice, bob, officer, guild
):
    await join(driver, alice, guild, "monthly_limit:5")
    stale = await driver.run("/network find", user=bob, guild=guild)
    answer = await answered_block(driver, bot, emu, alice, bob, guild)
    assert "can't take on a conversation right now" in answer.text
    assert "block" not in answer.text.lower()
    assert "alice" not in (await driver.run("/network find", user=bob, guild=guild)).text
    assert "alice" in (await driver.run("/network find", user=officer, guild=guild)).text
    # Through a page found before the block, Bob's request looks sent, but never arrives
    # and lapses like one unanswered.
    form = await driver.select(stale, ["1. alice"], user=bob)
    sent = await driver.submit_modal(form, {"Your message (under 100 words)": MESSAGE}, user=bob)
    assert "Sent to **alice**" in sent.text
    await settle(bot)
    assert len(bot_dms(emu, alice)) == 1
    assert (await driver.run("/network requests", user=alice, guild=guild)).text.startswith("No")
    clock.advance(days=7)
    await settle(bot)
    assert "No answer from **alice** within 7 days" in bot_dms(emu, bob)[-1].text
    assert len(bot_dms(emu, alice)) == 1


async def answered_block(driver, bot, emu, alice, bob, guild):
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    pressed = await driver.click(dm, "Block", user=alice)
    assert "won't see you in the network again" in pressed.text
    await settle(bot)
    return bot_dms(emu, bob)[-1]


async def test_leaving_closes_open_requests_with_the_words_of_a_decline(
    driver, bot, emu, alice, bob, guild
):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    left = await driver.run("/network leave", user=alice, guild=guild)
    assert "1 request waiting for your answer was closed" in left.text
    await settle(bot)
    (answer,) = bot_dms(emu, bob)
    assert "can't take on a conversation right now" in answer.text
    assert "No one" in (await driver.run("/network find", user=bob, guild=guild)).text
    pressed = await driver.click(dm, "Accept", user=alice)
    assert "closed" in pressed.text
    assert await prospects_of(bot, bob) == []


async def test_an_officer_removes_a_listing_and_the_permission_is_checked_on_the_press(
    driver, bot, emu, alice, bob, officer, guild
):
    await join(driver, alice, guild)
    member_view = await driver.run("/network find", user=bob, guild=guild)
    assert len(member_view.selects) == 1  # no removal menu for members
    officer_view = await driver.run("/network find", user=officer, guild=guild)
    assert [s["placeholder"] for s in officer_view.selects][-1].startswith("Officers")
    guild.members[officer.id].role_ids.clear()  # the officer loses Manage Server meanwhile
    refused = await driver.select(officer_view, ["1. alice"], user=officer, index=1)
    assert "Manage Server" in refused.text
    assert "alice" in (await driver.run("/network find", user=bob, guild=guild)).text


# -- forged buttons, other servers, DMs ------------------------------------------------------


async def test_forged_answer_buttons_change_nothing(driver, bot, emu, alice, bob, guild):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    # Bob copies Alice's buttons into his own DMs and presses them.
    forged = emu.inject_message(emu.dm_channel(bob).id, content="forged", components=dm.components)
    for label in ASK_BUTTONS:
        pressed = await driver.click(forged, label, user=bob)
        assert pressed.ephemeral and "someone else" in pressed.text
    request_id = dm.buttons[0]["custom_id"].split(":")[3]
    for custom_id in (
        f"net:accept:{guild.id}:{request_id}:{bob.id}",  # his own id, her request
        f"net:accept:{guild.id + 1}:{request_id}:{bob.id}",  # another server
        f"net:accept:{guild.id}:{TOO_BIG}:{bob.id}",
    ):
        button = {"type": 2, "style": 1, "label": "Accept", "custom_id": custom_id}
        message = emu.inject_message(
            emu.dm_channel(bob).id, components=[{"type": 1, "components": [button]}]
        )
        pressed = await driver.click(message, "Accept", user=bob)
        assert pressed.ephemeral and "isn't one addressed to you" in pressed.text
    await settle(bot)
    assert not any("accepted" in m.text for m in bot_dms(emu, bob))
    assert await prospects_of(bot, bob) == []
    async with bot.stores.guild(guild.id) as g:
        (request,) = (await g.open_requests_of(alice.id))[1]
    assert request.status == "open"
    assert not (bot.stores.pool.data_dir / "guilds").joinpath(f"{guild.id + 1}.sqlite").exists()


async def test_a_directory_belongs_to_its_server(driver, bot, emu, alice, bob, guild):
    other = emu.add_guild("Another Club")
    emu.add_member(other, bob)
    await join(driver, alice, guild)
    found = await driver.run("/network find", user=bob, guild=other)
    assert "alice" not in found.text and "No one" in found.text


async def test_network_commands_in_dms_are_refused_clearly(driver, alice):
    for line in ("/network join", "/network find", "/network requests", "/network leave"):
        reply = await driver.run(line, user=alice)
        assert reply.ephemeral and "lives in a server" in reply.text


@pytest.mark.parametrize("unreachable", ["DMs closed", "the bot's DMs turned off"])
async def test_a_request_that_cannot_reach_the_member_listed_is_reported_at_once(
    driver, bot, emu, clock, alice, bob, guild, unreachable
):
    """Alice can't get the request (her DMs are closed, or she turned the bot's DMs off
    in /settings): Bob hears at once that it couldn't be delivered, instead of a lapse
    notice a week later, and nothing is retried."""
    await join(driver, alice, guild)
    if unreachable == "DMs closed":
        emu.close_dms(alice)
    else:
        await driver.run("/settings reminders dms:False", user=alice, guild=guild)
    await ask(driver, bob, guild, "alice")
    await settle(bot)
    (told,) = bot_dms(emu, bob)
    assert "couldn't be delivered" in told.text
    clock.advance(days=8)
    await settle(bot)
    assert len(bot_dms(emu, bob)) == 1  # no lapse notice after it, nothing retried
    assert bot_dms(emu, alice) == []


async def test_an_answer_that_cannot_reach_the_asker_loops_nowhere(
    driver, bot, emu, clock, alice, bob, guild
):
    await join(driver, alice, guild)
    emu.close_dms(bob)
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    await driver.click(dm, "Accept", user=alice)
    await settle(bot)
    clock.advance(days=8)
    await settle(bot)
    assert bot_dms(emu, bob) == []
    assert len(bot_dms(emu, alice)) == 2  # the request and the introduction, once each
    assert [p.name for p in await prospects_of(bot, bob)] == ["alice"]


async def test_a_restart_between_asking_and_answering_delivers_once(
    driver, bot, emu, settings, clock, alice, bob, guild
):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    dm = await the_ask_dm(driver, bot, alice)
    await bot.close()
    restarted = InterviewBot(settings, clock=clock, guild_ready_timeout=GUILD_READY_TIMEOUT)
    async with running_bot(restarted, emu):
        await settle(restarted)
        assert len(bot_dms(emu, alice)) == 1
        pressed = await driver.click(dm, "Accept", user=alice)
        assert "Accepted" in pressed.text
        await settle(restarted)
        assert len(bot_dms(emu, bob)) == 1 and len(bot_dms(emu, alice)) == 2
        assert [p.name for p in await prospects_of(restarted, bob)] == ["alice"]


# -- sharing, pausing, requests ------------------------------------------------------------


async def test_sharing_linkedin_asks_for_the_link_and_checks_it(
    driver, bot, emu, alice, bob, guild
):
    form = await driver.run("/network join share:linkedin", user=alice, guild=guild)
    assert form.modal is not None
    bad = await driver.submit_modal(
        form, {"Your LinkedIn profile link": "https://evil.example/in/x"}, user=alice
    )
    assert "doesn't look like a LinkedIn profile link" in bad.text
    async with bot.stores.guild(guild.id) as g:
        assert await g.get_listing(alice.id) is None
    form = await driver.run("/network join share:linkedin", user=alice, guild=guild)
    good = await driver.submit_modal(
        form, {"Your LinkedIn profile link": "linkedin.com/in/Alice-Example"}, user=alice
    )
    assert "listed" in good.text
    # Not shown to anyone before an accept; the asker gets it after.
    assert "linkedin.com" not in (await driver.run("/network find", user=bob, guild=guild)).text
    answer = await answered_by(driver, bot, emu, alice, bob, guild, "Accept")
    assert "https://www.linkedin.com/in/alice-example" in answer.text
    (prospect,) = await prospects_of(bot, bob)
    assert prospect.linkedin == "https://www.linkedin.com/in/alice-example"


async def answered_by(driver, bot, emu, listed, asker, guild, label):
    await ask(driver, asker, guild, listed.name)
    dm = await the_ask_dm(driver, bot, listed)
    await driver.click(dm, label, user=listed)
    await settle(bot)
    return bot_dms(emu, asker)[-1]


async def test_sharing_an_email_checks_the_address(driver, bot, alice, guild):
    form = await driver.run("/network join share:email", user=alice, guild=guild)
    bad = await driver.submit_modal(form, {"Your email address": "not an address"}, user=alice)
    assert "doesn't look like an email address" in bad.text
    form = await driver.run("/network join share:email", user=alice, guild=guild)
    await driver.submit_modal(form, {"Your email address": "alice@example.org"}, user=alice)
    async with bot.stores.guild(guild.id) as g:
        listing = await g.get_listing(alice.id)
    assert (listing.share, listing.contact) == ("email", "alice@example.org")


async def test_edit_changes_only_what_is_given(driver, bot, alice, guild):
    await join(
        driver, alice, guild, 'role:"Analyst" organization:"Acme" fields:"Law" monthly_limit:4'
    )
    edited = await driver.run('/network edit organization:"Globex"', user=alice, guild=guild)
    assert "updated" in edited.text
    async with bot.stores.guild(guild.id) as g:
        listing = await g.get_listing(alice.id)
    assert (listing.role, listing.organization, listing.fields, listing.monthly_limit) == (
        "Analyst", "Globex", ("Law",), 4,
    )  # fmt: skip


async def test_pause_until_a_date_hides_the_listing_until_then(
    driver, bot, clock, alice, bob, guild
):
    await join(driver, alice, guild)
    paused = await driver.run('/network pause until:"in 3 days"', user=alice, guild=guild)
    assert "paused until" in paused.text and "<t:" in paused.text
    assert "00:00" in paused.text  # a day alone: from its start, in her zone
    assert "No one" in (await driver.run("/network find", user=bob, guild=guild)).text
    clock.advance(days=4)
    assert "alice" in (await driver.run("/network find", user=bob, guild=guild)).text


async def test_pause_without_a_date_lasts_until_edit(driver, bot, alice, bob, guild):
    await join(driver, alice, guild)
    paused = await driver.run("/network pause", user=alice, guild=guild)
    assert "until you resume" in paused.text
    assert "No one" in (await driver.run("/network find", user=bob, guild=guild)).text
    resumed = await driver.run("/network edit", user=alice, guild=guild)
    assert "pause has ended" in resumed.text
    assert "alice" in (await driver.run("/network find", user=bob, guild=guild)).text


async def test_network_requests_lists_both_sides_and_answers_from_the_server(
    driver, bot, emu, alice, bob, guild
):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    mine = await driver.run("/network requests", user=bob, guild=guild)
    assert "You asked" in mine.text and "alice" in mine.text
    theirs = await driver.run("/network requests", user=alice, guild=guild)
    assert "Asking you" in theirs.text and "sophomore" in theirs.text
    card = await driver.select(theirs, ["bob"], user=alice)
    assert [b["label"] for b in card.buttons] == ASK_BUTTONS
    await driver.click(card, "Accept", user=alice)
    await settle(bot)
    assert "accepted" in bot_dms(emu, bob)[-1].text


async def test_an_asker_withdraws_a_request_from_network_requests(
    driver, bot, emu, alice, bob, officer, guild
):
    """/network requests lists a member's sent requests with a way to take one back: it
    no longer counts, the person listed is never asked, and a stale answer says so."""
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    mine = await driver.run("/network requests", user=bob, guild=guild)
    assert [m["placeholder"] for m in mine.selects] == ["Withdraw a request…"]
    done = await driver.select(mine, ["alice"], user=bob)
    assert done.ephemeral and "Withdrawn" in done.text, done.text
    async with bot.stores.guild(guild.id) as g:
        sent, received = await g.open_requests_of(bob.id)
    assert sent == [] and received == []
    # The request's DM, if it reached alice, now says there's nothing to answer.
    ask_dm = (await driver.wait_for_dms(alice, count=1, interactions=False))[0]
    pressed = await driver.click(ask_dm, "Accept", user=alice)
    assert "withdrew this request" in pressed.text
    await settle(bot)
    assert not any("accepted" in dm.text for dm in bot_dms(emu, bob))
    async with bot.stores.member(bob.id) as store:
        assert [p for p, _ in await store.list_prospects()] == []
    # Withdrawing again, or someone else's request, changes nothing.
    again = await driver.select(mine, ["alice"], user=bob)
    assert "isn't waiting any more" in again.text
    async with bot.stores.guild(guild.id) as g:
        (request,) = (await g.network_marks(bob.id))["network_requests"]
        assert request["status"] == "withdrawn"
        assert await g.withdraw(request["request_id"], officer.id) is None


async def test_find_ranks_the_best_match_first(driver, bot, emu, alice, bob, officer, guild):
    await join(driver, alice, guild, 'organization:"Globex" fields:"Law"')
    await join(driver, officer, guild, 'organization:"Acme Health" fields:"Data Science"')
    found = await driver.run("/network find field:Data", user=bob, guild=guild)
    assert "officer" in found.text and "alice" not in found.text
    both = await driver.run('/network find organization:"acme helth"', user=bob, guild=guild)
    assert [o["label"] for o in both.selects[0]["options"]] == ["1. officer"]
    assert bob.name not in (await driver.run("/network find", user=bob, guild=guild)).text


# -- /mydata ----------------------------------------------------------------------------------


async def test_export_includes_the_listing_and_requests_and_delete_removes_them(
    driver, bot, emu, clock, alice, bob, guild
):
    await join(driver, alice, guild)
    await ask(driver, bob, guild, "alice")
    marks = await bot.stores.member_marks(alice.id)
    (listing,) = marks["network_listing"]
    assert listing["server_id"] == guild.id and listing["organization"] == "Acme Health"
    (request,) = marks["network_requests"]
    assert request["direction"] == "received" and "sophomore" in request["message"]
    exported = await driver.run("/mydata export", user=bob, guild=guild)
    assert "network_requests" in str(exported.files)

    await settle(bot)
    await bot.stores.delete_member(alice.id)
    async with bot.stores.guild(guild.id) as g:
        assert await g.get_listing(alice.id) is None
        assert await g.open_requests_of(bob.id) == ([], [])
    assert (await bot.stores.member_marks(bob.id))["network_requests"] == []
    # Bob's request went with her data: a week on, no lapse notice about it.
    clock.advance(days=8)
    await settle(bot)
    assert bot_dms(emu, bob) == []


# -- member text -----------------------------------------------------------------------------


async def test_member_text_in_listings_requests_and_dms_never_renders_as_links_or_mentions(
    driver, bot, emu, alice, guild
):
    eve = emu.add_user("Eve [Win](https://evil.example/win) @everyone", guild=guild)
    await join(
        driver,
        alice,
        guild,
        'role:"[Verify](https://evil.example/v) <@&123456789012345678>" '
        'organization:"@here Acme" fields:"Law, [Click](https://evil.example/c)"',
    )
    trap = "Hi [Reset password](https://evil.example/reset) <@123456789012345678> @everyone"
    await ask(driver, eve, guild, "alice", message=f"{trap}. {MESSAGE}")
    dm = await the_ask_dm(driver, bot, alice)
    await driver.run("/network requests", user=alice, guild=guild)
    await driver.click(dm, "Accept", user=alice)
    await settle(bot)
    parts = list(sent_parts(emu.requests))
    shown = "\n".join(text for _, text in parts)
    for word in ("Verify", "Click", "Reset password", "Win"):
        assert word in shown, word
    assert not [(where, text) for where, text in parts if masked_links(text)]
    assert [(where, link) for where, text in parts for link in clickable(text)] == []
    assert all(
        request.json.get("allowed_mentions") == {"parse": []}
        for request in emu.requests
        if request.method == "POST" and isinstance(request.json, dict) and "content" in request.json
    )


async def test_a_pause_until_a_day_asks_a_member_without_a_zone_for_theirs_first(
    driver, bot, emu, guild
):
    newcomer = emu.add_user("newcomer", guild=guild)
    await join(driver, newcomer, guild)
    prompt = await driver.run('/network pause until:"Dec 10"', user=newcomer, guild=guild)
    assert "Which time zone are you in?" in prompt.text
    async with bot.stores.guild(guild.id) as g:
        assert not (await g.get_listing(newcomer.id)).paused
    picked = await driver.select(prompt, ["America/New_York"], user=newcomer)
    assert "paused until" in picked.text and "(America/New_York)" in picked.text
    async with bot.stores.guild(guild.id) as g:
        listing = await g.get_listing(newcomer.id)
    # From the start of that day in New York, as /practice pause reads a day alone.
    assert listing.paused_until.isoformat() == "2026-12-10T05:00:00+00:00"


async def test_find_pages_five_at_a_time_and_asks_someone_on_a_later_page(
    driver, bot, emu, clock, alice, guild
):
    members = [emu.add_user(f"member{n}", guild=guild) for n in range(7)]
    for member in members:
        await join(driver, member, guild)
        clock.advance(minutes=1)
    found = await driver.run("/network find", user=alice, guild=guild)
    assert "Page 1 of 2" in found.text
    assert len(found.selects[0]["options"]) == 5
    turned = await driver.click(found, "Next", user=alice)
    assert "Page 2 of 2" in found.text
    labels = [o["label"] for o in found.selects[0]["options"]]
    assert labels == ["6. member5", "7. member6"]  # the longest listed come first
    assert turned.callback_type == 7  # the page is edited in place
    form = await driver.select(found, ["7. member6"], user=alice)
    sent = await driver.submit_modal(form, {"Your message (under 100 words)": MESSAGE}, user=alice)
    assert "Sent to **member6**" in sent.text
