#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds, and evaluates every bundled procedure: the burden per
# procedure, obligation, target group and activity. Extra arguments go to `moa evaluate`
# (e.g. --format csv, --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build=${MOA_BUILD_DIR:-_build}
exec "$build/cli/moa" evaluate procedures/ "$@"
