/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mini-runtime.h"

G_BEGIN_DECLS

/* What the benchmarks share: runs from the command line, statistics, the main-loop wait, a
 * runtime call that must succeed and the
 * one table format that bench/run gathers (every line starting with "| "). */

typedef struct {
  double min;
  double median;
  double max;
} BenchStats;

typedef enum {
  BENCH_AT_LEAST,
  BENCH_AT_MOST,
  BENCH_INFO,      /* a figure without a target of its own */
} BenchGoal;

guint      bench_parse_runs      (int          *argc,
                                  char       ***argv,
                                  guint         default_runs);
BenchStats bench_stats           (const double *values,
                                  guint         n);
double     bench_percentile      (GArray       *values,
                                  double        fraction);
gboolean   bench_row             (const char   *figure,
                                  const char   *unit,
                                  const double *values,
                                  guint         n,
                                  BenchGoal     goal,
                                  double        target);
void       bench_row_missing     (const char   *figure,
                                  const char   *reason);
gboolean   bench_wait            (gboolean     *done,
                                  guint         timeout_ms);
gsize      bench_rss_bytes       (void);
double     bench_load_average    (void);
void       bench_call            (MiniRuntime  *runtime,
                                  const char   *api,
                                  JsonObject   *args,
                                  guint         task);

G_END_DECLS
