# The bot in a container, installed as `make install` installs it: a virtual environment,
# pip upgraded, this checkout installed into it (editable, so the default question bank in
# data/ is read where it is) with every version pinned by requirements.lock; only the
# developer tools are left out. docs/deploy.md runs it with compose.yaml.
#
# One stage: every dependency ships a wheel for this base, so nothing is compiled and a
# build stage would have nothing to leave behind.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/app/.venv/bin:$PATH \
    DATA_DIR=/data

WORKDIR /app

# The bot runs as this user, never as root; the code is root's, so the bot can't change
# it, and /data (the members' stores) is the bot's alone.
RUN useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin bot \
    && install -d -o bot -g bot -m 700 /data

# Named one by one: what the install needs and nothing else (.dockerignore keeps
# secrets and members' data out of the build context as well).
COPY pyproject.toml README.md requirements.lock ./
COPY data/questions.toml data/
COPY cogs cogs/
COPY bot bot/

# Optional extras: BOT_EXTRAS=sentry in .env (compose.yaml passes it) for SENTRY_DSN.
ARG EXTRAS=""
# Every version comes from requirements.lock, given as constraints.
RUN python -m venv .venv \
    && pip install --no-cache-dir --upgrade pip -c requirements.lock \
    && pip install --no-cache-dir -c requirements.lock -e ".[${EXTRAS}]" \
    && chmod -R go+rX /app

USER 10001:10001
VOLUME ["/data"]

# `python -m bot health` reads the heartbeat the bot writes every 15 s to DATA_DIR: it
# fails when the bot stopped or hangs, its reminders stopped, or Discord has been out of
# reach for minutes.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

# SIGTERM (docker stop) lets the bot finish what is under way: give it 30 s (compose.yaml).
CMD ["python", "-m", "bot"]
