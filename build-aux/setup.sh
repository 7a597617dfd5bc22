#!/usr/bin/env bash
# Installs what Minisock needs from Debian, builds it, and runs it or its tests.
#   build-aux/setup.sh run    build, then print the timeline of the bundled echo scenario
#   build-aux/setup.sh test   build, then run every test
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
  gcc meson ninja-build pkg-config gettext
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev
  python3 python3-websockets
  libgtk-4-dev xvfb xauth
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f _build/build.ninja ]; then
  meson setup --reconfigure _build >/dev/null
else
  meson setup _build
fi
meson compile -C _build

case "${1:-run}" in
  run)
    exec ./_build/src/cli/minisock-cli run data/scenarios/echo.json
    ;;
  test)
    exec meson test -C _build --print-errorlogs
    ;;
  *)
    echo "usage: build-aux/setup.sh run|test" >&2
    exit 2
    ;;
esac
