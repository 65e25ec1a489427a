#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds and runs every test. Exit status 0 when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${MOA_BUILD_DIR:-_build}
meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
