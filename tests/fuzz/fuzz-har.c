/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>

#include "mini-fuzz.h"
#include "mini-har.h"
#include "mini-scenario.h"

/* The HAR importer, then what opening a HAR does with what it read: every socket and message is
 * read back, the replay scenario is written and loaded, and its runtime is built. Nothing is
 * run, so nothing connects. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(MiniHar) har = NULL;
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;
  guint n_sockets;

  mini_fuzz_init ();

  har = mini_har_new_from_data ("fuzz.har", (const char *) data, size, &error);
  if (har == NULL)
    {
      mini_fuzz_check_error (error);
      return 0;
    }

  n_sockets = mini_har_get_n_sockets (har);
  g_assert_cmpuint (n_sockets, >, 0);
  for (guint i = 0; i < n_sockets; i++)
    {
      const char *url = mini_har_get_url (har, i);
      const char * const *protocols = mini_har_get_protocols (har, i);
      guint n_messages = mini_har_get_n_messages (har, i);

      g_assert_true (url != NULL && g_utf8_validate (url, -1, NULL));
      for (guint p = 0; protocols != NULL && protocols[p] != NULL; p++)
        g_assert_true (g_utf8_validate (protocols[p], -1, NULL));
      g_assert_true (mini_har_get_start_ms (har, i) >= 0);
      for (guint m = 0; m < n_messages; m++)
        {
          MiniHarMessage message;

          g_assert_true (mini_har_get_message (har, i, m, &message));
          g_assert_nonnull (message.data);
        }
      g_assert_false (mini_har_get_message (har, i, n_messages, &(MiniHarMessage) { 0 }));
    }

  /* A file the importer accepted replays: the scenario it becomes is one the loader takes. */
  scenario = mini_har_create_scenario (har, NULL, NULL, &error);
  if (scenario == NULL)
    {
      g_printerr ("an accepted HAR made a scenario the loader refused: %s\n", error->message);
      g_assert_not_reached ();
    }

  mini_fuzz_create_runtime (scenario);

  return 0;
}
