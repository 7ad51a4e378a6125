"""Running a script of lines: comments become headings, unsynced commands are skipped."""

from __future__ import annotations

from bot.sandbox.app import run_lines


class Recorder:
    """Stands in for the Output and the Session: records what was shown and run."""

    prompt = "you › "

    def __init__(self, synced: set[str]) -> None:
        self.synced = synced
        self.out = self
        self.shown: list[str] = []
        self.ran: list[str] = []

    def is_synced(self, line: str) -> bool:
        return line.split(" ", 1)[0].removeprefix("/") in self.synced

    async def handle(self, line: str) -> bool:
        self.ran.append(line)
        return line != "quit"

    async def settle(self) -> None:
        self.shown.append("settled")

    def flush_dms(self) -> None:
        """Nothing arrives on its own in this recorder."""

    def note(self, text: str) -> None:
        self.shown.append(f"note: {text}")

    def section(self, title: str) -> None:
        self.shown.append(f"section: {title}")

    def echo(self, prompt: str, line: str) -> None:
        self.shown.append(f"{prompt}{line}")


async def test_a_command_not_yet_built_is_skipped_with_the_clicks_that_need_it():
    session = Recorder(synced={"prospect", "progress"})
    script = [
        "# Step 1",
        "/prospect add name:Ada",
        "/meeting log prospect:Ada when:now",
        "wait",
        "click 1",
        "/progress",
        "click 1",
    ]
    await run_lines(session, script, skip_unsynced=True)
    assert session.ran == ["/prospect add name:Ada", "/progress", "click 1"]
    assert "section: Step 1" in session.shown
    assert "note: skipped: /meeting isn't in this build of the bot yet." in session.shown
    assert session.shown.count("note: skipped: it needs the command skipped above.") == 2


async def test_quit_ends_the_script():
    session = Recorder(synced={"help"})
    await run_lines(session, ["/help", "quit", "/help"])
    assert session.ran == ["/help", "quit"]
