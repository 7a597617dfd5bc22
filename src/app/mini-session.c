/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-session"

#include "config.h"

#include "mini-scenario.h"
#include "mini-session.h"

struct _MiniSession
{
  GObject       parent_instance;

  MiniTimeline *timeline;
  MiniRuntime  *runtime;
  MiniDialect  *base_dialect;
  MiniDialect  *dialect;
  JsonObject   *overrides;
  char         *playground_url;
  GCancellable *cancellable;    /* of what runs on the runtime: cancelled when it is dropped */
};

G_DEFINE_FINAL_TYPE (MiniSession, mini_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMELINE,
  PROP_RUNTIME,
  PROP_DIALECT,
  PROP_BASE_DIALECT,
  PROP_PLAYGROUND_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drop_runtime (MiniSession *self)
{
  if (self->runtime == NULL)
    return;

  /* Sockets of the old platform must not report into the new session's timeline, nor a scenario
   * still running on it. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  mini_runtime_shutdown (self->runtime);
  g_clear_object (&self->runtime);
}

static void
mini_session_dispose (GObject *object)
{
  MiniSession *self = MINI_SESSION (object);

  drop_runtime (self);
  g_clear_object (&self->dialect);
  g_clear_object (&self->base_dialect);
  g_clear_object (&self->timeline);
  g_clear_pointer (&self->overrides, json_object_unref);

  G_OBJECT_CLASS (mini_session_parent_class)->dispose (object);
}

static void
mini_session_finalize (GObject *object)
{
  MiniSession *self = MINI_SESSION (object);

  g_free (self->playground_url);

  G_OBJECT_CLASS (mini_session_parent_class)->finalize (object);
}

static void
mini_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MiniSession *self = MINI_SESSION (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      g_value_set_object (value, self->timeline);
      break;

    case PROP_RUNTIME:
      g_value_set_object (value, self->runtime);
      break;

    case PROP_DIALECT:
      g_value_set_object (value, self->dialect);
      break;

    case PROP_BASE_DIALECT:
      g_value_set_object (value, self->base_dialect);
      break;

    case PROP_PLAYGROUND_URL:
      g_value_set_string (value, self->playground_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MiniSession *self = MINI_SESSION (object);

  switch (prop_id)
    {
    case PROP_PLAYGROUND_URL:
      mini_session_set_playground_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_session_class_init (MiniSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_session_dispose;
  object_class->finalize = mini_session_finalize;
  object_class->get_property = mini_session_get_property;
  object_class->set_property = mini_session_set_property;

  properties[PROP_TIMELINE] =
    g_param_spec_object ("timeline", NULL, NULL,
                         MINI_TYPE_TIMELINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_RUNTIME] =
    g_param_spec_object ("runtime", NULL, NULL,
                         MINI_TYPE_RUNTIME,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The rules in force: the base dialect with the user's overrides. */
  properties[PROP_DIALECT] =
    g_param_spec_object ("dialect", NULL, NULL,
                         MINI_TYPE_DIALECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BASE_DIALECT] =
    g_param_spec_object ("base-dialect", NULL, NULL,
                         MINI_TYPE_DIALECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PLAYGROUND_URL] =
    g_param_spec_string ("playground-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mini_session_init (MiniSession *self)
{
  self->timeline = mini_timeline_new ();
  self->overrides = json_object_new ();
}

MiniSession *
mini_session_new (void)
{
  return g_object_new (MINI_TYPE_SESSION, NULL);
}

MiniTimeline *
mini_session_get_timeline (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->timeline;
}

/**
 * mini_session_get_runtime:
 *
 * Returns: (transfer none) (nullable): the runtime, %NULL until a dialect was set
 */
MiniRuntime *
mini_session_get_runtime (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->runtime;
}

MiniDialect *
mini_session_get_dialect (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->dialect;
}

MiniDialect *
mini_session_get_base_dialect (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->base_dialect;
}

const char *
mini_session_get_dialect_id (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->base_dialect != NULL ? mini_dialect_get_id (self->base_dialect) : NULL;
}

/**
 * mini_session_set_dialect_id:
 *
 * Switches platform: a fresh runtime on an empty timeline, and no overrides, since the rules
 * the user toggled belonged to the old platform.
 */
gboolean
mini_session_set_dialect_id (MiniSession  *self,
                             const char   *id,
                             GError      **error)
{
  g_autoptr(MiniDialect) dialect = NULL;

  g_return_val_if_fail (MINI_IS_SESSION (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if ((dialect = mini_dialect_load (id, error)) == NULL)
    return FALSE;

  drop_runtime (self);
  mini_timeline_clear (self->timeline);
  g_clear_pointer (&self->overrides, json_object_unref);
  self->overrides = json_object_new ();

  g_set_object (&self->base_dialect, dialect);
  g_set_object (&self->dialect, dialect);
  self->runtime = mini_runtime_new (dialect, self->timeline);
  /* A flooding server must not starve the window's frames: libsoup reads on a thread. */
  mini_runtime_use_io_thread (self->runtime);
  self->cancellable = g_cancellable_new ();
  if (self->playground_url != NULL)
    mini_runtime_set_playground_url (self->runtime, self->playground_url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_DIALECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNTIME]);

  return TRUE;
}

const char *
mini_session_get_playground_url (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->playground_url;
}

void
mini_session_set_playground_url (MiniSession *self,
                                 const char  *url)
{
  g_return_if_fail (MINI_IS_SESSION (self));

  if (g_strcmp0 (self->playground_url, url) == 0)
    return;

  g_free (self->playground_url);
  self->playground_url = g_strdup (url);

  if (self->runtime != NULL)
    mini_runtime_set_playground_url (self->runtime, url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYGROUND_URL]);
}

/**
 * mini_session_get_overrides:
 *
 * Returns: (transfer none): the rules the user changed, as quirks of a scenario file
 */
JsonObject *
mini_session_get_overrides (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->overrides;
}

static gboolean
apply_overrides (MiniSession  *self,
                 JsonObject   *overrides,
                 GError      **error)
{
  g_autoptr(MiniDialect) dialect = NULL;

  dialect = mini_dialect_new_with_overrides (self->base_dialect, overrides, error);
  if (dialect == NULL)
    return FALSE;

  g_clear_pointer (&self->overrides, json_object_unref);
  self->overrides = json_object_ref (overrides);
  g_set_object (&self->dialect, dialect);
  mini_runtime_set_dialect (self->runtime, dialect);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);

  return TRUE;
}

/**
 * mini_session_set_quirk:
 * @value: (nullable): the rule's new value; %NULL restores the platform's own
 *
 * Changes one rule for the live runtime. A value the schema refuses leaves everything as it
 * was and says why.
 */
gboolean
mini_session_set_quirk (MiniSession  *self,
                        const char   *rule,
                        JsonNode     *value,
                        GError      **error)
{
  g_autoptr(JsonObject) overrides = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  g_return_val_if_fail (MINI_IS_SESSION (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (self->base_dialect != NULL, FALSE);

  json_object_iter_init_ordered (&iter, self->overrides);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      if (!g_str_equal (member, rule))
        json_object_set_member (overrides, member, json_node_copy (node));
    }

  /* A value equal to the platform's is no override: the rule shows as untouched again. */
  if (value != NULL && mini_dialect_schema_get_rule (rule) != NULL
      && json_node_equal (value, mini_dialect_get_value (self->base_dialect, rule)))
    value = NULL;
  if (value != NULL)
    json_object_set_member (overrides, rule, json_node_copy (value));

  if (value == NULL && !json_object_has_member (self->overrides, rule))
    return TRUE;

  return apply_overrides (self, overrides, error);
}

void
mini_session_reset_quirks (MiniSession *self)
{
  g_autoptr(JsonObject) none = json_object_new ();

  g_return_if_fail (MINI_IS_SESSION (self));

  if (self->base_dialect == NULL || json_object_get_size (self->overrides) == 0)
    return;

  if (!apply_overrides (self, none, NULL))
    g_assert_not_reached ();
}

gboolean
mini_session_call (MiniSession  *self,
                   const char   *api,
                   JsonObject   *args,
                   guint         task,
                   GError      **error)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->runtime != NULL, FALSE);

  return mini_runtime_call (self->runtime, api, args, task, error);
}

/**
 * mini_session_load_scenario:
 *
 * Prepares a fresh runtime as @scenario asks: its platform, its quirks as the user's overrides
 * (so the Quirks tab shows them) and its app settings, on an empty timeline. Nothing changes when
 * the scenario cannot run; the error names the file and the JSON path.
 */
gboolean
mini_session_load_scenario (MiniSession   *self,
                            MiniScenario  *scenario,
                            GError       **error)
{
  g_autoptr(MiniDialect) base = NULL;
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(JsonObject) overrides = json_object_new ();
  g_autoptr(GError) local_error = NULL;
  const char *id;
  JsonObject *quirks;
  JsonObject *app;

  g_return_val_if_fail (MINI_IS_SESSION (self), FALSE);
  g_return_val_if_fail (MINI_IS_SCENARIO (scenario), FALSE);

  id = mini_scenario_get_dialect_id (scenario) != NULL ? mini_scenario_get_dialect_id (scenario)
                                                      : "wx";
  if ((base = mini_dialect_load (id, &local_error)) == NULL)
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: $.dialect: %s",
                   mini_scenario_get_origin (scenario), local_error->message);
      return FALSE;
    }

  if ((quirks = mini_scenario_get_quirks (scenario)) != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, quirks);
      while (json_object_iter_next_ordered (&iter, &member, &node))
        json_object_set_member (overrides, member, json_node_copy (node));
    }
  if ((dialect = mini_dialect_new_with_overrides (base, overrides, &local_error)) == NULL)
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: $.quirks: %s",
                   mini_scenario_get_origin (scenario), local_error->message);
      return FALSE;
    }

  /* A scratch timeline checks the app settings before the user's timeline is cleared. */
  if ((app = mini_scenario_get_app (scenario)) != NULL)
    {
      g_autoptr(MiniTimeline) scratch = mini_timeline_new ();
      g_autoptr(MiniRuntime) check = mini_runtime_new (dialect, scratch);

      if (!mini_runtime_set_app (check, app, &local_error))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: $.%s",
                       mini_scenario_get_origin (scenario), local_error->message);
          return FALSE;
        }
    }

  drop_runtime (self);
  mini_timeline_clear (self->timeline);
  g_clear_pointer (&self->overrides, json_object_unref);
  self->overrides = g_steal_pointer (&overrides);

  g_set_object (&self->base_dialect, base);
  g_set_object (&self->dialect, dialect);
  self->runtime = mini_runtime_new (dialect, self->timeline);
  /* A flooding server must not starve the window's frames: libsoup reads on a thread. */
  mini_runtime_use_io_thread (self->runtime);
  self->cancellable = g_cancellable_new ();
  if (app != NULL && !mini_runtime_set_app (self->runtime, app, NULL))
    g_assert_not_reached ();
  if (self->playground_url != NULL)
    mini_runtime_set_playground_url (self->runtime, self->playground_url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_DIALECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNTIME]);

  return TRUE;
}

/**
 * mini_session_get_cancellable:
 *
 * Returns: (transfer none) (nullable): cancelled when the runtime is replaced: what runs on the
 *   runtime, such as a scenario, stops with it
 */
GCancellable *
mini_session_get_cancellable (MiniSession *self)
{
  g_return_val_if_fail (MINI_IS_SESSION (self), NULL);
  return self->cancellable;
}
