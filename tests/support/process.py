"""The real bot as its own process (`python -m bot`) against the in-process emulator, for
tests that kill it (SIGKILL) and start it again on the same data."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


async def start_bot(
    emu, data_dir: Path, log_path: Path, **settings: str
) -> asyncio.subprocess.Process:
    """`python -m bot` against the emulator, logging to `log_path`; `settings` add to (or
    replace) its environment, e.g. METRICS_PORT="9464"."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": emu.token,
        "DATA_DIR": str(data_dir),
        "DISCORD_API_BASE": emu.rest_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "DEV_GUILD_ID": "",
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        **settings,
    }
    with log_path.open("ab") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log
        )


async def kill(process: asyncio.subprocess.Process) -> None:
    """SIGKILL: the bot gets no chance to finish anything."""
    if process.returncode is None:
        process.send_signal(signal.SIGKILL)
    await process.wait()


async def stop_bot(process: asyncio.subprocess.Process) -> bool:
    """SIGTERM; whether the bot exited within STOP_TIMEOUT (killed if it didn't)."""
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
    except TimeoutError:
        await kill(process)
        return False
    return True


async def wait_until(check, timeout: float = START_TIMEOUT, every: float = 0.005) -> None:
    """Poll `check()` (a look at files another process writes) until it is true."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(every)
