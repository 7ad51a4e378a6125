"""Start-up problems end in one line that names the problem and the setting, no traceback."""

from __future__ import annotations

import asyncio
import os
import socket
import sys

import pytest

from tests.support.e2e import TOKEN


async def run_bot(env: dict[str, str], timeout: float = 30) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env={**os.environ, "DISCORD_TOKEN": TOKEN, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout=timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, err.decode()


def one_line(stderr: str) -> str:
    """The one error line (log lines before it at INFO are fine; no traceback, no warning)."""
    assert "Traceback" not in stderr, stderr
    assert " WARNING " not in stderr and " ERROR " not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.parametrize(
    ("data_dir", "expected"),
    [
        ("/proc/nope", "can't be created"),
        ("{tmp}/missing/data", "parent folder"),
        ("{tmp}/a-file", "is a file"),
    ],
    ids=["not creatable", "missing parent", "a file"],
)
async def test_an_unusable_data_dir_is_one_line_and_exit_code_2(tmp_path, data_dir, expected):
    (tmp_path / "a-file").write_text("not a folder")
    code, stderr = await run_bot({"DATA_DIR": data_dir.format(tmp=tmp_path)})
    line = one_line(stderr)
    assert code == 2
    assert "DATA_DIR" in line and expected in line


async def test_discord_unreachable_is_one_line(tmp_path):
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, stderr = await run_bot(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/",
        }
    )
    line = one_line(stderr)
    assert code == 1
    assert "can't reach Discord" in line and "DISCORD_API_BASE" in line
    assert TOKEN not in stderr


async def test_a_rejected_token_is_one_line(emu, tmp_path):
    code, stderr = await run_bot(
        {
            "DISCORD_TOKEN": "a-token-the-emulator-does-not-know-123",
            "DATA_DIR": str(tmp_path / "data"),
            "DISCORD_API_BASE": emu.rest_base,
            "DISCORD_GATEWAY_URL": emu.gateway_url,
        }
    )
    line = one_line(stderr)
    assert code == 1
    assert "rejected DISCORD_TOKEN" in line
