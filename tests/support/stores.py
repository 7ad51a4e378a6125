"""Stores as an older version of the bot left them, to test a migration forward."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.domain.names import comparable_name
from bot.store.pool import _migrations


def member_store_at(data_dir: Path, user_id: int, version: int) -> sqlite3.Connection:
    """A member's store file at schema `version` (migrations up to it run, user_version
    set), open to be filled before the bot opens it; `with` it to commit."""
    users = data_dir / "users"
    users.mkdir(mode=0o700, exist_ok=True)
    conn = sqlite3.connect(users / f"{user_id}.sqlite3")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.create_function("comparable_name", 1, comparable_name, deterministic=True)  # (7)
    for number, sql in _migrations("users"):
        if number <= version:
            conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn
