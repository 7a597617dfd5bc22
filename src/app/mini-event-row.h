/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-event.h"
#include "mini-event-columns.h"

G_BEGIN_DECLS

/* One row of the event table: a single widget that draws every shown column of an event. */
#define MINI_TYPE_EVENT_ROW (mini_event_row_get_type ())
G_DECLARE_FINAL_TYPE (MiniEventRow, mini_event_row, MINI, EVENT_ROW, GtkWidget)

GtkWidget     *mini_event_row_new                 (MiniEventColumns *columns);
void           mini_event_row_set_event           (MiniEventRow     *self,
                                                   MiniEvent        *event);
void           mini_event_row_set_kind_attributes (MiniEventRow     *self,
                                                   PangoAttrList    *attrs);
const char    *mini_event_row_get_text            (MiniEventRow     *self,
                                                   MiniEventColumn   column);
PangoAttrList *mini_event_row_get_attributes      (MiniEventRow     *self,
                                                   MiniEventColumn   column);
char          *mini_event_row_dup_shown_text      (MiniEventRow     *self);
gboolean       mini_event_row_get_cell_area       (MiniEventRow     *self,
                                                   MiniEventColumn   column,
                                                   graphene_rect_t  *area);

G_END_DECLS
