/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a screen reader gets: every button that shows only an icon has a name (the test walks the
 * whole window, both sidebar tabs, a header row and an inspected event, and names each button
 * that lacks one), every command with a key is listed, and an event row reads as a line. */
#include "config.h"

#include <gtk/gtk.h>

#include "mini-app-test-util.h"
#include "mini-test-util.h"
#include "mini-window.h"

static MiniApplication *app;

/* A button whose only content is an icon, as a sighted user tells it apart. */
static gboolean
is_icon_only (GtkWidget *widget)
{
  GtkWidget *child;

  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL
           && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) == NULL;

  if (!GTK_IS_BUTTON (widget))
    return FALSE;

  /* A menu button's inner button carries no role of its own; the menu button is checked. */
  if (GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    return FALSE;

  if (gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  child = gtk_button_get_child (GTK_BUTTON (widget));

  return GTK_IS_IMAGE (child);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *unnamed,
                 guint     *checked)
{
  /* The title bar's own buttons are GTK's. */
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;

  if (is_icon_only (widget))
    {
      GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

      (*checked)++;
      if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL)
          && !gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        {
          GtkWidget *named = widget;

          while (named != NULL && gtk_widget_get_name (named)[0] == 'G')
            named = gtk_widget_get_parent (named);
          g_string_append_printf (unnamed, "\n  %s (icon %s, tooltip “%s”) in %s",
                                  G_OBJECT_TYPE_NAME (widget),
                                  GTK_IS_MENU_BUTTON (widget)
                                    ? gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget))
                                    : gtk_button_get_icon_name (GTK_BUTTON (widget)),
                                  gtk_widget_get_tooltip_text (widget),
                                  named != NULL ? gtk_widget_get_name (named) : "?");
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed, checked);
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_icon_buttons_named (void)
{
  MiniWindow *window = mini_window_new (app);
  MiniTimeline *timeline = mini_session_get_timeline (mini_window_get_session (window));
  g_autoptr(GString) unnamed = g_string_new (NULL);
  GtkWidget *add_header;
  guint checked = 0;
  gint quirk;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  /* A header row, and an inspected quirk event with its rule card. */
  add_header = find_button_with_label (GTK_WIDGET (window), "Add Header");
  g_assert_nonnull (add_header);
  g_signal_emit_by_name (add_header, "clicked");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL));
  WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_QUIRK, 1) > 0);
  quirk = mini_test_position_of (timeline, MINI_EVENT_QUIRK, 1, NULL, 0);
  g_assert_cmpint (quirk, >=, 0);
  WAIT_FOR (mini_event_list_select_seq (mini_window_get_event_list (window), (guint) quirk + 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-quirks", NULL));

  collect_unnamed (GTK_WIDGET (window), unnamed, &checked);
  g_test_message ("%u icon-only buttons checked", checked);
  g_assert_cmpuint (checked, >=, 6);
  if (unnamed->len > 0)
    g_error ("Icon-only buttons without an accessible name:%s", unnamed->str);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_shortcuts (GtkWidget  *widget,
                   GHashTable *actions,
                   GHashTable *accelerators)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "action-name", &action, "accelerator", &accelerator, NULL);
      if (action != NULL)
        g_hash_table_add (actions, g_steal_pointer (&action));
      if (accelerator != NULL)
        g_hash_table_add (accelerators, g_steal_pointer (&accelerator));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, actions, accelerators);
}

/* Every command with a key is in the shortcuts window (Ctrl+?), so nobody has to find a key by
 * reading tooltips; and F10 opens the main menu, from which the rest is reachable. */
static void
test_shortcuts_listed (void)
{
  MiniWindow *window = mini_window_new (app);
  g_autoptr(GHashTable) actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) accelerators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                NULL);
  g_auto(GStrv) described = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_autoptr(GString) missing = g_string_new (NULL);
  GtkShortcutsWindow *overlay;
  guint n_keyed = 0;

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), actions, accelerators);

  for (guint i = 0; described[i] != NULL; i++)
    {
      g_auto(GStrv) keys = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  described[i]);

      if (keys[0] == NULL)
        continue;
      n_keyed++;
      if (!g_hash_table_contains (actions, described[i]))
        g_string_append_printf (missing, " %s (%s)", described[i], keys[0]);
    }
  g_test_message ("%u actions with keys, %u listed", n_keyed, g_hash_table_size (actions));
  g_assert_cmpuint (n_keyed, >=, 17);
  if (missing->len > 0)
    g_error ("Actions with keys missing from the shortcuts window:%s", missing->str);
  g_assert_true (g_hash_table_contains (accelerators, "F10"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row of the event table is drawn by one widget, not a label per cell: a screen reader gets
 * its shown cells as one line, "time, Δ, task, kind, API, summary". */
static void
test_event_rows_read (void)
{
  MiniWindow *window = mini_window_new (app);
  MiniEventList *events = mini_window_get_event_list (window);
  MiniEventRow *row = NULL;
  g_autofree char *line = NULL;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL));
  WAIT_FOR ((row = mini_test_find_event_row (mini_event_list_get_list_view (events),
                                              "success")) != NULL);

  line = g_strjoin (", ",
                    mini_event_row_get_text (row, MINI_EVENT_COLUMN_TIME),
                    mini_event_row_get_text (row, MINI_EVENT_COLUMN_DELTA),
                    mini_event_row_get_text (row, MINI_EVENT_COLUMN_TASK),
                    "success", "connectSocket", "connectSocket:ok", NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, line);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
run_tests (GApplication *application,
           int          *status)
{
  g_signal_stop_emission_by_name (application, "activate");
  *status = g_test_run ();
}

int
main (int   argc,
      char *argv[])
{
  char *app_argv[] = { argv[0], NULL };
  int status = 1;

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/a11y/icon-buttons-named", test_icon_buttons_named);
  g_test_add_func ("/a11y/shortcuts-listed", test_shortcuts_listed);
  g_test_add_func ("/a11y/event-rows-read", test_event_rows_read);

  app = mini_application_new ();
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, app_argv), ==, 0);
  g_clear_object (&app);

  return status;
}
