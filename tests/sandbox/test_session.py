"""The sandbox in this process: files attached with `file:@path`, `click` aimed at the
latest message with that button, times in the acting member's zone, `reset`, and Tab
completion of paths. The real bot runs against the emulator on 127.0.0.1, on the real
clock; lines run as a piped script runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sandbox import SANDBOX_FOLDER, app
from bot.sandbox.app import HISTORY_FILE, run_lines, started, wipe
from bot.sandbox.completion import suggest
from bot.sandbox.session import PlainOutput

CONNECTIONS = Path(__file__).resolve().parents[1] / "data" / "Connections.csv"


class Sandbox:
    """A running sandbox session, what it printed, and the answers its questions get."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.printed: list[str] = []
        self.answers: list[str] = []
        self.session = None

    async def ask(self, prompt: str, _default: str | None) -> str | None:
        self.printed.append(prompt)
        return self.answers.pop(0) if self.answers else None

    async def run(self, *lines: str) -> str:
        """Run lines as a script does; what they printed."""
        start = len(self.printed)
        await run_lines(self.session, list(lines))
        return "\n".join(self.printed[start:])


@pytest.fixture
async def sandbox(tmp_path, monkeypatch):
    """The sandbox started in a temporary folder (its log left to pytest)."""
    monkeypatch.setattr(app, "configure_logging", lambda folder, level: folder / "log")
    box = Sandbox(tmp_path / SANDBOX_FOLDER)
    async with started(
        box.folder, lambda ctx: PlainOutput(ctx, box.printed.append), ask=box.ask
    ) as session:
        box.session = session
        await box.run("/settings timezone tz:UTC")
        yield box


async def test_a_file_named_with_at_is_attached(sandbox):
    out = await sandbox.run(f"/prospect import file:@{CONNECTIONS}")
    assert "Imported your LinkedIn connections" in out
    assert "added" in out
    assert "attachments=" not in out


async def test_a_missing_file_is_explained_in_the_members_words(sandbox, tmp_path):
    out = await sandbox.run(f"/prospect import file:@{tmp_path}/nope.csv")
    assert f"file: there is no file {tmp_path}/nope.csv" in out
    assert "file:@Downloads/Connections.csv" in out  # an example that works
    assert "attachments=" not in out


async def test_click_after_a_failed_command_acts_on_the_latest_message_with_that_button(
    sandbox,
):
    await sandbox.run(
        "/settings reminders quiet_start:00:00 quiet_end:00:00",
        '/prospect add name:"Ada Lovelace"',
        '/prospect add name:"Grace Hopper"',
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago" takeaways:"SQL"',
        "wait 10",
        '/prospect remove prospect:"Grace Hopper"',
    )
    # A command that fails shows no buttons: `click` goes to the latest message that has
    # the button asked for, and says which.
    out = await sandbox.run("/prospect remove prospect:Nobody", "click Cancel")
    assert "on #2, the latest message with a 'Cancel' button" in out
    assert "Grace Hopper stays" in out
    # The confirmation has no buttons now; "Sent it" is on the thank-you DM (#1).
    out = await sandbox.run("click 1")
    assert "on #1, the latest message with a button 1" in out
    assert "as sent" in out


async def test_times_show_in_the_acting_members_zone_and_say_so(sandbox):
    out = await sandbox.run("/settings timezone tz:Asia/Tokyo")
    assert "Times show in Asia/Tokyo, the time zone 'you' chose (/settings timezone)" in out
    out = await sandbox.run(
        '/prospect add name:"Ada Lovelace"',
        '/meeting log prospect:"Ada Lovelace" when:"3 hours ago"',
    )
    assert " JST (3 hours ago)" in out
    assert "Times show" not in out  # said once, when the zone changed
    out = await sandbox.run("as officer")
    assert "Times show in this machine's zone" in out
    assert "'officer' has chosen none with /settings timezone yet" in out


async def test_reset_asks_and_only_yes_deletes(sandbox):
    await sandbox.run('/prospect add name:"Ada Lovelace"')
    sandbox.answers = ["no"]
    out = await sandbox.run("reset")
    assert "Type yes to confirm" in out
    assert "Nothing was deleted." in out
    assert not sandbox.session.reset_requested
    sandbox.answers = ["yes"]
    out = await sandbox.run("reset", "/prospect list")
    assert sandbox.session.reset_requested
    assert "/prospect list" not in out  # this session ends; the runner wipes and restarts


def test_wipe_empties_the_sandbox_folder_but_keeps_the_history(tmp_path):
    folder = tmp_path / SANDBOX_FOLDER
    (folder / "users").mkdir(parents=True)
    (folder / "users" / "1.sqlite3").write_bytes(b"store")
    (folder / "world.json").write_text("{}")
    (folder / HISTORY_FILE).write_text("/help\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "link").symlink_to(outside)
    wipe(folder)
    assert sorted(p.name for p in folder.iterdir()) == [HISTORY_FILE]
    assert outside.is_dir()  # a link's target is never followed


def test_wipe_refuses_any_other_folder(tmp_path):
    (tmp_path / "users").mkdir()
    with pytest.raises(ValueError, match="not the sandbox's folder"):
        wipe(tmp_path)
    assert (tmp_path / "users").is_dir()


async def test_tab_completes_the_path_of_a_file_to_attach(sandbox, tmp_path):
    (tmp_path / "Connections.csv").write_text("First Name\n")
    (tmp_path / "exports").mkdir()
    found = await suggest(sandbox.session, f"/prospect import file:@{tmp_path}/Co")
    assert [s.text for s in found] == [f"@{tmp_path}/Connections.csv "]
    found = await suggest(sandbox.session, f"/prospect import file:@{tmp_path}/ex")
    assert [s.display for s in found] == ["exports/"]


async def test_a_zone_picked_from_the_bots_question_is_used_at_once(sandbox):
    out = await sandbox.run(
        "as grace",
        '/prospect add name:"Ada Lovelace"',
        '/meeting schedule prospect:"Ada Lovelace" when:"tomorrow 3pm"',
    )
    options = out.split("select (", 1)[1]
    tokyo = options.split("] Asia/Tokyo", 1)[0].rsplit("[", 1)[1]
    out = await sandbox.run(f"select {tokyo}")
    assert "Meeting scheduled" in out
    assert " 15:00 JST" in out  # the answer to the pick reads in the zone just picked
    assert "Times show in Asia/Tokyo, the time zone 'grace' chose" in out
