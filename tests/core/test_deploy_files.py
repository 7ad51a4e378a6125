"""The deployment files agree with the code they deploy: the image is installed as
`make install` installs, gets every file the bot reads and none of the secrets, checks
its health with a command the bot has; the unit runs the installed console script on the
folder systemd gives it. (`make lint` checks each file's own syntax: hadolint, and
systemd-analyze where it is installed. The image itself can't be built here: no
registry is reachable for its base.)"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

from bot.cli import build_parser
from bot.domain.questions import DEFAULT_QUESTIONS_PATH

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
UNIT = (ROOT / "deploy" / "interview-bot.service").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _instructions(name: str) -> list[str]:
    """The Dockerfile's instructions of one kind, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [
        line.split(None, 1)[1]
        for line in joined.splitlines()
        if line.split(None, 1)[:1] == [name] and not line.startswith("#")
    ]


def _pip_installs(commands: list[str]) -> list[list[str]]:
    """The arguments after `pip install` in each of these shell commands."""
    found = []
    for command in commands:
        for step in re.split(r"&&|;", command):
            words = shlex.split(step)
            for at in range(len(words) - 1):
                if words[at].endswith("pip") and words[at + 1] == "install":
                    found.append(words[at + 2 :])
    return found


def _makefile_install() -> list[list[str]]:
    """`make install`'s pip steps (the recipe of $(STAMP)), its variables expanded."""
    makefile = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(.*)$", makefile, re.MULTILINE))
    recipe = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    while "$(" in recipe:
        recipe = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[1]), recipe)
    return _pip_installs(recipe.splitlines())


def _without(words: list[str], *flags: str) -> list[str]:
    return [word for word in words if word not in flags and not word.startswith("--quiet")]


def test_the_image_installs_as_make_install_does_without_the_dev_tools():
    make = _makefile_install()
    image = _pip_installs(_instructions("RUN"))
    assert len(make) == len(image) == 2  # pip itself, then the project
    for theirs, ours in zip(make, image, strict=True):
        ours = _without(ours, "--no-cache-dir")
        theirs = _without(theirs, "--disable-pip-version-check")
        assert ours == [word.replace(".[dev]", ".[${EXTRAS}]") for word in theirs]
    assert "-e" in image[1]  # the default question bank is read from the checkout
    assert 'ARG EXTRAS=""' in DOCKERFILE  # none unless asked for: no dev tools
    if (ROOT / "requirements.lock").exists():
        assert "requirements.lock" in image[1][image[1].index("-c") + 1]


def _dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    """.dockerignore's rules in order: (is an exception, the pattern), as Docker reads
    them: `*` within one path segment, `**` across segments, a match of a folder
    excludes what it holds, the last matching rule wins."""
    rules = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", pattern):
            if part.startswith("**"):
                regex += "(.*/)?" if part.endswith("/") else ".*"
            elif part == "*":
                regex += "[^/]*"
            elif part == "?":
                regex += "[^/]"
            else:
                regex += re.escape(part)
        rules.append((negate, re.compile(rf"{regex}(/.*)?")))
    return rules


def _ignored(path: str) -> bool:
    ignored = False
    for negate, pattern in _dockerignore():
        if pattern.fullmatch(path):
            ignored = not negate
    return ignored


def test_the_build_context_holds_what_the_install_reads_and_no_secrets():
    for kept in (
        "pyproject.toml",
        "README.md",
        "requirements.lock",
        "bot/client.py",
        "bot/store/migrations/users/0001_initial.sql",
        "cogs/locate.py",
        "data/questions.toml",
    ):
        assert not _ignored(kept), kept
    for secret in (
        ".env",
        ".env.production",
        ".git/config",
        ".venv/bin/python",
        "data/users/1234.sqlite3",
        "data/reminder-index.sqlite3",
        "data/sandbox/world.json",
        "bot/__pycache__/client.cpython-311.pyc",
    ):
        assert _ignored(secret), secret


def test_the_image_copies_every_file_the_bot_reads():
    copied = set()
    for copy in _instructions("COPY"):
        sources = [word for word in copy.split() if not word.startswith("--")][:-1]
        copied.update(sources)
    packages = set(PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"])
    assert {f"{package.rstrip('*')}" for package in packages} <= copied
    assert PYPROJECT["project"]["readme"] in copied
    assert str(DEFAULT_QUESTIONS_PATH.relative_to(ROOT)) in copied
    for source in copied:
        assert (ROOT / source).exists() or source == "requirements.lock", source
        assert not _ignored(source), source


def test_the_healthcheck_runs_the_bots_health_command():
    (healthcheck,) = _instructions("HEALTHCHECK")
    command = json.loads(healthcheck.split("CMD", 1)[1])
    assert command[:3] == ["python", "-m", "bot"]
    assert build_parser().parse_args(command[3:]).command == "health"
    assert "DATA_DIR=/data" in DOCKERFILE and '["/data"]' in _instructions("VOLUME")


def _unit(key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in UNIT.splitlines() if line.startswith(f"{key}=")]


def test_the_unit_runs_the_console_script_on_its_state_directory():
    (exec_start,) = _unit("ExecStart")
    program = Path(exec_start.split()[0])
    assert program.name in PYPROJECT["project"]["scripts"]
    assert program.parent == Path(_unit("WorkingDirectory")[0]) / ".venv" / "bin"
    (state,) = _unit("StateDirectory")
    assert f"DATA_DIR=/var/lib/{state}" in _unit("Environment")
    assert _unit("Type") == ["notify"]  # bot/health.py says READY=1 and WATCHDOG=1


def test_compose_mounts_a_named_volume_at_the_images_data_dir():
    compose = (ROOT / "compose.yaml").read_text()
    assert re.search(r"^\s+env_file: \.env$", compose, re.MULTILINE)
    assert re.search(r"^\s+DATA_DIR: /data$", compose, re.MULTILINE)
    assert re.search(r"^\s+- data:/data$", compose, re.MULTILINE)
    assert re.search(r"^volumes:\n  data:", compose, re.MULTILINE)
