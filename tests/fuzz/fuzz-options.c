/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>

#include "mini-dialect.h"
#include "mini-fuzz.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* The connectSocket options as a user writes them. The first byte picks the platform; the rest
 * is the options object. The app is a release build whose only legal domain is a closed port on
 * loopback, so a URL that passes every check fails to connect there, quickly and offline. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* Platforms with a domain list only: nothing here may look up a name or leave the machine. */
  static const char * const dialects[] = { "wx", "tt", "qq", "swan", "wx-legacy" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(MiniTimeline) timeline = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(JsonObject) app = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  mini_fuzz_init ();

  if (size < 1)
    return 0;
  if (!json_parser_load_from_data (parser, (const char *) data + 1, size - 1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  dialect = mini_dialect_load (dialects[data[0] % G_N_ELEMENTS (dialects)], &error);
  g_assert_no_error (error);
  g_assert_true (mini_dialect_get_bool (dialect, "domainCheck"));
  timeline = mini_timeline_new ();
  runtime = mini_runtime_new (dialect, timeline);

  app = mini_fuzz_parse_object ("{\"build\": \"release\", \"domains\": [\"wss://127.0.0.1\"]}");
  g_assert_true (mini_runtime_set_app (runtime, app, &error));

  if (!mini_runtime_call (runtime, "connectSocket", json_node_get_object (root), 0, &error))
    mini_fuzz_check_error (error);
  mini_runtime_shutdown (runtime);
  mini_fuzz_drain ();

  return 0;
}
