#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the metainfo's screenshots of the real window on a private Xvfb display:
#   build-aux/screenshots.sh [BUILD_DIR] [OUT_DIR]
# Needs Xvfb, xdotool and ImageMagick's import. The clicks assume the window's default
# 1280×800 layout; look at every PNG before committing it.
set -eu

build=${1:-_build}
out=${2:-data/screenshots}
display=:${MINISOCK_SCREENSHOT_DISPLAY:-97}
mkdir -p "$out"

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
cleanup () {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
sleep 1

export DISPLAY="$display" GDK_BACKEND=x11 GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1

# start LANGUAGE THEME: opens the window, connects to the playground echo and sends a message.
start () {
  LANGUAGE=$1 LANG=C.UTF-8 LC_ALL=C.UTF-8 GTK_THEME=$2 "$build/src/app/minisock" >/dev/null 2>&1 &
  app=$!
  # Wait for the window to be mapped, then for its first layout; a loaded machine is slow.
  xdotool search --sync --onlyvisible --name '^Minisock$' >/dev/null
  sleep 2
  xdotool key ctrl+Return
  sleep 1
  # The message bar's entry, at the bottom.
  xdotool mousemove 320 769 click 1
  xdotool type --delay 20 '{"hello":"minisock"}'
  xdotool key ctrl+shift+Return
  sleep 1
}

stop () {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=
  sleep 0.5
}

# The second row of the event list is the domainCheck quirk: select it so the inspector
# shows the rule that decided it.
select_quirk () {
  xdotool mousemove 560 253 click 1
  sleep 0.7
}

start en Adwaita
select_quirk
import -window root "$out/timeline.png"
xdotool key ctrl+2
sleep 0.7
import -window root "$out/quirks.png"
stop

start zh_CN Adwaita:dark
select_quirk
import -window root "$out/timeline-zh_CN-dark.png"
stop

echo "Wrote $out/timeline.png, $out/quirks.png and $out/timeline-zh_CN-dark.png"
