"""`python -m bench [burst|commands|startup|stores]`: what members feel, measured.

With no name, runs all four (what `make bench` does, in about six minutes here):
  burst     2,000 members' nudges due in one second, against Discord's global rate
            limit as the emulator enforces it (bench/burst.py)
  commands  slash commands against /help in the same run, one at a time and 8 in
            flight; autocomplete and /meeting log (bench/commands.py)
  startup   10,000 members: time to ready, peak memory and threads, the background
            consistency pass and commands while it runs (bench/startup.py)
  stores    the bounded store pool: churn over 5,000 members, 50 writers on one
            (bench/stores.py)

The bot runs as deployed (`python -m bot`) against the emulator, measured from outside.
Prints a table of figures against their targets, writes them to bench/results.json
(`--results` elsewhere), and exits 1 if any target is missed badly (more than 3x off,
or a hard limit crossed), so a regression is flagged. Benchmarks are not tests:
timings live here, never in pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from pathlib import Path

from bench import burst, commands, startup, stores
from bench.report import Figure, table

BENCHES = ("burst", "commands", "startup", "stores")
RESULTS = Path(__file__).with_name("results.json")


async def run(names: list[str], args: argparse.Namespace) -> list[Figure]:
    """Run the chosen benchmarks in order; all their figures."""
    figures: list[Figure] = []
    for name in names:
        print(f"== {name}")
        began = time.perf_counter()
        if name == "burst":
            figures += await burst.run(args.members)
        elif name == "commands":
            figures += await commands.run(args.runs)
        elif name == "startup":
            figures += await startup.run(args.stores)
        else:
            figures += await stores.run(args.store_members, args.writers)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n")
    return figures


def machine() -> str:
    """Where the figures came from, in a line."""
    import os

    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 if no target was missed badly, 1 otherwise."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("bench", nargs="*", help=f"any of {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--members", type=int, default=2000, help="burst: club members")
    parser.add_argument("--runs", type=int, default=200, help="commands: runs of each command")
    parser.add_argument("--stores", type=int, default=10_000, help="startup: member stores")
    parser.add_argument("--store-members", type=int, default=5000, help="stores: churned stores")
    parser.add_argument("--writers", type=int, default=50, help="stores: concurrent writers")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.bench) - set(BENCHES))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    names = [name for name in BENCHES if name in args.bench] if args.bench else list(BENCHES)
    began = time.perf_counter()
    figures = asyncio.run(run(names, args))
    print(table(figures))
    print(f"\n{machine()}; {time.perf_counter() - began:.0f} s in all")
    args.results.write_text(
        json.dumps([f.as_result() for f in figures], indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"written to {args.results}")
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
