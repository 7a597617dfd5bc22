/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mini-dialect.h"

/* Every wait on the main loop gives up after this long. */
#define DEADLINE_MS 10000

#include "mini-test-util.h"

typedef struct
{
  gboolean  done;
  int       status;    /* exit status, or -1 when the program did not exit normally */
  char     *out;
  char     *err;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("MINISOCK_CLI");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

static char *
echo_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios", "echo.json", NULL);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "scenarios", name, NULL);
}

static void
on_communicated (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Result *result = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (subprocess, res, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_if_exited (subprocess)
                   ? g_subprocess_get_exit_status (subprocess) : -1;
  result->done = TRUE;
}

/* Runs minisock-cli with the NULL-terminated arguments and collects what it printed. */
static void
run_cli (Result     *result,
         const char *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  joined = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running %s", joined);

  memset (result, 0, sizeof *result);
  subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (subprocess, NULL, NULL, on_communicated, result);
  {
    gboolean expired = FALSE;
    guint deadline = g_timeout_add (DEADLINE_MS, mini_test_on_deadline, &expired);

    while (!result->done && !expired)
      g_main_context_iteration (NULL, TRUE);
    if (!expired)
      g_source_remove (deadline);
    if (!result->done)
      {
        g_subprocess_force_exit (subprocess);
        g_test_message ("%s did not finish within %d ms", joined, DEADLINE_MS);
      }
  }
  g_assert_true (result->done);
  g_test_message ("exit status %d; stderr: %s", result->status, result->err);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* ---- run: JSON Lines ----------------------------------------------------------------------- */

static const char * const kinds[] = {
  "call", "return", "success", "fail", "complete", "resolve", "reject",
  "open", "message", "error", "close", "wire", "quirk", "env", NULL
};

/* Parses every line of a JSON Lines timeline and checks the fields every event has. */
static GPtrArray *
parse_jsonl (const char *text)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GRegex) t_format = g_regex_new ("\"t\":[0-9]+\\.[0-9]{3}[,}]", 0, 0, NULL);
  double last_t = 0;
  guint n_lines;

  n_lines = g_strv_length (lines);
  g_assert_cmpuint (n_lines, >, 1);
  /* One object per line, each line ended. */
  g_assert_cmpstr (lines[n_lines - 1], ==, "");

  for (guint i = 0; i + 1 < n_lines; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *ev;
      JsonNode *t;
      JsonNode *task;
      JsonNode *seq;

      g_test_message ("line %u: %s", i + 1, lines[i]);
      node = parse_json (lines[i]);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      ev = json_node_get_object (node);

      seq = json_object_get_member (ev, "seq");
      g_assert_nonnull (seq);
      g_assert_cmpint (json_node_get_value_type (seq), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (seq), ==, i + 1);

      t = json_object_get_member (ev, "t");
      g_assert_nonnull (t);
      g_assert_true (JSON_NODE_HOLDS_VALUE (t));
      g_assert_true (json_node_get_value_type (t) == G_TYPE_DOUBLE
                     || json_node_get_value_type (t) == G_TYPE_INT64);
      g_assert_cmpfloat (json_node_get_double (t), >=, last_t);
      last_t = json_node_get_double (t);
      g_assert_true (g_regex_match (t_format, lines[i], 0, NULL));

      task = json_object_get_member (ev, "task");
      g_assert_nonnull (task);
      g_assert_true (JSON_NODE_HOLDS_NULL (task)
                     || (JSON_NODE_HOLDS_VALUE (task)
                         && json_node_get_value_type (task) == G_TYPE_INT64
                         && json_node_get_int (task) > 0));

      g_assert_true (g_strv_contains (kinds, json_object_get_string_member (ev, "kind")));

      g_ptr_array_add (events, json_object_ref (ev));
    }

  return g_steal_pointer (&events);
}

static const char *
kind_of (JsonObject *ev)
{
  return json_object_get_string_member (ev, "kind");
}

/* The events a mini-program sees, without the wire and the quirks under them. */
static GPtrArray *
platform_events (GPtrArray *events)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *ev = g_ptr_array_index (events, i);

      if (!g_str_equal (kind_of (ev), "wire") && !g_str_equal (kind_of (ev), "quirk"))
        g_ptr_array_add (out, ev);
    }
  return out;
}

static char *
listeners_of (JsonObject *ev)
{
  JsonArray *array;
  GString *out;

  if (!json_object_has_member (ev, "listeners"))
    return NULL;
  array = json_object_get_array_member (ev, "listeners");
  g_assert_nonnull (array);
  out = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (array, i));
  return g_string_free (out, FALSE);
}

typedef struct {
  const char *kind;
  const char *api;
  const char *err_msg;
  const char *value;
  const char *data;
  int         code;
  const char *reason;
  const char *listeners;
} Expected;

static void
check_sequence (GPtrArray      *events,
                const Expected *expected,
                guint           n_expected)
{
  g_autoptr(GPtrArray) seen = platform_events (events);

  for (guint i = 0; i < MIN (seen->len, n_expected); i++)
    {
      JsonObject *ev = g_ptr_array_index (seen, i);
      const Expected *e = &expected[i];
      g_autofree char *listeners = listeners_of (ev);

      g_test_message ("event %u: expecting %s %s", i, e->kind, e->api ? e->api : "");
      g_assert_cmpstr (kind_of (ev), ==, e->kind);
      g_assert_cmpstr (json_object_get_string_member_with_default (ev, "api", NULL), ==, e->api);
      if (e->err_msg != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (ev, "errMsg", NULL), ==,
                         e->err_msg);
      if (e->value != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (ev, "value", NULL), ==,
                         e->value);
      if (e->data != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (ev, "data", NULL), ==,
                         e->data);
      if (e->code != 0)
        g_assert_cmpint (json_object_get_int_member_with_default (ev, "code", -1), ==, e->code);
      if (e->reason != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (ev, "reason", NULL), ==,
                         e->reason);
      if (e->listeners != NULL)
        g_assert_cmpstr (listeners, ==, e->listeners);
    }
  g_assert_cmpuint (seen->len, ==, n_expected);
}

static void
test_run_jsonl (void)
{
  static const Expected expected[] = {
    { "call", "connectSocket" },
    { "return", "connectSocket", .value = "SocketTask" },
    { "call", "SocketTask.onOpen" },
    { "return", "SocketTask.onOpen", .value = "undefined" },
    { "call", "SocketTask.onMessage" },
    { "return", "SocketTask.onMessage" },
    { "call", "SocketTask.onError" },
    { "return", "SocketTask.onError" },
    { "call", "SocketTask.onClose" },
    { "return", "SocketTask.onClose" },
    { "success", "connectSocket", .err_msg = "connectSocket:ok" },
    { "complete", "connectSocket", .err_msg = "connectSocket:ok" },
    { "open", NULL, .listeners = "SocketTask.onOpen" },
    { "call", "SocketTask.send" },
    { "return", "SocketTask.send" },
    { "success", "SocketTask.send", .err_msg = "sendSocketMessage:ok" },
    { "message", NULL, .data = "hello", .listeners = "SocketTask.onMessage" },
    { "call", "SocketTask.close" },
    { "return", "SocketTask.close" },
    { "success", "SocketTask.close", .err_msg = "closeSocket:ok" },
    { "close", NULL, .code = 1000, .reason = "bye", .listeners = "SocketTask.onClose" },
    { "env", NULL, .value = "end" },
  };
  g_autofree char *path = echo_path ();
  g_auto(Result) result;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  JsonObject *ev;
  JsonObject *args;

  run_cli (&result, "run", path, "--format", "jsonl", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  events = parse_jsonl (result.out);
  check_sequence (events, expected, G_N_ELEMENTS (expected));

  seen = platform_events (events);
  /* The call comes before the task exists; everything after belongs to task 1. */
  ev = g_ptr_array_index (seen, 0);
  g_assert_true (json_object_get_null_member (ev, "task"));
  args = json_object_get_object_member (ev, "args");
  g_assert_nonnull (args);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (args, "url"), "ws://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (args, "url"), "/echo"));
  g_assert_true (json_object_get_boolean_member (args, "success"));
  for (guint i = 1; i + 1 < seen->len; i++)
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (seen, i), "task"), ==, 1);
  g_assert_true (json_object_get_null_member (g_ptr_array_index (seen, seen->len - 1), "task"));

  ev = g_ptr_array_index (seen, 10);
  g_assert_cmpint (json_object_get_int_member (ev, "socketTaskId"), ==, 1);

  /* The wire shows the handshake with the Referer really sent. */
  for (guint i = 0; i < events->len; i++)
    {
      ev = g_ptr_array_index (events, i);
      if (g_str_equal (kind_of (ev), "wire")
          && g_strcmp0 (json_object_get_string_member_with_default (ev, "wire", NULL),
                        "handshake-request") == 0)
        break;
      ev = NULL;
    }
  g_assert_nonnull (ev);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ev, "header"),
                                                  "Referer"), ==,
                   "https://servicewechat.com/touristappid/0/page-frame.html");
}

static void
test_run_web (void)
{
  static const Expected expected[] = {
    { "call", "connectSocket" },
    { "return", "connectSocket", .value = "WebSocket" },
    { "call", "SocketTask.onOpen" },
    { "return", "SocketTask.onOpen" },
    { "call", "SocketTask.onMessage" },
    { "return", "SocketTask.onMessage" },
    { "call", "SocketTask.onError" },
    { "return", "SocketTask.onError" },
    { "call", "SocketTask.onClose" },
    { "return", "SocketTask.onClose" },
    { "open", NULL, .listeners = "SocketTask.onOpen" },
    { "call", "SocketTask.send" },
    { "return", "SocketTask.send" },
    { "message", NULL, .data = "hello", .listeners = "SocketTask.onMessage" },
    { "call", "SocketTask.close" },
    { "return", "SocketTask.close" },
    { "close", NULL, .code = 1000, .reason = "bye", .listeners = "SocketTask.onClose" },
    { "env", NULL, .value = "end" },
  };
  g_autofree char *path = echo_path ();
  g_auto(Result) result;
  g_autoptr(GPtrArray) events = NULL;

  run_cli (&result, "run", path, "--dialect", "web", "--format", "jsonl", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  events = parse_jsonl (result.out);
  /* The browser takes no callbacks: the scenario's success: true changes nothing. */
  for (guint i = 0; i < events->len; i++)
    {
      const char *kind = kind_of (g_ptr_array_index (events, i));

      g_assert_cmpstr (kind, !=, "success");
      g_assert_cmpstr (kind, !=, "fail");
      g_assert_cmpstr (kind, !=, "complete");
    }
  check_sequence (events, expected, G_N_ELEMENTS (expected));
}

/* ---- run: text ----------------------------------------------------------------------------- */

/* The column (in characters) where the @n-th (0-based) blank-separated field of @line starts. */
static long
field_column (const char *line,
              guint       n)
{
  const char *p = line;

  for (guint i = 0; ; i++)
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        return -1;
      if (i == n)
        return g_utf8_pointer_to_offset (line, p);
      while (*p != ' ' && *p != '\0')
        p++;
    }
}

static long
text_column (const char *line,
             const char *text)
{
  const char *p = strstr (line, text);

  return p != NULL ? g_utf8_pointer_to_offset (line, p) : -1;
}

static void
test_run_text (void)
{
  static const char * const with_api[] = { "call", "return", "success", "complete", NULL };
  g_autofree char *path = echo_path ();
  g_auto(Result) result;
  g_auto(GStrv) lines = NULL;
  const char *header = NULL;
  long t_end, delta_end, task_end, kind_col, api_col, summary_col;
  guint first_row = 0;
  guint n_rows = 0;
  double last_t = 0;
  gboolean saw_open = FALSE;

  run_cli (&result, "run", path, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "Echo: connect, send, receive, close — WeChat (base library 2.10+) (wx)");
  g_assert_true (g_str_has_prefix (lines[1], "playground: ws://127.0.0.1:"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "t (ms)") != NULL)
        {
          header = lines[i];
          first_row = i + 1;
          break;
        }
    }
  g_assert_nonnull (header);
  g_test_message ("header: %s", header);

  /* Right-aligned numbers end where their titles end; the other columns start with theirs. */
  t_end = text_column (header, "t (ms)") + strlen ("t (ms)");
  delta_end = text_column (header, "Δ (ms)") + g_utf8_strlen ("Δ (ms)", -1);
  task_end = text_column (header, "task") + strlen ("task");
  kind_col = text_column (header, "kind");
  api_col = text_column (header, "api");
  summary_col = text_column (header, "summary");
  g_assert_cmpint (t_end, >, 0);
  g_assert_cmpint (t_end, <, delta_end);
  g_assert_cmpint (delta_end, <, task_end);
  g_assert_cmpint (task_end, <, kind_col);
  g_assert_cmpint (kind_col, <, api_col);
  g_assert_cmpint (api_col, <, summary_col);

  for (guint i = first_row; lines[i] != NULL; i++)
    {
      const char *row = lines[i];
      double t, delta;
      char *end;

      if (*row == '\0')
        continue;
      g_test_message ("row: %s", row);
      n_rows++;

      t = g_ascii_strtod (row, &end);
      g_assert_true (end != row);
      g_assert_cmpint (g_utf8_pointer_to_offset (row, end), ==, t_end);
      delta = g_ascii_strtod (end, &end);
      g_assert_cmpint (g_utf8_pointer_to_offset (row, end), ==, delta_end);
      g_assert_cmpfloat (t, >=, last_t);
      if (n_rows == 1)
        g_assert_cmpfloat (delta, ==, 0.0);
      else
        g_assert_cmpfloat (ABS (delta - (t - last_t)), <, 0.0015);
      last_t = t;

      /* The task column: a number or "-", right-aligned. */
      g_assert_cmpint (field_column (row, 2) + (long) strcspn (row + field_column (row, 2), " "),
                       ==, task_end);

      g_assert_cmpint (field_column (row, 3), ==, kind_col);
      {
        g_autofree char *kind = g_strndup (row + kind_col, strcspn (row + kind_col, " "));

        g_assert_true (g_strv_contains (kinds, kind));
        if (g_strv_contains (with_api, kind))
          {
            g_assert_cmpint (field_column (row, 4), ==, api_col);
            g_assert_cmpint (field_column (row, 5), ==, summary_col);
          }
        if (g_str_equal (kind, "open"))
          {
            saw_open = TRUE;
            g_assert_cmpstr (row + summary_col, ==, "→ SocketTask.onOpen");
          }
      }
    }

  g_assert_true (saw_open);
  g_assert_cmpuint (n_rows, >=, 22);
}

/* ---- exit codes and messages --------------------------------------------------------------- */

static void
check_usage_error (Result     *result,
                   const char *message)
{
  g_assert_cmpint (result->status, ==, 2);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_cmpstr (result->err, ==, message);
}

static void
test_error_missing_file (void)
{
  g_autofree char *path = fixture_path ("no-such-file.json");
  g_autofree char *message = g_strdup_printf ("minisock-cli: Failed to open file “%s”: No such "
                                              "file or directory\n", path);
  g_auto(Result) result;

  run_cli (&result, "run", path, NULL);
  check_usage_error (&result, message);
}

static void
test_error_invalid_json (void)
{
  g_autofree char *path = fixture_path ("bad-json.json");
  g_autofree char *message = g_strdup_printf ("minisock-cli: %s:3:38: Parse error: unexpected "
                                              "character `,', expected character `]': invalid "
                                              "JSON\n", path);
  g_auto(Result) result;

  run_cli (&result, "run", path, "--format", "jsonl", NULL);
  check_usage_error (&result, message);
}

static void
test_error_bad_scenario (void)
{
  g_autofree char *path = fixture_path ("bad-at-negative.json");
  g_autofree char *message = g_strdup_printf ("minisock-cli: %s: $.steps[0].at: expected a time "
                                              "in ms ≥ 0, got -5\n", path);
  g_autofree char *path2 = fixture_path ("bad-call-unknown.json");
  g_auto(Result) result;
  g_auto(Result) result2;

  run_cli (&result, "run", path, NULL);
  check_usage_error (&result, message);

  run_cli (&result2, "run", path2, NULL);
  g_assert_cmpint (result2.status, ==, 2);
  g_assert_cmpstr (result2.out, ==, "");
  g_assert_true (g_str_has_prefix (result2.err, "minisock-cli: "));
  g_assert_nonnull (strstr (result2.err, path2));
  g_assert_nonnull (strstr (result2.err, "$.steps[0].call: unknown API \"wx.connectSocket\""));
}

static void
test_error_unknown_dialect (void)
{
  g_autofree char *path = echo_path ();
  g_autofree char *message = g_strdup_printf ("minisock-cli: %s: unknown dialect \"wechat\"; "
                                              "known dialects: my, qq, swan, taro-h5, tcmpp, tt, uni, uni-app, uni-h5, web, wx, wx-legacy\n", path);
  g_auto(Result) result;

  run_cli (&result, "run", path, "--dialect", "wechat", NULL);
  check_usage_error (&result, message);
}

static void
test_error_bad_format (void)
{
  g_autofree char *path = echo_path ();
  g_auto(Result) result;

  run_cli (&result, "run", path, "--format", "xml", NULL);
  check_usage_error (&result, "minisock-cli: run: --format: expected text, jsonl or har, got \"xml\"\n");
}

static void
test_error_no_argument (void)
{
  g_auto(Result) result;
  g_auto(Result) bare;

  run_cli (&result, "run", NULL);
  check_usage_error (&result, "minisock-cli: run: expected one scenario file, got 0; usage: "
                              "minisock-cli run SCENARIO.json [--dialect ID] "
                              "[--format text|jsonl|har] [--output FILE]\n");

  run_cli (&bare, NULL);
  g_assert_cmpint (bare.status, ==, 2);
  g_assert_cmpstr (bare.out, ==, "");
  g_assert_true (g_str_has_prefix (bare.err, "Usage: minisock-cli COMMAND [OPTIONS]\n"));
}

static void
test_error_unknown_command (void)
{
  g_auto(Result) result;

  run_cli (&result, "frob", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_str_has_prefix (result.err, "minisock-cli: unknown command \"frob\"\n"));
  g_assert_nonnull (strstr (result.err, "Usage: minisock-cli COMMAND [OPTIONS]"));
}

/* ---- dialects ------------------------------------------------------------------------------ */

static void
test_dialects_text (void)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();
  g_auto(Result) result;
  g_auto(GStrv) lines = NULL;
  const char * const ids[] = { "web", "wx" };

  run_cli (&result, "dialects", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  lines = g_strsplit (result.out, "\n", -1);
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "wx — WeChat (base library 2.10+)"));
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "web — Browser WebSocket (baseline)"));
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "  maxConnections               5"));
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "  invalidCall                  \"throw\""));
  g_assert_true (g_strv_contains ((const char * const *) lines,
                                  "  globals                      \"latest\"  (unverified)"));

  /* Each dialect's block names every rule once. */
  for (guint d = 0; d < G_N_ELEMENTS (ids); d++)
    {
      guint start = 0;

      while (lines[start] != NULL
             && !(g_str_has_prefix (lines[start], ids[d])
                  && g_str_has_prefix (lines[start] + strlen (ids[d]), " — ")))
        start++;
      g_assert_nonnull (lines[start]);
      for (guint r = 0; r < json_array_get_length (rules); r++)
        {
          JsonObject *info = json_array_get_object_element (rules, r);
          const char *rule = json_object_get_string_member (info, "id");
          g_autofree char *prefix = g_strdup_printf ("  %-28s ", rule);

          g_test_message ("%s: %s", ids[d], rule);
          g_assert_nonnull (lines[start + 1 + r]);
          g_assert_true (g_str_has_prefix (lines[start + 1 + r], prefix));
        }
    }
}

static void
test_dialects_json (void)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();
  g_auto(Result) result;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *dialects;
  guint wx_index = 0;
  JsonObject *sources = mini_dialect_schema_get_sources ();
  static const char * const expected_ids[] = {
    "my", "qq", "swan", "taro-h5", "tcmpp", "tt", "uni", "uni-app", "uni-h5", "web", "wx",
    "wx-legacy",
  };

  run_cli (&result, "dialects", "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");

  root = parse_json (result.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  dialects = json_node_get_array (root);
  /* The twelve platforms of platforms.md, in the order `dialects` lists them. */
  g_assert_cmpuint (json_array_get_length (dialects), ==, G_N_ELEMENTS (expected_ids));

  for (guint d = 0; d < json_array_get_length (dialects); d++)
    {
      JsonObject *dialect = json_array_get_object_element (dialects, d);
      JsonObject *values;

      g_assert_nonnull (dialect);
      g_ptr_array_add (ids, (gpointer) json_object_get_string_member (dialect, "id"));
      g_assert_cmpstr (g_ptr_array_index (ids, d), ==, expected_ids[d]);
      g_assert_nonnull (json_object_get_string_member (dialect, "name"));
      g_assert_nonnull (json_object_get_string_member (dialect, "prefix"));
      values = json_object_get_object_member (dialect, "rules");
      g_assert_nonnull (values);
      g_assert_cmpuint (json_object_get_size (values), ==, json_array_get_length (rules));
      for (guint r = 0; r < json_array_get_length (rules); r++)
        {
          JsonObject *info = json_array_get_object_element (rules, r);
          const char *rule = json_object_get_string_member (info, "id");
          JsonObject *entry = json_object_get_object_member (values, rule);

          g_test_message ("%s: %s", (char *) g_ptr_array_index (ids, d), rule);
          g_assert_nonnull (entry);
          g_assert_true (json_object_has_member (entry, "value"));
          g_assert_true (json_object_has_member (entry, "unverified"));
          g_assert_true (json_object_has_member (sources,
                                                 json_object_get_string_member (entry, "source")));
        }
      g_assert_nonnull (json_object_get_object_member (dialect, "errMsgs"));
    }

  g_assert_true (g_ptr_array_find_with_equal_func (ids, "web", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (ids, "wx", g_str_equal, &wx_index));
  {
    JsonObject *wx = json_array_get_object_element (dialects, wx_index);
    JsonObject *max = json_object_get_object_member (json_object_get_object_member (wx, "rules"),
                                                     "maxConnections");

    g_assert_cmpint (json_object_get_int_member (max, "value"), ==, 5);
    g_assert_cmpstr (json_object_get_string_member (max, "source"), ==, "WX-D");
  }
}

/* ---- serve --------------------------------------------------------------------------------- */

typedef struct
{
  GSubprocess      *subprocess;
  GDataInputStream *out;
  char             *first_line;
  gboolean          line_done;
  gboolean          exited;
} Server;

static void
on_line (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;

  server->first_line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                  res, NULL, &error);
  g_assert_no_error (error);
  server->line_done = TRUE;
}

static void
on_exited (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  Server *server = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), res, NULL);
  server->exited = TRUE;
}

static void
server_start (Server     *server,
              const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  memset (server, 0, sizeof *server);
  g_ptr_array_add (argv, (char *) cli_path ());
  g_ptr_array_add (argv, (char *) "serve");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  server->subprocess = g_subprocess_newv ((const char * const *) argv->pdata,
                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                          | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                          &error);
  g_assert_no_error (error);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->subprocess));
  g_data_input_stream_read_line_async (server->out, G_PRIORITY_DEFAULT, NULL, on_line, server);
  g_subprocess_wait_async (server->subprocess, NULL, on_exited, server);
  WAIT_FOR (server->line_done || server->exited);
  if (!server->line_done)
    WAIT_FOR (server->line_done);
  g_test_message ("first line: %s", server->first_line);
  g_assert_false (server->exited);
}

/* Stops it the way a terminal would and returns what it printed on stderr. */
static char *
server_stop (Server *server)
{
  g_autoptr(GOutputStream) err = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->subprocess, SIGTERM);
  {
    gboolean expired = FALSE;
    guint deadline = g_timeout_add (DEADLINE_MS, mini_test_on_deadline, &expired);

    while (!server->exited && !expired)
      g_main_context_iteration (NULL, TRUE);
    if (!expired)
      g_source_remove (deadline);
    if (!server->exited)
      g_subprocess_force_exit (server->subprocess);
  }
  g_assert_true (server->exited);
  g_assert_true (g_subprocess_get_if_exited (server->subprocess));
  g_assert_cmpint (g_subprocess_get_exit_status (server->subprocess), ==, 0);

  /* It has exited: reading its stderr to the end cannot block. */
  g_output_stream_splice (err, g_subprocess_get_stderr_pipe (server->subprocess),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&server->out);
  g_clear_object (&server->subprocess);
  g_clear_pointer (&server->first_line, g_free);

  /* An empty stream has no buffer at all. */
  if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (err)) == 0)
    return g_strdup ("");
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (err)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (err)));
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 connected;
  char                    *echo;
} Client;

static void
on_client_message (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   Client                  *client)
{
  client->echo = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
}

static void
on_client_connected (GObject      *object,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  Client *client = user_data;

  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), res,
                                                        &client->error);
  client->connected = TRUE;
}

static void
test_serve_port (void)
{
  g_autoptr(GRegex) regex = g_regex_new ("^Playground listening on "
                                         "(ws://127\\.0\\.0\\.1:([0-9]+))$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *port = NULL;
  g_autofree char *echo_url = NULL;
  g_autofree char *err = NULL;
  Client client = { 0 };
  Server server;

  server_start (&server, "--port", "0", NULL);
  g_assert_true (g_regex_match (regex, server.first_line, 0, &match));
  url = g_match_info_fetch (match, 1);
  port = g_match_info_fetch (match, 2);
  g_assert_cmpint (g_ascii_strtoll (port, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (port, NULL, 10), <, 65536);

  /* The URL it printed really serves the playground. */
  echo_url = g_strconcat (url, "/echo", NULL);
  msg = soup_message_new ("GET", echo_url);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_client_connected, &client);
  WAIT_FOR (client.connected);
  g_assert_no_error (client.error);
  g_signal_connect (client.conn, "message", G_CALLBACK (on_client_message), &client);
  soup_websocket_connection_send_text (client.conn, "ping");
  WAIT_FOR (client.echo != NULL);
  g_assert_cmpstr (client.echo, ==, "ping");
  soup_websocket_connection_close (client.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  WAIT_FOR (soup_websocket_connection_get_state (client.conn) == SOUP_WEBSOCKET_STATE_CLOSED);
  g_clear_object (&client.conn);
  g_free (client.echo);

  err = server_stop (&server);
  /* Loopback is the default: nothing to warn about. */
  g_assert_cmpstr (err, ==, "");
}

static void
test_serve_host_warning (void)
{
  g_autofree char *err = NULL;
  Server server;

  server_start (&server, "--host", "0.0.0.0", "--port", "0", NULL);
  g_assert_true (g_str_has_prefix (server.first_line, "Playground listening on ws://0.0.0.0:"));
  err = server_stop (&server);
  g_assert_cmpstr (err, ==, "minisock-cli: warning: the playground will accept connections from "
                            "other machines on 0.0.0.0; it has no authentication\n");
}

static void
test_serve_bad_port (void)
{
  g_auto(Result) result;

  run_cli (&result, "serve", "--port", "70000", NULL);
  check_usage_error (&result, "minisock-cli: serve: --port: expected 0–65535, got 70000\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/run/jsonl", test_run_jsonl);
  g_test_add_func ("/cli/run/text", test_run_text);
  g_test_add_func ("/cli/run/dialect-web", test_run_web);
  g_test_add_func ("/cli/error/missing-file", test_error_missing_file);
  g_test_add_func ("/cli/error/invalid-json", test_error_invalid_json);
  g_test_add_func ("/cli/error/bad-scenario", test_error_bad_scenario);
  g_test_add_func ("/cli/error/unknown-dialect", test_error_unknown_dialect);
  g_test_add_func ("/cli/error/bad-format", test_error_bad_format);
  g_test_add_func ("/cli/error/no-argument", test_error_no_argument);
  g_test_add_func ("/cli/error/unknown-command", test_error_unknown_command);
  g_test_add_func ("/cli/dialects/text", test_dialects_text);
  g_test_add_func ("/cli/dialects/json", test_dialects_json);
  g_test_add_func ("/cli/serve/port", test_serve_port);
  g_test_add_func ("/cli/serve/host-warning", test_serve_host_warning);
  g_test_add_func ("/cli/serve/bad-port", test_serve_bad_port);

  return g_test_run ();
}
