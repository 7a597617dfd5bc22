/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mini-runtime.h"
#include "mini-timeline.h"

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
guint    mini_test_unused_port (void);
int      mini_test_thread_nice (const char *name);

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

/* ---- reading a timeline as a user sees it ---- */

/* Matches the events of every task, and of none. */
#define MINI_TEST_ANY_TASK G_MAXUINT

JsonObject *mini_test_parse_object   (const char    *json);
JsonObject *mini_test_parse_args     (const char    *text);
void        mini_test_dump_timeline  (MiniTimeline  *timeline);

guint       mini_test_count_events   (MiniTimeline  *timeline,
                                      MiniEventKind  kind,
                                      guint          task);
gint        mini_test_position_of    (MiniTimeline  *timeline,
                                      MiniEventKind  kind,
                                      guint          task,
                                      const char    *api,
                                      guint          nth);
JsonObject *mini_test_event_at       (MiniTimeline  *timeline,
                                      gint           position);
JsonObject *mini_test_find_event     (MiniTimeline  *timeline,
                                      MiniEventKind  kind,
                                      guint          task,
                                      const char    *api);
JsonObject *mini_test_nth_event      (MiniTimeline  *timeline,
                                      MiniEventKind  kind,
                                      guint          task,
                                      const char    *api,
                                      guint          nth);
gint        mini_test_wire_position  (MiniTimeline  *timeline,
                                      guint          task,
                                      const char    *name,
                                      guint          nth);
JsonObject *mini_test_find_wire      (MiniTimeline  *timeline,
                                      guint          task,
                                      const char    *name);
gboolean    mini_test_has_quirk      (MiniTimeline  *timeline,
                                      guint          task,
                                      const char    *id);
char       *mini_test_task_kinds     (MiniTimeline  *timeline,
                                      guint          task);
void        mini_test_assert_kinds   (MiniTimeline  *timeline,
                                      guint          task,
                                      const char    *expected);

const char *mini_test_str_member     (JsonObject    *object,
                                      const char    *name);
gint64      mini_test_int_member     (JsonObject    *object,
                                      const char    *name);
char       *mini_test_listeners_of   (JsonObject    *event);
void        mini_test_assert_listeners (JsonObject  *event,
                                        const char  *expected);

/* ---- driving a runtime ---- */

void        mini_test_call           (MiniRuntime   *runtime,
                                      const char    *api,
                                      guint          task,
                                      const char    *args_json);
MiniRuntime *mini_test_runtime_new   (MiniDialect   *dialect,
                                      MiniTimeline  *timeline);

G_END_DECLS
