/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"

/* Takes "--runs N" out of the arguments; BENCH_RUNS in the environment also sets it. */
guint
bench_parse_runs (int    *argc,
                  char ***argv,
                  guint   default_runs)
{
  const char *env = g_getenv ("BENCH_RUNS");
  guint runs = default_runs;
  int out = 1;

  if (env != NULL && atoi (env) > 0)
    runs = atoi (env);

  for (int i = 1; i < *argc; i++)
    {
      if (strcmp ((*argv)[i], "--runs") == 0 && i + 1 < *argc)
        {
          int value = atoi ((*argv)[++i]);

          if (value <= 0)
            {
              fprintf (stderr, "%s: --runs expects a number ≥ 1, got %s\n", (*argv)[0], (*argv)[i]);
              exit (2);
            }
          runs = value;
          continue;
        }
      (*argv)[out++] = (*argv)[i];
    }
  *argc = out;
  (*argv)[out] = NULL;

  return runs;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

BenchStats
bench_stats (const double *values,
             guint         n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));
  BenchStats stats = { 0, 0, 0 };

  if (n == 0)
    return stats;

  qsort (sorted, n, sizeof (double), compare_doubles);
  stats.min = sorted[0];
  stats.max = sorted[n - 1];
  stats.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;

  return stats;
}

/* The nearest-rank percentile of an array of doubles; sorts it. */
double
bench_percentile (GArray *values,
                  double  fraction)
{
  guint rank;

  if (values->len == 0)
    return 0;

  qsort (values->data, values->len, sizeof (double), compare_doubles);
  rank = (guint) (fraction * values->len + 0.999999);
  rank = CLAMP (rank, 1, values->len);

  return g_array_index (values, double, rank - 1);
}

static void
format_value (char       *buffer,
              gsize       size,
              double      value,
              const char *unit)
{
  g_snprintf (buffer, size, "%.*f%s%s", value >= 100 ? 0 : value >= 10 ? 1 : 2, value,
              *unit != '\0' ? " " : "", unit);
}

/* Prints one row of the table; returns whether the median meets the target. */
gboolean
bench_row (const char   *figure,
           const char   *unit,
           const double *values,
           guint         n,
           BenchGoal     goal,
           double        target)
{
  BenchStats stats = bench_stats (values, n);
  gboolean pass = goal == BENCH_INFO || (goal == BENCH_AT_LEAST ? stats.median >= target
                                                                 : stats.median <= target);
  char min[32], median[32], max[32], goal_text[48];
  const char *label;

  format_value (min, sizeof min, stats.min, unit);
  format_value (median, sizeof median, stats.median, unit);
  format_value (max, sizeof max, stats.max, unit);
  format_value (goal_text, sizeof goal_text, target, unit);

  /* BENCH_LABEL tells runs of one benchmark apart in a table: bench/run sets it for the window
   * drawn with GTK's cairo renderer. */
  label = g_getenv ("BENCH_LABEL");
  if (goal == BENCH_INFO)
    printf ("| %s%s | %s | %s | %s | %u | – | – |\n", figure, label != NULL ? label : "", min,
            median, max, n);
  else
    printf ("| %s%s | %s | %s | %s | %u | %s %s | %s |\n", figure, label != NULL ? label : "",
            min, median, max, n, goal == BENCH_AT_LEAST ? "≥" : "≤", goal_text,
            pass ? "pass" : "FAIL");
  fflush (stdout);

  return pass;
}

void
bench_row_missing (const char *figure,
                   const char *reason)
{
  printf ("| %s | – | – | – | 0 | – | not run: %s |\n", figure, reason);
  fflush (stdout);
}

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until *done or the timeout; returns *done. */
gboolean
bench_wait (gboolean *done,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return *done;
}

gsize
bench_rss_bytes (void)
{
  g_autofree char *contents = NULL;
  unsigned long size = 0;
  unsigned long resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL)
      || sscanf (contents, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

double
bench_load_average (void)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return -1;

  return g_ascii_strtod (contents, NULL);
}

/* A benchmark measures a run that works: a call the runtime refuses ends it with the reason. */
void
bench_call (MiniRuntime *runtime,
            const char  *api,
            JsonObject  *args,
            guint        task)
{
  g_autoptr(GError) error = NULL;

  if (!mini_runtime_call (runtime, api, args, task, &error))
    {
      g_printerr ("%s: %s\n", api, error->message);
      exit (EXIT_FAILURE);
    }
}
