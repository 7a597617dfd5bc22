/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

/* Every wait on the main loop gives up after this long. */
#define DEADLINE_MS 8000

#include "mini-test-util.h"

static char *
scenario_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "scenarios", name, NULL);
}

static MiniScenario *
load_data (const char *origin,
           const char *json)
{
  g_autoptr(GError) error = NULL;
  MiniScenario *scenario = mini_scenario_new_from_data (origin, json, -1, &error);

  g_assert_no_error (error);
  g_assert_true (MINI_IS_SCENARIO (scenario));
  return scenario;
}

/* ---- loading ------------------------------------------------------------------------------- */

static void
test_load_bundled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) echo = mini_scenario_new_from_resource ("echo", &error);
  g_autoptr(MiniScenario) none = NULL;
  g_auto(GStrv) bundled = mini_scenario_list_bundled ();
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  title = mini_scenario_dup_title (echo);
  description = mini_scenario_dup_description (echo);
  g_assert_cmpstr (mini_scenario_get_origin (echo), ==, "scenarios/echo.json");
  g_assert_cmpstr (mini_scenario_get_dialect_id (echo), ==, "wx");
  g_assert_cmpstr (title, ==, "Echo: connect, send, receive, close");
  g_assert_true (g_str_has_prefix (description, "The everyday path on WeChat"));
  g_assert_cmpuint (mini_scenario_get_n_steps (echo), ==, 7);
  g_assert_true (mini_scenario_uses_playground (echo));
  g_assert_null (mini_scenario_get_app (echo));
  g_assert_null (mini_scenario_get_quirks (echo));

  g_assert_nonnull (bundled);
  g_assert_true (g_strv_contains ((const char * const *) bundled, "echo"));

  none = mini_scenario_new_from_resource ("no-such-scenario", &error);
  g_assert_null (none);
  g_assert_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "no bundled scenario \"no-such-scenario\"");
}

static gboolean
has_non_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        return TRUE;
    }
  return FALSE;
}

/* The lessons in data/scenarios: every file is in the resource, loads, runs on its own dialect,
 * and teaches in English and in Simplified Chinese. */
static void
test_load_bundled_all (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_auto(GStrv) bundled = mini_scenario_list_bundled ();
  g_autofree char *saved_language = g_strdup (g_getenv ("LANGUAGE"));
  const char *file;
  guint n_files = 0;

  g_assert_no_error (error);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;

      if (!g_str_has_suffix (file, ".json"))
        continue;
      name = g_strndup (file, strlen (file) - strlen (".json"));
      if (!g_strv_contains ((const char * const *) bundled, name))
        g_error ("data/scenarios/%s is missing from data/mini-data.gresource.xml", file);
      n_files++;
    }
  g_assert_cmpuint (g_strv_length (bundled), ==, n_files);
  /* One per pitfall of platforms.md §12 that can be reproduced offline, and the echo. */
  g_assert_cmpuint (n_files, >=, 15);

  for (guint i = 0; bundled[i] != NULL; i++)
    {
      g_autoptr(MiniScenario) scenario = mini_scenario_new_from_resource (bundled[i], &error);
      g_autoptr(MiniDialect) dialect = NULL;
      g_autofree char *title_en = NULL;
      g_autofree char *description_en = NULL;
      g_autofree char *title_zh = NULL;
      g_autofree char *description_zh = NULL;

      g_test_message ("scenario %s", bundled[i]);
      g_assert_no_error (error);
      g_assert_nonnull (mini_scenario_get_dialect_id (scenario));
      dialect = mini_dialect_load (mini_scenario_get_dialect_id (scenario), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (mini_scenario_get_n_steps (scenario), >, 0);
      g_assert_true (mini_scenario_uses_playground (scenario));

      g_setenv ("LANGUAGE", "en", TRUE);
      title_en = mini_scenario_dup_title (scenario);
      description_en = mini_scenario_dup_description (scenario);
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
      title_zh = mini_scenario_dup_title (scenario);
      description_zh = mini_scenario_dup_description (scenario);

      g_assert_nonnull (title_en);
      g_assert_nonnull (description_en);
      g_assert_false (has_non_ascii (title_en));
      g_assert_cmpuint (strlen (description_en), >, 100);
      /* A missing zh_CN text would fall back to the English one. */
      g_assert_cmpstr (title_zh, !=, title_en);
      g_assert_cmpstr (description_zh, !=, description_en);
      g_assert_true (has_non_ascii (title_zh));
      g_assert_true (has_non_ascii (description_zh));
    }

  if (saved_language != NULL)
    g_setenv ("LANGUAGE", saved_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

static void
test_load_title_string (void)
{
  g_autofree char *path = scenario_path ("good-title-string.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = mini_scenario_new_from_file (path, &error);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  title = mini_scenario_dup_title (scenario);
  description = mini_scenario_dup_description (scenario);
  g_assert_cmpstr (mini_scenario_get_origin (scenario), ==, path);
  g_assert_cmpstr (title, ==, "A plain title");
  g_assert_cmpstr (description, ==, "One global listener on the browser baseline.");
  g_assert_cmpstr (mini_scenario_get_dialect_id (scenario), ==, "web");
  g_assert_cmpuint (mini_scenario_get_n_steps (scenario), ==, 1);
  g_assert_false (mini_scenario_uses_playground (scenario));
}

static void
test_load_full (void)
{
  g_autofree char *path = scenario_path ("good-full.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = mini_scenario_new_from_file (path, &error);
  g_autofree char *title = NULL;
  JsonObject *app;
  JsonObject *quirks;

  g_assert_no_error (error);
  title = mini_scenario_dup_title (scenario);
  g_assert_cmpstr (title, ==, "Every kind of step");
  g_assert_cmpuint (mini_scenario_get_n_steps (scenario), ==, 6);
  g_assert_true (mini_scenario_uses_playground (scenario));

  app = mini_scenario_get_app (scenario);
  g_assert_nonnull (app);
  g_assert_cmpstr (json_object_get_string_member (app, "appid"), ==, "wx0123456789");
  quirks = mini_scenario_get_quirks (scenario);
  g_assert_nonnull (quirks);
  g_assert_cmpint (json_object_get_int_member (quirks, "maxConnections"), ==, 2);
}

/* The part of the text after @length is not the scenario's. */
static void
test_load_length (void)
{
  const char *data = "{\"steps\": []}{playground}";
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;

  scenario = mini_scenario_new_from_data ("short.json", data, strlen ("{\"steps\": []}"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mini_scenario_get_n_steps (scenario), ==, 0);
  g_assert_false (mini_scenario_uses_playground (scenario));
}

static const struct {
  const char *file;
  const char *message;   /* after "PATH: " */
} bad_files[] = {
  { "bad-json.json", "3:38: Parse error: unexpected character `,', expected character `]': "
    "invalid JSON" },
  { "bad-root.json", "$: expected a scenario object, got Array" },
  { "bad-member.json", "$.timeout: unknown member; expected title, description, dialect, app, "
    "quirks, steps or until" },
  { "bad-steps-missing.json", "$.steps: expected an array of steps, got Undefined" },
  { "bad-steps-type.json", "$.steps: expected an array of steps, got Object" },
  { "bad-step-type.json", "$.steps[1]: expected a step object, got String" },
  { "bad-step-member.json", "$.steps[0].when: unknown member; a step has at or on, call, and "
    "optionally task, count, delay and args" },
  { "bad-at-and-on.json", "$.steps[0]: expected exactly one of \"at\" (ms) or \"on\" "
    "(an event kind)" },
  { "bad-no-when.json", "$.steps[0]: expected exactly one of \"at\" (ms) or \"on\" "
    "(an event kind)" },
  { "bad-at-negative.json", "$.steps[0].at: expected a time in ms ≥ 0, got -5" },
  { "bad-at-string.json", "$.steps[0].at: expected a time in ms ≥ 0, got String" },
  { "bad-on-opened.json", "$.steps[1].on: expected \"open\", \"message\", \"error\" or \"close\"" },
  { "bad-call-unknown.json", "$.steps[0].call: unknown API \"wx.connectSocket\"; expected "
    "connectSocket, sendSocketMessage, closeSocket, onSocketOpen/Message/Error/Close, "
    "SocketTask.send/close/onOpen/onMessage/onError/onClose, app.hide, app.show, network.off "
    "or network.on" },
  { "bad-call-missing.json", "$.steps[0].call: expected the API name as a string, got Undefined" },
  { "bad-task-zero.json", "$.steps[0].task: expected an integer ≥ 1, got 0" },
  { "bad-count-fraction.json", "$.steps[0].count: expected an integer ≥ 1, got 1.5" },
  { "bad-count-at.json", "$.steps[0].count: only an \"on\" step has count" },
  { "bad-delay-negative.json", "$.steps[0].delay: expected a number of ms ≥ 0, got -1" },
  { "bad-args-type.json", "$.steps[0].args: expected the options object, got String" },
  { "bad-base64.json", "$.steps[0].args.data.base64: invalid base64: expected characters "
    "A–Z a–z 0–9 + / and '=' padding" },
  { "bad-hex.json", "$.steps[0].args.data.hex: invalid hex: odd number of digits" },
  { "bad-data-keys.json", "$.steps[0].args.data: expected binary data as {\"base64\": \"…\"} "
    "or {\"hex\": \"…\"}" },
  { "bad-until-max.json", "$.until.max: expected a number of ms > 0, got 0" },
  { "bad-until-member.json", "$.until.timeout: unknown member; expected idle or max" },
  { "bad-dialect.json", "$.dialect: expected a dialect id such as \"wx\", got Array" },
  { "bad-app.json", "$.app: expected an object, got String" },
  { "bad-title.json", "$.title: expected a string or {\"en\": …, \"zh_CN\": …}, got Array" },
  { "bad-not-utf8.json", "not UTF-8 text" },
  /* Found by fuzz-scenario: infinity was cast to an integer, a byte of 'é' quoted alone. */
  { "bad-at-infinite.json", "$.steps[0].at: expected a time in ms ≥ 0, got inf (too large)" },
  { "bad-until-huge.json", "$.until.idle: expected a number of ms ≥ 0, got 1e+13 (too large)" },
  { "bad-hex-multibyte.json", "$.steps[0].args.data.hex: invalid hex: unexpected character 'é' "
    "at offset 2" },
};

static void
test_load_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = scenario_path (bad_files[i].file);
      g_autofree char *expected = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MiniScenario) scenario = NULL;

      g_test_message ("file %s", bad_files[i].file);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      scenario = mini_scenario_new_from_file (path, &error);
      expected = g_strdup_printf ("%s:%s%s", path, g_ascii_isdigit (bad_files[i].message[0])
                                                   ? "" : " ", bad_files[i].message);
      g_assert_null (scenario);
      g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_load_unreadable (void)
{
  g_autofree char *path = scenario_path ("no-such-file.json");
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = mini_scenario_new_from_file (path, &error);

  g_assert_null (scenario);
  g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
  expected = g_strdup_printf ("Failed to open file “%s”: No such file or directory", path);
  g_assert_cmpstr (error->message, ==, expected);
}

/* ---- creating the runtime ------------------------------------------------------------------ */

static void
check_runtime_error (const char *json,
                     const char *dialect_id,
                     const char *message)
{
  g_autoptr(MiniScenario) scenario = load_data ("runtime.json", json);
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;

  runtime = mini_scenario_create_runtime (scenario, dialect_id, timeline, NULL, &error);
  g_assert_null (runtime);
  g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_runtime_errors (void)
{
  check_runtime_error ("{\"dialect\": \"wechat\", \"steps\": []}", NULL,
                       "runtime.json: $.dialect: unknown dialect \"wechat\"; known dialects: my, qq, swan, taro-h5, tcmpp, tt, uni, uni-app, uni-h5, web, wx, wx-legacy");
  check_runtime_error ("{\"dialect\": \"wx\", \"steps\": []}", "douyin",
                       "runtime.json: unknown dialect \"douyin\"; known dialects: my, qq, swan, taro-h5, tcmpp, tt, uni, uni-app, uni-h5, web, wx, wx-legacy");
  check_runtime_error ("{\"quirks\": {\"maxConnections\": -1}, \"steps\": []}", NULL,
                       "runtime.json: $.quirks.maxConnections: expected an integer ≥ 0, got -1");
  check_runtime_error ("{\"quirks\": {\"overLimit\": \"queue\"}, \"steps\": []}", "web",
                       "runtime.json: $.quirks.overLimit: expected one of \"fail\", "
                       "\"error-after-ok\", \"close-oldest\", got \"queue\"");
  check_runtime_error ("{\"quirks\": {\"maxConection\": 1}, \"steps\": []}", NULL,
                       "runtime.json: $.quirks.maxConection: unknown rule; the schema has no rule "
                       "\"maxConection\"");
  check_runtime_error ("{\"app\": {\"appid\": 42}, \"steps\": []}", NULL,
                       "runtime.json: $.app.appid: expected a string, got Number");
  check_runtime_error ("{\"app\": {\"appId\": \"wx1\"}, \"steps\": []}", NULL,
                       "runtime.json: $.app.appId: unknown setting; expected appid, version, "
                       "build, domains or skipDomainCheck");
}

static void
test_runtime_dialect (void)
{
  g_autoptr(MiniScenario) scenario = load_data ("dialect.json",
                                                "{\"dialect\": \"web\", \"quirks\": "
                                                "{\"maxConnections\": 3}, \"steps\": []}");
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(MiniRuntime) other = NULL;
  MiniDialect *dialect;

  runtime = mini_scenario_create_runtime (scenario, NULL, timeline, NULL, &error);
  g_assert_no_error (error);
  dialect = mini_runtime_get_dialect (runtime);
  g_assert_cmpstr (mini_dialect_get_id (dialect), ==, "web");
  g_assert_cmpint (mini_dialect_get_int (dialect, "maxConnections"), ==, 3);
  g_assert_true (mini_dialect_is_overridden (dialect, "maxConnections"));

  /* --dialect wins over the file's; the quirks still apply. */
  other = mini_scenario_create_runtime (scenario, "wx", timeline, NULL, &error);
  g_assert_no_error (error);
  dialect = mini_runtime_get_dialect (other);
  g_assert_cmpstr (mini_dialect_get_id (dialect), ==, "wx");
  g_assert_cmpint (mini_dialect_get_int (dialect, "maxConnections"), ==, 3);
}

/* ---- running ------------------------------------------------------------------------------- */

typedef struct
{
  MiniPlayground *playground;
  MiniTimeline   *timeline;
  GPtrArray      *events;     /* JsonObject */
  gboolean        done;
  gboolean        ok;
  GError         *error;
  gint64          started_us;
  gint64          finished_us;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fx->timeline = mini_timeline_new ();
  fx->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  mini_playground_stop (fx->playground);
  g_assert_finalize_object (fx->playground);
  g_clear_object (&fx->timeline);
  g_clear_pointer (&fx->events, g_ptr_array_unref);
  g_clear_error (&fx->error);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fx = user_data;

  fx->ok = mini_scenario_run_finish (MINI_SCENARIO (object), result, &fx->error);
  fx->finished_us = g_get_monotonic_time ();
  fx->done = TRUE;
}

static MiniRuntime *
create_runtime (Fixture      *fx,
                MiniScenario *scenario)
{
  g_autoptr(GError) error = NULL;
  MiniRuntime *runtime;

  runtime = mini_scenario_create_runtime (scenario, NULL, fx->timeline,
                                          mini_playground_get_url (fx->playground), &error);
  g_assert_no_error (error);
  return runtime;
}

static void
run_runtime (Fixture      *fx,
             MiniScenario *scenario,
             MiniRuntime  *runtime)
{
  guint n;

  fx->started_us = g_get_monotonic_time ();
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, fx);
  WAIT_FOR (fx->done);
  g_assert_no_error (fx->error);
  g_assert_true (fx->ok);

  n = mini_timeline_get_n_events (fx->timeline);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) node = mini_timeline_event_to_json (fx->timeline, i);
      g_autofree char *line = json_to_string (node, FALSE);

      g_test_message ("%s", line);
      g_ptr_array_add (fx->events, json_object_ref (json_node_get_object (node)));
    }
}

static void
run (Fixture    *fx,
     const char *json)
{
  g_autoptr(MiniScenario) scenario = load_data ("run.json", json);
  g_autoptr(MiniRuntime) runtime = create_runtime (fx, scenario);

  run_runtime (fx, scenario, runtime);
}

static JsonObject *
event (Fixture *fx,
       guint    i)
{
  g_assert_cmpuint (i, <, fx->events->len);
  return g_ptr_array_index (fx->events, i);
}

static const char *
kind_of (JsonObject *ev)
{
  return json_object_get_string_member (ev, "kind");
}

static const char *
api_of (JsonObject *ev)
{
  return json_object_get_string_member_with_default (ev, "api", NULL);
}

static double
t_of (JsonObject *ev)
{
  return json_object_get_double_member (ev, "t");
}

static gint64
task_of (JsonObject *ev)
{
  return json_object_get_null_member (ev, "task") ? 0 : json_object_get_int_member (ev, "task");
}

static gboolean
is (JsonObject *ev,
    const char *kind,
    const char *api)
{
  return g_str_equal (kind_of (ev), kind) && (api == NULL || g_strcmp0 (api_of (ev), api) == 0);
}

/* Position of the @nth (0-based) event of @kind and @api at or after @from, or -1. */
static int
find (Fixture    *fx,
      guint       from,
      const char *kind,
      const char *api,
      guint       nth)
{
  for (guint i = from; i < fx->events->len; i++)
    {
      if (is (event (fx, i), kind, api) && nth-- == 0)
        return (int) i;
    }
  return -1;
}

static guint
count (Fixture    *fx,
       const char *kind,
       const char *api)
{
  guint n = 0;

  for (guint i = 0; i < fx->events->len; i++)
    n += is (event (fx, i), kind, api);
  return n;
}

static JsonObject *
last_event (Fixture *fx)
{
  g_assert_cmpuint (fx->events->len, >, 0);
  return event (fx, fx->events->len - 1);
}

static void
check_end (Fixture    *fx,
           const char *text)
{
  JsonObject *end = last_event (fx);

  g_assert_cmpstr (kind_of (end), ==, "env");
  g_assert_cmpstr (json_object_get_string_member (end, "value"), ==, "end");
  g_assert_cmpstr (json_object_get_string_member (end, "text"), ==, text);
  g_assert_true (json_object_get_null_member (end, "task"));
  /* Exactly one end. */
  for (guint i = 0; i + 1 < fx->events->len; i++)
    {
      JsonObject *ev = event (fx, i);
      g_assert_false (is (ev, "env", NULL)
                      && g_strcmp0 (json_object_get_string_member_with_default (ev, "value", NULL),
                                    "end") == 0);
    }
}

/* Timed steps run by time; steps due at the same time in file order. */
static void
test_run_at_order (Fixture       *fx,
                   gconstpointer  data)
{
  static const char * const expected[] = {
    "onSocketClose", "onSocketOpen", "onSocketMessage", "onSocketError",
  };
  int positions[G_N_ELEMENTS (expected)];

  run (fx,
       "{\"dialect\": \"wx\", \"steps\": ["
       " {\"at\": 60, \"call\": \"onSocketError\"},"
       " {\"at\": 0, \"call\": \"onSocketClose\"},"
       " {\"at\": 0, \"call\": \"onSocketOpen\"},"
       " {\"at\": 25, \"call\": \"onSocketMessage\"}],"
       " \"until\": {\"idle\": 50, \"max\": 3000}}");

  g_assert_cmpuint (count (fx, "call", NULL), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      positions[i] = find (fx, 0, "call", expected[i], 0);
      g_assert_cmpint (positions[i], >=, 0);
      if (i > 0)
        g_assert_cmpint (positions[i - 1], <, positions[i]);
    }
  g_assert_cmpfloat (t_of (event (fx, positions[0])), <, 25.0);
  g_assert_cmpfloat (t_of (event (fx, positions[1])), <, 25.0);
  g_assert_cmpfloat (t_of (event (fx, positions[2])), >=, 25.0);
  g_assert_cmpfloat (t_of (event (fx, positions[3])), >=, 60.0);
  check_end (fx, "idle for 50 ms");
}

/* on steps: every matching event, only one task's, only the count-th, delay ms after. */
static void
test_run_on_steps (Fixture       *fx,
                   gconstpointer  data)
{
  int open1, open2, send, message2, close_call;
  JsonObject *ev;

  run (fx,
       "{\"dialect\": \"wx\", \"steps\": ["
       " {\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"{playground}/echo\"}},"
       " {\"at\": 0, \"call\": \"connectSocket\","
       "  \"args\": {\"url\": \"{playground}/echo?delay_open_ms=60\"}},"
       " {\"on\": \"open\", \"call\": \"onSocketError\"},"
       " {\"on\": \"open\", \"count\": 2, \"call\": \"onSocketClose\"},"
       " {\"on\": \"open\", \"task\": 2, \"call\": \"SocketTask.send\","
       "  \"args\": {\"data\": \"two\"}},"
       " {\"on\": \"message\", \"task\": 2, \"delay\": 80, \"call\": \"SocketTask.close\","
       "  \"args\": {\"code\": 1000, \"reason\": \"done\"}}],"
       " \"until\": {\"idle\": 300, \"max\": 5000}}");

  open1 = find (fx, 0, "open", NULL, 0);
  open2 = find (fx, 0, "open", NULL, 1);
  g_assert_cmpint (open1, >=, 0);
  g_assert_cmpint (open2, >, open1);
  g_assert_cmpint (task_of (event (fx, open1)), ==, 1);
  g_assert_cmpint (task_of (event (fx, open2)), ==, 2);
  g_assert_cmpint (find (fx, 0, "open", NULL, 2), ==, -1);

  /* Without count: once per open, each right after its open. */
  g_assert_cmpuint (count (fx, "call", "onSocketError"), ==, 2);
  g_assert_cmpint (find (fx, open1, "call", "onSocketError", 0), <, open2);
  g_assert_cmpint (find (fx, open2, "call", "onSocketError", 0), >, open2);

  /* count 2: only on the second open. */
  g_assert_cmpuint (count (fx, "call", "onSocketClose"), ==, 1);
  g_assert_cmpint (find (fx, 0, "call", "onSocketClose", 0), >, open2);

  /* task 2: the step waits for task 2's open and acts on task 2. */
  g_assert_cmpuint (count (fx, "call", "SocketTask.send"), ==, 1);
  send = find (fx, 0, "call", "SocketTask.send", 0);
  g_assert_cmpint (send, >, open2);
  ev = event (fx, send);
  g_assert_cmpint (task_of (ev), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ev, "args"),
                                                  "data"), ==, "two");

  /* delay: the close comes 80 ms after task 2's message, and only for task 2. */
  message2 = find (fx, send, "message", NULL, 0);
  g_assert_cmpint (message2, >, 0);
  g_assert_cmpint (task_of (event (fx, message2)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (event (fx, message2), "data"), ==, "two");
  g_assert_cmpuint (count (fx, "call", "SocketTask.close"), ==, 1);
  close_call = find (fx, 0, "call", "SocketTask.close", 0);
  g_assert_cmpint (close_call, >, message2);
  g_assert_cmpint (task_of (event (fx, close_call)), ==, 2);
  g_assert_cmpfloat (t_of (event (fx, close_call)), >=, t_of (event (fx, message2)) + 80.0);

  ev = event (fx, find (fx, close_call, "close", NULL, 0));
  g_assert_cmpint (task_of (ev), ==, 2);
  g_assert_cmpint (json_object_get_int_member (ev, "code"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (ev, "reason"), ==, "done");
  g_assert_cmpuint (count (fx, "close", NULL), ==, 1);

  check_end (fx, "idle for 300 ms");
}

/* The loader's full example runs: binary data as base64 and hex, count and delay. */
static void
test_run_full (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *path = scenario_path ("good-full.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = mini_scenario_new_from_file (path, &error);
  g_autoptr(MiniRuntime) runtime = NULL;
  int first, second, hide;
  JsonObject *data_object;

  g_assert_no_error (error);
  runtime = create_runtime (fx, scenario);
  run_runtime (fx, scenario, runtime);

  first = find (fx, 0, "message", NULL, 0);
  second = find (fx, 0, "message", NULL, 1);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (second, >, first);
  data_object = json_object_get_object_member (event (fx, first), "data");
  g_assert_nonnull (data_object);
  g_assert_cmpstr (json_object_get_string_member (data_object, "base64"), ==, "aGVsbG8=");
  data_object = json_object_get_object_member (event (fx, second), "data");
  g_assert_nonnull (data_object);
  g_assert_cmpstr (json_object_get_string_member (data_object, "base64"), ==, "3q2+7w==");
  /* The hex send waits 20 ms after the first message. */
  g_assert_cmpfloat (t_of (event (fx, find (fx, first, "call", "SocketTask.send", 0))), >=,
                     t_of (event (fx, first)) + 20.0);
  g_assert_cmpuint (count (fx, "call", "SocketTask.close"), ==, 1);
  g_assert_cmpint (find (fx, 0, "call", "SocketTask.close", 0), >, second);
  hide = find (fx, second, "env", NULL, 0);
  g_assert_cmpint (hide, >, 0);
  g_assert_cmpint (find (fx, 0, "close", NULL, 0), <, hide);
  g_assert_cmpstr (json_object_get_string_member (event (fx, hide), "value"), ==, "app.hide");
  check_end (fx, "idle for 250 ms");
}

static void
test_run_idle (Fixture       *fx,
               gconstpointer  data)
{
  double end;

  run (fx,
       "{\"steps\": [{\"at\": 0, \"call\": \"onSocketOpen\"}],"
       " \"until\": {\"idle\": 200, \"max\": 5000}}");

  check_end (fx, "idle for 200 ms");
  end = t_of (last_event (fx));
  g_assert_cmpfloat (end, >=, 200.0);
  g_assert_cmpfloat (end, <, 2000.0);
  g_assert_cmpint (fx->finished_us - fx->started_us, >=, 200 * 1000);
}

/* Idle counts from the start of the run, not from when the runtime was made. */
static void
test_run_idle_from_start (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(MiniScenario) scenario = load_data ("late.json",
                                                "{\"steps\": [{\"on\": \"open\", "
                                                "\"call\": \"onSocketOpen\"}],"
                                                " \"until\": {\"idle\": 200, \"max\": 5000}}");
  g_autoptr(MiniRuntime) runtime = create_runtime (fx, scenario);

  mini_test_run_for (300);
  run_runtime (fx, scenario, runtime);

  g_assert_cmpuint (fx->events->len, ==, 1);
  check_end (fx, "idle for 200 ms");
  g_assert_cmpfloat (t_of (last_event (fx)), >=, 200.0);
  g_assert_cmpint (fx->finished_us - fx->started_us, >=, 200 * 1000);
}

static void
test_run_max (Fixture       *fx,
              gconstpointer  data)
{
  double end;

  run (fx,
       "{\"steps\": ["
       " {\"at\": 0, \"call\": \"connectSocket\","
       "  \"args\": {\"url\": \"{playground}/echo?push_every_ms=20\"}}],"
       " \"until\": {\"idle\": 300, \"max\": 600}}");

  check_end (fx, "until.max reached (600 ms)");
  end = t_of (last_event (fx));
  g_assert_cmpfloat (end, >=, 600.0);
  g_assert_cmpfloat (end, <, 1600.0);
  /* The pushes kept it busy well past the idle time. */
  g_assert_cmpuint (count (fx, "message", NULL), >=, 5);
  /* The socket still open at the end is dropped without platform events. */
  g_assert_cmpuint (count (fx, "close", NULL), ==, 0);
  g_assert_cmpuint (count (fx, "error", NULL), ==, 0);
}

static void
test_run_step_error (Fixture       *fx,
                     gconstpointer  data)
{
  int error_pos, next;
  JsonObject *ev;

  run (fx,
       "{\"steps\": ["
       " {\"at\": 0, \"call\": \"SocketTask.send\", \"task\": 3, \"args\": {\"data\": \"x\"}},"
       " {\"at\": 0, \"call\": \"SocketTask.close\"},"
       " {\"at\": 20, \"call\": \"onSocketOpen\"}],"
       " \"until\": {\"idle\": 50, \"max\": 3000}}");

  error_pos = find (fx, 0, "env", NULL, 0);
  g_assert_cmpint (error_pos, ==, 0);
  ev = event (fx, error_pos);
  g_assert_cmpstr (json_object_get_string_member (ev, "value"), ==, "step-error");
  g_assert_cmpstr (json_object_get_string_member (ev, "text"), ==,
                   "step 0 not run: SocketTask.send: there is no SocketTask 3");
  ev = event (fx, 1);
  g_assert_cmpstr (kind_of (ev), ==, "env");
  g_assert_cmpstr (json_object_get_string_member (ev, "value"), ==, "step-error");
  g_assert_cmpstr (json_object_get_string_member (ev, "text"), ==,
                   "step 1 not run: SocketTask.close: there is no SocketTask yet; call "
                   "connectSocket first");
  /* A scenario mistake records no API call. */
  g_assert_cmpuint (count (fx, "call", "SocketTask.send"), ==, 0);

  /* The run goes on. */
  next = find (fx, 0, "call", "onSocketOpen", 0);
  g_assert_cmpint (next, >, 1);
  g_assert_cmpfloat (t_of (event (fx, next)), >=, 20.0);
  check_end (fx, "idle for 50 ms");
}

/* A loaded machine that stalls past two `at` times runs them as two turns still: the callback
 * the first queued comes before the second's call, as when each ran on time. */
static void
test_run_stalled_turns (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(MiniScenario) scenario =
    load_data ("stalled.json",
               "{\"dialect\": \"wx\", \"steps\": ["
               " {\"at\": 0, \"call\": \"connectSocket\","
               "  \"args\": {\"url\": \"{playground}/echo?delay_open_ms=300\"}},"
               " {\"at\": 20, \"call\": \"closeSocket\", \"args\": {\"fail\": true}},"
               " {\"at\": 20, \"call\": \"onSocketClose\"},"
               " {\"at\": 40, \"call\": \"SocketTask.close\", \"task\": 1,"
               "  \"args\": {\"success\": true}}],"
               " \"until\": {\"idle\": 600, \"max\": 3000}}");
  g_autoptr(MiniRuntime) runtime = create_runtime (fx, scenario);
  int close_socket, listener, fail, task_close;

  fx->started_us = g_get_monotonic_time ();
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, fx);
  /* Nothing dispatches for 100 ms: both later times are due at once. */
  g_usleep (100 * 1000);
  WAIT_FOR (fx->done);
  g_assert_no_error (fx->error);
  for (guint i = 0; i < mini_timeline_get_n_events (fx->timeline); i++)
    {
      g_autoptr(JsonNode) node = mini_timeline_event_to_json (fx->timeline, i);
      g_autofree char *line = json_to_string (node, FALSE);

      g_test_message ("%s", line);
      g_ptr_array_add (fx->events, json_object_ref (json_node_get_object (node)));
    }

  close_socket = find (fx, 0, "call", "closeSocket", 0);
  listener = find (fx, 0, "call", "onSocketClose", 0);
  fail = find (fx, 0, "fail", "closeSocket", 0);
  task_close = find (fx, 0, "call", "SocketTask.close", 0);
  g_assert_cmpint (close_socket, >, 0);
  /* The steps of one `at` still run together, before the callback. */
  g_assert_cmpint (close_socket, <, listener);
  g_assert_cmpint (listener, <, fail);
  g_assert_cmpint (fail, <, task_close);
  g_assert_cmpfloat (t_of (event (fx, close_socket)), >=, 100.0);
}

/* A process the machine did not run for a while finds its idle time over and the handshake's
 * answer waiting, both at once: the answer is activity, so the run goes on to the open. */
static void
test_run_stalled_idle (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(MiniScenario) scenario =
    load_data ("stalled-idle.json",
               "{\"dialect\": \"wx\", \"steps\": ["
               " {\"at\": 0, \"call\": \"connectSocket\","
               "  \"args\": {\"url\": \"{playground}/echo\"}},"
               " {\"at\": 0, \"call\": \"onSocketOpen\"}],"
               " \"until\": {\"idle\": 100, \"max\": 3000}}");
  g_autoptr(MiniRuntime) runtime = create_runtime (fx, scenario);

  fx->started_us = g_get_monotonic_time ();
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, fx);
  WAIT_FOR (mini_timeline_get_n_events (fx->timeline) > 0);
  /* Nothing dispatches for 400 ms while the playground, on its own thread, answers. */
  g_usleep (400 * 1000);
  WAIT_FOR (fx->done);
  g_assert_no_error (fx->error);
  for (guint i = 0; i < mini_timeline_get_n_events (fx->timeline); i++)
    {
      g_autoptr(JsonNode) node = mini_timeline_event_to_json (fx->timeline, i);
      g_autofree char *line = json_to_string (node, FALSE);

      g_test_message ("%s", line);
      g_ptr_array_add (fx->events, json_object_ref (json_node_get_object (node)));
    }

  g_assert_cmpint (find (fx, 0, "open", NULL, 0), >, 0);
  check_end (fx, "idle for 100 ms");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/load/bundled", test_load_bundled);
  g_test_add_func ("/scenario/load/bundled-all", test_load_bundled_all);
  g_test_add_func ("/scenario/load/title-string", test_load_title_string);
  g_test_add_func ("/scenario/load/full", test_load_full);
  g_test_add_func ("/scenario/load/length", test_load_length);
  g_test_add_func ("/scenario/load/bad", test_load_bad);
  g_test_add_func ("/scenario/load/unreadable", test_load_unreadable);
  g_test_add_func ("/scenario/runtime/errors", test_runtime_errors);
  g_test_add_func ("/scenario/runtime/dialect", test_runtime_dialect);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/scenario/run/at-order", test_run_at_order);
  ADD ("/scenario/run/on-steps", test_run_on_steps);
  ADD ("/scenario/run/full", test_run_full);
  ADD ("/scenario/run/idle", test_run_idle);
  ADD ("/scenario/run/idle-from-start", test_run_idle_from_start);
  ADD ("/scenario/run/max", test_run_max);
  ADD ("/scenario/run/step-error", test_run_step_error);
  ADD ("/scenario/run/stalled-turns", test_run_stalled_turns);
  ADD ("/scenario/run/stalled-idle", test_run_stalled_idle);
#undef ADD

  return g_test_run ();
}
