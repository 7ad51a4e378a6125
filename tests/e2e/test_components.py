"""Every kind of component has one owner check and one error path.

A view's button, a select, a modal's submit and a persistent (DynamicItem) button are
each pressed by a member they don't belong to, and each pressed by their owner with a
failure injected behind them. The answer is always ephemeral — a refusal, or "Something
went wrong… nothing was changed" with the traceback in the log — and nothing changes.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from bot.emulator.driver import Reply
from bot.store import GuildStore, MemberStore
from bot.ui.views import Paginator

WENT_WRONG = "Something went wrong on our side and nothing was changed"
INJECTED = "injected failure"


def boom(*args: Any, **kwargs: Any) -> Any:
    """A dependency that fails the way a bug would."""
    raise RuntimeError(INJECTED)


async def forged_press(emu, message, custom_id: str, *, user, guild=None, values=None) -> Reply:
    """A press `user`'s client forges on `message`, which Discord would not show them
    (another member's ephemeral reply): the driver refuses to click what a member can't
    see, so this builds the interaction a modified client could send."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
    if values is not None:
        data |= {"component_type": 3, "values": values}
    record = emu.new_interaction(
        type=3, user=user, data=data, guild=guild, channel_id=message.channel_id, message=message
    )
    await emu.send_interaction(record)
    await emu.wait_for(lambda: record.settled or record.rejections, 10)
    assert not record.rejections, record.rejections
    return Reply(emu, record)


def went_wrong(reply: Reply, caplog) -> None:
    """The central handler's answer to a bug: ephemeral, generic, with the traceback logged."""
    assert reply.ephemeral
    assert WENT_WRONG in reply.text, reply.text
    assert INJECTED not in reply.text  # the member never sees the exception itself
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert any(INJECTED in str(r.exc_info[1]) for r in logged), caplog.text


async def prospect_names(bot, user) -> list[str]:
    async with bot.stores.member(user.id) as store:
        return [p.name for p, _ in await store.list_prospects()]


async def the_meeting(bot, user):
    async with bot.stores.member(user.id) as store:
        ((meeting, _),) = await store.list_meetings("all")
    return meeting


async def add_prospects(driver, user, guild, *names: str) -> None:
    for name in names:
        reply = await driver.run(
            f'/prospect add name:"{name}" organization:"Mercy Health"', user=user, guild=guild
        )
        assert "Added" in reply.text, reply.text


async def nudge_dm(driver, user, guild):
    """A meeting logged three hours ago: its thank-you nudge comes at once."""
    await add_prospects(driver, user, guild, "Ada Lovelace")
    await driver.run(
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"', user=user, guild=guild
    )
    (dm,) = await driver.wait_for_dms(user, count=1, interactions=False)
    return dm


async def day_three_dm(driver, user, guild):
    """A request sent on Tuesday: its day-3 checkpoint (Friday) has passed, so it comes now."""
    await add_prospects(driver, user, guild, "Dana Lee")
    await driver.run(
        '/outreach sent prospect:"Dana Lee" when:"Tuesday 9am"', user=user, guild=guild
    )
    (dm,) = await driver.wait_for_dms(user, count=1, interactions=False)
    assert dm.buttons, dm.content
    return dm


async def prep_sheet(driver, bot, user, guild):
    await add_prospects(driver, user, guild, "Ada Lovelace")
    await driver.run(
        '/meeting schedule prospect:"Ada Lovelace" when:"2026-12-03 07:30"', user=user, guild=guild
    )
    sheet = await driver.run('/meeting prep meeting:"Ada Lovelace"', user=user, guild=guild)
    assert sheet.selects, sheet.text
    meeting = await the_meeting(bot, user)
    async with bot.stores.member(user.id) as store:
        questions = await store.meeting_questions(meeting.id)
    return sheet, meeting, questions


# -- a view's button (the owner's confirm prompt and paginator) ---------------------------


async def test_a_forged_press_on_someone_elses_confirm_prompt_is_refused(
    driver, bot, emu, alice, bob, guild
):
    await add_prospects(driver, alice, guild, "Ada Lovelace")
    prompt = await driver.run('/prospect remove prospect:"Ada Lovelace"', user=alice, guild=guild)
    remove = next(b for b in prompt.buttons if b["label"] == "Remove")
    refused = await forged_press(emu, prompt.message, remove["custom_id"], user=bob, guild=guild)
    assert refused.ephemeral
    assert "someone else's" in refused.text, refused.text
    assert await prospect_names(bot, alice) == ["Ada Lovelace"]
    # The prompt is still Alice's to answer.
    kept = await driver.click(prompt, "Cancel", user=alice)
    assert "Ada Lovelace stays" in kept.text
    assert await prospect_names(bot, alice) == ["Ada Lovelace"]


async def test_a_failing_view_button_answers_and_leaves_the_page(
    driver, bot, emu, alice, guild, monkeypatch, caplog
):
    await add_prospects(driver, alice, guild, *(f"Person {n}" for n in range(1, 13)))
    listed = await driver.run("/prospect list", user=alice, guild=guild)
    first_page = listed.embeds[0]["description"]
    monkeypatch.setattr(Paginator, "_show_page_buttons", boom)
    reply = await driver.click(listed, "Next", user=alice)
    went_wrong(reply, caplog)
    assert emu.messages[listed.message.id].embeds[0]["description"] == first_page


# -- a select (the prep sheet's questions) ------------------------------------------------


async def test_a_forged_pick_on_someone_elses_prep_select_is_refused(
    driver, bot, emu, alice, bob, guild
):
    sheet, meeting, before = await prep_sheet(driver, bot, alice, guild)
    menu = sheet.selects[0]
    pick = [menu["options"][-1]["value"]]
    refused = await forged_press(
        emu, sheet.message, menu["custom_id"], user=bob, guild=guild, values=pick
    )
    assert refused.ephemeral
    assert "belongs to someone else" in refused.text, refused.text
    async with bot.stores.member(alice.id) as store:
        assert await store.meeting_questions(meeting.id) == before


async def test_a_failing_select_answers_and_keeps_the_questions(
    driver, bot, alice, guild, monkeypatch, caplog
):
    sheet, meeting, before = await prep_sheet(driver, bot, alice, guild)
    monkeypatch.setattr(MemberStore, "set_meeting_questions", boom)
    pick = [sheet.selects[0]["options"][-1]["value"]]
    reply = await driver.select(sheet, pick, user=alice)
    went_wrong(reply, caplog)
    monkeypatch.undo()
    async with bot.stores.member(alice.id) as store:
        assert await store.meeting_questions(meeting.id) == before


# -- a modal's submit (a second person at the organization) ----------------------------


async def test_someone_elses_form_cannot_be_submitted(driver, bot, alice, bob, guild):
    dm = await day_three_dm(driver, alice, guild)
    opened = await driver.click(dm, dm.buttons[0]["label"], user=alice)
    assert opened.modal is not None
    refused = await driver.submit_modal(opened, {"Their name": "Grace Kim"}, user=bob)
    assert refused.ephemeral
    assert "belongs to someone else" in refused.text, refused.text
    assert await prospect_names(bot, alice) == ["Dana Lee"]
    assert await prospect_names(bot, bob) == []
    # Alice's own form still works.
    done = await driver.submit_modal(opened, {"Their name": "Grace Kim"}, user=alice)
    assert "Added **Grace Kim**" in done.text
    assert sorted(await prospect_names(bot, alice)) == ["Dana Lee", "Grace Kim"]


async def test_a_failing_form_answers_and_adds_nobody(
    driver, bot, alice, guild, monkeypatch, caplog
):
    dm = await day_three_dm(driver, alice, guild)
    opened = await driver.click(dm, dm.buttons[0]["label"], user=alice)
    monkeypatch.setattr(MemberStore, "add_prospect", boom)
    reply = await driver.submit_modal(opened, {"Their name": "Grace Kim"}, user=alice)
    went_wrong(reply, caplog)
    monkeypatch.undo()
    assert await prospect_names(bot, alice) == ["Dana Lee"]


async def test_a_refused_form_says_why(driver, bot, alice, guild):
    dm = await day_three_dm(driver, alice, guild)
    opened = await driver.click(dm, dm.buttons[0]["label"], user=alice)
    reply = await driver.submit_modal(opened, {"Their name": "-"}, user=alice)
    assert reply.ephemeral
    assert "needs a name" in reply.text, reply.text
    assert await prospect_names(bot, alice) == ["Dana Lee"]


# -- persistent buttons (DM reminders, the shared bank) -----------------------------------


async def test_a_forged_day_three_button_of_another_member_is_refused(
    driver, bot, emu, alice, bob, guild
):
    dm = await day_three_dm(driver, alice, guild)
    forged = emu.inject_message(emu.dm_channel(bob).id, content="forged", components=dm.components)
    refused = await driver.click(forged, dm.buttons[0]["label"], user=bob)
    assert refused.ephemeral
    assert refused.modal is None
    assert "someone else's" in refused.text, refused.text
    assert await prospect_names(bot, bob) == []


@pytest.mark.parametrize("label", ["Sent it", "Skip", "Remind me tomorrow"])
async def test_a_failing_nudge_button_answers_and_changes_nothing(
    driver, bot, emu, alice, guild, monkeypatch, caplog, label
):
    dm = await nudge_dm(driver, alice, guild)
    # Each button fails at its last step: the transaction that would record it.
    monkeypatch.setattr(MemberStore, "cancel_reminders", boom)
    reply = await driver.click(dm, label, user=alice)
    went_wrong(reply, caplog)
    monkeypatch.undo()
    meeting = await the_meeting(bot, alice)
    assert meeting.thanked_at is None and not meeting.thanks_skipped
    assert [b["label"] for b in emu.messages[dm.id].buttons][:1] == ["Sent it"]
    # Nothing half-done: pressed again once the fault is gone, it works.
    again = await driver.click(dm, "Sent it", user=alice)
    assert "as sent" in again.text, again.text


async def test_a_failing_day_three_button_answers_without_a_form(
    driver, bot, alice, guild, monkeypatch, caplog
):
    dm = await day_three_dm(driver, alice, guild)
    monkeypatch.setattr(MemberStore, "get_outreach", boom)
    reply = await driver.click(dm, dm.buttons[0]["label"], user=alice)
    went_wrong(reply, caplog)
    assert reply.modal is None


async def test_a_failing_vote_button_answers_and_counts_no_vote(
    driver, bot, emu, alice, guild, monkeypatch, caplog
):
    listed = await driver.run("/questions list", user=alice, guild=guild)
    before = listed.embeds[0]["description"]
    monkeypatch.setattr(GuildStore, "toggle_vote", boom)
    reply = await driver.click(listed, "▲ 1", user=alice)
    went_wrong(reply, caplog)
    monkeypatch.undo()
    assert emu.messages[listed.message.id].embeds[0]["description"] == before
    async with bot.stores.guild(guild.id) as store:
        assert all(q.votes == 0 for q in await store.list_questions())


def subclasses(cls: type) -> set[type]:
    """Every subclass of `cls`, however deep."""
    found = set(cls.__subclasses__())
    return found.union(*(subclasses(sub) for sub in found))


async def test_every_persistent_item_is_registered_so_a_press_finds_it(bot):
    # A PersistentView is never listened to (bot.ui.components): a press reaches its
    # item only through the pattern the item's cog registered with add_dynamic_items.
    # discord.py keeps those patterns in its view store, which has no public listing.
    from bot.ui.components import GuardedItem

    # The cogs as this bot loaded them (an earlier test's bot loaded its own copies).
    items = {
        cls
        for cls in subclasses(GuardedItem)
        if cls.__module__.startswith("cogs.")
        and getattr(sys.modules.get(cls.__module__), cls.__name__, None) is cls
    }
    assert items, "the cogs define persistent items"
    registered = set(bot._connection._view_store._dynamic_items.values())
    assert items <= registered, f"not registered: {sorted(c.__name__ for c in items - registered)}"
