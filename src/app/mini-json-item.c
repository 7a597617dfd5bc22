/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-json-item.h"

struct _MiniJsonItem
{
  GObject   parent_instance;

  char     *key;
  JsonNode *node;
};

G_DEFINE_FINAL_TYPE (MiniJsonItem, mini_json_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_VALUE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mini_json_item_finalize (GObject *object)
{
  MiniJsonItem *self = MINI_JSON_ITEM (object);

  g_free (self->key);
  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (mini_json_item_parent_class)->finalize (object);
}

static void
mini_json_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MiniJsonItem *self = MINI_JSON_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_VALUE_TEXT:
      g_value_take_string (value, mini_json_item_dup_value_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_json_item_class_init (MiniJsonItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mini_json_item_finalize;
  object_class->get_property = mini_json_item_get_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE_TEXT] =
    g_param_spec_string ("value-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mini_json_item_init (MiniJsonItem *self)
{
}

MiniJsonItem *
mini_json_item_new (const char *key,
                    JsonNode   *node)
{
  MiniJsonItem *self;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);

  self = g_object_new (MINI_TYPE_JSON_ITEM, NULL);
  self->key = g_strdup (key);
  self->node = json_node_ref (node);

  return self;
}

const char *
mini_json_item_get_key (MiniJsonItem *self)
{
  g_return_val_if_fail (MINI_IS_JSON_ITEM (self), NULL);
  return self->key;
}

JsonNode *
mini_json_item_get_node (MiniJsonItem *self)
{
  g_return_val_if_fail (MINI_IS_JSON_ITEM (self), NULL);
  return self->node;
}

/**
 * mini_json_item_dup_value_text:
 *
 * Returns: (transfer full): a scalar as JSON; a container by its size
 */
char *
mini_json_item_dup_value_text (MiniJsonItem *self)
{
  g_return_val_if_fail (MINI_IS_JSON_ITEM (self), NULL);

  if (JSON_NODE_HOLDS_OBJECT (self->node))
    {
      guint n = json_object_get_size (json_node_get_object (self->node));
      /* Translators: a JSON object in the tree, by its number of members */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "{…} %u member", "{…} %u members", n),
                              n);
    }
  if (JSON_NODE_HOLDS_ARRAY (self->node))
    {
      guint n = json_array_get_length (json_node_get_array (self->node));
      /* Translators: a JSON array in the tree, by its number of items */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "[…] %u item", "[…] %u items", n), n);
    }

  if (JSON_NODE_HOLDS_VALUE (self->node) && json_node_get_value_type (self->node) == G_TYPE_DOUBLE)
    return mini_format_double (json_node_get_double (self->node));

  return json_to_string (self->node, FALSE);
}

/**
 * mini_json_item_list_for_node:
 *
 * Returns: (transfer full) (nullable): the members or elements of a container, %NULL for a
 *   scalar
 */
GListModel *
mini_json_item_list_for_node (JsonNode *node)
{
  GListStore *store;

  if (node == NULL || (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node)))
    return NULL;

  store = g_list_store_new (MINI_TYPE_JSON_ITEM);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &child))
        {
          g_autoptr(MiniJsonItem) item = mini_json_item_new (member, child);
          g_list_store_append (store, item);
        }
    }
  else
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *key = g_strdup_printf ("[%u]", i);
          JsonNode *element = json_array_get_element (array, i);
          g_autoptr(MiniJsonItem) item = mini_json_item_new (key, element);
          g_list_store_append (store, item);
        }
    }

  return G_LIST_MODEL (store);
}

GListModel *
mini_json_item_create_children (MiniJsonItem *self)
{
  g_return_val_if_fail (MINI_IS_JSON_ITEM (self), NULL);
  return mini_json_item_list_for_node (self->node);
}
