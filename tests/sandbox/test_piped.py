"""`python -m bot --sandbox` fed by a pipe: one command a line, plain-text replies, exit 0.

Each test runs the real program as a subprocess, as `printf … | make run` would; the bot
talks only to the emulator on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def run(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


SESSION = """\
/settings timezone tz:UTC
/settings reminders quiet_start:00:00 quiet_end:00:00
/prospect add name:"Ada Lovelace" stage:established organization:"Engines Ltd"
/prospect add nme:oops
/meeting log prospect:"Ada Lovelace" when:"3 hours ago" takeaways:"SQL beats dashboards"
click 1
/progress
as officer
/club stats
"""


def test_a_piped_session_runs_commands_a_button_and_a_dm(tmp_path):
    result = run(["-m", "bot", "--sandbox"], tmp_path, SESSION)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("Local sandbox"), out[:200]
    assert "DISCORD_TOKEN" in out.splitlines()[0]
    # Commands, echoed, with their replies marked ephemeral.
    assert '\nyou @ Sandbox Club › /prospect add name:"Ada Lovelace"' in out
    assert "only you can see this" in out
    assert "Added Ada Lovelace" in out
    # A line Discord's client would refuse gets a short explanation, not a traceback.
    assert "has no option 'nme'" in out
    # The thank-you nudge arrives as a DM with numbered buttons; `click 1` presses Sent it.
    assert "DM to you from Interview Bot · #1:" in out
    assert "[1] Sent it" in out
    assert "as sent" in out.split("click 1", 1)[1]
    assert "thanked" in out.split("/progress", 1)[1]
    # Another member, with Manage Server.
    assert "You are now officer" in out
    assert "officer @ Sandbox Club › /club stats" in out
    # Plain text: no colours, no markdown, no raw Discord timestamps, no log lines.
    assert "\x1b[" not in out
    assert "**" not in out
    assert "-# " not in out
    assert "<t:" not in out
    assert "Traceback" not in out + result.stderr
    assert "discord." not in out
    # Its data is in its own folder, apart from real members' stores.
    assert (tmp_path / "sandbox" / "users").is_dir()
    assert not (tmp_path / "users").exists()
    assert (tmp_path / "sandbox" / "sandbox.log").read_text()


def test_members_keep_their_data_across_runs(tmp_path):
    run(["-m", "bot", "--sandbox"], tmp_path, '/prospect add name:"Grace Hopper"\n')
    result = run(["-m", "bot", "--sandbox"], tmp_path, "/prospect list\n")
    assert result.returncode == 0, result.stderr
    assert "Grace Hopper" in result.stdout


def test_the_demo_runs_through_the_four_steps(tmp_path):
    data_dir = tmp_path / "data"
    result = run(["-m", "bot.sandbox.demo"], data_dir)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    for step in ("Step 1", "Step 2", "Step 3", "Step 4", "End of the demo"):
        assert step in out, step
    for command in ("/settings timezone", "/prospect add", "/outreach check", "/progress"):
        assert f"› {command}" in out, command
    assert "Traceback" not in out + result.stderr
    assert not data_dir.exists()  # the demo never touches real data


def test_the_demo_shows_a_network_request_accepted_and_a_practice_round(tmp_path):
    """Issue 15: the demo plays both sides (`as Maya`), fills in the request's form, and
    ends with the introduced person scheduled and a practice pair introduced."""
    result = run(["-m", "bot.sandbox.demo"], tmp_path / "data")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "skipped" not in out  # every network and practice command is in the build
    assert "accepted your request for a conversation" in out
    assert "Meeting scheduled with Maya" in out
    assert "Practice round in Sandbox Club" in out


def test_a_piped_script_attaches_a_file_and_resets_after_a_yes(tmp_path):
    connections = Path(__file__).resolve().parents[1] / "data" / "Connections.csv"
    script = (
        "/settings timezone tz:UTC\n"
        f"/prospect import file:@{connections}\n"
        "reset\n"
        "yes\n"
        "/prospect list\n"
    )
    result = run(["-m", "bot", "--sandbox"], tmp_path, script)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Imported your LinkedIn connections" in out
    assert "Type yes to confirm: yes" in out
    assert "Deleted the sandbox's data" in out
    after = out.split("starting afresh", 1)[1]
    assert "No prospects yet" in after
    assert "Ready:" in after  # the bot started again, on an empty folder
