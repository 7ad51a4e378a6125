"""A server's club network: its opt-in directory, requests for a conversation, blocks.

(Tables: bot/store/migrations/guild/0003_network.sql; the rules are in
bot/domain/network.py.) Every change that owes a member a DM posts it to the server's
outbox in the same transaction (bot/store/outbox.py), so a request, its answer, its
expiry and an introduction each reach their member once, whatever crashes between;
the caller hands the outbox over (`Stores.hand_over`) once the store is released.

A request unanswered by its `expires_at` is expired: reads treat it so at once, and
each change first marks the lapsed ones, so the one-open-request-per-pair index and
the caps never count one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.models import ReminderKind, Stage
from bot.domain.network import (
    ANSWER_STATUS,
    ANSWER_WITHIN,
    Answer,
    Listing,
    NetworkRequest,
    Refusal,
    RequestStatus,
    Share,
    month_start,
    refusal,
)
from bot.store.base import dt, is_row_id, ts
from bot.store.counts import CountsMixin
from bot.store.outbox import PROSPECT, OutboxMixin

# The step of a NETWORK_ANSWER reminder: the answer itself, or the 7-day expiry check.
ANSWER_STEP = 0
EXPIRY_STEP = 1
PROSPECT_NOTE = "Introduced through the club network: they accepted your request to talk."


def _listing(row: aiosqlite.Row) -> Listing:
    return Listing(
        user_id=row["user_id"],
        display_name=row["display_name"],
        role=row["role"],
        organization=row["organization"],
        fields=tuple(json.loads(row["fields"])),
        stage=Stage(row["stage"]) if row["stage"] else None,
        monthly_limit=row["monthly_limit"],
        share=Share(row["share"]),
        contact=row["contact"],
        paused=bool(row["paused"]),
        paused_until=dt(row["paused_until"]),
        created_at=dt(row["created_at"]),
    )


def _request(row: aiosqlite.Row, now: datetime) -> NetworkRequest:
    status = RequestStatus(row["status"])
    expires_at = dt(row["expires_at"])
    if status is RequestStatus.OPEN and expires_at <= now:
        status = RequestStatus.EXPIRED  # lapsed, not yet marked
    return NetworkRequest(
        id=row["id"],
        asker_id=row["asker_id"],
        listed_id=row["listed_id"],
        asker_name=row["asker_name"],
        listed_name=row["listed_name"],
        message=row["message"],
        status=status,
        silent=bool(row["silent"]),
        asked_at=dt(row["asked_at"]),
        expires_at=expires_at,
        answered_at=dt(row["answered_at"]),
    )


class NetworkMixin(OutboxMixin, CountsMixin):
    """Listings, requests and blocks in a server's store."""

    # -- the directory ---------------------------------------------------------------
    async def get_listing(self, user_id: int) -> Listing | None:
        """A member's listing in this server, or None."""
        row = await self.fetchone("SELECT * FROM network_listings WHERE user_id = ?", (user_id,))
        return None if row is None else _listing(row)

    async def listings(self) -> list[Listing]:
        """Every listing, oldest first."""
        rows = await self.fetchall("SELECT * FROM network_listings ORDER BY created_at, user_id")
        return [_listing(row) for row in rows]

    async def put_listing(
        self,
        user_id: int,
        *,
        display_name: str,
        role: str | None,
        organization: str | None,
        fields: Sequence[str],
        stage: Stage | None,
        monthly_limit: int,
        share: Share,
        contact: str | None,
    ) -> Listing:
        """List a member, or replace their listing with these values; either way it is
        not paused any more (joining again or editing resumes it)."""
        now = ts(self.now())
        async with self.transaction():
            await self.execute(
                "INSERT INTO network_listings (user_id, display_name, role, organization, "
                "fields, stage, monthly_limit, share, contact, paused, paused_until, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, "
                "role = excluded.role, organization = excluded.organization, "
                "fields = excluded.fields, stage = excluded.stage, "
                "monthly_limit = excluded.monthly_limit, share = excluded.share, "
                "contact = excluded.contact, paused = 0, paused_until = NULL, "
                "updated_at = excluded.updated_at",
                (
                    user_id,
                    display_name,
                    role,
                    organization,
                    json.dumps(list(fields), ensure_ascii=False),
                    None if stage is None else str(stage),
                    monthly_limit,
                    str(share),
                    contact if share is not Share.NOTHING else None,
                    now,
                    now,
                ),
            )
        listing = await self.get_listing(user_id)
        assert listing is not None
        return listing

    async def pause_listing(self, user_id: int, until: datetime | None) -> bool:
        """Pause a member's listing until `until` (None: until they resume); False if
        they have none."""
        async with self.transaction():
            return bool(
                await self.changes(
                    "UPDATE network_listings SET paused = 1, paused_until = ?, updated_at = ? "
                    "WHERE user_id = ?",
                    (ts(until), ts(self.now()), user_id),
                )
            )

    async def remove_listing(self, user_id: int) -> list[NetworkRequest] | None:
        """Take a member out of the directory at once (they left, or an officer removed
        the listing): the requests still open to them are closed, and each asker is
        told in the words of a decline. Returns the requests closed; None if there was
        no listing."""
        async with self.transaction():
            await self._expire_lapsed()
            if not await self.changes("DELETE FROM network_listings WHERE user_id = ?", (user_id,)):
                return None
            waiting = await self._open_requests("listed_id = ?", (user_id,))
            for request in waiting:
                await self._close(request, RequestStatus.CLOSED)
        return waiting

    # -- caps and what an asker may see -----------------------------------------------
    async def received_this_month(self, listed_id: int) -> int:
        """Requests delivered to a member since the start of this UTC month, whatever
        their answer (a blocked asker's, never delivered, don't count)."""
        return await self.count(
            "SELECT COUNT(*) FROM network_requests WHERE listed_id = ? AND silent = 0 "
            "AND status != 'undelivered' AND asked_at >= ?",
            (listed_id, ts(month_start(self.now()))),
        )

    async def hidden_from(self, asker_id: int) -> set[int]:
        """The members whose listing an asker isn't shown: at their monthly limit, or
        who blocked the asker."""
        at_limit = await self.fetchall(
            "SELECT l.user_id FROM network_listings l WHERE l.monthly_limit <= ("
            "SELECT COUNT(*) FROM network_requests r WHERE r.listed_id = l.user_id "
            "AND r.silent = 0 AND r.status != 'undelivered' AND r.asked_at >= ?)",
            (ts(month_start(self.now())),),
        )
        blockers = await self.fetchall(
            "SELECT user_id FROM network_blocks WHERE blocked_id = ?", (asker_id,)
        )
        return {row[0] for row in at_limit} | {row[0] for row in blockers}

    async def has_blocked(self, user_id: int, asker_id: int) -> bool:
        """Whether `user_id` blocked `asker_id`."""
        row = await self.fetchone(
            "SELECT 1 FROM network_blocks WHERE user_id = ? AND blocked_id = ?",
            (user_id, asker_id),
        )
        return row is not None

    # -- requests ----------------------------------------------------------------------
    async def ask(
        self, asker_id: int, asker_name: str, listed_id: int, message: str
    ) -> NetworkRequest | Refusal:
        """Ask a member listed for a conversation, if the caps allow (checked again
        here, inside the transaction): the request, or why not.

        The person listed is owed the request's DM now, and the asker the expiry check
        a week later (it says "no answer" unless the request was answered). A request
        to someone who blocked the asker is kept, silently never delivered: it lapses.
        """
        now = self.now()
        async with self.transaction():
            await self._expire_lapsed()
            listing = await self.get_listing(listed_id)
            why = refusal(
                asker_id=asker_id,
                listing=listing,
                now=now,
                received_this_month=await self.received_this_month(listed_id),
                open_by_asker=await self.count(
                    "SELECT COUNT(*) FROM network_requests WHERE asker_id = ? AND status = 'open'",
                    (asker_id,),
                ),
                open_between=await self.fetchone(
                    "SELECT 1 FROM network_requests WHERE asker_id = ? AND listed_id = ? "
                    "AND status = 'open'",
                    (asker_id, listed_id),
                )
                is not None,
            )
            if why is not None:
                return why
            assert listing is not None
            silent = await self.has_blocked(listed_id, asker_id)
            expires_at = now + ANSWER_WITHIN
            request_id = await self.execute(
                "INSERT INTO network_requests (asker_id, listed_id, asker_name, listed_name, "
                "message, silent, asked_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    asker_id,
                    listed_id,
                    asker_name,
                    listing.display_name,
                    message,
                    int(silent),
                    ts(now),
                    ts(expires_at),
                ),
            )
            await self._count("network_requests", now)
            if not silent:
                await self.post(
                    listed_id,
                    ReminderKind.NETWORK_ASK,
                    request_id,
                    due_at=now,
                    origin=f"request:{request_id}:ask",
                )
            await self.post(
                asker_id,
                ReminderKind.NETWORK_ANSWER,
                request_id,
                due_at=expires_at,
                step=EXPIRY_STEP,
                origin=f"request:{request_id}:expiry",
            )
        request = await self.get_request(request_id)
        assert request is not None
        return request

    async def get_request(self, request_id: int) -> NetworkRequest | None:
        """One request of this server, or None (a forged or out-of-range id too)."""
        if not is_row_id(request_id):
            return None
        row = await self.fetchone("SELECT * FROM network_requests WHERE id = ?", (request_id,))
        return None if row is None else _request(row, self.now())

    async def open_requests_of(
        self, user_id: int
    ) -> tuple[list[NetworkRequest], list[NetworkRequest]]:
        """A member's open requests in this server: (sent, received), oldest first. A
        blocked asker's request, never delivered, is not among the received."""
        sent = await self._open_requests("asker_id = ?", (user_id,))
        received = await self._open_requests("listed_id = ? AND silent = 0", (user_id,))
        return sent, received

    async def answer(
        self, request_id: int, listed_id: int, answer: Answer
    ) -> tuple[NetworkRequest, bool] | None:
        """The person listed answers a request addressed to them: (the request as it
        is now, whether this answer changed it), or None if no such request is theirs.

        The asker is owed the answer's DM. On accept, the person listed is owed the
        introduction and the asker a new prospect (source network, status replied).
        Block is a decline that also hides the person listed from this asker for good.
        """
        now = self.now()
        async with self.transaction():
            await self._expire_lapsed()
            request = await self.get_request(request_id)
            if request is None or request.listed_id != listed_id or request.silent:
                return None
            if answer is Answer.BLOCK:
                await self.execute(
                    "INSERT OR IGNORE INTO network_blocks (user_id, blocked_id, created_at) "
                    "VALUES (?, ?, ?)",
                    (listed_id, request.asker_id, ts(now)),
                )
            if request.status is not RequestStatus.OPEN:
                return request, False
            await self._close(request, ANSWER_STATUS[answer])
            if answer is Answer.ACCEPT:
                await self._introduce(request, now)
        found = await self.get_request(request_id)
        assert found is not None
        return found, True

    async def withdraw(self, request_id: int, asker_id: int) -> tuple[NetworkRequest, bool] | None:
        """The asker takes back a request: (the request as it is now, whether this
        withdrew it), or None if no such request is theirs. Nothing more is owed to
        anyone: a request DM not yet sent is never sent, and its buttons, if it was,
        say it was withdrawn."""
        async with self.transaction():
            await self._expire_lapsed()
            request = await self.get_request(request_id)
            if request is None or request.asker_id != asker_id:
                return None
            if request.status is not RequestStatus.OPEN:
                return request, False
            await self.execute(
                "UPDATE network_requests SET status = ?, answered_at = ? WHERE id = ?",
                (str(RequestStatus.WITHDRAWN), ts(self.now()), request_id),
            )
        withdrawn = await self.get_request(request_id)
        assert withdrawn is not None
        return withdrawn, True

    async def undelivered(self, request_id: int) -> NetworkRequest | None:
        """The request's DM can never reach the person listed (DMs closed, account
        gone): if it was still open, it is marked so and the asker is owed an answer
        saying it couldn't be delivered. Returns the request if it changed."""
        async with self.transaction():
            await self._expire_lapsed()
            request = await self.get_request(request_id)
            if request is None or request.status is not RequestStatus.OPEN:
                return None
            await self._close(request, RequestStatus.UNDELIVERED)
        return await self.get_request(request_id)

    async def expire(self, request_id: int) -> NetworkRequest | None:
        """The request as its expiry check finds it, marked expired if it lapsed."""
        async with self.transaction():
            await self._expire_lapsed()
        return await self.get_request(request_id)

    # -- /mydata -------------------------------------------------------------------------
    async def network_marks(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """A member's listing and requests in this server, for /mydata export. Whom they
        blocked is theirs too; who blocked them is not (it stays silent)."""
        listing = await self.fetchall(
            "SELECT display_name, role, organization, fields, stage, monthly_limit, share, "
            "contact, paused, paused_until, created_at, updated_at FROM network_listings "
            "WHERE user_id = ?",
            (user_id,),
        )
        requests = await self.fetchall(
            "SELECT id AS request_id, CASE WHEN asker_id = :me THEN 'sent' ELSE 'received' "
            "END AS direction, asker_name, listed_name, message, "
            "CASE WHEN asker_id = :me AND status IN ('declined', 'not-now') THEN 'not now' "
            "WHEN status = 'open' AND expires_at <= :now THEN 'expired' ELSE status END "
            "AS status, asked_at, expires_at, answered_at FROM network_requests "
            "WHERE asker_id = :me OR (listed_id = :me AND silent = 0) ORDER BY id",
            {"me": user_id, "now": ts(self.now())},
        )
        blocks = await self.fetchall(
            "SELECT b.blocked_id, b.created_at FROM network_blocks b WHERE b.user_id = ?",
            (user_id,),
        )
        return {
            "network_listing": [dict(row) for row in listing],
            "network_requests": [dict(row) for row in requests],
            "network_blocks": [dict(row) for row in blocks],
        }

    async def forget_network_member(self, user_id: int) -> None:
        """Remove a member's listing, the requests they made or received, and the blocks
        they made or were the subject of (they deleted their data). The other side's
        DMs about those requests, if still owed, find nothing and are not sent."""
        async with self.transaction():
            await self.execute("DELETE FROM network_listings WHERE user_id = ?", (user_id,))
            await self.execute(
                "DELETE FROM network_requests WHERE asker_id = ? OR listed_id = ?",
                (user_id, user_id),
            )
            await self.execute(
                "DELETE FROM network_blocks WHERE user_id = ? OR blocked_id = ?",
                (user_id, user_id),
            )

    # -- inside a transaction ---------------------------------------------------------------
    async def _expire_lapsed(self) -> None:
        await self.execute(
            "UPDATE network_requests SET status = 'expired', answered_at = expires_at "
            "WHERE status = 'open' AND expires_at <= ?",
            (ts(self.now()),),
        )

    async def _open_requests(self, where: str, params: Sequence[Any]) -> list[NetworkRequest]:
        rows = await self.fetchall(
            f"SELECT * FROM network_requests WHERE status = 'open' AND expires_at > ? "
            f"AND {where} ORDER BY id",
            (ts(self.now()), *params),
        )
        return [_request(row, self.now()) for row in rows]

    async def _close(self, request: NetworkRequest, status: RequestStatus) -> None:
        """Settle an open request and owe the asker the answer's DM."""
        now = self.now()
        await self.execute(
            "UPDATE network_requests SET status = ?, answered_at = ? WHERE id = ?",
            (str(status), ts(now), request.id),
        )
        await self.post(
            request.asker_id,
            ReminderKind.NETWORK_ANSWER,
            request.id,
            due_at=now,
            step=ANSWER_STEP,
            origin=f"request:{request.id}:answer",
        )

    async def _introduce(self, request: NetworkRequest, now: datetime) -> None:
        """An accepted request: the person listed is owed the introduction to the asker,
        and the asker the person listed as a prospect, with what they chose to share."""
        await self.post(
            request.listed_id,
            ReminderKind.NETWORK_INTRO,
            request.id,
            due_at=now,
            origin=f"request:{request.id}:intro",
        )
        listing = await self.get_listing(request.listed_id)
        shared = listing.contact if listing is not None else None
        share = listing.share if listing is not None else Share.NOTHING
        await self.post(
            request.asker_id,
            PROSPECT,
            request.id,
            due_at=now,
            origin=f"request:{request.id}:prospect",
            payload={
                "name": request.listed_name,
                "role": listing.role if listing else None,
                "organization": listing.organization if listing else None,
                "stage": str(listing.stage) if listing and listing.stage else None,
                "linkedin": shared if share is Share.LINKEDIN else None,
                "email": shared if share is Share.EMAIL else None,
                "notes": PROSPECT_NOTE,
                "asked_at": ts(request.asked_at),
                "accepted_at": ts(now),
            },
        )
