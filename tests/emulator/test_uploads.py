"""The emulator refuses uploads as Discord does: over 10 MiB (413, error 40005) or more
than 10 files in one message (error 30015), and records each as a violation."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.emulator import Emulator
from bot.emulator.validation import UPLOAD_MAX_BYTES
from tests.support.emulator import World


async def post_files(emu: Emulator, channel_id: int, sizes: list[int]) -> tuple[int, dict]:
    """POST a message with files of these sizes, as discord.py sends them (multipart)."""
    form = aiohttp.FormData()
    form.add_field("payload_json", json.dumps({"content": "files"}))
    for n, size in enumerate(sizes):
        form.add_field(f"files[{n}]", b"x" * size, filename=f"part{n}.csv")
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{emu.rest_base}/channels/{channel_id}/messages",
            data=form,
            headers={"Authorization": f"Bot {emu.token}"},
        ) as resp,
    ):
        return resp.status, json.loads(await resp.text())


@pytest.fixture
def channel_id(world: World) -> int:
    return next(iter(world.guild.channels))


async def test_files_up_to_the_limit_are_accepted(emu: Emulator, channel_id: int):
    status, body = await post_files(emu, channel_id, [UPLOAD_MAX_BYTES // 2] * 2)
    assert status == 200, body
    assert len(body["attachments"]) == 2
    assert emu.violations == []


@pytest.mark.parametrize(
    "sizes", [[UPLOAD_MAX_BYTES + 1], [UPLOAD_MAX_BYTES // 2, UPLOAD_MAX_BYTES // 2 + 1]]
)
async def test_a_message_over_10_mib_is_refused_with_discords_413(
    emu: Emulator, channel_id: int, sizes: list[int]
):
    status, body = await post_files(emu, channel_id, sizes)
    assert status == 413
    assert body == {"message": "Request entity too large", "code": 40005}
    (violation,) = emu.violations
    assert violation.code == 40005
    assert not [m for m in emu.messages.values() if m.content == "files"]


async def test_more_than_10_files_are_refused(emu: Emulator, channel_id: int):
    status, body = await post_files(emu, channel_id, [10] * 11)
    assert status == 400
    assert body["code"] == 30015
    assert [v.code for v in emu.violations] == [30015]
