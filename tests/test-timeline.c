/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-timeline"

#include "config.h"

#include <string.h>

#include "mini-event.h"
#include "mini-timeline.h"

#define DEADLINE_US (5 * G_USEC_PER_SEC)

typedef struct {
  MiniTimeline *timeline;
  guint         n_changes;
  guint         last_position;
  guint         last_removed;
  guint         last_added;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->n_changes++;
  fixture->last_position = position;
  fixture->last_removed = removed;
  fixture->last_added = added;

  /* The model must already agree with the signal; the timeline only ever changes its tail. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, position + added);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->timeline = mini_timeline_new ();
  fixture->n_changes = 0;
  g_signal_connect (fixture->timeline, "items-changed", G_CALLBACK (on_items_changed), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->timeline);
  /* The pending flush must die with the timeline. */
  g_assert_false (g_main_context_pending (NULL));
}

static guint
append_simple (MiniTimeline  *timeline,
               MiniEventKind  kind,
               const char    *api,
               const char    *err_msg)
{
  MiniEventSpec spec = {
    .kind = kind,
    .task = 1,
    .api = api,
    .err_msg = err_msg,
    .code = MINI_NO_CODE,
  };

  return mini_timeline_append (timeline, &spec);
}

/* What a message summary ends with when SocketTask.onMessage received it ("→" is 3 bytes). */
#define LISTENER_SUFFIX "  → SocketTask.onMessage"

static guint
append_text (MiniTimeline *timeline,
             const char   *text)
{
  static const char * const listeners[] = { "SocketTask.onMessage", NULL };
  MiniEventSpec spec = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data = (const guint8 *) text,
    .data_len = strlen (text),
    .listeners = listeners,
  };

  return mini_timeline_append (timeline, &spec);
}

static guint
append_with_extra (MiniTimeline  *timeline,
                   MiniEventKind  kind,
                   const char    *api,
                   gint           code,
                   const char    *extra_json)
{
  g_autoptr(JsonNode) node = json_from_string (extra_json, NULL);
  MiniEventSpec spec = {
    .kind = kind,
    .task = 2,
    .api = api,
    .code = code,
  };

  g_assert_nonnull (node);
  spec.extra = json_node_get_object (node);

  return mini_timeline_append (timeline, &spec);
}

static char *
jsonl (MiniTimeline *timeline,
       guint         seq)
{
  return mini_timeline_event_to_jsonl (timeline, seq - 1);
}

static char *
summary (MiniTimeline *timeline,
         guint         seq)
{
  char *text = mini_timeline_event_summary (timeline, seq - 1);

  g_assert_nonnull (text);
  g_assert_null (strchr (text, '\n'));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  return text;
}

static void
iterate_until_changed (Fixture *fixture,
                       guint    n_changes)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  while (fixture->n_changes < n_changes && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (fixture->n_changes, ==, n_changes);
}

static void
test_append_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  static const guint8 payload[] = "hello";
  const char * const listeners[] = { "onMessage", "onMessage2", NULL };
  g_autoptr(JsonObject) extra = json_object_new ();
  MiniEventSpec spec = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 42,
    .api = "SocketTask.onMessage",
    .err_msg = "onMessage:ok",
    .code = 1000,
    .data = payload,
    .data_len = 5,
    .listeners = listeners,
    .extra = extra,
  };
  MiniEventView view;

  mini_timeline_set_origin (fixture->timeline, 1000000);
  g_assert_cmpint (mini_timeline_get_origin (fixture->timeline), ==, 1000000);
  spec.time_us = 1000000 + 2500;

  g_assert_cmpuint (mini_timeline_append (fixture->timeline, &spec), ==, 1);
  g_assert_cmpuint (mini_timeline_get_n_events (fixture->timeline), ==, 1);

  g_assert_true (mini_timeline_get_event (fixture->timeline, 0, &view));
  g_assert_cmpuint (view.seq, ==, 1);
  g_assert_cmpint (view.t_us, ==, 2500);
  g_assert_cmpint (view.kind, ==, MINI_EVENT_MESSAGE);
  g_assert_cmpuint (view.task, ==, 42);
  g_assert_cmpstr (view.api, ==, "SocketTask.onMessage");
  g_assert_true (view.api != spec.api);
  g_assert_cmpstr (view.err_msg, ==, "onMessage:ok");
  g_assert_cmpint (view.code, ==, 1000);
  g_assert_true (view.has_data);
  g_assert_false (view.binary);
  g_assert_cmpmem (view.data, view.data_len, "hello", 5);
  g_assert_true (view.data != payload);
  g_assert_cmpstr (view.listeners, ==, "onMessage\nonMessage2");
  g_assert_true (view.extra == extra);

  g_assert_false (mini_timeline_get_event (fixture->timeline, 1, &view));

  /* An event with nothing optional. */
  g_assert_cmpuint (append_simple (fixture->timeline, MINI_EVENT_ENV, NULL, NULL), ==, 2);
  g_assert_true (mini_timeline_get_event (fixture->timeline, 1, &view));
  g_assert_null (view.api);
  g_assert_null (view.err_msg);
  g_assert_null (view.data);
  g_assert_false (view.has_data);
  g_assert_null (view.listeners);
  g_assert_null (view.extra);
  g_assert_cmpint (view.code, ==, MINI_NO_CODE);
  /* time_us 0 means now: after the origin, not before. */
  g_assert_cmpint (view.t_us, >, 0);
}

/* A socket's I/O thread stamps what it saw; an event recorded since keeps the timeline in order. */
static void
test_append_in_order (Fixture       *fixture,
                      gconstpointer  data)
{
  MiniEventSpec spec = { .kind = MINI_EVENT_MESSAGE, .code = MINI_NO_CODE };
  MiniEventView view;

  mini_timeline_set_origin (fixture->timeline, 1000000);
  spec.time_us = 1000000 + 5000;
  mini_timeline_append (fixture->timeline, &spec);
  spec.time_us = 1000000 + 3000;
  mini_timeline_append (fixture->timeline, &spec);
  spec.time_us = 1000000 + 7000;
  mini_timeline_append (fixture->timeline, &spec);

  g_assert_true (mini_timeline_get_event (fixture->timeline, 1, &view));
  g_assert_cmpint (view.t_us, ==, 5000);
  g_assert_true (mini_timeline_get_event (fixture->timeline, 2, &view));
  g_assert_cmpint (view.t_us, ==, 7000);
}

static void
test_append_seq (Fixture       *fixture,
                 gconstpointer  data)
{
  MiniEventView view;
  guint n = 4096 * 2 + 10;

  mini_timeline_set_origin (fixture->timeline, 0);

  /* Crosses record blocks, where an indexing bug would show. */
  for (guint i = 0; i < n; i++)
    {
      MiniEventSpec spec = {
        .kind = i % MINI_N_EVENT_KINDS,
        .task = i,
        .code = (gint) i,
        .time_us = 1 + i,
      };

      g_assert_cmpuint (mini_timeline_append (fixture->timeline, &spec), ==, i + 1);
    }

  g_assert_cmpuint (mini_timeline_get_n_events (fixture->timeline), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (mini_timeline_get_event (fixture->timeline, i, &view));
      g_assert_cmpuint (view.seq, ==, i + 1);
      g_assert_cmpuint (view.task, ==, i);
      g_assert_cmpint (view.code, ==, (gint) i);
      g_assert_cmpint (view.t_us, ==, 1 + i);
      g_assert_cmpint (view.kind, ==, i % MINI_N_EVENT_KINDS);
    }
}

static void
test_json_fields (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *expected =
    "{\"seq\":1,\"t\":1234.567,\"task\":3,\"kind\":\"close\",\"api\":\"connectSocket\","
    "\"errMsg\":\"connectSocket:ok\",\"data\":\"hi\\n\\\"x\\\"\",\"bytes\":6,\"code\":1000,"
    "\"listeners\":[\"a\",\"b\"],\"reason\":\"bye\",\"value\":1.5}";
  static const char * const names[] = {
    "seq", "t", "task", "kind", "api", "errMsg", "data", "bytes", "code", "listeners",
    "reason", "value",
  };
  const char * const listeners[] = { "a", "b", NULL };
  g_autoptr(JsonNode) extra = json_from_string ("{\"reason\":\"bye\",\"value\":1.5}", NULL);
  MiniEventSpec spec = {
    .kind = MINI_EVENT_CLOSE,
    .task = 3,
    .api = "connectSocket",
    .err_msg = "connectSocket:ok",
    .code = 1000,
    .data = (const guint8 *) "hi\n\"x\"",
    .data_len = 6,
    .listeners = listeners,
    .extra = json_node_get_object (extra),
    .time_us = 10 + 1234567,
  };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *line = NULL;
  JsonObject *object;
  guint i = 0;

  mini_timeline_set_origin (fixture->timeline, 10);
  mini_timeline_append (fixture->timeline, &spec);

  line = jsonl (fixture->timeline, 1);
  g_assert_cmpstr (line, ==, expected);

  node = mini_timeline_event_to_json (fixture->timeline, 0);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (names));
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_cmpstr (l->data, ==, names[i++]);

  g_assert_cmpint (json_object_get_int_member (object, "seq"), ==, 1);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "t"), 1234.567, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, "hi\n\"x\"");

  /* The line and the node are the same object. */
  parsed = json_from_string (line, NULL);
  g_assert_nonnull (parsed);
  g_assert_true (json_node_equal (parsed, node));
}

static void
test_json_task_null (Fixture       *fixture,
                     gconstpointer  data)
{
  MiniEventSpec spec = { .kind = MINI_EVENT_ENV, .code = MINI_NO_CODE, .time_us = 100 };
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;

  mini_timeline_set_origin (fixture->timeline, 0);
  mini_timeline_append (fixture->timeline, &spec);

  /* 0.1 ms: json-glib alone would print 0.10000000000000001. */
  line = jsonl (fixture->timeline, 1);
  g_assert_cmpstr (line, ==, "{\"seq\":1,\"t\":0.100,\"task\":null,\"kind\":\"env\"}");

  node = mini_timeline_event_to_json (fixture->timeline, 0);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "task"));
  g_assert_true (json_object_has_member (json_node_get_object (node), "task"));
}

static void
test_json_binary (Fixture       *fixture,
                  gconstpointer  data)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0x02, 0xff };
  static const guint8 not_utf8[] = { 'a', 0xc3, 0x28 };
  MiniEventSpec binary = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data = bytes,
    .data_len = sizeof bytes,
    .binary = TRUE,
    .time_us = 1,
  };
  MiniEventSpec text = binary;
  MiniEventSpec size_only = binary;
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *data_object;

  text.binary = FALSE;
  text.data = not_utf8;
  text.data_len = sizeof not_utf8;
  size_only.data = NULL;
  size_only.data_len = 4096;
  size_only.data_is_size_only = TRUE;

  mini_timeline_set_origin (fixture->timeline, 0);
  mini_timeline_append (fixture->timeline, &binary);
  mini_timeline_append (fixture->timeline, &text);
  mini_timeline_append (fixture->timeline, &size_only);

  line1 = jsonl (fixture->timeline, 1);
  g_assert_cmpstr (line1, ==, "{\"seq\":1,\"t\":0.001,\"task\":1,\"kind\":\"message\","
                              "\"data\":{\"base64\":\"AAEC/w==\"},\"bytes\":4}");
  line2 = jsonl (fixture->timeline, 2);
  g_assert_cmpstr (line2, ==, "{\"seq\":2,\"t\":0.001,\"task\":1,\"kind\":\"message\","
                              "\"data\":{\"base64\":\"YcMo\"},\"bytes\":3}");
  line3 = jsonl (fixture->timeline, 3);
  g_assert_cmpstr (line3, ==, "{\"seq\":3,\"t\":0.001,\"task\":1,\"kind\":\"message\","
                              "\"bytes\":4096}");

  node = mini_timeline_event_to_json (fixture->timeline, 0);
  data_object = json_object_get_object_member (json_node_get_object (node), "data");
  g_assert_nonnull (data_object);
  g_assert_cmpstr (json_object_get_string_member (data_object, "base64"), ==, "AAEC/w==");

  g_assert_cmpuint (mini_timeline_get_payload_size (fixture->timeline), ==, 4 + 3);
}

static void
test_json_listeners (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const none[] = { NULL };
  const char * const one[] = { "SocketTask.onClose", NULL };
  MiniEventSpec spec = { .kind = MINI_EVENT_CLOSE, .task = 1, .code = 1000, .time_us = 1 };
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  mini_timeline_set_origin (fixture->timeline, 0);
  spec.listeners = none;
  mini_timeline_append (fixture->timeline, &spec);
  spec.listeners = one;
  mini_timeline_append (fixture->timeline, &spec);
  spec.listeners = NULL;
  mini_timeline_append (fixture->timeline, &spec);

  line1 = jsonl (fixture->timeline, 1);
  g_assert_nonnull (strstr (line1, ",\"listeners\":[]}"));
  line2 = jsonl (fixture->timeline, 2);
  g_assert_nonnull (strstr (line2, ",\"listeners\":[\"SocketTask.onClose\"]}"));
  line3 = jsonl (fixture->timeline, 3);
  g_assert_null (strstr (line3, "listeners"));

  node = mini_timeline_event_to_json (fixture->timeline, 0);
  array = json_object_get_array_member (json_node_get_object (node), "listeners");
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, 0);
}

static void
test_json_extra (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *line = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *object;

  mini_timeline_set_origin (fixture->timeline, g_get_monotonic_time ());
  append_with_extra (fixture->timeline, MINI_EVENT_CALL, "connectSocket", MINI_NO_CODE,
                     "{\"args\":{\"url\":\"ws://a\",\"n\":[1,2.5,true,null]},"
                     "\"seq\":99,\"value\":\"SocketTask\",\"x\":0.1}");

  line = jsonl (fixture->timeline, 1);
  /* The event's own fields win over extra; extra keeps its order after them. */
  g_assert_true (g_str_has_prefix (line, "{\"seq\":1,"));
  g_assert_true (g_str_has_suffix (line, ",\"kind\":\"call\",\"api\":\"connectSocket\","
                                   "\"args\":{\"url\":\"ws://a\",\"n\":[1,2.5,true,null]},"
                                   "\"value\":\"SocketTask\",\"x\":0.1}"));

  node = mini_timeline_event_to_json (fixture->timeline, 0);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "seq"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "value"), ==, "SocketTask");

  parsed = json_from_string (line, NULL);
  g_assert_true (json_node_equal (parsed, node));
}

/* A call's args are copied as text: the producer's object is not kept, changing it later does
 * not change the event, and the event reads the same object each time. */
static void
test_call_args_copied (Fixture       *fixture,
                       gconstpointer  data)
{
  JsonObject *extra = json_object_new ();
  JsonObject *args = json_object_new ();
  MiniEventSpec spec = { .kind = MINI_EVENT_CALL, .api = "SocketTask.send", .code = MINI_NO_CODE };
  MiniEventView first, again;
  g_autofree char *line = NULL;

  json_object_set_string_member (args, "data", "ping");
  json_object_set_object_member (extra, "args", args);
  spec.extra = extra;
  g_assert_cmpuint (mini_timeline_append (fixture->timeline, &spec), ==, 1);

  json_object_set_string_member (args, "data", "changed afterwards");
  json_object_unref (extra);

  g_assert_true (mini_timeline_get_event (fixture->timeline, 0, &first));
  g_assert_true (mini_timeline_get_event (fixture->timeline, 0, &again));
  g_assert_nonnull (first.extra);
  g_assert_true (first.extra == again.extra);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first.extra,
                                                                                 "args"),
                                                  "data"), ==, "ping");
  line = jsonl (fixture->timeline, 1);
  g_assert_true (g_str_has_suffix (line, "\"api\":\"SocketTask.send\",\"args\":{\"data\":\"ping\"}}"));
}

static void
test_jsonl_write (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *first = NULL;
  guint n = 3000;

  append_text (fixture->timeline, "line one\nline two\r\n");
  for (guint i = 1; i < n; i++)
    append_simple (fixture->timeline, MINI_EVENT_SUCCESS, "connectSocket", "connectSocket:ok");

  first = jsonl (fixture->timeline, 1);
  g_assert_null (strchr (first, '\n'));
  g_assert_nonnull (strstr (first, "\"data\":\"line one\\nline two\\r\\n\""));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = mini_timeline_event_to_jsonl (fixture->timeline, i);

      g_string_append (expected, line);
      g_string_append_c (expected, '\n');
    }

  g_assert_true (mini_timeline_write_jsonl (fixture->timeline, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (stream, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)),
                   expected->str, expected->len);
}

static void
test_summary_listeners (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const two[] = { "SocketTask.onClose", "onSocketClose", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(JsonObject) extra = json_object_new ();
  MiniEventSpec spec = { .kind = MINI_EVENT_CLOSE, .task = 1, .code = 1000, .extra = extra };
  g_autofree char *both = NULL;
  g_autofree char *nobody = NULL;
  guint seq;

  json_object_set_string_member (extra, "reason", "bye");
  spec.listeners = two;
  seq = mini_timeline_append (fixture->timeline, &spec);
  both = summary (fixture->timeline, seq);
  g_assert_cmpstr (both, ==, "1000 bye  → SocketTask.onClose, onSocketClose");

  spec.listeners = none;
  seq = mini_timeline_append (fixture->timeline, &spec);
  nobody = summary (fixture->timeline, seq);
  g_assert_cmpstr (nobody, ==, "1000 bye  → (no listener)");
}

static void
test_summary_kinds (Fixture       *fixture,
                    gconstpointer  data)
{
  static const guint8 binary[] = { 1, 2, 3 };
  MiniEventSpec spec = { .kind = MINI_EVENT_MESSAGE, .code = MINI_NO_CODE };
  MiniTimeline *t = fixture->timeline;
  struct {
    guint       seq;
    const char *expected;
  } cases[17];
  guint n = 0;

#define CASE(s, e) G_STMT_START { cases[n].seq = (s); cases[n].expected = (e); n++; } G_STMT_END

  CASE (append_with_extra (t, MINI_EVENT_CALL, "connectSocket", MINI_NO_CODE,
                           "{\"args\":{\"url\":\"ws://x\",\"success\":true}}"),
        "{\"url\":\"ws://x\",\"success\":true}");
  CASE (append_with_extra (t, MINI_EVENT_RETURN, "connectSocket", MINI_NO_CODE,
                           "{\"value\":\"SocketTask\"}"),
        "SocketTask");
  CASE (append_simple (t, MINI_EVENT_SUCCESS, "connectSocket", "connectSocket:ok"),
        "connectSocket:ok");
  CASE (append_simple (t, MINI_EVENT_FAIL, "connectSocket", "connectSocket:fail\nnot allowed"),
        "connectSocket:fail\\nnot allowed");
  CASE (append_simple (t, MINI_EVENT_COMPLETE, "connectSocket", NULL), "{}");
  CASE (append_simple (t, MINI_EVENT_ERROR, NULL, "network down"), "network down");
  CASE (append_with_extra (t, MINI_EVENT_FAIL, "connectSocket", MINI_NO_CODE,
                           "{\"error\":2,\"errorMessage\":\"connection exists\"}"),
        "connection exists");
  CASE (append_with_extra (t, MINI_EVENT_OPEN, NULL, MINI_NO_CODE,
                           "{\"header\":{\"X\":\"1\"},\"protocol\":\"chat\"}"),
        "protocol chat");
  CASE (append_simple (t, MINI_EVENT_OPEN, NULL, NULL), "");
  CASE (append_text (t, "hi\nthere"), "\"hi\\nthere\"  → SocketTask.onMessage");
  CASE (append_with_extra (t, MINI_EVENT_CLOSE, NULL, 1000, "{\"reason\":\"bye\"}"),
        "1000 bye");
  CASE (append_with_extra (t, MINI_EVENT_WIRE, NULL, MINI_NO_CODE,
                           "{\"text\":\"GET / HTTP/1.1\"}"),
        "GET / HTTP/1.1");
  CASE (append_with_extra (t, MINI_EVENT_QUIRK, NULL, MINI_NO_CODE,
                           "{\"id\":\"max-sockets\",\"text\":\"at most 5\"}"),
        "max-sockets: at most 5");
  CASE (append_with_extra (t, MINI_EVENT_ENV, NULL, MINI_NO_CODE, "{\"text\":\"app hidden\"}"),
        "app hidden");
  CASE (append_with_extra (t, MINI_EVENT_ENV, NULL, MINI_NO_CODE, "{\"value\":false}"),
        "false");

  spec.data = binary;
  spec.data_len = sizeof binary;
  spec.binary = TRUE;
  CASE (mini_timeline_append (t, &spec), "binary, 3 bytes");

  spec.kind = MINI_EVENT_WIRE;
  spec.data = NULL;
  spec.data_len = 17;
  spec.data_is_size_only = TRUE;
  CASE (mini_timeline_append (t, &spec), "17 bytes");

#undef CASE

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = summary (t, cases[i].seq);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_summary_truncation (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GString) long_args = g_string_new ("{\"args\":{\"url\":\"ws://");
  g_autofree char *message = NULL;
  g_autofree char *call = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *exact_summary = NULL;
  guint seq;

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_text, "é\n");
  for (guint i = 0; i < 300; i++)
    g_string_append_c (long_args, 'a' + i % 26);
  g_string_append (long_args, "\"}}");

  seq = append_text (fixture->timeline, long_text->str);
  message = summary (fixture->timeline, seq);
  g_assert_cmpuint (g_utf8_strlen (message, -1), ==, 80 + 2 + g_utf8_strlen (LISTENER_SUFFIX, -1));
  g_assert_true (g_str_has_prefix (message, "\"é\\né\\n"));
  g_assert_true (g_str_has_suffix (message, "…\"" LISTENER_SUFFIX));

  seq = append_with_extra (fixture->timeline, MINI_EVENT_CALL, "connectSocket", MINI_NO_CODE,
                           long_args->str);
  call = summary (fixture->timeline, seq);
  g_assert_cmpuint (g_utf8_strlen (call, -1), ==, 120);
  g_assert_true (g_str_has_prefix (call, "{\"url\":\"ws://abc"));
  g_assert_true (g_str_has_suffix (call, "…"));

  /* Exactly at the limit: nothing is cut. */
  exact = g_strnfill (80, 'x');
  seq = append_text (fixture->timeline, exact);
  exact_summary = summary (fixture->timeline, seq);
  g_assert_cmpuint (strlen (exact_summary), ==, 82 + strlen (LISTENER_SUFFIX));
  g_assert_null (strstr (exact_summary, "…"));
}

static void
test_model_batching (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->timeline);

  g_assert_true (g_list_model_get_item_type (model) == MINI_TYPE_EVENT);

  for (guint i = 0; i < 5; i++)
    append_simple (fixture->timeline, MINI_EVENT_SUCCESS, "sendSocketMessage", NULL);

  /* Stored, readable, but not announced until the main context runs. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (mini_timeline_get_n_events (fixture->timeline), ==, 5);
  g_assert_null (g_list_model_get_item (model, 0));
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  iterate_until_changed (fixture, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);

  /* Nothing left pending: a second iteration does not signal again. */
  g_assert_false (g_main_context_pending (NULL));

  for (guint i = 0; i < 3; i++)
    append_simple (fixture->timeline, MINI_EVENT_SUCCESS, "sendSocketMessage", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);

  mini_timeline_flush (fixture->timeline);
  g_assert_cmpuint (fixture->n_changes, ==, 2);
  g_assert_cmpuint (fixture->last_position, ==, 5);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 8);
  /* The flush took the pending source with it. */
  g_assert_false (g_main_context_pending (NULL));

  mini_timeline_flush (fixture->timeline);
  g_assert_cmpuint (fixture->n_changes, ==, 2);

  /* Left pending on purpose: teardown checks that dispose removes it. */
  append_simple (fixture->timeline, MINI_EVENT_SUCCESS, "sendSocketMessage", NULL);
  g_assert_true (g_main_context_pending (NULL));
}

static void
test_model_get_item (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->timeline);
  g_autoptr(MiniEvent) first = NULL;
  g_autoptr(MiniEvent) second = NULL;
  g_autoptr(MiniEvent) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *api = NULL;
  g_autofree char *item_summary = NULL;
  guint seq = 0;
  double delta = 0;
  MiniEventSpec spec = {
    .kind = MINI_EVENT_FAIL,
    .task = 9,
    .api = "connectSocket",
    .err_msg = "connectSocket:fail",
    .code = MINI_NO_CODE,
  };

  mini_timeline_set_origin (fixture->timeline, 1000);
  spec.time_us = 1000 + 1500;
  mini_timeline_append (fixture->timeline, &spec);
  spec.time_us = 1000 + 4000;
  spec.kind = MINI_EVENT_COMPLETE;
  mini_timeline_append (fixture->timeline, &spec);
  mini_timeline_flush (fixture->timeline);

  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  again = g_list_model_get_item (model, 1);
  g_assert_true (MINI_IS_EVENT (first));
  g_assert_true (second != again);
  g_assert_null (g_list_model_get_item (model, 2));

  g_assert_true (mini_event_get_timeline (second) == fixture->timeline);
  g_assert_cmpuint (mini_event_get_position (second), ==, 1);
  g_assert_cmpuint (mini_event_get_seq (first), ==, 1);
  g_assert_cmpuint (mini_event_get_seq (second), ==, 2);
  g_assert_cmpfloat_with_epsilon (mini_event_get_time_ms (second), 4.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (mini_event_get_delta_ms (first), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (mini_event_get_delta_ms (second), 2.5, 1e-9);
  g_assert_cmpint (mini_event_get_kind (second), ==, MINI_EVENT_COMPLETE);
  g_assert_cmpuint (mini_event_get_task (second), ==, 9);
  g_assert_cmpstr (mini_event_get_api (second), ==, "connectSocket");
  g_assert_cmpstr (mini_event_get_err_msg (second), ==, "connectSocket:fail");

  node = mini_event_to_json (second);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "seq"), ==, 2);

  g_object_get (second,
                "seq", &seq,
                "delta", &delta,
                "kind-name", &kind_name,
                "api", &api,
                "summary", &item_summary,
                NULL);
  g_assert_cmpuint (seq, ==, 2);
  g_assert_cmpfloat_with_epsilon (delta, 2.5, 1e-9);
  g_assert_cmpstr (kind_name, ==, "complete");
  g_assert_cmpstr (api, ==, "connectSocket");
  g_assert_cmpstr (item_summary, ==, "connectSocket:fail");
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->timeline);
  g_autoptr(MiniEvent) stale = NULL;
  gint64 before;
  MiniEventView view;

  for (guint i = 0; i < 10; i++)
    append_text (fixture->timeline, "payload");
  mini_timeline_flush (fixture->timeline);
  stale = g_list_model_get_item (model, 3);
  append_text (fixture->timeline, "not announced yet");
  g_assert_cmpuint (fixture->n_changes, ==, 1);

  mini_timeline_set_origin (fixture->timeline, 0);
  before = g_get_monotonic_time ();
  mini_timeline_clear (fixture->timeline);

  g_assert_cmpuint (fixture->n_changes, ==, 2);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 10);
  g_assert_cmpuint (fixture->last_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (mini_timeline_get_n_events (fixture->timeline), ==, 0);
  g_assert_cmpuint (mini_timeline_get_payload_size (fixture->timeline), ==, 0);
  g_assert_cmpint (mini_timeline_get_origin (fixture->timeline), >=, before);
  g_assert_false (mini_timeline_get_event (fixture->timeline, 0, &view));
  g_assert_false (g_main_context_pending (NULL));

  /* A handle that outlived its event answers nothing rather than crashing. */
  g_assert_null (mini_event_dup_summary (stale));
  g_assert_null (mini_event_to_json (stale));
  g_assert_null (mini_event_get_api (stale));

  g_assert_cmpuint (append_simple (fixture->timeline, MINI_EVENT_ENV, NULL, NULL), ==, 1);
  iterate_until_changed (fixture, 3);
  g_assert_cmpuint (fixture->last_added, ==, 1);
}

static void
test_interned_strings (Fixture       *fixture,
                       gconstpointer  data)
{
  char api[32];
  char *err_msg = g_strdup ("connectSocket:fail timeout");
  char *listener = g_strdup ("SocketTask.onError");
  const char *listeners[] = { listener, NULL };
  MiniEventSpec spec = {
    .kind = MINI_EVENT_FAIL,
    .task = 1,
    .api = api,
    .err_msg = err_msg,
    .code = MINI_NO_CODE,
    .listeners = listeners,
  };
  MiniEventView a;
  MiniEventView b;
  MiniEventView c;

  g_strlcpy (api, "connectSocket", sizeof api);
  mini_timeline_append (fixture->timeline, &spec);
  g_strlcpy (api, "closeSocket", sizeof api);
  mini_timeline_append (fixture->timeline, &spec);
  g_strlcpy (api, "connectSocket", sizeof api);
  mini_timeline_append (fixture->timeline, &spec);

  /* The producer's buffers are gone or reused; the stored copies are not. */
  memset (api, 'X', sizeof api - 1);
  g_free (err_msg);
  g_free (listener);

  g_assert_true (mini_timeline_get_event (fixture->timeline, 0, &a));
  g_assert_true (mini_timeline_get_event (fixture->timeline, 1, &b));
  g_assert_true (mini_timeline_get_event (fixture->timeline, 2, &c));
  g_assert_cmpstr (a.api, ==, "connectSocket");
  g_assert_cmpstr (b.api, ==, "closeSocket");
  g_assert_cmpstr (c.api, ==, "connectSocket");
  g_assert_true (a.api == c.api);
  g_assert_true (a.err_msg == b.err_msg);
  g_assert_cmpstr (a.err_msg, ==, "connectSocket:fail timeout");
  g_assert_cmpstr (c.listeners, ==, "SocketTask.onError");
  g_assert_true (a.listeners == c.listeners);
}

static void
test_large_payload (Fixture       *fixture,
                    gconstpointer  data)
{
  gsize large_len = 3 * 1024 * 1024 + 17;
  g_autofree guint8 *large = g_malloc (large_len);
  g_autofree char *line = NULL;
  g_autofree char *encoded = NULL;
  MiniEventSpec spec = {
    .kind = MINI_EVENT_MESSAGE,
    .task = 1,
    .code = MINI_NO_CODE,
    .data = large,
    .data_len = large_len,
    .binary = TRUE,
  };
  MiniEventView view;

  for (gsize i = 0; i < large_len; i++)
    large[i] = (guint8) (i * 7 + i / 251);

  /* Small ones around the large one must stay where they were put. */
  append_text (fixture->timeline, "before");
  mini_timeline_append (fixture->timeline, &spec);
  append_text (fixture->timeline, "after");

  g_assert_true (mini_timeline_get_event (fixture->timeline, 1, &view));
  g_assert_cmpuint (view.data_len, ==, large_len);
  g_assert_true (view.binary);
  g_assert_true (memcmp (view.data, large, large_len) == 0);

  g_assert_true (mini_timeline_get_event (fixture->timeline, 0, &view));
  g_assert_cmpmem (view.data, view.data_len, "before", 6);
  g_assert_true (mini_timeline_get_event (fixture->timeline, 2, &view));
  g_assert_cmpmem (view.data, view.data_len, "after", 5);

  g_assert_cmpuint (mini_timeline_get_payload_size (fixture->timeline), ==, large_len + 6 + 5);
  g_assert_cmpuint (mini_timeline_get_memory_size (fixture->timeline), >=, large_len + 11);

  encoded = g_base64_encode (large, large_len);
  line = jsonl (fixture->timeline, 2);
  g_assert_nonnull (strstr (line, encoded));
}

static void
test_memory_grows (Fixture       *fixture,
                   gconstpointer  data)
{
  gsize empty = mini_timeline_get_memory_size (fixture->timeline);
  gsize after;
  guint n = 20000;

  g_assert_cmpuint (empty, >, 0);

  for (guint i = 0; i < n; i++)
    append_text (fixture->timeline, "0123456789abcdef0123456789abcdef");

  after = mini_timeline_get_memory_size (fixture->timeline);
  g_assert_cmpuint (mini_timeline_get_payload_size (fixture->timeline), ==, n * 32);
  /* At least the records and payloads; far under the 150 bytes per event budget. */
  g_assert_cmpuint (after - empty, >=, n * (32 + 40));
  g_assert_cmpuint (after - mini_timeline_get_payload_size (fixture->timeline), <=,
                    (gsize) n * 150);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/timeline/append/fields", test_append_fields);
  ADD ("/timeline/append/seq", test_append_seq);
  ADD ("/timeline/append/in-order", test_append_in_order);
  ADD ("/timeline/json/fields", test_json_fields);
  ADD ("/timeline/json/task-null", test_json_task_null);
  ADD ("/timeline/json/binary", test_json_binary);
  ADD ("/timeline/json/listeners", test_json_listeners);
  ADD ("/timeline/json/extra", test_json_extra);
  ADD ("/timeline/json/call-args-copied", test_call_args_copied);
  ADD ("/timeline/jsonl/write", test_jsonl_write);
  ADD ("/timeline/summary/kinds", test_summary_kinds);
  ADD ("/timeline/summary/truncation", test_summary_truncation);
  ADD ("/timeline/summary/listeners", test_summary_listeners);
  ADD ("/timeline/model/batching", test_model_batching);
  ADD ("/timeline/model/get-item", test_model_get_item);
  ADD ("/timeline/clear", test_clear);
  ADD ("/timeline/strings/interned", test_interned_strings);
  ADD ("/timeline/payload/large", test_large_payload);
  ADD ("/timeline/memory/grows", test_memory_grows);

#undef ADD

  return g_test_run ();
}
