/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-quirk.h"

struct _MiniQuirk
{
  GObject     parent_instance;

  JsonObject *schema;
  JsonNode   *value;
  JsonNode   *default_value;
  char       *source;
  char       *note;
  gboolean    overridden;
  gboolean    unverified;
};

G_DEFINE_FINAL_TYPE (MiniQuirk, mini_quirk, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_VALUE,
  PROP_OVERRIDDEN,
  PROP_UNVERIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mini_quirk_finalize (GObject *object)
{
  MiniQuirk *self = MINI_QUIRK (object);

  g_clear_pointer (&self->schema, json_object_unref);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->default_value, json_node_unref);
  g_free (self->source);
  g_free (self->note);

  G_OBJECT_CLASS (mini_quirk_parent_class)->finalize (object);
}

static void
mini_quirk_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MiniQuirk *self = MINI_QUIRK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, mini_quirk_get_id (self));
      break;

    case PROP_VALUE:
      g_value_set_boxed (value, self->value);
      break;

    case PROP_OVERRIDDEN:
      g_value_set_boolean (value, self->overridden);
      break;

    case PROP_UNVERIFIED:
      g_value_set_boolean (value, self->unverified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_quirk_class_init (MiniQuirkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mini_quirk_finalize;
  object_class->get_property = mini_quirk_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL, JSON_TYPE_NODE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OVERRIDDEN] =
    g_param_spec_boolean ("overridden", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNVERIFIED] =
    g_param_spec_boolean ("unverified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mini_quirk_init (MiniQuirk *self)
{
}

MiniQuirk *
mini_quirk_new (JsonObject *schema_rule)
{
  MiniQuirk *self;

  g_return_val_if_fail (schema_rule != NULL, NULL);

  self = g_object_new (MINI_TYPE_QUIRK, NULL);
  self->schema = json_object_ref (schema_rule);

  return self;
}

const char *
mini_quirk_get_id (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return json_object_get_string_member (self->schema, "id");
}

const char *
mini_quirk_get_group (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return json_object_get_string_member_with_default (self->schema, "group", "");
}

const char *
mini_quirk_get_rule_type (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return json_object_get_string_member (self->schema, "type");
}

JsonObject *
mini_quirk_get_schema (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return self->schema;
}

char *
mini_quirk_dup_explanation (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return mini_dialect_schema_dup_explanation (mini_quirk_get_id (self));
}

/**
 * mini_quirk_get_value:
 *
 * Returns: (transfer none) (nullable): the value in force
 */
JsonNode *
mini_quirk_get_value (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return self->value;
}

/**
 * mini_quirk_get_default:
 *
 * Returns: (transfer none) (nullable): the platform's own value
 */
JsonNode *
mini_quirk_get_default (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return self->default_value;
}

const char *
mini_quirk_get_source (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return self->source;
}

const char *
mini_quirk_get_note (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), NULL);
  return self->note;
}

gboolean
mini_quirk_get_overridden (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), FALSE);
  return self->overridden;
}

/* Whether the platform's own value is one the reference could not confirm. */
gboolean
mini_quirk_get_unverified (MiniQuirk *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK (self), FALSE);
  return self->unverified;
}

/* Takes the values from the dialects; only what changed is notified, so rows keep their focus. */
void
mini_quirk_update (MiniQuirk   *self,
                   MiniDialect *base,
                   MiniDialect *current)
{
  const char *id;
  JsonNode *value;
  gboolean overridden;
  gboolean unverified;

  g_return_if_fail (MINI_IS_QUIRK (self));
  g_return_if_fail (MINI_IS_DIALECT (base));
  g_return_if_fail (MINI_IS_DIALECT (current));

  id = mini_quirk_get_id (self);
  value = mini_dialect_get_value (current, id);
  overridden = mini_dialect_is_overridden (current, id);
  unverified = mini_dialect_is_unverified (base, id);

  g_clear_pointer (&self->default_value, json_node_unref);
  self->default_value = json_node_copy (mini_dialect_get_value (base, id));
  g_free (self->source);
  self->source = g_strdup (mini_dialect_get_source (base, id));
  g_free (self->note);
  self->note = g_strdup (mini_dialect_get_note (base, id));

  if (self->value == NULL || !json_node_equal (self->value, value))
    {
      g_clear_pointer (&self->value, json_node_unref);
      self->value = json_node_copy (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
  if (self->overridden != overridden)
    {
      self->overridden = overridden;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OVERRIDDEN]);
    }
  if (self->unverified != unverified)
    {
      self->unverified = unverified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNVERIFIED]);
    }
}
