/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mini-dialect.h"
#include "mini-timeline.h"

G_BEGIN_DECLS

/* One simulated mini-program: a dialect, the app settings, the live socket tasks and the global
 * API binding. Every API is reached through mini_runtime_call(). */
#define MINI_TYPE_RUNTIME (mini_runtime_get_type ())
G_DECLARE_FINAL_TYPE (MiniRuntime, mini_runtime, MINI, RUNTIME, GObject)

MiniRuntime  *mini_runtime_new                (MiniDialect  *dialect,
                                               MiniTimeline *timeline);
MiniDialect  *mini_runtime_get_dialect        (MiniRuntime  *self);
void          mini_runtime_set_dialect        (MiniRuntime  *self,
                                               MiniDialect  *dialect);
MiniTimeline *mini_runtime_get_timeline       (MiniRuntime  *self);
gboolean      mini_runtime_set_app            (MiniRuntime  *self,
                                               JsonObject   *app,
                                               GError      **error);
void          mini_runtime_set_playground_url (MiniRuntime  *self,
                                               const char   *url);
gboolean      mini_runtime_get_tls_check      (MiniRuntime  *self);
void          mini_runtime_set_tls_check      (MiniRuntime  *self,
                                               gboolean      tls_check);
char         *mini_runtime_expand_url         (MiniRuntime  *self,
                                               const char   *url);
gboolean      mini_runtime_call               (MiniRuntime  *self,
                                               const char   *api,
                                               JsonObject   *args,
                                               guint         task,
                                               GError      **error);
void          mini_runtime_set_step           (MiniRuntime  *self,
                                               guint         step);
guint         mini_runtime_get_newest_task    (MiniRuntime  *self);
guint         mini_runtime_get_n_live_tasks   (MiniRuntime  *self);
gint64        mini_runtime_get_last_activity  (MiniRuntime  *self);
gboolean      mini_runtime_get_app_hidden     (MiniRuntime  *self);
gboolean      mini_runtime_get_network_off    (MiniRuntime  *self);
void          mini_runtime_shutdown           (MiniRuntime  *self);
void          mini_runtime_use_io_thread      (MiniRuntime  *self);

gboolean      mini_runtime_is_api             (const char   *api);
gboolean      mini_runtime_api_takes_task     (const char   *api);

G_END_DECLS
