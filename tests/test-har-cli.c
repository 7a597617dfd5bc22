/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define DEADLINE_MS 20000

#include "mini-test-cli.h"
#include "mini-test-util.h"

static void
run_cli (MiniCliResult *result,
         const char    *first_arg,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  mini_test_run_cliv (result, NULL, (const char * const *) args->pdata, DEADLINE_MS);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", result->status, result->out, result->err);
}

static char *
dist_path (const char *first,
           const char *second)
{
  return g_test_build_filename (G_TEST_DIST, first, second, NULL);
}

static JsonObject *
only_entry (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  JsonArray *entries;

  g_assert_no_error (error);
  entries = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (root), "log"), "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  return json_object_ref (json_array_get_object_element (entries, 0));
}

static void
test_run_har_stdout (void)
{
  g_autofree char *path = dist_path ("har", "round-trip.json");
  g_auto(MiniCliResult) result = { 0 };
  g_autoptr(JsonObject) entry = NULL;
  JsonArray *messages;

  run_cli (&result, "run", path, "--format", "har", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "");
  entry = only_entry (result.out);
  g_assert_cmpstr (json_object_get_string_member (entry, "_resourceType"), ==, "websocket");
  messages = json_object_get_array_member (entry, "_webSocketMessages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0),
                                                  "data"), ==, "hello");
}

static void
test_run_har_output (void)
{
  g_autofree char *path = dist_path ("har", "round-trip.json");
  g_autofree char *dir = g_dir_make_tmp ("minisock-har-cli-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "out.har", NULL);
  g_autofree char *contents = NULL;
  g_auto(MiniCliResult) result = { 0 };
  g_auto(MiniCliResult) replayed = { 0 };
  g_autoptr(JsonObject) entry = NULL;

  run_cli (&result, "run", path, "--format", "har", "--output", output, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_true (g_file_get_contents (output, &contents, NULL, NULL));
  entry = only_entry (contents);

  /* The file replays: its own URL's playground is gone, so the replay goes to a new one. */
  run_cli (&replayed, "replay", output, "--url", "{playground}/echo", "--format", "jsonl", NULL);
  g_assert_cmpint (replayed.status, ==, 0);
  g_assert_nonnull (strstr (replayed.out, "\"kind\":\"open\""));
  g_assert_nonnull (strstr (replayed.out, "\"kind\":\"message\",\"data\":\"hello\""));
  g_assert_nonnull (strstr (replayed.out, "\"kind\":\"close\",\"code\":4000"));

  g_unlink (output);
  g_rmdir (dir);
}

static void
test_replay_chromium_text (void)
{
  g_autofree char *path = dist_path ("har", "chromium-echo.har");
  g_auto(MiniCliResult) result = { 0 };

  run_cli (&result, "replay", path, "--url", "{playground}/echo", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "Replay of chromium-echo.har — "));
  g_assert_nonnull (strstr (result.out, "(web)\n"));
  g_assert_nonnull (strstr (result.out, "\"hello from chromium\"  → SocketTask.onMessage"));
  g_assert_nonnull (strstr (result.out, "binary, 5 bytes  → SocketTask.onMessage"));
  g_assert_nonnull (strstr (result.out, "1000   → SocketTask.onClose"));
}

/* Firefox saves no WebSocket messages: the replay says so on stderr, opens and closes. */
static void
test_replay_firefox_text (void)
{
  g_autofree char *path = dist_path ("har", "firefox-echo.har");
  g_auto(MiniCliResult) result = { 0 };

  run_cli (&result, "replay", path, "--url", "{playground}/echo", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.err, ==, "minisock-cli: firefox-echo.har has no WebSocket messages: "
                                   "Firefox did not save them. The replay only opens each "
                                   "connection and closes it.\n");
  g_assert_true (g_str_has_prefix (result.out, "Replay of firefox-echo.har — "));
  g_assert_nonnull (strstr (result.out, "(web)\n"));
  g_assert_nonnull (strstr (result.out, "{\"url\":\"ws://127.0.0.1:"));
  g_assert_nonnull (strstr (result.out, "/echo\",\"protocols\":[\"chat\"]"));
  g_assert_nonnull (strstr (result.out, "protocol chat  → SocketTask.onOpen"));
  g_assert_nonnull (strstr (result.out, "SocketTask.close       {\"code\":1000}"));
  g_assert_nonnull (strstr (result.out, "1000   → SocketTask.onClose"));
  g_assert_null (strstr (result.out, "SocketTask.send"));
  g_assert_null (strstr (result.out, "→ SocketTask.onMessage"));
}

static void
test_replay_har_format (void)
{
  g_autofree char *path = dist_path ("har", "chromium-echo.har");
  g_auto(MiniCliResult) result = { 0 };
  g_autoptr(JsonObject) entry = NULL;

  run_cli (&result, "replay", path, "--url", "{playground}/echo", "--dialect", "wx",
           "--format", "har", NULL);
  g_assert_cmpint (result.status, ==, 0);
  entry = only_entry (result.out);
  /* Replayed as WeChat: the handshake carries WeChat's Referer. */
  g_assert_nonnull (strstr (result.out, "https://servicewechat.com/"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry,
                                                                         "_webSocketMessages")),
                    ==, 6);
}

typedef struct {
  const char *name;
  const char *args[8];
  const char *err;        /* the start of stderr */
} Usage;

static const Usage usages[] = {
  { "output-without-har", { "run", "@round-trip.json", "--output", "x.har", NULL },
    "minisock-cli: run: --output: only with --format har\n" },
  { "replay-no-file", { "replay", NULL },
    "minisock-cli: replay: expected one HAR file, got 0; usage: minisock-cli replay FILE.har "
    "[--url URL] [--dialect ID] [--format text|jsonl|har]\n" },
  { "replay-format", { "replay", "@chromium-echo.har", "--format", "csv", NULL },
    "minisock-cli: replay: --format: expected text, jsonl or har, got \"csv\"\n" },
  { "replay-url", { "replay", "@chromium-echo.har", "--url", "http://example.com/", NULL },
    "minisock-cli: replay: --url: expected a ws:// or wss:// URL, or {playground}/PATH, got "
    "\"http://example.com/\"\n" },
  { "replay-dialect", { "replay", "@chromium-echo.har", "--dialect", "nope", NULL },
    "minisock-cli: @chromium-echo.har: " },
  { "replay-missing", { "replay", "/nonexistent/x.har", NULL },
    "minisock-cli: Failed to open file “/nonexistent/x.har”: No such file or directory\n" },
  { "replay-not-har", { "replay", "@round-trip.json", NULL },
    "minisock-cli: @round-trip.json: $.log: expected an object, got Undefined\n" },
};

/* "@name" is a file of tests/har. */
static char *
expand (const char *text)
{
  const char *at = strchr (text, '@');
  g_autofree char *path = NULL;
  const char *end;
  g_autofree char *name = NULL;

  if (at == NULL)
    return g_strdup (text);
  end = at + 1 + strcspn (at + 1, ": ");
  name = g_strndup (at + 1, end - at - 1);
  path = dist_path ("har", name);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, path, end);
}

static void
test_usage (gconstpointer data)
{
  const Usage *usage = data;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(MiniCliResult) result = { 0 };
  g_autofree char *err = expand (usage->err);

  for (guint i = 0; usage->args[i] != NULL; i++)
    {
      g_ptr_array_add (args, expand (usage->args[i]));
      g_ptr_array_add (argv, g_ptr_array_index (args, args->len - 1));
    }
  g_ptr_array_add (argv, NULL);

  mini_test_run_cliv (&result, NULL, (const char * const *) argv->pdata, DEADLINE_MS);
  g_test_message ("exit %d\nstderr:\n%s", result.status, result.err);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  if (g_str_has_suffix (err, "\n"))
    g_assert_cmpstr (result.err, ==, err);
  else
    g_assert_true (g_str_has_prefix (result.err, err));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/har-cli/run/stdout", test_run_har_stdout);
  g_test_add_func ("/har-cli/run/output", test_run_har_output);
  g_test_add_func ("/har-cli/replay/chromium", test_replay_chromium_text);
  g_test_add_func ("/har-cli/replay/firefox", test_replay_firefox_text);
  g_test_add_func ("/har-cli/replay/har", test_replay_har_format);
  for (guint i = 0; i < G_N_ELEMENTS (usages); i++)
    {
      g_autofree char *name = g_strdup_printf ("/har-cli/usage/%s", usages[i].name);
      g_test_add_data_func (name, &usages[i], test_usage);
    }

  return g_test_run ();
}
