/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>

#include "mini-dialect.h"
#include "mini-fuzz.h"

/* The dialect loader, then the overrides a user makes in the Quirks tab: the input's "rules"
 * object, when it has one, is applied to the bundled wx dialect as quirk overrides. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(MiniDialect) base = NULL;
  g_autoptr(MiniDialect) changed = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  mini_fuzz_init ();

  dialect = mini_dialect_new_from_data ("fuzz.json", (const char *) data, size, &error);
  if (dialect == NULL)
    mini_fuzz_check_error (error);
  else
    {
      g_autoptr(JsonNode) json = mini_dialect_to_json (dialect);
      g_autofree char *name = mini_dialect_dup_name (dialect);

      g_assert_nonnull (json);
      g_assert_true (name == NULL || g_utf8_validate (name, -1, NULL));
    }
  g_clear_error (&error);

  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "rules")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "rules")))
    return 0;

  base = mini_dialect_load ("wx", &error);
  g_assert_no_error (error);
  changed = mini_dialect_new_with_overrides (base,
                                             json_object_get_object_member (
                                               json_node_get_object (root), "rules"),
                                             &error);
  if (changed == NULL)
    mini_fuzz_check_error (error);

  return 0;
}
