"""/help, /settings (time zones, quiet hours) and /mydata end to end."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.support.e2e import edited_to


async def test_help_shows_the_four_steps_and_privacy(driver, alice, guild):
    reply = await driver.run("/help", user=alice, guild=guild)
    for step in ("Locate", "Make contact", "Be prepared", "thanks", "Privacy"):
        assert step in reply.text


async def test_every_command_is_synced(driver, bot):
    names = set(driver.command_names())
    assert {"help", "prospect", "settings", "mydata"} <= names


async def test_timezone_autocompletes_and_is_saved(driver, bot, alice, guild):
    choices = await driver.autocomplete("/settings timezone tz:new y", user=alice, guild=guild)
    assert choices[0]["value"] == "America/New_York"
    reply = await driver.run("/settings timezone tz:America/New_York", user=alice, guild=guild)
    assert "America/New_York" in reply.text
    async with bot.stores.member(alice.id) as store:
        assert (await store.settings()).timezone == "America/New_York"


async def test_an_unknown_timezone_is_rejected_with_suggestions(driver, bot, alice, guild):
    reply = await driver.run("/settings timezone tz:Europe/Berln", user=alice, guild=guild)
    assert reply.ephemeral
    assert "Europe/Berlin" in reply.text
    async with bot.stores.member(alice.id) as store:
        assert (await store.settings()).timezone == "UTC"


async def test_profile_and_reminders_show_up_in_settings(driver, alice, guild):
    await driver.run(
        '/settings profile name:"Alice Chen" school:"State U" interest:"health tech"',
        user=alice,
        guild=guild,
    )
    await driver.run(
        "/settings reminders quiet_start:23:00 quiet_end:7am thanks_after_hours:3",
        user=alice,
        guild=guild,
    )
    shown = await driver.run("/settings show", user=alice, guild=guild)
    for text in ("Alice Chen", "State U", "health tech", "23:00–07:00", "3 h"):
        assert text in shown.text


async def test_bad_quiet_hours_are_refused(driver, bot, alice, guild):
    reply = await driver.run("/settings reminders quiet_start:25:99", user=alice, guild=guild)
    assert reply.ephemeral
    assert "quiet_start" in reply.text
    async with bot.stores.member(alice.id) as store:
        assert (await store.settings()).quiet_start == "22:00"


async def test_export_gives_json_and_escaped_csv(driver, alice, guild):
    await driver.run(
        '/prospect add name:"=HYPERLINK(1)" organization:"+Acme"', user=alice, guild=guild
    )
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    assert reply.ephemeral
    files = dict(reply.files)
    data = json.loads(files["mydata.json"])
    assert data["prospects"][0]["name"] == "=HYPERLINK(1)"
    rows = list(csv.DictReader(io.StringIO(files["prospects.csv"].decode())))
    assert rows[0]["name"] == "'=HYPERLINK(1)"
    assert rows[0]["organization"] == "'+Acme"


async def test_delete_asks_then_removes_the_store(driver, emu, bot, alice, guild, settings):
    await driver.run('/prospect add name:"Ada"', user=alice, guild=guild)
    prompt = await driver.run("/mydata delete", user=alice, guild=guild)
    pressed = await driver.click(prompt, "Delete everything", user=alice)
    assert "Deleting everything" in pressed.text  # the press is answered at once
    await edited_to(emu, pressed, "are gone")
    assert not (settings.data_dir / "users" / f"{alice.id}.sqlite3").exists()


async def test_a_corrupt_store_is_set_aside_and_the_member_told(
    driver, bot, alice, guild, settings
):
    path = settings.data_dir / "users" / f"{alice.id}.sqlite3"
    path.write_bytes(b"definitely not a database" * 50)
    reply = await driver.run("/prospect list", user=alice, guild=guild)
    assert "set aside" in reply.text
    assert list(path.parent.glob(f"{alice.id}.sqlite3.unreadable-*"))


async def test_export_counts_read_naturally(driver, alice, guild):
    await driver.run(
        '/prospect add name:"Dana Lee" role:"Data Analyst" organization:"Mercy Health"',
        user=alice,
        guild=guild,
    )
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    assert reply.ephemeral
    assert "prospects: 1" in reply.text
    assert "1 prospects" not in reply.text


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


async def test_export_gives_plain_settings_and_keeps_bookkeeping_apart(driver, bot, alice, guild):
    await driver.run("/settings timezone tz:America/New_York", user=alice, guild=guild)
    await driver.run('/settings profile name:"Zoë Martín"', user=alice, guild=guild)
    await driver.run(
        '/prospect add name:"José García" organization:"Banco Ñ"', user=alice, guild=guild
    )
    await driver.run(
        '/meeting schedule prospect:"José García" when:"2026-12-03 07:30"', user=alice, guild=guild
    )
    async with bot.stores.member(alice.id) as store:
        await store.set_settings(dm_channel_id=424242)  # as the reminder engine records it
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    assert "bookkeeping in a separate section" in reply.text
    files = dict(reply.files)
    data = json.loads(files["mydata.json"])

    # Settings as values, not JSON inside JSON ("\"America/New_York\"").
    assert data["settings"]["timezone"] == "America/New_York"
    assert data["settings"]["profile_name"] == "Zoë Martín"
    settings = {
        row["setting"]: row["value"]
        for row in csv.DictReader(io.StringIO(files["settings.csv"].decode("utf-8-sig")))
    }
    assert settings["timezone"] == "America/New_York"

    # The engine's bookkeeping is in its own section, not among the member's data.
    assert "dm_channel_id" not in data["settings"]
    assert data["bookkeeping"]["settings"] == {"dm_channel_id": 424242}
    assert data["reminders"], "the meeting's prep and thank-you reminders"
    for reminder in data["reminders"]:
        assert not {"attempts", "last_error", "tried_at", "tried_prints"} & set(reminder)
    assert {r["id"] for r in data["bookkeeping"]["reminders"]} == {
        r["id"] for r in data["reminders"]
    }
    assert "attempts" not in files["reminders.csv"].decode("utf-8-sig")


async def test_exported_csvs_open_in_excel_with_accents_intact(driver, alice, guild):
    await driver.run(
        '/prospect add name:"José García" organization:"Société Générale"', user=alice, guild=guild
    )
    reply = await driver.run("/mydata export", user=alice, guild=guild)
    for name, data in reply.files:
        if name.endswith(".csv"):
            assert data.startswith(b"\xef\xbb\xbf"), name  # the mark Excel reads UTF-8 by
    prospects = dict(reply.files)["prospects.csv"].decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(prospects))
    assert (row["name"], row["organization"]) == ("José García", "Société Générale")
