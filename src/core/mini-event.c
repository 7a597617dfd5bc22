/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-timeline"

#include "config.h"

#include "mini-event-private.h"

/* A handle, not a copy: every accessor reads the timeline's compact record, so a million events
 * never cost a million GObjects. */
struct _MiniEvent
{
  GObject       parent_instance;

  MiniTimeline *timeline;
  guint         position;
};

G_DEFINE_FINAL_TYPE (MiniEvent, mini_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SEQ,
  PROP_TIME,
  PROP_DELTA,
  PROP_TASK,
  PROP_KIND_NAME,
  PROP_API,
  PROP_ERR_MSG,
  PROP_SUMMARY,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* FALSE once the timeline was cleared under this handle. */
static gboolean
get_view (MiniEvent     *self,
          MiniEventView *view)
{
  return mini_timeline_get_event (self->timeline, self->position, view);
}

static void
mini_event_dispose (GObject *object)
{
  MiniEvent *self = MINI_EVENT (object);

  g_clear_object (&self->timeline);

  G_OBJECT_CLASS (mini_event_parent_class)->dispose (object);
}

static void
mini_event_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MiniEvent *self = MINI_EVENT (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_uint (value, mini_event_get_seq (self));
      break;

    case PROP_TIME:
      g_value_set_double (value, mini_event_get_time_ms (self));
      break;

    case PROP_DELTA:
      g_value_set_double (value, mini_event_get_delta_ms (self));
      break;

    case PROP_TASK:
      g_value_set_uint (value, mini_event_get_task (self));
      break;

    case PROP_KIND_NAME:
      {
        MiniEventView view;

        g_value_set_static_string (value, get_view (self, &view) ?
                                          mini_event_kind_to_string (view.kind) : NULL);
      }
      break;

    case PROP_API:
      g_value_set_string (value, mini_event_get_api (self));
      break;

    case PROP_ERR_MSG:
      g_value_set_string (value, mini_event_get_err_msg (self));
      break;

    case PROP_SUMMARY:
      g_value_take_string (value, mini_event_dup_summary (self));
      break;

    case PROP_STEP:
      g_value_set_uint (value, mini_event_get_step (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_event_class_init (MiniEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_event_dispose;
  object_class->get_property = mini_event_get_property;

  properties[PROP_SEQ] =
    g_param_spec_uint ("seq", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_TIME] =
    g_param_spec_double ("time", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_DELTA] =
    g_param_spec_double ("delta", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_TASK] =
    g_param_spec_uint ("task", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND_NAME] =
    g_param_spec_string ("kind-name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_API] =
    g_param_spec_string ("api", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ERR_MSG] =
    g_param_spec_string ("err-msg", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mini_event_init (MiniEvent *self)
{
}

MiniEvent *
mini_event_new (MiniTimeline *timeline,
                guint         position)
{
  MiniEvent *self;

  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), NULL);

  self = g_object_new (MINI_TYPE_EVENT, NULL);
  self->timeline = g_object_ref (timeline);
  self->position = position;

  return self;
}

MiniTimeline *
mini_event_get_timeline (MiniEvent *self)
{
  g_return_val_if_fail (MINI_IS_EVENT (self), NULL);

  return self->timeline;
}

guint
mini_event_get_position (MiniEvent *self)
{
  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  return self->position;
}

guint
mini_event_get_seq (MiniEvent *self)
{
  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  return self->position + 1;
}

double
mini_event_get_time_ms (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  return get_view (self, &view) ? view.t_us / 1000.0 : 0;
}

double
mini_event_get_delta_ms (MiniEvent *self)
{
  MiniEventView view;
  MiniEventView previous;

  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  if (self->position == 0 || !get_view (self, &view) ||
      !mini_timeline_get_event (self->timeline, self->position - 1, &previous))
    return 0;

  return (view.t_us - previous.t_us) / 1000.0;
}

MiniEventKind
mini_event_get_kind (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), MINI_EVENT_CALL);

  return get_view (self, &view) ? view.kind : MINI_EVENT_CALL;
}

guint
mini_event_get_task (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  return get_view (self, &view) ? view.task : 0;
}

const char *
mini_event_get_api (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), NULL);

  return get_view (self, &view) ? view.api : NULL;
}

const char *
mini_event_get_err_msg (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), NULL);

  return get_view (self, &view) ? view.err_msg : NULL;
}

/**
 * mini_event_get_step:
 *
 * Returns: the scenario step that caused the event, counted from 1; 0 when none did
 */
guint
mini_event_get_step (MiniEvent *self)
{
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_EVENT (self), 0);

  return get_view (self, &view) ? view.step : 0;
}

/**
 * mini_event_dup_summary:
 *
 * Returns: (transfer full) (nullable): one line for a terminal column or a list cell; %NULL
 *   once the timeline was cleared
 */
char *
mini_event_dup_summary (MiniEvent *self)
{
  g_return_val_if_fail (MINI_IS_EVENT (self), NULL);

  if (self->position >= mini_timeline_get_n_events (self->timeline))
    return NULL;

  return mini_timeline_event_summary (self->timeline, self->position);
}

/**
 * mini_event_to_json:
 *
 * Returns: (transfer full) (nullable): the JSON Lines object; %NULL once the timeline was cleared
 */
JsonNode *
mini_event_to_json (MiniEvent *self)
{
  g_return_val_if_fail (MINI_IS_EVENT (self), NULL);

  if (self->position >= mini_timeline_get_n_events (self->timeline))
    return NULL;

  return mini_timeline_event_to_json (self->timeline, self->position);
}
