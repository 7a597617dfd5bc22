#!/bin/sh
# Runs a widget test on a display of its own. Xvfb picks a free display number itself
# (-displayfd), so widget tests can run in parallel, unlike with xvfb-run -a.
set -eu

dir=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$dir"' EXIT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/log" &
xvfb=$!

# Xvfb writes the number once it accepts clients; give up after ten seconds.
tries=0
while [ ! -s "$dir/display" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$xvfb" 2>/dev/null; then
    echo "Bail out! Xvfb did not start:" >&2
    cat "$dir/log" >&2
    exit 1
  fi
  sleep 0.1
done

status=0
DISPLAY=":$(head -n 1 "$dir/display")" GDK_BACKEND=x11 "$@" || status=$?
exit "$status"
