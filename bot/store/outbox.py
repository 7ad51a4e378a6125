"""What a server owes its members (the club network), and how it reaches their stores.

A server's store can't time a DM: each member's own store is the truth for what is due
(bot/store/member.py), and the reminder engine times and delivers from there. So what a
server's network or practice round owes a member is first written to the server's
`outbox`, in the same transaction as its cause (a request, an answer, a round), then
handed over (`Stores.hand_over`) to the member's store as a reminder row, or for an
accepted request as a new prospect, and only then deleted from the outbox.

Handed over exactly once: each post carries an `origin` naming its cause (the server,
what happened, who), kept unique in the member's store; a post handed over twice (a
crash after the member's store took it and before the outbox forgot it) is recognised
and ignored the second time. Whatever is still in an outbox at start-up is handed over
then.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from bot.domain.models import REMINDER_KINDS, ReminderKind
from bot.store.base import StoreBase, dt, ts

# An outbox post that becomes a prospect in the member's store, not a reminder.
PROSPECT = "prospect"


class Post(NamedTuple):
    """One thing a server owes a member: a reminder (`kind`, about `subject`, due at
    `due_at`) or, when `kind` is PROSPECT, a new prospect with `payload`'s fields."""

    id: int
    server_id: int
    user_id: int
    kind: str
    subject: int
    step: int
    due_at: datetime
    origin: str
    payload: Mapping[str, Any] | None


class OutboxMixin(StoreBase):
    """A server's outbox: posts written with their cause, until handed over."""

    async def post(
        self,
        user_id: int,
        kind: str,
        subject: int,
        *,
        due_at: datetime,
        origin: str,
        step: int = 0,
        payload: Mapping[str, Any] | None = None,
    ) -> None:
        """Owe `user_id` a reminder of `kind` about `subject` (a request's or a pair's
        id), or a prospect (kind PROSPECT, its fields in `payload`). Joins the caller's
        transaction. `origin` names the cause, unique within this server: posting the
        same origin again is ignored."""
        if kind != PROSPECT and kind not in REMINDER_KINDS:
            raise ValueError(f"unknown post kind {kind!r}")
        if kind == PROSPECT and not payload:
            raise ValueError("a prospect post carries the prospect's fields")
        await self.execute(
            "INSERT INTO outbox (user_id, kind, subject, step, due_at, origin, payload, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING",
            (
                user_id,
                kind,
                subject,
                step,
                ts(due_at),
                f"{self.key}:{origin}",
                None if payload is None else json.dumps(dict(payload), ensure_ascii=False),
                ts(self.now()),
            ),
        )

    async def posts(self) -> list[Post]:
        """Everything not yet handed over, oldest first."""
        rows = await self.fetchall("SELECT * FROM outbox ORDER BY id")
        return [
            Post(
                id=row["id"],
                server_id=self.key,
                user_id=row["user_id"],
                kind=row["kind"],
                subject=row["subject"],
                step=row["step"],
                due_at=dt(row["due_at"]),
                origin=row["origin"],
                payload=None if row["payload"] is None else json.loads(row["payload"]),
            )
            for row in rows
        ]

    async def has_posts(self) -> bool:
        """Whether anything waits to be handed over."""
        return await self.fetchone("SELECT 1 FROM outbox LIMIT 1") is not None

    async def handed_over(self, post_ids: Collection[int]) -> None:
        """Forget posts the members' stores have taken."""
        if not post_ids:
            return
        async with self.transaction():
            await self.executemany("DELETE FROM outbox WHERE id = ?", [(i,) for i in post_ids])

    async def forget_posts_to(self, user_id: int) -> None:
        """Drop what this server still owes a member (they deleted their data)."""
        async with self.transaction():
            await self.execute("DELETE FROM outbox WHERE user_id = ?", (user_id,))


class ReceivingMixin(StoreBase):
    """A member's store taking what a server's outbox owes them."""

    async def receive(self, post: Post) -> bool:
        """Add the post's reminder (or prospect) unless its origin was taken before;
        True if it was added now. Joins the caller's transaction; the unit of work
        hands a new reminder to the reminder engine."""
        async with self.transaction():
            if post.kind == PROSPECT:
                return await self._receive_prospect(post)
            kind = ReminderKind(post.kind)
            now = ts(self.now())
            row = await self.fetchone(
                "INSERT INTO reminders (kind, server_id, subject, step, due_at, origin, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (origin) DO NOTHING RETURNING id",
                (
                    kind,
                    post.server_id,
                    post.subject,
                    post.step,
                    ts(post.due_at),
                    post.origin,
                    now,
                    now,
                ),
            )
            return row is not None

    async def _receive_prospect(self, post: Post) -> bool:
        """Someone introduced through a server's network: a prospect (source network)
        with the request as an accepted outreach, so their status reads replied."""
        fields = dict(post.payload or {})
        now = ts(self.now())
        row = await self.fetchone(
            "INSERT INTO prospects (name, role, organization, stage, linkedin, email, "
            "source, notes, origin, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'network', ?, ?, ?, ?) "
            "ON CONFLICT (origin) WHERE origin IS NOT NULL DO NOTHING RETURNING id",
            (
                fields["name"],
                fields.get("role"),
                fields.get("organization"),
                fields.get("stage"),
                fields.get("linkedin"),
                fields.get("email"),
                fields.get("notes"),
                post.origin,
                now,
                now,
            ),
        )
        if row is None:
            return False
        await self.execute(
            "INSERT INTO outreach (prospect_id, sent_at, via, outcome, replied_at, guild_id, "
            "created_at) VALUES (?, ?, 'network', 'accepted', ?, ?, ?)",
            (
                row["id"],
                fields.get("asked_at") or ts(post.due_at),
                fields.get("accepted_at") or ts(post.due_at),
                post.server_id,
                now,
            ),
        )
        return True
