"""The bot's own process sets its collector for a long run (bot/heap.py): once ready,
what start-up built is kept out of later collections, and commands go on as before."""

from __future__ import annotations

from bot.emulator.driver import Driver
from tests.support.process import START_TIMEOUT, start_bot, stop_bot, wait_until


async def test_the_bot_process_settles_its_heap_once_ready_and_answers_after(
    emu, guild, alice, tmp_path
) -> None:
    log_path = tmp_path / "bot.log"

    def log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""

    process = await start_bot(emu, tmp_path / "data", log_path)
    try:
        await wait_until(lambda: "heap settled" in log())
        reply = await Driver(emu, timeout=START_TIMEOUT).run("/help", user=alice, guild=guild)
        assert "/prospect add" in reply.text
    finally:
        assert await stop_bot(process), log()
    assert log().count("heap settled") == 1
    settled = next(line for line in log().splitlines() if "heap settled" in line)
    frozen = int(settled.split("heap settled: ")[1].split()[0])
    assert frozen > 10_000, settled  # discord.py, the commands and the stores' code at least
