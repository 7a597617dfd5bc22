/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-event.h"

G_BEGIN_DECLS

/* The selected event: its payload as text, JSON tree or hex, its errMsg, the wire under it and
 * the platform rule that decided it. */
#define MINI_TYPE_INSPECTOR (mini_inspector_get_type ())
G_DECLARE_FINAL_TYPE (MiniInspector, mini_inspector, MINI, INSPECTOR, GtkWidget)

GtkWidget  *mini_inspector_new             (void);
MiniEvent  *mini_inspector_get_event       (MiniInspector *self);
void        mini_inspector_set_event       (MiniInspector *self,
                                            MiniEvent     *event);
const char *mini_inspector_get_title       (MiniInspector *self);
const char *mini_inspector_get_meta        (MiniInspector *self);
const char *mini_inspector_get_err_msg     (MiniInspector *self);
char       *mini_inspector_dup_text        (MiniInspector *self);
char       *mini_inspector_dup_hex         (MiniInspector *self);
char       *mini_inspector_dup_quirks_text (MiniInspector *self);
const char *mini_inspector_get_wire_text   (MiniInspector *self);
GListModel *mini_inspector_get_json_model  (MiniInspector *self);
void        mini_inspector_show_page       (MiniInspector *self,
                                            const char    *page);

G_END_DECLS
