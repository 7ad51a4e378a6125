"""A club whose nudges all fall due in the same second (the reminder burst, issue 12).

Every member's store is a copy of one made through the store API: the file the API
writes is the same for every member, and making hundreds one by one takes seconds each.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from bot.clock import Clock
from bot.reminders.delivery import DM_CHANNEL_SETTING
from bot.reminders.index import DueIndex
from bot.store import Stores
from bot.store.pool import StorePool


async def seed_due_nudges(
    data_dir: Path, clock: Clock, members: list[int], due: datetime, known: dict[int, int]
) -> int:
    """A thank-you nudge due at `due` in each member's store (no quiet hours), in the
    index too, as a running bot leaves it; `known` maps members the bot DMed before to
    their DM channel's id. Returns the nudge's id (the same in every store)."""
    with tempfile.TemporaryDirectory() as folder:
        stores = Stores(StorePool(Path(folder), clock))
        try:
            async with stores.member(1) as store:
                await store.set_settings(quiet_start="00:00", quiet_end="00:00")
                prospect = await store.add_prospect("Ada Lovelace", organization="Acme")
                async with store.transaction():
                    meeting = await store.add_meeting(prospect.id, due - timedelta(hours=3))
                    nudge = await store.add_reminder("thanks", due_at=due, meeting_id=meeting.id)
        finally:
            await stores.close()
        (data_dir / "users").mkdir(parents=True, exist_ok=True)
        for user_id in members:
            shutil.copyfile(
                Path(folder) / "users" / "1.sqlite3", data_dir / "users" / f"{user_id}.sqlite3"
            )
    stores = Stores(StorePool(data_dir, clock))
    try:
        for user_id, channel_id in known.items():
            async with stores.member(user_id, create=False) as store:
                await store.set_settings(**{DM_CHANNEL_SETTING: channel_id})
    finally:
        await stores.close()
    index = DueIndex(data_dir)
    await index.open()
    try:
        for user_id in members:
            await index.put(user_id, [(nudge, due)])
    finally:
        await index.close()
    return nudge
