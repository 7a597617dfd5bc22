#!/usr/bin/env bash
# Installs what Minisock needs from Debian, builds it, and runs it or its tests.
#   build-aux/setup.sh run    build, then open the Minisock window
#   build-aux/setup.sh cli    build, then print the timeline of the bundled echo scenario
#   build-aux/setup.sh test   build, then run every test (the window's under a private Xvfb), then
#                             all of them again in an AddressSanitizer+UBSan build, _build-asan
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
  gcc meson ninja-build pkg-config gettext
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libgtk-4-dev
  python3 python3-websockets nodejs glib-networking
  xvfb xauth xdotool fonts-noto-cjk
  desktop-file-utils appstream locales
  chromium  # the har-devtools test opens the exported HAR in its DevTools
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

# The window is tested and read in Simplified Chinese, which needs the locale generated.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  echo "Generating the zh_CN.UTF-8 locale"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen >/dev/null
fi

if [ -f _build/build.ninja ]; then
  meson setup --reconfigure _build >/dev/null
else
  meson setup _build
fi
meson compile -C _build

case "${1:-run}" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "No display to open the window on. Run this from a desktop session, or try" >&2
      echo "  build-aux/setup.sh cli    for the text timeline of the echo scenario" >&2
      exit 1
    fi
    exec ./_build/src/app/minisock
    ;;
  cli)
    exec ./_build/src/cli/minisock-cli run data/scenarios/echo.json
    ;;
  test)
    meson test -C _build --print-errorlogs
    # The sanitizer pass: every test again, built with AddressSanitizer and UndefinedBehavior-
    # Sanitizer. tests/meson.build makes any report fail its test (tests/lsan.supp, README).
    if [ -f _build-asan/build.ninja ]; then
      meson setup --reconfigure _build-asan >/dev/null
    else
      meson setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false
    fi
    meson compile -C _build-asan
    exec meson test -C _build-asan --print-errorlogs
    ;;
  *)
    echo "usage: build-aux/setup.sh run|cli|test" >&2
    exit 2
    ;;
esac
