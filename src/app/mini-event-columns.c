/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-event-columns.h"

/* Narrower than this, a column could no longer be grabbed by its edge. */
#define MIN_WIDTH 24

struct _MiniEventColumns
{
  GObject  parent_instance;

  int      widths[MINI_N_EVENT_COLUMNS];
  gboolean visible[MINI_N_EVENT_COLUMNS];
};

G_DEFINE_FINAL_TYPE (MiniEventColumns, mini_event_columns, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const int default_widths[MINI_N_EVENT_COLUMNS] = {
  [MINI_EVENT_COLUMN_TIME] = 82,
  [MINI_EVENT_COLUMN_DELTA] = 74,
  [MINI_EVENT_COLUMN_STEP] = 48,
  [MINI_EVENT_COLUMN_TASK] = 48,
  [MINI_EVENT_COLUMN_KIND] = 88,
  [MINI_EVENT_COLUMN_API] = 140,
  [MINI_EVENT_COLUMN_SUMMARY] = 0,
};

static void
mini_event_columns_class_init (MiniEventColumnsClass *klass)
{
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mini_event_columns_init (MiniEventColumns *self)
{
  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      self->widths[i] = default_widths[i];
      /* The step column is for a scenario's timeline (mini_event_list_set_show_steps()). */
      self->visible[i] = i != MINI_EVENT_COLUMN_STEP;
    }
}

MiniEventColumns *
mini_event_columns_new (void)
{
  return g_object_new (MINI_TYPE_EVENT_COLUMNS, NULL);
}

const char *
mini_event_columns_get_title (MiniEventColumn column)
{
  switch (column)
    {
    case MINI_EVENT_COLUMN_TIME:
      /* Translators: column title: time since the session started, in milliseconds */
      return _("t (ms)");

    case MINI_EVENT_COLUMN_DELTA:
      /* Translators: column title: time since the previous event, in milliseconds */
      return _("Δ (ms)");

    case MINI_EVENT_COLUMN_STEP:
      /* Translators: column title: the scenario step that caused the event */
      return _("Step");

    case MINI_EVENT_COLUMN_TASK:
      /* Translators: column title: the socketTaskId */
      return _("Task");

    case MINI_EVENT_COLUMN_KIND:
      /* Translators: column title: the event kind (call, open, message…) */
      return _("Kind");

    case MINI_EVENT_COLUMN_API:
      /* Translators: column title: the API name */
      return _("API");

    case MINI_EVENT_COLUMN_SUMMARY:
      /* Translators: column title: one line about the event */
      return _("Summary");

    case MINI_N_EVENT_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

int
mini_event_columns_get_width (MiniEventColumns *self,
                              MiniEventColumn   column)
{
  g_return_val_if_fail (MINI_IS_EVENT_COLUMNS (self), 0);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, 0);

  return self->widths[column];
}

/**
 * mini_event_columns_set_width:
 *
 * Sets the width of a column other than the last, at least MIN_WIDTH pixels.
 */
void
mini_event_columns_set_width (MiniEventColumns *self,
                              MiniEventColumn   column,
                              int               width)
{
  g_return_if_fail (MINI_IS_EVENT_COLUMNS (self));
  g_return_if_fail (column < MINI_EVENT_COLUMN_SUMMARY);

  width = MAX (width, MIN_WIDTH);
  if (self->widths[column] == width)
    return;
  self->widths[column] = width;
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
mini_event_columns_get_visible (MiniEventColumns *self,
                                MiniEventColumn   column)
{
  g_return_val_if_fail (MINI_IS_EVENT_COLUMNS (self), FALSE);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, FALSE);

  return self->visible[column];
}

void
mini_event_columns_set_visible (MiniEventColumns *self,
                                MiniEventColumn   column,
                                gboolean          visible)
{
  g_return_if_fail (MINI_IS_EVENT_COLUMNS (self));
  g_return_if_fail (column < MINI_EVENT_COLUMN_SUMMARY);

  visible = !!visible;
  if (self->visible[column] == visible)
    return;
  self->visible[column] = visible;
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The width of the shown columns before the last. */
int
mini_event_columns_get_fixed_width (MiniEventColumns *self)
{
  int sum = 0;

  g_return_val_if_fail (MINI_IS_EVENT_COLUMNS (self), 0);

  for (guint i = 0; i < MINI_EVENT_COLUMN_SUMMARY; i++)
    sum += self->visible[i] ? self->widths[i] : 0;

  return sum;
}

/**
 * mini_event_columns_place:
 * @x: (out caller-allocates) (array fixed-size=MINI_N_EVENT_COLUMNS): each column's left edge
 * @width: (out caller-allocates) (array fixed-size=MINI_N_EVENT_COLUMNS): each column's width,
 *   0 for a hidden one
 *
 * Places the columns in a table @total_width pixels wide: the last one takes the rest, and keeps
 * MINI_EVENT_COLUMN_MIN_LAST_WIDTH when there is no rest (the table is then cut on the right).
 */
void
mini_event_columns_place (MiniEventColumns *self,
                          int               total_width,
                          int              *x,
                          int              *width)
{
  int left = 0;

  g_return_if_fail (MINI_IS_EVENT_COLUMNS (self));

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      x[i] = left;
      if (!self->visible[i])
        width[i] = 0;
      else if (i == MINI_EVENT_COLUMN_SUMMARY)
        width[i] = MAX (total_width - left, MINI_EVENT_COLUMN_MIN_LAST_WIDTH);
      else
        width[i] = self->widths[i];
      left += width[i];
    }
}
