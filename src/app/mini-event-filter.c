/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-event.h"
#include "mini-event-filter.h"

#define ALL_KINDS ((1u << MINI_N_EVENT_KINDS) - 1)

struct _MiniEventFilter
{
  GObject       parent_instance;

  MiniTimeline *timeline;
  guint         kinds;       /* bit per MiniEventKind let through */
  guint         task;        /* MINI_EVENT_FILTER_ALL_TASKS for every task */
  guint         n_seen;      /* the timeline's items this model has accounted for */
  GArray       *positions;   /* timeline positions that match; unused while everything does */
  gboolean      emptied;     /* between the two halves of a rebuild's change */
  /* While the filters change and the view moves onto the new rows: the rows shown before, after
   * the new ones (their timeline positions, or NULL when everything was shown). */
  GArray       *before;
  guint         n_before;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MiniEventFilter, mini_event_filter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static gboolean
lets_all_through (MiniEventFilter *self)
{
  return self->kinds == ALL_KINDS && self->task == MINI_EVENT_FILTER_ALL_TASKS;
}

/* The rows the filters show, of the events this model has seen. */
static guint
n_shown (MiniEventFilter *self)
{
  return lets_all_through (self) ? self->n_seen : self->positions->len;
}

/* What the model reports, from what it has seen: while a handler of the timeline's
 * items-changed runs before ours, the timeline may already hold more, or fewer, items. */
static guint
n_items (MiniEventFilter *self)
{
  if (self->emptied)
    return 0;
  return n_shown (self) + self->n_before;
}

/* Matches every event again and tells the model's users that everything changed; @old_n is
 * what the model reported before. */
static void
rebuild (MiniEventFilter *self,
         guint            old_n)
{
  guint new_n;

  self->n_seen = self->timeline != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->timeline))
                                        : 0;
  g_array_set_size (self->positions, 0);
  if (!lets_all_through (self) && self->timeline != NULL)
    mini_timeline_select (self->timeline, 0, self->n_seen, self->kinds, self->task,
                          self->positions);

  /* Told as two changes: a list view looks for its removed rows' items among the added ones,
   * one get_item() per added row, and these items are made afresh on every get_item() anyway,
   * so there is nothing to find. */
  new_n = n_items (self);
  if (old_n > 0 && new_n > 0)
    {
      self->emptied = TRUE;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      self->emptied = FALSE;
      old_n = 0;
    }
  if (old_n > 0 || new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
}

/* New filters on the same timeline. With @move, the rows they show come in first, before the
 * rows shown so far; @move moves the view onto them; then the old rows go. A GTK 4.8 list view
 * gives the widgets of rows it no longer shows to the rows it shows next, as when scrolling, but
 * drops the widgets of removed rows and makes new ones: this way a filter change costs what a
 * scroll costs. */
static void
change_filters (MiniEventFilter         *self,
                guint                    kinds,
                guint                    task,
                MiniEventFilterMoveFunc  move,
                gpointer                 user_data)
{
  g_autoptr(GArray) before = NULL;
  guint old_n = n_items (self);
  guint new_n;

  kinds &= ALL_KINDS;
  if (self->kinds == kinds && self->task == task)
    return;

  if (move == NULL || self->timeline == NULL || old_n == 0)
    {
      self->kinds = kinds;
      self->task = task;
      rebuild (self, old_n);
      return;
    }

  if (!lets_all_through (self))
    {
      before = g_steal_pointer (&self->positions);
      self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  self->kinds = kinds;
  self->task = task;
  if (!lets_all_through (self))
    mini_timeline_select (self->timeline, 0, self->n_seen, self->kinds, self->task,
                          self->positions);
  new_n = n_shown (self);
  if (new_n == 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      return;
    }

  self->before = before;
  self->n_before = old_n;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
  move (self, new_n, user_data);
  self->before = NULL;
  self->n_before = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n, 0);
}

static void
on_timeline_items_changed (MiniEventFilter *self,
                           guint            position,
                           guint            removed,
                           guint            added,
                           GListModel      *timeline)
{
  guint before;

  /* The timeline only grows at its end, or is cleared. */
  if (removed > 0 || position != self->n_seen)
    {
      rebuild (self, n_items (self));
      return;
    }

  /* Only the new records are read: a flood costs O(added) per batch. */
  before = n_items (self);
  if (!lets_all_through (self))
    mini_timeline_select (self->timeline, position, position + added, self->kinds, self->task,
                          self->positions);
  self->n_seen += added;
  if (n_items (self) > before)
    g_list_model_items_changed (G_LIST_MODEL (self), before, 0, n_items (self) - before);
}

/* ---- GListModel ---------------------------------------------------------------------------- */

static GType
mini_event_filter_get_item_type (GListModel *model)
{
  return MINI_TYPE_EVENT;
}

static guint
mini_event_filter_get_n_items (GListModel *model)
{
  return n_items (MINI_EVENT_FILTER (model));
}

static gpointer
mini_event_filter_get_item (GListModel *model,
                            guint       position)
{
  MiniEventFilter *self = MINI_EVENT_FILTER (model);
  guint shown;

  if (self->timeline == NULL || position >= n_items (self))
    return NULL;
  shown = n_shown (self);
  if (position >= shown)
    {
      position -= shown;
      if (self->before != NULL)
        position = g_array_index (self->before, guint, position);
    }
  else if (!lets_all_through (self))
    {
      position = g_array_index (self->positions, guint, position);
    }

  return g_list_model_get_item (G_LIST_MODEL (self->timeline), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = mini_event_filter_get_item_type;
  iface->get_n_items = mini_event_filter_get_n_items;
  iface->get_item = mini_event_filter_get_item;
}

/* ---- object -------------------------------------------------------------------------------- */

static void
mini_event_filter_dispose (GObject *object)
{
  MiniEventFilter *self = MINI_EVENT_FILTER (object);

  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_clear_object (&self->timeline);

  G_OBJECT_CLASS (mini_event_filter_parent_class)->dispose (object);
}

static void
mini_event_filter_finalize (GObject *object)
{
  MiniEventFilter *self = MINI_EVENT_FILTER (object);

  g_array_unref (self->positions);

  G_OBJECT_CLASS (mini_event_filter_parent_class)->finalize (object);
}

static void
mini_event_filter_class_init (MiniEventFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_event_filter_dispose;
  object_class->finalize = mini_event_filter_finalize;
}

static void
mini_event_filter_init (MiniEventFilter *self)
{
  self->kinds = ALL_KINDS;
  self->task = MINI_EVENT_FILTER_ALL_TASKS;
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
}

MiniEventFilter *
mini_event_filter_new (void)
{
  return g_object_new (MINI_TYPE_EVENT_FILTER, NULL);
}

void
mini_event_filter_set_timeline (MiniEventFilter *self,
                                MiniTimeline    *timeline)
{
  guint old_n;

  g_return_if_fail (MINI_IS_EVENT_FILTER (self));
  g_return_if_fail (timeline == NULL || MINI_IS_TIMELINE (timeline));

  if (self->timeline == timeline)
    return;

  old_n = n_items (self);
  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_set_object (&self->timeline, timeline);
  if (timeline != NULL)
    g_signal_connect_object (timeline, "items-changed", G_CALLBACK (on_timeline_items_changed),
                             self, G_CONNECT_SWAPPED);
  rebuild (self, old_n);
}

/**
 * mini_event_filter_set_kinds:
 * @kinds: a bit per #MiniEventKind to let through
 */
void
mini_event_filter_set_kinds (MiniEventFilter *self,
                             guint            kinds)
{
  g_return_if_fail (MINI_IS_EVENT_FILTER (self));

  change_filters (self, kinds, self->task, NULL, NULL);
}

guint
mini_event_filter_get_kinds (MiniEventFilter *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_FILTER (self), 0);
  return self->kinds;
}

/**
 * mini_event_filter_set_task:
 * @task: a socketTaskId, or %MINI_EVENT_FILTER_ALL_TASKS
 */
void
mini_event_filter_set_task (MiniEventFilter *self,
                            guint            task)
{
  g_return_if_fail (MINI_IS_EVENT_FILTER (self));

  change_filters (self, self->kinds, task, NULL, NULL);
}

guint
mini_event_filter_get_task (MiniEventFilter *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_FILTER (self), MINI_EVENT_FILTER_ALL_TASKS);
  return self->task;
}

/**
 * mini_event_filter_set_filters:
 * @kinds: a bit per #MiniEventKind to let through
 * @task: a socketTaskId, or %MINI_EVENT_FILTER_ALL_TASKS
 * @move: (nullable) (scope call): moves the view onto the new rows
 * @user_data: for @move
 *
 * Sets both filters in one change. With @move, the model first holds the new rows followed by
 * the old ones, and calls @move with the number of new rows; once it returns, the old rows are
 * removed. A view that has scrolled onto the new rows by then keeps its row widgets.
 */
void
mini_event_filter_set_filters (MiniEventFilter         *self,
                               guint                    kinds,
                               guint                    task,
                               MiniEventFilterMoveFunc  move,
                               gpointer                 user_data)
{
  g_return_if_fail (MINI_IS_EVENT_FILTER (self));

  change_filters (self, kinds, task, move, user_data);
}
