"""`python -m bot.sandbox.demo` (`make demo`): a scripted journey through the four steps.

The script is data: the lines members would type (`as NAME` plays another member;
a line after one that opens a form fills it in). It runs in the sandbox against the
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
    "# The club network: members of the server who are glad to talk. Maya lists herself…",
    "as Maya",
    "/settings timezone tz:Europe/London",
    '/network join role:"Care Quality Analyst" organization:"Mercy Health" '
    'fields:"Healthcare, Data science" stage:emerging share:nothing',
    "# …you find her and ask for a conversation, in a short message the bot checks first",
    "as you",
    '/network find field:"Healthcare"',
    "select 1",
    "Hi Maya, I'm Sam, a member of the State University Career Club interested in "
    "healthcare analytics. Your move from analytics into care quality at Mercy Health is "
    "the path I hope to follow. Could I ask you for 20 minutes by phone in the next couple "
    "of weeks about how you made it? Thank you, Sam",
    "# Maya gets a DM with Accept, Not now and Decline, and accepts",
    "as Maya",
    'click "Accept"',
    "# She is now one of your prospects (replied): plan the meeting as usual",
    "as you",
    '/meeting schedule prospect:Maya when:"next tuesday 3pm"',
    "# Practice pairings: members opt in, an officer sets rounds, each pair gets a guide",
    "/practice join",
    "as Maya",
    "/practice join",
    "as officer",
    "/settings timezone tz:Europe/London",
    "/club practice schedule every:2 day:Monday hour:18",
    "/club practice now",
    "as you",
]


async def run_demo(folder: Path, *, rich: bool) -> int:
    """Run the demo script in `folder`; 0 when it reached its end."""
    console = Console()

    def output(ctx: Context) -> Output:
        return RichOutput(ctx, console) if rich else PlainOutput(ctx)

    lines = iter(DEMO)

    async def ask(prompt: str, _default: str | None) -> str | None:
        # A form the bot opens is filled in with the script's next line.
        answer = next(lines, None)
        if answer is not None:
            console.print(f"{prompt}{answer}", markup=False, highlight=False)
        return answer

    async with started(folder, output, ask=ask) as session:
        session.out.note(
            f"Demo: {session.user.name!r} in {session.world.guild.name!r}, "
            "on the real bot against a local Discord emulator (data in a temporary folder)."
        )
        await run_lines(session, lines, skip_unsynced=True)
        session.out.note("End of the demo. `make run` opens the sandbox to try it yourself.")
    return 0


def main() -> int:
    """Run the demo in a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="interview-bot-demo-") as tmp:
        return asyncio.run(run_demo(Path(tmp) / "sandbox", rich=sys.stdout.isatty()))


if __name__ == "__main__":
    sys.exit(main())
