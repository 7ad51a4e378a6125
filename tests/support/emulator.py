"""What the emulator's own tests share: the little world their fixtures build."""

from __future__ import annotations

from dataclasses import dataclass

from bot.emulator import Guild, User


@dataclass
class World:
    """The club server and its two members (`maria` may manage the server)."""

    guild: Guild
    alice: User
    maria: User
