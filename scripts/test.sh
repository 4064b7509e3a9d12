#!/usr/bin/env bash
# Install what the tests need (Python packages, Debian's chromium and caddy) and run lint and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages the tests use: chromium (browser tests), caddy (the deployment of scripts/serve.sh).
missing=""
command -v chromium >/dev/null 2>&1 || missing="chromium fonts-dejavu-core"
command -v caddy >/dev/null 2>&1 || missing="$missing caddy"
if [ -n "$missing" ]; then
  sudo_cmd=""
  [ "$(id -u)" = "0" ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
fi
bash scripts/setup.sh dev
.venv/bin/ruff check .
# One worker per core, each test file on one worker (its session fixtures: store, server, browser).
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
