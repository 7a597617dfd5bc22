/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mini-dialect.h"
#include "mini-io-thread.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* Every wait on the main loop gives up after this long. */
#define DEADLINE_MS 5000
#define WAIT_FOR_ON_TIMEOUT() mini_test_dump_timeline (fx->timeline)

#include "mini-test-util.h"

typedef struct
{
  MiniPlayground *playground;
  MiniTimeline   *timeline;
  MiniRuntime    *runtime;
} Fixture;

/* ---- fixture ------------------------------------------------------------------------------ */

static void
fixture_use_dialect (Fixture     *fx,
                     MiniDialect *dialect)
{
  if (fx->runtime != NULL)
    {
      mini_runtime_shutdown (fx->runtime);
      g_assert_finalize_object (fx->runtime);
    }
  fx->runtime = mini_test_runtime_new (dialect, fx->timeline);
  mini_runtime_set_playground_url (fx->runtime, mini_playground_get_url (fx->playground));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  dialect = mini_dialect_load (data, &error);
  g_assert_no_error (error);
  fx->timeline = mini_timeline_new ();
  fixture_use_dialect (fx, dialect);
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

  g_assert_finalize_object (fx->timeline);
  g_assert_finalize_object (fx->playground);
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

static void
set_app (Fixture    *fx,
         const char *app_json)
{
  g_autoptr(JsonObject) app = mini_test_parse_args (app_json);
  g_autoptr(GError) error = NULL;

  g_assert_true (mini_runtime_set_app (fx->runtime, app, &error));
  g_assert_no_error (error);
}

/* Replaces the runtime by one whose dialect has these rules toggled. */
static void
override_quirks (Fixture    *fx,
                 const char *quirks_json)
{
  g_autoptr(MiniDialect) original = g_object_ref (mini_runtime_get_dialect (fx->runtime));
  g_autoptr(MiniDialect) changed = NULL;
  g_autoptr(JsonObject) quirks = mini_test_parse_args (quirks_json);
  g_autoptr(GError) error = NULL;

  changed = mini_dialect_new_with_overrides (original, quirks, &error);
  g_assert_no_error (error);
  fixture_use_dialect (fx, changed);
}

/* ---- reading the timeline ----------------------------------------------------------------- */

static double
time_of (JsonObject *event)
{
  return json_object_get_double_member (event, "t");
}

static void
wait_event (Fixture       *fx,
            MiniEventKind  kind,
            guint          task)
{
  WAIT_FOR (mini_test_count_events (fx->timeline, kind, task) > 0);
}

static guint
connect_open (Fixture    *fx,
              const char *args_json)
{
  guint task = connect_socket (fx, args_json);

  g_assert_cmpuint (task, >, 0);
  wait_event (fx, MINI_EVENT_OPEN, task);
  return task;
}

/* After a failure the same runtime still connects to /echo and echoes. */
static void
assert_usable (Fixture *fx)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");
  g_autoptr(JsonObject) message = NULL;

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'still here'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "still here");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
}

/* ---- the everyday path -------------------------------------------------------------------- */

static void
test_wx_echo (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(JsonObject) connect_call = NULL;
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) success = NULL;
  g_autoptr(JsonObject) complete = NULL;
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) send_success = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) close_success = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task;

  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true, 'fail': true,"
                             " 'complete': true}");
  g_assert_cmpuint (task, ==, 1);
  mini_test_call (fx->runtime, "SocketTask.onOpen", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onClose", task, NULL);

  /* The bridge answers after the caller's code: nothing but the return yet. */
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_SUCCESS, MINI_TEST_ANY_TASK),
                    ==, 0);
  connect_call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                                       "connectSocket");
  g_assert_true (json_object_get_null_member (connect_call, "task"));
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, task, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "SocketTask");

  wait_event (fx, MINI_EVENT_OPEN, task);
  success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (success, "errMsg"), ==, "connectSocket:ok");
  g_assert_cmpint (mini_test_int_member (success, "socketTaskId"), ==, task);
  complete = mini_test_find_event (fx->timeline, MINI_EVENT_COMPLETE, task, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (complete, "errMsg"), ==, "connectSocket:ok");
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  mini_test_assert_listeners (open, "SocketTask.onOpen");
  g_assert_true (json_object_has_member (open, "header"));
  g_assert_true (json_object_has_member (open, "profile"));

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'hello', 'success': true}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  send_success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (send_success, "errMsg"), ==, "sendSocketMessage:ok");
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "hello");
  g_assert_cmpint (mini_test_int_member (message, "bytes"), ==, 5);
  mini_test_assert_listeners (message, "SocketTask.onMessage");

  mini_test_call (fx->runtime, "SocketTask.close", task,
                  "{'code': 1000, 'reason': 'bye', 'success': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close_success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "SocketTask.close");
  g_assert_cmpstr (mini_test_str_member (close_success, "errMsg"), ==, "closeSocket:ok");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "bye");
  mini_test_assert_listeners (close, "SocketTask.onClose");

  /* success comes after everything the caller did synchronously, and is not the open. */
  mini_test_assert_kinds (fx->timeline, task,
                "return call return call return call return success complete open "
                "call return success message call return success close");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, MINI_TEST_ANY_TASK),
                    ==, 0);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, MINI_TEST_ANY_TASK), ==,
                    0);
}

/* profile.cost is the cost of this connection, not the time since the session started. */
static void
test_wx_open_profile (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) connect_call = NULL;
  g_autoptr(JsonObject) open = NULL;
  JsonObject *profile;
  double cost;
  guint task;

  mini_test_run_for (200);
  task = connect_open (fx, "{'url': '{playground}/echo?delay_open_ms=50'}");
  connect_call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                                       "connectSocket");
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  profile = json_object_get_object_member (open, "profile");
  cost = json_object_get_double_member (profile, "cost");
  g_assert_cmpfloat (cost, >=, 50.0);
  g_assert_cmpfloat (cost, <=, time_of (open) - time_of (connect_call));
}

static void
test_wx_callbacks_only_when_passed (Fixture       *fx,
                                    gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo', 'complete': true}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'x'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'fail': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);

  /* complete without success; send and close passed nothing, so no callback at all. */
  mini_test_assert_kinds (fx->timeline, task,
                          "return complete open call return message call return close");
}

static void
test_web_echo (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) close_out = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task;

  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true, 'fail': true,"
                             " 'complete': true}");
  g_assert_cmpuint (task, ==, 1);
  mini_test_call (fx->runtime, "SocketTask.onOpen", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onClose", task, NULL);
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, task, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "WebSocket");

  wait_event (fx, MINI_EVENT_OPEN, task);
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  mini_test_assert_listeners (open, "SocketTask.onOpen");
  /* The browser's open event is a bare Event. */
  g_assert_false (json_object_has_member (open, "header"));
  g_assert_false (json_object_has_member (open, "profile"));

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'hello', 'success': true}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "hello");

  /* close() without a code sends no status; the event shows the code the server answered,
   * which for libsoup's playground is 1000. */
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'success': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close_out = mini_test_find_wire (fx->timeline, task, "close-out");
  g_assert_cmpint (mini_test_int_member (close_out, "code"), ==, 1005);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  g_assert_true (json_object_get_boolean_member (close, "wasClean"));
  mini_test_assert_listeners (close, "SocketTask.onClose");

  mini_test_assert_kinds (fx->timeline, task,
                "return call return call return call return open call return message "
                "call return close");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_SUCCESS, MINI_TEST_ANY_TASK),
                    ==, 0);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_COMPLETE, MINI_TEST_ANY_TASK),
                    ==, 0);
}

/* ---- listeners ---------------------------------------------------------------------------- */

static void
test_wx_listeners_none (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) message = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'nobody'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);

  /* An empty list, not a missing field: nobody was listening. */
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  mini_test_assert_listeners (open, "");
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  mini_test_assert_listeners (message, "");
}

static void
test_wx_listeners_global_latest (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) global = NULL;
  g_autoptr(JsonObject) global_call = NULL;
  guint one = connect_open (fx, "{'url': '{playground}/echo'}");
  guint two = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "SocketTask.send", one, "{'data': 'one'}");
  wait_event (fx, MINI_EVENT_MESSAGE, one);
  mini_test_call (fx->runtime, "SocketTask.send", two, "{'data': 'two'}");
  wait_event (fx, MINI_EVENT_MESSAGE, two);

  first = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, one, NULL);
  g_assert_cmpstr (mini_test_str_member (first, "data"), ==, "one");
  mini_test_assert_listeners (first, "");
  second = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, two, NULL);
  g_assert_cmpstr (mini_test_str_member (second, "data"), ==, "two");
  mini_test_assert_listeners (second, "onSocketMessage");

  /* The legacy global send goes to the newest task too. */
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'three'}");
  global_call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                                      "sendSocketMessage");
  g_assert_cmpint (mini_test_int_member (global_call, "task"), ==, two);
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, two) == 2);
  global = mini_test_nth_event (fx->timeline, MINI_EVENT_MESSAGE, two, NULL, 1);
  g_assert_cmpstr (mini_test_str_member (global, "data"), ==, "three");
  mini_test_assert_listeners (global, "onSocketMessage");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, one), ==, 1);
}

static void
test_wx_listeners_single_slot (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) message = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  g_assert_false (mini_test_has_quirk (fx->timeline, task, "listeners"));
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "listeners"));

  wait_event (fx, MINI_EVENT_OPEN, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'once'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  mini_test_assert_listeners (message, "SocketTask.onMessage");
}

/* ---- playground routes -------------------------------------------------------------------- */

static void
test_wx_route_headers (Fixture       *fx,
                       gconstpointer  data)
{
  MiniDialect *dialect = mini_runtime_get_dialect (fx->runtime);
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) headers = NULL;
  g_autoptr(JsonObject) request = NULL;
  JsonObject *sent;
  guint task;

  task = connect_socket (fx, "{'url': '{playground}/headers',"
                             " 'header': {'Referer': 'https://evil.example/', 'X-Test': 'yes'}}");
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "forbiddenHeaders"));
  wait_event (fx, MINI_EVENT_MESSAGE, task);

  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  headers = mini_test_parse_object (mini_test_str_member (message, "data"));
  g_assert_cmpstr (mini_test_str_member (headers, "Referer"), ==,
                   "https://servicewechat.com/touristappid/0/page-frame.html");
  g_assert_cmpstr (mini_test_str_member (headers, "User-Agent"), ==,
                   mini_dialect_get_string (dialect, "userAgent"));
  g_assert_true (g_str_has_prefix (mini_test_str_member (headers, "User-Agent"), "Mozilla/5.0"));
  g_assert_cmpstr (mini_test_str_member (headers, "X-Test"), ==, "yes");

  /* The wire event shows the headers really sent, the fixed Referer included. */
  request = mini_test_find_wire (fx->timeline, task, "handshake-request");
  sent = json_object_get_object_member (request, "header");
  g_assert_cmpstr (mini_test_str_member (sent, "Referer"), ==,
                   "https://servicewechat.com/touristappid/0/page-frame.html");
  g_assert_cmpstr (mini_test_str_member (sent, "X-Test"), ==, "yes");
}

static void
test_wx_route_delay_open (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) connect_call = NULL;
  g_autoptr(JsonObject) open = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  connect_call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                                       "connectSocket");
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  g_assert_cmpfloat (time_of (open) - time_of (connect_call), >=, 300.0);
}

static void
test_wx_route_status (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) response = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?status=404'}");

  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return error close");

  response = mini_test_find_wire (fx->timeline, task, "handshake-response");
  g_assert_cmpint (mini_test_int_member (response, "code"), ==, 404);
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==,
                   "Expected HTTP 101 response but was '404 Not Found'");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "abnormal closure");

  assert_usable (fx);
}

static void
test_web_route_status (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?status=404'}");

  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return error close");

  /* The listener gets a bare Event; the text only reaches the console. */
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_false (json_object_has_member (error, "errMsg"));
  g_assert_nonnull (strstr (mini_test_str_member (error, "console"),
                            "Unexpected response code: 404"));
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);
  g_assert_false (json_object_get_boolean_member (close, "wasClean"));

  assert_usable (fx);
}

static void
test_route_protocol_default (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) open = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo', 'protocols': ['chat']}");

  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  g_assert_cmpstr (mini_test_str_member (open, "protocol"), ==, "chat");
}

static void
test_wx_route_protocol_none (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) open = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo?protocol=none',"
                             " 'protocols': ['chat']}");

  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  g_assert_false (json_object_has_member (open, "protocol"));
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
}

static void
test_web_route_protocol_none (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?protocol=none',"
                               " 'protocols': ['chat']}");

  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return error close");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "requireProtocolEcho"));
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_nonnull (strstr (mini_test_str_member (error, "console"),
                            "Sent non-empty 'Sec-WebSocket-Protocol' header"));
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);

  assert_usable (fx);
}

static void
test_wx_route_close_after (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo?close_after=1&code=4001"
                             "&reason=bye'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return open call return message close");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4001);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "bye");
}

/* The server's close frame usually arrives with the last echo: the socket is closing before the
 * close event, and a send or close then is refused by the platform's rule, never handed to
 * libsoup. When the frames arrive apart, both calls still go out. */
static void
test_route_close_after_then_send (Fixture       *fx,
                                  gconstpointer  data)
{
  gboolean wx = g_str_equal (data, "wx");
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo?close_after=1&code=4001"
                             "&reason=bye'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'too late', 'fail': true}");
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1000, 'fail': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4001);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "bye");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task), ==, 1);

  if (mini_test_wire_position (fx->timeline, task, "frame-out-text", 1) < 0)
    {
      g_autoptr(JsonObject) send_fail = NULL;

      g_test_message ("the close frame came with the echo");
      if (wx)
        {
          send_fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.send");
          g_assert_cmpstr (mini_test_str_member (send_fail, "errMsg"), ==,
                           "SocketTask.send:fail SocketTask.readyState is not OPEN");
        }
      else
        g_assert_true (mini_test_has_quirk (fx->timeline, task, "sendAfterClose"));
    }
  if (mini_test_wire_position (fx->timeline, task, "close-out", 0) < 0)
    {
      g_autoptr(JsonObject) close_fail = NULL;

      if (wx)
        {
          close_fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task,
                                             "SocketTask.close");
          g_assert_cmpstr (mini_test_str_member (close_fail, "errMsg"), ==,
                           "closeSocket:fail WebSocket is not connected");
        }
      else
        g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, task), ==, 0);
    }
}

static void
test_wx_route_drop_after (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo?drop_after=1'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'last'}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return open call return message error close");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "未完成的操作");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "abnormal closure");

  assert_usable (fx);
}

static void
test_wx_route_push (Fixture       *fx,
                    gconstpointer  data)
{
  guint task = connect_socket (fx, "{'url': '{playground}/echo?push_every_ms=50'}");

  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task) >= 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) message = mini_test_nth_event (fx->timeline, MINI_EVENT_MESSAGE, task,
                                                           NULL, i);
      g_autofree char *expected = g_strdup_printf ("tick %u", i + 1);

      g_assert_cmpstr (mini_test_str_member (message, "data"), ==, expected);
    }
}

static void
test_wx_route_flood (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) first = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?flood=1000&size=64'}");
  guint n;

  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task) == 1000);
  n = mini_timeline_get_n_events (fx->timeline);
  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (fx->timeline, i, &view));
      if (view.kind == MINI_EVENT_MESSAGE)
        g_assert_cmpuint (view.data_len, ==, 64);
    }
  first = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_true (g_str_has_prefix (mini_test_str_member (first, "data"), "1 "));

  /* Nothing more than the flood arrives. */
  mini_test_run_for (100);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task), ==, 1000);
}

static void
test_wx_route_silent_timeout (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) connect_call = NULL;
  g_autoptr(JsonObject) error = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?silent=1', 'timeout': 300}");

  wait_event (fx, MINI_EVENT_ERROR, task);
  connect_call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                                       "connectSocket");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "Timed out connecting to server.");
  g_assert_cmpfloat (time_of (error) - time_of (connect_call), >=, 300.0);

  /* DevTools suppresses the close after a timeout. */
  mini_test_run_for (300);
  mini_test_assert_kinds (fx->timeline, task, "return error");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "timeoutEvents"));

  assert_usable (fx);
}

static void
test_wx_unreachable (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *args = g_strdup_printf ("{'url': 'ws://127.0.0.1:%u/echo', 'success': true}",
                                           mini_test_unused_port ());
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, args);

  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return success error close");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "未完成的操作");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);

  assert_usable (fx);
}

/* A timeout above the platform's maximum is capped, however large it is. */
static void
test_wx_timeout_max (Fixture       *fx,
                     gconstpointer  data)
{
  static const char * const timeouts[] = { "120000", "1e300" };

  for (guint i = 0; i < G_N_ELEMENTS (timeouts); i++)
    {
      g_autofree char *args = g_strdup_printf ("{'url': '{playground}/echo', 'timeout': %s}",
                                               timeouts[i]);
      guint task = connect_open (fx, args);

      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_QUIRK, 0), ==, i + 1);
      g_assert_true (mini_test_has_quirk (fx->timeline, 0, "timeoutMax"));
      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
    }
}

/* The browser has no header option: nothing of it is sent, and no Referer either. */
static void
test_web_route_headers (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) headers = NULL;
  guint task;

  task = connect_socket (fx, "{'url': '{playground}/headers', 'header': {'X-Test': 'yes'}}");
  g_assert_true (mini_test_has_quirk (fx->timeline, 0, "options"));
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  headers = mini_test_parse_object (mini_test_str_member (message, "data"));
  g_assert_false (json_object_has_member (headers, "X-Test"));
  g_assert_false (json_object_has_member (headers, "Referer"));
  g_assert_cmpstr (mini_test_str_member (headers, "Upgrade"), ==, "websocket");
}

/* ---- WeChat rules ------------------------------------------------------------------------- */

static void
test_wx_limit (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) success = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint sixth;

  for (guint i = 1; i <= 5; i++)
    {
      guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=2000'}");

      g_assert_cmpuint (task, ==, i);
    }

  sixth = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  g_assert_cmpuint (sixth, ==, 6);
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, sixth, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "SocketTask");

  wait_event (fx, MINI_EVENT_CLOSE, sixth);
  mini_test_assert_kinds (fx->timeline, sixth, "return success error close");
  success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, sixth, NULL);
  g_assert_cmpstr (mini_test_str_member (success, "errMsg"), ==, "connectSocket:ok");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, sixth, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=6 exceed max concurrent count");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, sixth, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);

  /* The five still connecting are not touched, and open in time. */
  for (guint i = 1; i <= 5; i++)
    {
      wait_event (fx, MINI_EVENT_OPEN, i);
      mini_test_assert_kinds (fx->timeline, i, "return open");
    }

  /* A slot freed by a close is usable again. */
  mini_test_call (fx->runtime, "SocketTask.close", 1, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, 1);
  assert_usable (fx);
}

/* WeChat before 1.7: one socket, and a new connect closes the old one instead of failing. */
static void
test_wx_close_oldest (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) close_out = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint first;
  guint second;
  guint third;

  override_quirks (fx, "{'maxConnections': 1, 'overLimit': 'close-oldest'}");
  first = connect_open (fx, "{'url': '{playground}/echo'}");
  second = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=200', 'success': true}");
  g_assert_true (mini_test_has_quirk (fx->timeline, first, "overLimit"));
  wait_event (fx, MINI_EVENT_CLOSE, first);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, first, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  close_out = mini_test_find_wire (fx->timeline, first, "close-out");
  g_assert_cmpint (mini_test_int_member (close_out, "code"), ==, 1000);
  mini_test_assert_kinds (fx->timeline, first, "return open close");

  /* A task still connecting is the oldest too: it is aborted. */
  third = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  wait_event (fx, MINI_EVENT_OPEN, third);
  wait_event (fx, MINI_EVENT_CLOSE, second);
  mini_test_run_for (300);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_OPEN, second), ==, 0);
  mini_test_assert_kinds (fx->timeline, third, "return success open");
  g_assert_cmpuint (mini_runtime_get_n_live_tasks (fx->runtime), ==, 1);
}

static void
test_wx_domain_check (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) success = NULL;
  g_autoptr(JsonObject) error = NULL;
  guint task;

  set_app (fx, "{'skipDomainCheck': false, 'domains': ['wss://example.com']}");
  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return success error close");
  success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, NULL);
  g_assert_cmpstr (mini_test_str_member (success, "errMsg"), ==, "connectSocket:ok");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==,
                   "createSocketTask:fail url not in domain list");
  /* Refused before any byte went out. */
  g_assert_cmpint (mini_test_position_of (fx->timeline, MINI_EVENT_WIRE, task, NULL, 0), <, 0);

  set_app (fx, "{'skipDomainCheck': true}");
  assert_usable (fx);
}

static void
test_wx_domain_check_release (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) quirk = NULL;
  guint task;

  set_app (fx, "{'build': 'release', 'skipDomainCheck': true,"
           " 'domains': ['wss://example.com']}");
  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return error close");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==,
                   "createSocketTask:fail url not in domain list");
  quirk = mini_test_find_event (fx->timeline, MINI_EVENT_QUIRK, task, NULL);
  g_assert_cmpstr (mini_test_str_member (quirk, "id"), ==, "domainCheck");
  g_assert_nonnull (strstr (mini_test_str_member (quirk, "text"), "no effect in a release build"));

  set_app (fx, "{'build': 'develop'}");
  assert_usable (fx);
}

static void
test_wx_bad_url (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) fail = NULL;
  guint task = connect_socket (fx, "{'url': 123, 'success': true, 'fail': true}");

  g_assert_cmpuint (task, ==, 0);
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, MINI_TEST_ANY_TASK, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "undefined");
  g_assert_true (json_object_get_null_member (ret, "task"));
  wait_event (fx, MINI_EVENT_FAIL, MINI_TEST_ANY_TASK);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, MINI_TEST_ANY_TASK, NULL);
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "connectSocket:fail parameter error: parameter.url should be String instead "
                   "of Number;");
  g_assert_true (json_object_get_null_member (fail, "task"));
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_SUCCESS, MINI_TEST_ANY_TASK),
                    ==, 0);
  g_assert_cmpuint (mini_runtime_get_n_live_tasks (fx->runtime), ==, 0);

  assert_usable (fx);
}

static void
test_wx_close_socket_while_connecting (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) fail = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_call (fx->runtime, "closeSocket", 0, "{'success': true, 'fail': true}");
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "closeSocket");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "closeSocket:fail WebSocket is not connected");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "globalCloseWhileConnecting"));

  /* Pitfall 1: the global close did not close anything; the socket opens anyway. */
  wait_event (fx, MINI_EVENT_OPEN, task);
  mini_test_run_for (100);
  mini_test_assert_kinds (fx->timeline, task, "return call return fail open");
}

static void
test_wx_task_close_while_connecting (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) success = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, "{'success': true, 'fail': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "SocketTask.close");
  g_assert_cmpstr (mini_test_str_member (success, "errMsg"), ==, "closeSocket:ok");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "closeWhileConnecting"));
  /* The close frame goes out once the handshake is done, and the wire shows it. */
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "close-out", 0), >,
                   mini_test_wire_position (fx->timeline, task, "handshake-response", 0));
  g_assert_cmpint (mini_test_wire_position (fx->timeline, task, "handshake-response", 0), >=, 0);

  mini_test_run_for (100);
  mini_test_assert_kinds (fx->timeline, task, "return call return success close");
  assert_usable (fx);
}

static void
test_wx_send_before_open (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) fail = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': 'early', 'success': true, 'fail': true}");
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "undefined");
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "sendBeforeOpen"));

  /* No queueing: the open brings no echo. */
  wait_event (fx, MINI_EVENT_OPEN, task);
  mini_test_run_for (100);
  mini_test_assert_kinds (fx->timeline, task, "return call return fail open");
}

static void
test_wx_send_socket_message_no_socket (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  g_autoptr(JsonObject) fail = NULL;

  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'x', 'fail': true}");
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, MINI_TEST_ANY_TASK,
                              "sendSocketMessage");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "undefined");
  wait_event (fx, MINI_EVENT_FAIL, MINI_TEST_ANY_TASK);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, MINI_TEST_ANY_TASK, NULL);
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "sendSocketMessage:fail WebSocket is not connected");

  assert_usable (fx);
}

static void
test_wx_close_bad_code (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) fail = NULL;
  g_autoptr(JsonObject) message = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1001, 'fail': true}");
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.close");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "closeSocket:fail The code must be either 1000, or between 3000 and 4999");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "closeCodeRule"));

  /* Refused, so the socket is still open. */
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'open'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "open");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, task), ==, 0);
}

static void
test_wx_close_reason_length (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) fail = NULL;
  g_autoptr(JsonObject) close = NULL;
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autofree char *ascii = g_strnfill (124, 'r');
  g_autofree char *too_long = g_strdup_printf ("{'code': 1000, 'reason': '%s', 'fail': true}",
                                               ascii);
  g_autofree char *too_wide = NULL;
  g_autofree char *fits = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, too_long);
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.close");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "closeSocket:fail The message must not be greater than 123 bytes.");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "reasonMaxBytes"));

  /* The limit counts UTF-8 bytes: 42 characters of 3 bytes are too many, 41 fit exactly. */
  for (guint i = 0; i < 42; i++)
    g_string_append (wide, "关");
  too_wide = g_strdup_printf ("{'code': 1000, 'reason': '%s', 'fail': true}", wide->str);
  mini_test_call (fx->runtime, "SocketTask.close", task, too_wide);
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, task) == 2);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, task), ==, 0);

  g_string_truncate (wide, 41 * strlen ("关"));
  fits = g_strdup_printf ("{'code': 4000, 'reason': '%s', 'success': true}", wide->str);
  mini_test_call (fx->runtime, "SocketTask.close", task, fits);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4000);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, wide->str);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, task), ==, 2);
}

/* With the code rule toggled off, codes a client may not put on the wire must not reach libsoup. */
static void
test_wx_close_code_rule_none (Fixture       *fx,
                              gconstpointer  data)
{
  static const char * const codes[] = { "1011", "1006", "1015", "999", "5000" };

  override_quirks (fx, "{'closeCodeRule': 'none'}");
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *args = g_strdup_printf ("{'code': %s, 'success': true}", codes[i]);
      g_autoptr(JsonObject) success = NULL;
      guint task = connect_open (fx, "{'url': '{playground}/echo'}");

      mini_test_call (fx->runtime, "SocketTask.close", task, args);
      wait_event (fx, MINI_EVENT_CLOSE, task);
      success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "SocketTask.close");
      g_assert_cmpstr (mini_test_str_member (success, "errMsg"), ==, "closeSocket:ok");
      g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
    }
}

static void
test_wx_binary (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(JsonObject) message = NULL;
  JsonObject *payload;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': {'hex': '00ff'}, 'success': true}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "data")));
  payload = json_object_get_object_member (message, "data");
  g_assert_cmpstr (mini_test_str_member (payload, "base64"), ==, "AP8=");
  g_assert_cmpint (mini_test_int_member (message, "bytes"), ==, 2);
}

static void
test_wx_bad_base64 (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) fail = NULL;
  g_autoptr(JsonObject) message = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': {'base64': '*not base64*'}, 'success': true, 'fail': true}");
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "sendSocketMessage:fail unknown data");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_SUCCESS, task), ==, 0);

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'fine'}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "fine");
}

static void
test_wx_send_after_close (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) fail = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_call (fx->runtime, "SocketTask.send", task,
                  "{'data': 'late', 'success': true, 'fail': true}");
  wait_event (fx, MINI_EVENT_FAIL, task);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  mini_test_assert_kinds (fx->timeline, task, "return open call return close call return fail");
}

static void
test_web_send_after_close (Fixture       *fx,
                           gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1000}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'late'}");
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "sendAfterClose"));
  mini_test_run_for (100);
  /* The data is dropped silently: no exception, no event. */
  mini_test_assert_kinds (fx->timeline, task, "return open call return close call return");
}

/* ---- long sessions: ended tasks in their tombs -------------------------------------------- */

/* The first call after a task ended finds it whole; the runtime then packs it into a tomb, and
 * every later call raises it from there. Each answer must be the one the whole task gave. */
static void
test_wx_tomb_calls (Fixture       *fx,
                    gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);

  for (guint i = 0; i < 3; i++)
    {
      mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'late', 'fail': true}");
      mini_test_call (fx->runtime, "SocketTask.close", task, "{'fail': true}");
    }
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, task) == 6);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) send = mini_test_nth_event (fx->timeline, MINI_EVENT_FAIL, task,
                                                        "SocketTask.send", i);
      g_autoptr(JsonObject) close = mini_test_nth_event (fx->timeline, MINI_EVENT_FAIL, task,
                                                         "SocketTask.close", i);

      g_assert_cmpstr (mini_test_str_member (send, "errMsg"), ==,
                       "SocketTask.send:fail SocketTask.readyState is not OPEN");
      g_assert_cmpstr (mini_test_str_member (close, "errMsg"), ==,
                       "closeSocket:fail WebSocket is not connected");
    }

  /* WeChat keeps one listener per event: the tomb remembers this slot had one. */
  g_assert_false (mini_test_has_quirk (fx->timeline, task, "listeners"));
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "listeners"));

  g_assert_cmpuint (mini_runtime_get_n_live_tasks (fx->runtime), ==, 0);
  assert_usable (fx);
}

/* closeSocket goes to the newest task on WeChat, in its tomb or not. */
static void
test_wx_tomb_global (Fixture       *fx,
                     gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "closeSocket", 0, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_call (fx->runtime, "closeSocket", 0, "{'fail': true}");
  mini_test_call (fx->runtime, "closeSocket", 0, "{'fail': true}");
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_FAIL, task) == 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) fail = mini_test_nth_event (fx->timeline, MINI_EVENT_FAIL, task,
                                                        "closeSocket", i);

      g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                       "closeSocket:fail WebSocket is not connected");
    }
}

/* uni-app's global send skips the tasks whose close was delivered: the first listed one is the
 * second task, though the first is in its tomb. */
static void
test_uni_app_tomb_first (Fixture       *fx,
                         gconstpointer  data)
{
  guint one = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  guint two = connect_open (fx, "{'url': '{playground}/echo', 'success': true}");
  g_autoptr(JsonObject) call = NULL;

  mini_test_call (fx->runtime, "SocketTask.close", one, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, one);
  /* The first call on the ended task puts it into its tomb; the second raises it and puts it
   * back. */
  mini_test_call (fx->runtime, "SocketTask.send", one, "{'data': 'late'}");
  mini_test_call (fx->runtime, "SocketTask.send", one, "{'data': 'late'}");
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'to two'}");
  call = mini_test_find_event (fx->timeline, MINI_EVENT_CALL, MINI_TEST_ANY_TASK,
                               "sendSocketMessage");
  g_assert_cmpint (mini_test_int_member (call, "task"), ==, two);
  wait_event (fx, MINI_EVENT_MESSAGE, two);
}

/* uni's connectSocket without callbacks returns a Promise: the code has no SocketTask to call,
 * before the task ended or after. */
static void
test_uni_tomb_unreachable (Fixture       *fx,
                           gconstpointer  data)
{
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "closeSocket", 0, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  for (guint i = 0; i < 3; i++)
    mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'late'}");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) ret = mini_test_nth_event (fx->timeline, MINI_EVENT_RETURN, task,
                                                       "SocketTask.send", i);

      g_assert_nonnull (ret);
      g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "throw");
    }
}

/* A long session: hundreds of tasks opened and closed; the first still answers as it did. */
static void
test_wx_tomb_long_session (Fixture       *fx,
                           gconstpointer  data)
{
  guint first = 0;
  g_autoptr(JsonObject) fail = NULL;

  for (guint i = 0; i < 200; i++)
    {
      guint task = connect_open (fx, "{'url': '{playground}/echo'}");

      if (first == 0)
        first = task;
      mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
      wait_event (fx, MINI_EVENT_CLOSE, task);
      mini_timeline_clear (fx->timeline);
    }

  g_assert_cmpuint (mini_runtime_get_newest_task (fx->runtime), ==, first + 199);
  g_assert_cmpuint (mini_runtime_get_n_live_tasks (fx->runtime), ==, 0);
  mini_test_call (fx->runtime, "SocketTask.send", first, "{'data': 'late', 'fail': true}");
  wait_event (fx, MINI_EVENT_FAIL, first);
  fail = mini_test_find_event (fx->timeline, MINI_EVENT_FAIL, first, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (fail, "errMsg"), ==,
                   "SocketTask.send:fail SocketTask.readyState is not OPEN");
  assert_usable (fx);
}

/* The legacy globals on WeChat: listeners registered before any socket, ok callbacks. */
static void
test_wx_legacy_globals (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) send_success = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) close_success = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task;

  mini_test_call (fx->runtime, "onSocketOpen", 0, NULL);
  mini_test_call (fx->runtime, "onSocketMessage", 0, NULL);
  mini_test_call (fx->runtime, "onSocketClose", 0, NULL);
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  open = mini_test_find_event (fx->timeline, MINI_EVENT_OPEN, task, NULL);
  mini_test_assert_listeners (open, "onSocketOpen");

  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'legacy', 'success': true}");
  wait_event (fx, MINI_EVENT_MESSAGE, task);
  send_success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "sendSocketMessage");
  g_assert_cmpstr (mini_test_str_member (send_success, "errMsg"), ==, "sendSocketMessage:ok");
  message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "legacy");
  mini_test_assert_listeners (message, "onSocketMessage");

  mini_test_call (fx->runtime, "closeSocket", 0, "{'success': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close_success = mini_test_find_event (fx->timeline, MINI_EVENT_SUCCESS, task, "closeSocket");
  g_assert_cmpstr (mini_test_str_member (close_success, "errMsg"), ==, "closeSocket:ok");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  mini_test_assert_listeners (close, "onSocketClose");
}

/* ---- browser rules ------------------------------------------------------------------------ */

static void
test_web_send_before_open (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'early', 'fail': true}");
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, task, "SocketTask.send");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "throw");
  g_assert_cmpstr (mini_test_str_member (ret, "errMsg"), ==,
                   "InvalidStateError: Failed to execute 'send' on 'WebSocket': Still in "
                   "CONNECTING state.");

  wait_event (fx, MINI_EVENT_OPEN, task);
  mini_test_assert_kinds (fx->timeline, task, "return call return open");
}

static void
test_web_close_while_connecting (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);
  g_assert_false (json_object_get_boolean_member (close, "wasClean"));

  mini_test_run_for (400);
  mini_test_assert_kinds (fx->timeline, task, "return call return error close");
  assert_usable (fx);
}

static void
test_web_close_bad_args (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) bad_code = NULL;
  g_autoptr(JsonObject) bad_reason = NULL;
  g_autofree char *long_reason = g_strnfill (124, 'r');
  g_autofree char *args = g_strdup_printf ("{'code': 1000, 'reason': '%s'}", long_reason);
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1001}");
  bad_code = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, task, "SocketTask.close");
  g_assert_cmpstr (mini_test_str_member (bad_code, "value"), ==, "throw");
  g_assert_cmpstr (mini_test_str_member (bad_code, "errMsg"), ==,
                   "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code must be "
                   "either 1000, or between 3000 and 4999. 1001 is neither.");

  mini_test_call (fx->runtime, "SocketTask.close", task, args);
  bad_reason = mini_test_nth_event (fx->timeline, MINI_EVENT_RETURN, task, "SocketTask.close", 1);
  g_assert_cmpstr (mini_test_str_member (bad_reason, "value"), ==, "throw");
  g_assert_cmpstr (mini_test_str_member (bad_reason, "errMsg"), ==,
                   "SyntaxError: Failed to execute 'close' on 'WebSocket': The message must not be "
                   "greater than 123 bytes.");

  mini_test_run_for (100);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, task), ==, 0);
}

static void
test_web_send_socket_message (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;

  connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "sendSocketMessage", 0, "{'data': 'x'}");
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, MINI_TEST_ANY_TASK,
                              "sendSocketMessage");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "throw");
  g_assert_cmpstr (mini_test_str_member (ret, "errMsg"), ==,
                   "TypeError: sendSocketMessage is not a function");
  g_assert_true (mini_test_has_quirk (fx->timeline, 0, "globals"));

  mini_test_run_for (100);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, MINI_TEST_ANY_TASK),
                    ==, 0);
}

static void
test_web_bad_scheme (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) ret = NULL;
  guint task = connect_socket (fx, "{'url': 'ftp://x'}");

  g_assert_cmpuint (task, ==, 0);
  ret = mini_test_find_event (fx->timeline, MINI_EVENT_RETURN, MINI_TEST_ANY_TASK, "connectSocket");
  g_assert_cmpstr (mini_test_str_member (ret, "value"), ==, "throw");
  g_assert_cmpstr (mini_test_str_member (ret, "errMsg"), ==,
                   "SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be "
                   "either 'http', 'https', 'ws', or 'wss'. 'ftp' is not allowed.");

  assert_usable (fx);
}

/* ---- environment -------------------------------------------------------------------------- */

static void
test_wx_network_off_while_open (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task = connect_open (fx, "{'url': '{playground}/echo'}");

  mini_test_call (fx->runtime, "network.off", 0, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return open error close");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "未完成的操作");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1006);

  mini_test_run_for (100);
  mini_test_assert_kinds (fx->timeline, task, "return open error close");
  mini_test_call (fx->runtime, "network.on", 0, NULL);
  assert_usable (fx);
}

static void
test_wx_network_off_while_connecting (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(JsonObject) error = NULL;
  guint task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");

  mini_test_run_for (50);
  mini_test_call (fx->runtime, "network.off", 0, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "未完成的操作");
  mini_test_run_for (400);
  mini_test_assert_kinds (fx->timeline, task, "return error close");

  mini_test_call (fx->runtime, "network.on", 0, NULL);
  assert_usable (fx);
}

static void
test_wx_network_off_connect (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) error = NULL;
  guint task;

  mini_test_call (fx->runtime, "network.off", 0, NULL);
  env = mini_test_find_event (fx->timeline, MINI_EVENT_ENV, MINI_TEST_ANY_TASK, NULL);
  g_assert_cmpstr (mini_test_str_member (env, "value"), ==, "network.off");

  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  wait_event (fx, MINI_EVENT_CLOSE, task);
  mini_test_assert_kinds (fx->timeline, task, "return success error close");
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, task, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, "未完成的操作");
  g_assert_cmpint (mini_test_position_of (fx->timeline, MINI_EVENT_WIRE, task, NULL, 0), <, 0);

  mini_test_call (fx->runtime, "network.on", 0, NULL);
  assert_usable (fx);
}


static void
test_wx_background (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) hide = NULL;
  g_autoptr(JsonObject) close = NULL;
  guint task;

  override_quirks (fx, "{'backgroundTimeoutMs': 100}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "SocketTask.onClose", task, NULL);

  mini_test_call (fx->runtime, "app.hide", 0, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, task);
  hide = mini_test_find_event (fx->timeline, MINI_EVENT_ENV, MINI_TEST_ANY_TASK, NULL);
  g_assert_cmpstr (mini_test_str_member (hide, "value"), ==, "app.hide");
  close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, task, NULL);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, "interrupted");
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, 1000);
  mini_test_assert_listeners (close, "SocketTask.onClose");
  g_assert_cmpfloat (time_of (close) - time_of (hide), >=, 100.0);
  g_assert_cmpfloat (time_of (close) - time_of (hide), <, 1000.0);
  g_assert_true (mini_test_has_quirk (fx->timeline, task, "backgroundTimeoutMs"));

  mini_test_run_for (100);
  mini_test_assert_kinds (fx->timeline, task, "return open call return close");
  mini_test_call (fx->runtime, "app.show", 0, NULL);
  assert_usable (fx);
}

static void
test_wx_background_shown_in_time (Fixture       *fx,
                                  gconstpointer  data)
{
  guint task;

  /* Back in the foreground well before the deadline: the socket survives it. */
  override_quirks (fx, "{'backgroundTimeoutMs': 300}");
  task = connect_open (fx, "{'url': '{playground}/echo'}");
  mini_test_call (fx->runtime, "app.hide", 0, NULL);
  mini_test_run_for (30);
  mini_test_call (fx->runtime, "app.show", 0, NULL);
  mini_test_run_for (400);
  mini_test_assert_kinds (fx->timeline, task, "return open");
  g_assert_false (mini_test_has_quirk (fx->timeline, task, "backgroundTimeoutMs"));
}

/* Rules toggled during a session apply from then on; the timeline marks where they changed and
 * the sockets already made live on. */
static void
test_wx_set_dialect_live (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) quirks = mini_test_parse_args ("{'maxConnections': 1, 'defaultCloseCode': 4000}");
  g_autoptr(MiniDialect) changed = NULL;
  g_autoptr(JsonObject) env = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(GError) local_error = NULL;
  guint first, second;

  first = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300'}");
  changed = mini_dialect_new_with_overrides (mini_runtime_get_dialect (fx->runtime), quirks,
                                             &local_error);
  g_assert_no_error (local_error);
  mini_runtime_set_dialect (fx->runtime, changed);
  g_assert_true (mini_runtime_get_dialect (fx->runtime) == changed);

  env = mini_test_find_event (fx->timeline, MINI_EVENT_ENV, 0, NULL);
  g_assert_cmpstr (mini_test_str_member (env, "value"), ==, "rules");
  g_assert_cmpstr (mini_test_str_member (env, "text"), ==,
                   "maxConnections: 5 → 1; defaultCloseCode: 1000 → 4000");

  /* The limit of one is in force: the first socket takes the slot. */
  second = connect_socket (fx, "{'url': '{playground}/echo'}");
  wait_event (fx, MINI_EVENT_ERROR, second);
  error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR, second, NULL);
  g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==,
                   "createSocketTask:fail wcwss taskID=2 exceed max concurrent count");

  /* The first opens as it would have, and closes with the new default code. */
  wait_event (fx, MINI_EVENT_OPEN, first);
  mini_test_call (fx->runtime, "SocketTask.close", first, NULL);
  wait_event (fx, MINI_EVENT_CLOSE, first);
  {
    g_autoptr(JsonObject) close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE, first, NULL);
    g_assert_cmpint (mini_test_int_member (close, "code"), ==, 4000);
  }

  /* Setting the same rules again is no change. */
  mini_runtime_set_dialect (fx->runtime, changed);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ENV, MINI_TEST_ANY_TASK), ==, 1);
}

/* The window's I/O thread yields to the window: under a flood on a machine with every core
 * busy, frames are drawn first. */
static void
test_io_thread_yields (void)
{
#ifdef __linux__
  g_autoptr(MiniIoThread) io = mini_io_thread_new ();
  int main_nice = mini_test_thread_nice (NULL);
  int io_nice = mini_test_thread_nice ("minisock-io");

  g_assert_cmpint (main_nice, !=, G_MININT);
  g_assert_cmpint (io_nice, !=, G_MININT);
  g_assert_cmpint (io_nice, >, main_nice);
#else
  g_test_skip ("thread priorities are read from Linux's /proc");
#endif
}

/* ---- the I/O thread's queue is bounded ---- */

#define FLOOD_POSTS 20000

typedef struct {
  MiniIoThread *io;
  guint         ran;        /* on the owner */
  gboolean      in_order;
  gint          posted;     /* atomic: how many the I/O thread has posted so far */
  gint          done;       /* atomic */
} Flood;

static Flood *current_flood;

static gboolean
run_posted (gpointer data)
{
  guint index = GPOINTER_TO_UINT (data);

  current_flood->in_order = current_flood->in_order && index == current_flood->ran;
  current_flood->ran++;
  return G_SOURCE_REMOVE;
}

static gboolean
post_flood (gpointer data)
{
  Flood *flood = data;

  for (guint i = 0; i < FLOOD_POSTS; i++)
    {
      mini_io_thread_post (flood->io, run_posted, GUINT_TO_POINTER (i), NULL);
      g_atomic_int_inc (&flood->posted);
    }
  g_atomic_int_set (&flood->done, TRUE);
  return G_SOURCE_REMOVE;
}

/* An owner that does not keep up stops the I/O thread after a bounded number of calls, and lets it
 * go on as it catches up: nothing is lost and the order holds. */
static void
test_io_thread_bounded (void)
{
  Flood flood = { .in_order = TRUE };
  gint64 deadline;
  gint posted;

  current_flood = &flood;
  flood.io = mini_io_thread_new ();
  mini_io_thread_invoke (flood.io, post_flood, &flood, NULL);

  /* The owner runs nothing: the I/O thread stops well short of the whole flood. */
  g_usleep (300 * 1000);
  posted = g_atomic_int_get (&flood.posted);
  g_test_message ("posted before the owner ran any: %d of %d", posted, FLOOD_POSTS);
  g_assert_cmpint (posted, >, 0);
  g_assert_cmpint (posted, <, FLOOD_POSTS / 2);
  g_assert_false (g_atomic_int_get (&flood.done));

  deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;
  while (!(g_atomic_int_get (&flood.done) && flood.ran == FLOOD_POSTS)
         && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (100);
  g_assert_cmpuint (flood.ran, ==, FLOOD_POSTS);
  g_assert_true (flood.in_order);
  g_assert_finalize_object (flood.io);
}

/* Dropping the I/O thread while it waits for the owner does not hang. */
static void
test_io_thread_bounded_dispose (void)
{
  Flood flood = { .in_order = TRUE };

  current_flood = &flood;
  flood.io = mini_io_thread_new ();
  mini_io_thread_invoke (flood.io, post_flood, &flood, NULL);
  while (g_atomic_int_get (&flood.posted) < FLOOD_POSTS / 4 - 1
         && !g_atomic_int_get (&flood.done))
    g_usleep (1000);
  g_usleep (50 * 1000);
  g_assert_false (g_atomic_int_get (&flood.done));

  g_assert_finalize_object (flood.io);
  g_assert_true (g_atomic_int_get (&flood.done));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, dialect, func) \
  g_test_add ("/runtime/" dialect "/" path, Fixture, dialect, fixture_setup, func, \
              fixture_teardown)

  ADD ("echo", "wx", test_wx_echo);
  ADD ("open-profile", "wx", test_wx_open_profile);
  ADD ("callbacks-only-when-passed", "wx", test_wx_callbacks_only_when_passed);
  ADD ("echo", "web", test_web_echo);
  g_test_add_func ("/runtime/io-thread/yields-to-window", test_io_thread_yields);
  g_test_add_func ("/runtime/io-thread/bounded", test_io_thread_bounded);
  g_test_add_func ("/runtime/io-thread/bounded-dispose", test_io_thread_bounded_dispose);

  ADD ("listeners/none", "wx", test_wx_listeners_none);
  ADD ("listeners/global-latest", "wx", test_wx_listeners_global_latest);
  ADD ("listeners/single-slot", "wx", test_wx_listeners_single_slot);
  ADD ("tomb/calls", "wx", test_wx_tomb_calls);
  ADD ("tomb/global", "wx", test_wx_tomb_global);
  ADD ("tomb/first", "uni-app", test_uni_app_tomb_first);
  ADD ("tomb/unreachable", "uni", test_uni_tomb_unreachable);
  ADD ("tomb/long-session", "wx", test_wx_tomb_long_session);

  ADD ("route/headers", "wx", test_wx_route_headers);
  ADD ("route/delay-open", "wx", test_wx_route_delay_open);
  ADD ("route/status", "wx", test_wx_route_status);
  ADD ("route/status", "web", test_web_route_status);
  ADD ("route/protocol-default", "wx", test_route_protocol_default);
  ADD ("route/protocol-default", "web", test_route_protocol_default);
  ADD ("route/protocol-none", "wx", test_wx_route_protocol_none);
  ADD ("route/protocol-none", "web", test_web_route_protocol_none);
  ADD ("route/close-after", "wx", test_wx_route_close_after);
  ADD ("route/close-after-then-send", "wx", test_route_close_after_then_send);
  ADD ("route/close-after-then-send", "web", test_route_close_after_then_send);
  ADD ("route/drop-after", "wx", test_wx_route_drop_after);
  ADD ("route/push", "wx", test_wx_route_push);
  ADD ("route/flood", "wx", test_wx_route_flood);
  ADD ("route/silent-timeout", "wx", test_wx_route_silent_timeout);
  ADD ("unreachable", "wx", test_wx_unreachable);

  ADD ("timeout-max", "wx", test_wx_timeout_max);
  ADD ("route/headers", "web", test_web_route_headers);

  ADD ("limit", "wx", test_wx_limit);
  ADD ("set-dialect-live", "wx", test_wx_set_dialect_live);
  ADD ("close-oldest", "wx", test_wx_close_oldest);
  ADD ("domain-check", "wx", test_wx_domain_check);
  ADD ("domain-check-release", "wx", test_wx_domain_check_release);
  ADD ("bad-url", "wx", test_wx_bad_url);
  ADD ("close-socket-while-connecting", "wx", test_wx_close_socket_while_connecting);
  ADD ("task-close-while-connecting", "wx", test_wx_task_close_while_connecting);
  ADD ("send-before-open", "wx", test_wx_send_before_open);
  ADD ("send-socket-message-no-socket", "wx", test_wx_send_socket_message_no_socket);
  ADD ("close-bad-code", "wx", test_wx_close_bad_code);
  ADD ("close-reason-length", "wx", test_wx_close_reason_length);
  ADD ("close-code-rule-none", "wx", test_wx_close_code_rule_none);
  ADD ("binary", "wx", test_wx_binary);
  ADD ("bad-base64", "wx", test_wx_bad_base64);

  ADD ("send-after-close", "wx", test_wx_send_after_close);
  ADD ("legacy-globals", "wx", test_wx_legacy_globals);

  ADD ("send-before-open", "web", test_web_send_before_open);
  ADD ("send-after-close", "web", test_web_send_after_close);
  ADD ("close-bad-args", "web", test_web_close_bad_args);
  ADD ("close-while-connecting", "web", test_web_close_while_connecting);
  ADD ("send-socket-message", "web", test_web_send_socket_message);
  ADD ("bad-scheme", "web", test_web_bad_scheme);

  ADD ("network-off-while-open", "wx", test_wx_network_off_while_open);
  ADD ("network-off-while-connecting", "wx", test_wx_network_off_while_connecting);
  ADD ("network-off-connect", "wx", test_wx_network_off_connect);
  ADD ("background", "wx", test_wx_background);
  ADD ("background-shown-in-time", "wx", test_wx_background_shown_in_time);

#undef ADD

  return g_test_run ();
}
