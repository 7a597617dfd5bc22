#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# valgrind memcheck of `minisock-cli run` on the echo scenario (one task) and on
# connection-limit (six tasks, one refused): prints valgrind's "definitely lost" line for each,
# with bench/valgrind.supp applied, and how many blocks each suppression took, so what is left
# out stays visible. The target is 0 bytes definitely lost.
set -eu
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null 2>&1 || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
[ -f _build/build.ninja ] || meson setup _build >/dev/null
meson compile -C _build minisock-cli >/dev/null

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for scenario in echo connection-limit; do
  GIO_USE_PROXY_RESOLVER=dummy valgrind --leak-check=full --num-callers=40 -v \
    --suppressions=bench/valgrind.supp --log-file="$log" \
    ./_build/src/cli/minisock-cli run "data/scenarios/$scenario.json" >/dev/null
  lost=$(grep 'definitely lost:' "$log" | sed 's/^==[0-9]*== *//')
  echo "$scenario.json: $lost"
  grep 'used_suppression:' "$log" | sed 's/^.*used_suppression: *\([0-9]*\) \([^ ]*\).*/  suppressed \1 × \2/'
  case "$lost" in
    "definitely lost: 0 bytes in 0 blocks") ;;
    *) status=1 ;;
  esac
done
exit "$status"
