/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

/* A scenario ends by its own until.max; this only catches a run that never ends. */
#define DEADLINE_MS 60000

#include "mini-test-util.h"

/* Golden tests: every bundled scenario, run on its own dialect against the real playground, must
 * give the timeline in tests/golden/<name>.txt, one line per event. A line holds what a user
 * reads and what stays the same from run to run: no times, no ports, no header values.
 *
 * Wire events are left out. Their order against the events of other tasks follows the network:
 * three connections at once gave two different wire orders in 20 runs under load, while the
 * platform events of the echo scenario kept one order in 50. */

static char *scenarios_dir;
static char *golden_dir;
static gboolean update;

/* The playground's address changes with every run; the golden files name it {playground}. */
static char *
normalise (const char *text,
           const char *playground_url)
{
  g_autoptr(GString) out = g_string_new (text);

  if (playground_url != NULL)
    g_string_replace (out, playground_url, "{playground}", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_string_field (GString    *line,
                     const char *name,
                     const char *value,
                     const char *playground_url)
{
  g_autofree char *normal = normalise (value, playground_url);
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), normal);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append_printf (line, " %s=%s", name, quoted);
}

static void
append_extra_field (GString             *line,
                    const MiniEventView *view,
                    const char          *name,
                    const char          *playground_url)
{
  JsonNode *node;

  if (view->extra == NULL || (node = json_object_get_member (view->extra, name)) == NULL)
    return;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    append_string_field (line, name, json_node_get_string (node), playground_url);
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);
      g_autofree char *normal = normalise (text, playground_url);

      g_string_append_printf (line, " %s=%s", name, normal);
    }
}

/* One event as one stable line, or NULL for an event the golden files leave out. */
static char *
project_event (MiniTimeline *timeline,
               guint         position,
               const char   *playground_url)
{
  GString *line;
  MiniEventView view;

  g_assert_true (mini_timeline_get_event (timeline, position, &view));
  if (view.kind == MINI_EVENT_WIRE)
    return NULL;

  line = g_string_new (mini_event_kind_to_string (view.kind));
  if (view.api != NULL)
    g_string_append_printf (line, " %s", view.api);
  if (view.task != 0)
    g_string_append_printf (line, " task=%u", view.task);
  if (view.err_msg != NULL)
    append_string_field (line, "errMsg", view.err_msg, playground_url);
  if (view.code != MINI_NO_CODE)
    g_string_append_printf (line, " code=%d", view.code);
  append_extra_field (line, &view, "reason", playground_url);
  /* The return value, or the environment change. */
  append_extra_field (line, &view, "value", playground_url);
  if (view.kind == MINI_EVENT_QUIRK)
    append_extra_field (line, &view, "id", playground_url);
  append_extra_field (line, &view, "protocol", playground_url);

  if (view.listeners != NULL)
    {
      g_auto(GStrv) names = g_strsplit (view.listeners, "\n", -1);
      g_autofree char *joined = g_strjoinv (",", names);

      g_string_append_printf (line, " listeners=[%s]", view.listeners[0] != '\0' ? joined : "");
    }

  return g_string_free (line, FALSE);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (mini_scenario_run_finish (MINI_SCENARIO (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Runs @path on its own dialect and returns its projected lines. */
static GPtrArray *
run_scenario (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = mini_scenario_new_from_file (path, &error);
  g_autoptr(MiniPlayground) playground = NULL;
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *url = NULL;
  gboolean done = FALSE;

  g_assert_no_error (error);

  if (mini_scenario_uses_playground (scenario))
    {
      playground = mini_playground_new ();
      g_assert_true (mini_playground_start (playground, "127.0.0.1", 0, &error));
      g_assert_no_error (error);
      url = mini_playground_get_url (playground);
    }

  runtime = mini_scenario_create_runtime (scenario, NULL, timeline, url, &error);
  g_assert_no_error (error);
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, &done);
  WAIT_FOR (done);

  for (guint i = 0; i < mini_timeline_get_n_events (timeline); i++)
    {
      char *line = project_event (timeline, i, url);

      if (line != NULL)
        g_ptr_array_add (lines, line);
    }

  g_clear_object (&runtime);
  if (playground != NULL)
    mini_playground_stop (playground);

  return lines;
}

/* The lines of @a and @b that differ, each with its line number in its own file: a longest common
 * subsequence keeps an inserted line from making every later line look changed. On stderr, which
 * meson shows for a failed test; TAP comments only reach the log. */
static void
print_diff (GPtrArray *a,
            GPtrArray *b)
{
  guint n = a->len;
  guint m = b->len;
  g_autofree guint *t = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  guint i = 0;
  guint j = 0;

#define T(i, j) t[(gsize) (i) * (m + 1) + (j)]
  for (guint x = n; x-- > 0;)
    for (guint y = m; y-- > 0;)
      T (x, y) = g_str_equal (a->pdata[x], b->pdata[y]) ? T (x + 1, y + 1) + 1
                                                        : MAX (T (x + 1, y), T (x, y + 1));

  g_printerr ("- expected (golden file), + actual; numbers are line numbers in each:\n");
  while (i < n || j < m)
    {
      if (i < n && j < m && g_str_equal (a->pdata[i], b->pdata[j]))
        {
          i++;
          j++;
        }
      else if (j == m || (i < n && T (i + 1, j) >= T (i, j + 1)))
        {
          g_printerr ("-%4u  %s\n", i + 1, (char *) a->pdata[i]);
          i++;
        }
      else
        {
          g_printerr ("+%4u  %s\n", j + 1, (char *) b->pdata[j]);
          j++;
        }
    }
#undef T
}

static char *
golden_path_for (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.txt", name);

  return g_build_filename (golden_dir, file, NULL);
}

static void
test_golden (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = g_strdup_printf ("%s.json", name);
  g_autofree char *path = g_build_filename (scenarios_dir, file, NULL);
  g_autofree char *golden = golden_path_for (name);
  g_autoptr(GPtrArray) actual = run_scenario (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) expected_lines = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  gboolean same;

  if (update)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < actual->len; i++)
        g_string_append_printf (text, "%s\n", (char *) actual->pdata[i]);
      g_file_set_contents (golden, text->str, text->len, &error);
      g_assert_no_error (error);
      g_test_message ("wrote %s (%u lines); review it before committing", golden, actual->len);
      return;
    }

  if (!g_file_get_contents (golden, &contents, NULL, &error))
    {
      g_test_fail_printf ("scenario %s has no golden file %s (%s); run the test with "
                          "MINISOCK_UPDATE_GOLDEN=1 to write it, then review it",
                          path, golden, error->message);
      return;
    }

  expected_lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; expected_lines[i] != NULL; i++)
    {
      /* The file ends with a newline; nothing follows the last one. */
      if (expected_lines[i + 1] == NULL && *expected_lines[i] == '\0')
        break;
      g_ptr_array_add (expected, expected_lines[i]);
    }

  same = expected->len == actual->len;
  for (guint i = 0; same && i < actual->len; i++)
    same = g_str_equal (expected->pdata[i], actual->pdata[i]);

  if (!same)
    {
      g_printerr ("the timeline of %s differs from %s:\n", path, golden);
      print_diff (expected, actual);
      g_test_fail_printf ("%s: the timeline differs from its golden file %s (diff above); if "
                          "the change is intended, run with MINISOCK_UPDATE_GOLDEN=1 and review "
                          "the new file", name, golden);
    }
}

/* A golden file whose scenario was renamed or removed would never be checked again. */
static void
test_orphans (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (golden_dir, 0, &error);
  g_autoptr(GString) orphans = g_string_new (NULL);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *file = NULL;
      g_autofree char *scenario = NULL;

      if (!g_str_has_suffix (entry, ".txt"))
        continue;
      name = g_strndup (entry, strlen (entry) - strlen (".txt"));
      file = g_strdup_printf ("%s.json", name);
      scenario = g_build_filename (scenarios_dir, file, NULL);
      if (!g_file_test (scenario, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (orphans, " %s/%s", golden_dir, entry);
    }

  if (orphans->len > 0)
    g_test_fail_printf ("golden files without a scenario in %s:%s; remove them or restore "
                        "their scenarios", scenarios_dir, orphans->str);
}

/* The programs read scenarios from their resources; a file only in data/scenarios/ would be tested
 * here yet missing from the scenario library. */
static void
test_bundled (gconstpointer data)
{
  GPtrArray *names = (GPtrArray *) data;
  g_auto(GStrv) bundled = mini_scenario_list_bundled ();
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    if (!g_strv_contains ((const char * const *) bundled, names->pdata[i]))
      g_string_append_printf (missing, " %s.json", (char *) names->pdata[i]);

  if (missing->len > 0)
    g_test_fail_printf ("scenarios not listed in data/mini-data.gresource.xml:%s", missing->str);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  int status;

  g_test_init (&argc, &argv, NULL);

  {
    g_autofree char *scenarios = g_test_build_filename (G_TEST_DIST, "..", "data", "scenarios",
                                                        NULL);
    g_autofree char *golden = g_test_build_filename (G_TEST_DIST, "golden", NULL);

    /* Messages name the files as a person finds them in the source tree. */
    scenarios_dir = g_canonicalize_filename (scenarios, NULL);
    golden_dir = g_canonicalize_filename (golden, NULL);
  }
  update = g_strcmp0 (g_getenv ("MINISOCK_UPDATE_GOLDEN"), "1") == 0;

  /* Listed when the test starts, so a new scenario file needs no change here. */
  dir = g_dir_open (scenarios_dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".json"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - strlen (".json")));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/golden/%s", (char *) names->pdata[i]);

      g_test_add_data_func (test_path, names->pdata[i], test_golden);
    }
  /* Outside /golden/, so that no scenario's name can clash with it. */
  g_test_add_func ("/golden-files/no-orphans", test_orphans);
  g_test_add_data_func ("/golden-files/bundled", names, test_bundled);

  status = g_test_run ();

  g_free (scenarios_dir);
  g_free (golden_dir);

  return status;
}
