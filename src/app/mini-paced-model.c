/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-paced-model.h"

/* The items shown are always the first n_shown of the model's: the rest, at the end, are held
 * until a frame lets them in. */
struct _MiniPacedModel
{
  GObject     parent_instance;

  GListModel *model;
  GtkWidget  *widget;       /* whose frames pace the items in; weak */
  guint       tick;
  guint       n_shown;
  guint       per_frame;    /* items let in at the end per frame, while more keep coming */
  guint       paced_below;  /* from this many items shown, everything passes at once */
  guint       budget;       /* what this frame may still let in */
  gboolean    arrived;      /* items came in at the end since the last frame */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MiniPacedModel, mini_paced_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  MiniPacedModel *self = MINI_PACED_MODEL (model);

  return g_list_model_get_item_type (self->model);
}

static guint
get_n_items (GListModel *model)
{
  return MINI_PACED_MODEL (model)->n_shown;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  MiniPacedModel *self = MINI_PACED_MODEL (model);

  if (position >= self->n_shown)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void reveal (MiniPacedModel *self);

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  MiniPacedModel *self = MINI_PACED_MODEL (user_data);

  self->tick = 0;
  mini_paced_model_next_frame (self);

  return G_SOURCE_REMOVE;
}

/* Pacing needs frames: without a widget the caller steps the frames itself (tests do); a widget
 * not on screen draws none, so nothing is held for it. */
static gboolean
is_pacing (MiniPacedModel *self)
{
  if (self->n_shown >= self->paced_below)
    return FALSE;
  return self->widget == NULL || gtk_widget_get_mapped (self->widget);
}

static void
queue_tick (MiniPacedModel *self)
{
  if (self->widget != NULL && self->tick == 0)
    self->tick = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
}

/* Lets in as many held items as this frame allows. */
static void
reveal (MiniPacedModel *self)
{
  guint held = g_list_model_get_n_items (self->model) - self->n_shown;
  guint old = self->n_shown;
  guint n = held;

  if (held == 0)
    return;

  if (is_pacing (self))
    {
      n = MIN (held, self->budget);
      self->budget -= n;
    }

  self->n_shown += n;
  if (n < held || self->budget < self->per_frame)
    queue_tick (self);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n);
}

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  MiniPacedModel *self)
{
  if (position >= self->n_shown)
    {
      /* Only held items changed, or new ones came in at the end. */
      self->arrived = self->arrived || added > 0;
    }
  else if (position + removed <= self->n_shown)
    {
      self->n_shown = self->n_shown - removed + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
  else
    {
      /* Some shown items and some held ones went: the ones that take their place are shown. */
      guint shown_removed = self->n_shown - position;

      self->n_shown = position + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, shown_removed, added);
    }

  reveal (self);
}

static void
on_unmap (MiniPacedModel *self)
{
  /* No frame comes while the widget is off screen. */
  mini_paced_model_flush (self);
}

static void
clear_widget (MiniPacedModel *self)
{
  if (self->widget == NULL)
    return;

  if (self->tick != 0)
    gtk_widget_remove_tick_callback (self->widget, self->tick);
  self->tick = 0;
  g_signal_handlers_disconnect_by_func (self->widget, on_unmap, self);
  g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
  self->widget = NULL;
}

static void
mini_paced_model_dispose (GObject *object)
{
  MiniPacedModel *self = MINI_PACED_MODEL (object);

  clear_widget (self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (mini_paced_model_parent_class)->dispose (object);
}

static void
mini_paced_model_class_init (MiniPacedModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mini_paced_model_dispose;
}

static void
mini_paced_model_init (MiniPacedModel *self)
{
}

/**
 * mini_paced_model_new:
 * @model: (transfer full): the items
 * @per_frame: how many items a frame lets in at the end
 * @paced_below: from how many items shown everything passes at once
 *
 * Returns: (transfer full): a model that shows @model's items as they are now, and paces the
 *   ones to come
 */
MiniPacedModel *
mini_paced_model_new (GListModel *model,
                      guint       per_frame,
                      guint       paced_below)
{
  MiniPacedModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (per_frame > 0, NULL);

  self = g_object_new (MINI_TYPE_PACED_MODEL, NULL);
  self->model = model;
  self->per_frame = per_frame;
  self->budget = per_frame;
  self->paced_below = paced_below;
  self->n_shown = g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);

  return self;
}

/**
 * mini_paced_model_set_widget:
 * @widget: (nullable): the widget whose frames let the held items in
 */
void
mini_paced_model_set_widget (MiniPacedModel *self,
                             GtkWidget      *widget)
{
  g_return_if_fail (MINI_IS_PACED_MODEL (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  clear_widget (self);
  if (widget == NULL)
    return;

  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  g_signal_connect_swapped (widget, "unmap", G_CALLBACK (on_unmap), self);
  reveal (self);
}

/* The number of the model's items not shown yet. */
guint
mini_paced_model_get_held (MiniPacedModel *self)
{
  g_return_val_if_fail (MINI_IS_PACED_MODEL (self), 0);

  return g_list_model_get_n_items (self->model) - self->n_shown;
}

/* A new frame: its share of the held items comes in. The widget's frame clock calls this. While a
 * burst keeps coming, the main thread also takes it in, and the share is per_frame; once it has
 * landed (nothing came since the last frame, as when a file is opened), the share is twice that. */
void
mini_paced_model_next_frame (MiniPacedModel *self)
{
  g_return_if_fail (MINI_IS_PACED_MODEL (self));

  self->budget = self->arrived ? self->per_frame : 2 * self->per_frame;
  self->arrived = FALSE;
  reveal (self);
}

/* Shows every held item now: before the view is moved to a row, which must be there. */
void
mini_paced_model_flush (MiniPacedModel *self)
{
  guint held;

  g_return_if_fail (MINI_IS_PACED_MODEL (self));

  held = mini_paced_model_get_held (self);
  if (held == 0)
    return;

  self->n_shown += held;
  g_list_model_items_changed (G_LIST_MODEL (self), self->n_shown - held, 0, held);
}
