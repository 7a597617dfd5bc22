/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mini-runtime.h"

G_BEGIN_DECLS

/* A scripted session (design.md, "Scenario files"), validated when loaded and run on a runtime
 * with deterministic ordering. */
#define MINI_TYPE_SCENARIO (mini_scenario_get_type ())
G_DECLARE_FINAL_TYPE (MiniScenario, mini_scenario, MINI, SCENARIO, GObject)

MiniScenario *mini_scenario_new_from_file    (const char           *path,
                                              GError              **error);
MiniScenario *mini_scenario_new_from_data    (const char           *origin,
                                              const char           *data,
                                              gssize                length,
                                              GError              **error);
MiniScenario *mini_scenario_new_from_resource (const char          *name,
                                              GError              **error);
char        **mini_scenario_list_bundled     (void);

const char   *mini_scenario_get_origin       (MiniScenario         *self);
const char   *mini_scenario_get_dialect_id   (MiniScenario         *self);
char         *mini_scenario_dup_title        (MiniScenario         *self);
char         *mini_scenario_dup_description  (MiniScenario         *self);
JsonObject   *mini_scenario_get_app          (MiniScenario         *self);
JsonObject   *mini_scenario_get_quirks       (MiniScenario         *self);
gboolean      mini_scenario_uses_playground  (MiniScenario         *self);
guint         mini_scenario_get_n_steps      (MiniScenario         *self);
char         *mini_scenario_dup_step_text    (MiniScenario         *self,
                                              guint                 index);
JsonNode     *mini_scenario_build_from_timeline (MiniTimeline      *timeline,
                                              const char           *dialect_id,
                                              JsonObject           *quirks,
                                              const char           *playground_url,
                                              const char           *title);

MiniRuntime  *mini_scenario_create_runtime   (MiniScenario         *self,
                                              const char           *dialect_id,
                                              MiniTimeline         *timeline,
                                              const char           *playground_url,
                                              GError              **error);
void          mini_scenario_run_async        (MiniScenario         *self,
                                              MiniRuntime          *runtime,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void          mini_scenario_run_stepwise_async (MiniScenario       *self,
                                              MiniRuntime          *runtime,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
guint         mini_scenario_get_next_step    (MiniScenario         *self,
                                              MiniRuntime          *runtime);
gboolean      mini_scenario_advance          (MiniScenario         *self,
                                              MiniRuntime          *runtime);
gboolean      mini_scenario_run_finish       (MiniScenario         *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
