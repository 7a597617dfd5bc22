/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-quirk.h"
#include "mini-session.h"

G_BEGIN_DECLS

/* One rule of the quirks panel: its explanation and an editor chosen by the rule's schema type,
 * so a rule added to schema.json appears with no code here. */
#define MINI_TYPE_QUIRK_ROW (mini_quirk_row_get_type ())
G_DECLARE_FINAL_TYPE (MiniQuirkRow, mini_quirk_row, MINI, QUIRK_ROW, GtkListBoxRow)

GtkWidget  *mini_quirk_row_new        (MiniQuirk    *quirk,
                                       MiniSession  *session);
MiniQuirk  *mini_quirk_row_get_quirk  (MiniQuirkRow *self);
GtkWidget  *mini_quirk_row_get_editor (MiniQuirkRow *self);
const char *mini_quirk_row_get_error  (MiniQuirkRow *self);
void        mini_quirk_row_highlight  (MiniQuirkRow *self);

G_END_DECLS
