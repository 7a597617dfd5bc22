/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

/* One test per value of every dialect rule, at /rules/<rule>/<value>. Each loads a bundled
 * dialect, sets the value under test with mini_dialect_new_with_overrides(), drives a real
 * MiniRuntime against the real playground and checks what the mini-program's code would see.
 * /rules/meta/complete fails when a rule or an allowed value of schema.json has no test here. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

#define DEADLINE_MS 5000
#define WAIT_FOR_ON_TIMEOUT() mini_test_dump_timeline (fx->timeline)

#include "mini-test-util.h"

#define ANY MINI_TEST_ANY_TASK

typedef struct
{
  MiniPlayground *playground;
  MiniTimeline   *timeline;
  MiniRuntime    *runtime;
  MiniDialect    *base;      /* the dialect the test started from, before overrides */
  GPtrArray      *held;      /* events handed to the test, freed at teardown */
} Fixture;

/* ---- fixture ------------------------------------------------------------------------------ */

/* Runs a fresh runtime on @dialect; what the old one did is cleared, so task numbers start
 * again from 1 on a timeline of their own. */
static void
use_dialect (Fixture     *fx,
             MiniDialect *dialect)
{
  if (fx->runtime != NULL)
    {
      mini_runtime_shutdown (fx->runtime);
      g_assert_finalize_object (fx->runtime);
      mini_timeline_clear (fx->timeline);
    }
  fx->runtime = mini_test_runtime_new (dialect, fx->timeline);
  mini_runtime_set_playground_url (fx->runtime, mini_playground_get_url (fx->playground));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  fx->base = mini_dialect_load (data, &error);
  g_assert_no_error (error);
  fx->timeline = mini_timeline_new ();
  fx->held = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  use_dialect (fx, fx->base);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  mini_runtime_shutdown (fx->runtime);
  g_assert_finalize_object (fx->runtime);

  /* Cancelled handshakes finish on the main context; let them, so nothing outlives the test. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_ptr_array_unref (fx->held);
  g_assert_finalize_object (fx->timeline);
  g_assert_finalize_object (fx->base);
  g_assert_finalize_object (fx->playground);
}

/* The runtime now runs on the test's dialect with these rules set (JSON with single quotes). */
static void
set_rules (Fixture    *fx,
           const char *quirks_json)
{
  g_autoptr(JsonObject) quirks = mini_test_parse_args (quirks_json);
  g_autoptr(MiniDialect) changed = NULL;
  g_autoptr(GError) error = NULL;

  changed = mini_dialect_new_with_overrides (fx->base, quirks, &error);
  g_assert_no_error (error);
  use_dialect (fx, changed);
}

/* The test's dialect becomes a child of it with these errMsgs, for texts the bundled dialect
 * leaves empty because it never meets the situation. */
static void
set_err_msgs (Fixture    *fx,
              const char *err_msgs_json)
{
  g_autofree char *json = g_strdup_printf ("{'id': 'rules-test', 'extends': '%s',"
                                           " 'errMsgs': %s}",
                                           mini_dialect_get_id (fx->base), err_msgs_json);
  g_autoptr(GError) error = NULL;
  MiniDialect *child;

  g_strdelimit (json, "'", '"');
  child = mini_dialect_new_from_data ("rules-test.json", json, -1, &error);
  g_assert_no_error (error);
  g_object_unref (fx->base);
  fx->base = child;
  use_dialect (fx, fx->base);
}

static void
set_app (Fixture    *fx,
         const char *app_json)
{
  g_autoptr(JsonObject) app = mini_test_parse_args (app_json);
  g_autoptr(GError) error = NULL;

  g_assert_true (mini_runtime_set_app (fx->runtime, app, &error));
  g_assert_no_error (error);
}

/* ---- driving the runtime ------------------------------------------------------------------ */

/* connectSocket; returns the new task's id, or 0 when the call made none. */
static guint
connect_socket (Fixture    *fx,
                const char *args_json)
{
  guint before = mini_runtime_get_newest_task (fx->runtime);
  guint after;

  mini_test_call (fx->runtime, "connectSocket", 0, args_json);
  after = mini_runtime_get_newest_task (fx->runtime);
  return after != before ? after : 0;
}

static guint
count (Fixture       *fx,
       MiniEventKind  kind,
       guint          task)
{
  return mini_test_count_events (fx->timeline, kind, task);
}

static void
wait_for (Fixture       *fx,
          MiniEventKind  kind,
          guint          task)
{
  WAIT_FOR (count (fx, kind, task) > 0);
}

static guint
connect_open (Fixture    *fx,
              const char *args_json)
{
  guint task = connect_socket (fx, args_json);

  g_assert_cmpuint (task, >, 0);
  wait_for (fx, MINI_EVENT_OPEN, task);
  return task;
}

/* ---- reading the timeline ----------------------------------------------------------------- */

static JsonObject *
hold (Fixture    *fx,
      JsonObject *event)
{
  g_ptr_array_add (fx->held, event);
  return event;
}

/* The @n-th (from 0) event of @kind for @task and @api (NULL: any); fails without one. */
static JsonObject *
nth (Fixture       *fx,
     MiniEventKind  kind,
     guint          task,
     const char    *api,
     guint          n)
{
  return hold (fx, mini_test_nth_event (fx->timeline, kind, task, api, n));
}

static JsonObject *
find (Fixture       *fx,
      MiniEventKind  kind,
      guint          task,
      const char    *api)
{
  return nth (fx, kind, task, api, 0);
}

static JsonObject *
wire (Fixture    *fx,
      guint       task,
      const char *name)
{
  return hold (fx, mini_test_find_wire (fx->timeline, task, name));
}

static gint
position (Fixture       *fx,
          MiniEventKind  kind,
          guint          task,
          const char    *api)
{
  return mini_test_position_of (fx->timeline, kind, task, api, 0);
}

static void
kinds (Fixture    *fx,
       guint       task,
       const char *expected)
{
  mini_test_assert_kinds (fx->timeline, task, expected);
}

static gboolean
quirk (Fixture    *fx,
       guint       task,
       const char *rule)
{
  return mini_test_has_quirk (fx->timeline, task, rule);
}

/* Whether a quirk of @rule says @needle, for rules that explain each case in their own words. */
static gboolean
quirk_says (Fixture    *fx,
            const char *rule,
            const char *needle)
{
  guint n = count (fx, MINI_EVENT_QUIRK, ANY);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *note = nth (fx, MINI_EVENT_QUIRK, ANY, NULL, i);

      if (g_strcmp0 (mini_test_str_member (note, "id"), rule) == 0
          && strstr (mini_test_str_member (note, "text"), needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static const char *
str (JsonObject *object,
     const char *name)
{
  return mini_test_str_member (object, name);
}

static gint64
num (JsonObject *object,
     const char *name)
{
  return mini_test_int_member (object, name);
}

static gboolean
has (JsonObject *object,
     const char *name)
{
  return json_object_has_member (object, name);
}

static double
ms_between (JsonObject *first,
            JsonObject *second)
{
  return json_object_get_double_member (second, "t") - json_object_get_double_member (first, "t");
}

/* The handshake headers the playground's /headers route received, from its first message. */
static JsonObject *
received_headers (Fixture *fx,
                  guint    task)
{
  wait_for (fx, MINI_EVENT_MESSAGE, task);
  return hold (fx, mini_test_parse_object (str (find (fx, MINI_EVENT_MESSAGE, task, NULL),
                                                    "data")));
}

/* Sends one message on an open task and waits for its echo; returns the echo. */
static JsonObject *
echo (Fixture    *fx,
      guint       task,
      const char *send_args)
{
  guint before = count (fx, MINI_EVENT_MESSAGE, task);

  mini_test_call (fx->runtime, "SocketTask.send", task, send_args);
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, task) > before);
  return nth (fx, MINI_EVENT_MESSAGE, task, NULL, before);
}

/* The close event of a task the playground closes with 4001 "bye" after one message. */
static JsonObject *
server_close (Fixture *fx)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo?close_after=1&code=4001"
                                 "&reason=bye'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  return find (fx, MINI_EVENT_CLOSE, task, NULL);
}

/* The options of a platform that has url and multiple, as Alipay does. */
#define MULTIPLE_OPTIONS "'options': {'url': 'supported', 'multiple': 'supported'}"

/* ---- returns ------------------------------------------------------------------------------ */

static void
test_returns_socket_task (Fixture       *fx,
                          gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");

  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "SocketTask");
  kinds (fx, task, "return success open");
}

static void
test_returns_web_socket (Fixture       *fx,
                         gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "WebSocket");
  kinds (fx, task, "return open");
}

static void
test_returns_promise (Fixture       *fx,
                      gconstpointer  data)
{
  JsonObject *resolve;
  JsonObject *reject;
  guint task;

  set_rules (fx, "{'returns': 'Promise'}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "Promise");
  kinds (fx, task, "return success resolve open");
  resolve = find (fx, MINI_EVENT_RESOLVE, task, "connectSocket");
  g_assert_cmpstr (str (resolve, "errMsg"), ==, "connectSocket:ok");
  g_assert_cmpint (num (resolve, "socketTaskId"), ==, task);

  /* A refused call rejects the Promise it returned, after its fail callback. */
  g_assert_cmpuint (connect_socket (fx, "{'url': 123, 'fail': true}"), ==, 0);
  WAIT_FOR (count (fx, MINI_EVENT_REJECT, 0) == 1);
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_RETURN, 0, "connectSocket", 0), "value"), ==,
                   "Promise");
  reject = find (fx, MINI_EVENT_REJECT, 0, "connectSocket");
  g_assert_cmpstr (str (reject, "errMsg"), ==,
                   "connectSocket:fail parameter error: parameter.url should be String instead "
                   "of Number;");
  g_assert_cmpint (position (fx, MINI_EVENT_FAIL, 0, "connectSocket"), <,
                   position (fx, MINI_EVENT_REJECT, 0, "connectSocket"));
  g_assert_cmpuint (count (fx, MINI_EVENT_RESOLVE, 0), ==, 0);
}

/* uni-app: a Promise unless a callback is passed, for connectSocket and the legacy globals. */
static void
test_returns_promise_unless_callback (Fixture       *fx,
                                      gconstpointer  data)
{
  guint promised;
  guint task;

  set_rules (fx, "{'returns': 'PromiseUnlessCallback'}");
  promised = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, promised, "connectSocket"), "value"), ==,
                   "Promise");
  kinds (fx, promised, "return resolve open");
  /* The Promise has no SocketTask methods. */
  mini_test_call (fx->runtime, "SocketTask.onMessage", promised, NULL);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, promised, "SocketTask.onMessage"), "errMsg"),
                   ==, "TypeError: task.onMessage is not a function");

  task = connect_open (fx, "{'url': '{playground}/echo', 'complete': true}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "SocketTask");
  kinds (fx, task, "return complete open");

  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'no callback'}");
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, task) == 1);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "sendSocketMessage"), "value"), ==,
                   "Promise");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RESOLVE, task, "sendSocketMessage"), "errMsg"), ==,
                   "sendSocketMessage:ok");

  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'callback', 'success': true}");
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, task) == 2);
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_RETURN, task, "sendSocketMessage", 1), "value"), ==,
                   "undefined");
  g_assert_cmpuint (count (fx, MINI_EVENT_RESOLVE, task), ==, 1);
}

/* Alipay: the SocketTask only with multiple: true. */
static void
test_returns_task_if_multiple (Fixture       *fx,
                               gconstpointer  data)
{
  guint multiple;
  guint single;

  set_rules (fx, "{'returns': 'TaskIfMultiple', " MULTIPLE_OPTIONS "}");
  multiple = connect_open (fx, "{'url': '{playground}/echo', 'multiple': true}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, multiple, "connectSocket"), "value"), ==,
                   "SocketTask");
  single = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, single, "connectSocket"), "value"), ==,
                   "undefined");
}

static void
test_returns_undefined (Fixture       *fx,
                        gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'returns': 'undefined'}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "undefined");
  /* Nothing to hold on to, but the socket is there: the globals reach it. */
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'global'}");
  wait_for (fx, MINI_EVENT_MESSAGE, task);

  /* Code that treats the return value as a SocketTask throws, and the socket is untouched. */
  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "SocketTask.close"), "value"), ==,
                   "throw");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "SocketTask.close"), "errMsg"), ==,
                   "TypeError: Cannot read properties of undefined (reading 'close')");
  g_assert_cmpuint (count (fx, MINI_EVENT_CLOSE, task), ==, 0);
}

/* ---- callbacks and their timing ----------------------------------------------------------- */

static void
test_callbacks_true (Fixture       *fx,
                     gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo', 'success': true,"
                                 " 'complete': true}");

  echo (fx, task, "{'data': 'x', 'success': true}");
  kinds (fx, task, "return success complete open call return success message");
}

static void
test_callbacks_false (Fixture       *fx,
                      gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'callbacks': false}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'success': true, 'complete': true}");
  echo (fx, task, "{'data': 'x', 'success': true}");
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1, 'fail': true}");
  mini_test_run_for (50);
  kinds (fx, task, "return open call return message call return");
}

static void
test_success_timing_sync (Fixture       *fx,
                          gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'successTiming': 'sync'}");
  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  /* success ran inside connectSocket, before it returned. */
  kinds (fx, task, "success return");
  wait_for (fx, MINI_EVENT_OPEN, task);
}

static void
test_success_timing_async (Fixture       *fx,
                           gconstpointer  data)
{
  guint task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");

  mini_test_call (fx->runtime, "SocketTask.onOpen", task, NULL);
  g_assert_cmpuint (count (fx, MINI_EVENT_SUCCESS, ANY), ==, 0);
  wait_for (fx, MINI_EVENT_OPEN, task);
  kinds (fx, task, "return call return success open");
}

static void
test_success_task_id_true (Fixture       *fx,
                           gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");

  g_assert_cmpint (num (find (fx, MINI_EVENT_SUCCESS, task, "connectSocket"), "socketTaskId"), ==,
                   task);
}

static void
test_success_task_id_false (Fixture       *fx,
                            gconstpointer  data)
{
  JsonObject *success;
  guint task;

  set_rules (fx, "{'successTaskId': false}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  success = find (fx, MINI_EVENT_SUCCESS, task, "connectSocket");
  g_assert_cmpstr (str (success, "errMsg"), ==, "connectSocket:ok");
  g_assert_false (has (success, "socketTaskId"));
}

/* Douyin: methods called before connectSocket's success callback ran fail. */
static void
test_wait_for_success_true (Fixture       *fx,
                            gconstpointer  data)
{
  guint task;

  set_err_msgs (fx, "{'task.notReady': 'SocketTask.send:fail task not ready'}");
  set_rules (fx, "{'waitForSuccess': true}");
  task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300', 'success': true}");
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'too soon', 'fail': true}");
  g_assert_true (quirk (fx, task, "waitForSuccess"));
  wait_for (fx, MINI_EVENT_FAIL, task);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, "SocketTask.send"), "errMsg"), ==,
                   "SocketTask.send:fail task not ready");

  /* After success, a send before open fails for the usual reason. */
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'still early', 'fail': true}");
  WAIT_FOR (count (fx, MINI_EVENT_FAIL, task) == 2);
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_FAIL, task, "SocketTask.send", 1), "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  wait_for (fx, MINI_EVENT_OPEN, task);
  g_assert_cmpstr (str (echo (fx, task, "{'data': 'now'}"), "data"), ==, "now");
  kinds (fx, task, "return call return success fail call return fail open call return message");
}

static void
test_wait_for_success_false (Fixture       *fx,
                             gconstpointer  data)
{
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=100',"
                                   " 'success': true}");

  /* A close right away is taken: WeChat knows the task at once. */
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'success': true}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  g_assert_false (quirk (fx, task, "waitForSuccess"));
  kinds (fx, task, "return call return success success close");
}

/* ---- Promises ----------------------------------------------------------------------------- */

static void
test_promise_resolves_result (Fixture       *fx,
                              gconstpointer  data)
{
  JsonObject *resolve;
  guint task;

  set_rules (fx, "{'returns': 'Promise'}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  resolve = find (fx, MINI_EVENT_RESOLVE, task, "connectSocket");
  g_assert_cmpstr (str (resolve, "errMsg"), ==, "connectSocket:ok");
  g_assert_cmpint (num (resolve, "socketTaskId"), ==, task);
  g_assert_false (has (resolve, "value"));
}

/* Taro H5 resolves with the task itself. */
static void
test_promise_resolves_socket_task (Fixture       *fx,
                                   gconstpointer  data)
{
  JsonObject *resolve;
  guint task;

  set_rules (fx, "{'returns': 'Promise', 'promiseResolves': 'SocketTask'}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  resolve = find (fx, MINI_EVENT_RESOLVE, task, "connectSocket");
  g_assert_cmpstr (str (resolve, "value"), ==, "SocketTask");
  g_assert_false (has (resolve, "errMsg"));
  kinds (fx, task, "return success resolve open");
}

static void
test_promise_failure_reject (Fixture       *fx,
                             gconstpointer  data)
{
  set_rules (fx, "{'returns': 'Promise'}");
  connect_socket (fx, "{'url': 123, 'fail': true, 'complete': true}");
  WAIT_FOR (count (fx, MINI_EVENT_REJECT, 0) == 1);
  g_assert_cmpuint (count (fx, MINI_EVENT_RESOLVE, 0), ==, 0);
  g_assert_false (quirk (fx, 0, "promiseFailure"));
}

/* Taro's handler resolves with the fail result when fail or complete was passed. */
static void
test_promise_failure_resolve_if_callback (Fixture       *fx,
                                          gconstpointer  data)
{
  const char *fail_text = "connectSocket:fail parameter error: parameter.url should be String "
                          "instead of Number;";

  set_rules (fx, "{'returns': 'Promise', 'promiseFailure': 'resolve-if-callback'}");
  connect_socket (fx, "{'url': 123, 'complete': true}");
  WAIT_FOR (count (fx, MINI_EVENT_RESOLVE, 0) == 1);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RESOLVE, 0, "connectSocket"), "errMsg"), ==,
                   fail_text);
  g_assert_cmpuint (count (fx, MINI_EVENT_REJECT, 0), ==, 0);
  g_assert_true (quirk (fx, 0, "promiseFailure"));

  /* Without a callback it still rejects. */
  connect_socket (fx, "{'url': 123}");
  WAIT_FOR (count (fx, MINI_EVENT_REJECT, 0) == 1);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_REJECT, 0, "connectSocket"), "errMsg"), ==,
                   fail_text);
  g_assert_cmpuint (count (fx, MINI_EVENT_RESOLVE, 0), ==, 1);
}

/* ---- multiple mode (Alipay) --------------------------------------------------------------- */

static void
test_multiple_default_true (Fixture       *fx,
                            gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'returns': 'TaskIfMultiple', 'multipleDefault': true, " MULTIPLE_OPTIONS "}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "SocketTask");
  task = connect_open (fx, "{'url': '{playground}/echo', 'multiple': false}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "undefined");
}

static void
test_multiple_default_false (Fixture       *fx,
                             gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'returns': 'TaskIfMultiple', 'multipleDefault': false, " MULTIPLE_OPTIONS "}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "connectSocket"), "value"), ==,
                   "undefined");
}

static void
test_single_mode_repeat_fail (Fixture       *fx,
                              gconstpointer  data)
{
  guint single;
  guint multiple;

  set_err_msgs (fx, "{'connect.singleExists': 'connectSocket:fail socket already exists'}");
  set_rules (fx, "{" MULTIPLE_OPTIONS "}");
  single = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'fail': true}"), ==, 0);
  g_assert_true (quirk (fx, 0, "singleModeRepeat"));
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "connectSocket:fail socket already exists");

  /* Multiple mode is not limited by it, and the single socket lives on. */
  multiple = connect_open (fx, "{'url': '{playground}/echo', 'multiple': true}");
  g_assert_cmpuint (multiple, ==, single + 1);
  g_assert_cmpstr (str (echo (fx, single, "{'data': 'alive'}"), "data"), ==, "alive");
  kinds (fx, single, "return open call return message");
}

static void
test_single_mode_repeat_close_existing (Fixture       *fx,
                                        gconstpointer  data)
{
  guint first;
  guint second;

  set_rules (fx, "{'singleModeRepeat': 'close-existing', " MULTIPLE_OPTIONS "}");
  first = connect_open (fx, "{'url': '{playground}/echo'}");
  second = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  g_assert_true (quirk (fx, first, "singleModeRepeat"));
  wait_for (fx, MINI_EVENT_CLOSE, first);
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, first, NULL), "code"), ==, 1000);
  kinds (fx, first, "return open close");
  kinds (fx, second, "return success open");
}

/* ---- limits ------------------------------------------------------------------------------- */

static void
test_max_connections_2 (Fixture       *fx,
                        gconstpointer  data)
{
  set_rules (fx, "{'maxConnections': 2, 'overLimit': 'fail'}");
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}"), ==, 1);
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}"), ==, 2);
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'fail': true}"), ==, 0);
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=3 exceed max concurrent count");

  /* Once one of them is gone, its slot is free again. */
  wait_for (fx, MINI_EVENT_OPEN, 1);
  mini_test_call (fx->runtime, "SocketTask.close", 1, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, 1);
  g_assert_cmpuint (connect_open (fx, "{'url': '{playground}/echo'}"), ==, 3);
}

static void
test_max_connections_0 (Fixture       *fx,
                        gconstpointer  data)
{
  set_rules (fx, "{'maxConnections': 0}");
  for (guint i = 1; i <= 7; i++)
    g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo'}"), ==, i);
  for (guint i = 1; i <= 7; i++)
    wait_for (fx, MINI_EVENT_OPEN, i);
  g_assert_cmpuint (count (fx, MINI_EVENT_ERROR, ANY), ==, 0);
  g_assert_cmpuint (mini_runtime_get_n_live_tasks (fx->runtime), ==, 7);
}

static void
test_over_limit_fail (Fixture       *fx,
                      gconstpointer  data)
{
  set_rules (fx, "{'maxConnections': 1, 'overLimit': 'fail'}");
  connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'success': true,"
                                        " 'fail': true}"), ==, 0);
  g_assert_true (quirk (fx, 0, "maxConnections"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, 0, "connectSocket"), "value"), ==,
                   "undefined");
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=2 exceed max concurrent count");
  g_assert_cmpuint (count (fx, MINI_EVENT_SUCCESS, ANY), ==, 0);
}

static void
test_over_limit_error_after_ok (Fixture       *fx,
                                gconstpointer  data)
{
  guint second;

  set_rules (fx, "{'maxConnections': 1}");
  connect_open (fx, "{'url': '{playground}/echo'}");
  second = connect_socket (fx, "{'url': '{playground}/echo', 'success': true, 'fail': true}");
  wait_for (fx, MINI_EVENT_CLOSE, second);
  kinds (fx, second, "return success error close");
  g_assert_true (quirk (fx, second, "overLimit"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_ERROR, second, NULL), "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=2 exceed max concurrent count");
  g_assert_cmpint (mini_test_wire_position (fx->timeline, second, "handshake-request", 0), <, 0);
}

static void
test_over_limit_close_oldest (Fixture       *fx,
                              gconstpointer  data)
{
  guint first;
  guint second;

  set_rules (fx, "{'maxConnections': 1, 'overLimit': 'close-oldest'}");
  first = connect_open (fx, "{'url': '{playground}/echo'}");
  second = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  g_assert_true (quirk (fx, first, "overLimit"));
  wait_for (fx, MINI_EVENT_CLOSE, first);
  g_assert_cmpint (num (wire (fx, first, "close-out"), "code"), ==, 1000);
  kinds (fx, first, "return open close");
  kinds (fx, second, "return success open");
}

/* A close frees the slot only once the close handshake is done, so a reconnect right after
 * close() is over the limit; with closingCounts false (Taro H5) it is not. Returns the new
 * task, 0 when the connect failed. */
static guint
reconnect_after_close (Fixture    *fx,
                       const char *closing_counts)
{
  g_autofree char *rules = g_strdup_printf ("{'maxConnections': 1, 'overLimit': 'fail',"
                                            " 'closingCounts': %s}", closing_counts);
  guint first;

  set_rules (fx, rules);
  first = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.close", first, NULL);
  return connect_socket (fx, "{'url': '{playground}/echo', 'fail': true}");
}

static void
test_closing_counts_true (Fixture       *fx,
                          gconstpointer  data)
{
  g_assert_cmpuint (reconnect_after_close (fx, "true"), ==, 0);
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=2 exceed max concurrent count");
}

static void
test_closing_counts_false (Fixture       *fx,
                           gconstpointer  data)
{
  guint second = reconnect_after_close (fx, "false");

  g_assert_cmpuint (second, ==, 2);
  wait_for (fx, MINI_EVENT_OPEN, second);
  wait_for (fx, MINI_EVENT_CLOSE, 1);
  g_assert_cmpuint (count (fx, MINI_EVENT_FAIL, ANY), ==, 0);
}

/* ---- URL checks --------------------------------------------------------------------------- */

/* A wss URL that passes the URL checks, then finds nobody listening. */
static char *
wss_url (Fixture *fx)
{
  return g_strdup_printf ("wss://127.0.0.1:%u/echo", mini_test_unused_port ());
}

static void
check_schemes (Fixture    *fx,
               const char *rule,
               const char *allowed,
               gboolean    release)
{
  g_autofree char *rules = g_strdup_printf ("{'checkFailure': 'fail', 'domainCheck': false,"
                                            " '%s': ['%s']}", rule, allowed);
  g_autofree char *wss = wss_url (fx);
  g_autofree char *wss_args = g_strdup_printf ("{'url': '%s', 'fail': true}", wss);
  const char *ws_args = "{'url': '{playground}/echo', 'fail': true}";
  gboolean ws_allowed = g_str_equal (allowed, "ws");
  guint task;

  set_rules (fx, rules);
  if (release)
    set_app (fx, "{'build': 'release'}");

  /* The scheme the rule allows goes through, the other fails with the scheme's errMsg. */
  task = connect_socket (fx, ws_allowed ? ws_args : wss_args);
  g_assert_cmpuint (task, ==, 1);
  if (ws_allowed)
    wait_for (fx, MINI_EVENT_OPEN, task);
  else
    wait_for (fx, MINI_EVENT_CLOSE, task);
  g_assert_false (quirk (fx, ANY, rule));

  g_assert_cmpuint (connect_socket (fx, ws_allowed ? wss_args : ws_args), ==, 0);
  g_assert_true (quirk (fx, ANY, rule));
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "createSocketTask:fail url not in domain list");
  g_assert_cmpuint (count (fx, MINI_EVENT_FAIL, task), ==, 0);
}

static void
test_schemes_develop_ws (Fixture       *fx,
                         gconstpointer  data)
{
  check_schemes (fx, "schemesDevelop", "ws", FALSE);
}

static void
test_schemes_develop_wss (Fixture       *fx,
                          gconstpointer  data)
{
  check_schemes (fx, "schemesDevelop", "wss", FALSE);
}

static void
test_schemes_release_ws (Fixture       *fx,
                         gconstpointer  data)
{
  check_schemes (fx, "schemesRelease", "ws", TRUE);
}

static void
test_schemes_release_wss (Fixture       *fx,
                          gconstpointer  data)
{
  check_schemes (fx, "schemesRelease", "wss", TRUE);
}

static void
test_domain_check_true (Fixture       *fx,
                        gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'checkFailure': 'fail'}");
  set_app (fx, "{'skipDomainCheck': false, 'domains': ['wss://example.com']}");
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'fail': true}"), ==, 0);
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "createSocketTask:fail url not in domain list");

  /* The skip-domain-check switch lets a develop build through, and says so. */
  set_app (fx, "{'skipDomainCheck': true}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_true (quirk (fx, task, "domainCheck"));
}

static void
test_domain_check_false (Fixture       *fx,
                         gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'checkFailure': 'fail', 'domainCheck': false}");
  set_app (fx, "{'skipDomainCheck': false, 'domains': ['wss://example.com']}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'fail': true}");
  kinds (fx, task, "return open");
  g_assert_false (quirk (fx, ANY, "domainCheck"));
}

static void
test_check_failure_fail (Fixture       *fx,
                         gconstpointer  data)
{
  set_rules (fx, "{'checkFailure': 'fail'}");
  set_app (fx, "{'skipDomainCheck': false}");
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'success': true,"
                                        " 'fail': true}"), ==, 0);
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpuint (count (fx, MINI_EVENT_SUCCESS, ANY), ==, 0);
  g_assert_cmpuint (count (fx, MINI_EVENT_ERROR, ANY), ==, 0);
}

static void
test_check_failure_error_after_ok (Fixture       *fx,
                                   gconstpointer  data)
{
  guint task;

  set_app (fx, "{'skipDomainCheck': false}");
  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true, 'fail': true}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  kinds (fx, task, "return success error close");
  g_assert_true (quirk (fx, task, "checkFailure"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_ERROR, task, NULL), "errMsg"), ==,
                   "createSocketTask:fail url not in domain list");
}

static void
test_invalid_call_fail (Fixture       *fx,
                        gconstpointer  data)
{
  g_assert_cmpuint (connect_socket (fx, "{'url': 123, 'fail': true}"), ==, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, 0, "connectSocket"), "value"), ==,
                   "undefined");
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "connectSocket:fail parameter error: parameter.url should be String instead "
                   "of Number;");
}

static void
test_invalid_call_throw (Fixture       *fx,
                         gconstpointer  data)
{
  JsonObject *ret;

  set_rules (fx, "{'invalidCall': 'throw'}");
  g_assert_cmpuint (connect_socket (fx, "{'url': 123, 'fail': true}"), ==, 0);
  ret = find (fx, MINI_EVENT_RETURN, 0, "connectSocket");
  g_assert_cmpstr (str (ret, "value"), ==, "throw");
  g_assert_cmpstr (str (ret, "errMsg"), ==,
                   "connectSocket:fail parameter error: parameter.url should be String instead "
                   "of Number;");
  mini_test_run_for (50);
  g_assert_cmpuint (count (fx, MINI_EVENT_FAIL, ANY), ==, 0);
}

/* ---- failure payloads --------------------------------------------------------------------- */

#define PARAM_ERR_MSG "{'connect.param': {'value': 'connectSocket:fail bad {param}', 'code': 2}}"

static void
test_fail_payload_err_msg (Fixture       *fx,
                           gconstpointer  data)
{
  JsonObject *fail;

  set_err_msgs (fx, PARAM_ERR_MSG);
  connect_socket (fx, "{'url': 123, 'fail': true}");
  wait_for (fx, MINI_EVENT_FAIL, 0);
  fail = find (fx, MINI_EVENT_FAIL, 0, "connectSocket");
  g_assert_cmpstr (str (fail, "errMsg"), ==, "connectSocket:fail bad url");
  g_assert_false (has (fail, "errCode"));
  g_assert_false (has (fail, "error"));
}

/* uni-app: {errMsg, errCode}, in the fail callback and in the rejection alike. */
static void
test_fail_payload_err_msg_err_code (Fixture       *fx,
                                    gconstpointer  data)
{
  JsonObject *fail;
  JsonObject *reject;

  set_err_msgs (fx, PARAM_ERR_MSG);
  set_rules (fx, "{'failPayload': 'errMsg-errCode', 'returns': 'Promise'}");
  connect_socket (fx, "{'url': 123, 'fail': true}");
  wait_for (fx, MINI_EVENT_REJECT, 0);
  fail = find (fx, MINI_EVENT_FAIL, 0, "connectSocket");
  g_assert_cmpstr (str (fail, "errMsg"), ==, "connectSocket:fail bad url");
  g_assert_cmpint (num (fail, "errCode"), ==, 2);
  reject = find (fx, MINI_EVENT_REJECT, 0, "connectSocket");
  g_assert_cmpstr (str (reject, "errMsg"), ==, "connectSocket:fail bad url");
  g_assert_cmpint (num (reject, "errCode"), ==, 2);
}

/* Alipay: {error, errorMessage} and no errMsg at all. */
static void
test_fail_payload_error_error_message (Fixture       *fx,
                                       gconstpointer  data)
{
  JsonObject *fail;

  set_err_msgs (fx, PARAM_ERR_MSG);
  set_rules (fx, "{'failPayload': 'error-errorMessage'}");
  connect_socket (fx, "{'url': 123, 'fail': true, 'complete': true}");
  WAIT_FOR (count (fx, MINI_EVENT_COMPLETE, 0) == 1);
  fail = find (fx, MINI_EVENT_FAIL, 0, "connectSocket");
  g_assert_false (has (fail, "errMsg"));
  g_assert_cmpint (num (fail, "error"), ==, 2);
  g_assert_cmpstr (str (fail, "errorMessage"), ==, "connectSocket:fail bad url");
  g_assert_cmpint (num (find (fx, MINI_EVENT_COMPLETE, 0, "connectSocket"), "error"), ==, 2);
}

/* ---- options ------------------------------------------------------------------------------ */

static void
test_options_supported (Fixture       *fx,
                        gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'options': {'url': 'supported', 'header': 'supported',"
                 " 'data': 'supported'}}");
  task = connect_socket (fx, "{'url': '{playground}/headers', 'header': {'X-Test': 'yes'},"
                             " 'data': {'a': '1', 'b': 'x y'}}");
  headers = received_headers (fx, task);
  g_assert_cmpstr (str (headers, "X-Test"), ==, "yes");
  /* Alipay's data option becomes the query string. */
  g_assert_cmpstr (str (wire (fx, task, "handshake-request"), "text"), ==,
                   "GET /headers?a=1&b=x%20y HTTP/1.1");
  g_assert_false (quirk (fx, 0, "options"));
}

static void
test_options_ignored (Fixture       *fx,
                      gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'options': {'url': 'supported', 'header': 'ignored', 'data': 'ignored'}}");
  task = connect_socket (fx, "{'url': '{playground}/headers', 'header': {'X-Test': 'yes'},"
                             " 'data': {'a': '1'}}");
  headers = received_headers (fx, task);
  g_assert_false (has (headers, "X-Test"));
  g_assert_cmpstr (str (wire (fx, task, "handshake-request"), "text"), ==,
                   "GET /headers HTTP/1.1");
  g_assert_true (quirk_says (fx, "options", "accepts the option header but ignores it"));
  g_assert_true (quirk_says (fx, "options", "accepts the option data but ignores it"));
}

static void
test_options_absent (Fixture       *fx,
                     gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'options': {'url': 'supported'}}");
  task = connect_socket (fx, "{'url': '{playground}/headers', 'header': {'X-Test': 'yes'},"
                             " 'protocols': ['chat']}");
  headers = received_headers (fx, task);
  g_assert_false (has (headers, "X-Test"));
  g_assert_false (has (headers, "Sec-WebSocket-Protocol"));
  g_assert_true (quirk_says (fx, "options", "has no option header"));
  g_assert_true (quirk_says (fx, "options", "has no option protocols"));
}

static void
test_protocols_string_invalid (Fixture       *fx,
                               gconstpointer  data)
{
  g_assert_cmpuint (connect_socket (fx, "{'url': '{playground}/echo', 'protocols': 'chat',"
                                        " 'fail': true}"), ==, 0);
  wait_for (fx, MINI_EVENT_FAIL, 0);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 0, "connectSocket"), "errMsg"), ==,
                   "connectSocket:fail parameter error: parameter.protocols should be Array "
                   "instead of String;");
}

static void
test_protocols_string_wrap (Fixture       *fx,
                            gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'protocolsString': 'wrap'}");
  task = connect_open (fx, "{'url': '{playground}/echo', 'protocols': 'chat'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_OPEN, task, NULL), "protocol"), ==, "chat");
  g_assert_true (quirk (fx, task, "protocolsString"));
}

static void
test_protocols_string_ignore (Fixture       *fx,
                              gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'protocolsString': 'ignore'}");
  task = connect_socket (fx, "{'url': '{playground}/headers', 'protocols': 'chat'}");
  headers = received_headers (fx, task);
  g_assert_false (has (headers, "Sec-WebSocket-Protocol"));
  g_assert_false (has (find (fx, MINI_EVENT_OPEN, task, NULL), "protocol"));
  g_assert_true (quirk (fx, task, "protocolsString"));
}

/* ---- handshake ---------------------------------------------------------------------------- */

static void
test_forbidden_headers_listed (Fixture       *fx,
                               gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'forbiddenHeaders': ['x-test']}");
  task = connect_socket (fx, "{'url': '{playground}/headers',"
                             " 'header': {'X-Test': 'no', 'X-Other': 'yes'}}");
  headers = received_headers (fx, task);
  g_assert_false (has (headers, "X-Test"));
  g_assert_cmpstr (str (headers, "X-Other"), ==, "yes");
  g_assert_true (quirk (fx, task, "forbiddenHeaders"));
}

static void
test_forbidden_headers_empty (Fixture       *fx,
                              gconstpointer  data)
{
  JsonObject *headers;
  guint task;

  set_rules (fx, "{'forbiddenHeaders': []}");
  task = connect_socket (fx, "{'url': '{playground}/headers', 'header': {'X-Test': 'yes'}}");
  headers = received_headers (fx, task);
  g_assert_cmpstr (str (headers, "X-Test"), ==, "yes");
  g_assert_false (quirk (fx, task, "forbiddenHeaders"));
}

static void
test_referer_template (Fixture       *fx,
                       gconstpointer  data)
{
  guint task;

  set_app (fx, "{'appid': 'wx0123456789', 'version': '7'}");
  task = connect_socket (fx, "{'url': '{playground}/headers'}");
  g_assert_cmpstr (str (received_headers (fx, task), "Referer"), ==,
                   "https://servicewechat.com/wx0123456789/7/page-frame.html");
}

static void
test_referer_empty (Fixture       *fx,
                    gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'referer': ''}");
  task = connect_socket (fx, "{'url': '{playground}/headers'}");
  g_assert_false (has (received_headers (fx, task), "Referer"));
}

static void
test_user_agent_set (Fixture       *fx,
                     gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'userAgent': 'MiniTest/1.0'}");
  task = connect_socket (fx, "{'url': '{playground}/headers'}");
  g_assert_cmpstr (str (received_headers (fx, task), "User-Agent"), ==, "MiniTest/1.0");
}

static void
test_user_agent_empty (Fixture       *fx,
                       gconstpointer  data)
{
  const char *platform = mini_dialect_get_string (fx->base, "userAgent");
  guint task;

  g_assert_cmpstr (platform, !=, "");
  set_rules (fx, "{'userAgent': ''}");
  task = connect_socket (fx, "{'url': '{playground}/headers'}");
  g_assert_cmpstr (str (received_headers (fx, task), "User-Agent"), !=, platform);
}

static void
test_require_protocol_echo_true (Fixture       *fx,
                                 gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'requireProtocolEcho': true}");
  task = connect_socket (fx, "{'url': '{playground}/echo?protocol=none', 'protocols': ['chat']}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  kinds (fx, task, "return error close");
  g_assert_true (quirk (fx, task, "requireProtocolEcho"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_ERROR, task, NULL), "errMsg"), ==, "未完成的操作");
}

static void
test_require_protocol_echo_false (Fixture       *fx,
                                  gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo?protocol=none',"
                                 " 'protocols': ['chat']}");

  g_assert_false (has (find (fx, MINI_EVENT_OPEN, task, NULL), "protocol"));
  g_assert_cmpuint (count (fx, MINI_EVENT_ERROR, task), ==, 0);
}

static const char *
offered_extensions (Fixture *fx,
                    guint    task)
{
  JsonObject *header = json_object_get_object_member (wire (fx, task, "handshake-request"),
                                                      "header");

  return str (header, "Sec-WebSocket-Extensions");
}

static void
test_per_message_deflate_default_true (Fixture       *fx,
                                       gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'perMessageDeflateDefault': true}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_nonnull (strstr (offered_extensions (fx, task), "permessage-deflate"));
  /* The call still decides where the platform has the option. */
  task = connect_open (fx, "{'url': '{playground}/echo', 'perMessageDeflate': false}");
  g_assert_null (offered_extensions (fx, task));
}

static void
test_per_message_deflate_default_false (Fixture       *fx,
                                        gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  g_assert_null (offered_extensions (fx, task));
}

/* ---- timeouts ----------------------------------------------------------------------------- */

/* A connect to the silent route with @args; returns the ms from the call to the error event. */
static double
time_to_timeout (Fixture    *fx,
                 const char *options)
{
  g_autofree char *args = g_strdup_printf ("{'url': '{playground}/echo?silent=1'%s}", options);
  guint task = connect_socket (fx, args);
  JsonObject *error;

  wait_for (fx, MINI_EVENT_ERROR, task);
  error = find (fx, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (str (error, "errMsg"), ==, "Timed out connecting to server.");
  return ms_between (find (fx, MINI_EVENT_CALL, ANY, "connectSocket"), error);
}

static void
test_timeout_default_300 (Fixture       *fx,
                          gconstpointer  data)
{
  double elapsed;

  set_rules (fx, "{'timeoutDefault': 300}");
  elapsed = time_to_timeout (fx, "");
  g_assert_cmpfloat (elapsed, >=, 300.0);
  g_assert_cmpfloat (elapsed, <, 2000.0);
}

static void
test_timeout_default_0 (Fixture       *fx,
                        gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'timeoutDefault': 0}");
  task = connect_socket (fx, "{'url': '{playground}/echo?silent=1'}");
  mini_test_run_for (600);
  kinds (fx, task, "return");
}

static void
test_timeout_max_300 (Fixture       *fx,
                      gconstpointer  data)
{
  double elapsed;

  set_rules (fx, "{'timeoutMax': 300}");
  elapsed = time_to_timeout (fx, ", 'timeout': 5000");
  g_assert_true (quirk (fx, 0, "timeoutMax"));
  g_assert_cmpfloat (elapsed, >=, 300.0);
  g_assert_cmpfloat (elapsed, <, 2000.0);
}

static void
test_timeout_max_0 (Fixture       *fx,
                    gconstpointer  data)
{
  double elapsed;

  set_rules (fx, "{'timeoutMax': 0, 'timeoutDefault': 100}");
  elapsed = time_to_timeout (fx, ", 'timeout': 400");
  g_assert_false (quirk (fx, 0, "timeoutMax"));
  g_assert_cmpfloat (elapsed, >=, 400.0);
}

static void
test_timeout_combine_option (Fixture       *fx,
                             gconstpointer  data)
{
  double elapsed;

  set_rules (fx, "{'timeoutDefault': 800}");
  elapsed = time_to_timeout (fx, ", 'timeout': 100");
  g_assert_cmpfloat (elapsed, >=, 100.0);
  g_assert_cmpfloat (elapsed, <, 700.0);
  g_assert_false (quirk (fx, 0, "timeoutCombine"));
}

/* QQ: the larger of the default and the option. */
static void
test_timeout_combine_larger (Fixture       *fx,
                             gconstpointer  data)
{
  double elapsed;

  set_rules (fx, "{'timeoutDefault': 400, 'timeoutCombine': 'larger'}");
  elapsed = time_to_timeout (fx, ", 'timeout': 100");
  g_assert_cmpfloat (elapsed, >=, 400.0);
  g_assert_true (quirk (fx, 0, "timeoutCombine"));
}

/* ---- what a failed connection fires ------------------------------------------------------- */

static void
check_connect_error_events (Fixture    *fx,
                            const char *value,
                            const char *expected)
{
  g_autofree char *rules = g_strdup_printf ("{'connectErrorEvents': '%s'}", value);
  guint task;

  set_rules (fx, rules);
  task = connect_socket (fx, "{'url': '{playground}/echo?status=404'}");
  wait_for (fx, g_str_equal (value, "error") ? MINI_EVENT_ERROR : MINI_EVENT_CLOSE, task);
  mini_test_run_for (50);
  kinds (fx, task, expected);
  if (g_str_has_prefix (value, "error"))
    g_assert_cmpstr (str (find (fx, MINI_EVENT_ERROR, task, NULL), "errMsg"), ==,
                     "Expected HTTP 101 response but was '404 Not Found'");
  if (g_str_has_suffix (value, "close"))
    g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, task, NULL), "code"), ==, 1006);
}

static void
test_connect_error_events_error_close (Fixture       *fx,
                                       gconstpointer  data)
{
  check_connect_error_events (fx, "error-close", "return error close");
}

static void
test_connect_error_events_error (Fixture       *fx,
                                 gconstpointer  data)
{
  check_connect_error_events (fx, "error", "return error");
  g_assert_true (quirk (fx, 1, "connectErrorEvents"));
}

static void
test_connect_error_events_close (Fixture       *fx,
                                 gconstpointer  data)
{
  check_connect_error_events (fx, "close", "return close");
}

static void
check_timeout_events (Fixture    *fx,
                      const char *value,
                      const char *expected)
{
  g_autofree char *rules = g_strdup_printf ("{'timeoutEvents': '%s'}", value);
  guint task;

  set_rules (fx, rules);
  task = connect_socket (fx, "{'url': '{playground}/echo?silent=1', 'timeout': 100}");
  wait_for (fx, g_str_equal (value, "error") ? MINI_EVENT_ERROR : MINI_EVENT_CLOSE, task);
  mini_test_run_for (50);
  kinds (fx, task, expected);
}

static void
test_timeout_events_error_close (Fixture       *fx,
                                 gconstpointer  data)
{
  check_timeout_events (fx, "error-close", "return error close");
}

static void
test_timeout_events_error (Fixture       *fx,
                           gconstpointer  data)
{
  check_timeout_events (fx, "error", "return error");
  g_assert_true (quirk (fx, 1, "timeoutEvents"));
}

static void
test_timeout_events_close (Fixture       *fx,
                           gconstpointer  data)
{
  check_timeout_events (fx, "close", "return close");
}

/* ---- payloads ----------------------------------------------------------------------------- */

static const char * const transport_fields[] = { "header", "profile", "protocolType", "socketType",
                                                 "isBuffer", "code", "reason", "errMsg",
                                                 "wasClean", NULL };

/* Asserts that of the payload fields a rule may add, @event has exactly @expected. */
static void
assert_fields (JsonObject *event,
               const char *expected)
{
  g_auto(GStrv) wanted = g_strsplit (expected, " ", -1);

  for (guint i = 0; transport_fields[i] != NULL; i++)
    {
      gboolean want = g_strv_contains ((const char * const *) wanted, transport_fields[i]);

      g_test_message ("field %s", transport_fields[i]);
      g_assert_cmpint (has (event, transport_fields[i]), ==, want);
    }
}

static JsonObject *
open_event (Fixture    *fx,
            const char *open_payload)
{
  g_autofree char *rules = g_strdup_printf ("{'openPayload': %s}", open_payload);
  guint task;

  set_rules (fx, rules);
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  return find (fx, MINI_EVENT_OPEN, task, NULL);
}

static void
test_open_payload_header (Fixture       *fx,
                          gconstpointer  data)
{
  JsonObject *open = open_event (fx, "['header']");

  assert_fields (open, "header");
  g_assert_cmpstr (str (json_object_get_object_member (open, "header"), "Upgrade"), ==,
                   "websocket");
}

static void
test_open_payload_profile (Fixture       *fx,
                           gconstpointer  data)
{
  JsonObject *open = open_event (fx, "['profile']");

  assert_fields (open, "profile");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (open,
                                                                                   "profile"),
                                                    "cost"), >=, 0.0);
}

static void
test_open_payload_protocol_type (Fixture       *fx,
                                 gconstpointer  data)
{
  JsonObject *open = open_event (fx, "['protocolType']");

  assert_fields (open, "protocolType");
  g_assert_cmpstr (str (open, "protocolType"), ==, "tcp");
}

static void
test_open_payload_socket_type (Fixture       *fx,
                               gconstpointer  data)
{
  JsonObject *open = open_event (fx, "['socketType']");

  assert_fields (open, "socketType");
  g_assert_cmpstr (str (open, "socketType"), ==, "tradition");
}

static void
test_open_payload_none (Fixture       *fx,
                        gconstpointer  data)
{
  assert_fields (open_event (fx, "[]"), "");
}

static void
test_message_payload_data (Fixture       *fx,
                           gconstpointer  data)
{
  JsonObject *message;
  guint task;

  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': 'hello'}");
  g_assert_cmpstr (str (message, "data"), ==, "hello");
  assert_fields (message, "");

  /* Without data in the payload the listener learns nothing of the content. */
  set_rules (fx, "{'messagePayload': ['isBuffer']}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': 'hello'}");
  g_assert_false (has (message, "data"));
  assert_fields (message, "isBuffer");
}

static void
test_message_payload_is_buffer (Fixture       *fx,
                                gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'messagePayload': ['data', 'isBuffer']}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_assert_false (json_object_get_boolean_member (echo (fx, task, "{'data': 'text'}"),
                                                  "isBuffer"));
  g_assert_true (json_object_get_boolean_member (echo (fx, task, "{'data': {'hex': '00ff'}}"),
                                                 "isBuffer"));
}

static void
test_message_payload_protocol_type (Fixture       *fx,
                                    gconstpointer  data)
{
  JsonObject *message;
  guint task;

  set_rules (fx, "{'messagePayload': ['data', 'protocolType']}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': 'x'}");
  assert_fields (message, "protocolType");
  g_assert_cmpstr (str (message, "protocolType"), ==, "tcp");
}

static void
test_message_payload_socket_type (Fixture       *fx,
                                  gconstpointer  data)
{
  JsonObject *message;
  guint task;

  set_rules (fx, "{'messagePayload': ['data', 'socketType']}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': 'x'}");
  assert_fields (message, "socketType");
  g_assert_cmpstr (str (message, "socketType"), ==, "tradition");
}

static JsonObject *
error_event (Fixture    *fx,
             const char *error_payload)
{
  g_autofree char *rules = g_strdup_printf ("{'errorPayload': '%s'}", error_payload);
  guint task;

  set_rules (fx, rules);
  task = connect_socket (fx, "{'url': '{playground}/echo?status=404'}");
  wait_for (fx, MINI_EVENT_ERROR, task);
  return find (fx, MINI_EVENT_ERROR, task, NULL);
}

static void
test_error_payload_err_msg (Fixture       *fx,
                            gconstpointer  data)
{
  JsonObject *error = error_event (fx, "errMsg");

  g_assert_cmpstr (str (error, "errMsg"), ==, "Expected HTTP 101 response but was '404 Not Found'");
  g_assert_false (has (error, "console"));
  g_assert_false (has (error, "errorMessage"));
}

/* uni-app: the listener gets {}. */
static void
test_error_payload_empty (Fixture       *fx,
                          gconstpointer  data)
{
  JsonObject *error = error_event (fx, "empty");

  g_assert_false (has (error, "errMsg"));
  g_assert_false (has (error, "console"));
  g_assert_false (has (error, "error"));
  g_assert_false (has (error, "errorMessage"));
}

/* Alipay: {error, errorMessage}, the number from the errMsg entry. */
static void
test_error_payload_error_error_message (Fixture       *fx,
                                        gconstpointer  data)
{
  JsonObject *error;

  set_err_msgs (fx, "{'connect.handshake': {'value': 'handshake refused: {status}', 'code': 1}}");
  error = error_event (fx, "error-errorMessage");
  g_assert_false (has (error, "errMsg"));
  g_assert_cmpint (num (error, "error"), ==, 1);
  g_assert_cmpstr (str (error, "errorMessage"), ==, "handshake refused: 404");
}

/* The browser: a bare Event; the text goes to the console. */
static void
test_error_payload_event (Fixture       *fx,
                          gconstpointer  data)
{
  JsonObject *error = error_event (fx, "event");

  g_assert_false (has (error, "errMsg"));
  g_assert_cmpstr (str (error, "console"), ==,
                   "Expected HTTP 101 response but was '404 Not Found'");
}

static JsonObject *
close_event (Fixture    *fx,
             const char *close_payload)
{
  g_autofree char *rules = g_strdup_printf ("{'closePayload': %s}", close_payload);

  set_rules (fx, rules);
  return server_close (fx);
}

static void
test_close_payload_code (Fixture       *fx,
                         gconstpointer  data)
{
  JsonObject *close = close_event (fx, "['code']");

  assert_fields (close, "code");
  g_assert_cmpint (num (close, "code"), ==, 4001);
}

static void
test_close_payload_reason (Fixture       *fx,
                           gconstpointer  data)
{
  JsonObject *close = close_event (fx, "['reason']");

  assert_fields (close, "reason");
  g_assert_cmpstr (str (close, "reason"), ==, "bye");
}

static void
test_close_payload_err_msg (Fixture       *fx,
                            gconstpointer  data)
{
  JsonObject *close;

  set_err_msgs (fx, "{'close.event': 'onClose {code} {reason}'}");
  close = close_event (fx, "['errMsg']");
  assert_fields (close, "errMsg");
  g_assert_cmpstr (str (close, "errMsg"), ==, "onClose 4001 bye");
}

static void
test_close_payload_was_clean (Fixture       *fx,
                              gconstpointer  data)
{
  JsonObject *close = close_event (fx, "['wasClean']");

  assert_fields (close, "wasClean");
  g_assert_true (json_object_get_boolean_member (close, "wasClean"));
}

static void
test_close_payload_protocol_type (Fixture       *fx,
                                  gconstpointer  data)
{
  JsonObject *close = close_event (fx, "['protocolType']");

  assert_fields (close, "protocolType");
  g_assert_cmpstr (str (close, "protocolType"), ==, "tcp");
}

static void
test_close_payload_socket_type (Fixture       *fx,
                                gconstpointer  data)
{
  JsonObject *close = close_event (fx, "['socketType']");

  assert_fields (close, "socketType");
  g_assert_cmpstr (str (close, "socketType"), ==, "tradition");
}

/* ---- binary messages ---------------------------------------------------------------------- */

static void
test_binary_array_buffer (Fixture       *fx,
                          gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");
  JsonObject *message = echo (fx, task, "{'data': {'hex': '00ff'}}");

  g_assert_cmpstr (str (json_object_get_object_member (message, "data"), "base64"), ==, "AP8=");
  g_assert_cmpstr (str (message, "dataType"), ==, "ArrayBuffer");
  g_assert_cmpint (num (message, "bytes"), ==, 2);
}

/* Alipay: a base64 string marked by isBuffer, both ways. */
static void
test_binary_base64 (Fixture       *fx,
                    gconstpointer  data)
{
  JsonObject *message;
  guint task;

  set_rules (fx, "{'binary': 'base64', 'messagePayload': ['data', 'isBuffer']}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': {'hex': '00ff'}}");
  g_assert_cmpstr (str (message, "data"), ==, "AP8=");
  g_assert_true (json_object_get_boolean_member (message, "isBuffer"));
  g_assert_false (has (message, "dataType"));

  message = echo (fx, task, "{'data': 'AAEC', 'isBuffer': true}");
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "frame-out-binary", 1), >=, 0);
  g_assert_cmpstr (str (message, "data"), ==, "AAEC");
  g_assert_true (json_object_get_boolean_member (message, "isBuffer"));
}

static void
test_binary_blob (Fixture       *fx,
                  gconstpointer  data)
{
  JsonObject *message;
  guint task;

  set_rules (fx, "{'binary': 'Blob'}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  message = echo (fx, task, "{'data': {'hex': '00ff'}}");
  g_assert_cmpstr (str (message, "dataType"), ==, "Blob");
  g_assert_cmpstr (str (json_object_get_object_member (message, "data"), "base64"), ==, "AP8=");
  /* A text message is a string on every platform. */
  g_assert_false (has (echo (fx, task, "{'data': 'text'}"), "dataType"));
}

/* ---- listeners ---------------------------------------------------------------------------- */

static void
test_listeners_single (Fixture       *fx,
                       gconstpointer  data)
{
  guint task = connect_socket (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  g_assert_true (quirk (fx, task, "listeners"));
  wait_for (fx, MINI_EVENT_OPEN, task);
  mini_test_assert_listeners (echo (fx, task, "{'data': 'x'}"), "SocketTask.onMessage");
}

static void
test_listeners_multi (Fixture       *fx,
                      gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'listeners': 'multi'}");
  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  g_assert_false (quirk (fx, ANY, "listeners"));
  wait_for (fx, MINI_EVENT_OPEN, task);
  mini_test_assert_listeners (echo (fx, task, "{'data': 'x'}"),
                    "SocketTask.onMessage,SocketTask.onMessage#2,onSocketMessage,"
                    "onSocketMessage#2");
}

/* ---- close events ------------------------------------------------------------------------- */

static void
test_close_reasons_filled (Fixture       *fx,
                           gconstpointer  data)
{
  JsonObject *close;
  guint task;

  set_rules (fx, "{'closeReasons': {'4001': 'custom reason'}}");
  task = connect_open (fx, "{'url': '{playground}/echo?close_after=1&code=4001'}");
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  close = find (fx, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (num (close, "code"), ==, 4001);
  g_assert_cmpstr (str (close, "reason"), ==, "custom reason");
  g_assert_true (quirk (fx, task, "closeReasons"));
  /* A reason the peer sent is never replaced. */
  g_assert_cmpstr (str (server_close (fx), "reason"), ==, "bye");
}

static void
test_close_reasons_empty (Fixture       *fx,
                          gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'closeReasons': {}}");
  task = connect_open (fx, "{'url': '{playground}/echo?close_after=1&code=4001'}");
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_CLOSE, task, NULL), "reason"), ==, "");
  g_assert_false (quirk (fx, task, "closeReasons"));
}

static void
test_close_event_values_received (Fixture       *fx,
                                  gconstpointer  data)
{
  JsonObject *close = server_close (fx);
  guint task;

  g_assert_cmpint (num (close, "code"), ==, 4001);
  g_assert_cmpstr (str (close, "reason"), ==, "bye");

  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 4000, 'reason': 'mine'}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  close = find (fx, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (num (close, "code"), ==, 4000);
  g_assert_cmpstr (str (close, "reason"), ==, "mine");
}

/* Taro H5: what close() stored, or 1006 when the caller never closed, even after a clean close
 * by the server. */
static void
test_close_event_values_stored (Fixture       *fx,
                                gconstpointer  data)
{
  JsonObject *close;
  guint task;

  set_rules (fx, "{'closeEventValues': 'stored', 'closeReasons': {'1006': 'abnormal closure'},"
                 " 'defaultCloseReason': 'server complete,close'}");
  close = server_close (fx);
  g_assert_cmpint (num (close, "code"), ==, 1006);
  g_assert_cmpstr (str (close, "reason"), ==, "abnormal closure");
  g_assert_true (quirk (fx, 1, "closeEventValues"));

  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 4000, 'reason': 'mine'}");
  wait_for (fx, MINI_EVENT_CLOSE, task);
  close = find (fx, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (num (close, "code"), ==, 4000);
  g_assert_cmpstr (str (close, "reason"), ==, "mine");

  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, task);
  close = find (fx, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (num (close, "code"), ==, 1000);
  g_assert_cmpstr (str (close, "reason"), ==, "server complete,close");
}

/* ---- send --------------------------------------------------------------------------------- */

static guint
connecting (Fixture *fx)
{
  return connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=200'}");
}

static void
test_send_before_open_fail (Fixture       *fx,
                            gconstpointer  data)
{
  guint task = connecting (fx);

  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': 'early', 'fail': true, 'complete': true}");
  g_assert_true (quirk (fx, task, "sendBeforeOpen"));
  wait_for (fx, MINI_EVENT_OPEN, task);
  mini_test_run_for (50);
  /* No queueing: the open brings no echo. */
  kinds (fx, task, "return call return fail complete open");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, NULL), "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
}

static void
test_send_before_open_throw (Fixture       *fx,
                             gconstpointer  data)
{
  JsonObject *ret;
  guint task;

  set_rules (fx, "{'sendBeforeOpen': 'throw'}");
  task = connecting (fx);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'early', 'fail': true}");
  ret = find (fx, MINI_EVENT_RETURN, task, "SocketTask.send");
  g_assert_cmpstr (str (ret, "value"), ==, "throw");
  g_assert_cmpstr (str (ret, "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  wait_for (fx, MINI_EVENT_OPEN, task);
  kinds (fx, task, "return call return open");
}

/* uni-app H5: fail and complete run twice, the second time with the exception's text. */
static void
test_send_before_open_fail_twice (Fixture       *fx,
                                  gconstpointer  data)
{
  guint task;

  set_err_msgs (fx, "{'send.notOpenAgain': 'sendSocketMessage:fail Error: not OPEN'}");
  set_rules (fx, "{'sendBeforeOpen': 'fail-twice'}");
  task = connecting (fx);
  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': 'early', 'fail': true, 'complete': true}");
  wait_for (fx, MINI_EVENT_OPEN, task);
  kinds (fx, task, "return call return fail complete fail complete open");
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_FAIL, task, NULL, 0), "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_FAIL, task, NULL, 1), "errMsg"), ==,
                   "sendSocketMessage:fail Error: not OPEN");
  g_assert_cmpstr (str (nth (fx, MINI_EVENT_COMPLETE, task, NULL, 1), "errMsg"), ==,
                   "sendSocketMessage:fail Error: not OPEN");

  /* sendSocketMessage checks the state itself: one fail, the global's own text. */
  task = connecting (fx);
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'early', 'fail': true}");
  mini_test_run_for (50);
  kinds (fx, task, "return call return fail");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, "sendSocketMessage"), "errMsg"), ==,
                   "sendSocketMessage:fail WebSocket is not connected");
}

/* uni-app App: fail, then success, and the data still leaves once the socket opens. */
static void
test_send_before_open_fail_then_send (Fixture       *fx,
                                      gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'sendBeforeOpen': 'fail-then-send'}");
  task = connecting (fx);
  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': 'early', 'success': true, 'fail': true}");
  wait_for (fx, MINI_EVENT_MESSAGE, task);
  kinds (fx, task, "return call return fail success open message");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_SUCCESS, task, "SocketTask.send"), "errMsg"), ==,
                   "sendSocketMessage:ok");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_MESSAGE, task, NULL), "data"), ==, "early");
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "frame-out-text", 0), >,
                   position (fx, MINI_EVENT_OPEN, task, NULL));
}

static void
test_send_after_close_fail (Fixture       *fx,
                            gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'late', 'fail': true}");
  wait_for (fx, MINI_EVENT_FAIL, task);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, "SocketTask.send"), "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  kinds (fx, task, "return open call return close call return fail");
}

static void
test_send_after_close_ignore (Fixture       *fx,
                              gconstpointer  data)
{
  guint task;

  set_rules (fx, "{'sendAfterClose': 'ignore'}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'late', 'fail': true}");
  g_assert_true (quirk (fx, task, "sendAfterClose"));
  mini_test_run_for (50);
  kinds (fx, task, "return open call return close call return");
}

static void
test_task_methods_return_undefined (Fixture       *fx,
                                    gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  echo (fx, task, "{'data': 'x'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "SocketTask.send"), "value"), ==,
                   "undefined");
  g_assert_cmpuint (count (fx, MINI_EVENT_RESOLVE, task), ==, 0);
}

/* Taro H5: send and close return Promises; a send that fails rejects, callbacks or not. */
static void
test_task_methods_return_promise (Fixture       *fx,
                                  gconstpointer  data)
{
  guint early;
  guint task;

  set_rules (fx, "{'taskMethodsReturn': 'Promise', 'promiseFailure': 'resolve-if-callback'}");
  early = connecting (fx);
  mini_test_call (fx->runtime, "SocketTask.send", early, "{'data': 'early', 'fail': true}");
  wait_for (fx, MINI_EVENT_REJECT, early);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, early, "SocketTask.send"), "value"), ==,
                   "Promise");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_REJECT, early, "SocketTask.send"), "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");

  task = connect_open (fx, "{'url': '{playground}/echo'}");
  echo (fx, task, "{'data': 'x'}");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, task, "SocketTask.send"), "value"), ==,
                   "Promise");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RESOLVE, task, "SocketTask.send"), "errMsg"), ==,
                   "sendSocketMessage:ok");
  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, task);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RESOLVE, task, "SocketTask.close"), "errMsg"), ==,
                   "closeSocket:ok");
  kinds (fx, task, "return open call return resolve message call return resolve close");
}

/* ---- close -------------------------------------------------------------------------------- */

/* Closes an open task with @args; returns TRUE when the close was taken, FALSE when it failed. */
static gboolean
try_close (Fixture    *fx,
           const char *args)
{
  g_autofree char *full = g_strdup_printf ("{%s%s'success': true, 'fail': true}",
                                           args, *args != '\0' ? ", " : "");
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, full);
  WAIT_FOR (count (fx, MINI_EVENT_SUCCESS, task) + count (fx, MINI_EVENT_FAIL, task) == 1);
  if (count (fx, MINI_EVENT_FAIL, task) == 1)
    {
      mini_test_run_for (50);
      g_assert_cmpuint (count (fx, MINI_EVENT_CLOSE, task), ==, 0);
      return FALSE;
    }
  wait_for (fx, MINI_EVENT_CLOSE, task);
  return TRUE;
}

static void
test_close_code_rule_rfc (Fixture       *fx,
                          gconstpointer  data)
{
  g_assert_true (try_close (fx, "'code': 1000"));
  g_assert_true (try_close (fx, "'code': 4999"));
  g_assert_false (try_close (fx, "'code': 1001"));
  g_assert_true (quirk (fx, 3, "closeCodeRule"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 3, "SocketTask.close"), "errMsg"), ==,
                   "closeSocket:fail The code must be either 1000, or between 3000 and 4999");
  g_assert_false (try_close (fx, "'code': 5000"));
}

/* Douyin: 1000 or 1001. */
static void
test_close_code_rule_1000_1001 (Fixture       *fx,
                                gconstpointer  data)
{
  set_rules (fx, "{'closeCodeRule': '1000-1001'}");
  g_assert_true (try_close (fx, "'code': 1000"));
  g_assert_true (try_close (fx, "'code': 1001"));
  g_assert_false (try_close (fx, "'code': 4000"));
}

static void
test_close_code_rule_none (Fixture       *fx,
                           gconstpointer  data)
{
  set_rules (fx, "{'closeCodeRule': 'none'}");
  g_assert_true (try_close (fx, "'code': 1001"));
  g_assert_true (try_close (fx, "'code': 2999"));
  g_assert_false (quirk (fx, ANY, "closeCodeRule"));
}

static void
test_reason_max_bytes_123 (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *fits = g_strnfill (123, 'r');
  g_autofree char *too_long = g_strnfill (124, 'r');
  g_autofree char *fits_args = g_strdup_printf ("'code': 1000, 'reason': '%s'", fits);
  g_autofree char *long_args = g_strdup_printf ("'code': 1000, 'reason': '%s'", too_long);

  g_assert_true (try_close (fx, fits_args));
  g_assert_false (try_close (fx, long_args));
  g_assert_true (quirk (fx, 2, "reasonMaxBytes"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, 2, "SocketTask.close"), "errMsg"), ==,
                   "closeSocket:fail The message must not be greater than 123 bytes.");
}

static void
test_reason_max_bytes_0 (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (200, 'r');
  g_autofree char *args = g_strdup_printf ("'code': 1000, 'reason': '%s'", too_long);

  set_rules (fx, "{'reasonMaxBytes': 0}");
  g_assert_true (try_close (fx, args));
  g_assert_false (quirk (fx, ANY, "reasonMaxBytes"));
}

static void
check_default_close_code (Fixture *fx,
                          gint     code)
{
  g_autofree char *rules = g_strdup_printf ("{'defaultCloseCode': %d}", code);

  set_rules (fx, rules);
  g_assert_true (try_close (fx, ""));
  g_assert_cmpint (num (wire (fx, 1, "close-out"), "code"), ==, code);
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, 1, NULL), "code"), ==, code);
}

static void
test_default_close_code_1000 (Fixture       *fx,
                              gconstpointer  data)
{
  check_default_close_code (fx, 1000);
}

static void
test_default_close_code_4000 (Fixture       *fx,
                              gconstpointer  data)
{
  check_default_close_code (fx, 4000);
}

/* QQ: "Goodbye" when the caller gives no reason. */
static void
test_default_close_reason_set (Fixture       *fx,
                               gconstpointer  data)
{
  set_rules (fx, "{'defaultCloseReason': 'Goodbye'}");
  g_assert_true (try_close (fx, ""));
  g_assert_cmpstr (str (wire (fx, 1, "close-out"), "reason"), ==, "Goodbye");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_CLOSE, 1, NULL), "reason"), ==, "Goodbye");
  /* The caller's own reason wins. */
  g_assert_true (try_close (fx, "'reason': 'mine'"));
  g_assert_cmpstr (str (find (fx, MINI_EVENT_CLOSE, 2, NULL), "reason"), ==, "mine");
}

static void
test_default_close_reason_empty (Fixture       *fx,
                                 gconstpointer  data)
{
  g_assert_true (try_close (fx, ""));
  g_assert_false (has (wire (fx, 1, "close-out"), "reason"));
}

static void
test_close_passes_args_true (Fixture       *fx,
                             gconstpointer  data)
{
  JsonObject *out;

  g_assert_true (try_close (fx, "'code': 4000, 'reason': 'mine'"));
  out = wire (fx, 1, "close-out");
  g_assert_cmpint (num (out, "code"), ==, 4000);
  g_assert_cmpstr (str (out, "reason"), ==, "mine");
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, 1, NULL), "code"), ==, 4000);
}

/* Taro H5: close() goes to the browser without code or reason. */
static void
test_close_passes_args_false (Fixture       *fx,
                              gconstpointer  data)
{
  JsonObject *out;

  set_rules (fx, "{'closePassesArgs': false}");
  g_assert_true (try_close (fx, "'code': 4000, 'reason': 'mine'"));
  g_assert_true (quirk (fx, 1, "closePassesArgs"));
  out = wire (fx, 1, "close-out");
  g_assert_cmpint (num (out, "code"), ==, 1005);
  g_assert_false (has (out, "reason"));
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, 1, NULL), "code"), !=, 4000);
  g_assert_cmpstr (str (find (fx, MINI_EVENT_CLOSE, 1, NULL), "reason"), !=, "mine");
}

/* A close of a task the server already closed, with both callbacks passed. */
static guint
close_closed (Fixture    *fx,
              const char *value)
{
  g_autofree char *rules = g_strdup_printf ("{'closeWhenClosed': '%s'}", value);
  guint task;

  set_rules (fx, rules);
  server_close (fx);
  task = mini_runtime_get_newest_task (fx->runtime);
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'success': true, 'fail': true}");
  mini_test_run_for (50);
  return task;
}

static void
test_close_when_closed_fail (Fixture       *fx,
                             gconstpointer  data)
{
  guint task = close_closed (fx, "fail");

  kinds (fx, task, "return open call return message close call return fail");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, "SocketTask.close"), "errMsg"), ==,
                   "closeSocket:fail WebSocket is not connected");
}

static void
test_close_when_closed_ignore (Fixture       *fx,
                               gconstpointer  data)
{
  guint task = close_closed (fx, "ignore");

  kinds (fx, task, "return open call return message close call return");
  g_assert_true (quirk (fx, task, "closeWhenClosed"));
}

/* Taro H5: close() never fails. */
static void
test_close_when_closed_ok (Fixture       *fx,
                           gconstpointer  data)
{
  guint task = close_closed (fx, "ok");

  kinds (fx, task, "return open call return message close call return success");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_SUCCESS, task, "SocketTask.close"), "errMsg"), ==,
                   "closeSocket:ok");
  g_assert_true (quirk (fx, task, "closeWhenClosed"));
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "close-out", 0), <, 0);
}

/* SocketTask.close or closeSocket (@api) while the handshake is in progress, by @rule = @value. */
static guint
close_connecting (Fixture    *fx,
                  const char *api,
                  const char *rule,
                  const char *value)
{
  g_autofree char *rules = g_strdup_printf ("{'%s': '%s'}", rule, value);
  guint task;

  set_rules (fx, rules);
  task = connecting (fx);
  mini_test_call (fx->runtime, api, task, "{'success': true, 'fail': true}");
  g_assert_true (quirk (fx, task, rule));
  return task;
}

static void
check_close_abort (Fixture    *fx,
                   const char *api,
                   const char *rule)
{
  guint task = close_connecting (fx, api, rule, "abort");

  wait_for (fx, MINI_EVENT_CLOSE, task);
  mini_test_run_for (300);
  kinds (fx, task, "return call return success error close");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_ERROR, task, NULL), "errMsg"), ==,
                   "websocket was closed before the connection was established");
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, task, NULL), "code"), ==, 1006);
}

static void
check_close_close (Fixture    *fx,
                   const char *api,
                   const char *rule)
{
  guint task = close_connecting (fx, api, rule, "close");

  wait_for (fx, MINI_EVENT_CLOSE, task);
  kinds (fx, task, "return call return success close");
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, task, NULL), "code"), ==, 1000);
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "close-out", 0), >,
                   mini_test_wire_position (fx->timeline, task, "handshake-response", 0));
}

static void
check_close_fail (Fixture    *fx,
                  const char *api,
                  const char *rule)
{
  guint task = close_connecting (fx, api, rule, "fail");

  wait_for (fx, MINI_EVENT_OPEN, task);
  mini_test_run_for (50);
  kinds (fx, task, "return call return fail open");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_FAIL, task, NULL), "errMsg"), ==,
                   "closeSocket:fail WebSocket is not connected");
}

static void
check_close_ignore (Fixture    *fx,
                    const char *api,
                    const char *rule)
{
  guint task = close_connecting (fx, api, rule, "ignore");

  wait_for (fx, MINI_EVENT_OPEN, task);
  mini_test_run_for (50);
  kinds (fx, task, "return call return success open");
  g_assert_cmpstr (str (echo (fx, task, "{'data': 'still open'}"), "data"), ==, "still open");
}

static void
test_close_while_connecting_abort (Fixture       *fx,
                                   gconstpointer  data)
{
  check_close_abort (fx, "SocketTask.close", "closeWhileConnecting");
}

static void
test_close_while_connecting_close (Fixture       *fx,
                                   gconstpointer  data)
{
  check_close_close (fx, "SocketTask.close", "closeWhileConnecting");
}

static void
test_close_while_connecting_fail (Fixture       *fx,
                                  gconstpointer  data)
{
  check_close_fail (fx, "SocketTask.close", "closeWhileConnecting");
}

static void
test_close_while_connecting_ignore (Fixture       *fx,
                                    gconstpointer  data)
{
  check_close_ignore (fx, "SocketTask.close", "closeWhileConnecting");
}

static void
test_global_close_while_connecting_abort (Fixture       *fx,
                                          gconstpointer  data)
{
  check_close_abort (fx, "closeSocket", "globalCloseWhileConnecting");
}

static void
test_global_close_while_connecting_close (Fixture       *fx,
                                          gconstpointer  data)
{
  check_close_close (fx, "closeSocket", "globalCloseWhileConnecting");
}

static void
test_global_close_while_connecting_fail (Fixture       *fx,
                                         gconstpointer  data)
{
  check_close_fail (fx, "closeSocket", "globalCloseWhileConnecting");
}

static void
test_global_close_while_connecting_ignore (Fixture       *fx,
                                           gconstpointer  data)
{
  check_close_ignore (fx, "closeSocket", "globalCloseWhileConnecting");
}

/* ---- legacy globals ----------------------------------------------------------------------- */

static void
test_globals_latest (Fixture       *fx,
                     gconstpointer  data)
{
  guint one = connect_open (fx, "{'url': '{playground}/echo'}");
  guint two = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_assert_listeners (echo (fx, one, "{'data': 'one'}"), "");
  mini_test_assert_listeners (echo (fx, two, "{'data': 'two'}"), "onSocketMessage");
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'three'}");
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, two) == 2);
  g_assert_cmpint (num (find (fx, MINI_EVENT_CALL, ANY, "sendSocketMessage"), "task"), ==, two);
  g_assert_cmpuint (count (fx, MINI_EVENT_MESSAGE, one), ==, 1);
}

/* uni-app H5: the oldest task still in the list, until its error or close removes it. */
static void
test_globals_first (Fixture       *fx,
                    gconstpointer  data)
{
  guint one;
  guint two;

  set_rules (fx, "{'globals': 'first'}");
  one = connect_open (fx, "{'url': '{playground}/echo'}");
  two = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "onSocketClose", 0, NULL);
  mini_test_assert_listeners (echo (fx, one, "{'data': 'one'}"), "onSocketMessage");
  mini_test_assert_listeners (echo (fx, two, "{'data': 'two'}"), "");
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'global'}");
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, one) == 2);

  /* The first task's own close still reaches the global listener; then the second is first. */
  mini_test_call (fx->runtime, "SocketTask.close", one, NULL);
  wait_for (fx, MINI_EVENT_CLOSE, one);
  mini_test_assert_listeners (find (fx, MINI_EVENT_CLOSE, one, NULL), "onSocketClose");
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'to two'}");
  WAIT_FOR (count (fx, MINI_EVENT_MESSAGE, two) == 2);
  mini_test_assert_listeners (nth (fx, MINI_EVENT_MESSAGE, two, NULL, 1), "onSocketMessage");
}

/* Alipay: the socket made in single mode, not a newer one made with multiple: true. */
static void
test_globals_single (Fixture       *fx,
                     gconstpointer  data)
{
  guint single;
  guint multiple;

  set_rules (fx, "{'globals': 'single', " MULTIPLE_OPTIONS "}");
  single = connect_open (fx, "{'url': '{playground}/echo'}");
  multiple = connect_open (fx, "{'url': '{playground}/echo', 'multiple': true}");
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'global'}");
  wait_for (fx, MINI_EVENT_MESSAGE, single);
  mini_test_assert_listeners (find (fx, MINI_EVENT_MESSAGE, single, NULL), "onSocketMessage");
  mini_test_assert_listeners (echo (fx, multiple, "{'data': 'own'}"), "");
  g_assert_cmpuint (count (fx, MINI_EVENT_MESSAGE, multiple), ==, 1);
}

/* Douyin has no legacy globals at all. */
static void
test_globals_none (Fixture       *fx,
                   gconstpointer  data)
{
  JsonObject *ret;

  set_rules (fx, "{'globals': 'none'}");
  connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'x', 'fail': true}");
  ret = find (fx, MINI_EVENT_RETURN, 0, "sendSocketMessage");
  g_assert_cmpstr (str (ret, "value"), ==, "throw");
  g_assert_cmpstr (str (ret, "errMsg"), ==, "TypeError: wx.sendSocketMessage is not a function");
  mini_test_run_for (50);
  g_assert_cmpuint (count (fx, MINI_EVENT_MESSAGE, ANY), ==, 0);
  g_assert_cmpuint (count (fx, MINI_EVENT_FAIL, ANY), ==, 0);
}

/* Taro H5: the globals exist, print a deprecation warning and do nothing. */
static void
test_globals_warn (Fixture       *fx,
                   gconstpointer  data)
{
  JsonObject *ret;

  set_err_msgs (fx, "{'api.deprecated': 'Deprecated.Please use socketTask.{method} instead.'}");
  set_rules (fx, "{'globals': 'warn'}");
  connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "sendSocketMessage", 0,
                  "{'data': 'x', 'success': true, 'fail': true}");
  mini_test_call (fx->runtime, "onSocketOpen", 0, NULL);
  ret = find (fx, MINI_EVENT_RETURN, 0, "sendSocketMessage");
  g_assert_cmpstr (str (ret, "value"), ==, "undefined");
  g_assert_cmpstr (str (ret, "console"), ==, "Deprecated.Please use socketTask.send instead.");
  g_assert_cmpstr (str (find (fx, MINI_EVENT_RETURN, 0, "onSocketOpen"), "console"), ==,
                   "Deprecated.Please use socketTask.onOpen instead.");
  g_assert_true (quirk (fx, 0, "globals"));
  mini_test_run_for (50);
  g_assert_cmpuint (count (fx, MINI_EVENT_MESSAGE, ANY), ==, 0);
  g_assert_cmpuint (count (fx, MINI_EVENT_SUCCESS, ANY), ==, 0);
  g_assert_cmpuint (count (fx, MINI_EVENT_FAIL, ANY), ==, 0);
}

/* ---- background --------------------------------------------------------------------------- */

/* Hides the app with one open task; returns the task. */
static guint
hide_with_open_task (Fixture    *fx,
                     const char *rules)
{
  guint task;

  set_rules (fx, rules);
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "app.hide", 0, NULL);
  return task;
}

static void
test_background_timeout_ms_100 (Fixture       *fx,
                                gconstpointer  data)
{
  guint task = hide_with_open_task (fx, "{'backgroundTimeoutMs': 100}");
  JsonObject *close;

  wait_for (fx, MINI_EVENT_CLOSE, task);
  close = find (fx, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpstr (str (close, "reason"), ==, "interrupted");
  g_assert_cmpfloat (ms_between (find (fx, MINI_EVENT_ENV, ANY, NULL), close), >=, 100.0);
  g_assert_true (quirk (fx, task, "backgroundTimeoutMs"));
}

static void
test_background_timeout_ms_0 (Fixture       *fx,
                              gconstpointer  data)
{
  guint task = hide_with_open_task (fx, "{'backgroundTimeoutMs': 0}");

  mini_test_run_for (300);
  kinds (fx, task, "return open");
  g_assert_cmpstr (str (echo (fx, task, "{'data': 'hidden'}"), "data"), ==, "hidden");
}

static void
check_background_close_code (Fixture *fx,
                             gint     code)
{
  g_autofree char *rules = g_strdup_printf ("{'backgroundTimeoutMs': 50,"
                                            " 'backgroundCloseCode': %d}", code);
  guint task = hide_with_open_task (fx, rules);

  wait_for (fx, MINI_EVENT_CLOSE, task);
  g_assert_cmpint (num (find (fx, MINI_EVENT_CLOSE, task, NULL), "code"), ==, code);
}

static void
test_background_close_code_1000 (Fixture       *fx,
                                 gconstpointer  data)
{
  check_background_close_code (fx, 1000);
}

/* Douyin: 1001, closed because of the background. */
static void
test_background_close_code_1001 (Fixture       *fx,
                                 gconstpointer  data)
{
  check_background_close_code (fx, 1001);
}

/* ---- the table ---------------------------------------------------------------------------- */

typedef struct {
  const char       *path;     /* /rules/<rule>/<value> */
  const char       *dialect;  /* the bundled dialect the test starts from */
  void            (*func) (Fixture       *fx,
                           gconstpointer  data);
} RuleTest;

static const RuleTest rule_tests[] = {
  { "/rules/returns/SocketTask", "wx", test_returns_socket_task },
  { "/rules/returns/WebSocket", "web", test_returns_web_socket },
  { "/rules/returns/Promise", "wx", test_returns_promise },
  { "/rules/returns/PromiseUnlessCallback", "wx", test_returns_promise_unless_callback },
  { "/rules/returns/TaskIfMultiple", "wx", test_returns_task_if_multiple },
  { "/rules/returns/undefined", "wx", test_returns_undefined },
  { "/rules/callbacks/true", "wx", test_callbacks_true },
  { "/rules/callbacks/false", "wx", test_callbacks_false },
  { "/rules/successTiming/sync", "wx", test_success_timing_sync },
  { "/rules/successTiming/async", "wx", test_success_timing_async },
  { "/rules/successTaskId/true", "wx", test_success_task_id_true },
  { "/rules/successTaskId/false", "wx", test_success_task_id_false },
  { "/rules/waitForSuccess/true", "wx", test_wait_for_success_true },
  { "/rules/waitForSuccess/false", "wx", test_wait_for_success_false },
  { "/rules/promiseResolves/result", "wx", test_promise_resolves_result },
  { "/rules/promiseResolves/SocketTask", "wx", test_promise_resolves_socket_task },
  { "/rules/promiseFailure/reject", "wx", test_promise_failure_reject },
  { "/rules/promiseFailure/resolve-if-callback", "wx", test_promise_failure_resolve_if_callback },
  { "/rules/multipleDefault/true", "wx", test_multiple_default_true },
  { "/rules/multipleDefault/false", "wx", test_multiple_default_false },
  { "/rules/singleModeRepeat/fail", "wx", test_single_mode_repeat_fail },
  { "/rules/singleModeRepeat/close-existing", "wx", test_single_mode_repeat_close_existing },
  { "/rules/maxConnections/2", "wx", test_max_connections_2 },
  { "/rules/maxConnections/0", "wx", test_max_connections_0 },
  { "/rules/overLimit/fail", "wx", test_over_limit_fail },
  { "/rules/overLimit/error-after-ok", "wx", test_over_limit_error_after_ok },
  { "/rules/overLimit/close-oldest", "wx", test_over_limit_close_oldest },
  { "/rules/closingCounts/true", "wx", test_closing_counts_true },
  { "/rules/closingCounts/false", "wx", test_closing_counts_false },
  { "/rules/schemesDevelop/ws", "wx", test_schemes_develop_ws },
  { "/rules/schemesDevelop/wss", "wx", test_schemes_develop_wss },
  { "/rules/schemesRelease/ws", "wx", test_schemes_release_ws },
  { "/rules/schemesRelease/wss", "wx", test_schemes_release_wss },
  { "/rules/domainCheck/true", "wx", test_domain_check_true },
  { "/rules/domainCheck/false", "wx", test_domain_check_false },
  { "/rules/checkFailure/fail", "wx", test_check_failure_fail },
  { "/rules/checkFailure/error-after-ok", "wx", test_check_failure_error_after_ok },
  { "/rules/invalidCall/fail", "wx", test_invalid_call_fail },
  { "/rules/invalidCall/throw", "wx", test_invalid_call_throw },
  { "/rules/failPayload/errMsg", "wx", test_fail_payload_err_msg },
  { "/rules/failPayload/errMsg-errCode", "wx", test_fail_payload_err_msg_err_code },
  { "/rules/failPayload/error-errorMessage", "wx", test_fail_payload_error_error_message },
  { "/rules/options/supported", "wx", test_options_supported },
  { "/rules/options/ignored", "wx", test_options_ignored },
  { "/rules/options/absent", "wx", test_options_absent },
  { "/rules/protocolsString/invalid", "wx", test_protocols_string_invalid },
  { "/rules/protocolsString/wrap", "wx", test_protocols_string_wrap },
  { "/rules/protocolsString/ignore", "wx", test_protocols_string_ignore },
  { "/rules/forbiddenHeaders/listed", "wx", test_forbidden_headers_listed },
  { "/rules/forbiddenHeaders/empty", "wx", test_forbidden_headers_empty },
  { "/rules/referer/template", "wx", test_referer_template },
  { "/rules/referer/empty", "wx", test_referer_empty },
  { "/rules/userAgent/set", "wx", test_user_agent_set },
  { "/rules/userAgent/empty", "wx", test_user_agent_empty },
  { "/rules/requireProtocolEcho/true", "wx", test_require_protocol_echo_true },
  { "/rules/requireProtocolEcho/false", "wx", test_require_protocol_echo_false },
  { "/rules/perMessageDeflateDefault/true", "wx", test_per_message_deflate_default_true },
  { "/rules/perMessageDeflateDefault/false", "wx", test_per_message_deflate_default_false },
  { "/rules/timeoutDefault/300", "wx", test_timeout_default_300 },
  { "/rules/timeoutDefault/0", "wx", test_timeout_default_0 },
  { "/rules/timeoutMax/300", "wx", test_timeout_max_300 },
  { "/rules/timeoutMax/0", "wx", test_timeout_max_0 },
  { "/rules/timeoutCombine/option", "wx", test_timeout_combine_option },
  { "/rules/timeoutCombine/larger", "wx", test_timeout_combine_larger },
  { "/rules/connectErrorEvents/error-close", "wx", test_connect_error_events_error_close },
  { "/rules/connectErrorEvents/error", "wx", test_connect_error_events_error },
  { "/rules/connectErrorEvents/close", "wx", test_connect_error_events_close },
  { "/rules/timeoutEvents/error-close", "wx", test_timeout_events_error_close },
  { "/rules/timeoutEvents/error", "wx", test_timeout_events_error },
  { "/rules/timeoutEvents/close", "wx", test_timeout_events_close },
  { "/rules/openPayload/header", "wx", test_open_payload_header },
  { "/rules/openPayload/profile", "wx", test_open_payload_profile },
  { "/rules/openPayload/protocolType", "wx", test_open_payload_protocol_type },
  { "/rules/openPayload/socketType", "wx", test_open_payload_socket_type },
  { "/rules/openPayload/none", "wx", test_open_payload_none },
  { "/rules/messagePayload/data", "wx", test_message_payload_data },
  { "/rules/messagePayload/isBuffer", "wx", test_message_payload_is_buffer },
  { "/rules/messagePayload/protocolType", "wx", test_message_payload_protocol_type },
  { "/rules/messagePayload/socketType", "wx", test_message_payload_socket_type },
  { "/rules/errorPayload/errMsg", "wx", test_error_payload_err_msg },
  { "/rules/errorPayload/empty", "wx", test_error_payload_empty },
  { "/rules/errorPayload/error-errorMessage", "wx", test_error_payload_error_error_message },
  { "/rules/errorPayload/event", "wx", test_error_payload_event },
  { "/rules/closePayload/code", "wx", test_close_payload_code },
  { "/rules/closePayload/reason", "wx", test_close_payload_reason },
  { "/rules/closePayload/errMsg", "wx", test_close_payload_err_msg },
  { "/rules/closePayload/wasClean", "wx", test_close_payload_was_clean },
  { "/rules/closePayload/protocolType", "wx", test_close_payload_protocol_type },
  { "/rules/closePayload/socketType", "wx", test_close_payload_socket_type },
  { "/rules/binary/ArrayBuffer", "wx", test_binary_array_buffer },
  { "/rules/binary/base64", "wx", test_binary_base64 },
  { "/rules/binary/Blob", "wx", test_binary_blob },
  { "/rules/listeners/single", "wx", test_listeners_single },
  { "/rules/listeners/multi", "wx", test_listeners_multi },
  { "/rules/closeReasons/filled", "wx", test_close_reasons_filled },
  { "/rules/closeReasons/empty", "wx", test_close_reasons_empty },
  { "/rules/closeEventValues/received", "wx", test_close_event_values_received },
  { "/rules/closeEventValues/stored", "wx", test_close_event_values_stored },
  { "/rules/sendBeforeOpen/fail", "wx", test_send_before_open_fail },
  { "/rules/sendBeforeOpen/throw", "wx", test_send_before_open_throw },
  { "/rules/sendBeforeOpen/fail-twice", "wx", test_send_before_open_fail_twice },
  { "/rules/sendBeforeOpen/fail-then-send", "wx", test_send_before_open_fail_then_send },
  { "/rules/sendAfterClose/fail", "wx", test_send_after_close_fail },
  { "/rules/sendAfterClose/ignore", "wx", test_send_after_close_ignore },
  { "/rules/taskMethodsReturn/undefined", "wx", test_task_methods_return_undefined },
  { "/rules/taskMethodsReturn/Promise", "wx", test_task_methods_return_promise },
  { "/rules/closeCodeRule/rfc", "wx", test_close_code_rule_rfc },
  { "/rules/closeCodeRule/1000-1001", "wx", test_close_code_rule_1000_1001 },
  { "/rules/closeCodeRule/none", "wx", test_close_code_rule_none },
  { "/rules/reasonMaxBytes/123", "wx", test_reason_max_bytes_123 },
  { "/rules/reasonMaxBytes/0", "wx", test_reason_max_bytes_0 },
  { "/rules/defaultCloseCode/1000", "wx", test_default_close_code_1000 },
  { "/rules/defaultCloseCode/4000", "wx", test_default_close_code_4000 },
  { "/rules/defaultCloseReason/set", "wx", test_default_close_reason_set },
  { "/rules/defaultCloseReason/empty", "wx", test_default_close_reason_empty },
  { "/rules/closePassesArgs/true", "wx", test_close_passes_args_true },
  { "/rules/closePassesArgs/false", "wx", test_close_passes_args_false },
  { "/rules/closeWhileConnecting/abort", "wx", test_close_while_connecting_abort },
  { "/rules/closeWhileConnecting/close", "wx", test_close_while_connecting_close },
  { "/rules/closeWhileConnecting/fail", "wx", test_close_while_connecting_fail },
  { "/rules/closeWhileConnecting/ignore", "wx", test_close_while_connecting_ignore },
  { "/rules/closeWhenClosed/fail", "wx", test_close_when_closed_fail },
  { "/rules/closeWhenClosed/ignore", "wx", test_close_when_closed_ignore },
  { "/rules/closeWhenClosed/ok", "wx", test_close_when_closed_ok },
  { "/rules/globals/latest", "wx", test_globals_latest },
  { "/rules/globals/first", "wx", test_globals_first },
  { "/rules/globals/single", "wx", test_globals_single },
  { "/rules/globals/none", "wx", test_globals_none },
  { "/rules/globals/warn", "wx", test_globals_warn },
  { "/rules/globalCloseWhileConnecting/abort", "wx", test_global_close_while_connecting_abort },
  { "/rules/globalCloseWhileConnecting/close", "wx", test_global_close_while_connecting_close },
  { "/rules/globalCloseWhileConnecting/fail", "wx", test_global_close_while_connecting_fail },
  { "/rules/globalCloseWhileConnecting/ignore", "wx",
    test_global_close_while_connecting_ignore },
  { "/rules/backgroundTimeoutMs/100", "wx", test_background_timeout_ms_100 },
  { "/rules/backgroundTimeoutMs/0", "wx", test_background_timeout_ms_0 },
  { "/rules/backgroundCloseCode/1000", "wx", test_background_close_code_1000 },
  { "/rules/backgroundCloseCode/1001", "wx", test_background_close_code_1001 },
};

static gboolean
has_test (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (rule_tests); i++)
    {
      if (g_str_equal (rule_tests[i].path, path))
        return TRUE;
    }

  return FALSE;
}

/* Every rule of the schema has a test, and so has every value an enum, strv, bool or options
 * rule allows; and no test names a rule the schema lacks. */
static void
test_meta_complete (void)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      const char *id = json_object_get_string_member (rule, "id");
      const char *type = json_object_get_string_member (rule, "type");
      const char *list = g_str_equal (type, "options") ? "states" : "values";
      JsonArray *values = json_object_has_member (rule, list)
                          ? json_object_get_array_member (rule, list) : NULL;
      g_autofree char *prefix = g_strdup_printf ("/rules/%s/", id);
      gboolean any = FALSE;

      for (guint t = 0; t < G_N_ELEMENTS (rule_tests); t++)
        any |= g_str_has_prefix (rule_tests[t].path, prefix);
      if (!any)
        g_string_append_printf (missing, " %s*", prefix);

      if (g_str_equal (type, "bool"))
        {
          static const char * const bools[] = { "true", "false" };

          for (guint v = 0; v < G_N_ELEMENTS (bools); v++)
            {
              g_autofree char *path = g_strconcat (prefix, bools[v], NULL);

              if (!has_test (path))
                g_string_append_printf (missing, " %s", path);
            }
        }

      for (guint v = 0; values != NULL && v < json_array_get_length (values); v++)
        {
          g_autofree char *path = g_strconcat (prefix, json_array_get_string_element (values, v),
                                               NULL);

          if (!has_test (path))
            g_string_append_printf (missing, " %s", path);
        }
    }

  for (guint t = 0; t < G_N_ELEMENTS (rule_tests); t++)
    {
      g_auto(GStrv) parts = g_strsplit (rule_tests[t].path, "/", -1);

      g_assert_cmpuint (g_strv_length (parts), ==, 4);
      if (mini_dialect_schema_get_rule (parts[2]) == NULL)
        g_string_append_printf (missing, " (stale) %s", rule_tests[t].path);
    }

  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/meta/complete", test_meta_complete);
  for (guint i = 0; i < G_N_ELEMENTS (rule_tests); i++)
    g_test_add (rule_tests[i].path, Fixture, rule_tests[i].dialect, fixture_setup,
                rule_tests[i].func, fixture_teardown);

  return g_test_run ();
}
