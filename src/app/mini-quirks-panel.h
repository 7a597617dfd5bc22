/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-quirk-row.h"
#include "mini-session.h"

G_BEGIN_DECLS

/* Every rule of the dialect in force, generated from the schema, each with its editor and reset. */
#define MINI_TYPE_QUIRKS_PANEL (mini_quirks_panel_get_type ())
G_DECLARE_FINAL_TYPE (MiniQuirksPanel, mini_quirks_panel, MINI, QUIRKS_PANEL, GtkWidget)

GtkWidget    *mini_quirks_panel_new         (void);
MiniSession  *mini_quirks_panel_get_session (MiniQuirksPanel *self);
void          mini_quirks_panel_set_session (MiniQuirksPanel *self,
                                             MiniSession     *session);
MiniQuirkRow *mini_quirks_panel_get_row     (MiniQuirksPanel *self,
                                             const char      *rule);
guint         mini_quirks_panel_get_n_rows  (MiniQuirksPanel *self);
void          mini_quirks_panel_set_search  (MiniQuirksPanel *self,
                                             const char      *text);
gboolean      mini_quirks_panel_reveal      (MiniQuirksPanel *self,
                                             const char      *rule);

G_END_DECLS
