#!/usr/bin/env bash
# make lint: check a systemd unit as systemd would load it, on any machine with
# systemd-analyze (whether or not systemd runs there): `systemd-analyze verify` (unknown
# or misspelt settings, bad values, missing targets) and its offline security score, which
# must stay at or below MAX_EXPOSURE (0 = fully sandboxed, 10 = none at all).
# Usage: deploy/check-unit.sh deploy/interview-bot.service
set -euo pipefail
MAX_EXPOSURE=${MAX_EXPOSURE:-2.0}
unit=$1
name=$(basename "$unit")

if ! command -v systemd-analyze >/dev/null; then
    echo "skipped: systemd-analyze isn't installed here, so $unit is not checked"
    exit 0
fi

# A root of its own: the system's unit files, this unit, and a stand-in for each program
# the unit runs (verify checks they exist; the bot's install lives on the server).
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp "$unit" "$root/etc/systemd/system/$name"
grep -E '^Exec[A-Za-z]*=' "$unit" | while IFS='=' read -r _ command; do
    program=${command%% *}
    program=${program#[-@+!:]}
    program=${program#[-@+!:]}
    mkdir -p "$root$(dirname "$program")"
    printf '#!/bin/sh\n' >"$root$program"
    chmod +x "$root$program"
done

# verify warns about what systemd would ignore (exit 0 all the same): any output fails.
output=$(systemd-analyze verify --root="$root" "$name" 2>&1) || { echo "$output"; exit 1; }
if [ -n "$output" ]; then
    echo "$output"
    exit 1
fi
score=$(systemd-analyze security --offline=yes --root="$root" --threshold=0 "$name" 2>&1 |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p') || true
if [ -z "$score" ]; then
    echo "$unit: systemd-analyze security gave no score"
    exit 1
fi
if ! awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
    echo "$unit: exposure $score is above $MAX_EXPOSURE: systemd-analyze security --offline=yes lists what to sandbox"
    exit 1
fi
echo "$unit: verified; exposure $score (at most $MAX_EXPOSURE)"
