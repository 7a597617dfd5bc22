/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>

#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"
#include "mini-util.h"

#include "mini-test-cli.h"
#include "mini-test-util.h"

/* What the program may do to the machine it runs on: listen on loopback only, verify the
 * certificates of wss:// servers, write only the files the user names, and never let a
 * scenario file reach a local file. */

/* ---- a wss:// server with a self-signed certificate --------------------------------------- */

typedef struct {
  SoupServer *server;
  char       *url;     /* wss://127.0.0.1:PORT/echo */
  GPtrArray  *connections;
} TlsServer;

static void
on_server_message (SoupWebsocketConnection *connection,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  soup_websocket_connection_send_message (connection, type, message);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  TlsServer *tls = user_data;

  g_ptr_array_add (tls->connections, g_object_ref (connection));
  g_signal_connect (connection, "message", G_CALLBACK (on_server_message), NULL);
}

static void
tls_server_start (TlsServer *tls)
{
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "tls", "self-signed.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);

  tls->connections = g_ptr_array_new_with_free_func (g_object_unref);
  tls->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_websocket_handler (tls->server, "/echo", NULL, NULL, on_websocket, tls, NULL);
  g_assert_true (soup_server_listen (tls->server, address, SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);

  uris = soup_server_get_uris (tls->server);
  g_assert_nonnull (uris);
  tls->url = g_strdup_printf ("wss://127.0.0.1:%d/echo", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
}

static void
tls_server_stop (TlsServer *tls)
{
  for (guint i = 0; i < tls->connections->len; i++)
    {
      SoupWebsocketConnection *connection = tls->connections->pdata[i];

      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  g_clear_pointer (&tls->connections, g_ptr_array_unref);
  soup_server_disconnect (tls->server);
  g_clear_object (&tls->server);
  g_clear_pointer (&tls->url, g_free);
}

static void
drain (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static MiniRuntime *
runtime_for (const char   *dialect_id,
             MiniTimeline *timeline)
{
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) app = NULL;
  MiniRuntime *runtime;

  dialect = mini_dialect_load (dialect_id, &error);
  g_assert_no_error (error);
  runtime = mini_runtime_new (dialect, timeline);

  /* The domain check is off, as in the developer tools: certificates are still checked. */
  app = mini_test_parse_args ("{'skipDomainCheck': true}");
  g_assert_true (mini_runtime_set_app (runtime, app, &error));
  g_assert_no_error (error);
  return runtime;
}

static void
connect_to (MiniRuntime *runtime,
            const char  *url)
{
  g_autofree char *json = g_strdup_printf ("{\"url\": \"%s\", \"success\": true}", url);
  g_autoptr(JsonObject) args = mini_test_parse_object (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (mini_runtime_call (runtime, "connectSocket", args, 0, &error));
  g_assert_no_error (error);
}

typedef struct {
  const char *dialect;
  const char *member;    /* where the error event says it */
  const char *err_msg;   /* what it says; {url} is the server's */
} TlsCase;

static const TlsCase tls_cases[] = {
  { "wx", "errMsg", "未完成的操作" },
  /* The browser's error event is a bare Event: the words reach the console only. */
  { "web", "console", "WebSocket connection to '{url}' failed: " },
  { "tt", "errMsg", "connectSocket:fail Unacceptable TLS certificate" },
};

/* A self-signed certificate is refused as the platform refuses any failed connection. */
static void
test_tls_refused (gconstpointer data)
{
  const TlsCase *c = data;
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = runtime_for (c->dialect, timeline);
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) wire = NULL;
  g_autofree char *expected = NULL;
  TlsServer tls = { 0 };

  tls_server_start (&tls);
  g_assert_true (mini_runtime_get_tls_check (runtime));
  connect_to (runtime, tls.url);

  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_ERROR, 1) == 1);
  error = mini_test_find_event (timeline, MINI_EVENT_ERROR, 1, NULL);
  expected = mini_expand_template (c->err_msg, "url", tls.url, NULL);
  g_assert_cmpstr (mini_test_str_member (error, c->member), ==, expected);
  g_assert_cmpuint (mini_test_count_events (timeline, MINI_EVENT_OPEN, 1), ==, 0);

  /* The wire says why, for whoever looks under the platform's words. */
  wire = mini_test_find_wire (timeline, 1, "connect-failed");
  g_assert_nonnull (wire);
  g_assert_cmpstr (mini_test_str_member (wire, "text"), ==, "Unacceptable TLS certificate");
  g_assert_cmpuint (tls.connections->len, ==, 0);

  mini_runtime_shutdown (runtime);
  tls_server_stop (&tls);
  drain ();
}

/* Only the explicit switch accepts the certificate, and the timeline says it is off. */
static void
test_tls_switch (void)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = runtime_for ("wx", timeline);
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) args = mini_test_parse_args ("{'data': 'over tls'}");
  g_autoptr(GError) error = NULL;
  TlsServer tls = { 0 };

  tls_server_start (&tls);
  g_object_set (runtime, "tls-check", FALSE, NULL);
  g_assert_false (mini_runtime_get_tls_check (runtime));
  env = mini_test_find_event (timeline, MINI_EVENT_ENV, MINI_TEST_ANY_TASK, NULL);
  g_assert_cmpstr (mini_test_str_member (env, "value"), ==, "tls.insecure");
  g_assert_cmpstr (mini_test_str_member (env, "text"), ==,
                   "TLS certificate checks are off: any wss:// server certificate is accepted, "
                   "which no platform does.");

  connect_to (runtime, tls.url);
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_OPEN, 1) == 1);
  g_assert_true (mini_runtime_call (runtime, "SocketTask.send", args, 1, &error));
  g_assert_no_error (error);
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_MESSAGE, 1) == 1);
  message = mini_test_find_event (timeline, MINI_EVENT_MESSAGE, 1, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "over tls");

  /* On again: the next connection is refused again. */
  mini_runtime_set_tls_check (runtime, TRUE);
  g_assert_cmpuint (mini_test_count_events (timeline, MINI_EVENT_ENV, MINI_TEST_ANY_TASK), ==, 2);
  connect_to (runtime, tls.url);
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_ERROR, 2) == 1);
  g_assert_cmpuint (mini_test_count_events (timeline, MINI_EVENT_OPEN, 2), ==, 0);

  mini_runtime_shutdown (runtime);
  tls_server_stop (&tls);
  drain ();
}

/* ---- minisock-cli ---------------------------------------------------------------------------- */

static char *
write_temp (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --insecure-tls is the CLI's switch: it warns, and the timeline says so. */
static void
test_cli_insecure_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minisock-security-XXXXXX", &error);
  g_autofree char *scenario = NULL;
  g_autofree char *path = NULL;
  g_auto(MiniCliResult) checked = { 0 };
  g_auto(MiniCliResult) insecure = { 0 };
  TlsServer tls = { 0 };

  g_assert_no_error (error);
  tls_server_start (&tls);
  scenario = g_strdup_printf ("{\"dialect\": \"wx\", \"steps\": ["
                              "{\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"%s\"}},"
                              "{\"on\": \"open\", \"call\": \"SocketTask.close\"}],"
                              "\"until\": {\"idle\": 2000, \"max\": 20000}}", tls.url);
  path = write_temp (dir, "wss.json", scenario);

  mini_test_run_cliv (&checked, NULL,
                      (const char * const[]) { "run", path, "--format", "jsonl", NULL }, 30000);
  g_test_message ("%s", checked.out);
  g_assert_cmpint (checked.status, ==, 0);
  g_assert_cmpstr (checked.err, ==, "");
  g_assert_nonnull (strstr (checked.out, "\"kind\":\"error\""));
  g_assert_nonnull (strstr (checked.out, "\"errMsg\":\"未完成的操作\""));
  g_assert_null (strstr (checked.out, "\"kind\":\"open\""));
  g_assert_null (strstr (checked.out, "tls.insecure"));

  mini_test_run_cliv (&insecure, NULL,
                      (const char * const[]) { "run", path, "--format", "jsonl", "--insecure-tls",
                                               NULL }, 30000);
  g_test_message ("%s", insecure.out);
  g_assert_cmpint (insecure.status, ==, 0);
  g_assert_cmpstr (insecure.err, ==, "minisock-cli: warning: TLS certificate checks are off; a "
                                     "wss:// server is trusted whatever its certificate\n");
  g_assert_nonnull (strstr (insecure.out, "\"kind\":\"env\",\"value\":\"tls.insecure\""));
  g_assert_nonnull (strstr (insecure.out, "\"kind\":\"open\""));
  g_assert_null (strstr (insecure.out, "\"kind\":\"error\""));

  tls_server_stop (&tls);
  remove_dir (dir);
  drain ();
}

typedef struct {
  GSubprocess      *process;
  GDataInputStream *lines;
  char             *line;
  gboolean          line_done;
  gboolean          exited;
} Serve;

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Serve *serve = user_data;

  serve->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                           NULL, NULL);
  serve->line_done = TRUE;
}

/* The local addresses LISTENing on @port, from the kernel's own table, e.g. "0100007F" for
 * 127.0.0.1 in /proc/net/tcp's notation. */
static char *
listeners_on (guint port)
{
  g_autoptr(GString) found = g_string_new (NULL);
  static const char * const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (tables[t], &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_auto(GStrv) local = NULL;
          guint n = 0;
          const char *columns[4] = { NULL };

          for (guint f = 0; fields[f] != NULL && n < 4; f++)
            if (*fields[f] != '\0')
              columns[n++] = fields[f];
          /* sl, local_address, rem_address, st; 0A is LISTEN. */
          if (n < 4 || !g_str_equal (columns[3], "0A"))
            continue;
          local = g_strsplit (columns[1], ":", 2);
          if (local[1] != NULL && g_ascii_strtoull (local[1], NULL, 16) == port)
            g_string_append_printf (found, "%s%s", found->len > 0 ? " " : "", local[0]);
        }
    }

  return g_strdup (found->str);
}

static guint
serve_start (Serve              *serve,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("^Playground listening on ws://[0-9.]+:([0-9]+)$", 0, 0,
                                         NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *port = NULL;

  memset (serve, 0, sizeof *serve);
  g_ptr_array_add (argv, (char *) mini_test_cli_path ());
  g_ptr_array_add (argv, (char *) "serve");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  serve->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                      | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  serve->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve->process));
  g_data_input_stream_read_line_async (serve->lines, G_PRIORITY_DEFAULT, NULL, on_line, serve);
  WAIT_FOR (serve->line_done);
  g_assert_nonnull (serve->line);
  g_assert_true (g_regex_match (regex, serve->line, 0, &match));
  port = g_match_info_fetch (match, 1);
  return (guint) g_ascii_strtoull (port, NULL, 10);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Serve *serve = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  serve->exited = TRUE;
}

static char *
serve_stop (Serve *serve)
{
  g_autoptr(GOutputStream) err = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (serve->process, SIGTERM);
  g_subprocess_wait_async (serve->process, NULL, on_exited, serve);
  WAIT_FOR (serve->exited);
  g_assert_true (g_subprocess_get_if_exited (serve->process));
  g_assert_cmpint (g_subprocess_get_exit_status (serve->process), ==, 0);

  /* It has exited: reading its stderr to the end cannot block. */
  g_output_stream_splice (err, g_subprocess_get_stderr_pipe (serve->process),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&serve->lines);
  g_clear_object (&serve->process);
  g_free (serve->line);

  /* An empty stream has no buffer at all. */
  if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (err)) == 0)
    return g_strdup ("");
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (err)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (err)));
}

/* The playground listens on 127.0.0.1 and nowhere else unless --host is given; then it warns. */
static void
test_serve_loopback (void)
{
  Serve serve;
  guint port = serve_start (&serve, (const char * const[]) { "--port", "0", NULL });
  g_autofree char *listening = listeners_on (port);
  g_autofree char *err = NULL;

  g_assert_cmpstr (listening, ==, "0100007F");
  err = serve_stop (&serve);
  g_assert_cmpstr (err, ==, "");
}

static void
test_serve_host (void)
{
  Serve serve;
  guint port = serve_start (&serve, (const char * const[]) { "--host", "0.0.0.0", "--port", "0",
                                                             NULL });
  g_autofree char *listening = listeners_on (port);
  g_autofree char *err = NULL;

  g_assert_cmpstr (listening, ==, "00000000");
  err = serve_stop (&serve);
  g_assert_cmpstr (err, ==, "minisock-cli: warning: the playground will accept connections from "
                            "other machines on 0.0.0.0; it has no authentication\n");
}

/* ---- files ------------------------------------------------------------------------------------ */

/* --output replaces the file whole (a new file renamed over it) and leaves nothing beside it. */
static void
test_output_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minisock-security-XXXXXX", &error);
  g_autofree char *scenario = NULL;
  g_autofree char *output = NULL;
  g_autofree char *written = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GDir) listing = NULL;
  g_auto(MiniCliResult) result = { 0 };
  g_auto(MiniCliResult) failed = { 0 };
  struct stat before, after;
  guint n_files = 0;

  g_assert_no_error (error);
  scenario = write_temp (dir, "s.json",
                         "{\"dialect\": \"wx\", \"steps\": [{\"at\": 0, \"call\": \"connectSocket\","
                         " \"args\": {\"url\": \"{playground}/echo\"}}, {\"on\": \"open\", \"call\":"
                         " \"SocketTask.close\"}], \"until\": {\"idle\": 200}}");
  output = write_temp (dir, "out.har", "old contents that must not survive in part");
  g_assert_cmpint (g_stat (output, &before), ==, 0);

  mini_test_run_cliv (&result, NULL, (const char * const[]) { "run", scenario, "--format", "har",
                                                              "--output", output, NULL }, 30000);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpint (g_stat (output, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, !=, before.st_ino);
  g_assert_true (g_file_get_contents (output, &written, NULL, NULL));
  g_assert_true (g_str_has_prefix (written, "{"));
  g_assert_null (strstr (written, "old contents"));

  /* Only the two files the user made and chose are there. */
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);

  /* A place that cannot be written is an error naming it, and nothing is left behind. */
  missing = g_build_filename (dir, "no-such-dir", "out.har", NULL);
  mini_test_run_cliv (&failed, NULL, (const char * const[]) { "run", scenario, "--format", "har",
                                                              "--output", missing, NULL }, 30000);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, missing));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  remove_dir (dir);
}

/* A scenario file names URLs and data, never a local file to read or write. */
typedef struct {
  const char *name;
  const char *scenario;
  int         status;
  const char *needle;     /* in stdout for status 0, in stderr otherwise */
} FileAccessCase;

static const FileAccessCase file_access_cases[] = {
  { "file-url-wx", "{\"dialect\": \"wx\", \"steps\": [{\"at\": 0, \"call\": \"connectSocket\", "
    "\"args\": {\"url\": \"file:///etc/passwd\"}}, {\"at\": 0, \"call\": \"SocketTask.onError\"}]}",
    0, "\"errMsg\":\"createSocketTask:fail url not in domain list\"" },
  { "file-url-web", "{\"dialect\": \"web\", \"steps\": [{\"at\": 0, \"call\": \"connectSocket\", "
    "\"args\": {\"url\": \"file:///etc/passwd\"}}]}",
    0, "\"errMsg\":\"SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be "
    "either 'http', 'https', 'ws', or 'wss'. 'file' is not allowed.\"" },
  { "playground-dot-dot", "{\"dialect\": \"web\", \"steps\": [{\"at\": 0, \"call\": "
    "\"connectSocket\", \"args\": {\"url\": \"{playground}/../../../etc/passwd\"}}]}",
    0, "Unexpected response code: 404" },
  { "data-file", "{\"steps\": [{\"at\": 0, \"call\": \"sendSocketMessage\", \"args\": "
    "{\"data\": {\"file\": \"/etc/passwd\"}}}]}",
    2, "$.steps[0].args.data: expected binary data as {\"base64\": \"…\"} or {\"hex\": \"…\"}" },
  { "dialect-path", "{\"dialect\": \"../../../../etc/passwd\", \"steps\": []}",
    2, "$.dialect: unknown dialect \"../../../../etc/passwd\"" },
};

static void
test_no_local_files (gconstpointer data)
{
  const FileAccessCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minisock-security-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_auto(MiniCliResult) result = { 0 };
  g_autofree char *passwd = NULL;

  g_assert_no_error (error);
  path = write_temp (dir, "s.json", c->scenario);
  mini_test_run_cliv (&result, NULL, (const char * const[]) { "run", path, "--format", "jsonl",
                                                              NULL }, 30000);
  g_assert_cmpint (result.status, ==, c->status);
  g_assert_nonnull (strstr (c->status == 0 ? result.out : result.err, c->needle));

  /* Nothing of the file came through. */
  if (g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL) && strchr (passwd, '\n') != NULL)
    {
      *strchr (passwd, '\n') = '\0';
      g_assert_null (strstr (result.out, passwd));
      g_assert_null (strstr (result.err, passwd));
    }
  remove_dir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tls_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tls/self-signed-%s",
                                               tls_cases[i].dialect);
      g_test_add_data_func (path, &tls_cases[i], test_tls_refused);
    }
  g_test_add_func ("/tls/switch", test_tls_switch);
  g_test_add_func ("/tls/cli-insecure", test_cli_insecure_tls);
  g_test_add_func ("/security/serve-loopback", test_serve_loopback);
  g_test_add_func ("/security/serve-host", test_serve_host);
  g_test_add_func ("/security/output-atomic", test_output_atomic);
  for (guint i = 0; i < G_N_ELEMENTS (file_access_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/security/scenario-%s",
                                               file_access_cases[i].name);
      g_test_add_data_func (path, &file_access_cases[i], test_no_local_files);
    }

  return g_test_run ();
}
