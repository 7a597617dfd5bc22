/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-js.h"

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

  return g_test_run ();
}
