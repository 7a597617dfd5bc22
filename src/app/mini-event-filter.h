/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mini-timeline.h"

G_BEGIN_DECLS

/* The timeline's events of some kinds and one task, or all, as a GListModel of MiniEvent. It
 * filters on the timeline's records, never on objects: an event becomes a MiniEvent only when
 * someone asks for it (a visible row), so a million events filter in milliseconds and a flood
 * costs O(new events) per batch. */
#define MINI_TYPE_EVENT_FILTER (mini_event_filter_get_type ())
G_DECLARE_FINAL_TYPE (MiniEventFilter, mini_event_filter, MINI, EVENT_FILTER, GObject)

#define MINI_EVENT_FILTER_ALL_TASKS MINI_TIMELINE_ALL_TASKS

typedef void (*MiniEventFilterMoveFunc) (MiniEventFilter *filter,
                                         guint            n_new,
                                         gpointer         user_data);

MiniEventFilter *mini_event_filter_new          (void);
void             mini_event_filter_set_timeline (MiniEventFilter *self,
                                                 MiniTimeline    *timeline);
void             mini_event_filter_set_kinds    (MiniEventFilter *self,
                                                 guint            kinds);
guint            mini_event_filter_get_kinds    (MiniEventFilter *self);
void             mini_event_filter_set_task     (MiniEventFilter *self,
                                                 guint            task);
guint            mini_event_filter_get_task     (MiniEventFilter *self);
void             mini_event_filter_set_filters  (MiniEventFilter         *self,
                                                 guint                    kinds,
                                                 guint                    task,
                                                 MiniEventFilterMoveFunc  move,
                                                 gpointer                 user_data);

G_END_DECLS
