#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a widget test on a private Xvfb display of 1280×800, so the tests see the same screen in
# CI and on a desktop and never open windows on the developer's display. xvfb-run -a picks a
# free display number. MINISOCK_TEST_DISPLAY=1 runs on the current display instead.
set -eu

if [ "${MINISOCK_TEST_DISPLAY:-0}" = "1" ] && [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "Bail out! xvfb-run is missing: install xvfb and xauth (build-aux/setup.sh does)"
  exit 1
fi

unset WAYLAND_DISPLAY
exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$@"
