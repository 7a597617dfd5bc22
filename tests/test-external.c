/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* The runtime against a WebSocket server this project did not write: Python's websockets
 * (python3-websockets, 10.4 on Debian 12, legacy API). */

/* Every wait gives up after this long. */
#define DEADLINE_MS 5000
#define WAIT_FOR_ON_TIMEOUT() mini_test_dump_timeline (fx->timeline)

#include "mini-test-util.h"

/* /echo echoes; /bye closes with 4002 "ext-bye" after the first message; /chat answers the
 * subprotocol "chat" when offered (other paths answer none); /headers first sends the handshake
 * request headers as JSON. The server exits when its stdin closes, so a test that aborts does not
 * leave it running. */
static const char server_script[] =
  "import asyncio\n"
  "import json\n"
  "import os\n"
  "import sys\n"
  "import threading\n"
  "\n"
  "import websockets\n"
  "\n"
  "\n"
  "def exit_with_parent():\n"
  "    sys.stdin.read()\n"
  "    os._exit(0)\n"
  "\n"
  "\n"
  "class Protocol(websockets.WebSocketServerProtocol):\n"
  "    def select_subprotocol(self, client_subprotocols, server_subprotocols):\n"
  "        if self.path.startswith('/chat') and 'chat' in client_subprotocols:\n"
  "            return 'chat'\n"
  "        return None\n"
  "\n"
  "\n"
  "async def handler(websocket, path):\n"
  "    try:\n"
  "        if path.startswith('/headers'):\n"
  "            await websocket.send(json.dumps(dict(websocket.request_headers.raw_items())))\n"
  "        async for message in websocket:\n"
  "            if path.startswith('/bye'):\n"
  "                await websocket.close(code=4002, reason='ext-bye')\n"
  "                return\n"
  "            await websocket.send(message)\n"
  "    except websockets.ConnectionClosed:\n"
  "        pass\n"
  "\n"
  "\n"
  "async def main(port):\n"
  "    async with websockets.serve(handler, '127.0.0.1', port, create_protocol=Protocol,\n"
  "                                subprotocols=['chat']):\n"
  "        await asyncio.Future()\n"
  "\n"
  "\n"
  "threading.Thread(target=exit_with_parent, daemon=True).start()\n"
  "asyncio.run(main(int(sys.argv[1])))\n";

typedef struct
{
  char         *dir;
  char         *script;
  GSubprocess  *server;
  gboolean      server_exited;
  char         *url;          /* ws://127.0.0.1:PORT */
  MiniTimeline *timeline;
  MiniRuntime  *runtime;
} Fixture;

/* The Python interpreter that has the websockets module, or NULL; decided once. */
static char *python;
static char *python_missing;

/* ---- the Python server -------------------------------------------------------------------- */

static gboolean
has_websockets (const char *candidate)
{
  const char *argv[] = { candidate, "-c", "import websockets", NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;

  return g_spawn_check_wait_status (status, NULL);
}

/* "python3" from PATH first; then Debian's own, which has python3-websockets even when PATH
 * leads to another interpreter (pyenv, a virtualenv) that lacks it. */
static void
find_python (void)
{
  g_autofree char *from_path = g_find_program_in_path ("python3");
  const char *candidates[] = { from_path, "/usr/bin/python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (candidates[i] != NULL && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE)
          && has_websockets (candidates[i]))
        {
          python = g_strdup (candidates[i]);
          return;
        }
    }

  python_missing = g_strdup_printf ("no python3 with the websockets module (tried %s and "
                                    "/usr/bin/python3; install python3-websockets)",
                                    from_path != NULL ? from_path : "python3 from PATH");
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_true (g_socket_close (socket, &error));
  g_assert_no_error (error);

  return port;
}

static void
on_server_exited (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  gboolean *exited = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* Waits until the server accepts TCP connections; FALSE when it died or took too long. */
static gboolean
wait_for_server (Fixture *fx,
                 guint    port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (TRUE)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection != NULL)
        {
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          return TRUE;
        }

      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (fx->server_exited)
        {
          g_test_message ("the websockets server exited before it listened on port %u", port);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("the websockets server did not listen on port %u within %d ms", port,
                          DEADLINE_MS);
          return FALSE;
        }
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  guint port;

  if (python == NULL)
    return;

  fx->dir = g_dir_make_tmp ("minisock-external-XXXXXX", &error);
  g_assert_no_error (error);
  fx->script = g_build_filename (fx->dir, "echo_server.py", NULL);
  g_assert_true (g_file_set_contents (fx->script, server_script, -1, &error));
  g_assert_no_error (error);

  port = free_port ();
  port_text = g_strdup_printf ("%u", port);
  /* stdout is the TAP stream; the server's stderr is left visible for a failing run. */
  fx->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                 &error, python, "-u", fx->script, port_text, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (fx->server, NULL, on_server_exited, &fx->server_exited);
  if (!wait_for_server (fx, port))
    {
      g_subprocess_force_exit (fx->server);
      g_assert_not_reached ();
    }
  fx->url = g_strdup_printf ("ws://127.0.0.1:%u", port);

  dialect = mini_dialect_load (data, &error);
  g_assert_no_error (error);
  fx->timeline = mini_timeline_new ();
  fx->runtime = mini_runtime_new (dialect, fx->timeline);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  if (fx->runtime != NULL)
    {
      mini_runtime_shutdown (fx->runtime);
      g_assert_finalize_object (fx->runtime);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_assert_finalize_object (fx->timeline);
    }

  if (fx->server != NULL)
    {
      gboolean expired = FALSE;
      guint deadline = g_timeout_add (DEADLINE_MS, mini_test_on_deadline, &expired);

      /* The exit must be reaped here: its callback writes into this fixture. */
      g_subprocess_force_exit (fx->server);
      while (!fx->server_exited && !expired)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (fx->server_exited);
      g_source_remove (deadline);
      g_clear_object (&fx->server);
    }

  if (fx->script != NULL)
    g_remove (fx->script);
  if (fx->dir != NULL)
    g_rmdir (fx->dir);
  g_free (fx->script);
  g_free (fx->dir);
  g_free (fx->url);
}

/* ---- driving the runtime and reading the timeline ----------------------------------------- */

/* connectSocket to @path on the external server, with further @options (JSON members or "");
 * returns the new task. */
static guint
connect_to (Fixture    *fx,
            const char *path,
            const char *options)
{
  g_autofree char *args = g_strdup_printf ("{\"url\": \"%s%s\"%s%s}", fx->url, path,
                                           *options != '\0' ? ", " : "", options);
  guint before = mini_runtime_get_newest_task (fx->runtime);
  guint task;

  mini_test_call (fx->runtime, "connectSocket", 0, args);
  task = mini_runtime_get_newest_task (fx->runtime);
  g_assert_cmpuint (task, >, before);
  return task;
}

static void
wait_event (Fixture       *fx,
            MiniEventKind  kind,
            guint          task)
{
  WAIT_FOR (mini_test_count_events (fx->timeline, kind, task) > 0);
}

static gboolean
skip_without_python (void)
{
  if (python != NULL)
    return FALSE;

  g_test_skip (python_missing);
  return TRUE;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_echo (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonObject) text = NULL;
  g_autoptr(JsonObject) binary = NULL;
  g_autoptr(JsonObject) close = NULL;
  const char *extensions;
  JsonObject *payload;
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/echo", "");
  mini_test_call (fx->runtime, "SocketTask.onOpen", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onClose", task, NULL);
  wait_event (fx, MINI_EVENT_OPEN, task);

  response = mini_test_find_wire (fx->timeline, task, "handshake-response");
  g_assert_cmpint (mini_test_int_member (response, "code"), ==, 101);
  g_assert_true (g_str_has_prefix (mini_test_str_member (response, "text"), "HTTP/1.1 101 "));
  /* A browser always offers compression; WeChat only with perMessageDeflate: true. */
  extensions = mini_test_str_member (json_object_get_object_member (response, "header"),
                           "Sec-WebSocket-Extensions");
  if (g_str_equal (data, "web"))
    g_assert_true (extensions != NULL && g_str_has_prefix (extensions, "permessage-deflate"));
  else
    g_assert_null (extensions);

  mini_test_call (fx->runtime, "SocketTask.send", task, "{\"data\": \"hello, 外部\"}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  text = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (text, "data"), ==, "hello, 外部");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{\"data\": {\"hex\": \"00ff10\"}}");
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task) == 2);
  binary = mini_test_nth_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL, 1);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (binary, "data")));
  payload = json_object_get_object_member (binary, "data");
  g_assert_cmpstr (mini_test_str_member (payload, "base64"), ==, "AP8Q");
  g_assert_cmpint (mini_test_int_member (binary, "bytes"), ==, 3);

  mini_test_call (fx->runtime, "SocketTask.close", task, "{\"code\": 4000, \"reason\": \"done\"}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4000);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "done");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
}

/* perMessageDeflate: true negotiates compression with a server that offers it. */
static void
test_wx_deflate (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autofree char *text = g_strnfill (10000, 'z');
  g_autofree char *args = g_strdup_printf ("{\"data\": \"%s\"}", text);
  const char *extensions;
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/echo", "\"perMessageDeflate\": true");
  wait_event (fx, MINI_EVENT_OPEN, task);
  response = mini_test_find_wire (fx->timeline, task, "handshake-response");
  extensions = mini_test_str_member (json_object_get_object_member (response, "header"),
                           "Sec-WebSocket-Extensions");
  g_assert_true (extensions != NULL && g_str_has_prefix (extensions, "permessage-deflate"));

  mini_test_call (fx->runtime, "SocketTask.send", task, args);
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpint (mini_test_int_member (message, "bytes"), ==, 10000);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, text);
}

static void
test_server_close (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) close = NULL;
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/bye", "");
  wait_event (fx, MINI_EVENT_OPEN, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{\"data\": \"first\"}");
  wait_event (fx, MINI_EVENT_CLOSE, task);

  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4002);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "ext-bye");
  if (g_str_equal (data, "web"))
    g_assert_true (json_object_get_boolean_member (close, "wasClean"));
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task), ==, 0);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
}

static void
test_subprotocol (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonObject) open = NULL;
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/chat", "\"protocols\": [\"chat\", \"other\"]");
  wait_event (fx, MINI_EVENT_OPEN, task);

  response = mini_test_find_wire (fx->timeline, task, "handshake-response");
  g_assert_cmpint (mini_test_int_member (response, "code"), ==, 101);
  g_assert_cmpstr (mini_test_str_member (response, "protocol"), ==, "chat");
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  g_assert_cmpstr (mini_test_str_member (open, "protocol"), ==, "chat");
}

/* The server ignores the offered subprotocol: WeChat opens anyway, a browser fails. */
static void
test_protocol_not_echoed (Fixture       *fx,
                          gconstpointer  data)
{
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/echo", "\"protocols\": [\"chat\"]");

  if (g_str_equal (data, "wx"))
    {
      g_autoptr(JsonObject) open = NULL;

      wait_event (fx, MINI_EVENT_OPEN, task);
      open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
      g_assert_false (json_object_has_member (open, "protocol"));
      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
    }
  else
    {
      g_autoptr(JsonObject) response = NULL;
      g_autoptr(JsonObject) close = NULL;

      wait_event (fx, MINI_EVENT_CLOSE, task);
      response = mini_test_find_wire (fx->timeline, task, "handshake-response");
      g_assert_cmpint (mini_test_int_member (response, "code"), ==, 101);
      g_assert_true (mini_test_has_quirk (fx->timeline, task, "requireProtocolEcho"));
      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_OPEN, task), ==, 0);
      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 1);
      close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
      g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);
    }
}

/* What the external server saw of the handshake: WeChat's fixed Referer and User-Agent. */
static void
test_wx_headers (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) headers = NULL;
  guint task;

  if (skip_without_python ())
    return;

  task = connect_to (fx, "/headers", "\"header\": {\"Referer\": \"https://evil.example/\","
                                     " \"X-Test\": \"external\"}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  headers = mini_test_parse_object (mini_test_str_member (message, "data"));
  g_assert_cmpstr (mini_test_str_member (headers, "Referer"), ==,
                   "https://servicewechat.com/touristappid/0/page-frame.html");
  g_assert_cmpstr (mini_test_str_member (headers, "User-Agent"), ==,
                   mini_dialect_get_string (mini_runtime_get_dialect (fx->runtime),
                                            "userAgent"));
  g_assert_cmpstr (mini_test_str_member (headers, "X-Test"), ==, "external");
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  find_python ();

#define ADD(path, dialect, func) \
  g_test_add ("/external/" dialect "/" path, Fixture, dialect, fixture_setup, func, \
              fixture_teardown)

  ADD ("echo", "wx", test_echo);
  ADD ("echo", "web", test_echo);
  ADD ("deflate", "wx", test_wx_deflate);
  ADD ("server-close", "wx", test_server_close);
  ADD ("server-close", "web", test_server_close);
  ADD ("subprotocol", "wx", test_subprotocol);
  ADD ("subprotocol", "web", test_subprotocol);
  ADD ("protocol-not-echoed", "wx", test_protocol_not_echoed);
  ADD ("protocol-not-echoed", "web", test_protocol_not_echoed);
  ADD ("headers", "wx", test_wx_headers);

#undef ADD

  ret = g_test_run ();
  g_free (python);
  g_free (python_missing);
  return ret;
}
