/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-timeline"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "mini-timeline.h"

#define N_EVENTS      1000000
#define N_RUNS        5
#define PAYLOAD_SIZE  64
#define TARGET_RATE   1000000.0
#define TARGET_BYTES  150.0

typedef struct {
  double rate_median;
  double rate_min;
  double rate_max;
  double bytes_per_event;    /* (memory size - payload size) / n */
  double rss_per_event;      /* RSS growth / n, payload included */
  double rss_beyond_payload;
  double rss_extras;         /* what the producers' extra JsonObjects alone cost, per event */
} Figures;

static const char * const message_listeners[] = { "SocketTask.onMessage", NULL };

static gsize
rss_bytes (void)
{
  g_autofree char *contents = NULL;
  unsigned long size = 0;
  unsigned long resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL) ||
      sscanf (contents, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static JsonObject *
new_call_extra (void)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) args = json_object_new ();

  json_object_set_string_member (args, "data", "ping");
  json_object_set_object_member (extra, "args", g_steal_pointer (&args));

  return g_steal_pointer (&extra);
}

static void
append_events (MiniTimeline *timeline,
               const guint8 *payload,
               gboolean      mixed)
{
  MiniEventSpec message = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data = payload,
    .data_len = PAYLOAD_SIZE,
    .listeners = message_listeners,
  };

  for (guint i = 0; i < N_EVENTS; i++)
    {
      if (mixed && i % 10 == 0)
        {
          g_autoptr(JsonObject) extra = new_call_extra ();
          MiniEventSpec call = {
            .kind = MINI_EVENT_CALL,
            .task = 1,
            .api = "SocketTask.send",
            .code = MINI_NO_CODE,
          };

          call.extra = extra;
          mini_timeline_append (timeline, &call);
        }
      else
        {
          mini_timeline_append (timeline, &message);
        }
    }
}

typedef enum {
  WORKLOAD_MESSAGE,
  WORKLOAD_MIXED,
  WORKLOAD_EXTRAS_ONLY,
} Workload;

/* RSS growth in a forked child, so that neither memory freed by earlier runs nor GSlice's caches
 * hide any of it. The child measures before freeing anything. */
static gboolean
measure_rss (Workload      workload,
             const guint8 *payload,
             double       *growth,
             double       *payload_size)
{
  double result[2] = { 0, 0 };
  int fds[2];
  pid_t pid;
  int status;

  if (pipe (fds) != 0)
    return FALSE;

  pid = fork ();
  if (pid < 0)
    return FALSE;

  if (pid == 0)
    {
      gsize before = rss_bytes ();
      gsize after;
      gsize payload_bytes = 0;
      g_autoptr(MiniTimeline) timeline = NULL;
      g_autoptr(GPtrArray) extras = NULL;

      close (fds[0]);
      if (workload == WORKLOAD_EXTRAS_ONLY)
        {
          extras = g_ptr_array_new_full (N_EVENTS / 10, (GDestroyNotify) json_object_unref);
          for (guint i = 0; i < N_EVENTS; i += 10)
            g_ptr_array_add (extras, new_call_extra ());
        }
      else
        {
          timeline = mini_timeline_new ();
          append_events (timeline, payload, workload == WORKLOAD_MIXED);
          payload_bytes = mini_timeline_get_payload_size (timeline);
        }
      after = rss_bytes ();
      result[0] = after > before ? (double) (after - before) : 0;
      result[1] = payload_bytes;
      _exit (write (fds[1], result, sizeof result) == sizeof result ? 0 : 1);
    }

  close (fds[1]);
  if (read (fds[0], result, sizeof result) != sizeof result)
    result[0] = result[1] = -1;
  close (fds[0]);
  waitpid (pid, &status, 0);

  *growth = result[0];
  *payload_size = result[1];

  return result[0] >= 0;
}

/* Before any timed run: a child forked later would inherit a heap full of freed, resident memory
 * and show no growth. */
static void
measure_rss_figures (gboolean      mixed,
                     const guint8 *payload,
                     Figures      *figures)
{
  double growth;
  double payload_size;

  figures->rss_per_event = figures->rss_beyond_payload = figures->rss_extras = -1;
  if (measure_rss (mixed ? WORKLOAD_MIXED : WORKLOAD_MESSAGE, payload, &growth, &payload_size))
    {
      figures->rss_per_event = growth / N_EVENTS;
      figures->rss_beyond_payload = (growth - payload_size) / N_EVENTS;
    }
  if (!mixed)
    figures->rss_extras = 0;
  else if (measure_rss (WORKLOAD_EXTRAS_ONLY, payload, &growth, &payload_size))
    figures->rss_extras = growth / N_EVENTS;
}

static void
measure_rates (gboolean      mixed,
               const guint8 *payload,
               Figures      *figures)
{
  double rates[N_RUNS];

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
      gint64 start;
      gint64 elapsed;

      start = g_get_monotonic_time ();
      append_events (timeline, payload, mixed);
      elapsed = g_get_monotonic_time () - start;
      rates[run] = N_EVENTS / (MAX (elapsed, 1) / (double) G_USEC_PER_SEC);

      g_assert (mini_timeline_get_n_events (timeline) == N_EVENTS);

      if (run == 0)
        figures->bytes_per_event =
          (double) (mini_timeline_get_memory_size (timeline) -
                    mini_timeline_get_payload_size (timeline)) / N_EVENTS;
    }

  qsort (rates, N_RUNS, sizeof rates[0], compare_doubles);
  figures->rate_min = rates[0];
  figures->rate_median = rates[N_RUNS / 2];
  figures->rate_max = rates[N_RUNS - 1];
}

static void
print_row (const char *workload,
           const char *metric,
           const char *value,
           const char *target,
           gboolean    pass)
{
  printf ("%-9s  %-34s  %16s  %16s  %s\n",
          workload, metric, value, target, pass ? "PASS" : "FAIL");
}

static void
print_figures (const char    *workload,
               const Figures *figures)
{
  char value[64];
  char info[64];

  g_snprintf (value, sizeof value, "%.2f M/s", figures->rate_median / 1e6);
  print_row (workload, "append rate (median of 5)", value, ">= 1,000,000/s",
             figures->rate_median >= TARGET_RATE);
  g_snprintf (info, sizeof info, "%.2f-%.2f M/s", figures->rate_min / 1e6,
              figures->rate_max / 1e6);
  printf ("%-9s  %-34s  %16s\n", "", "  min-max", info);

  g_snprintf (value, sizeof value, "%.1f B", figures->bytes_per_event);
  print_row (workload, "memory/event beyond payload", value, "<= 150 B/event",
             figures->bytes_per_event <= TARGET_BYTES);

  if (figures->rss_per_event < 0)
    {
      printf ("%-9s  %-34s  %16s\n", workload, "RSS growth/event", "not measured");
      return;
    }

  g_snprintf (value, sizeof value, "%.1f B", figures->rss_beyond_payload);
  print_row (workload, "RSS growth/event beyond payload", value, "<= 150 B/event",
             figures->rss_beyond_payload <= TARGET_BYTES);
  g_snprintf (info, sizeof info, "%.1f B", figures->rss_per_event);
  printf ("%-9s  %-34s  %16s\n", "", "  RSS growth/event incl. payload", info);

  /* For comparison: what keeping the calls' JsonObjects themselves would cost. */
  if (figures->rss_extras > 0)
    {
      g_snprintf (info, sizeof info, "%.1f B", figures->rss_extras);
      printf ("%-9s  %-34s  %16s\n", "", "  the call JsonObjects, if kept", info);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint8 payload[PAYLOAD_SIZE];
  Figures message;
  Figures mixed;

  for (guint i = 0; i < PAYLOAD_SIZE; i++)
    payload[i] = 'a' + i % 26;

  measure_rss_figures (FALSE, payload, &message);
  measure_rss_figures (TRUE, payload, &mixed);
  measure_rates (FALSE, payload, &message);
  measure_rates (TRUE, payload, &mixed);

  printf ("MiniTimeline, %d events, %d-byte text payloads, %d runs\n\n",
          N_EVENTS, PAYLOAD_SIZE, N_RUNS);
  printf ("%-9s  %-34s  %16s  %16s  %s\n", "workload", "metric", "value", "target", "result");
  print_figures ("message", &message);
  print_figures ("mixed", &mixed);
  /* The rows bench/run gathers into its table. */
  printf ("\n");
  bench_row ("timeline: memory per event beyond payload, 1M message events", "B",
             &message.bytes_per_event, 1, BENCH_AT_MOST, TARGET_BYTES);
  if (message.rss_per_event >= 0)
    bench_row ("timeline: RSS growth per event beyond payload, 1M message events", "B",
               &message.rss_beyond_payload, 1, BENCH_AT_MOST, TARGET_BYTES);
  if (mixed.rss_per_event >= 0)
    bench_row ("timeline: RSS growth per event beyond payload, 1M mixed events", "B",
               &mixed.rss_beyond_payload, 1, BENCH_AT_MOST, TARGET_BYTES);

  printf ("\nmixed: every 10th event is a call with its args in an extra JsonObject; the timeline\n"
          "keeps a call's fields as JSON text in its arena and parses them when they are read.\n");

  return EXIT_SUCCESS;
}
