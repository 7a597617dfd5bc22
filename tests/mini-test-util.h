/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every wait on the main loop gives up after DEADLINE_MS; a test file may set its own. */
#ifndef DEADLINE_MS
# define DEADLINE_MS 5000
#endif

/* What a test file wants shown when a wait times out, e.g. its timeline. */
#ifndef WAIT_FOR_ON_TIMEOUT
# define WAIT_FOR_ON_TIMEOUT() G_STMT_START { } G_STMT_END
#endif

gboolean mini_test_on_deadline (gpointer data);
void     mini_test_run_for     (guint    ms);

/* Iterates the default main context until @condition holds, failing after DEADLINE_MS. */
#define WAIT_FOR(condition) \
  G_STMT_START { \
    gboolean expired_ = FALSE; \
    guint deadline_ = g_timeout_add (DEADLINE_MS, mini_test_on_deadline, &expired_); \
    while (!(condition) && !expired_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!expired_) \
      g_source_remove (deadline_); \
    if (!(condition)) \
      { \
        g_test_message ("timed out after %d ms waiting for %s", DEADLINE_MS, #condition); \
        WAIT_FOR_ON_TIMEOUT (); \
      } \
    g_assert_true (condition); \
  } G_STMT_END

G_END_DECLS
