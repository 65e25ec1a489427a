#!/usr/bin/env bash
# Installs what moa needs to build and test on Debian 12, then configures a build in _build.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(meson ninja-build pkg-config gcc libc6-dev
          libglib2.0-dev libxml2-dev libgsl-dev libcmocka-dev
          libsqlite3-dev libcairo2-dev libpango1.0-dev
          gettext libxml2-utils locales python3 poppler-utils sqlite3)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "moa setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Italian locale, for the Italian number format and messages.
if ! locale -a 2>/dev/null | grep -qi '^it_IT\.utf-\?8$'; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO sed -i 's/^# *\(it_IT.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^it_IT.UTF-8 UTF-8' /etc/locale.gen || echo 'it_IT.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen >/dev/null
fi

build=${MOA_BUILD_DIR:-_build}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized "$@" >/dev/null
fi
if ! ninja -C "$build" > "$build/ninja.log" 2>&1; then
  cat "$build/ninja.log" >&2
  echo "moa setup: the build failed (log above, and in $build/ninja.log)" >&2
  exit 1
fi
echo "moa setup: built in $build" >&2
