/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "mini-comparison.h"

/* The events of one timeline, written the way the runtime records them. */
typedef struct {
  MiniEventKind  kind;
  const char    *api;
  guint          task;
  const char    *err_msg;
  gint           code;        /* 0: none */
  const char    *extra;       /* a JSON object */
  const char    *listeners;   /* comma-separated; "" for nobody; NULL when absent */
  const char    *data;
} Ev;

#define CALL(api, task) { MINI_EVENT_CALL, api, task }
#define RETURN(api, task, value) \
  { MINI_EVENT_RETURN, api, task, NULL, 0, "{\"value\": \"" value "\"}" }
#define QUIRK(task, id) \
  { MINI_EVENT_QUIRK, NULL, task, NULL, 0, "{\"id\": \"" id "\", \"text\": \"…\"}" }
#define CALLBACK(kind, api, task, err_msg) { kind, api, task, err_msg }
#define OPEN(task, listeners) { MINI_EVENT_OPEN, NULL, task, NULL, 0, NULL, listeners }
#define CLOSE(task, code, reason) \
  { MINI_EVENT_CLOSE, NULL, task, NULL, code, "{\"reason\": \"" reason "\"}", \
    "SocketTask.onClose" }
#define MESSAGE(task, data) \
  { MINI_EVENT_MESSAGE, NULL, task, NULL, 0, NULL, "SocketTask.onMessage", data }
#define WIRE(task, kind) { MINI_EVENT_WIRE, NULL, task, NULL, 0, "{\"wire\": \"" kind "\"}" }
#define END() { MINI_EVENT_ENV, NULL, 0, NULL, 0, "{\"value\": \"end\"}" }

static MiniTimeline *
timeline_new_from (const Ev *events,
                   guint     n)
{
  MiniTimeline *timeline = mini_timeline_new ();

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) listeners = NULL;
      g_autoptr(JsonNode) extra = NULL;
      MiniEventSpec spec = {
        .kind = events[i].kind,
        .task = events[i].task,
        .api = events[i].api,
        .err_msg = events[i].err_msg,
        .code = events[i].code != 0 ? events[i].code : MINI_NO_CODE,
      };

      if (events[i].listeners != NULL)
        {
          listeners = *events[i].listeners != '\0' ? g_strsplit (events[i].listeners, ",", -1)
                                                   : g_new0 (char *, 1);
          spec.listeners = (const char * const *) listeners;
        }
      if (events[i].extra != NULL)
        {
          g_autoptr(GError) error = NULL;

          extra = json_from_string (events[i].extra, &error);
          g_assert_no_error (error);
          spec.extra = json_node_get_object (extra);
        }
      if (events[i].data != NULL)
        {
          spec.data = (const guint8 *) events[i].data;
          spec.data_len = strlen (events[i].data);
        }
      g_assert_cmpuint (mini_timeline_append (timeline, &spec), ==, i + 1);
    }

  return timeline;
}

static MiniComparison *
compare_two (const Ev *a,
             guint     n_a,
             const Ev *b,
             guint     n_b,
             MiniComparisonFlags flags)
{
  g_autoptr(MiniTimeline) ta = timeline_new_from (a, n_a);
  g_autoptr(MiniTimeline) tb = timeline_new_from (b, n_b);
  MiniTimeline *timelines[] = { ta, tb };
  const char *names[] = { "wx", "web" };

  return mini_comparison_new (timelines, names, 2, flags);
}

/* Every row as "cell | cell | diff", cells as their text or "-" for a gap: the whole alignment
 * in one string a failing test prints. */
static char *
dump (MiniComparison *comparison)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < mini_comparison_get_n_rows (comparison); r++)
    {
      g_autofree char *label = mini_comparison_dup_diff_label (comparison, r);

      for (guint c = 0; c < mini_comparison_get_n_columns (comparison); c++)
        {
          g_autofree char *text = mini_comparison_dup_cell_text (comparison, r, c);

          g_string_append_printf (out, "%s | ", text != NULL ? text : "-");
        }
      g_string_append_printf (out, "%s\n", label);
    }

  return g_string_free (out, FALSE);
}

static void
test_identical (void)
{
  static const Ev events[] = {
    CALL ("connectSocket", 0),
    RETURN ("connectSocket", 1, "SocketTask"),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    OPEN (1, "SocketTask.onOpen"),
    MESSAGE (1, "hello"),
    CLOSE (1, 1000, "bye"),
    END (),
  };
  g_autoptr(MiniComparison) comparison = compare_two (events, G_N_ELEMENTS (events), events,
                                                      G_N_ELEMENTS (events), 0);

  g_assert_cmpuint (mini_comparison_get_n_columns (comparison), ==, 2);
  g_assert_cmpstr (mini_comparison_get_name (comparison, 0), ==, "wx");
  g_assert_cmpstr (mini_comparison_get_name (comparison, 1), ==, "web");
  g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, G_N_ELEMENTS (events));
  g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==, 0);
  for (guint r = 0; r < G_N_ELEMENTS (events); r++)
    {
      g_assert_cmpuint (mini_comparison_get_position (comparison, r, 0), ==, r);
      g_assert_cmpuint (mini_comparison_get_position (comparison, r, 1), ==, r);
      g_assert_cmpint (mini_comparison_get_diff (comparison, r), ==, MINI_DIFF_NONE);
    }
}

static void
test_empty (void)
{
  static const Ev events[] = { END () };
  g_autoptr(MiniComparison) none = compare_two (NULL, 0, NULL, 0, 0);
  g_autoptr(MiniComparison) one_side = compare_two (events, 1, NULL, 0, 0);
  g_autofree char *text = NULL;

  g_assert_cmpuint (mini_comparison_get_n_rows (none), ==, 0);
  g_assert_cmpuint (mini_comparison_get_n_differing (none), ==, 0);

  text = dump (one_side);
  g_assert_cmpstr (text, ==, "env end | - | missing\n");
}

/* Close before open: what wx and the browser do with the same two close calls. */
static void
test_close_before_open (void)
{
  static const Ev wx[] = {
    CALL ("connectSocket", 0),
    QUIRK (1, "domainCheck"),
    RETURN ("connectSocket", 1, "SocketTask"),
    CALL ("closeSocket", 1),
    QUIRK (1, "globalCloseWhileConnecting"),
    RETURN ("closeSocket", 1, "undefined"),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, "closeSocket:fail WebSocket is not connected"),
    CLOSE (1, 1000, "normal closure"),
    END (),
  };
  static const Ev web[] = {
    CALL ("connectSocket", 0),
    RETURN ("connectSocket", 1, "WebSocket"),
    CALL ("closeSocket", 0),
    QUIRK (0, "globals"),
    { MINI_EVENT_RETURN, "closeSocket", 0, "TypeError: closeSocket is not a function", 0,
      "{\"value\": \"throw\"}" },
    { MINI_EVENT_ERROR, NULL, 1, NULL, 0, NULL, "" },
    CLOSE (1, 1006, ""),
    END (),
  };
  g_autoptr(MiniComparison) comparison = compare_two (wx, G_N_ELEMENTS (wx), web,
                                                      G_N_ELEMENTS (web), 0);
  g_autofree char *text = dump (comparison);

  g_assert_cmpstr (text, ==,
                   "call connectSocket | call connectSocket | \n"
                   "#1 quirk domainCheck | - | missing\n"
                   "#1 return connectSocket SocketTask | "
                   "#1 return connectSocket WebSocket | value\n"
                   "#1 call closeSocket | call closeSocket | task\n"
                   "#1 quirk globalCloseWhileConnecting | - | missing\n"
                   "- | quirk globals | missing\n"
                   "#1 return closeSocket undefined | return closeSocket throw \"TypeError: "
                   "closeSocket is not a function\" | task, errMsg, value\n"
                   "#1 success connectSocket \"connectSocket:ok\" | - | missing\n"
                   "#1 fail closeSocket \"closeSocket:fail WebSocket is not connected\" | - | "
                   "missing\n"
                   "- | #1 error → (no listener) | missing\n"
                   "#1 close 1000 \"normal closure\" → SocketTask.onClose | "
                   "#1 close 1006 \"\" → SocketTask.onClose | code, reason\n"
                   "env end | env end | \n");
  g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==, 10);
  g_assert_cmpint (mini_comparison_get_diff (comparison, 6), ==,
                   MINI_DIFF_TASK | MINI_DIFF_ERR_MSG | MINI_DIFF_VALUE);
}

/* Each field a user reads is compared on its own. */
static void
test_fields (void)
{
  static const struct {
    Ev       a;
    Ev       b;
    MiniDiff diff;
  } cases[] = {
    { CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, "x"),
      CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, "y"), MINI_DIFF_ERR_MSG },
    { CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, "x"),
      CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, NULL), MINI_DIFF_ERR_MSG },
    { CLOSE (1, 1000, "a"), CLOSE (1, 1001, "a"), MINI_DIFF_CODE },
    { CLOSE (1, 1000, "a"), CLOSE (1, 1000, "b"), MINI_DIFF_REASON },
    { RETURN ("connectSocket", 1, "SocketTask"), RETURN ("connectSocket", 1, "Promise"),
      MINI_DIFF_VALUE },
    { OPEN (1, "SocketTask.onOpen"), OPEN (1, ""), MINI_DIFF_LISTENERS },
    { OPEN (1, "SocketTask.onOpen"), OPEN (1, "SocketTask.onOpen,onSocketOpen"),
      MINI_DIFF_LISTENERS },
    { MESSAGE (1, "hello"), MESSAGE (1, "hellO"), MINI_DIFF_DATA },
    { MESSAGE (1, "hello"), MESSAGE (1, "hello!"), MINI_DIFF_DATA },
    { CALL ("closeSocket", 1), CALL ("closeSocket", 2), MINI_DIFF_TASK },
    { QUIRK (1, "closeReasons"), QUIRK (1, "closeReasons"), MINI_DIFF_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MiniComparison) comparison = compare_two (&cases[i].a, 1, &cases[i].b, 1, 0);
      g_autofree char *text = dump (comparison);

      g_test_message ("case %u: %s", i, text);
      g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, 1);
      g_assert_cmpint (mini_comparison_get_diff (comparison, 0), ==, cases[i].diff);
      g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==,
                        cases[i].diff != MINI_DIFF_NONE);
    }
}

/* Events that both sides have, in another order, are an order difference, not a missing one. */
static void
test_order (void)
{
  static const Ev a[] = {
    CALL ("connectSocket", 0),
    OPEN (1, "SocketTask.onOpen"),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    END (),
  };
  static const Ev b[] = {
    CALL ("connectSocket", 0),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    OPEN (1, "SocketTask.onOpen"),
    END (),
  };
  g_autoptr(MiniComparison) comparison = compare_two (a, G_N_ELEMENTS (a), b, G_N_ELEMENTS (b), 0);
  g_autofree char *text = dump (comparison);
  guint n_order = 0;

  g_test_message ("%s", text);
  g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, 5);
  for (guint r = 0; r < 5; r++)
    {
      MiniDiff diff = mini_comparison_get_diff (comparison, r);

      g_assert_false (diff & MINI_DIFF_MISSING);
      if (diff == MINI_DIFF_ORDER)
        n_order++;
      else
        g_assert_cmpint (diff, ==, MINI_DIFF_NONE);
    }
  g_assert_cmpuint (n_order, ==, 2);
  g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==, 2);
}

/* A second error on one side is missing there, even though both sides have errors. */
static void
test_count_missing (void)
{
  static const Ev a[] = {
    { MINI_EVENT_ERROR, NULL, 1, "e", 0, NULL, "" },
    { MINI_EVENT_ERROR, NULL, 1, "e", 0, NULL, "" },
  };
  g_autoptr(MiniComparison) comparison = compare_two (a, 2, a, 1, 0);
  g_autofree char *text = dump (comparison);

  g_assert_cmpstr (text, ==,
                   "#1 error \"e\" → (no listener) | #1 error \"e\" → (no listener) | \n"
                   "#1 error \"e\" → (no listener) | - | missing\n");
}

/* An event of the same task is the better partner; another task's is taken only when it must. */
static void
test_task_preference (void)
{
  static const Ev a[] = { OPEN (1, ""), OPEN (2, ""), OPEN (3, "") };
  static const Ev b[] = { OPEN (2, "") };
  static const Ev c[] = { OPEN (7, "") };
  g_autoptr(MiniComparison) same = compare_two (a, 3, b, 1, 0);
  g_autoptr(MiniComparison) other = compare_two (a, 1, c, 1, 0);

  g_assert_cmpuint (mini_comparison_get_n_rows (same), ==, 3);
  g_assert_cmpuint (mini_comparison_get_position (same, 0, 1), ==, MINI_COMPARISON_GAP);
  g_assert_cmpuint (mini_comparison_get_position (same, 1, 1), ==, 0);
  g_assert_cmpint (mini_comparison_get_diff (same, 1), ==, MINI_DIFF_NONE);
  g_assert_cmpuint (mini_comparison_get_position (same, 2, 1), ==, MINI_COMPARISON_GAP);

  g_assert_cmpuint (mini_comparison_get_n_rows (other), ==, 1);
  g_assert_cmpint (mini_comparison_get_diff (other, 0), ==, MINI_DIFF_TASK);
}

/* A quirk aligns with the same rule only, a call with the same API only. */
static void
test_signature (void)
{
  static const Ev a[] = { QUIRK (1, "closeReasons"), CALL ("closeSocket", 1) };
  static const Ev b[] = { QUIRK (1, "domainCheck"), CALL ("sendSocketMessage", 1) };
  g_autoptr(MiniComparison) comparison = compare_two (a, 2, b, 2, 0);

  g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, 4);
  g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==, 4);
  for (guint r = 0; r < 4; r++)
    g_assert_cmpint (mini_comparison_get_diff (comparison, r), ==, MINI_DIFF_MISSING);
}

static void
test_wire (void)
{
  static const Ev a[] = {
    WIRE (1, "handshake-request"), WIRE (1, "handshake-response"), OPEN (1, ""),
  };
  static const Ev b[] = { WIRE (1, "handshake-request"), OPEN (1, "") };
  g_autoptr(MiniComparison) platform = compare_two (a, 3, b, 2, MINI_COMPARISON_DEFAULT);
  g_autoptr(MiniComparison) wire = compare_two (a, 3, b, 2, MINI_COMPARISON_WIRE);
  g_autofree char *text = dump (wire);

  /* Without the flag the wire is left out, and the open rows agree. */
  g_assert_cmpuint (mini_comparison_get_n_rows (platform), ==, 1);
  g_assert_cmpuint (mini_comparison_get_position (platform, 0, 0), ==, 2);
  g_assert_cmpuint (mini_comparison_get_position (platform, 0, 1), ==, 1);
  g_assert_cmpuint (mini_comparison_get_n_differing (platform), ==, 0);

  g_assert_cmpstr (text, ==,
                   "#1 wire | #1 wire | \n"
                   "#1 wire | - | missing\n"
                   "#1 open → (no listener) | #1 open → (no listener) | \n");
}

/* Progressive alignment: the third column joins the rows of the first two. */
static void
test_three_columns (void)
{
  static const Ev wx[] = {
    CALL ("connectSocket", 0),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    OPEN (1, "SocketTask.onOpen"),
    END (),
  };
  static const Ev web[] = {
    CALL ("connectSocket", 0),
    OPEN (1, "SocketTask.onOpen"),
    END (),
  };
  static const Ev uni[] = {
    CALL ("connectSocket", 0),
    CALLBACK (MINI_EVENT_SUCCESS, "connectSocket", 1, "connectSocket:ok"),
    OPEN (1, "SocketTask.onOpen,SocketTask.onOpen"),
    CALLBACK (MINI_EVENT_FAIL, "SocketTask.send", 1, "sendSocketMessage:fail"),
    END (),
  };
  g_autoptr(MiniTimeline) t0 = timeline_new_from (wx, G_N_ELEMENTS (wx));
  g_autoptr(MiniTimeline) t1 = timeline_new_from (web, G_N_ELEMENTS (web));
  g_autoptr(MiniTimeline) t2 = timeline_new_from (uni, G_N_ELEMENTS (uni));
  MiniTimeline *timelines[] = { t0, t1, t2 };
  const char *names[] = { "wx", "web", "uni-h5" };
  g_autoptr(MiniComparison) comparison = mini_comparison_new (timelines, names, 3, 0);
  g_autofree char *text = dump (comparison);
  g_autoptr(JsonNode) row = NULL;
  g_autofree char *json = NULL;

  g_assert_cmpstr (text, ==,
                   "call connectSocket | call connectSocket | call connectSocket | \n"
                   "#1 success connectSocket \"connectSocket:ok\" | - | "
                   "#1 success connectSocket \"connectSocket:ok\" | missing\n"
                   "#1 open → SocketTask.onOpen | #1 open → SocketTask.onOpen | "
                   "#1 open → SocketTask.onOpen, SocketTask.onOpen | listeners\n"
                   "- | - | #1 fail SocketTask.send \"sendSocketMessage:fail\" | missing\n"
                   "env end | env end | env end | \n");

  /* The JSON row: cells named by column, gaps as null, the diff by stable id. */
  row = mini_comparison_row_to_json (comparison, 1);
  json_object_remove_member (json_object_get_object_member (json_node_get_object (row), "cells"),
                             "wx");
  json_object_remove_member (json_object_get_object_member (json_node_get_object (row), "cells"),
                             "uni-h5");
  json = json_to_string (row, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"row\":2,\"same\":false,\"diff\":[\"missing\"],\"cells\":{\"web\":null}}");
}

static void
test_row_json (void)
{
  static const Ev a[] = { CLOSE (1, 1000, "bye") };
  static const Ev b[] = { CLOSE (1, 1006, "") };
  g_autoptr(MiniComparison) comparison = compare_two (a, 1, b, 1, 0);
  g_autoptr(JsonNode) row = mini_comparison_row_to_json (comparison, 0);
  JsonObject *object = json_node_get_object (row);
  JsonObject *cells = json_object_get_object_member (object, "cells");
  JsonArray *diff = json_object_get_array_member (object, "diff");
  JsonObject *web = json_object_get_object_member (cells, "web");

  g_assert_cmpint (json_object_get_int_member (object, "row"), ==, 1);
  g_assert_false (json_object_get_boolean_member (object, "same"));
  g_assert_cmpuint (json_array_get_length (diff), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (diff, 0), ==, "code");
  g_assert_cmpstr (json_array_get_string_element (diff, 1), ==, "reason");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cells, "wx"),
                                               "code"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (web, "code"), ==, 1006);
  g_assert_cmpstr (json_object_get_string_member (web, "kind"), ==, "close");
  g_assert_cmpstr (json_object_get_string_member (web, "reason"), ==, "");
}

/* The JSON Lines row: the cells written as the timeline's own lines, "t" with three decimals, as
 * `minisock-cli compare --format jsonl` prints it. */
static void
test_row_jsonl (void)
{
  g_autoptr(MiniTimeline) wx = mini_timeline_new ();
  g_autoptr(MiniTimeline) web = mini_timeline_new ();
  MiniTimeline *timelines[] = { wx, web };
  const char *names[] = { "wx", "web" };
  g_autoptr(MiniComparison) comparison = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  MiniEventSpec spec = {
    .kind = MINI_EVENT_FAIL, .api = "closeSocket", .task = 1, .code = MINI_NO_CODE,
    .err_msg = "closeSocket:fail WebSocket is not connected",
  };

  spec.time_us = mini_timeline_get_origin (wx) + 1234;
  mini_timeline_append (wx, &spec);
  spec = (MiniEventSpec) { .kind = MINI_EVENT_CLOSE, .task = 1, .code = 1006 };
  spec.time_us = mini_timeline_get_origin (wx) + 98100;
  mini_timeline_append (wx, &spec);
  spec.time_us = mini_timeline_get_origin (web) + 1100;
  mini_timeline_append (web, &spec);

  comparison = mini_comparison_new (timelines, names, 2, 0);
  g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, 2);
  first = mini_comparison_row_to_jsonl (comparison, 0);
  second = mini_comparison_row_to_jsonl (comparison, 1);
  g_assert_cmpstr (first, ==,
                   "{\"row\":1,\"same\":false,\"diff\":[\"missing\"],\"cells\":{"
                   "\"wx\":{\"seq\":1,\"t\":1.234,\"task\":1,\"kind\":\"fail\","
                   "\"api\":\"closeSocket\","
                   "\"errMsg\":\"closeSocket:fail WebSocket is not connected\"},"
                   "\"web\":null}}");
  g_assert_cmpstr (second, ==,
                   "{\"row\":2,\"same\":true,\"diff\":[],\"cells\":{"
                   "\"wx\":{\"seq\":2,\"t\":98.100,\"task\":1,\"kind\":\"close\","
                   "\"code\":1006},"
                   "\"web\":{\"seq\":1,\"t\":1.100,\"task\":1,\"kind\":\"close\","
                   "\"code\":1006}}}");
}

static void
test_diff_names (void)
{
  static const char * const ids[] = {
    "missing", "order", "task", "errMsg", "code", "reason", "value", "listeners", "data",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (ids) == MINI_N_DIFFS);
  for (guint i = 0; i < MINI_N_DIFFS; i++)
    {
      g_assert_cmpstr (mini_diff_to_string (1 << i), ==, ids[i]);
      /* Untranslated (LC_ALL=C.UTF-8), the label is the id. */
      g_assert_cmpstr (mini_diff_get_label (1 << i), ==, ids[i]);
    }
}

/* Cells keep to one line and show a text payload's head. */
static void
test_cell_text (void)
{
  g_autofree char *long_text = g_strnfill (100, 'x');
  const Ev a[] = {
    { MINI_EVENT_FAIL, "closeSocket", 1, "line\nbreak" },
    MESSAGE (1, long_text),
    { MINI_EVENT_ERROR, NULL, 2, "未完成的操作", 0, NULL, "SocketTask.onError,onSocketError" },
  };
  g_autoptr(MiniComparison) comparison = compare_two (a, 3, NULL, 0, 0);
  g_autofree char *fail = mini_comparison_dup_cell_text (comparison, 0, 0);
  g_autofree char *message = mini_comparison_dup_cell_text (comparison, 1, 0);
  g_autofree char *error = mini_comparison_dup_cell_text (comparison, 2, 0);
  g_autofree char *expected = g_strdup_printf ("#1 message \"%.39s…\" → SocketTask.onMessage",
                                               long_text);

  g_assert_cmpstr (fail, ==, "#1 fail closeSocket \"line break\"");
  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpstr (error, ==, "#2 error \"未完成的操作\" → SocketTask.onError, onSocketError");
  g_assert_null (mini_comparison_dup_cell_text (comparison, 0, 1));
}

/* Long timelines go through the linear-space split; the result must still be an optimal
 * alignment: every event of one side that the other lacks is its own row, nothing else. */
static void
test_long (void)
{
  const guint n = 3000;
  g_autofree Ev *a = g_new0 (Ev, n);
  g_autoptr(GArray) b = g_array_new (FALSE, TRUE, sizeof (Ev));
  static const char * const apis[] = { "connectSocket", "closeSocket", "SocketTask.send" };
  g_autoptr(MiniComparison) comparison = NULL;
  guint dropped = 0;
  guint added = 0;
  gint64 start;

  for (guint i = 0; i < n; i++)
    {
      a[i] = (Ev) CALL (apis[(i * 7 + i / 5) % 3], 1 + i % 4);
      if (i % 301 == 17)
        {
          dropped++;
          continue;
        }
      g_array_append_val (b, a[i]);
      if (i % 487 == 3)
        {
          Ev extra = CALLBACK (MINI_EVENT_FAIL, "closeSocket", 1, "x");

          g_array_append_val (b, extra);
          added++;
        }
    }

  start = g_get_monotonic_time ();
  comparison = compare_two (a, n, (const Ev *) b->data, b->len, 0);
  g_test_message ("aligned %u against %u events in %.1f ms", n, b->len,
                  (g_get_monotonic_time () - start) / 1000.0);

  g_assert_cmpuint (mini_comparison_get_n_rows (comparison), ==, n + added);
  g_assert_cmpuint (mini_comparison_get_n_differing (comparison), ==, dropped + added);
  for (guint r = 0; r < mini_comparison_get_n_rows (comparison); r++)
    {
      MiniDiff diff = mini_comparison_get_diff (comparison, r);

      g_assert_true (diff == MINI_DIFF_NONE || diff == MINI_DIFF_MISSING);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/comparison/identical", test_identical);
  g_test_add_func ("/comparison/empty", test_empty);
  g_test_add_func ("/comparison/close-before-open", test_close_before_open);
  g_test_add_func ("/comparison/fields", test_fields);
  g_test_add_func ("/comparison/order", test_order);
  g_test_add_func ("/comparison/count-missing", test_count_missing);
  g_test_add_func ("/comparison/task-preference", test_task_preference);
  g_test_add_func ("/comparison/signature", test_signature);
  g_test_add_func ("/comparison/wire", test_wire);
  g_test_add_func ("/comparison/three-columns", test_three_columns);
  g_test_add_func ("/comparison/row-json", test_row_json);
  g_test_add_func ("/comparison/row-jsonl", test_row_jsonl);
  g_test_add_func ("/comparison/diff-names", test_diff_names);
  g_test_add_func ("/comparison/cell-text", test_cell_text);
  g_test_add_func ("/comparison/long", test_long);

  return g_test_run ();
}
