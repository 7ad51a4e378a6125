VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run sandbox demo test coverage lint format bench clean

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) with the bot's dependencies (first run only, about 30 s)..."
	@python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(PY) -m bot

sandbox: $(STAMP)
	@$(PY) -m bot --sandbox

demo: $(STAMP)
	@$(PY) -m bot.sandbox.demo

# One worker per core (pytest-xdist): every test has its own emulator on a free port
# and its own temporary data folder, so they run in any order, in any process.
test: $(STAMP)
	$(PY) -m pytest -n auto

# The same run, measuring which lines of bot/ and cogs/ the tests reach.
coverage: $(STAMP)
	$(PY) -m pytest -n auto --cov --cov-report=term-missing

# The deployment files too: the Dockerfile with hadolint (any finding fails), the systemd
# unit with systemd-analyze where it is installed (deploy/check-unit.sh says when it isn't).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/hadolint --failure-threshold style Dockerfile
	@deploy/check-unit.sh deploy/interview-bot.service

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV)
