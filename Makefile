VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every package's exact version (the whole dependency tree): installs here, in CI and in
# the container are the same. `make lock` re-pins them; docs/deploy.md says when.
LOCK := requirements.lock
PIP := --quiet --disable-pip-version-check

.PHONY: install run sandbox demo test fuzz coverage lint format bench clean lock

$(STAMP): pyproject.toml $(LOCK)
	@echo "Setting up $(VENV) with the bot's dependencies (first run only, about 30 s)..."
	@python3 -m venv $(VENV)
	@$(PY) -m pip install $(PIP) --upgrade pip -c $(LOCK)
	@$(PY) -m pip install $(PIP) -c $(LOCK) -e '.[dev]'
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

# Every command fuzzed through the emulator at length (make test runs 10 fixed cases a
# command): FUZZ_EXAMPLES cases per command, a fresh random seed each run.
FUZZ_EXAMPLES ?= 300
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -n auto tests/fuzz --hypothesis-show-statistics

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

# Re-pin every dependency to the newest release pyproject.toml allows: a fresh virtual
# environment gets this checkout with all its extras, and pip freeze writes what came.
# Then `make test` and commit requirements.lock; an installed .venv follows at the next make.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	python3 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install $(PIP) --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install $(PIP) -e '.[dev,sentry]'
	{ echo "# Every dependency's exact version, for Python 3.11 on Linux x86-64. Made by"; \
	  echo "# 'make lock' (pip freeze in a fresh venv with '.[dev,sentry]'); read as"; \
	  echo "# constraints: pip install -c requirements.lock -e '.[dev]'."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable \
	    | grep -v -E '^(setuptools|wheel)=='; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)
