#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a widget test on a private Xvfb display of 1280×800, so the tests see the same screen in
# CI and on a desktop and never open windows on the developer's display. Xvfb picks a free
# display number itself (-displayfd) and is stopped however the test ends, a timeout included.
# MINISOCK_TEST_DISPLAY=1 runs on the current display instead.
set -u

# A test that cannot hold LeakSanitizer yet (tests/meson.build says why) asks to run without it.
if [ "${MINISOCK_TEST_NO_LEAK_CHECK:-0}" = "1" ] && [ -n "${ASAN_OPTIONS:-}" ]; then
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  export ASAN_OPTIONS
fi

if [ "${MINISOCK_TEST_DISPLAY:-0}" = "1" ] && [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi

if ! command -v Xvfb >/dev/null 2>&1; then
  echo "Bail out! Xvfb is missing: install xvfb (build-aux/setup.sh does)"
  exit 1
fi

dir=$(mktemp -d)
xvfb=
child=
cleanup () {
  [ -n "$child" ] && kill "$child" 2>/dev/null
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dir/display" 2>"$dir/log" &
xvfb=$!

# Xvfb writes its display number once it accepts clients; give up after 20 s.
tries=0
while [ ! -s "$dir/display" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ] || ! kill -0 "$xvfb" 2>/dev/null; then
    echo "Bail out! Xvfb did not start: $(cat "$dir/log")"
    exit 1
  fi
  sleep 0.1
done

DISPLAY=":$(cat "$dir/display")"
export DISPLAY
unset WAYLAND_DISPLAY

"$@" &
child=$!
wait "$child"
status=$?
child=
exit "$status"
