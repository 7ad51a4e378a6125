"""Meetings in a member's store."""

from __future__ import annotations

from bot.store.base import StoreBase


class MeetingsMixin(StoreBase):
    """Meetings queries (filled in by the issue that builds them)."""
