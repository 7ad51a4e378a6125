"""The sandbox's server and members, with the same ids on every run.

Member stores are keyed by Discord user id, so a member who is "you" today must be the
same id tomorrow or their prospects would seem to vanish. The ids live in `world.json`
in the sandbox folder; the emulator is told to use them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.emulator.models import User
from bot.emulator.server import Emulator

log = logging.getLogger(__name__)

WORLD_FILE = "world.json"
SERVER_NAME = "Sandbox Club"
DEFAULT_MEMBER = "you"
OFFICER = "officer"


@dataclass
class MemberRecord:
    """A sandbox member as saved in world.json."""

    name: str
    id: int
    manage_guild: bool = False


class World:
    """The sandbox server and its members; new members are saved as they appear."""

    def __init__(self, emu: Emulator, folder: Path) -> None:
        self.emu = emu
        self.path = folder / WORLD_FILE
        saved = self._read()
        guild_id = saved.get("guild_id")
        self.guild = emu.add_guild(SERVER_NAME, guild_id=int(guild_id) if guild_id else None)
        self.members: dict[str, User] = {}
        self._records: list[MemberRecord] = []
        records = [MemberRecord(**m) for m in saved.get("members", [])]
        defaults = [(DEFAULT_MEMBER, False), (OFFICER, True)]
        for name, manage in defaults:
            if not any(r.name.lower() == name for r in records):
                records.append(MemberRecord(name, emu.snowflakes.next(), manage))
        for record in records:
            self._add(record)
        self._write()

    def _read(self) -> dict:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError) as error:
            log.warning("sandbox: %s unreadable (%s); starting a new world", self.path, error)
            return {}

    def _write(self) -> None:
        data = {
            "guild_id": self.guild.id,
            "members": [vars(record) for record in self._records],
        }
        self.path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")

    def _add(self, record: MemberRecord) -> User:
        user = self.emu.add_user(
            record.name, user_id=record.id, guild=self.guild, manage_guild=record.manage_guild
        )
        self.members[record.name.lower()] = user
        self._records.append(record)
        return user

    def find(self, name: str) -> User | None:
        """The member called `name` (any case), if they exist."""
        return self.members.get(name.lower())

    def member(self, name: str) -> User:
        """The member called `name`, created (and saved) on first use."""
        user = self.find(name)
        if user is None:
            user = self._add(MemberRecord(name, self.emu.snowflakes.next()))
            self._write()
        return user

    @property
    def names(self) -> list[str]:
        """Every member's name, in the order they joined."""
        return [user.name for user in self.members.values()]
