"""Config: validation with one-line errors, endpoints, and a token that never reaches logs."""

import subprocess
import sys
from pathlib import Path

import discord
import pytest
import yarl

from bot.config import ConfigError, apply_endpoints, load_config

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz012345"


def test_defaults_when_nothing_is_set():
    settings = load_config({})
    assert settings.token is None
    assert settings.data_dir == Path("data")
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None


def test_every_setting_is_read():
    settings = load_config(
        {
            "DISCORD_TOKEN": TOKEN,
            "DATA_DIR": "/tmp/x",
            "DEV_GUILD_ID": "123",
            "LOG_LEVEL": "debug",
            "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/",
        }
    )
    assert settings.token == TOKEN
    assert settings.dev_guild_id == 123
    assert settings.log_level == "DEBUG"
    assert settings.api_base == "http://127.0.0.1:9/api/v10"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEV_GUILD_ID", "my-server"),
        ("LOG_LEVEL", "LOUD"),
        ("DISCORD_API_BASE", "ftp://example.com"),
        ("DISCORD_GATEWAY_URL", "http://127.0.0.1:9/"),
        ("DISCORD_TOKEN", "short"),
    ],
)
def test_a_bad_value_names_the_setting(name, value):
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})


def test_the_token_never_appears_in_repr():
    assert TOKEN not in repr(load_config({"DISCORD_TOKEN": TOKEN}))


def test_endpoints_point_discord_py_at_the_emulator():
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        apply_endpoints("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/")
        assert discord.http.Route.BASE == "http://127.0.0.1:9/api/v10"
        assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == yarl.URL("ws://127.0.0.1:9/")
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def test_a_bad_setting_exits_2_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env={"PATH": "/usr/bin:/bin", "LOG_LEVEL": "LOUD", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "LOG_LEVEL" in result.stderr


def test_the_rate_limit_is_read_and_checked():
    assert load_config({}).rate_limit == 46.0
    assert load_config({"DISCORD_RATE_LIMIT": "450"}).rate_limit == 450.0
    for bad in ("0", "-5", "fast", "1e9"):
        with pytest.raises(ConfigError, match=r"DISCORD_RATE_LIMIT must be .* such as 46"):
            load_config({"DISCORD_RATE_LIMIT": bad})
