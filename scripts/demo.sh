#!/usr/bin/env bash
# Installs cchc, builds the demo province into the embedded SQLite database and serves it on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CCHC_DATA_DIR="${CCHC_DATA_DIR:-$PWD/data}"
.venv/bin/cchc migrate --no-input -v0
.venv/bin/cchc demo
exec .venv/bin/cchc serve
