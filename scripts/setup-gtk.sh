#!/usr/bin/env bash
# Installs what the analysts' desktop app (gtk-ui/) needs on Debian 12 on top of scripts/setup.sh,
# configures _build-gtk with -Dgtk_ui=enabled and builds it. Then start the app with
#   _build-gtk/gtk-ui/moa-analyst
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgtk-4-dev libadwaita-1-dev desktop-file-utils appstream xvfb xauth
          libgvc6 libgraphviz-dev)

# The core's own packages first (and the Italian locale).
MOA_BUILD_DIR=${MOA_BUILD_DIR:-_build} bash scripts/setup.sh

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "moa setup-gtk: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${MOA_GTK_BUILD_DIR:-_build-gtk}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized -Dgtk_ui=enabled "$@" >/dev/null
else
  meson configure "$build" -Dgtk_ui=enabled >/dev/null
fi
if ! ninja -C "$build" > "$build/ninja.log" 2>&1; then
  cat "$build/ninja.log" >&2
  echo "moa setup-gtk: the build failed (log above, and in $build/ninja.log)" >&2
  exit 1
fi
echo "moa setup-gtk: built in $build; start the app with: $build/gtk-ui/moa-analyst" >&2
