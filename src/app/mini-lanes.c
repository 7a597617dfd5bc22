/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-lanes"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "mini-lanes.h"

#define LANE_HEIGHT      26
#define BAR_TOP          9     /* from the lane's top */
#define BAR_HEIGHT       8
#define THIN_BAR_HEIGHT  4     /* a task still connecting is a thin bar */
#define RIGHT_MARGIN     10    /* keeps the newest tick off the edge */
#define HIT_RADIUS       4.0   /* pixels either side of a tick that still hit it */
#define MIN_LABEL_GAP    72.0  /* pixels between two labels of the time axis */
#define MIN_SPAN_US      1000  /* the shortest session the axis shows: 1 ms */
#define MAX_ZOOM         1e6
#define ZOOM_STEP        1.5
#define MAX_PIPS         8     /* more slots than this make a gauge instead of pips */
#define MAX_HELD         8
#define SLICE_US         4000  /* the longest a batch of new events may hold the main loop */
#define LIVE_REDRAW_MS   100   /* live bars grow to "now" at this pace */

/* The colours the widget draws with; each is the CSS "color" of the node with a class added. */
enum {
  COLOR_TEXT,
  COLOR_CONNECTING,
  COLOR_OPEN,
  COLOR_CLOSING,
  COLOR_CLOSED,
  COLOR_FAILED,
  COLOR_TICK_OTHER,
  COLOR_TICK_SEND,
  COLOR_TICK_RECEIVE,
  COLOR_TICK_QUIRK,
  COLOR_TICK_ERROR,
  COLOR_SELECTED,
  COLOR_ENV,
  COLOR_GRID,
  COLOR_STRIPE,
  COLOR_SLOT,
  COLOR_SLOT_FREE,
  COLOR_SLOT_FULL,
  N_COLORS
};

static const char * const color_classes[N_COLORS] = {
  NULL,
  "lane-connecting", "lane-open", "lane-closing", "lane-closed", "lane-failed",
  "tick-other", "tick-send", "tick-receive", "tick-quirk", "tick-error",
  "selected", "env", "grid", "stripe", "slot", "slot-free", "slot-full",
};

/* Named colours of the theme, so the light and the dark style both work; the app's style sheet,
 * at a higher priority, wins over any of these. */
static const char default_css[] =
  "lanes.lane-connecting { color: alpha(@success_color, 0.55); }\n"
  "lanes.lane-open { color: @success_color; }\n"
  "lanes.lane-closing { color: @warning_color; }\n"
  "lanes.lane-closed { color: alpha(@theme_fg_color, 0.35); }\n"
  "lanes.lane-failed { color: alpha(@error_color, 0.6); }\n"
  "lanes.tick-other { color: alpha(@theme_fg_color, 0.4); }\n"
  "lanes.tick-send { color: mix(#9141ac, @theme_fg_color, 0.3); }\n"
  "lanes.tick-receive { color: mix(@theme_selected_bg_color, @theme_fg_color, 0.25); }\n"
  "lanes.tick-quirk { color: mix(#e5a50a, @theme_fg_color, 0.15); }\n"
  "lanes.tick-error { color: @error_color; }\n"
  "lanes.selected { color: mix(@theme_selected_bg_color, @theme_fg_color, 0.25); }\n"
  "lanes.env { color: alpha(@theme_fg_color, 0.4); }\n"
  "lanes.grid { color: alpha(@theme_fg_color, 0.1); }\n"
  "lanes.stripe { color: alpha(@theme_fg_color, 0.035); }\n"
  "lanes.slot { color: alpha(@theme_fg_color, 0.7); }\n"
  "lanes.slot-free { color: alpha(@theme_fg_color, 0.15); }\n"
  "lanes.slot-full { color: @warning_color; }\n";

/* One kind of tick of one lane: times and seqs in the order of the timeline, so both are sorted
 * and a pixel column is two binary searches away, however many events it covers. */
typedef struct {
  GArray *t;    /* gint64 µs since the origin, never decreasing */
  GArray *seq;  /* guint */
} Track;

typedef struct {
  guint          task;          /* 0 for the row of refused connectSocket calls */
  MiniLaneState  state;
  guint          failing : 1;   /* the wire showed a failure: the end will be a failed one */
  guint          cut : 1;       /* still live when the run ended; @state is its last */
  gint64         start_us;      /* the connectSocket call */
  gint64         open_us;       /* -1 until open */
  gint64         closing_us;    /* -1 unless a close frame went out */
  gint64         end_us;        /* -1 while live */
  guint          first_seq;
  Track          tracks[MINI_LANE_N_TICKS];
} Lane;

struct _MiniLanes
{
  GtkWidget      parent_instance;

  MiniTimeline  *timeline;
  guint          max_connections;
  guint          selected_seq;
  double         zoom;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  /* What was taken in from the timeline, event by event. */
  GPtrArray     *lanes;              /* Lane, in the order their tasks appeared */
  GHashTable    *lane_by_task;       /* task -> Lane */
  Lane          *refused;            /* NULL until a connectSocket call is refused */
  Lane          *last_lane;          /* a flood hits one task: spares the hash lookup */
  Track          env;
  guint          n_seen;
  guint          n_announced;
  guint          n_live;
  gint64         last_us;            /* the newest event */
  JsonObject    *last_wire_extra;    /* frames share their extra: spares a member lookup */
  const char    *last_wire_name;

  /* connectSocket records its call before the task exists; the task, or the refusal, adopts it
   * and the quirks recorded in between. */
  guint          pending_seq;
  gint64         pending_us;
  guint          n_held;
  guint          held_seq[MAX_HELD];
  gint64         held_us[MAX_HELD];

  guint          catch_up_id;
  guint          live_redraw_id;
  double         pointer_x;          /* -1 when the pointer is elsewhere */

  GdkRGBA        colors[N_COLORS];
  int            gutter_width;
  int            header_height;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (MiniLanes, mini_lanes, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

enum {
  PROP_0,
  PROP_TIMELINE,
  PROP_MAX_CONNECTIONS,
  PROP_SELECTED_SEQ,
  PROP_ZOOM,
  N_PROPS,

  /* GtkScrollable's, overridden */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum {
  EVENT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- tracks and lanes --------------------------------------------------------------------- */

static void
track_init (Track *track)
{
  track->t = g_array_new (FALSE, FALSE, sizeof (gint64));
  track->seq = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
track_clear (Track *track)
{
  g_clear_pointer (&track->t, g_array_unref);
  g_clear_pointer (&track->seq, g_array_unref);
}

static inline guint
track_len (const Track *track)
{
  return track->t->len;
}

static inline gint64
track_t (const Track *track,
         guint        i)
{
  return g_array_index (track->t, gint64, i);
}

static inline guint
track_seq (const Track *track,
           guint        i)
{
  return g_array_index (track->seq, guint, i);
}

static void
track_push (Track  *track,
            gint64  t_us,
            guint   seq)
{
  /* A producer may hand in a time a little behind the previous one; the searches need order. */
  if (track->t->len > 0)
    t_us = MAX (t_us, track_t (track, track->t->len - 1));

  g_array_append_val (track->t, t_us);
  g_array_append_val (track->seq, seq);
}

/* The first index from @from on whose time is at least @t_us. Gallops first: in a dense column
 * the answer is near, in a sparse one it is far. */
static guint
track_search (const Track *track,
              guint        from,
              gint64       t_us)
{
  const gint64 *ts = (const gint64 *) (gpointer) track->t->data;
  guint n = track->t->len;
  guint lo = from;
  guint hi;
  guint step = 1;

  if (lo >= n || ts[lo] >= t_us)
    return lo;

  hi = lo + 1;
  while (hi < n && ts[hi] < t_us)
    {
      lo = hi;
      step = step < G_MAXUINT / 4 ? step * 2 : step;
      hi = n - lo > step ? lo + step : n;
    }

  while (lo + 1 < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ts[mid] < t_us)
        lo = mid;
      else
        hi = mid;
    }

  return hi;
}

/* The index of @seq in @track, or -1. */
static gint
track_find_seq (const Track *track,
                guint        seq)
{
  guint lo = 0;
  guint hi = track->seq->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint value = track_seq (track, mid);

      if (value == seq)
        return (gint) mid;
      if (value < seq)
        lo = mid + 1;
      else
        hi = mid;
    }

  return -1;
}

static Lane *
lane_new (guint task)
{
  Lane *lane = g_new0 (Lane, 1);

  lane->task = task;
  lane->state = MINI_LANE_CONNECTING;
  lane->open_us = -1;
  lane->closing_us = -1;
  lane->end_us = -1;
  for (guint i = 0; i < MINI_LANE_N_TICKS; i++)
    track_init (&lane->tracks[i]);

  return lane;
}

static void
lane_free (gpointer data)
{
  Lane *lane = data;

  for (guint i = 0; i < MINI_LANE_N_TICKS; i++)
    track_clear (&lane->tracks[i]);
  g_free (lane);
}

static gboolean
state_is_live (MiniLaneState state)
{
  return state == MINI_LANE_CONNECTING || state == MINI_LANE_OPEN || state == MINI_LANE_CLOSING;
}

/* What the slot meter counts, and what grows to "now". */
static gboolean
lane_is_live (const Lane *lane)
{
  return lane->task != 0 && state_is_live (lane->state) && !lane->cut;
}

/* ---- taking events in --------------------------------------------------------------------- */

static const char *
extra_string (const MiniEventView *view,
              const char          *name)
{
  if (view->extra == NULL)
    return NULL;

  return json_object_get_string_member_with_default (view->extra, name, NULL);
}

static const char *
wire_name (MiniLanes           *self,
           const MiniEventView *view)
{
  if (view->extra == NULL)
    return NULL;

  if (view->extra != self->last_wire_extra)
    {
      self->last_wire_extra = view->extra;
      self->last_wire_name = extra_string (view, "wire");
    }

  return self->last_wire_name;
}

static MiniLaneTick
tick_for_event (MiniLanes           *self,
                const MiniEventView *view)
{
  const char *wire;

  switch (view->kind)
    {
    case MINI_EVENT_MESSAGE:
      return MINI_LANE_TICK_RECEIVE;

    case MINI_EVENT_ERROR:
    case MINI_EVENT_FAIL:
    case MINI_EVENT_REJECT:
      return MINI_LANE_TICK_ERROR;

    case MINI_EVENT_QUIRK:
      return MINI_LANE_TICK_QUIRK;

    case MINI_EVENT_RETURN:
      /* A thrown call returns with the exception's message. */
      return view->err_msg != NULL ? MINI_LANE_TICK_ERROR : MINI_LANE_TICK_OTHER;

    case MINI_EVENT_WIRE:
      wire = wire_name (self, view);
      return wire != NULL && g_str_has_prefix (wire, "frame-out")
             ? MINI_LANE_TICK_SEND : MINI_LANE_TICK_OTHER;

    case MINI_EVENT_CALL:
    case MINI_EVENT_SUCCESS:
    case MINI_EVENT_COMPLETE:
    case MINI_EVENT_RESOLVE:
    case MINI_EVENT_OPEN:
    case MINI_EVENT_CLOSE:
    case MINI_EVENT_ENV:
    case MINI_N_EVENT_KINDS:
    default:
      return MINI_LANE_TICK_OTHER;
    }
}

static void
adopt_pending (MiniLanes *self,
               Lane      *lane)
{
  if (self->pending_seq == 0)
    return;

  track_push (&lane->tracks[MINI_LANE_TICK_OTHER], self->pending_us, self->pending_seq);
  for (guint i = 0; i < self->n_held; i++)
    track_push (&lane->tracks[MINI_LANE_TICK_QUIRK], self->held_us[i], self->held_seq[i]);

  self->pending_seq = 0;
  self->n_held = 0;
}

static Lane *
lane_for_task (MiniLanes           *self,
               const MiniEventView *view)
{
  Lane *lane;

  if (self->last_lane != NULL && self->last_lane->task == view->task)
    return self->last_lane;

  lane = g_hash_table_lookup (self->lane_by_task, GUINT_TO_POINTER (view->task));
  if (lane == NULL)
    {
      /* Only connectSocket makes tasks: the first event of a task starts a connecting lane. */
      lane = lane_new (view->task);
      lane->start_us = self->pending_seq != 0 ? MIN (self->pending_us, view->t_us) : view->t_us;
      lane->first_seq = self->pending_seq != 0 ? self->pending_seq : view->seq;
      adopt_pending (self, lane);
      g_ptr_array_add (self->lanes, lane);
      g_hash_table_insert (self->lane_by_task, GUINT_TO_POINTER (view->task), lane);
      self->n_live++;
    }

  self->last_lane = lane;

  return lane;
}

static void
lane_end (MiniLanes     *self,
          Lane          *lane,
          MiniLaneState  state,
          gint64         t_us)
{
  if (lane_is_live (lane))
    {
      g_assert (self->n_live > 0);
      self->n_live--;
      lane->state = state;
      lane->end_us = t_us;
      return;
    }

  /* error then close: the bar reaches the close, and a failure stays one. */
  lane->end_us = MAX (lane->end_us, t_us);
  if (state == MINI_LANE_FAILED)
    lane->state = MINI_LANE_FAILED;
}

/* A scenario run drops its sockets at the end without platform events: the lanes stop there,
 * keeping the state the platform last showed, and no longer take a slot. */
static void
cut_live_lanes (MiniLanes *self,
                gint64     t_us)
{
  for (guint i = 0; i < self->lanes->len; i++)
    {
      Lane *lane = g_ptr_array_index (self->lanes, i);

      if (!lane_is_live (lane))
        continue;
      lane->cut = TRUE;
      lane->end_us = t_us;
      g_assert (self->n_live > 0);
      self->n_live--;
    }
}

static void
lane_advance (MiniLanes           *self,
              Lane                *lane,
              const MiniEventView *view)
{
  const char *wire;

  switch (view->kind)
    {
    case MINI_EVENT_OPEN:
      if (lane->state == MINI_LANE_CONNECTING)
        {
          lane->state = MINI_LANE_OPEN;
          lane->open_us = view->t_us;
        }
      break;

    case MINI_EVENT_WIRE:
      wire = wire_name (self, view);
      if (g_strcmp0 (wire, "close-out") == 0
          && (lane->state == MINI_LANE_CONNECTING || lane->state == MINI_LANE_OPEN))
        {
          lane->state = MINI_LANE_CLOSING;
          lane->closing_us = view->t_us;
        }
      else if (g_strcmp0 (wire, "tcp-closed") == 0 || g_strcmp0 (wire, "connect-failed") == 0)
        lane->failing = TRUE;
      break;

    case MINI_EVENT_ERROR:
      /* The platform delivers an error only for a connection that failed or broke. */
      lane_end (self, lane, MINI_LANE_FAILED, view->t_us);
      break;

    case MINI_EVENT_CLOSE:
      lane_end (self, lane,
                lane->failing || lane->state == MINI_LANE_CONNECTING
                || view->code == 1006 ? MINI_LANE_FAILED : MINI_LANE_CLOSED,
                view->t_us);
      break;

    case MINI_EVENT_CALL:
    case MINI_EVENT_RETURN:
    case MINI_EVENT_SUCCESS:
    case MINI_EVENT_FAIL:
    case MINI_EVENT_COMPLETE:
    case MINI_EVENT_RESOLVE:
    case MINI_EVENT_REJECT:
    case MINI_EVENT_MESSAGE:
    case MINI_EVENT_QUIRK:
    case MINI_EVENT_ENV:
    case MINI_N_EVENT_KINDS:
    default:
      break;
    }
}

static Lane *
ensure_refused_row (MiniLanes *self)
{
  if (self->refused == NULL)
    {
      self->refused = lane_new (0);
      self->refused->state = MINI_LANE_FAILED;
    }

  return self->refused;
}

/* Events of no task: environment changes, and connectSocket calls before (or instead of) their
 * task. */
static void
take_taskless (MiniLanes           *self,
               const MiniEventView *view)
{
  gboolean is_connect = g_strcmp0 (view->api, "connectSocket") == 0;

  if (view->kind == MINI_EVENT_CALL && is_connect)
    {
      self->pending_seq = view->seq;
      self->pending_us = view->t_us;
      self->n_held = 0;
      return;
    }

  if (view->kind == MINI_EVENT_ENV)
    {
      track_push (&self->env, view->t_us, view->seq);
      if (g_strcmp0 (extra_string (view, "value"), "end") == 0)
        cut_live_lanes (self, view->t_us);
      return;
    }

  if (view->kind == MINI_EVENT_QUIRK && self->pending_seq != 0)
    {
      if (self->n_held < MAX_HELD)
        {
          self->held_seq[self->n_held] = view->seq;
          self->held_us[self->n_held] = view->t_us;
          self->n_held++;
        }
      return;
    }

  /* A connectSocket that returned without a task was refused outright: its return and its
   * callbacks go to the row of refusals. Only the return follows the call at once; a callback
   * may come after the next call, which is not this one's to take. */
  if (is_connect)
    {
      Lane *row = ensure_refused_row (self);

      if (view->kind == MINI_EVENT_RETURN)
        adopt_pending (self, row);
      if (row->first_seq == 0)
        row->first_seq = view->seq;
      track_push (&row->tracks[tick_for_event (self, view)], view->t_us, view->seq);
    }
}

static void
take_event (MiniLanes           *self,
            const MiniEventView *view)
{
  Lane *lane;

  self->last_us = MAX (self->last_us, view->t_us);

  if (view->task == 0)
    {
      take_taskless (self, view);
      return;
    }

  lane = lane_for_task (self, view);
  track_push (&lane->tracks[tick_for_event (self, view)], view->t_us, view->seq);
  lane_advance (self, lane, view);
}

static guint
n_rows (MiniLanes *self)
{
  return self->lanes->len + (self->refused != NULL ? 1 : 0);
}

static Lane *
row_lane (MiniLanes *self,
          gint       row)
{
  if (row < 0)
    return NULL;
  if ((guint) row < self->lanes->len)
    return g_ptr_array_index (self->lanes, row);
  if ((guint) row == self->lanes->len)
    return self->refused;

  return NULL;
}

static gint
lane_row (MiniLanes *self,
          Lane      *lane)
{
  guint index;

  if (lane == self->refused)
    return self->lanes->len;
  if (g_ptr_array_find (self->lanes, lane, &index))
    return (gint) index;

  return -1;
}

static void update_accessible  (MiniLanes *self);
static void update_live_redraw (MiniLanes *self);

static gboolean catch_up_idle (gpointer user_data);

/* Takes in announced events until @budget_us is spent (0: all of them). */
static void
catch_up (MiniLanes *self,
          gint64     budget_us)
{
  gint64 deadline = budget_us > 0 ? g_get_monotonic_time () + budget_us : 0;
  guint rows_before = n_rows (self);
  guint live_before = self->n_live;
  guint seen_before = self->n_seen;

  while (self->n_seen < self->n_announced)
    {
      MiniEventView view;

      if (!mini_timeline_get_event (self->timeline, self->n_seen, &view))
        break;
      take_event (self, &view);
      self->n_seen++;

      if (deadline != 0 && (self->n_seen & 1023) == 0 && g_get_monotonic_time () >= deadline)
        break;
    }

  if (self->n_seen < self->n_announced)
    {
      if (self->catch_up_id == 0)
        self->catch_up_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, catch_up_idle, self, NULL);
    }
  else
    g_clear_handle_id (&self->catch_up_id, g_source_remove);

  if (self->n_seen == seen_before)
    return;

  if (n_rows (self) != rows_before)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (n_rows (self) != rows_before || self->n_live != live_before)
    {
      update_accessible (self);
      update_live_redraw (self);
    }
}

static gboolean
catch_up_idle (gpointer user_data)
{
  MiniLanes *self = user_data;

  self->catch_up_id = 0;
  catch_up (self, SLICE_US);

  return G_SOURCE_REMOVE;
}

static void
reset (MiniLanes *self)
{
  g_clear_handle_id (&self->catch_up_id, g_source_remove);

  g_ptr_array_set_size (self->lanes, 0);
  g_hash_table_remove_all (self->lane_by_task);
  g_clear_pointer (&self->refused, lane_free);
  self->last_lane = NULL;
  track_clear (&self->env);
  track_init (&self->env);

  self->n_seen = 0;
  self->n_announced = 0;
  self->n_live = 0;
  self->last_us = 0;
  self->last_wire_extra = NULL;
  self->last_wire_name = NULL;
  self->pending_seq = 0;
  self->n_held = 0;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  MiniLanes  *self)
{
  guint n_items = g_list_model_get_n_items (model);

  /* The timeline only appends, except when cleared: anything else starts over. */
  if (removed > 0 || position < self->n_seen)
    {
      reset (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      update_accessible (self);
      update_live_redraw (self);
      if (self->selected_seq > n_items)
        mini_lanes_set_selected_seq (self, 0);
    }

  self->n_announced = n_items;
  catch_up (self, SLICE_US);
}

/* ---- geometry ----------------------------------------------------------------------------- */

static PangoLayout *
create_layout (MiniLanes  *self,
               const char *text,
               gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (small)
    {
      g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_layout_set_attributes (layout, attrs);
    }

  return layout;
}

static void
ensure_metrics (MiniLanes *self)
{
  g_autoptr(PangoLayout) label = NULL;
  g_autoptr(PangoLayout) axis = NULL;
  g_autofree char *widest = NULL;
  int label_width;
  int axis_height;

  if (self->gutter_width > 0)
    return;

  widest = g_strdup_printf (_("Task %u"), 88888);
  label = create_layout (self, widest, FALSE);
  pango_layout_get_pixel_size (label, &label_width, NULL);
  axis = create_layout (self, "0123456789 ms", TRUE);
  pango_layout_get_pixel_size (axis, NULL, &axis_height);

  /* The chip, the label, and room for the slot meter in the header. */
  self->gutter_width = MAX (8 + 8 + label_width + 12, 116);
  self->header_height = MAX (axis_height + 8, 22);
}

static int
area_width (MiniLanes *self)
{
  ensure_metrics (self);

  return MAX (gtk_widget_get_width (GTK_WIDGET (self)) - self->gutter_width - RIGHT_MARGIN, 1);
}

static int
lanes_height (MiniLanes *self)
{
  ensure_metrics (self);

  return MAX (gtk_widget_get_height (GTK_WIDGET (self)) - self->header_height, 0);
}

static gint64
now_us (MiniLanes *self)
{
  return g_get_monotonic_time () - mini_timeline_get_origin (self->timeline);
}

/* Where live bars end: now. */
static gint64
live_end_us (MiniLanes *self)
{
  if (self->timeline != NULL && self->n_live > 0)
    return MAX (self->last_us, now_us (self));

  return self->last_us;
}

static gint64
span_us (MiniLanes *self)
{
  return MAX (MAX (self->last_us, live_end_us (self)), MIN_SPAN_US);
}

static double
px_per_us (MiniLanes *self)
{
  return area_width (self) * self->zoom / (double) span_us (self);
}

static double
hvalue (MiniLanes *self)
{
  return gtk_adjustment_get_value (self->hadjustment);
}

static double
vvalue (MiniLanes *self)
{
  return gtk_adjustment_get_value (self->vadjustment);
}

static double
x_of (MiniLanes *self,
      double     scale,
      gint64     t_us)
{
  return self->gutter_width + t_us * scale - hvalue (self);
}

static double
time_at (MiniLanes *self,
         double     scale,
         double     x)
{
  return (x - self->gutter_width + hvalue (self)) / scale;
}

static double
row_top (MiniLanes *self,
         guint      row)
{
  return self->header_height + (double) row * LANE_HEIGHT - vvalue (self);
}

/* A tick's box inside its lane, for a column with @level (1…3) density. */
static graphene_rect_t
tick_rect (MiniLaneTick tick,
           double       x,
           double       top,
           guint        level)
{
  double h = 2.0 + 2.0 * level;

  switch (tick)
    {
    case MINI_LANE_TICK_RECEIVE:
      return GRAPHENE_RECT_INIT (x, top + BAR_TOP - 1 - h, 2, h);
    case MINI_LANE_TICK_SEND:
      return GRAPHENE_RECT_INIT (x, top + BAR_TOP + BAR_HEIGHT + 1, 2, h);
    case MINI_LANE_TICK_QUIRK:
      return GRAPHENE_RECT_INIT (x - 1, top + BAR_TOP - 3, 3, BAR_HEIGHT + 6);
    case MINI_LANE_TICK_ERROR:
      return GRAPHENE_RECT_INIT (x, top + 2, 2, LANE_HEIGHT - 4);
    case MINI_LANE_TICK_OTHER:
    case MINI_LANE_N_TICKS:
    default:
      return GRAPHENE_RECT_INIT (x, top + BAR_TOP + 1, 1, BAR_HEIGHT - 2);
    }
}

static guint
density_level (guint count)
{
  return count >= 10 ? 3 : count >= 2 ? 2 : 1;
}

/* ---- colours and style -------------------------------------------------------------------- */

static void
ensure_default_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "mini-lanes-css") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, default_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_FALLBACK);
  g_object_set_data_full (G_OBJECT (display), "mini-lanes-css",
                          g_steal_pointer (&provider), g_object_unref);
}

/* Read at every frame (about 70 µs): a style sheet added later restyles the classes, not the
 * widget's own node, so no css_changed would tell a cache to go stale. */
static void
read_colors (MiniLanes *self)
{
  GtkStyleContext *context;

  /* GTK 4.8 has no public way to style parts of a widget but a saved context with a class. */
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &self->colors[COLOR_TEXT]);
  for (guint i = 1; i < N_COLORS; i++)
    {
      gtk_style_context_save (context);
      gtk_style_context_add_class (context, color_classes[i]);
      gtk_style_context_get_color (context, &self->colors[i]);
      gtk_style_context_restore (context);
    }
}

static const GdkRGBA *
lane_color (MiniLanes     *self,
            MiniLaneState  state)
{
  g_assert (state >= MINI_LANE_CONNECTING && state <= MINI_LANE_FAILED);

  return &self->colors[COLOR_CONNECTING + (state - MINI_LANE_CONNECTING)];
}

/* ---- text --------------------------------------------------------------------------------- */

const char *
mini_lane_state_to_string (MiniLaneState state)
{
  switch (state)
    {
    case MINI_LANE_CONNECTING:
      return C_("lane state", "connecting");
    case MINI_LANE_OPEN:
      return C_("lane state", "open");
    case MINI_LANE_CLOSING:
      return C_("lane state", "closing");
    case MINI_LANE_CLOSED:
      return C_("lane state", "closed");
    case MINI_LANE_FAILED:
      return C_("lane state", "failed");
    case MINI_LANE_NONE:
    default:
      return C_("lane state", "none");
    }
}

/* A time as the event list shows it: milliseconds with three decimals. */
static char *
format_time (gint64 t_us)
{
  g_autofree char *number = g_strdup_printf ("%.3f", t_us / 1000.0);

  /* TRANSLATORS: a time in milliseconds, e.g. "12.345 ms" */
  return g_strdup_printf (_("%s ms"), number);
}

/* An axis label: whole steps need no more decimals than the step has. */
static char *
format_axis_label (gint64 t_us,
                   gint64 step_us)
{
  gboolean seconds = step_us >= 100000;
  double unit = seconds ? 1e6 : 1e3;
  int decimals = MAX (0, (int) ceil (-log10 (step_us / unit) - 1e-9));
  g_autofree char *number = NULL;

  if (t_us == 0)
    return g_strdup ("0");

  number = g_strdup_printf ("%.*f", decimals, t_us / unit);

  /* TRANSLATORS: a time in seconds on the time axis, e.g. "1.5 s" */
  return g_strdup_printf (seconds ? _("%s s") : _("%s ms"), number);
}

static char *
slot_text (MiniLanes *self)
{
  if (self->max_connections == 0)
    return g_strdup_printf ("%u / ∞", self->n_live);

  return g_strdup_printf ("%u / %u", self->n_live, self->max_connections);
}

static char *
lane_label (Lane *lane)
{
  if (lane->task == 0)
    return g_strdup (_("Refused"));

  return g_strdup_printf (_("Task %u"), lane->task);
}

static void
update_accessible (MiniLanes *self)
{
  g_autofree char *tasks = NULL;
  g_autofree char *slots = NULL;
  g_autofree char *description = NULL;
  guint n = self->lanes->len;

  tasks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n), n);
  if (self->max_connections > 0)
    slots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u connection slot in use",
                                          "%u of %u connection slots in use",
                                          self->max_connections),
                             self->n_live, self->max_connections);
  else
    slots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u live connection, no limit",
                                          "%u live connections, no limit", self->n_live),
                             self->n_live);

  description = g_strdup_printf ("%s; %s", tasks, slots);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* ---- drawing ------------------------------------------------------------------------------ */

static void
fill (GtkSnapshot   *snapshot,
      const GdkRGBA *color,
      double         x,
      double         y,
      double         width,
      double         height)
{
  if (width <= 0 || height <= 0)
    return;

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
draw_text (MiniLanes     *self,
           GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           const GdkRGBA *color,
           double         x,
           double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The largest of 1, 2, 5 × 10ⁿ µs that keeps labels MIN_LABEL_GAP apart. */
static gint64
axis_step (double scale)
{
  static const gint64 mantissas[] = { 1, 2, 5 };
  gint64 power = 1;

  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
        {
          gint64 step = mantissas[i] * power;

          if (step * scale >= MIN_LABEL_GAP || power > G_MAXINT64 / 100)
            return step;
        }
      power *= 10;
    }
}

static void
draw_axis (MiniLanes   *self,
           GtkSnapshot *snapshot,
           double       scale,
           int          width,
           int          height)
{
  gint64 step = axis_step (scale);
  gint64 first = (gint64) floor (MAX (time_at (self, scale, self->gutter_width), 0) / step) * step;
  double right = width;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->gutter_width, 0,
                                                         width - self->gutter_width, height));

  for (gint64 t = first; ; t += step)
    {
      double x = x_of (self, scale, t);
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      GdkRGBA dim = self->colors[COLOR_TEXT];

      if (x > right)
        break;

      fill (snapshot, &self->colors[COLOR_GRID], floor (x), self->header_height - 4, 1,
            height - self->header_height + 4);

      text = format_axis_label (t, step);
      layout = create_layout (self, text, TRUE);
      dim.alpha *= 0.7;
      draw_text (self, snapshot, layout, &dim, floor (x) + 3, 3);
    }

  gtk_snapshot_pop (snapshot);
}

static void
draw_slot_meter (MiniLanes   *self,
                 GtkSnapshot *snapshot)
{
  g_autofree char *text = slot_text (self);
  g_autoptr(PangoLayout) layout = create_layout (self, text, TRUE);
  gboolean full = self->max_connections > 0 && self->n_live >= self->max_connections;
  const GdkRGBA *used = &self->colors[full ? COLOR_SLOT_FULL : COLOR_SLOT];
  const GdkRGBA *text_color = full ? used : &self->colors[COLOR_TEXT];
  double y = (self->header_height - 10) / 2.0;
  double x = 8;
  int text_height;

  if (self->max_connections > 0 && self->max_connections <= MAX_PIPS)
    {
      for (guint i = 0; i < self->max_connections; i++)
        fill (snapshot, i < self->n_live ? used : &self->colors[COLOR_SLOT_FREE],
              x + i * 8, y, 6, 10);
      x += self->max_connections * 8 + 4;
    }
  else if (self->max_connections > 0)
    {
      double fraction = MIN (1.0, self->n_live / (double) self->max_connections);

      fill (snapshot, &self->colors[COLOR_SLOT_FREE], x, y, 56, 10);
      fill (snapshot, used, x, y, 56 * fraction, 10);
      x += 60;
    }

  pango_layout_get_pixel_size (layout, NULL, &text_height);
  draw_text (self, snapshot, layout, text_color, x, (self->header_height - text_height) / 2.0);
}

static void
draw_bar (MiniLanes   *self,
          GtkSnapshot *snapshot,
          Lane        *lane,
          double       scale,
          double       top)
{
  gboolean live = state_is_live (lane->state);
  gint64 end = lane->end_us >= 0 ? lane->end_us : live_end_us (self);
  gint64 open_end = lane->closing_us >= 0 ? lane->closing_us : end;
  gint64 connect_end = lane->open_us >= 0 ? lane->open_us : open_end;
  double x0 = x_of (self, scale, lane->start_us);
  double x1 = x_of (self, scale, connect_end);
  double x2 = x_of (self, scale, open_end);
  double x3 = x_of (self, scale, end);
  const GdkRGBA *connecting = live ? lane_color (self, MINI_LANE_CONNECTING)
                                   : lane_color (self, lane->state);
  const GdkRGBA *open = live ? lane_color (self, MINI_LANE_OPEN) : lane_color (self, lane->state);
  const GdkRGBA *closing = live ? lane_color (self, MINI_LANE_CLOSING)
                                : lane_color (self, lane->state);

  /* Phases keep their shape after the end; the colour then says how it ended. */
  fill (snapshot, connecting, x0, top + BAR_TOP + (BAR_HEIGHT - THIN_BAR_HEIGHT) / 2.0,
        MAX (x1 - x0, 1), THIN_BAR_HEIGHT);
  if (lane->open_us >= 0)
    fill (snapshot, open, x1, top + BAR_TOP, MAX (x2 - x1, 1), BAR_HEIGHT);
  if (lane->closing_us >= 0)
    fill (snapshot, closing, x2, top + BAR_TOP, MAX (x3 - x2, 1), BAR_HEIGHT);

  /* Where it broke is the point of a failed lane: a mark as strong as an error tick. */
  if (lane->state == MINI_LANE_FAILED)
    fill (snapshot, &self->colors[COLOR_TICK_ERROR], x3 - 1, top + BAR_TOP - 3, 3,
          BAR_HEIGHT + 6);
}

typedef struct {
  double x0;
  double x1;
  guint  level;
} Run;

static void
flush_run (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           MiniLaneTick   tick,
           double         top,
           Run           *run)
{
  graphene_rect_t rect;

  if (run->level == 0)
    return;

  rect = tick_rect (tick, run->x0, top, run->level);
  rect.size.width += run->x1 - run->x0;
  gtk_snapshot_append_color (snapshot, color, &rect);
  run->level = 0;
}

/* One pass per pixel column that holds events, whatever their number; neighbouring columns of
 * the same density become one rectangle, so a flood is a handful of nodes. */
static void
draw_track (MiniLanes     *self,
            GtkSnapshot   *snapshot,
            const Track   *track,
            MiniLaneTick   tick,
            const GdkRGBA *color,
            double         scale,
            double         top,
            int            width)
{
  double t_first = time_at (self, scale, self->gutter_width - 2);
  double t_last = time_at (self, scale, width);
  guint n = track_len (track);
  guint i = track_search (track, 0, (gint64) floor (MAX (t_first, 0)));
  Run run = { 0, 0, 0 };

  while (i < n)
    {
      gint64 t = track_t (track, i);
      double column;
      guint j;
      guint level;

      if (t > t_last)
        break;

      column = floor (x_of (self, scale, t));
      j = track_search (track, i, (gint64) ceil (time_at (self, scale, column + 1)));
      j = MAX (j, i + 1);
      level = density_level (j - i);

      if (run.level == level && column - run.x1 <= 1)
        run.x1 = column;
      else
        {
          flush_run (snapshot, color, tick, top, &run);
          run = (Run) { column, column, level };
        }
      i = j;
    }

  flush_run (snapshot, color, tick, top, &run);
}

static void
draw_lane (MiniLanes   *self,
           GtkSnapshot *snapshot,
           Lane        *lane,
           guint        row,
           double       scale,
           int          width)
{
  double top = row_top (self, row);

  if (row % 2 == 1)
    fill (snapshot, &self->colors[COLOR_STRIPE], 0, top, width, LANE_HEIGHT);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->gutter_width, top,
                                                         width - self->gutter_width,
                                                         LANE_HEIGHT));
  if (lane->task != 0)
    draw_bar (self, snapshot, lane, scale, top);
  for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
    draw_track (self, snapshot, &lane->tracks[k], k, &self->colors[COLOR_TICK_OTHER + k],
                scale, top, width);
  gtk_snapshot_pop (snapshot);
}

static void
draw_gutter_row (MiniLanes   *self,
                 GtkSnapshot *snapshot,
                 Lane        *lane,
                 guint        row)
{
  double top = row_top (self, row);
  g_autofree char *text = lane_label (lane);
  g_autoptr(PangoLayout) layout = create_layout (self, text, FALSE);
  int text_height;

  fill (snapshot, lane_color (self, lane->state), 8, top + (LANE_HEIGHT - 8) / 2.0, 8, 8);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  draw_text (self, snapshot, layout, &self->colors[COLOR_TEXT], 22,
             top + (LANE_HEIGHT - text_height) / 2.0);
}

static void
draw_env (MiniLanes   *self,
          GtkSnapshot *snapshot,
          double       scale,
          int          width,
          int          height)
{
  double t_last = time_at (self, scale, width);
  guint n = track_len (&self->env);
  guint i = track_search (&self->env, 0,
                          (gint64) floor (MAX (time_at (self, scale, self->gutter_width), 0)));

  while (i < n && track_t (&self->env, i) <= t_last)
    {
      double column = floor (x_of (self, scale, track_t (&self->env, i)));

      fill (snapshot, &self->colors[COLOR_ENV], column, self->header_height, 1,
            height - self->header_height);
      i = MAX (i + 1, track_search (&self->env, i,
                                    (gint64) ceil (time_at (self, scale, column + 1))));
    }
}

/* Where @seq is drawn: its lane and tick kind, or FALSE when it has no tick. */
static gboolean
locate (MiniLanes    *self,
        guint         seq,
        Lane        **lane_out,
        MiniLaneTick *tick_out,
        gint64       *t_out)
{
  MiniEventView view;
  Lane *lane;

  if (self->timeline == NULL || seq == 0 || seq > self->n_seen
      || !mini_timeline_get_event (self->timeline, seq - 1, &view))
    return FALSE;

  if (view.task != 0)
    lane = g_hash_table_lookup (self->lane_by_task, GUINT_TO_POINTER (view.task));
  else
    lane = self->refused;
  if (lane == NULL)
    return FALSE;

  for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
    {
      gint index = track_find_seq (&lane->tracks[k], seq);

      if (index >= 0)
        {
          *lane_out = lane;
          *tick_out = k;
          *t_out = track_t (&lane->tracks[k], index);
          return TRUE;
        }
    }

  return FALSE;
}

static void
draw_selection (MiniLanes   *self,
                GtkSnapshot *snapshot,
                double       scale,
                int          width,
                int          height)
{
  MiniEventView view;
  MiniLaneTick tick;
  Lane *lane;
  gint64 t;
  GdkRGBA line;
  double x;

  if (self->selected_seq == 0 || self->timeline == NULL
      || !mini_timeline_get_event (self->timeline, self->selected_seq - 1, &view))
    return;

  if (!locate (self, self->selected_seq, &lane, &tick, &t))
    {
      lane = NULL;
      t = view.t_us;
    }

  x = floor (x_of (self, scale, t));
  line = self->colors[COLOR_SELECTED];
  line.alpha *= 0.6;
  fill (snapshot, &line, x, self->header_height, 1, height - self->header_height);

  if (lane != NULL)
    {
      double top = row_top (self, lane_row (self, lane));
      graphene_rect_t tick_box = tick_rect (tick, x, top, 3);
      graphene_rect_t box = GRAPHENE_RECT_INIT (tick_box.origin.x - 3, top + 1,
                                                tick_box.size.width + 6, LANE_HEIGHT - 2);
      GskRoundedRect outline;
      const float widths[4] = { 2, 2, 2, 2 };
      const GdkRGBA colors[4] = {
        self->colors[COLOR_SELECTED], self->colors[COLOR_SELECTED],
        self->colors[COLOR_SELECTED], self->colors[COLOR_SELECTED],
      };

      gsk_rounded_rect_init_from_rect (&outline, &box, 3);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

static void
mini_lanes_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  MiniLanes *self = MINI_LANES (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double scale;
  gint first_row;
  gint last_row;

  ensure_metrics (self);
  read_colors (self);
  scale = px_per_us (self);

  draw_axis (self, snapshot, scale, width, height);

  first_row = (gint) floor (vvalue (self) / LANE_HEIGHT);
  last_row = (gint) ceil ((vvalue (self) + lanes_height (self)) / LANE_HEIGHT);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, self->header_height,
                                                         width, lanes_height (self)));
  for (gint row = MAX (first_row, 0); row <= last_row; row++)
    {
      Lane *lane = row_lane (self, row);

      if (lane == NULL)
        break;
      draw_lane (self, snapshot, lane, row, scale, width);
      draw_gutter_row (self, snapshot, lane, row);
    }

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->gutter_width, 0,
                                                         width - self->gutter_width, height));
  draw_env (self, snapshot, scale, width, height);
  draw_selection (self, snapshot, scale, width, height);
  gtk_snapshot_pop (snapshot);

  gtk_snapshot_pop (snapshot);

  fill (snapshot, &self->colors[COLOR_GRID], self->gutter_width - 1, 0, 1, height);
  fill (snapshot, &self->colors[COLOR_GRID], 0, self->header_height - 1, width, 1);
  draw_slot_meter (self, snapshot);
}

/* ---- hit testing -------------------------------------------------------------------------- */

static Lane *
lane_at (MiniLanes *self,
         double     y)
{
  ensure_metrics (self);
  if (y < self->header_height)
    return NULL;

  return row_lane (self, (gint) floor ((y - self->header_height + vvalue (self)) / LANE_HEIGHT));
}

/* The tick at @x in @lane: the nearest pixel column within HIT_RADIUS that has one, the more
 * important kind in a tie, and the earliest event of the column, which the keyboard can walk
 * on from. */
static gboolean
tick_at (MiniLanes    *self,
         Lane         *lane,
         double        x,
         MiniLaneTick *tick_out,
         guint        *index_out)
{
  double scale = px_per_us (self);
  double column = floor (x);

  for (guint d = 0; d <= HIT_RADIUS; d++)
    {
      for (gint k = MINI_LANE_N_TICKS - 1; k >= 0; k--)
        {
          const Track *track = &lane->tracks[k];

          for (gint side = -1; side <= 1; side += 2)
            {
              double c = column + side * (double) d;
              double start = time_at (self, scale, c);
              double end = time_at (self, scale, c + 1);
              guint i;

              if (end <= 0)
                continue;
              i = track_search (track, 0, (gint64) ceil (MAX (start, 0)));
              if (i < track_len (track) && track_t (track, i) < end)
                {
                  *tick_out = k;
                  *index_out = i;
                  return TRUE;
                }
              if (d == 0)
                break;
            }
        }
    }

  return FALSE;
}

static void
ensure_caught_up (MiniLanes *self)
{
  if (self->n_seen < self->n_announced)
    catch_up (self, 0);
}

/* ---- scrolling and zoom ------------------------------------------------------------------- */

static void
configure_hadjustment (MiniLanes *self,
                       double     value)
{
  double page = area_width (self);
  double upper = page * self->zoom;

  gtk_adjustment_configure (self->hadjustment, CLAMP (value, 0, MAX (upper - page, 0)),
                            0, upper, page * 0.1, page * 0.9, page);
}

static void
configure_vadjustment (MiniLanes *self)
{
  double page = lanes_height (self);
  double upper = MAX ((double) n_rows (self) * LANE_HEIGHT, page);
  double value = gtk_adjustment_get_value (self->vadjustment);

  gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - page),
                            0, upper, LANE_HEIGHT, page * 0.9, page);
}

/* Zooms to @zoom keeping the time under @x where it is. */
static void
zoom_around (MiniLanes *self,
             double     zoom,
             double     x)
{
  double t;

  zoom = CLAMP (zoom, 1.0, MAX_ZOOM);
  if (zoom == self->zoom)
    return;

  t = time_at (self, px_per_us (self), x);
  self->zoom = zoom;
  configure_hadjustment (self, t * px_per_us (self) - (x - self->gutter_width));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

static double
area_centre (MiniLanes *self)
{
  return self->gutter_width + area_width (self) / 2.0;
}

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             MiniLanes     *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (MiniLanes      *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                guint           prop_id)
{
  if (adjustment != NULL && adjustment == *slot)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_clear_object (slot);
    }

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self);

  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), prop_id == PROP_HADJUSTMENT ? "hadjustment" : "vadjustment");
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           MiniLanes                *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));
  double x = self->pointer_x >= self->gutter_width ? self->pointer_x : area_centre (self);

  /* Plain scrolling belongs to the scrolled window around us. */
  if ((state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return FALSE;

  zoom_around (self, self->zoom * pow (ZOOM_STEP, -dy), x);

  return TRUE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           MiniLanes                *self)
{
  self->pointer_x = x;
}

static void
on_leave (GtkEventControllerMotion *controller,
          MiniLanes                *self)
{
  self->pointer_x = -1;
}

/* ---- selection and activation ------------------------------------------------------------- */

static void
activate_seq (MiniLanes *self,
              guint      seq)
{
  mini_lanes_set_selected_seq (self, seq);
  g_signal_emit (self, signals[EVENT_ACTIVATED], 0, seq);
}

static gboolean
activate_at (MiniLanes *self,
             double     x,
             double     y)
{
  guint seq = mini_lanes_get_event_at (self, x, y);

  /* The lane's name stands for its connectSocket call. */
  if (seq == 0 && x < self->gutter_width)
    {
      Lane *lane = lane_at (self, y);

      if (lane != NULL)
        seq = lane->first_seq;
    }

  if (seq == 0)
    return FALSE;

  activate_seq (self, seq);

  return TRUE;
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            MiniLanes       *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (activate_at (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* The event of @lane next to @seq in seq order (@forward) — across every kind of tick. */
static guint
neighbour_in_lane (Lane     *lane,
                   guint     seq,
                   gboolean  forward)
{
  guint best = 0;

  for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
    {
      const Track *track = &lane->tracks[k];
      guint lo = 0;
      guint hi = track->seq->len;

      /* The first index whose seq is greater than @seq (or not less, going back). */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (forward ? track_seq (track, mid) <= seq : track_seq (track, mid) < seq)
            lo = mid + 1;
          else
            hi = mid;
        }

      if (forward && lo < track->seq->len)
        best = best == 0 ? track_seq (track, lo) : MIN (best, track_seq (track, lo));
      else if (!forward && lo > 0)
        best = MAX (best, track_seq (track, lo - 1));
    }

  return best;
}

static void
select_neighbour (MiniLanes *self,
                  gboolean   forward)
{
  MiniLaneTick tick;
  Lane *lane;
  gint64 t;
  guint seq;

  ensure_caught_up (self);

  if (locate (self, self->selected_seq, &lane, &tick, &t))
    seq = neighbour_in_lane (lane, self->selected_seq, forward);
  else if (self->lanes->len > 0)
    seq = ((Lane *) g_ptr_array_index (self->lanes, 0))->first_seq;
  else
    seq = self->refused != NULL ? self->refused->first_seq : 0;

  if (seq != 0)
    activate_seq (self, seq);
}

static void
action_zoom (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MiniLanes *self = MINI_LANES (widget);

  if (g_str_equal (action_name, "lanes.zoom-in"))
    zoom_around (self, self->zoom * ZOOM_STEP, area_centre (self));
  else if (g_str_equal (action_name, "lanes.zoom-out"))
    zoom_around (self, self->zoom / ZOOM_STEP, area_centre (self));
  else
    mini_lanes_set_zoom (self, 1.0);
}

static void
action_select (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  select_neighbour (MINI_LANES (widget), g_str_equal (action_name, "lanes.select-next"));
}

static void
action_activate_at (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  double x;
  double y;

  g_variant_get (parameter, "(dd)", &x, &y);
  activate_at (MINI_LANES (widget), x, y);
}

/* ---- tooltips ----------------------------------------------------------------------------- */

static char *
event_tooltip (MiniLanes *self,
               Lane      *lane,
               guint      seq,
               guint      n_nearby)
{
  g_autofree char *summary = mini_timeline_event_summary (self->timeline, seq - 1);
  g_autofree char *time = NULL;
  g_autofree char *where = NULL;
  GString *markup = g_string_new (NULL);
  MiniEventView view;

  mini_timeline_get_event (self->timeline, seq - 1, &view);
  time = format_time (view.t_us);

  g_string_append_printf (markup, "<b>%s</b>", mini_event_kind_to_string (view.kind));
  if (view.api != NULL)
    g_string_append_printf (markup, " %s", view.api);
  if (summary != NULL && *summary != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (summary, -1);

      g_string_append_printf (markup, "\n%s", escaped);
    }
  if (view.err_msg != NULL && (summary == NULL || strstr (summary, view.err_msg) == NULL))
    {
      g_autofree char *escaped = g_markup_escape_text (view.err_msg, -1);

      g_string_append_printf (markup, "\n%s", escaped);
    }

  if (view.task != 0)
    /* TRANSLATORS: where and when an event happened: "12.345 ms · task 2 · event 17" */
    where = g_strdup_printf (_("%s · task %u · event %u"), time, view.task, view.seq);
  else
    /* TRANSLATORS: when an event of no task happened: "12.345 ms · event 17" */
    where = g_strdup_printf (_("%s · event %u"), time, view.seq);
  g_string_append_printf (markup, "\n<small>%s</small>", where);

  if (n_nearby > 1)
    {
      g_autofree char *more = NULL;

      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u more event in this pixel; Ctrl+scroll zooms in",
                                           "%u more events in this pixel; Ctrl+scroll zooms in",
                                           n_nearby - 1),
                              n_nearby - 1);
      g_string_append_printf (markup, "\n<small>%s</small>", more);
    }

  return g_string_free (markup, FALSE);
}

static char *
lane_tooltip (MiniLanes *self,
              Lane      *lane)
{
  g_autofree char *label = lane_label (lane);
  GString *markup = g_string_new (NULL);
  MiniEventView view;
  guint n_ticks = 0;

  for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
    n_ticks += track_len (&lane->tracks[k]);

  if (lane->task == 0)
    {
      g_string_append_printf (markup, "<b>%s</b>\n", label);
      g_string_append (markup, _("connectSocket calls the platform refused before making a task"));
      return g_string_free (markup, FALSE);
    }

  /* TRANSLATORS: a lane's title, e.g. "Task 2: open" */
  g_string_append_printf (markup, _("<b>%s</b>: %s"), label,
                          mini_lane_state_to_string (lane->state));

  if (mini_timeline_get_event (self->timeline, lane->first_seq - 1, &view)
      && view.kind == MINI_EVENT_CALL && view.extra != NULL
      && json_object_has_member (view.extra, "args")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (view.extra, "args")))
    {
      JsonObject *args = json_object_get_object_member (view.extra, "args");
      const char *url = json_object_get_string_member_with_default (args, "url", NULL);

      if (url != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (url, -1);

          g_string_append_printf (markup, "\n%s", escaped);
        }
    }

  if (lane->open_us >= 0)
    {
      g_autofree char *after = format_time (lane->open_us - lane->start_us);

      g_string_append (markup, "\n");
      /* TRANSLATORS: how long the handshake took, e.g. "opened after 4.567 ms" */
      g_string_append_printf (markup, _("opened after %s"), after);
    }
  if (lane->cut)
    {
      g_string_append (markup, "\n");
      g_string_append (markup, _("still live when the run ended, which dropped it"));
    }
  else if (lane->end_us >= 0)
    {
      g_autofree char *lasted = format_time (lane->end_us - lane->start_us);

      g_string_append (markup, "\n");
      /* TRANSLATORS: a task's lifetime, e.g. "ended after 5.782 ms" */
      g_string_append_printf (markup, _("ended after %s"), lasted);
    }

  g_string_append (markup, "\n<small>");
  g_string_append_printf (markup, g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n_ticks),
                          n_ticks);
  g_string_append (markup, "</small>");

  return g_string_free (markup, FALSE);
}

static char *
slot_tooltip (MiniLanes *self)
{
  if (self->max_connections == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u live connection; this platform sets no limit",
                                         "%u live connections; this platform sets no limit",
                                         self->n_live),
                            self->n_live);

  if (self->n_live >= self->max_connections)
    return g_strdup_printf (_("All %u connection slots are in use: the next connectSocket is "
                              "over the limit"),
                            self->max_connections);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u connection slot in use (connecting, open or "
                                       "closing)",
                                       "%u of %u connection slots in use (connecting, open or "
                                       "closing)",
                                       self->max_connections),
                          self->n_live, self->max_connections);
}

static gboolean
mini_lanes_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard_mode,
                          GtkTooltip *tooltip)
{
  g_autofree char *markup = mini_lanes_dup_tooltip_at (MINI_LANES (widget), x, y);

  if (markup == NULL)
    return FALSE;

  gtk_tooltip_set_markup (tooltip, markup);

  return TRUE;
}

/* ---- GtkWidget ---------------------------------------------------------------------------- */

static gboolean
live_redraw (gpointer user_data)
{
  gtk_widget_queue_draw (GTK_WIDGET (user_data));

  return G_SOURCE_CONTINUE;
}

static void
update_live_redraw (MiniLanes *self)
{
  gboolean wanted = self->n_live > 0 && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->live_redraw_id == 0)
    self->live_redraw_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, LIVE_REDRAW_MS,
                                               live_redraw, self, NULL);
  else if (!wanted)
    g_clear_handle_id (&self->live_redraw_id, g_source_remove);
}

static void
mini_lanes_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mini_lanes_parent_class)->map (widget);
  update_live_redraw (MINI_LANES (widget));
}

static void
mini_lanes_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mini_lanes_parent_class)->unmap (widget);
  update_live_redraw (MINI_LANES (widget));
}

static void
mini_lanes_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (mini_lanes_parent_class)->root (widget);

  /* A window may be on another display than the default one the widget was made for. */
  ensure_default_css (gtk_widget_get_display (widget));
}

static void
mini_lanes_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  MiniLanes *self = MINI_LANES (widget);

  GTK_WIDGET_CLASS (mini_lanes_parent_class)->css_changed (widget, change);

  /* A new font: the text sizes are to be measured again. */
  self->gutter_width = 0;
  gtk_widget_queue_resize (widget);
}

static void
mini_lanes_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  MiniLanes *self = MINI_LANES (widget);

  ensure_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = self->gutter_width + 120;
      *natural = self->gutter_width + 480;
    }
  else
    {
      *minimum = self->header_height + LANE_HEIGHT;
      *natural = self->header_height + LANE_HEIGHT * MAX (n_rows (self), 2);
    }
}

static void
mini_lanes_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  MiniLanes *self = MINI_LANES (widget);

  configure_hadjustment (self, hvalue (self));
  configure_vadjustment (self);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
mini_lanes_dispose (GObject *object)
{
  MiniLanes *self = MINI_LANES (object);

  mini_lanes_set_timeline (self, NULL);
  g_clear_handle_id (&self->catch_up_id, g_source_remove);
  g_clear_handle_id (&self->live_redraw_id, g_source_remove);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (mini_lanes_parent_class)->dispose (object);
}

static void
mini_lanes_finalize (GObject *object)
{
  MiniLanes *self = MINI_LANES (object);

  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->lane_by_task, g_hash_table_unref);
  g_clear_pointer (&self->refused, lane_free);
  track_clear (&self->env);

  G_OBJECT_CLASS (mini_lanes_parent_class)->finalize (object);
}

static void
mini_lanes_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MiniLanes *self = MINI_LANES (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      g_value_set_object (value, self->timeline);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_SELECTED_SEQ:
      g_value_set_uint (value, self->selected_seq);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_lanes_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MiniLanes *self = MINI_LANES (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      mini_lanes_set_timeline (self, g_value_get_object (value));
      break;
    case PROP_MAX_CONNECTIONS:
      mini_lanes_set_max_connections (self, g_value_get_uint (value));
      break;
    case PROP_SELECTED_SEQ:
      mini_lanes_set_selected_seq (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      mini_lanes_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), prop_id);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), prop_id);
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_lanes_class_init (MiniLanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_lanes_dispose;
  object_class->finalize = mini_lanes_finalize;
  object_class->get_property = mini_lanes_get_property;
  object_class->set_property = mini_lanes_set_property;

  widget_class->snapshot = mini_lanes_snapshot;
  widget_class->measure = mini_lanes_measure;
  widget_class->size_allocate = mini_lanes_size_allocate;
  widget_class->root = mini_lanes_root;
  widget_class->map = mini_lanes_map;
  widget_class->unmap = mini_lanes_unmap;
  widget_class->css_changed = mini_lanes_css_changed;
  widget_class->query_tooltip = mini_lanes_query_tooltip;

  properties[PROP_TIMELINE] =
    g_param_spec_object ("timeline", NULL, NULL,
                         MINI_TYPE_TIMELINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The platform's limit on sockets connecting, open or closing at once; 0 for none. */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SELECTED_SEQ] =
    g_param_spec_uint ("selected-seq", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 1 shows the whole session; 2 shows half of it, and so on. */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         1.0, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * MiniLanes::event-activated:
   * @seq: the event's seq
   *
   * A tick, or a lane's name, was clicked or reached with the keyboard.
   */
  signals[EVENT_ACTIVATED] =
    g_signal_new ("event-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  g_cclosure_marshal_VOID__UINT,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "lanes.zoom-in", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "lanes.zoom-out", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "lanes.zoom-fit", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "lanes.select-previous", NULL, action_select);
  gtk_widget_class_install_action (widget_class, "lanes.select-next", NULL, action_select);
  gtk_widget_class_install_action (widget_class, "lanes.activate-at", "(dd)",
                                   action_activate_at);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "lanes.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "lanes.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "lanes.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "lanes.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0,
                                       "lanes.select-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0,
                                       "lanes.select-next", NULL);

  gtk_widget_class_set_css_name (widget_class, "lanes");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
mini_lanes_init (MiniLanes *self)
{
  GtkEventController *scroll;
  GtkEventController *motion;
  GtkGesture *click;

  self->zoom = 1.0;
  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  self->lane_by_task = g_hash_table_new (NULL, NULL);
  track_init (&self->env);

  set_adjustment (self, &self->hadjustment, NULL, PROP_HADJUSTMENT);
  set_adjustment (self, &self->vadjustment, NULL, PROP_VADJUSTMENT);

  ensure_default_css (gtk_widget_get_display (GTK_WIDGET (self)));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  self->pointer_x = -1;
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connection lanes"),
                                  -1);
  update_accessible (self);
}

/* ---- public API --------------------------------------------------------------------------- */

GtkWidget *
mini_lanes_new (void)
{
  return g_object_new (MINI_TYPE_LANES, NULL);
}

MiniTimeline *
mini_lanes_get_timeline (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), NULL);

  return self->timeline;
}

void
mini_lanes_set_timeline (MiniLanes    *self,
                         MiniTimeline *timeline)
{
  g_return_if_fail (MINI_IS_LANES (self));
  g_return_if_fail (timeline == NULL || MINI_IS_TIMELINE (timeline));

  if (self->timeline == timeline)
    return;

  if (self->timeline != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->timeline, on_items_changed, self);
      g_clear_object (&self->timeline);
    }

  reset (self);
  if (self->selected_seq != 0)
    mini_lanes_set_selected_seq (self, 0);

  if (timeline != NULL)
    {
      self->timeline = g_object_ref (timeline);
      g_signal_connect_object (timeline, "items-changed", G_CALLBACK (on_items_changed), self,
                               G_CONNECT_DEFAULT);
      self->n_announced = g_list_model_get_n_items (G_LIST_MODEL (timeline));
      catch_up (self, SLICE_US);
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  update_accessible (self);
  update_live_redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMELINE]);
}

guint
mini_lanes_get_max_connections (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  return self->max_connections;
}

void
mini_lanes_set_max_connections (MiniLanes *self,
                                guint      max)
{
  g_return_if_fail (MINI_IS_LANES (self));

  if (self->max_connections == max)
    return;

  self->max_connections = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
}

guint
mini_lanes_get_selected_seq (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  return self->selected_seq;
}

/**
 * mini_lanes_set_selected_seq:
 * @seq: the seq of the event to highlight, or 0 for none
 *
 * Highlights an event; one that is not in the timeline (yet) is remembered and shown once it
 * is.
 */
void
mini_lanes_set_selected_seq (MiniLanes *self,
                             guint      seq)
{
  g_return_if_fail (MINI_IS_LANES (self));

  if (self->selected_seq == seq)
    return;

  self->selected_seq = seq;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SEQ]);
}

double
mini_lanes_get_zoom (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 1.0);

  return self->zoom;
}

/**
 * mini_lanes_set_zoom:
 * @zoom: 1 fits the whole session to the width; larger values show less of it, around the
 *   middle of what is shown now
 */
void
mini_lanes_set_zoom (MiniLanes *self,
                     double     zoom)
{
  g_return_if_fail (MINI_IS_LANES (self));
  g_return_if_fail (isfinite (zoom));

  zoom_around (self, zoom, area_centre (self));
}

/**
 * mini_lanes_get_n_lanes:
 *
 * Returns: how many task lanes are shown, not counting the row of refused calls
 */
guint
mini_lanes_get_n_lanes (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  ensure_caught_up (self);

  return self->lanes->len;
}

/**
 * mini_lanes_get_lane_task:
 * @index: from 0, top to bottom
 *
 * Returns: the socketTaskId of the lane at @index, or 0 when there is none
 */
guint
mini_lanes_get_lane_task (MiniLanes *self,
                          guint      index)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  ensure_caught_up (self);
  if (index >= self->lanes->len)
    return 0;

  return ((Lane *) g_ptr_array_index (self->lanes, index))->task;
}

MiniLaneState
mini_lanes_get_lane_state (MiniLanes *self,
                           guint      task)
{
  Lane *lane;

  g_return_val_if_fail (MINI_IS_LANES (self), MINI_LANE_NONE);

  ensure_caught_up (self);
  lane = g_hash_table_lookup (self->lane_by_task, GUINT_TO_POINTER (task));

  return lane != NULL ? lane->state : MINI_LANE_NONE;
}

/**
 * mini_lanes_get_lane_extent:
 * @start_us: (out) (optional): when connectSocket was called
 * @open_us: (out) (optional): when open was delivered, or -1
 * @end_us: (out) (optional): when the task ended (error or close), or the scenario run that
 *   dropped it, or -1 while it is live
 *
 * Times are µs since the timeline's origin, as the bar is drawn.
 *
 * Returns: %FALSE when there is no lane for @task
 */
gboolean
mini_lanes_get_lane_extent (MiniLanes *self,
                            guint      task,
                            gint64    *start_us,
                            gint64    *open_us,
                            gint64    *end_us)
{
  Lane *lane;

  g_return_val_if_fail (MINI_IS_LANES (self), FALSE);

  ensure_caught_up (self);
  lane = g_hash_table_lookup (self->lane_by_task, GUINT_TO_POINTER (task));
  if (lane == NULL)
    return FALSE;

  if (start_us != NULL)
    *start_us = lane->start_us;
  if (open_us != NULL)
    *open_us = lane->open_us;
  if (end_us != NULL)
    *end_us = lane->end_us;

  return TRUE;
}

/**
 * mini_lanes_get_lane_n_ticks:
 * @task: a socketTaskId, or 0 for the row of refused connectSocket calls
 *
 * Returns: how many events of kind @tick the lane draws (several may share a pixel)
 */
guint
mini_lanes_get_lane_n_ticks (MiniLanes    *self,
                             guint         task,
                             MiniLaneTick  tick)
{
  Lane *lane;

  g_return_val_if_fail (MINI_IS_LANES (self), 0);
  g_return_val_if_fail (tick < MINI_LANE_N_TICKS, 0);

  ensure_caught_up (self);
  lane = task != 0 ? g_hash_table_lookup (self->lane_by_task, GUINT_TO_POINTER (task))
                   : self->refused;

  return lane != NULL ? track_len (&lane->tracks[tick]) : 0;
}

/**
 * mini_lanes_get_n_refused:
 *
 * Returns: how many connectSocket calls were refused without a task (the row of refusals)
 */
guint
mini_lanes_get_n_refused (MiniLanes *self)
{
  guint n = 0;

  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  ensure_caught_up (self);
  if (self->refused == NULL)
    return 0;

  /* Each refusal has exactly one return; its callbacks follow it. */
  for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
    {
      const Track *track = &self->refused->tracks[k];

      for (guint i = 0; i < track_len (track); i++)
        {
          MiniEventView view;

          if (mini_timeline_get_event (self->timeline, track_seq (track, i) - 1, &view)
              && view.kind == MINI_EVENT_RETURN)
            n++;
        }
    }

  return n;
}

/**
 * mini_lanes_get_n_live:
 *
 * Returns: the slot meter's count: tasks connecting, open or closing
 */
guint
mini_lanes_get_n_live (MiniLanes *self)
{
  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  ensure_caught_up (self);

  return self->n_live;
}

/**
 * mini_lanes_get_event_position:
 * @x: (out): where the event's tick is, in widget coordinates
 * @y: (out)
 *
 * The point may be outside the allocation when the lane is scrolled out of view.
 *
 * Returns: %FALSE when the event has no tick (events of no task but refusals)
 */
gboolean
mini_lanes_get_event_position (MiniLanes *self,
                               guint      seq,
                               double    *x,
                               double    *y)
{
  graphene_rect_t rect;
  MiniLaneTick tick;
  Lane *lane;
  gint64 t;

  g_return_val_if_fail (MINI_IS_LANES (self), FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  ensure_caught_up (self);
  ensure_metrics (self);
  if (!locate (self, seq, &lane, &tick, &t))
    return FALSE;

  rect = tick_rect (tick, floor (x_of (self, px_per_us (self), t)), row_top (self,
                                                                           lane_row (self, lane)),
                    1);
  *x = rect.origin.x + rect.size.width / 2.0;
  *y = rect.origin.y + rect.size.height / 2.0;

  return TRUE;
}

/**
 * mini_lanes_get_event_at:
 *
 * Returns: the seq of the tick at (@x, @y) in widget coordinates, as a click finds it, or 0
 */
guint
mini_lanes_get_event_at (MiniLanes *self,
                         double     x,
                         double     y)
{
  MiniLaneTick tick;
  guint index;
  Lane *lane;

  g_return_val_if_fail (MINI_IS_LANES (self), 0);

  ensure_caught_up (self);
  ensure_metrics (self);
  if (x < self->gutter_width - HIT_RADIUS || (lane = lane_at (self, y)) == NULL)
    return 0;
  if (!tick_at (self, lane, x, &tick, &index))
    return 0;

  return track_seq (&lane->tracks[tick], index);
}

/**
 * mini_lanes_dup_tooltip_at:
 *
 * Returns: (nullable): the tooltip's Pango markup at (@x, @y): the event under the pointer, a
 *   lane's task, or the slot meter
 */
char *
mini_lanes_dup_tooltip_at (MiniLanes *self,
                           double     x,
                           double     y)
{
  const Track *track;
  MiniLaneTick tick;
  double column;
  double scale;
  guint first;
  guint last;
  guint index;
  Lane *lane;

  g_return_val_if_fail (MINI_IS_LANES (self), NULL);

  ensure_caught_up (self);
  ensure_metrics (self);
  if (self->timeline == NULL)
    return NULL;

  if (y < self->header_height)
    return x < self->gutter_width ? slot_tooltip (self) : NULL;

  if ((lane = lane_at (self, y)) == NULL)
    return NULL;
  if (x < self->gutter_width - HIT_RADIUS)
    return lane_tooltip (self, lane);
  if (!tick_at (self, lane, x, &tick, &index))
    return NULL;

  /* Events sharing the pixel column are counted: the tooltip tells that zooming separates them. */
  track = &lane->tracks[tick];
  scale = px_per_us (self);
  column = floor (x_of (self, scale, track_t (track, index)));
  first = track_search (track, 0, (gint64) ceil (time_at (self, scale, column)));
  last = track_search (track, first, (gint64) ceil (time_at (self, scale, column + 1)));

  return event_tooltip (self, lane, track_seq (track, index), MAX (last - first, 1));
}
