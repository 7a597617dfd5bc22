/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-bench"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "mini-app-util.h"
#include "mini-application.h"
#include "mini-window.h"

/* The window's figures, on the real window of libminiapp (as tests/test-window.c drives it) on
 * the display bench/run starts:
 *  - start to first frame: this program started again with --first-frame, from the spawn to the
 *    first frame the window paints;
 *  - under a flood from the embedded playground: the longest main-loop stall, seen by a
 *    high-priority probe that asks to run every millisecond, and the 99th percentile interval
 *    between frames, from a GdkFrameClock tick callback;
 *  - with 1,000,000 events in the timeline: scrolling to the end and filtering by kind, each
 *    from the action to the frame that shows its result. */

#define FLOOD_MESSAGES   100000
#define MANY_EVENTS      1000000
#define PAYLOAD_SIZE     64
#define DEADLINE_MS      (120 * 1000)
#define PROBE_US         1000

static MiniApplication *app;
static guint runs;
static int status = EXIT_SUCCESS;

/* ---- frames --------------------------------------------------------------------------------- */

typedef struct {
  GdkFrameClock *clock;
  gulong         handler;
  guint          paints;
  gint64         last_paint;
} Painter;

static void
on_after_paint (GdkFrameClock *clock,
                Painter       *painter)
{
  painter->paints++;
  painter->last_paint = g_get_monotonic_time ();
}

static void
painter_init (Painter   *painter,
              GtkWidget *window)
{
  painter->clock = gtk_widget_get_frame_clock (window);
  painter->handler = g_signal_connect (painter->clock, "after-paint",
                                       G_CALLBACK (on_after_paint), painter);
}

static void
painter_clear (Painter *painter)
{
  g_clear_signal_handler (&painter->handler, painter->clock);
}

static void
iterate_until_deadline (gint64 deadline)
{
  if (g_get_monotonic_time () > deadline)
    {
      g_printerr ("bench-window: gave up waiting\n");
      exit (EXIT_FAILURE);
    }
  g_main_context_iteration (NULL, TRUE);
}

/* Waits for the next frame painted from now on; returns when it was painted. */
static gint64
wait_paint (Painter *painter)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;
  guint paints = painter->paints;

  gtk_widget_queue_draw (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app))));
  while (painter->paints == paints)
    iterate_until_deadline (deadline);

  return painter->last_paint;
}

typedef gboolean (*Condition) (gpointer data);

/* After an action: waits for @done to hold, then for the frame that shows it. */
static gint64
wait_shown (Painter   *painter,
            Condition  done,
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (!done (data))
    iterate_until_deadline (deadline);

  return wait_paint (painter);
}

static MiniWindow *
open_window (Painter *painter)
{
  MiniWindow *window = mini_window_new (app);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    iterate_until_deadline (deadline);
  painter_init (painter, GTK_WIDGET (window));
  wait_paint (painter);

  return window;
}

static void
close_window (MiniWindow *window,
              Painter    *painter)
{
  painter_clear (painter);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* ---- start to first frame ------------------------------------------------------------------- */

static void
on_first_paint (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 spawned = g_ascii_strtoll (g_getenv ("BENCH_SPAWN_TIME"), NULL, 10);

  printf ("%f\n", (g_get_monotonic_time () - spawned) / 1000.0);
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, data);
  g_application_quit (g_application_get_default ());
}

static void
on_window_realized (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_paint), NULL);
}

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window)
{
  g_signal_connect (window, "realize", G_CALLBACK (on_window_realized), NULL);
}

/* The child: the app as main.c runs it, timed to its first painted frame. */
static int
first_frame_child (int   argc,
                   char *argv[])
{
  char *app_argv[] = { argv[0], NULL };

  app = mini_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);

  return g_application_run (G_APPLICATION (app), 1, app_argv);
}

/* The toolkit's share: a bare GtkApplicationWindow with one label, started and timed the same
 * way, on the same display and renderer (chosen as the app chooses it). */
static void
on_bare_startup (GApplication *application)
{
  mini_app_choose_renderer (gdk_display_get_default ());
}

static void
on_bare_activate (GtkApplication *application)
{
  GtkWidget *window = gtk_application_window_new (application);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Minisock"));
  gtk_window_present (GTK_WINDOW (window));
}

static int
first_frame_bare_child (int   argc,
                        char *argv[])
{
  g_autoptr(GtkApplication) bare = NULL;
  char *app_argv[] = { argv[0], NULL };

  bare = gtk_application_new ("io.github.minisock.BenchBare", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (bare, "window-added", G_CALLBACK (on_window_added), NULL);
  g_signal_connect (bare, "activate", G_CALLBACK (on_bare_activate), NULL);
  g_signal_connect (bare, "startup", G_CALLBACK (on_bare_startup), NULL);

  return g_application_run (G_APPLICATION (bare), 1, app_argv);
}

static void
bench_first_frame (const char *self_path,
                   const char *mode,
                   const char *figure,
                   BenchGoal   goal)
{
  g_autofree double *ms = g_new0 (double, runs);

  for (guint i = 0; i < runs; i++)
    {
      const char *argv[] = { self_path, mode, NULL };
      g_auto(GStrv) envp = g_get_environ ();
      g_autofree char *out = NULL;
      g_autofree char *spawned = NULL;
      g_autoptr(GError) error = NULL;
      int wait_status;

      spawned = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
      envp = g_environ_setenv (envp, "BENCH_SPAWN_TIME", spawned, TRUE);
      if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                         &wait_status, &error)
          || !g_spawn_check_wait_status (wait_status, &error))
        {
          g_printerr ("first frame: %s\n", error->message);
          exit (EXIT_FAILURE);
        }
      ms[i] = g_ascii_strtod (out, NULL);
      g_printerr ("  %s %u: first frame after %.1f ms\n", mode + 2, i + 1, ms[i]);
    }

  bench_row (figure, "ms", ms, runs, goal, 400);
}

/* ---- flood ---------------------------------------------------------------------------------- */

typedef struct {
  GSource *probe;
  gint64   longest_stall;
  gint64   last_tick;
  GArray  *intervals;
  guint    messages;
  gboolean failed;
} Flood;

static gboolean
dispatch_probe (GSource     *source,
                GSourceFunc  callback,
                gpointer     data)
{
  Flood *flood = data;
  gint64 now = g_get_monotonic_time ();
  gint64 due = g_source_get_ready_time (source);

  flood->longest_stall = MAX (flood->longest_stall, now - due);
  g_source_set_ready_time (source, now + PROBE_US);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs probe_funcs = { NULL, NULL, dispatch_probe, NULL, NULL, NULL };

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Flood *flood = data;
  gint64 now = g_get_monotonic_time ();

  if (flood->last_tick != 0)
    {
      double interval = (now - flood->last_tick) / 1000.0;

      g_array_append_val (flood->intervals, interval);
    }
  flood->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
on_platform_event (MiniRuntime *runtime,
                   gint         kind,
                   guint        task,
                   guint        seq,
                   Flood       *flood)
{
  if (kind == MINI_EVENT_MESSAGE)
    flood->messages++;
  else if (kind == MINI_EVENT_ERROR || kind == MINI_EVENT_CLOSE)
    flood->failed = TRUE;
}

static void
session_call (MiniSession *session,
              const char  *api,
              JsonObject  *args,
              guint        task)
{
  g_autoptr(GError) error = NULL;

  if (!mini_session_call (session, api, args, task, &error))
    {
      g_printerr ("%s: %s\n", api, error->message);
      exit (EXIT_FAILURE);
    }
}

static void
bench_flood (void)
{
  g_autofree double *stalls = g_new0 (double, runs);
  g_autofree double *p99 = g_new0 (double, runs);
  g_autofree double *late = g_new0 (double, runs);
  MiniPlayground *playground = mini_application_get_playground (app);
  g_autofree char *url = g_strdup_printf ("%s/echo?flood=%d&size=%d",
                                          mini_playground_get_url (playground),
                                          FLOOD_MESSAGES, PAYLOAD_SIZE);

  for (guint i = 0; i < runs; i++)
    {
      Painter painter = { 0 };
      MiniWindow *window = open_window (&painter);
      MiniSession *session = mini_window_get_session (window);
      MiniRuntime *runtime = mini_session_get_runtime (session);
      g_autoptr(JsonObject) args = json_object_new ();
      Flood flood = { .intervals = g_array_new (FALSE, FALSE, sizeof (double)) };
      gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;
      gint64 started = g_get_monotonic_time ();
      gint64 settle;
      double flood_ms;
      guint frames_in_flood;
      guint tick;
      guint task;

      g_signal_connect (runtime, "platform-event", G_CALLBACK (on_platform_event), &flood);
      tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, &flood, NULL);
      flood.probe = g_source_new (&probe_funcs, sizeof (GSource));
      g_source_set_priority (flood.probe, G_PRIORITY_HIGH);
      g_source_set_callback (flood.probe, NULL, &flood, NULL);
      g_source_set_ready_time (flood.probe, g_get_monotonic_time () + PROBE_US);
      g_source_attach (flood.probe, NULL);

      json_object_set_string_member (args, "url", url);
      session_call (session, "connectSocket", args, 0);
      task = mini_runtime_get_newest_task (runtime);
      session_call (session, "SocketTask.onMessage", NULL, task);

      while (flood.messages < FLOOD_MESSAGES && !flood.failed)
        iterate_until_deadline (deadline);
      flood_ms = (g_get_monotonic_time () - started) / 1000.0;
      frames_in_flood = flood.intervals->len + (flood.last_tick != 0);
      /* The timeline's last batch and the list's follow, as the user would watch them. */
      settle = g_get_monotonic_time () + 200 * 1000;
      while (g_get_monotonic_time () < settle)
        iterate_until_deadline (deadline);

      g_source_destroy (flood.probe);
      g_source_unref (flood.probe);
      gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
      g_signal_handlers_disconnect_by_data (runtime, &flood);
      if (flood.failed)
        {
          g_printerr ("flood: the socket ended after %u messages\n", flood.messages);
          exit (EXIT_FAILURE);
        }

      stalls[i] = flood.longest_stall / 1000.0;
      /* No frame at all during the flood and its settling: the whole wait was one interval. */
      if (flood.intervals->len == 0)
        {
          double whole = (g_get_monotonic_time () - started) / 1000.0;

          g_array_append_val (flood.intervals, whole);
        }
      /* The p99 of ~50 intervals is about the longest; the share over 20 ms moves less. */
      for (guint j = 0; j < flood.intervals->len; j++)
        late[i] += g_array_index (flood.intervals, double, j) > 20.0;
      late[i] = 100.0 * late[i] / flood.intervals->len;
      p99[i] = bench_percentile (flood.intervals, 0.99);
      g_printerr ("  flood %u: %u frames during %.0f ms of flood, longest stall %.1f ms,"
                  " frame interval p99 %.1f ms, %.1f %% over 20 ms\n", i + 1, frames_in_flood,
                  flood_ms, stalls[i], p99[i], late[i]);
      g_array_unref (flood.intervals);
      close_window (window, &painter);
    }

  bench_row ("window, 100k-message flood: longest main-loop stall", "ms", stalls, runs,
                  BENCH_AT_MOST, 50);
  bench_row ("window, 100k-message flood: p99 frame interval", "ms", p99, runs,
                  BENCH_AT_MOST, 20);
  bench_row ("window, 100k-message flood: frame intervals over 20 ms", "%", late, runs,
             BENCH_INFO, 0);
}

/* ---- a million events ----------------------------------------------------------------------- */

typedef struct {
  MiniEventList *list;
  guint          expected;
} Shown;

static gboolean
at_end (gpointer data)
{
  Shown *shown = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (mini_event_list_get_list_view (shown->list),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  return gtk_adjustment_get_value (adjustment) >= gtk_adjustment_get_upper (adjustment)
                                                 - gtk_adjustment_get_page_size (adjustment) - 2;
}

static gboolean
filtered (gpointer data)
{
  Shown *shown = data;
  GListModel *model = mini_event_list_get_model (shown->list);

  return mini_event_list_get_pending (shown->list) == 0
         && g_list_model_get_n_items (model) == shown->expected;
}

static void
fill_timeline (MiniTimeline *timeline)
{
  static const char * const listeners[] = { "SocketTask.onMessage", NULL };
  g_autoptr(JsonObject) wire = json_object_new ();
  guint8 payload[PAYLOAD_SIZE];
  MiniEventSpec frame = {
    .kind = MINI_EVENT_WIRE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data_len = PAYLOAD_SIZE,
    .data_is_size_only = TRUE,
    .extra = wire,
  };
  MiniEventSpec message = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data = payload,
    .data_len = PAYLOAD_SIZE,
    .listeners = listeners,
  };

  /* What a flood leaves: each message comes with its incoming frame. */
  json_object_set_string_member (wire, "wire", "frame-in-text");
  json_object_set_string_member (wire, "text", "← text frame");
  memset (payload, 'x', sizeof payload);
  for (guint i = 0; i < MANY_EVENTS / 2; i++)
    {
      mini_timeline_append (timeline, &frame);
      mini_timeline_append (timeline, &message);
    }
  mini_timeline_flush (timeline);
}

static void
bench_many_events (void)
{
  g_autofree double *scroll = g_new0 (double, runs);
  g_autofree double *hide = g_new0 (double, runs);
  g_autofree double *show = g_new0 (double, runs);
  Painter painter = { 0 };
  MiniWindow *window = open_window (&painter);
  MiniEventList *list = mini_window_get_event_list (window);
  MiniTimeline *timeline = mini_session_get_timeline (mini_window_get_session (window));
  GtkWidget *scroller = gtk_widget_get_ancestor (mini_event_list_get_list_view (list),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  Shown shown = { list, MANY_EVENTS };
  gint64 start;

  start = g_get_monotonic_time ();
  fill_timeline (timeline);
  wait_shown (&painter, filtered, &shown);
  g_printerr ("  %d events appended and shown in %.0f ms\n", MANY_EVENTS,
              (g_get_monotonic_time () - start) / 1000.0);

  for (guint i = 0; i < runs; i++)
    {
      /* From the top, as after reading the first events. */
      mini_event_list_set_following (list, FALSE);
      gtk_adjustment_set_value (adjustment, 0);
      wait_paint (&painter);
      wait_paint (&painter);

      start = g_get_monotonic_time ();
      mini_event_list_set_following (list, TRUE);
      scroll[i] = (wait_shown (&painter, at_end, &shown) - start) / 1000.0;

      shown.expected = MANY_EVENTS / 2;
      start = g_get_monotonic_time ();
      mini_event_list_set_kind_visible (list, MINI_EVENT_WIRE, FALSE);
      hide[i] = (wait_shown (&painter, filtered, &shown) - start) / 1000.0;

      shown.expected = MANY_EVENTS;
      start = g_get_monotonic_time ();
      mini_event_list_set_kind_visible (list, MINI_EVENT_WIRE, TRUE);
      show[i] = (wait_shown (&painter, filtered, &shown) - start) / 1000.0;

      g_printerr ("  1M events %u: scroll to end %.1f ms, hide wire %.1f ms, show wire %.1f ms\n",
                  i + 1, scroll[i], hide[i], show[i]);
    }

  bench_row ("window, 1M events: scroll to end", "ms", scroll, runs, BENCH_AT_MOST, 100);
  bench_row ("window, 1M events: filter by kind (hide wire)", "ms", hide, runs,
                  BENCH_AT_MOST, 100);
  bench_row ("window, 1M events: filter by kind (show wire again)", "ms", show, runs,
                  BENCH_AT_MOST, 100);

  close_window (window, &painter);
}

static void
on_activate (GApplication *application,
             const char   *self_path)
{
  const char *only = g_getenv ("BENCH_ONLY");

  /* Instead of the window the program would open: each benchmark opens its own. */
  g_signal_stop_emission_by_name (application, "activate");
  g_application_hold (application);

  g_printerr ("window: %u runs, load %.2f\n", runs, bench_load_average ());
  /* BENCH_ONLY=first-frame|flood|many runs one part, for profiling. */
  if (only == NULL || g_str_equal (only, "first-frame"))
    {
      bench_first_frame (self_path, "--first-frame", "window: start to first frame",
                         BENCH_AT_MOST);
      bench_first_frame (self_path, "--first-frame-bare",
                         "baseline: bare GtkApplicationWindow, start to first frame", BENCH_INFO);
    }
  if (only == NULL || g_str_equal (only, "flood"))
    bench_flood ();
  if (only == NULL || g_str_equal (only, "many"))
    bench_many_events ();

  g_application_release (application);
}

int
main (int   argc,
      char *argv[])
{
  char *app_argv[] = { argv[0], NULL };
  g_autofree char *self_path = NULL;

  if (argc > 1 && strcmp (argv[1], "--first-frame") == 0)
    return first_frame_child (argc, argv);
  if (argc > 1 && strcmp (argv[1], "--first-frame-bare") == 0)
    return first_frame_bare_child (argc, argv);

  runs = bench_parse_runs (&argc, &argv, 5);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  app = mini_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), self_path);
  if (g_application_run (G_APPLICATION (app), 1, app_argv) != 0)
    status = EXIT_FAILURE;
  g_clear_object (&app);

  return status;
}
