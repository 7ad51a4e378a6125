"""Files the bot creates are private from creation; the log never holds members' text."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys

from bot.config import Config, setup_logging


def test_every_file_the_bot_creates_is_private(tmp_path):
    data_dir = tmp_path / "data"
    env = {**os.environ, "DATA_DIR": str(data_dir), "DISCORD_TOKEN": ""}
    script = '/prospect add name:"Ada Lovelace" notes:"met at the alumni dinner"\n/prospect list\n'
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        input=script,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = [data_dir, *data_dir.rglob("*")]
    assert any(p.name.endswith(".sqlite3") for p in found)
    for path in found:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_sqlite_statements_are_never_logged_even_at_debug():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging(Config(log_level="DEBUG"))
        assert not logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG)
        assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        logging.getLogger("aiosqlite").setLevel(logging.NOTSET)
