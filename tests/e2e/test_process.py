"""`python -m bot` as a process: connects, syncs, and shuts down cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from tests.support.e2e import TOKEN


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_the_bot_process_starts_and_stops_cleanly(emu, guild, tmp_path, sig):
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DATA_DIR": str(tmp_path / "data"),
        "DISCORD_API_BASE": emu.rest_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await emu.wait_for(lambda: emu.commands(), timeout=30)
        await emu.wait_until_connected(timeout=30)
        process.send_signal(sig)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, output.decode()
    assert TOKEN not in output.decode()
    assert {c["name"] for c in emu.commands()} >= {"help", "prospect"}
