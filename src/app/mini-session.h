/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mini-dialect.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

G_BEGIN_DECLS

/* What one window simulates: a platform's rules with the user's quirk overrides, the runtime
 * that follows them and the timeline it writes. GTK-free, so the widgets only present it. */
#define MINI_TYPE_SESSION (mini_session_get_type ())
G_DECLARE_FINAL_TYPE (MiniSession, mini_session, MINI, SESSION, GObject)

MiniSession  *mini_session_new                (void);
MiniTimeline *mini_session_get_timeline       (MiniSession  *self);
MiniRuntime  *mini_session_get_runtime        (MiniSession  *self);
MiniDialect  *mini_session_get_dialect        (MiniSession  *self);
MiniDialect  *mini_session_get_base_dialect   (MiniSession  *self);
const char   *mini_session_get_dialect_id     (MiniSession  *self);
gboolean      mini_session_set_dialect_id     (MiniSession  *self,
                                               const char   *id,
                                               GError      **error);
const char   *mini_session_get_playground_url (MiniSession  *self);
void          mini_session_set_playground_url (MiniSession  *self,
                                               const char   *url);
JsonObject   *mini_session_get_overrides      (MiniSession  *self);
gboolean      mini_session_set_quirk          (MiniSession  *self,
                                               const char   *rule,
                                               JsonNode     *value,
                                               GError      **error);
void          mini_session_reset_quirks       (MiniSession  *self);
gboolean      mini_session_call               (MiniSession  *self,
                                               const char   *api,
                                               JsonObject   *args,
                                               guint         task,
                                               GError      **error);
gboolean      mini_session_load_scenario      (MiniSession  *self,
                                               MiniScenario *scenario,
                                               GError      **error);
GCancellable *mini_session_get_cancellable    (MiniSession  *self);

G_END_DECLS
