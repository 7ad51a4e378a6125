"""`python -m bot.sandbox.demo` (`make demo`): a scripted journey through the four steps.

The script is data: the lines a member would type. It runs in the sandbox against the
real bot, in a temporary folder that is removed afterwards, and prints the transcript.
A command the bot doesn't have yet is skipped with a note, so the demo always runs to
its end.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from .app import run_lines, started
from .render import Context
from .session import Output, PlainOutput, RichOutput

DEMO = [
    "# Before you start: who you are, where you are, and reminders at any hour for the demo",
    "/settings timezone tz:Europe/London",
    '/settings profile name:"Sam Rivera" school:"State University Career Club" '
    'interest:"healthcare analytics"',
    "/settings reminders quiet_start:00:00 quiet_end:00:00",
    "# Step 1 · Locate people: emerging, mid-career and established professionals",
    '/prospect add name:"Ada Lovelace" role:"Head of Analytics" organization:"Engines Ltd" '
    "stage:established source:alumni",
    '/prospect add name:"Grace Hopper" role:"Data Engineer" organization:"Navy Labs" '
    "stage:mid-career source:linkedin",
    "/prospect list",
    "# Step 2 · Make contact: a brief request, checked against the 5-Point Email",
    '/outreach draft prospect:"Ada Lovelace" minutes:30',
    '/outreach check text:"Hi Ada, I am applying for a job at Engines Ltd. Could we talk for '
    'an hour on Monday at 9? I will send my resume."',
    '/outreach sent prospect:"Ada Lovelace" via:email',
    "# Step 3 · Be prepared — here the meeting already happened, 3 hours ago: log it",
    '/meeting log prospect:"Ada Lovelace" when:"3 hours ago" '
    'takeaways:"Analytics teams value SQL over dashboards" referrals:"Charles Babbage"',
    "# Step 4 · Follow up with thanks: the bot's nudge is in your DMs; press Sent it",
    "wait",
    'click "Sent it"',
    "/progress",
]


async def run_demo(folder: Path, *, rich: bool) -> int:
    """Run the demo script in `folder`; 0 when it reached its end."""
    console = Console()

    def output(ctx: Context) -> Output:
        return RichOutput(ctx, console) if rich else PlainOutput(ctx)

    async with started(folder, output) as session:
        session.out.note(
            f"Demo: {session.user.name!r} in {session.world.guild.name!r}, "
            "on the real bot against a local Discord emulator (data in a temporary folder)."
        )
        await run_lines(session, DEMO, skip_unsynced=True)
        session.out.note("End of the demo. `make run` opens the sandbox to try it yourself.")
    return 0


def main() -> int:
    """Run the demo in a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="interview-bot-demo-") as tmp:
        return asyncio.run(run_demo(Path(tmp) / "sandbox", rich=sys.stdout.isatty()))


if __name__ == "__main__":
    sys.exit(main())
