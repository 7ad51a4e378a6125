"""Outreach in a member's store."""

from __future__ import annotations

from bot.store.base import StoreBase


class OutreachMixin(StoreBase):
    """Outreach queries (filled in by the issue that builds them)."""
