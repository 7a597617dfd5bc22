/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-timeline.h"

G_BEGIN_DECLS

/* What a lane shows of its task: the platform's view, read from the timeline. */
typedef enum {
  MINI_LANE_NONE,        /* no lane for that task */
  MINI_LANE_CONNECTING,  /* connectSocket made it; no open yet */
  MINI_LANE_OPEN,        /* open was delivered */
  MINI_LANE_CLOSING,     /* a close frame went out; no close yet */
  MINI_LANE_CLOSED,      /* closed after a clean end */
  MINI_LANE_FAILED,      /* error, abnormal close, or closed before it ever opened */
} MiniLaneState;

/* The kinds of tick a lane draws, from the least to the most important. */
typedef enum {
  MINI_LANE_TICK_OTHER,    /* calls, returns, callbacks, handshake and lifecycle events */
  MINI_LANE_TICK_SEND,     /* a frame the client sent */
  MINI_LANE_TICK_RECEIVE,  /* a message event */
  MINI_LANE_TICK_QUIRK,    /* a platform rule that decided the neighbouring event */
  MINI_LANE_TICK_ERROR,    /* error events, fail and reject callbacks, thrown calls */
  MINI_LANE_N_TICKS
} MiniLaneTick;

/* The timeline above the event list: a lane per socket task, drawn from connectSocket through
 * open to close, with its events as ticks, and a slot meter for the connection limit.
 *
 * CSS: the node is "lanes". Colours are the "color" of the node with one of these classes
 * added: lane-connecting, lane-open, lane-closing, lane-closed, lane-failed (bars);
 * tick-other, tick-send, tick-receive, tick-quirk, tick-error; selected, env, grid, stripe,
 * slot, slot-free, slot-full. Defaults come from the theme's named colours, so the app's
 * style sheet may override any of them, e.g. "lanes.lane-open { color: … }".
 *
 * Actions: lanes.zoom-in, lanes.zoom-out, lanes.zoom-fit, lanes.select-previous,
 * lanes.select-next, lanes.activate-at ("(dd)": widget coordinates, as a click). */
#define MINI_TYPE_LANES (mini_lanes_get_type ())
G_DECLARE_FINAL_TYPE (MiniLanes, mini_lanes, MINI, LANES, GtkWidget)

GtkWidget     *mini_lanes_new                 (void);
MiniTimeline  *mini_lanes_get_timeline        (MiniLanes    *self);
void           mini_lanes_set_timeline        (MiniLanes    *self,
                                               MiniTimeline *timeline);
guint          mini_lanes_get_max_connections (MiniLanes    *self);
void           mini_lanes_set_max_connections (MiniLanes    *self,
                                               guint         max);
guint          mini_lanes_get_selected_seq    (MiniLanes    *self);
void           mini_lanes_set_selected_seq    (MiniLanes    *self,
                                               guint         seq);
double         mini_lanes_get_zoom            (MiniLanes    *self);
void           mini_lanes_set_zoom            (MiniLanes    *self,
                                               double        zoom);

/* Queries of what the widget shows, for tests and assistive technologies. Each one first takes
 * in every event the timeline announced, even those still queued for an idle. */
guint          mini_lanes_get_n_lanes         (MiniLanes    *self);
guint          mini_lanes_get_lane_task       (MiniLanes    *self,
                                               guint         index);
MiniLaneState  mini_lanes_get_lane_state      (MiniLanes    *self,
                                               guint         task);
gboolean       mini_lanes_get_lane_extent     (MiniLanes    *self,
                                               guint         task,
                                               gint64       *start_us,
                                               gint64       *open_us,
                                               gint64       *end_us);
guint          mini_lanes_get_lane_n_ticks    (MiniLanes    *self,
                                               guint         task,
                                               MiniLaneTick  tick);
guint          mini_lanes_get_n_refused       (MiniLanes    *self);
guint          mini_lanes_get_n_live          (MiniLanes    *self);
gboolean       mini_lanes_get_event_position  (MiniLanes    *self,
                                               guint         seq,
                                               double       *x,
                                               double       *y);
guint          mini_lanes_get_event_at        (MiniLanes    *self,
                                               double        x,
                                               double        y);
char          *mini_lanes_dup_tooltip_at      (MiniLanes    *self,
                                               double        x,
                                               double        y);

const char    *mini_lane_state_to_string      (MiniLaneState state);

G_END_DECLS
