"""The informational-interview bot."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "interview-bot"


def version() -> str:
    """The installed package's version (pyproject.toml's), as `--version`, the heartbeat
    and a backup's manifest say it; 'unknown' in a source tree that was never installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
