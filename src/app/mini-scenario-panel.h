/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-scenario.h"

G_BEGIN_DECLS

/* The scenario library: the bundled lessons, searchable in the UI's language, and the steps of the
 * one opened, with the step a step-by-step run does next selected. Running is the window's. */
#define MINI_TYPE_SCENARIO_PANEL (mini_scenario_panel_get_type ())
G_DECLARE_FINAL_TYPE (MiniScenarioPanel, mini_scenario_panel, MINI, SCENARIO_PANEL, GtkWidget)

GtkWidget    *mini_scenario_panel_new           (void);
GListModel   *mini_scenario_panel_get_model     (MiniScenarioPanel *self);
void          mini_scenario_panel_set_search    (MiniScenarioPanel *self,
                                                 const char        *text);
MiniScenario *mini_scenario_panel_get_scenario  (MiniScenarioPanel *self);
void          mini_scenario_panel_open          (MiniScenarioPanel *self,
                                                 MiniScenario      *scenario);
gboolean      mini_scenario_panel_open_bundled  (MiniScenarioPanel *self,
                                                 const char        *name);
void          mini_scenario_panel_show_library  (MiniScenarioPanel *self);
GListModel   *mini_scenario_panel_get_steps     (MiniScenarioPanel *self);
guint         mini_scenario_panel_get_next_step (MiniScenarioPanel *self);
void          mini_scenario_panel_set_next_step (MiniScenarioPanel *self,
                                                 guint              step);
const char   *mini_scenario_panel_get_state     (MiniScenarioPanel *self);
void          mini_scenario_panel_set_state     (MiniScenarioPanel *self,
                                                 const char        *state);

G_END_DECLS
