"""Per-member and per-server SQLite stores: the only place SQL lives."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NamedTuple

from bot.store.guild import GuildStore
from bot.store.member import MemberStore
from bot.store.outbox import PROSPECT, Post
from bot.store.pool import PoolClosedError, StoreMissingError, StorePool
from bot.store.reminders import ReminderTimer

__all__ = [
    "PROSPECT",
    "GuildStore",
    "MemberStore",
    "PendingDeletion",
    "PoolClosedError",
    "Post",
    "ReminderTimer",
    "StoreMissingError",
    "StorePool",
    "Stores",
]


log = logging.getLogger(__name__)

# Where a /mydata delete under way is recorded (DATA_DIR/deleting/<id>.json), so one cut
# short by a crash is finished at the next start.
DELETING = "deleting"


class PendingDeletion(NamedTuple):
    """A /mydata delete that was started and not finished: whose, and the note its
    caller left (how to tell the member it's done; never anything the member wrote)."""

    user_id: int
    note: dict[str, Any]


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only the bot's user can read, durably (written, then renamed in)."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)
    _sync_folder(path.parent)


def _remove_durably(path: Path) -> None:
    path.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Stores:
    """The bot's entry point to storage: `async with stores.member(user_id) as m:`.

    `timer` (the reminder engine, once started) is handed every reminder row a member's
    unit of work creates, moves or ends; see MemberStore.
    """

    def __init__(self, pool: StorePool, timer: ReminderTimer | None = None) -> None:
        self.pool = pool
        self.timer = timer
        # Members with a one-line notice waiting (closed DMs, a store set aside), so a
        # command opens a member's store for notices only when there is one to show.
        # Filled as notices are added; the reminder engine's consistency pass adds those
        # from before a restart.
        self.notices_waiting: set[int] = set()

    @asynccontextmanager
    async def member(self, user_id: int, *, create: bool = True) -> AsyncIterator[MemberStore]:
        """One member's store, held exclusively for the block. With `create=False` (the
        reminder engine's background work) a member without a store raises
        StoreMissingError instead of getting an empty one."""
        async with self.pool.connection("users", user_id, create=create) as conn:
            store = MemberStore(
                conn,
                user_id,
                self.pool.clock,
                timer=self.timer,
                touched=self.pool.touched_reminders(user_id),
                on_notice=self.notices_waiting.add,
            )
            try:
                yield store
            finally:
                await store.settle_leftovers()

    @asynccontextmanager
    async def guild(self, guild_id: int) -> AsyncIterator[GuildStore]:
        """One server's shared store, held exclusively for the block."""
        async with self.pool.connection("guilds", guild_id) as conn:
            yield GuildStore(conn, guild_id, self.pool.clock)

    def moved_aside(self, user_id: int) -> Path | None:
        """Where a member's unreadable store was set aside, if it was and they weren't
        told yet (see StorePool.take_moved_aside)."""
        return self.pool.take_moved_aside("users", user_id)

    async def delete_member(self, user_id: int, *, note: Mapping[str, Any] | None = None) -> bool:
        """Remove everything kept about a member: their timers, their marks in every
        server's store (votes, authorship), then their own store with any copy of it set
        aside. True if they had one.

        A marker (DATA_DIR/deleting/<id>.json, holding `note`) is written first and
        removed last, and the member's own store goes last: a delete cut short (a crash,
        SIGKILL) is listed by `pending_deletions` at the next start and run again.
        Run again for a pending deletion, it keeps the marker's note.
        """
        marker = self._deletion_marker(user_id)
        if not marker.exists():
            await asyncio.to_thread(_write_private, marker, json.dumps(dict(note or {})).encode())
        if self.timer is not None:
            await self.timer.forget_member(user_id)
        for guild_id in await asyncio.to_thread(self.pool.ids, "guilds"):
            async with self.guild(guild_id) as guild_store:
                await guild_store.forget_member(user_id)
        self.notices_waiting.discard(user_id)
        existed = await self.pool.delete("users", user_id)
        if self.timer is not None:
            # Again: the reminder engine's consistency pass may have re-armed one from the
            # store while it was still there; with the store gone, nothing can re-arm it.
            await self.timer.forget_member(user_id)
        await asyncio.to_thread(_remove_durably, marker)
        return existed

    def pending_deletions(self) -> list[PendingDeletion]:
        """The /mydata deletes started and not finished (cut short by a crash)."""
        pending: dict[int, dict[str, Any]] = {}
        # A marker cut short while being written (<id>.json.partial) still means the
        # member asked: their deletion goes on, without the note.
        for marker in sorted((self.pool.data_dir / DELETING).glob("*.json*")):
            user_id = marker.name.split(".", 1)[0]
            if not user_id.isdigit():
                continue
            try:
                note = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                note = None
            found = pending.setdefault(int(user_id), {})
            if isinstance(note, dict) and marker.suffix == ".json":
                found.update(note)
        return [PendingDeletion(user_id, note) for user_id, note in pending.items()]

    def _deletion_marker(self, user_id: int) -> Path:
        return self.pool.data_dir / DELETING / f"{int(user_id)}.json"

    async def member_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """A member's questions and votes in every server's bank, each with the server's
        id (for /mydata export: what `delete_member` removes from them)."""
        marks: dict[str, list[dict[str, Any]]] = {"questions_added": [], "question_votes": []}
        for guild_id in await asyncio.to_thread(self.pool.ids, "guilds"):
            async with self.guild(guild_id) as guild_store:
                found = await guild_store.member_marks(user_id)
            for table, rows in found.items():
                marks.setdefault(table, []).extend({"server_id": guild_id, **row} for row in rows)
        return marks

    async def hand_over(self, guild_id: int) -> int:
        """Hand what a server's outbox owes members over to their own stores (see
        bot/store/outbox.py); returns how many posts arrived now. Call it after any
        transaction that posted, and at start-up for every server.

        It never fails its caller, whose own work is already committed: a post whose
        member's store can't take it now (locked, damaged, shutting down) stays in the
        outbox, logged, for the next hand-over of this server, the reminder engine's
        periodic pass, or the next start."""
        async with self.guild(guild_id) as guild_store:
            posts = await guild_store.posts()
        if not posts:
            return 0
        arrived = 0
        taken: list[int] = []
        for post in posts:
            if self._deletion_marker(post.user_id).exists():
                continue  # their /mydata delete is under way: it forgets this post too
            try:
                async with self.member(post.user_id) as store:
                    arrived += await store.receive(post)
            except Exception as error:
                log.warning(
                    "outbox: server %s's post %s to member %s waits for a later hand-over (%s)",
                    guild_id,
                    post.id,
                    post.user_id,
                    type(error).__name__,
                )
                continue
            taken.append(post.id)
        try:
            async with self.guild(guild_id) as guild_store:
                await guild_store.handed_over(taken)
        except Exception as error:
            # The members' stores have them: handed over again later, they are ignored.
            log.warning("outbox: server %s kept posts already handed over (%s)", guild_id, error)
        return arrived

    async def hand_over_all(self) -> int:
        """At start-up and periodically: whatever any server's outbox still holds (a
        crash came between a post and its hand-over, or a member's store couldn't take
        it then) reaches its members; returns how many posts arrived."""
        arrived = 0
        for guild_id in await asyncio.to_thread(self.pool.ids, "guilds"):
            async with self.guild(guild_id) as guild_store:
                waiting = await guild_store.has_posts()
            if waiting:
                arrived += await self.hand_over(guild_id)
        return arrived

    async def close(self) -> None:
        """Close every connection."""
        await self.pool.close()
