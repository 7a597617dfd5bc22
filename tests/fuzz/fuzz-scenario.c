/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>

#include "mini-fuzz.h"
#include "mini-scenario.h"

/* The scenario loader, then what a run does first with a loaded file: build its runtime, which
 * applies the file's app settings and quirk overrides. Nothing is run, so nothing connects. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;

  mini_fuzz_init ();

  scenario = mini_scenario_new_from_data ("fuzz.json", (const char *) data, size, &error);
  if (scenario == NULL)
    {
      mini_fuzz_check_error (error);
      return 0;
    }

  mini_fuzz_create_runtime (scenario);

  return 0;
}
