/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-bench"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "bench-util.h"
#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* Ingest: how fast the runtime and its timeline take in the playground's flood, against clients a
 * user could pick instead, all receiving the same flood from the same playground in the same run.
 * The runs alternate which client goes first, so that neither always gets the warmer machine.
 *
 * The playground runs as `minisock-cli serve`, a process of its own, as a server would. Inside
 * this process it took GLib's process-wide locks (libsoup logs each frame it sends through g_log,
 * whose lock the receiving client takes for each frame it reads) and malloc arenas from the two
 * libsoup clients but not from Node or Python: about 20 % of their rate. What the runtime takes in
 * from the window's own playground, in the same process, is reported too. */

#define DEFAULT_MESSAGES 1000000
#define MESSAGE_SIZE     64
#define DEADLINE_MS      (5 * 60 * 1000)

typedef struct {
  guint64   wanted;
  guint64   received;
  gint64    start;
  gint64    end;
  gboolean  done;
  gboolean  failed;
  SoupWebsocketConnection *connection;
} Receiver;

static void
receiver_finish (Receiver *r)
{
  r->end = g_get_monotonic_time ();
  r->done = TRUE;
}

static double
receiver_rate (Receiver *r)
{
  return r->received / ((r->end - r->start) / (double) G_USEC_PER_SEC);
}

/* ---- a bare libsoup client ------------------------------------------------------------------ */

static void
on_soup_message (SoupWebsocketConnection *connection,
                 gint                     type,
                 GBytes                  *message,
                 Receiver                *r)
{
  if (++r->received == r->wanted)
    receiver_finish (r);
}

static void
on_soup_closed (SoupWebsocketConnection *connection,
                Receiver                *r)
{
  if (!r->done)
    {
      r->failed = TRUE;
      receiver_finish (r);
    }
}

static void
on_soup_connected (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Receiver *r = data;
  g_autoptr(GError) error = NULL;

  r->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (r->connection == NULL)
    {
      g_printerr ("libsoup client: %s\n", error->message);
      r->failed = TRUE;
      receiver_finish (r);
      return;
    }

  /* As MiniSocketTask sets it up. */
  soup_websocket_connection_set_keepalive_interval (r->connection, 0);
  g_signal_connect (r->connection, "message", G_CALLBACK (on_soup_message), r);
  g_signal_connect (r->connection, "closed", G_CALLBACK (on_soup_closed), r);
}

static double
run_libsoup (const char *url,
             guint64     n)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  Receiver r = { .wanted = n };

  /* wx offers no permessage-deflate either. */
  soup_message_disable_feature (message, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  r.start = g_get_monotonic_time ();
  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_soup_connected, &r);
  if (!bench_wait (&r.done, DEADLINE_MS) || r.failed)
    {
      g_printerr ("libsoup client: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " messages\n",
                  r.received, n);
      exit (EXIT_FAILURE);
    }

  if (r.connection != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

      /* The close handshake, so the playground's peer ends before the next client connects. */
      g_signal_handlers_disconnect_by_data (r.connection, &r);
      soup_websocket_connection_close (r.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      while (soup_websocket_connection_get_state (r.connection) != SOUP_WEBSOCKET_STATE_CLOSED
             && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      g_object_unref (r.connection);
    }

  return receiver_rate (&r);
}

/* ---- the runtime and its timeline ----------------------------------------------------------- */

static void
on_platform_event (MiniRuntime *runtime,
                   gint         kind,
                   guint        task,
                   guint        seq,
                   Receiver    *r)
{
  if (kind == MINI_EVENT_MESSAGE && ++r->received == r->wanted)
    receiver_finish (r);
  else if (kind == MINI_EVENT_ERROR || kind == MINI_EVENT_CLOSE)
    {
      r->failed = TRUE;
      receiver_finish (r);
    }
}

static double
run_runtime (MiniDialect *dialect,
             const char  *url,
             guint64      n,
             double      *bytes_per_event)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = mini_runtime_new (dialect, timeline);
  g_autoptr(JsonObject) args = json_object_new ();
  Receiver r = { .wanted = n };
  guint task;

  g_signal_connect (runtime, "platform-event", G_CALLBACK (on_platform_event), &r);
  json_object_set_string_member (args, "url", url);

  r.start = g_get_monotonic_time ();
  bench_call (runtime, "connectSocket", args, 0);
  task = mini_runtime_get_newest_task (runtime);
  bench_call (runtime, "SocketTask.onMessage", NULL, task);

  if (!bench_wait (&r.done, DEADLINE_MS) || r.failed)
    {
      g_printerr ("runtime: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " messages\n",
                  r.received, n);
      exit (EXIT_FAILURE);
    }

  g_signal_handlers_disconnect_by_data (runtime, &r);
  *bytes_per_event = (double) (mini_timeline_get_memory_size (timeline)
                               - mini_timeline_get_payload_size (timeline))
                     / mini_timeline_get_n_events (timeline);
  mini_runtime_shutdown (runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  return receiver_rate (&r);
}

/* ---- the playground, in a process of its own ------------------------------------------------ */

/* In the server: it ends with this program, also when a run fails and exits. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* Starts `minisock-cli serve` and returns its ws:// address. */
static GSubprocess *
start_server (char **address)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  char *line;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, MINI_CLI_PATH, "serve", NULL);
  if (server == NULL)
    {
      g_printerr ("%s serve: %s\n", MINI_CLI_PATH, error->message);
      exit (EXIT_FAILURE);
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      const char *ws = strstr (line, "ws://");

      if (ws != NULL)
        {
          *address = g_strdup (ws);
          g_free (line);
          return g_steal_pointer (&server);
        }
      g_free (line);
    }
  g_printerr ("%s serve printed no ws:// address%s%s\n", MINI_CLI_PATH, error != NULL ? ": " : "",
              error != NULL ? error->message : "");
  exit (EXIT_FAILURE);
}

static void
stop_server (GSubprocess *server)
{
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

/* ---- clients in other languages ------------------------------------------------------------- */

/* Runs an external client that prints its messages per second; 0 when it cannot run here. */
static double
run_external (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  double rate;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 0;
    }
  if (!g_spawn_check_wait_status (status, &error) || (rate = g_ascii_strtod (out, NULL)) <= 0)
    {
      g_printerr ("%s %s failed: %s%s\n", argv[0], argv[1], err,
                  error != NULL ? error->message : "");
      return 0;
    }

  return rate;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_address = NULL;
  g_autofree char *url = NULL;
  g_autofree char *local_url = NULL;
  g_autofree char *bench_dir = NULL;
  g_autofree char *node_script = NULL;
  g_autofree char *python_script = NULL;
  g_autofree double *vs_soup = NULL;
  g_autofree double *vs_node = NULL;
  g_autofree double *vs_python = NULL;
  g_autofree double *rates = NULL;
  g_autofree double *local_rates = NULL;
  g_autofree double *soup_rates = NULL;
  g_autofree double *bytes = NULL;
  guint64 n = DEFAULT_MESSAGES;
  gboolean have_node;
  gboolean have_python;
  guint runs;

  runs = bench_parse_runs (&argc, &argv, 5);
  if (argc > 1)
    n = g_ascii_strtoull (argv[1], NULL, 10);
  if (n == 0)
    {
      g_printerr ("usage: %s [--runs N] [MESSAGES]\n", argv[0]);
      return 2;
    }

  if (!mini_playground_start (playground, "127.0.0.1", 0, &error)
      || (dialect = mini_dialect_load ("wx", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  server = start_server (&server_address);
  url = g_strdup_printf ("%s/echo?flood=%" G_GUINT64_FORMAT "&size=%d", server_address, n,
                         MESSAGE_SIZE);
  local_url = g_strdup_printf ("%s/echo?flood=%" G_GUINT64_FORMAT "&size=%d",
                               mini_playground_get_url (playground), n, MESSAGE_SIZE);

  /* The scripts sit next to this file's source; bench/run passes its directory. */
  bench_dir = g_strdup (g_getenv ("BENCH_SOURCE_DIR") != NULL ? g_getenv ("BENCH_SOURCE_DIR")
                                                               : "bench");
  node_script = g_build_filename (bench_dir, "node-client.js", NULL);
  python_script = g_build_filename (bench_dir, "python-client.py", NULL);
  {
    g_autofree char *node = g_find_program_in_path ("node");
    g_autofree char *ws = g_build_filename (bench_dir, "node_modules", "ws", NULL);

    have_node = node != NULL && g_file_test (ws, G_FILE_TEST_IS_DIR);
    have_python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                  && g_file_test (python_script, G_FILE_TEST_EXISTS);
  }

  vs_soup = g_new0 (double, runs);
  vs_node = g_new0 (double, runs);
  vs_python = g_new0 (double, runs);
  rates = g_new0 (double, runs);
  local_rates = g_new0 (double, runs);
  soup_rates = g_new0 (double, runs);
  bytes = g_new0 (double, runs);

  g_printerr ("ingest: %" G_GUINT64_FORMAT " messages of %d bytes, %u runs, load %.2f\n",
              n, MESSAGE_SIZE, runs, bench_load_average ());
  for (guint i = 0; i < runs; i++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
      const char *node_argv[] = { "node", node_script, url, count, NULL };
      const char *python_argv[] = { "/usr/bin/python3", python_script, url, count, NULL };
      double node = 0, python = 0;
      double local_bytes;

      if (i % 2 == 0)
        {
          soup_rates[i] = run_libsoup (url, n);
          rates[i] = run_runtime (dialect, url, n, &bytes[i]);
        }
      else
        {
          rates[i] = run_runtime (dialect, url, n, &bytes[i]);
          soup_rates[i] = run_libsoup (url, n);
        }
      if (have_node)
        node = run_external (node_argv);
      if (have_python)
        python = run_external (python_argv);
      local_rates[i] = run_runtime (dialect, local_url, n, &local_bytes);

      vs_soup[i] = rates[i] / soup_rates[i];
      vs_node[i] = node > 0 ? rates[i] / node : 0;
      vs_python[i] = python > 0 ? rates[i] / python : 0;
      have_node = have_node && node > 0;
      have_python = have_python && python > 0;
      g_printerr ("  run %u: runtime %.0f/s, libsoup %.0f/s, node %.0f/s, python %.0f/s,"
                  " %.1f B/event; runtime from a playground in this process %.0f/s\n", i + 1,
                  rates[i], soup_rates[i], node, python, bytes[i], local_rates[i]);
    }

  bench_row ("ingest: runtime + timeline, messages/s", "/s", rates, runs, BENCH_INFO, 0);
  bench_row ("ingest: bare libsoup, messages/s", "/s", soup_rates, runs, BENCH_INFO, 0);
  bench_row ("ingest: runtime + timeline, playground in the same process, messages/s", "/s",
             local_rates, runs, BENCH_INFO, 0);
  bench_row ("ingest: timeline memory per event beyond payload", "B", bytes, runs, BENCH_AT_MOST,
             150);
  bench_row ("ingest: runtime ÷ bare libsoup", "", vs_soup, runs, BENCH_AT_LEAST, 0.8);
  if (have_node)
    bench_row ("ingest: runtime ÷ Node ws", "", vs_node, runs, BENCH_AT_LEAST, 1.0);
  else
    bench_row_missing ("ingest: runtime ÷ Node ws", "node or bench/node_modules/ws missing");
  if (have_python)
    bench_row ("ingest: runtime ÷ Python websockets", "", vs_python, runs, BENCH_AT_LEAST, 1.0);
  else
    bench_row_missing ("ingest: runtime ÷ Python websockets", "python3-websockets missing");

  mini_playground_stop (playground);
  stop_server (server);

  return EXIT_SUCCESS;
}
