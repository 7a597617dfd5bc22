/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-event.h"
#include "mini-event-columns.h"
#include "mini-timeline.h"

G_BEGIN_DECLS

/* The timeline as a filterable table: time, Δ, task, kind, API, summary. */
#define MINI_TYPE_EVENT_LIST (mini_event_list_get_type ())
G_DECLARE_FINAL_TYPE (MiniEventList, mini_event_list, MINI, EVENT_LIST, GtkWidget)

#define MINI_EVENT_LIST_ALL_TASKS G_MAXUINT

GtkWidget    *mini_event_list_new                (void);
MiniTimeline *mini_event_list_get_timeline       (MiniEventList *self);
void          mini_event_list_set_timeline       (MiniEventList *self,
                                                  MiniTimeline  *timeline);
MiniEvent    *mini_event_list_get_selected_event (MiniEventList *self);
gboolean      mini_event_list_select_seq         (MiniEventList *self,
                                                  guint          seq);
GListModel   *mini_event_list_get_model          (MiniEventList *self);
GtkWidget    *mini_event_list_get_list_view      (MiniEventList *self);
MiniEventColumns *mini_event_list_get_columns    (MiniEventList *self);
gboolean      mini_event_list_get_following      (MiniEventList *self);
void          mini_event_list_set_following      (MiniEventList *self,
                                                  gboolean       following);
void          mini_event_list_set_kind_visible   (MiniEventList *self,
                                                  MiniEventKind  kind,
                                                  gboolean       visible);
gboolean      mini_event_list_get_kind_visible   (MiniEventList *self,
                                                  MiniEventKind  kind);
void          mini_event_list_set_task_filter    (MiniEventList *self,
                                                  guint          task);
void          mini_event_list_set_search         (MiniEventList *self,
                                                  const char    *text,
                                                  gboolean       regex);
const char   *mini_event_list_get_search_error   (MiniEventList *self);
guint         mini_event_list_get_pending        (MiniEventList *self);
void          mini_event_list_reset_filters      (MiniEventList *self);
void          mini_event_list_focus_search       (MiniEventList *self);
void          mini_event_list_set_show_steps     (MiniEventList *self,
                                                  gboolean       show);
gboolean      mini_event_list_get_show_steps     (MiniEventList *self);

G_END_DECLS
