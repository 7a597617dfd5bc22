/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <string.h>

#include "mini-fuzz.h"
#include "mini-timeline.h"

void
mini_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  /* A critical or a warning on bad input is a bug as much as a crash is. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

/* Bad input must be refused with a message a user can read. */
void
mini_fuzz_check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

JsonObject *
mini_fuzz_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Lets cancelled connections finish, so one input's sockets do not outlive it. */
void
mini_fuzz_drain (void)
{
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* What a run does first with a loaded scenario: build its runtime, which applies the file's app
 * settings and quirk overrides. A refusal must be a clear error; nothing is run or connected. */
void
mini_fuzz_create_runtime (MiniScenario *scenario)
{
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(GError) error = NULL;

  runtime = mini_scenario_create_runtime (scenario, NULL, timeline, "ws://127.0.0.1:9", &error);
  if (runtime == NULL)
    mini_fuzz_check_error (error);
  else
    mini_runtime_shutdown (runtime);
}
