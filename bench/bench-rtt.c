/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-bench"

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* Echo round trip: one message at a time to the playground's /echo and back, through the runtime
 * (SocketTask.send, then the onMessage event on the timeline) and through a bare
 * SoupWebsocketConnection, alternating which goes first. The figure is the ratio of the medians. */

#define DEFAULT_MESSAGES 10000
#define MESSAGE_SIZE     64
#define DEADLINE_MS      (60 * 1000)

typedef struct {
  gboolean                 open;
  gboolean                 failed;
  guint                    received;
  SoupWebsocketConnection *connection;
} Peer;

static char message_text[MESSAGE_SIZE + 1];

static void
wait_for (Peer    *peer,
          guint    received)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  while (peer->received < received && !peer->failed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  if (peer->received < received)
    {
      g_printerr ("no echo for message %u\n", received);
      exit (EXIT_FAILURE);
    }
}

static double
median_us (GArray *samples)
{
  return bench_percentile (samples, 0.5);
}

/* ---- bare libsoup --------------------------------------------------------------------------- */

static void
on_soup_message (SoupWebsocketConnection *connection,
                 gint                     type,
                 GBytes                  *message,
                 Peer                    *peer)
{
  peer->received++;
}

static void
on_soup_connected (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;

  peer->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (peer->connection == NULL)
    {
      g_printerr ("libsoup client: %s\n", error->message);
      peer->failed = TRUE;
      return;
    }
  soup_websocket_connection_set_keepalive_interval (peer->connection, 0);
  g_signal_connect (peer->connection, "message", G_CALLBACK (on_soup_message), peer);
  peer->open = TRUE;
}

static double
run_libsoup (const char *url,
             guint       n)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  Peer peer = { 0 };

  soup_message_disable_feature (message, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_soup_connected, &peer);
  if (!bench_wait (&peer.open, DEADLINE_MS))
    exit (EXIT_FAILURE);

  for (guint i = 1; i <= n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      soup_websocket_connection_send_text (peer.connection, message_text);
      wait_for (&peer, i);
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (samples, elapsed);
    }

  g_signal_handlers_disconnect_by_data (peer.connection, &peer);
  soup_websocket_connection_close (peer.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (peer.connection);

  return median_us (samples);
}

/* ---- the runtime ---------------------------------------------------------------------------- */

static void
on_platform_event (MiniRuntime *runtime,
                   gint         kind,
                   guint        task,
                   guint        seq,
                   Peer        *peer)
{
  if (kind == MINI_EVENT_OPEN)
    peer->open = TRUE;
  else if (kind == MINI_EVENT_MESSAGE)
    peer->received++;
  else
    peer->failed = TRUE;
}

static double
run_runtime (MiniDialect *dialect,
             const char  *url,
             guint        n)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = mini_runtime_new (dialect, timeline);
  g_autoptr(JsonObject) connect_args = json_object_new ();
  g_autoptr(JsonObject) send_args = json_object_new ();
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (double), n);
  Peer peer = { 0 };
  guint task;

  g_signal_connect (runtime, "platform-event", G_CALLBACK (on_platform_event), &peer);
  json_object_set_string_member (connect_args, "url", url);
  json_object_set_string_member (send_args, "data", message_text);

  bench_call (runtime, "connectSocket", connect_args, 0);
  task = mini_runtime_get_newest_task (runtime);
  bench_call (runtime, "SocketTask.onMessage", NULL, task);
  if (!bench_wait (&peer.open, DEADLINE_MS))
    exit (EXIT_FAILURE);

  for (guint i = 1; i <= n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      bench_call (runtime, "SocketTask.send", send_args, task);
      wait_for (&peer, i);
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (samples, elapsed);
    }

  g_signal_handlers_disconnect_by_data (runtime, &peer);
  mini_runtime_shutdown (runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  return median_us (samples);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree double *ratios = NULL;
  g_autofree double *runtime_us = NULL;
  g_autofree double *soup_us = NULL;
  guint n = DEFAULT_MESSAGES;
  guint runs;

  runs = bench_parse_runs (&argc, &argv, 5);
  if (argc > 1)
    n = atoi (argv[1]);
  if (n == 0)
    {
      g_printerr ("usage: %s [--runs N] [MESSAGES]\n", argv[0]);
      return 2;
    }

  memset (message_text, 'm', MESSAGE_SIZE);
  if (!mini_playground_start (playground, "127.0.0.1", 0, &error)
      || (dialect = mini_dialect_load ("wx", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  url = g_strdup_printf ("%s/echo", mini_playground_get_url (playground));

  ratios = g_new0 (double, runs);
  runtime_us = g_new0 (double, runs);
  soup_us = g_new0 (double, runs);

  g_printerr ("rtt: %u round trips of %d bytes, %u runs, load %.2f\n",
              n, MESSAGE_SIZE, runs, bench_load_average ());
  for (guint i = 0; i < runs; i++)
    {
      if (i % 2 == 0)
        {
          soup_us[i] = run_libsoup (url, n);
          runtime_us[i] = run_runtime (dialect, url, n);
        }
      else
        {
          runtime_us[i] = run_runtime (dialect, url, n);
          soup_us[i] = run_libsoup (url, n);
        }
      ratios[i] = runtime_us[i] / soup_us[i];
      g_printerr ("  run %u: runtime median %.1f us, libsoup median %.1f us\n",
                  i + 1, runtime_us[i], soup_us[i]);
    }

  bench_row ("echo round trip, runtime median", "µs", runtime_us, runs, BENCH_INFO, 0);
  bench_row ("echo round trip, bare libsoup median", "µs", soup_us, runs, BENCH_INFO, 0);
  bench_row ("echo round trip: runtime ÷ bare libsoup (medians)", "", ratios, runs,
             BENCH_AT_MOST, 1.2);

  mini_playground_stop (playground);

  return EXIT_SUCCESS;
}
