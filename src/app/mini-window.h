/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-application.h"
#include "mini-compare-window.h"
#include "mini-composer.h"
#include "mini-event-list.h"
#include "mini-inspector.h"
#include "mini-lanes.h"
#include "mini-message-bar.h"
#include "mini-quirks-panel.h"
#include "mini-scenario-panel.h"
#include "mini-session.h"

G_BEGIN_DECLS

#define MINI_TYPE_WINDOW (mini_window_get_type ())
G_DECLARE_FINAL_TYPE (MiniWindow, mini_window, MINI, WINDOW, GtkApplicationWindow)

MiniWindow      *mini_window_new                (MiniApplication *application);
MiniSession     *mini_window_get_session        (MiniWindow      *self);
MiniComposer    *mini_window_get_composer       (MiniWindow      *self);
MiniEventList   *mini_window_get_event_list     (MiniWindow      *self);
MiniInspector   *mini_window_get_inspector      (MiniWindow      *self);
MiniLanes       *mini_window_get_lanes          (MiniWindow      *self);
MiniMessageBar  *mini_window_get_message_bar    (MiniWindow      *self);
MiniQuirksPanel *mini_window_get_quirks_panel   (MiniWindow      *self);
const char      *mini_window_get_sidebar_page   (MiniWindow      *self);
const char      *mini_window_get_status         (MiniWindow      *self);
MiniScenarioPanel *mini_window_get_scenario_panel (MiniWindow    *self);
void             mini_window_show_status        (MiniWindow      *self,
                                                 const char      *message);
gboolean         mini_window_get_app_hidden     (MiniWindow      *self);
gboolean         mini_window_get_network_off    (MiniWindow      *self);
gboolean         mini_window_get_insecure_tls   (MiniWindow      *self);
MiniCompareWindow *mini_window_compare          (MiniWindow      *self);
MiniCompareWindow *mini_window_compare_session  (MiniWindow      *self,
                                                 GError         **error);
char            *mini_window_dup_session_code   (MiniWindow      *self);
gboolean         mini_window_open_file          (MiniWindow      *self,
                                                 GFile           *file,
                                                 GError         **error);
gboolean         mini_window_save_session       (MiniWindow      *self,
                                                 GFile           *file,
                                                 GError         **error);
gboolean         mini_window_export_har         (MiniWindow      *self,
                                                 GFile           *file,
                                                 GError         **error);
gboolean         mini_window_export_jsonl       (MiniWindow      *self,
                                                 GFile           *file,
                                                 GError         **error);

G_END_DECLS
