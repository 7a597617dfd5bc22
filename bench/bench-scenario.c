/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

/* Scenario `at` steps: how late each timed step runs, read from the timeline as a user reads it
 * (the t of its call event against the step's `at`), while the echoes of the earlier steps keep
 * the main loop busy. */

#define DEFAULT_STEPS 500
#define FIRST_AT_MS   50
#define STEP_MS       4

static char *
scenario_text (guint steps)
{
  GString *text = g_string_new (NULL);

  g_string_append (text,
                   "{\"dialect\": \"wx\", \"steps\": [\n"
                   "  {\"at\": 0, \"call\": \"connectSocket\","
                   " \"args\": {\"url\": \"{playground}/echo\"}},\n"
                   "  {\"at\": 0, \"call\": \"SocketTask.onMessage\"}");
  for (guint i = 0; i < steps; i++)
    g_string_append_printf (text, ",\n  {\"at\": %u, \"call\": \"SocketTask.send\","
                                  " \"args\": {\"data\": \"step %u\"}}",
                            FIRST_AT_MS + i * STEP_MS, i);
  g_string_append (text, "\n], \"until\": {\"idle\": 50, \"max\": 60000}}\n");

  return g_string_free (text, FALSE);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!mini_scenario_run_finish (MINI_SCENARIO (source), result, &error))
    {
      g_printerr ("scenario: %s\n", error->message);
      exit (EXIT_FAILURE);
    }
  *(gboolean *) data = TRUE;
}

/* Runs the scenario once; returns the 99th percentile lateness in ms and adds to @all. */
static double
run_once (MiniScenario *scenario,
          const char   *playground_url,
          guint         steps,
          GArray       *all,
          double       *worst)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(GArray) lateness = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint step = 0;

  runtime = mini_scenario_create_runtime (scenario, NULL, timeline, playground_url, &error);
  if (runtime == NULL)
    {
      g_printerr ("scenario: %s\n", error->message);
      exit (EXIT_FAILURE);
    }
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < mini_timeline_get_n_events (timeline); i++)
    {
      MiniEventView view;
      double late;

      mini_timeline_get_event (timeline, i, &view);
      if (view.kind != MINI_EVENT_CALL || g_strcmp0 (view.api, "SocketTask.send") != 0)
        continue;
      late = (view.t_us - (FIRST_AT_MS + step * STEP_MS) * 1000.0) / 1000.0;
      g_array_append_val (lateness, late);
      g_array_append_val (all, late);
      *worst = MAX (*worst, late);
      step++;
    }
  if (step != steps)
    {
      g_printerr ("scenario: %u of %u timed steps ran\n", step, steps);
      exit (EXIT_FAILURE);
    }

  mini_runtime_shutdown (runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  return bench_percentile (lateness, 0.99);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *text = NULL;
  g_autofree double *p99 = NULL;
  g_autofree double *medians = NULL;
  guint steps = DEFAULT_STEPS;
  guint runs;

  runs = bench_parse_runs (&argc, &argv, 5);
  if (argc > 1)
    steps = atoi (argv[1]);
  if (steps == 0)
    {
      g_printerr ("usage: %s [--runs N] [STEPS]\n", argv[0]);
      return 2;
    }

  text = scenario_text (steps);
  if (!mini_playground_start (playground, "127.0.0.1", 0, &error)
      || (scenario = mini_scenario_new_from_data ("bench-scenario", text, -1, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  p99 = g_new0 (double, runs);
  medians = g_new0 (double, runs);
  g_printerr ("scenario: %u `at` steps %d ms apart, %u runs, load %.2f\n",
              steps, STEP_MS, runs, bench_load_average ());
  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GArray) run = g_array_new (FALSE, FALSE, sizeof (double));
      double worst = 0;

      p99[i] = run_once (scenario, mini_playground_get_url (playground), steps, run, &worst);
      medians[i] = bench_percentile (run, 0.5);
      g_array_append_vals (all, run->data, run->len);
      g_printerr ("  run %u: median %.3f ms, p99 %.3f ms, worst %.3f ms\n",
                  i + 1, medians[i], p99[i], worst);
    }

  bench_row ("scenario `at` steps: p99 lateness", "ms", p99, runs, BENCH_AT_MOST, 2.0);

  mini_playground_stop (playground);

  return EXIT_SUCCESS;
}
