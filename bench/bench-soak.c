/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* Soak: connect, open, send, echo, close, again and again, through one runtime against the
 * embedded playground, as a long session in the window would. The open file descriptors and the
 * resident memory at the end are compared with what they were after the first 100 cycles.
 *
 * The timeline is cleared after every cycle (as Ctrl+L does): it keeps every event by design,
 * so it would grow by each cycle's events and hide what else grows. What is left to grow is the
 * runtime's state per task, libsoup's per connection, and the playground's. */

#define DEFAULT_CYCLES 10000
#define WARM_CYCLES    100
#define DEADLINE_MS    (10 * 1000)

typedef struct {
  gint opens;
  gint messages;
  gint closes;
  gint errors;
} Counts;

static void
on_platform_event (MiniRuntime *runtime,
                   gint         kind,
                   guint        task,
                   guint        seq,
                   Counts      *counts)
{
  switch (kind)
    {
    case MINI_EVENT_OPEN:
      counts->opens++;
      break;
    case MINI_EVENT_MESSAGE:
      counts->messages++;
      break;
    case MINI_EVENT_CLOSE:
      counts->closes++;
      break;
    case MINI_EVENT_ERROR:
      counts->errors++;
      break;
    default:
      break;
    }
}

static void
wait_count (gint       *count,
            gint        expected,
            Counts     *counts,
            const char *what,
            guint       cycle)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (*count < expected && counts->errors == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  if (*count < expected)
    {
      g_printerr ("cycle %u: no %s%s\n", cycle, what, counts->errors > 0 ? " (error event)" : "");
      exit (EXIT_FAILURE);
    }
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;

  /* The directory's own descriptor was counted too. */
  return n - 1;
}

typedef struct {
  guint  fds_warm;
  guint  fds_end;
  gsize  rss_warm;
  gsize  rss_end;
  double seconds;
} Soak;

static Soak
run_soak (MiniPlayground *playground,
          MiniDialect    *dialect,
          guint           cycles)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = mini_runtime_new (dialect, timeline);
  g_autoptr(JsonObject) connect_args = json_object_new ();
  g_autoptr(JsonObject) send_args = json_object_new ();
  g_autoptr(JsonObject) close_args = json_object_new ();
  Counts counts = { 0 };
  gint64 start = g_get_monotonic_time ();
  Soak soak = { 0 };

  mini_runtime_set_playground_url (runtime, mini_playground_get_url (playground));
  g_signal_connect (runtime, "platform-event", G_CALLBACK (on_platform_event), &counts);
  json_object_set_string_member (connect_args, "url", "{playground}/echo");
  json_object_set_string_member (send_args, "data", "soak");
  json_object_set_int_member (close_args, "code", 1000);
  json_object_set_string_member (close_args, "reason", "cycle done");

  for (guint i = 1; i <= cycles; i++)
    {
      guint task;

      bench_call (runtime, "connectSocket", connect_args, 0);
      task = mini_runtime_get_newest_task (runtime);
      bench_call (runtime, "SocketTask.onMessage", NULL, task);
      bench_call (runtime, "SocketTask.onClose", NULL, task);
      wait_count (&counts.opens, i, &counts, "open", i);
      bench_call (runtime, "SocketTask.send", send_args, task);
      wait_count (&counts.messages, i, &counts, "echo", i);
      bench_call (runtime, "SocketTask.close", close_args, task);
      wait_count (&counts.closes, i, &counts, "close", i);
      mini_timeline_clear (timeline);

      if (i == WARM_CYCLES)
        {
          soak.fds_warm = count_fds ();
          soak.rss_warm = bench_rss_bytes ();
        }
    }

  /* Let the playground's side of the last connections finish closing. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  soak.fds_end = count_fds ();
  soak.rss_end = bench_rss_bytes ();
  soak.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_signal_handlers_disconnect_by_data (runtime, &counts);
  mini_runtime_shutdown (runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  return soak;
}

/* One soak in this process, printed as "fds_warm rss_warm fds_end rss_end seconds". */
static int
run_child (guint cycles)
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;
  Soak soak;

  if ((dialect = mini_dialect_load ("wx", &error)) == NULL
      || !mini_playground_start (playground, "127.0.0.1", 0, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  soak = run_soak (playground, dialect, cycles);
  mini_playground_stop (playground);

  printf ("%u %" G_GSIZE_FORMAT " %u %" G_GSIZE_FORMAT " %.3f\n", soak.fds_warm, soak.rss_warm,
          soak.fds_end, soak.rss_end, soak.seconds);
  return EXIT_SUCCESS;
}

/* Each run is a fresh process: memory a previous run freed would otherwise be reused and hide
 * what grows. */
static gboolean
spawn_run (guint  cycles,
           Soak  *soak)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *cycles_text = g_strdup_printf ("%u", cycles);
  const char *argv[] = { self, "--child", cycles_text, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  gint status;

  if (self == NULL
      || !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                        &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error)
      || sscanf (out, "%u %zu %u %zu %lf", &soak->fds_warm, &soak->rss_warm, &soak->fds_end,
                 &soak->rss_end, &soak->seconds) != 5)
    {
      g_printerr ("soak run failed: %s\n", error != NULL ? error->message : "no figures");
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree double *fd_ratios = NULL;
  g_autofree double *rss_ratios = NULL;
  g_autofree double *rss_per_cycle = NULL;
  guint cycles = DEFAULT_CYCLES;
  guint runs;

  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (atoi (argv[2]));

  runs = bench_parse_runs (&argc, &argv, 5);
  if (argc > 1)
    cycles = atoi (argv[1]);
  if (cycles <= WARM_CYCLES)
    {
      g_printerr ("usage: %s [--runs N] [CYCLES > %d]\n", argv[0], WARM_CYCLES);
      return 2;
    }

  fd_ratios = g_new0 (double, runs);
  rss_ratios = g_new0 (double, runs);
  rss_per_cycle = g_new0 (double, runs);

  g_printerr ("soak: %u connect/send/echo/close cycles on wx, %u runs, load %.2f\n",
              cycles, runs, bench_load_average ());
  for (guint i = 0; i < runs; i++)
    {
      Soak soak;

      if (!spawn_run (cycles, &soak))
        return EXIT_FAILURE;

      fd_ratios[i] = soak.fds_end / (double) soak.fds_warm;
      rss_ratios[i] = soak.rss_end / (double) soak.rss_warm;
      rss_per_cycle[i] = ((double) soak.rss_end - (double) soak.rss_warm)
                         / (cycles - WARM_CYCLES);
      g_printerr ("  run %u: %.1f s; after cycle %d: %u fds, RSS %.1f MiB; after cycle %u: "
                  "%u fds, RSS %.1f MiB; RSS ratio %.3f\n",
                  i + 1, soak.seconds, WARM_CYCLES, soak.fds_warm,
                  soak.rss_warm / 1048576.0, cycles, soak.fds_end, soak.rss_end / 1048576.0,
                  rss_ratios[i]);
    }

  bench_row ("soak, 10k cycles: open fds at the end ÷ after 100", "", fd_ratios, runs,
             BENCH_AT_MOST, 1.05);
  bench_row ("soak, 10k cycles: RSS at the end ÷ after 100", "", rss_ratios, runs,
             BENCH_AT_MOST, 1.05);
  bench_row ("soak: RSS growth per cycle after the first 100", "B", rss_per_cycle, runs,
             BENCH_INFO, 0);

  return EXIT_SUCCESS;
}
