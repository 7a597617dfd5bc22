/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mini-test-util.h"

/* Sets the gboolean at @data: the deadline of a wait has passed. */
gboolean
mini_test_on_deadline (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop work for @ms, to show that something does NOT happen. */
void
mini_test_run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, mini_test_on_deadline, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

JsonObject *
mini_test_parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Arguments as written in tests: JSON with single quotes, which no argument needs as text. */
JsonObject *
mini_test_parse_args (const char *text)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "'", '"');

  return mini_test_parse_object (json);
}

/* Shows the timeline in the test log, for a failure. */
void
mini_test_dump_timeline (MiniTimeline *timeline)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n && i < 200; i++)
    {
      g_autofree char *line = mini_timeline_event_to_jsonl (timeline, i);

      g_test_message ("%s", line);
    }
}

static gboolean
view_matches (const MiniEventView *view,
              MiniEventKind        kind,
              guint                task,
              const char          *api)
{
  return view->kind == kind && (task == MINI_TEST_ANY_TASK || view->task == task)
         && (api == NULL || g_strcmp0 (view->api, api) == 0);
}

static const char *
extra_string (const MiniEventView *view,
              const char          *name)
{
  if (view->extra == NULL)
    return NULL;

  return json_object_get_string_member_with_default (view->extra, name, NULL);
}

guint
mini_test_count_events (MiniTimeline  *timeline,
                        MiniEventKind  kind,
                        guint          task)
{
  guint n = mini_timeline_get_n_events (timeline);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (timeline, i, &view));
      count += view_matches (&view, kind, task, NULL);
    }

  return count;
}

/* The position of the @nth (from 0) event of @kind for @task (and @api), or -1. */
gint
mini_test_position_of (MiniTimeline  *timeline,
                       MiniEventKind  kind,
                       guint          task,
                       const char    *api,
                       guint          nth)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (timeline, i, &view));
      if (view_matches (&view, kind, task, api) && nth-- == 0)
        return (gint) i;
    }

  return -1;
}

/* The event at @position as the JSON Lines contract shows it. */
JsonObject *
mini_test_event_at (MiniTimeline *timeline,
                    gint          position)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (position, >=, 0);
  node = mini_timeline_event_to_json (timeline, (guint) position);
  return json_object_ref (json_node_get_object (node));
}

/* The first event of @kind for @task (and @api); fails the test when there is none. */
JsonObject *
mini_test_find_event (MiniTimeline  *timeline,
                      MiniEventKind  kind,
                      guint          task,
                      const char    *api)
{
  return mini_test_nth_event (timeline, kind, task, api, 0);
}

/* The @nth (from 0) event of @kind for @task (and @api); fails the test when there is none. */
JsonObject *
mini_test_nth_event (MiniTimeline  *timeline,
                     MiniEventKind  kind,
                     guint          task,
                     const char    *api,
                     guint          nth)
{
  gint position = mini_test_position_of (timeline, kind, task, api, nth);

  if (position < 0)
    {
      g_test_message ("no event %u of kind %s for task %u (api %s)", nth,
                      mini_event_kind_to_string (kind), task, api != NULL ? api : "any");
      mini_test_dump_timeline (timeline);
    }
  return mini_test_event_at (timeline, position);
}

/* The position of the @nth (from 0) wire event of @task whose "wire" field is @name, or -1. */
gint
mini_test_wire_position (MiniTimeline *timeline,
                         guint         task,
                         const char   *name,
                         guint         nth)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (timeline, i, &view));
      if (view_matches (&view, MINI_EVENT_WIRE, task, NULL)
          && g_strcmp0 (extra_string (&view, "wire"), name) == 0 && nth-- == 0)
        return (gint) i;
    }

  return -1;
}

JsonObject *
mini_test_find_wire (MiniTimeline *timeline,
                     guint         task,
                     const char   *name)
{
  gint position = mini_test_wire_position (timeline, task, name, 0);

  if (position < 0)
    {
      g_test_message ("no %s wire event for task %u", name, task);
      mini_test_dump_timeline (timeline);
    }
  return mini_test_event_at (timeline, position);
}

/* Whether a quirk with this rule id was shown for @task. */
gboolean
mini_test_has_quirk (MiniTimeline *timeline,
                     guint         task,
                     const char   *id)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (timeline, i, &view));
      if (view_matches (&view, MINI_EVENT_QUIRK, task, NULL)
          && g_strcmp0 (extra_string (&view, "id"), id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The kinds of @task's events in order, without wire and quirk events: "return success open". */
char *
mini_test_task_kinds (MiniTimeline *timeline,
                      guint         task)
{
  GString *kinds = g_string_new (NULL);
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (timeline, i, &view));
      if (view.task != task || view.kind == MINI_EVENT_WIRE || view.kind == MINI_EVENT_QUIRK)
        continue;
      if (kinds->len > 0)
        g_string_append_c (kinds, ' ');
      g_string_append (kinds, mini_event_kind_to_string (view.kind));
    }

  return g_string_free (kinds, FALSE);
}

void
mini_test_assert_kinds (MiniTimeline *timeline,
                        guint         task,
                        const char   *expected)
{
  g_autofree char *kinds = mini_test_task_kinds (timeline, task);

  if (g_strcmp0 (kinds, expected) != 0)
    mini_test_dump_timeline (timeline);
  g_assert_cmpstr (kinds, ==, expected);
}

const char *
mini_test_str_member (JsonObject *object,
                      const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

gint64
mini_test_int_member (JsonObject *object,
                      const char *name)
{
  return json_object_get_int_member_with_default (object, name, -1);
}

/* The listeners field joined with ',', "" for an empty list, "(absent)" without the field. */
char *
mini_test_listeners_of (JsonObject *event)
{
  JsonArray *array;
  GString *joined;

  if (!json_object_has_member (event, "listeners"))
    return g_strdup ("(absent)");

  array = json_object_get_array_member (event, "listeners");
  joined = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, json_array_get_string_element (array, i));
    }

  return g_string_free (joined, FALSE);
}

/* A loopback port nothing listens on, for connections that must be refused. */
guint
mini_test_unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_true (g_socket_close (socket, &error));
  g_assert_no_error (error);

  return port;
}

/**
 * mini_test_thread_nice:
 * @name: a thread's name, or %NULL for the main thread
 *
 * Read off Linux's /proc, as `ps -L -o nice` would show it.
 *
 * Returns: the nice value of this process's first thread so named, or %G_MININT when there is
 *   none (or no /proc)
 */
int
mini_test_thread_nice (const char *name)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  if (tasks == NULL)
    return G_MININT;

  while ((tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *after_name;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL)
          || !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      if (name != NULL ? !g_str_equal (g_strstrip (comm), name) : atoi (tid) != getpid ())
        continue;

      /* After "pid (name) ", nice is the 17th field: state is the 1st. */
      after_name = strrchr (stat, ')');
      g_assert_nonnull (after_name);
      fields = g_strsplit (after_name + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      return atoi (fields[16]);
    }

  return G_MININT;
}

/* The listeners an event reached, as mini_test_listeners_of() writes them. */
void
mini_test_assert_listeners (JsonObject *event,
                            const char *expected)
{
  g_autofree char *listeners = mini_test_listeners_of (event);

  g_assert_cmpstr (listeners, ==, expected);
}

/* Calls @api as the mini program would, with @args_json written as for mini_test_parse_args()
 * (or NULL for none); the call must be accepted. */
void
mini_test_call (MiniRuntime *runtime,
                const char  *api,
                guint        task,
                const char  *args_json)
{
  g_autoptr(JsonObject) args = args_json != NULL ? mini_test_parse_args (args_json) : NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = mini_runtime_call (runtime, api, args, task, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* A runtime for a test; with MINI_TEST_IO_THREAD set, its sockets do their I/O on a thread of
 * their own, as the window's do, so the same tests check that path. */
MiniRuntime *
mini_test_runtime_new (MiniDialect  *dialect,
                       MiniTimeline *timeline)
{
  MiniRuntime *runtime = mini_runtime_new (dialect, timeline);

  if (g_getenv ("MINI_TEST_IO_THREAD") != NULL)
    mini_runtime_use_io_thread (runtime);

  return runtime;
}
