/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mini-test-util.h"

/* Sets the gboolean at @data: the deadline of a wait has passed. */
gboolean
mini_test_on_deadline (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the main loop work for @ms, to show that something does NOT happen. */
void
mini_test_run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, mini_test_on_deadline, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}
