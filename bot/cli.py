"""The command line: `python -m bot` (or `interview-bot`) runs the bot, or the sandbox
without a token; its commands look after a running bot's data.

Exit status: 0 done (or healthy), 1 refused or a problem found, 2 the command line or a
setting can't be used. Every error is one line on stderr naming the problem.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from bot import version
from bot.clock import Clock
from bot.config import Config, prepare_data_dir
from bot.health import describe, problems, read_heartbeat
from bot.operations import CheckReport, OperationError, backup, check, restore

DESCRIPTION = "A Discord bot that walks career-club members through informational interviews."
EPILOG = """\
With no command it runs the bot, with its settings from the environment and .env
(without DISCORD_TOKEN: the local sandbox). The commands work on DATA_DIR's data; each
has --help. Exit status: 0 done, 1 refused or a problem found, 2 bad arguments or
settings. See docs/deploy.md."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (it prints the usage above them)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _prog() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m bot" if name in ("", "__main__.py", "-c") else name


def build_parser() -> argparse.ArgumentParser:
    """The parser for `python -m bot` and its commands."""
    parser = _Parser(
        prog=_prog(),
        usage="%(prog)s [-h] [--version] [--sandbox] [COMMAND ...]",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    parser.add_argument(
        "--sandbox", action="store_true", help="run the local sandbox even when a token is set"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", prog=parser.prog
    )
    backup_cmd = commands.add_parser(
        "backup",
        help="copy every store while the bot runs",
        description="Copy every store, the reminder index and the deletions under way from "
        "DATA_DIR into a new folder (private to you), each store as one consistent "
        "snapshot (SQLite's backup API), safe while the bot runs; a manifest.json is "
        "written last.",
    )
    backup_cmd.add_argument("dest", metavar="DEST", type=Path, help="a new folder to create")
    restore_cmd = commands.add_parser(
        "restore",
        help="put a backup back into DATA_DIR",
        description="Check a backup against its manifest and copy it into DATA_DIR. Refused "
        "while a bot runs on DATA_DIR, and when DATA_DIR already holds stores unless "
        "--force (which moves them into DATA_DIR/before-restore-<time>/ first).",
    )
    restore_cmd.add_argument("src", metavar="SRC", type=Path, help="a folder `backup` made")
    restore_cmd.add_argument(
        "--force",
        action="store_true",
        help="restore over stores already in DATA_DIR (they are moved aside, not deleted)",
    )
    check_cmd = commands.add_parser(
        "check",
        help="check every store and the reminder index (read-only)",
        description="Open every store read-only, run PRAGMA integrity_check on each, and "
        "compare the reminder index with the reminders the stores still owe. Safe while "
        "the bot runs. Exits 1 if anything is wrong.",
    )
    check_cmd.add_argument(
        "folder",
        metavar="FOLDER",
        type=Path,
        nargs="?",
        help="DATA_DIR (the default), or a backup's folder",
    )
    commands.add_parser(
        "health",
        help="exit 0 if the running bot's heartbeat says it is healthy, else 1",
        description="Read DATA_DIR/heartbeat.json, which the running bot rewrites every "
        "15 s: healthy when it is fresh, the reminder scheduler runs and the bot is "
        "connected to Discord (or reconnecting for less than 2 minutes). For a "
        "container's HEALTHCHECK.",
    )
    return parser


def run_command(args: argparse.Namespace, settings: Config) -> int:
    """Run one of the commands (`args.command`); returns the exit status."""
    handlers: dict[str, Callable[[argparse.Namespace, Config], int]] = {
        "backup": _backup,
        "restore": _restore,
        "check": _check,
        "health": _health,
    }
    try:
        return handlers[args.command](args, settings)
    except OperationError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.code
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1


def _backup(args: argparse.Namespace, settings: Config) -> int:
    started = time.perf_counter()
    report = backup(settings.data_dir, args.dest)
    index = ", the reminder index" if report.index else ""
    print(
        f"Backed up {_count(report.members, 'member store')}, "
        f"{_count(report.servers, 'server store')}{index} into {report.dest} "
        f"({_size(report.bytes)}, {time.perf_counter() - started:.1f} s)."
    )
    for name, problem in report.skipped:
        print(f"  not copied: {name}: {problem}")
    for name, problem in report.damaged:
        print(f"  copied, but damaged already: {name}: {problem}")
    if report.skipped or report.damaged:
        print(
            f"{_count(len(report.skipped) + len(report.damaged), 'file')} damaged in "
            "DATA_DIR; `check` says more."
        )
        return 1
    return 0


def _restore(args: argparse.Namespace, settings: Config) -> int:
    prepare_data_dir(settings.data_dir)
    report = restore(args.src, settings.data_dir, force=args.force)
    index = ", the reminder index" if report.index else ""
    print(
        f"Restored {_count(report.members, 'member store')}, "
        f"{_count(report.servers, 'server store')}{index} from the backup of "
        f"{report.created_at} into {settings.data_dir}."
    )
    if report.set_aside is not None:
        print(f"The data it replaced is in {report.set_aside} (delete it once satisfied).")
    print("Start the bot: it checks every member's reminders against the index as it starts.")
    return 0


def _check(args: argparse.Namespace, settings: Config) -> int:
    folder = args.folder if args.folder is not None else settings.data_dir
    report = check(folder)
    for line in summary(report):
        print(line)
    return 1 if report.problems else 0


def summary(report: CheckReport) -> list[str]:
    """The lines `check` prints."""
    stores = report.members + report.servers + (report.index != "missing")
    lines = [
        f"Checked {report.folder}: {_count(report.members, 'member store')}, "
        f"{_count(report.servers, 'server store')}, "
        + ("no reminder index." if report.index == "missing" else "the reminder index.")
    ]
    damaged = len(report.damaged)
    lines.append(
        f"Integrity: {stores - damaged} of {stores} files sound"
        + (f"; {damaged} damaged:" if damaged else ".")
    )
    lines += [f"  {name}: {problem}" for name, problem in report.damaged]
    if report.index == "missing":
        reminders = "the bot rebuilds the index from the stores at its next start"
    elif report.index == "damaged":
        reminders = "the index can't be compared (the bot sets it aside and rebuilds it)"
    elif not report.unindexed and not report.stale:
        reminders = "the index has every one of them"
    else:
        reminders = (
            f"the index lacks {len(report.unindexed)} (or has another time) and has "
            f"{len(report.stale)} no store owes; the bot repairs both at its next "
            "consistency pass (at start-up, then every 6 hours)"
        )
    lines.append(f"Reminders: {report.owed} owed; {reminders}.")
    lines += [f"  not in the index: member {u}, reminder {r}" for u, r in report.unindexed[:10]]
    lines += [f"  owed by no store: member {u}, reminder {r}" for u, r in report.stale[:10]]
    if report.interrupted:
        lines.append(
            f"  {report.interrupted} being sent (or cut short by a crash: resent at start)."
        )
    lines.append(
        f"{_count(report.problems, 'problem')} found." if report.problems else "No problems found."
    )
    return lines


def _health(_args: argparse.Namespace, settings: Config) -> int:
    beat = read_heartbeat(settings.data_dir)
    if beat is None:
        print(
            f"unhealthy: no heartbeat in DATA_DIR {str(settings.data_dir)!r}: the bot isn't "
            "running (or runs with another DATA_DIR)"
        )
        return 1
    now = Clock().now()
    found = problems(beat, now)
    if found:
        print(f"unhealthy: {'; '.join(found)}")
        return 1
    print(f"healthy: {describe(beat, now)}")
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _size(size: int) -> str:
    scaled, unit = float(size), "bytes"
    for bigger in ("KB", "MB", "GB"):
        if scaled < 1000:
            break
        scaled, unit = scaled / 1000, bigger
    return f"{size} bytes" if unit == "bytes" else f"{scaled:.1f} {unit}"
