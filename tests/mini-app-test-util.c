/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers the window's tests share. */
#include "mini-app-test-util.h"

/* The first event row under @root whose kind column shows @kind, or NULL. */
MiniEventRow *
mini_test_find_event_row (GtkWidget  *root,
                          const char *kind)
{
  if (MINI_IS_EVENT_ROW (root))
    return g_strcmp0 (mini_event_row_get_text (MINI_EVENT_ROW (root), MINI_EVENT_COLUMN_KIND),
                      kind) == 0 ? MINI_EVENT_ROW (root) : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MiniEventRow *found = mini_test_find_event_row (child, kind);

      if (found != NULL)
        return found;
    }
  return NULL;
}
