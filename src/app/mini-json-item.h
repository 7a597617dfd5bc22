/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One member or element of a JSON value, a row of the inspector's JSON tree. */
#define MINI_TYPE_JSON_ITEM (mini_json_item_get_type ())
G_DECLARE_FINAL_TYPE (MiniJsonItem, mini_json_item, MINI, JSON_ITEM, GObject)

MiniJsonItem *mini_json_item_new            (const char   *key,
                                             JsonNode     *node);
const char   *mini_json_item_get_key        (MiniJsonItem *self);
JsonNode     *mini_json_item_get_node       (MiniJsonItem *self);
char         *mini_json_item_dup_value_text (MiniJsonItem *self);
GListModel   *mini_json_item_create_children (MiniJsonItem *self);
GListModel   *mini_json_item_list_for_node  (JsonNode     *node);

G_END_DECLS
