/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mini-dialect.h"
#include "mini-js.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-test-util.h"

static MiniDialect *
load (const char *id)
{
  g_autoptr(GError) error = NULL;
  MiniDialect *dialect = mini_dialect_load (id, &error);

  g_assert_no_error (error);
  return dialect;
}

static JsonObject *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

/* What the composer writes reads back as the same options and listeners. */
static void
test_round_trip (void)
{
  static const char * const listeners[] = { "onOpen", "onMessage", NULL };
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonObject) args = parse_json ("{\"url\": \"ws://127.0.0.1:1/echo?a=1&b='2'\","
                                           " \"header\": {\"X-Token\": \"a\\\"b\", \"x-y\": \"1\"},"
                                           " \"protocols\": [\"chat\", \"json\"],"
                                           " \"timeout\": 5000,"
                                           " \"tcpNoDelay\": true, \"success\": true,"
                                           " \"complete\": true}");
  g_autoptr(JsonObject) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed_listeners = NULL;
  g_autofree char *code = mini_js_format_connect (wx, args, listeners);
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;

  g_test_message ("%s", code);
  g_assert_true (g_str_has_prefix (code, "const task = wx.connectSocket({\n  url: 'ws://"));
  g_assert_nonnull (strstr (code, "  'x-y': '1'"));
  g_assert_nonnull (strstr (code, "  success (res) {},\n  complete () {}\n})\n"));
  g_assert_nonnull (strstr (code, "task.onOpen((res) => {})\ntask.onMessage((res) => {})\n"));
  g_assert_null (strstr (code, "fail"));

  parsed = mini_js_parse_connect (wx, code, &parsed_listeners, NULL, NULL, &error);
  g_assert_no_error (error);
  expected = to_json (args);
  got = to_json (parsed);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpstrv (parsed_listeners, listeners);
}

/* Code written by hand, the way mini-program developers write it. */
static void
test_parse_by_hand (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonObject) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listeners = NULL;
  g_autofree char *got = NULL;
  const char *code =
    "// connect\n"
    "let socketTask = await wx.connectSocket({\n"
    "  \"url\": `wss://example.com/ws`, /* the server */\n"
    "  timeout: 1.5e3,\n"
    "  header: { 'content-type': \"application/json\", },\n"
    "  success: function (res) { console.log(res.socketTaskId) },\n"
    "  fail: err => console.error(err, { a: [1, 2] }),\n"
    "  complete: async () => { await done() },\n"
    "});\n"
    "socketTask.onOpen(function () { socketTask.send({ data: 'hi' }) });\n"
    "socketTask.onError(res => console.error(res.errMsg))\n"
    "wx.onSocketClose((res) => {})\n";

  parsed = mini_js_parse_connect (wx, code, &listeners, NULL, NULL, &error);
  g_assert_no_error (error);
  got = to_json (parsed);
  g_assert_cmpstr (got, ==, "{\"url\":\"wss://example.com/ws\",\"timeout\":1500,"
                            "\"header\":{\"content-type\":\"application/json\"},"
                            "\"success\":true,\"fail\":true,\"complete\":true}");
  g_assert_cmpstrv (listeners, ((const char * const[]) { "onOpen", "onError", "onClose", NULL }));
}

/* The browser has no prefix: its call is the constructor, its listeners are properties. */
static void
test_web (void)
{
  static const char * const listeners[] = { "onMessage", NULL };
  g_autoptr(MiniDialect) web = load ("web");
  g_autoptr(JsonObject) args = parse_json ("{\"url\": \"ws://h/x\", \"protocols\": [\"chat\"]}");
  g_autoptr(JsonObject) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed_listeners = NULL;
  g_autofree char *code = mini_js_format_connect (web, args, listeners);
  g_autofree char *got = NULL;

  g_assert_cmpstr (code, ==, "const socket = new WebSocket('ws://h/x', ['chat'])\n"
                             "socket.onmessage = (event) => {}\n");

  parsed = mini_js_parse_connect (web, "new WebSocket(\"ws://h/y\", 'one')", &parsed_listeners,
                                  NULL, NULL, &error);
  g_assert_no_error (error);
  got = to_json (parsed);
  g_assert_cmpstr (got, ==, "{\"url\":\"ws://h/y\",\"protocols\":[\"one\"]}");
  g_assert_cmpuint (g_strv_length (parsed_listeners), ==, 0);
}

/* A platform whose connectSocket returns no task registers the global listeners. */
static void
test_no_task (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonObject) quirks = parse_json ("{\"returns\": \"undefined\"}");
  g_autoptr(MiniDialect) legacy = NULL;
  g_autoptr(JsonObject) args = parse_json ("{\"url\": \"ws://h/\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  legacy = mini_dialect_new_with_overrides (wx, quirks, &error);
  g_assert_no_error (error);
  g_assert_false (mini_js_returns_task (legacy, args));
  code = mini_js_format_connect (legacy, args, (const char * const[]) { "onOpen", NULL });
  g_assert_cmpstr (code, ==, "wx.connectSocket({\n  url: 'ws://h/'\n})\n"
                             "wx.onSocketOpen((res) => {})\n");
}

/* Errors say where and what, in the user's terms; nothing is returned. */
static void
test_errors (void)
{
  static const struct {
    const char *code;
    guint line;
    guint column;
    const char *message;
  } cases[] = {
    { "wx.connectSocket({ url: 'x' ", 1, 29, "expected “,” or “}” but found the end of the code" },
    { "wx.connectSocket({\n  url: foo\n})", 2, 8, "“foo” is not a value" },
    { "tt.connectSocket({})", 1, 1, "expected “wx.connectSocket({ … })”" },
    { "wx.connectSocket({ url: 'x\n })", 1, 25, "the string is never closed" },
    { "wx.connectSocket({ url: 'x' }) /* open", 1, 32, "the comment is never closed" },
    { "wx.connectSocket({ url: 'x' })\ntask.send()", 2, 6, "expected a listener" },
    { "wx.connectSocket('x')", 1, 18, "expected the options object" },
  };
  g_autoptr(MiniDialect) wx = load ("wx");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) parsed = NULL;
      guint line = 0, column = 0;

      parsed = mini_js_parse_connect (wx, cases[i].code, NULL, &line, &column, &error);
      g_test_message ("%s → %s", cases[i].code, error != NULL ? error->message : "(no error)");
      g_assert_null (parsed);
      g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_cmpuint (line, ==, cases[i].line);
      g_assert_cmpuint (column, ==, cases[i].column);
    }
}

/* ---- the session as code ------------------------------------------------------------------ */

static void
call (MiniRuntime *runtime,
      const char  *api,
      const char  *args,
      guint        task)
{
  g_autoptr(JsonObject) object = args != NULL ? mini_test_parse_object (args) : NULL;
  g_autoptr(GError) error = NULL;

  mini_runtime_call (runtime, api, object, task, &error);
  g_assert_no_error (error);
}

/* `node --check`: the code parses as JavaScript. Skipped, with the reason, without Node. */
static void
assert_node_accepts (const char *code)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int fd;
  int status;

  if (node == NULL)
    {
      g_test_message ("node is not installed (Debian package nodejs): the snippet's syntax is "
                      "not checked");
      return;
    }

  fd = g_file_open_tmp ("minisock-snippet-XXXXXX.js", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, code, -1, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { node, "--check", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &status, &error);
  }
  g_unlink (path);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("node --check:\n%s\n%s", err, code);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The page's side of the platform, for node: every API call the snippet makes is written down,
 * in order, and printed when it ends. connectSocket's result serves as a SocketTask and as a
 * Promise of one, so the snippet's own shape decides which it uses. */
static const char shim[] =
  "const calls = []\n"
  "process.on('exit', () => console.log(JSON.stringify(calls)))\n"
  "const recorder = (prefix) => (_, name) => typeof name !== 'string' || name === 'then'\n"
  "  ? undefined : (...args) => { calls.push(prefix + name) }\n"
  "const task = () => new Proxy({}, { get: recorder('SocketTask.') })\n"
  "const connect = () => {\n"
  "  const made = task()\n"
  "  return new Proxy({}, { get: (_, name) => name === 'then'\n"
  "    ? (resolve) => resolve(made) : recorder('SocketTask.')(_, name) })\n"
  "}\n"
  "globalThis[PREFIX] = new Proxy({}, { get: (_, name) => (...args) => {\n"
  "  calls.push(name)\n"
  "  return name === 'connectSocket' ? connect() : undefined\n"
  "} })\n"
  "globalThis.WebSocket = function () {\n"
  "  calls.push('connectSocket')\n"
  "  return new Proxy({}, {\n"
  "    get: recorder('SocketTask.'),\n"
  "    set: (_, name) => {\n"
  "      calls.push('SocketTask.on' + name[2].toUpperCase() + name.slice(3))\n"
  "      return true\n"
  "    },\n"
  "  })\n"
  "}\n";

/* Runs the snippet in node against the shim: it makes the session's calls, in order (the ones
 * the platform has: the browser has no globals, and nothing can send the app away). */
static void
assert_node_replays (const char   *code,
                     MiniDialect  *dialect,
                     MiniTimeline *timeline)
{
  g_autofree char *node = g_find_program_in_path ("node");
  const char *prefix = mini_dialect_get_prefix (dialect);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) expected_node = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *program = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  int fd;

  if (node == NULL)
    {
      g_test_message ("node is not installed (Debian package nodejs): the snippet is not run");
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < mini_timeline_get_n_events (timeline); i++)
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, i, &view);
      if (view.kind != MINI_EVENT_CALL || !mini_runtime_is_api (view.api)
          || g_str_has_prefix (view.api, "app.") || g_str_has_prefix (view.api, "network.")
          || (*prefix == '\0' && !g_str_equal (view.api, "connectSocket")
              && !g_str_has_prefix (view.api, "SocketTask.")))
        continue;
      json_builder_add_string_value (builder, view.api);
    }
  json_builder_end_array (builder);
  expected_node = json_builder_get_root (builder);
  expected = json_to_string (expected_node, FALSE);

  program = g_strdup_printf ("const PREFIX = '%s'\n%s\n%s", *prefix != '\0' ? prefix : "none",
                             shim, code);
  fd = g_file_open_tmp ("minisock-run-XXXXXX.js", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, program, -1, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { node, path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  &error);
  }
  g_unlink (path);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("node:\n%s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* The calls are the last line, after what the snippet's own handlers logged. */
  g_strstrip (out);
  g_assert_cmpstr (strrchr (out, '\n') != NULL ? strrchr (out, '\n') + 1 : out, ==, expected);
}

/* A person's session: connect with listeners in one turn, send text, then bytes once it is open,
 * then close, each step waiting for the events it depends on. The snippet is compared with its
 * waits written as `}, N)`, since they are the person's pace. */
static char *
record_session (const char *dialect_id,
                const char *connect_args)
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(MiniDialect) dialect = load (dialect_id);
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) delays = g_regex_new ("\\}, [0-9]+\\)", 0, 0, NULL);
  g_autofree char *args = NULL;
  g_autofree char *code = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *url = NULL;
  gboolean task_methods;
  guint task;

  g_assert_true (mini_playground_start (playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  url = g_strdup (mini_playground_get_url (playground));
  runtime = mini_runtime_new (dialect, timeline);
  mini_runtime_set_playground_url (runtime, url);

  /* As the composer passes it; the code has the address itself. */
  args = g_strdup_printf ("{\"url\": \"{playground}/echo\"%s}", connect_args);
  call (runtime, "connectSocket", args, 0);
  task = mini_runtime_get_newest_task (runtime);
  g_assert_cmpuint (task, ==, 1);

  /* The page has a task when the call returned one, or a Promise that resolves with one. */
  {
    g_autoptr(JsonObject) returned = mini_test_find_event (timeline, MINI_EVENT_RETURN, task,
                                                           "connectSocket");
    const char *value = mini_test_str_member (returned, "value");

    task_methods = g_str_equal (value, "SocketTask") || g_str_equal (value, "WebSocket")
                   || (g_str_equal (value, "Promise")
                       && mini_dialect_is (dialect, "promiseResolves", "SocketTask"));
  }
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *api = task_methods
                             ? g_strconcat ("SocketTask.", mini_js_listeners[i], NULL)
                             : g_strconcat ("onSocket", mini_js_listeners[i] + 2, NULL);

      if (i != 2)
        call (runtime, api, NULL, task);
    }
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_OPEN, task) == 1);
  mini_test_run_for (5);

  call (runtime, task_methods ? "SocketTask.send" : "sendSocketMessage",
        "{\"data\": \"hello 'you'\", \"success\": true}", task);
  mini_test_run_for (5);
  call (runtime, task_methods ? "SocketTask.send" : "sendSocketMessage",
        "{\"data\": {\"hex\": \"0102ff\"}}", task);
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_MESSAGE, task) == 2);
  mini_test_run_for (5);

  call (runtime, task_methods ? "SocketTask.close" : "closeSocket",
        "{\"code\": 1000, \"reason\": \"bye\", \"complete\": true}", task);
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_CLOSE, task) == 1);

  code = mini_js_format_session (dialect, timeline, url);
  g_assert_nonnull (code);
  g_test_message ("%s", code);
  g_assert_null (strstr (code, "{playground}"));
  assert_node_accepts (code);
  assert_node_replays (code, dialect, timeline);

  mini_runtime_shutdown (runtime);
  mini_playground_stop (playground);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  {
    g_autofree char *delayed = g_regex_replace_literal (delays, code, -1, 0, "}, N)", 0, NULL);
    g_auto(GStrv) parts = g_strsplit (delayed, url, -1);

    normal = g_strjoinv ("{playground}", parts);
  }

  return g_steal_pointer (&normal);
}

static void
test_session_wx (void)
{
  g_autofree char *code = record_session ("wx", ", \"success\": true, \"fail\": true");

  g_assert_cmpstr (code, ==,
    "// WeChat (base library 2.10+)\n"
    "// The session recorded in Minisock: each call at its time, in ms from the first.\n"
    "\n"
    "const task1 = wx.connectSocket({\n"
    "  url: '{playground}/echo',\n"
    "  success (res) { console.log('connectSocket success', res) },\n"
    "  fail (err) { console.log('connectSocket fail', err) }\n"
    "})\n"
    "task1.onOpen((res) => console.log('task1 onOpen', res))\n"
    "task1.onMessage((res) => console.log('task1 onMessage', res))\n"
    "task1.onClose((res) => console.log('task1 onClose', res))\n"
    "\n"
    "setTimeout(() => {\n"
    "  task1.send({\n"
    "    data: 'hello \\'you\\'',\n"
    "    success (res) { console.log('SocketTask.send success', res) }\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  task1.send({\n"
    "    data: new Uint8Array([1, 2, 255]).buffer\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  task1.close({\n"
    "    code: 1000,\n"
    "    reason: 'bye',\n"
    "    complete (res) { console.log('SocketTask.close complete', res) }\n"
    "  })\n"
    "}, N)\n");
}

static void
test_session_wx_legacy (void)
{
  g_autofree char *code = record_session ("wx-legacy", "");

  g_assert_cmpstr (code, ==,
    "// WeChat (base library before 1.7.0)\n"
    "// The session recorded in Minisock: each call at its time, in ms from the first.\n"
    "\n"
    "wx.connectSocket({\n"
    "  url: '{playground}/echo'\n"
    "})\n"
    "wx.onSocketOpen((res) => console.log('onSocketOpen', res))\n"
    "wx.onSocketMessage((res) => console.log('onSocketMessage', res))\n"
    "wx.onSocketClose((res) => console.log('onSocketClose', res))\n"
    "\n"
    "setTimeout(() => {\n"
    "  wx.sendSocketMessage({\n"
    "    data: 'hello \\'you\\'',\n"
    "    success (res) { console.log('sendSocketMessage success', res) }\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  wx.sendSocketMessage({\n"
    "    data: new Uint8Array([1, 2, 255]).buffer\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  wx.closeSocket({\n"
    "    code: 1000,\n"
    "    reason: 'bye',\n"
    "    complete (res) { console.log('closeSocket complete', res) }\n"
    "  })\n"
    "}, N)\n");
}

/* Without a callback uni's connectSocket returns a Promise, and the page uses the globals. */
static void
test_session_uni (void)
{
  g_autofree char *code = record_session ("uni", "");

  g_assert_cmpstr (code, ==,
    "// uni-app, compiled to a WeChat mini program\n"
    "// The session recorded in Minisock: each call at its time, in ms from the first.\n"
    "\n"
    "uni.connectSocket({\n"
    "  url: '{playground}/echo'\n"
    "}).then((res) => console.log('connectSocket resolve', res),\n"
    "  (err) => console.log('connectSocket reject', err))\n"
    "uni.onSocketOpen((res) => console.log('onSocketOpen', res))\n"
    "uni.onSocketMessage((res) => console.log('onSocketMessage', res))\n"
    "uni.onSocketClose((res) => console.log('onSocketClose', res))\n"
    "\n"
    "setTimeout(() => {\n"
    "  uni.sendSocketMessage({\n"
    "    data: 'hello \\'you\\'',\n"
    "    success (res) { console.log('sendSocketMessage success', res) }\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  uni.sendSocketMessage({\n"
    "    data: new Uint8Array([1, 2, 255]).buffer\n"
    "  })\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  uni.closeSocket({\n"
    "    code: 1000,\n"
    "    reason: 'bye',\n"
    "    complete (res) { console.log('closeSocket complete', res) }\n"
    "  })\n"
    "}, N)\n");
}

static void
test_session_web (void)
{
  g_autofree char *code = record_session ("web", "");

  g_assert_cmpstr (code, ==,
    "// Browser WebSocket (baseline)\n"
    "// The session recorded in Minisock: each call at its time, in ms from the first.\n"
    "\n"
    "const socket1 = new WebSocket('{playground}/echo')\n"
    "socket1.onopen = (event) => console.log('socket1 open', event)\n"
    "socket1.onmessage = (event) => console.log('socket1 message', event)\n"
    "socket1.onclose = (event) => console.log('socket1 close', event)\n"
    "\n"
    "setTimeout(() => {\n"
    "  socket1.send('hello \\'you\\'')\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  socket1.send(new Uint8Array([1, 2, 255]).buffer)\n"
    "}, N)\n"
    "\n"
    "setTimeout(() => {\n"
    "  socket1.close(1000, 'bye')\n"
    "}, N)\n");
}

/* Alipay takes bytes as base64 marked isBuffer; a task only comes with multiple: true. */
static void
test_session_my (void)
{
  g_autofree char *code = record_session ("my", ", \"multiple\": true");

  g_assert_nonnull (strstr (code, "const task1 = my.connectSocket({\n"
                                  "  url: '{playground}/echo',\n"
                                  "  multiple: true\n"
                                  "})\n"));
  g_assert_nonnull (strstr (code, "  task1.send({\n"
                                  "    data: 'AQL/',\n"
                                  "    isBuffer: true\n"
                                  "  })\n"));
}

/* Every platform's snippet parses, with and without callbacks, in the platform's own shape. */
static void
test_session_every_dialect (void)
{
  g_auto(GStrv) ids = mini_dialect_list_ids ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MiniDialect) dialect = load (ids[i]);
      const char *prefix = mini_dialect_get_prefix (dialect);
      g_autofree char *call = *prefix == '\0' ? g_strdup ("new WebSocket(")
                                              : g_strdup_printf ("%s.connectSocket(", prefix);

      for (guint with_callbacks = 0; with_callbacks < 2; with_callbacks++)
        {
          g_autofree char *code = record_session (ids[i], with_callbacks
                                                          ? ", \"success\": true, \"fail\": true"
                                                          : "");

          g_assert_nonnull (strstr (code, call));
          g_assert_null (strstr (code, "//  on task"));
        }
    }
}

/* The waits are the times between the turns of the recording, counted from the first call; a
 * connect made later is declared up front, so the later turns see it. */
static void
test_session_timing (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  gint64 origin = mini_timeline_get_origin (timeline);
  static const struct {
    gint64         ms;
    MiniEventKind  kind;
    const char    *api;
    guint          task;
    const char    *args;
  } events[] = {
    { 1200, MINI_EVENT_CALL, "connectSocket", 0, "{\"url\": \"ws://a.example/\"}" },
    { 1200, MINI_EVENT_RETURN, "connectSocket", 1, NULL },
    { 1201, MINI_EVENT_CALL, "SocketTask.onOpen", 1, NULL },
    { 1201, MINI_EVENT_RETURN, "SocketTask.onOpen", 1, NULL },
    { 1250, MINI_EVENT_OPEN, NULL, 1, NULL },
    { 2000, MINI_EVENT_CALL, "connectSocket", 0, "{\"url\": \"ws://b.example/\"}" },
    { 2000, MINI_EVENT_RETURN, "connectSocket", 2, NULL },
    { 2100, MINI_EVENT_OPEN, NULL, 2, NULL },
    { 2500, MINI_EVENT_CALL, "app.hide", 0, NULL },
    { 2500, MINI_EVENT_ENV, NULL, 0, NULL },
    { 3000, MINI_EVENT_CALL, "SocketTask.close", 2, NULL },
  };
  g_autofree char *code = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr(JsonObject) extra = json_object_new ();
      MiniEventSpec spec = { events[i].kind, events[i].task, events[i].api, NULL, MINI_NO_CODE, };

      if (events[i].args != NULL)
        json_object_set_object_member (extra, "args", mini_test_parse_object (events[i].args));
      if (events[i].kind == MINI_EVENT_RETURN)
        json_object_set_string_member (extra, "value", "SocketTask");
      spec.extra = extra;
      spec.time_us = origin + events[i].ms * 1000;
      mini_timeline_append (timeline, &spec);
    }
  mini_timeline_flush (timeline);

  code = mini_js_format_session (wx, timeline, NULL);
  g_test_message ("%s", code);
  g_assert_cmpstr (code, ==,
    "// WeChat (base library 2.10+)\n"
    "// The session recorded in Minisock: each call at its time, in ms from the first.\n"
    "let task2\n"
    "\n"
    "const task1 = wx.connectSocket({\n"
    "  url: 'ws://a.example/'\n"
    "})\n"
    "task1.onOpen((res) => console.log('task1 onOpen', res))\n"
    "\n"
    "setTimeout(() => {\n"
    "  task2 = wx.connectSocket({\n"
    "    url: 'ws://b.example/'\n"
    "  })\n"
    "}, 800)\n"
    "\n"
    "setTimeout(() => {\n"
    "  // app.hide: The app goes to the background here.\n"
    "}, 1300)\n"
    "\n"
    "setTimeout(() => {\n"
    "  task2.close()\n"
    "}, 1800)\n");
  assert_node_accepts (code);
  assert_node_replays (code, wx, timeline);

  /* Nothing to copy before the first call. */
  mini_timeline_clear (timeline);
  g_assert_null (mini_js_format_session (wx, timeline, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/js/round-trip", test_round_trip);
  g_test_add_func ("/js/parse-by-hand", test_parse_by_hand);
  g_test_add_func ("/js/web", test_web);
  g_test_add_func ("/js/no-task", test_no_task);
  g_test_add_func ("/js/errors", test_errors);
  g_test_add_func ("/js/session/wx", test_session_wx);
  g_test_add_func ("/js/session/wx-legacy", test_session_wx_legacy);
  g_test_add_func ("/js/session/uni", test_session_uni);
  g_test_add_func ("/js/session/web", test_session_web);
  g_test_add_func ("/js/session/my", test_session_my);
  g_test_add_func ("/js/session/every-dialect", test_session_every_dialect);
  g_test_add_func ("/js/session/timing", test_session_timing);

  return g_test_run ();
}
