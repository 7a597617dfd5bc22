/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-column-titles.h"

/* How far from a column's edge the pointer grabs it, in pixels. */
#define EDGE_REACH 4
#define SEPARATOR_ALPHA 0.15

struct _MiniColumnTitles
{
  GtkWidget         parent_instance;

  MiniEventColumns *columns;
  GtkWidget        *titles[MINI_N_EVENT_COLUMNS];
  int               resizing;        /* the column being resized, or -1 */
  int               start_width;
};

G_DEFINE_FINAL_TYPE (MiniColumnTitles, mini_column_titles, GTK_TYPE_WIDGET)

static void
mini_column_titles_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  MiniColumnTitles *self = MINI_COLUMN_TITLES (widget);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = mini_event_columns_get_fixed_width (self->columns);
      return;
    }

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      int min, nat;

      gtk_widget_measure (self->titles[i], orientation, -1, &min, &nat, NULL, NULL);
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, nat);
    }
}

static void
mini_column_titles_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  MiniColumnTitles *self = MINI_COLUMN_TITLES (widget);
  int x[MINI_N_EVENT_COLUMNS];
  int widths[MINI_N_EVENT_COLUMNS];

  mini_event_columns_place (self->columns, width, x, widths);
  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      int inner = widths[i] - 2 * MINI_EVENT_COLUMN_PADDING;
      int min;

      gtk_widget_set_child_visible (self->titles[i], inner > 0);
      if (inner <= 0)
        continue;
      /* A title is cut short (ellipsized) when its column is narrower than its natural width. */
      gtk_widget_measure (self->titles[i], GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_size_allocate (self->titles[i],
                                &(GtkAllocation) { x[i] + MINI_EVENT_COLUMN_PADDING, 0,
                                                   MAX (inner, min), height },
                                -1);
    }
}

static void
mini_column_titles_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  MiniColumnTitles *self = MINI_COLUMN_TITLES (widget);
  int height = gtk_widget_get_height (widget);
  int x[MINI_N_EVENT_COLUMNS];
  int widths[MINI_N_EVENT_COLUMNS];
  GdkRGBA line;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &line);
  line.alpha *= SEPARATOR_ALPHA;
  mini_event_columns_place (self->columns, gtk_widget_get_width (widget), x, widths);

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      if (widths[i] == 0)
        continue;
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x[i], 0, widths[i] - 1, height));
      gtk_widget_snapshot_child (widget, self->titles[i], snapshot);
      gtk_snapshot_pop (snapshot);
      if (i != MINI_EVENT_COLUMN_SUMMARY)
        gtk_snapshot_append_color (snapshot, &line,
                                   &GRAPHENE_RECT_INIT (x[i] + widths[i] - 1, 0, 1, height));
    }
}

/**
 * mini_column_titles_find_edge:
 *
 * Returns: the column whose right edge is within reach of @x, or -1. The last column has no
 * edge to drag: it takes what the others leave.
 */
int
mini_column_titles_find_edge (MiniColumnTitles *self,
                              double            px)
{
  int x[MINI_N_EVENT_COLUMNS];
  int widths[MINI_N_EVENT_COLUMNS];

  g_return_val_if_fail (MINI_IS_COLUMN_TITLES (self), -1);

  mini_event_columns_place (self->columns, gtk_widget_get_width (GTK_WIDGET (self)), x, widths);
  for (int i = MINI_EVENT_COLUMN_SUMMARY - 1; i >= 0; i--)
    {
      if (widths[i] > 0 && ABS (px - (x[i] + widths[i])) <= EDGE_REACH)
        return i;
    }

  return -1;
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            start_x,
               double            start_y,
               MiniColumnTitles *self)
{
  self->resizing = mini_column_titles_find_edge (self, start_x);
  if (self->resizing < 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->start_width = mini_event_columns_get_width (self->columns, self->resizing);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                MiniColumnTitles *self)
{
  if (self->resizing >= 0)
    mini_column_titles_resize (self, self->resizing, self->start_width + (int) offset_x);
}

static void
on_drag_end (GtkGestureDrag   *gesture,
             double            offset_x,
             double            offset_y,
             MiniColumnTitles *self)
{
  self->resizing = -1;
}

/* The pointer shows where an edge can be grabbed. */
static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           MiniColumnTitles         *self)
{
  gboolean on_edge = self->resizing >= 0 || mini_column_titles_find_edge (self, x) >= 0;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), on_edge ? "col-resize" : NULL);
}

static void
on_columns_changed (MiniColumnTitles *self)
{
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
mini_column_titles_dispose (GObject *object)
{
  MiniColumnTitles *self = MINI_COLUMN_TITLES (object);

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    g_clear_pointer (&self->titles[i], gtk_widget_unparent);
  g_clear_object (&self->columns);

  G_OBJECT_CLASS (mini_column_titles_parent_class)->dispose (object);
}

static void
mini_column_titles_class_init (MiniColumnTitlesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_column_titles_dispose;
  widget_class->measure = mini_column_titles_measure;
  widget_class->size_allocate = mini_column_titles_size_allocate;
  widget_class->snapshot = mini_column_titles_snapshot;

  gtk_widget_class_set_css_name (widget_class, "columntitles");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ROW);
}

static void
mini_column_titles_init (MiniColumnTitles *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->resizing = -1;
  /* In a narrow pane the columns go past the titles' end, as the rows go past the list's. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
mini_column_titles_new (MiniEventColumns *columns)
{
  MiniColumnTitles *self;

  g_return_val_if_fail (MINI_IS_EVENT_COLUMNS (columns), NULL);

  self = g_object_new (MINI_TYPE_COLUMN_TITLES, NULL);
  self->columns = g_object_ref (columns);
  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      GtkWidget *title = gtk_label_new (mini_event_columns_get_title (i));

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_widget_set_parent (title, GTK_WIDGET (self));
      self->titles[i] = title;
    }
  g_signal_connect_object (columns, "changed", G_CALLBACK (on_columns_changed), self,
                           G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

/**
 * mini_column_titles_resize:
 *
 * Resizes @column as a drag of its edge does: no wider than leaves the last column its least
 * width within the titles, so that every edge stays where the pointer can reach it.
 */
void
mini_column_titles_resize (MiniColumnTitles *self,
                           MiniEventColumn   column,
                           int               width)
{
  int current;
  int room;

  g_return_if_fail (MINI_IS_COLUMN_TITLES (self));
  g_return_if_fail (column < MINI_EVENT_COLUMN_SUMMARY);

  current = mini_event_columns_get_width (self->columns, column);
  room = gtk_widget_get_width (GTK_WIDGET (self)) - MINI_EVENT_COLUMN_MIN_LAST_WIDTH
         - (mini_event_columns_get_fixed_width (self->columns) - current);
  /* In a pane already too narrow, a column can still be made narrower. */
  width = MIN (width, MAX (room, MIN (current, width)));
  mini_event_columns_set_width (self->columns, column, width);
}

GtkWidget *
mini_column_titles_get_title (MiniColumnTitles *self,
                              MiniEventColumn   column)
{
  g_return_val_if_fail (MINI_IS_COLUMN_TITLES (self), NULL);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, NULL);

  return self->titles[column];
}
