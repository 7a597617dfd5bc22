/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-event-columns.h"

G_BEGIN_DECLS

/* The event table's column titles. Dragging the edge between two titles resizes the column on
 * its left. */
#define MINI_TYPE_COLUMN_TITLES (mini_column_titles_get_type ())
G_DECLARE_FINAL_TYPE (MiniColumnTitles, mini_column_titles, MINI, COLUMN_TITLES, GtkWidget)

GtkWidget *mini_column_titles_new        (MiniEventColumns *columns);
GtkWidget *mini_column_titles_get_title  (MiniColumnTitles *self,
                                          MiniEventColumn   column);
int        mini_column_titles_find_edge  (MiniColumnTitles *self,
                                          double            x);
void       mini_column_titles_resize     (MiniColumnTitles *self,
                                          MiniEventColumn   column,
                                          int               width);

G_END_DECLS
