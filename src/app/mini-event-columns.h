/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The event table's columns, in the order they are drawn. */
typedef enum {
  MINI_EVENT_COLUMN_TIME,
  MINI_EVENT_COLUMN_DELTA,
  MINI_EVENT_COLUMN_STEP,
  MINI_EVENT_COLUMN_TASK,
  MINI_EVENT_COLUMN_KIND,
  MINI_EVENT_COLUMN_API,
  MINI_EVENT_COLUMN_SUMMARY,
  MINI_N_EVENT_COLUMNS
} MiniEventColumn;

/* Space on each side of a cell's text, in pixels. */
#define MINI_EVENT_COLUMN_PADDING 6
/* The last column keeps at least this much when the table is narrow. */
#define MINI_EVENT_COLUMN_MIN_LAST_WIDTH 48

/* The widths and the shown columns of the event table, shared by its titles and its rows. Every
 * column but the last has a width the user sets by dragging its title's edge; the last one takes
 * what is left. "changed" is emitted after any change. */
#define MINI_TYPE_EVENT_COLUMNS (mini_event_columns_get_type ())
G_DECLARE_FINAL_TYPE (MiniEventColumns, mini_event_columns, MINI, EVENT_COLUMNS, GObject)

MiniEventColumns *mini_event_columns_new         (void);
const char       *mini_event_columns_get_title   (MiniEventColumn   column);
int               mini_event_columns_get_width   (MiniEventColumns *self,
                                                  MiniEventColumn   column);
void              mini_event_columns_set_width   (MiniEventColumns *self,
                                                  MiniEventColumn   column,
                                                  int               width);
gboolean          mini_event_columns_get_visible (MiniEventColumns *self,
                                                  MiniEventColumn   column);
void              mini_event_columns_set_visible (MiniEventColumns *self,
                                                  MiniEventColumn   column,
                                                  gboolean          visible);
int               mini_event_columns_get_fixed_width (MiniEventColumns *self);
void              mini_event_columns_place       (MiniEventColumns *self,
                                                  int               total_width,
                                                  int              *x,
                                                  int              *width);

G_END_DECLS
