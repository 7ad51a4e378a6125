"""The bot as it is deployed: `python -m bot` in a process of its own, against the emulator.

What members feel is measured from outside, as Discord sees the bot: its start-up until
it is ready, its memory and threads (read from /proc), its answers through the emulator.
The emulator and the driver run in the benchmark's process, so their work does not
share the bot's event loop (Discord's does not either).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.emulator.server import Emulator

ROOT = Path(__file__).resolve().parents[1]
READY_LINE = "ready as "  # what bot.client.InterviewBot.on_ready logs


@dataclass
class BotProcess:
    """A running `python -m bot` and the log it writes."""

    process: asyncio.subprocess.Process
    log_path: Path
    started: float  # time.perf_counter() when it was started
    peak_threads: int = 0
    _sampling: asyncio.Task[None] | None = field(default=None, repr=False)

    def log(self) -> str:
        """Everything the bot logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_has(self, pattern: str) -> bool:
        """Whether the log has a match of `pattern` yet."""
        return re.search(pattern, self.log()) is not None

    async def wait_for_log(self, pattern: str, timeout: float) -> re.Match[str]:
        """The first match of `pattern` in the log, waiting for it (polled: the log is a file)."""
        compiled = re.compile(pattern)
        async with asyncio.timeout(timeout):
            while (found := compiled.search(self.log())) is None:
                if self.process.returncode is not None:
                    raise RuntimeError(f"the bot exited ({self.process.returncode}):\n{self.log()}")
                await asyncio.sleep(0.02)
        return found

    def status(self) -> dict[str, int]:
        """The kernel's figures for the process: VmHWM (peak RSS, kB), VmRSS, Threads."""
        figures = {}
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "Threads"):
                figures[key] = int(value.split()[0])
        return figures

    def sample_threads(self, every: float = 0.01) -> None:
        """Keep the highest thread count seen (the kernel keeps the peak RSS itself)."""

        async def sample() -> None:
            while self.process.returncode is None:
                try:
                    self.peak_threads = max(self.peak_threads, self.status()["Threads"])
                except (OSError, KeyError):
                    return
                await asyncio.sleep(every)

        self._sampling = asyncio.create_task(sample())

    async def stop(self, timeout: float = 30) -> None:
        """SIGTERM, and wait for the bot to exit (killed if it doesn't in time)."""
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._sampling is not None:
            await self._sampling


async def start_bot(emu: Emulator, data_dir: Path, log_path: Path, **env: str) -> BotProcess:
    """`python -m bot` on `data_dir`, pointed at `emu`, logging to `log_path`."""
    environ = {
        **os.environ,
        "DISCORD_TOKEN": emu.token,
        "DATA_DIR": str(data_dir),
        "DISCORD_API_BASE": emu.rest_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "DEV_GUILD_ID": "",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    with log_path.open("ab") as log:
        started = time.perf_counter()
        # BENCH_PROFILE=FILE: the bot runs under cProfile and writes its statistics there
        # when it stops (read them with pstats), to see what separates a command from /help.
        profile = os.environ.get("BENCH_PROFILE")
        under = ["-m", "cProfile", "-o", profile] if profile else []
        process = await asyncio.create_subprocess_exec(
            sys.executable, *under, "-m", "bot", cwd=ROOT, env=environ, stdout=log, stderr=log
        )
    return BotProcess(process, log_path, started)
