#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test with LeakSanitizer off when the sanitizer pass has it on; AddressSanitizer and
# UBSan stay fatal. Only for a test that cannot hold LeakSanitizer (tests/meson.build says why).
set -u

if [ -n "${ASAN_OPTIONS:-}" ]; then
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  export ASAN_OPTIONS
fi

exec "$@"
