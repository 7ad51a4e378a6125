"""`python -m bench [reminders|commands|stores]`: the bot's speed benchmarks.

With no name, runs all three (what `make bench` does, in about a minute):
  reminders  the reminder engine's start-up for 1,000 members (bench/reminders.py)
  commands   slash-command round trips, the real bot against the emulator (bench/commands.py)
  stores     the bounded store pool: churn over 5,000 members, 50 writers on one (bench/stores.py)

Prints a table of figures against their targets and exits 1 if any target is missed
badly (more than 3x off, or a hard limit crossed), so a regression is flagged.
Benchmarks are not tests: timings live here, never in pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from bench import commands, reminders, stores
from bench.report import Figure, table

BENCHES = ("reminders", "commands", "stores")


async def run(names: list[str], args: argparse.Namespace) -> list[Figure]:
    """Run the chosen benchmarks in order; all their figures."""
    figures: list[Figure] = []
    for name in names:
        print(f"== {name}")
        began = time.perf_counter()
        if name == "reminders":
            figures += await reminders.run(args.members, args.per_member)
        elif name == "commands":
            figures += await commands.run(args.runs)
        else:
            figures += await stores.run(args.store_members, args.writers)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n")
    return figures


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 if no target was missed badly, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("bench", nargs="*", help=f"any of {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--members", type=int, default=1000, help="reminders: member stores")
    parser.add_argument("--per-member", type=int, default=2, help="reminders: reminders each")
    parser.add_argument("--runs", type=int, default=200, help="commands: runs of each command")
    parser.add_argument("--store-members", type=int, default=5000, help="stores: churned stores")
    parser.add_argument("--writers", type=int, default=50, help="stores: concurrent writers")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.bench) - set(BENCHES))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    names = [name for name in BENCHES if name in args.bench] if args.bench else list(BENCHES)
    figures = asyncio.run(run(names, args))
    print(table(figures))
    failed = [f for f in figures if f.failed]
    missed = [f for f in figures if f.missed and not f.failed]
    if failed:
        listed = "; ".join(f"{f.bench}: {f.name}" for f in failed)
        print(f"\nFAIL: {len(failed)} target(s) missed badly (> 3x or a hard limit): {listed}")
        return 1
    if missed:
        print(f"\n{len(missed)} target(s) missed, within 3x (noise or a slow machine?)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
