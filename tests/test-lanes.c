/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-lanes.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

#define DEADLINE_MS 10000
#define WAIT_FOR_ON_TIMEOUT() dump_timeline (fx)

#include "mini-test-util.h"

typedef struct
{
  MiniPlayground *playground;
  MiniTimeline   *timeline;
  MiniRuntime    *runtime;
  GtkWidget      *window;
  MiniLanes      *lanes;
  GtkCssProvider *css;
  guint           activated_seq;
  guint           n_activated;
} Fixture;

static void dump_timeline (Fixture *fx);

/* ---- fixture ------------------------------------------------------------------------------ */

static void
use_dialect (Fixture     *fx,
             MiniDialect *dialect)
{
  if (fx->runtime != NULL)
    {
      mini_runtime_shutdown (fx->runtime);
      g_assert_finalize_object (fx->runtime);
    }
  fx->runtime = mini_runtime_new (dialect, fx->timeline);
  mini_runtime_set_playground_url (fx->runtime, mini_playground_get_url (fx->playground));
}

static void
on_event_activated (MiniLanes *lanes,
                    guint      seq,
                    Fixture   *fx)
{
  fx->activated_seq = seq;
  fx->n_activated++;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  dialect = mini_dialect_load (data != NULL ? data : "wx", &error);
  g_assert_no_error (error);
  fx->timeline = mini_timeline_new ();
  use_dialect (fx, dialect);

  fx->lanes = MINI_LANES (mini_lanes_new ());
  mini_lanes_set_timeline (fx->lanes, fx->timeline);
  g_signal_connect (fx->lanes, "event-activated", G_CALLBACK (on_event_activated), fx);

  fx->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 900, 320);
  gtk_window_set_child (GTK_WINDOW (fx->window), GTK_WIDGET (fx->lanes));
  gtk_window_present (GTK_WINDOW (fx->window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fx->lanes))
            && gtk_widget_get_width (GTK_WIDGET (fx->lanes)) > 0);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (fx->lanes), (gpointer *) &fx->lanes);
  gtk_window_destroy (GTK_WINDOW (fx->window));
  /* The window is gone at once; its widgets once the main loop has let go of them. */
  WAIT_FOR (fx->lanes == NULL);

  if (fx->css != NULL)
    {
      gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                     GTK_STYLE_PROVIDER (fx->css));
      g_clear_object (&fx->css);
    }

  mini_runtime_shutdown (fx->runtime);
  g_assert_finalize_object (fx->runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_finalize_object (fx->timeline);
  g_assert_finalize_object (fx->playground);
}

static void
dump_timeline (Fixture *fx)
{
  guint n = mini_timeline_get_n_events (fx->timeline);

  for (guint i = 0; i < n && i < 200; i++)
    {
      g_autofree char *line = mini_timeline_event_to_jsonl (fx->timeline, i);

      g_test_message ("%s", line);
    }
}

/* ---- driving the runtime ------------------------------------------------------------------ */

/* connectSocket; returns the new task's id, or 0 when the call made none. */
static guint
connect_socket (Fixture    *fx,
                const char *args_json)
{
  guint before = mini_runtime_get_newest_task (fx->runtime);
  guint after;

  mini_test_call (fx->runtime, "connectSocket", 0, args_json);
  after = mini_runtime_get_newest_task (fx->runtime);
  return after != before ? after : 0;
}

static void
override_quirks (Fixture    *fx,
                 const char *quirks_json)
{
  g_autoptr(MiniDialect) original = g_object_ref (mini_runtime_get_dialect (fx->runtime));
  g_autoptr(MiniDialect) changed = NULL;
  g_autoptr(JsonObject) quirks = mini_test_parse_args (quirks_json);
  g_autoptr(GError) error = NULL;

  changed = mini_dialect_new_with_overrides (original, quirks, &error);
  g_assert_no_error (error);
  use_dialect (fx, changed);
}

/* The @nth (from 0) event of @kind for @task, as a view; fails the test when there is none. */
static MiniEventView
find_event (Fixture       *fx,
            MiniEventKind  kind,
            guint          task,
            guint          nth)
{
  guint n = mini_timeline_get_n_events (fx->timeline);
  MiniEventView view;

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (mini_timeline_get_event (fx->timeline, i, &view));
      if (view.kind == kind && view.task == task && nth-- == 0)
        return view;
    }

  g_test_message ("no %s event for task %u", mini_event_kind_to_string (kind), task);
  dump_timeline (fx);
  g_assert_not_reached ();
}

static guint
count_events (Fixture       *fx,
              MiniEventKind  kind,
              guint          task)
{
  guint n = mini_timeline_get_n_events (fx->timeline);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;

      g_assert_true (mini_timeline_get_event (fx->timeline, i, &view));
      count += view.kind == kind && view.task == task;
    }

  return count;
}

/* ---- what the widget shows ---------------------------------------------------------------- */

/* What the widget draws now, or NULL while it has nothing to draw (say, it waits for a new size
 * after a theme change). */
static GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (snapshot);
}

/* The widget drawn as the window draws it, by the window's own renderer. A loaded machine may
 * take more than one frame to lay the widget out again, so this waits until it draws. */
static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  gboolean expired = FALSE;
  guint deadline = g_timeout_add (DEADLINE_MS, mini_test_on_deadline, &expired);

  while ((node = snapshot_widget (widget)) == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);
  if (node == NULL)
    g_test_message ("the widget drew nothing for %d ms", DEADLINE_MS);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0,
                                                           gtk_widget_get_width (widget),
                                                           gtk_widget_get_height (widget)));
}

/* How many nodes draw @node: what the renderer has to go through. */
static guint
count_nodes (GskRenderNode *node)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      {
        guint n = 1;

        for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
          n += count_nodes (gsk_container_node_get_child (node, i));
        return n;
      }
    case GSK_CLIP_NODE:
      return 1 + count_nodes (gsk_clip_node_get_child (node));
    case GSK_TRANSFORM_NODE:
      return 1 + count_nodes (gsk_transform_node_get_child (node));
    default:
      return 1;
    }
}

/* How long the widget takes to draw itself (@snapshot_us, its own code) and how long a Cairo
 * renderer takes to turn that into pixels (@render_us): software rendering, the same on every
 * machine. Calls the vfunc: a widget paintable would hand back the node of the last frame. */
static void
time_draw (GtkWidget *widget,
           gint64    *snapshot_us,
           gint64    *render_us,
           guint     *n_nodes)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 start;

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  *snapshot_us = g_get_monotonic_time () - start;
  g_assert_nonnull (node);

  start = g_get_monotonic_time ();
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                              gtk_widget_get_height (widget)));
  *render_us = g_get_monotonic_time () - start;
  if (n_nodes != NULL)
    *n_nodes = count_nodes (node);

  gsk_renderer_unrealize (renderer);
}

typedef struct {
  int     width;
  int     height;
  guint8 *pixels;   /* premultiplied ARGB32 in native order */
} Image;

static void
image_init (Image      *image,
            GdkTexture *texture)
{
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->pixels = g_malloc ((gsize) image->width * image->height * 4);
  gdk_texture_download (texture, image->pixels, image->width * 4);
}

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->pixels, g_free);
}

/* The pixel as "#rrggbb" (premultiplied: an opaque pixel reads as its colour). */
static char *
pixel (const Image *image,
       double       x,
       double       y)
{
  int ix = (int) x;
  int iy = (int) y;
  guint32 argb;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, image->width);
  g_assert_cmpint (iy, <, image->height);
  memcpy (&argb, image->pixels + ((gsize) iy * image->width + ix) * 4, 4);

  return g_strdup_printf ("#%02x%02x%02x", (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
}

/* Where the bar of @task is at time @t_us: the x of the time, the y of the bar's middle. */
static void
bar_point (Fixture *fx,
           guint    task,
           guint    seq,
           double  *x,
           double  *y)
{
  double tick_x;
  double tick_y;

  /* An "other" tick (open, close, call) sits on the bar: its centre is the bar's. */
  g_assert_true (mini_lanes_get_event_position (fx->lanes, seq, &tick_x, &tick_y));
  *x = tick_x;
  *y = tick_y;
}

/* Style for this test only: the fixture removes it. */
static void
load_css (Fixture    *fx,
          const char *css)
{
  g_assert_null (fx->css);
  fx->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (fx->css, css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (fx->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Lets GTK lay out and draw what changed. */
static void
settle (Fixture *fx)
{
  mini_test_run_for (50);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_lifecycle (Fixture       *fx,
                gconstpointer  data)
{
  MiniEventView connect_call;
  MiniEventView open;
  MiniEventView close;
  gint64 start_us;
  gint64 open_us;
  gint64 end_us;
  guint task;

  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);

  task = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=300', 'success': true}");
  g_assert_cmpuint (task, ==, 1);
  WAIT_FOR (mini_lanes_get_n_lanes (fx->lanes) == 1);
  g_assert_cmpuint (mini_lanes_get_lane_task (fx->lanes, 0), ==, task);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, task), ==, MINI_LANE_CONNECTING);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 1);
  /* success is not the open: the lane still connects. */
  WAIT_FOR (count_events (fx, MINI_EVENT_SUCCESS, task) == 1);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, task), ==, MINI_LANE_CONNECTING);

  /* The bar starts at the connectSocket call, which the timeline records before the task. */
  connect_call = find_event (fx, MINI_EVENT_CALL, 0, 0);
  g_assert_cmpstr (connect_call.api, ==, "connectSocket");
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, task, &start_us, &open_us, &end_us));
  g_assert_cmpint (start_us, ==, connect_call.t_us);
  g_assert_cmpint (open_us, ==, -1);
  g_assert_cmpint (end_us, ==, -1);

  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  open = find_event (fx, MINI_EVENT_OPEN, task, 0);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, task, NULL, &open_us, &end_us));
  g_assert_cmpint (open_us, ==, open.t_us);
  g_assert_cmpint (open_us - start_us, >=, 300000);
  g_assert_cmpint (end_us, ==, -1);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 1);

  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'hello'}");
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'again'}");
  WAIT_FOR (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_RECEIVE) == 2);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_SEND), ==, 2);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_ERROR), ==, 0);

  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1000, 'reason': 'bye'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) != MINI_LANE_OPEN);
  /* The close frame went out; the close event has not come back yet, or has. */
  g_assert_true (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_CLOSING
                 || mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_CLOSED);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_CLOSED);
  close = find_event (fx, MINI_EVENT_CLOSE, task, 0);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, task, NULL, NULL, &end_us));
  g_assert_cmpint (end_us, ==, close.t_us);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 1);

  /* Every event of the task is a tick of its lane. */
  {
    guint n_ticks = 0;
    guint n_task_events = 0;
    guint n = mini_timeline_get_n_events (fx->timeline);

    for (guint k = 0; k < MINI_LANE_N_TICKS; k++)
      n_ticks += mini_lanes_get_lane_n_ticks (fx->lanes, task, k);
    for (guint i = 0; i < n; i++)
      {
        MiniEventView view;

        mini_timeline_get_event (fx->timeline, i, &view);
        n_task_events += view.task == task;
      }
    /* … and the connectSocket call, recorded before the task had its number. */
    g_assert_cmpuint (n_ticks, ==, n_task_events + 1);
  }
}

static void
test_failed (Fixture       *fx,
             gconstpointer  data)
{
  guint refused;
  guint dropped;
  gint64 open_us;
  gint64 end_us;

  refused = connect_socket (fx, "{'url': '{playground}/echo?status=403'}");
  dropped = connect_socket (fx, "{'url': '{playground}/echo?drop_after=1'}");
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (dropped, >, 0);

  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, refused) == MINI_LANE_FAILED);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, refused, NULL, &open_us, &end_us));
  g_assert_cmpint (open_us, ==, -1);
  g_assert_cmpint (end_us, ==, find_event (fx, MINI_EVENT_CLOSE, refused, 0).t_us);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, refused, MINI_LANE_TICK_ERROR), ==, 1);

  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, dropped) == MINI_LANE_OPEN);
  mini_test_call (fx->runtime, "SocketTask.send", dropped, "{'data': 'one'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, dropped) == MINI_LANE_FAILED);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, dropped, NULL, &open_us, &end_us));
  g_assert_cmpint (open_us, >, 0);
  g_assert_cmpint (end_us, >, open_us);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 2);
}

static void
test_slots (Fixture       *fx,
            gconstpointer  data)
{
  guint first;
  guint second;
  guint third;
  g_autoptr(GdkTexture) texture = NULL;
  Image image;
  double x;
  double y;

  override_quirks (fx, "{'maxConnections': 2}");
  mini_lanes_set_max_connections (fx->lanes, 2);
  load_css (fx, "lanes.slot-full { color: rgb(255, 0, 255); }\n"
            "lanes.slot { color: rgb(0, 0, 128); }\n"
            "lanes.slot-free { color: rgb(0, 128, 128); }\n");

  first = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, first) == MINI_LANE_OPEN);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fx->lanes),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "1 task; 1 of 2 connection slots in use");

  /* One slot of two used: the first pip is used, the second free. */
  settle (fx);
  texture = render (GTK_WIDGET (fx->lanes));
  image_init (&image, texture);
  {
    g_autofree char *used = pixel (&image, 11, 10);
    g_autofree char *free = pixel (&image, 19, 10);

    g_assert_cmpstr (used, ==, "#000080");
    g_assert_cmpstr (free, ==, "#008080");
  }
  image_clear (&image);
  g_clear_object (&texture);

  second = connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=100'}");
  WAIT_FOR (mini_lanes_get_n_live (fx->lanes) == 2);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, second), ==, MINI_LANE_CONNECTING);

  /* Full: both pips turn the warning colour. */
  settle (fx);
  texture = render (GTK_WIDGET (fx->lanes));
  image_init (&image, texture);
  {
    g_autofree char *one = pixel (&image, 11, 10);
    g_autofree char *two = pixel (&image, 19, 10);

    g_assert_cmpstr (one, ==, "#ff00ff");
    g_assert_cmpstr (two, ==, "#ff00ff");
  }
  image_clear (&image);
  g_clear_object (&texture);

  /* WeChat answers ok past the limit, then fails the task: a failed lane, the meter stays. */
  third = connect_socket (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpuint (third, >, 0);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, third) == MINI_LANE_FAILED);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 2);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 3);
  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_ERROR, third, 0).seq,
                                                &x, &y));
  {
    g_autofree char *tooltip = mini_lanes_dup_tooltip_at (fx->lanes, x, y);

    g_assert_nonnull (tooltip);
    g_assert_nonnull (strstr (tooltip, "<b>error</b>"));
    g_assert_nonnull (strstr (tooltip, "exceed max concurrent count"));
  }

  /* The slot meter explains itself. */
  {
    g_autofree char *tooltip = mini_lanes_dup_tooltip_at (fx->lanes, 12, 10);

    g_assert_cmpstr (tooltip, ==, "All 2 connection slots are in use: the next connectSocket is "
                                  "over the limit");
  }

  mini_test_call (fx->runtime, "SocketTask.close", first, "{}");
  WAIT_FOR (mini_lanes_get_n_live (fx->lanes) == 1);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, first), ==, MINI_LANE_CLOSED);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fx->lanes),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "3 tasks; 1 of 2 connection slots in use");

  mini_lanes_set_max_connections (fx->lanes, 0);
  {
    g_autofree char *tooltip = mini_lanes_dup_tooltip_at (fx->lanes, 12, 10);

    g_assert_cmpstr (tooltip, ==, "1 live connection; this platform sets no limit");
  }
}

static void
test_refused (Fixture       *fx,
              gconstpointer  data)
{
  guint task;
  double x;
  double y;

  /* The browser refuses a bad scheme by throwing: no task, no lane, a mark in the refusals. */
  task = connect_socket (fx, "{'url': 'ftp://example.com/'}");
  g_assert_cmpuint (task, ==, 0);
  WAIT_FOR (mini_lanes_get_n_refused (fx->lanes) == 1);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, 0, MINI_LANE_TICK_ERROR), ==, 1);

  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_RETURN, 0, 0).seq,
                                                &x, &y));
  g_assert_cmpuint (mini_lanes_get_event_at (fx->lanes, x, y), ==,
                    find_event (fx, MINI_EVENT_RETURN, 0, 0).seq);

  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpuint (task, >, 0);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 1);
  g_assert_cmpuint (mini_lanes_get_n_refused (fx->lanes), ==, 1);
  /* The good call's own ticks went to its lane, not to the refusals. */
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, 0, MINI_LANE_TICK_OTHER), ==, 1);
}

/* WeChat calls fail after the caller's code: the refused call's fail comes after the next
 * connectSocket. It still belongs with the refusal, and the next call starts its own lane. */
static void
test_refused_late_fail (Fixture       *fx,
                        gconstpointer  data)
{
  MiniEventView second_call;
  MiniEventView fail;
  gint64 start_us;
  guint task;

  g_assert_cmpuint (connect_socket (fx, "{'url': 5, 'fail': true}"), ==, 0);
  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  g_assert_cmpuint (task, >, 0);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);

  second_call = find_event (fx, MINI_EVENT_CALL, 0, 1);
  fail = find_event (fx, MINI_EVENT_FAIL, 0, 0);
  g_assert_cmpuint (fail.seq, >, second_call.seq);
  g_assert_cmpstr (fail.api, ==, "connectSocket");

  g_assert_cmpuint (mini_lanes_get_n_refused (fx->lanes), ==, 1);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, task, &start_us, NULL, NULL));
  g_assert_cmpint (start_us, ==, second_call.t_us);
  /* The refusals: the first call and its return, and the fail. */
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, 0, MINI_LANE_TICK_OTHER), ==, 2);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, 0, MINI_LANE_TICK_ERROR), ==, 1);
}

static void
test_selection (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *tooltip = NULL;
  MiniEventView message;
  guint notified = 0;
  guint task;
  double x;
  double y;

  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'pick me'}");
  WAIT_FOR (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_RECEIVE) == 1);
  message = find_event (fx, MINI_EVENT_MESSAGE, task, 0);

  /* A click on the message's tick activates it and selects it. */
  settle (fx);
  g_assert_true (mini_lanes_get_event_position (fx->lanes, message.seq, &x, &y));
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (GTK_WIDGET (fx->lanes)));
  g_assert_cmpuint (mini_lanes_get_event_at (fx->lanes, x, y), ==, message.seq);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.activate-at",
                                             "(dd)", x, y));
  g_assert_cmpuint (fx->n_activated, ==, 1);
  g_assert_cmpuint (fx->activated_seq, ==, message.seq);
  g_assert_cmpuint (mini_lanes_get_selected_seq (fx->lanes), ==, message.seq);

  /* The hover names the event, its payload and its time. */
  tooltip = mini_lanes_dup_tooltip_at (fx->lanes, x, y);
  g_assert_nonnull (tooltip);
  g_assert_true (g_str_has_prefix (tooltip, "<b>message</b>"));
  g_assert_nonnull (strstr (tooltip, "pick me"));
  g_assert_nonnull (strstr (tooltip, "task 1"));

  /* Nothing under the pointer: no activation. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.activate-at",
                                             "(dd)", x, 2.0));
  g_assert_cmpuint (fx->n_activated, ==, 1);

  /* The keyboard walks the lane in seq order; past its last event it stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.select-next", NULL));
  g_assert_cmpuint (fx->n_activated, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.select-previous",
                                             NULL));
  g_assert_cmpuint (fx->n_activated, ==, 2);
  g_assert_cmpuint (fx->activated_seq, <, message.seq);
  {
    MiniEventView previous;

    g_assert_true (mini_timeline_get_event (fx->timeline, fx->activated_seq - 1, &previous));
    g_assert_cmpuint (previous.task, ==, task);
    for (guint seq = fx->activated_seq + 1; seq < message.seq; seq++)
      {
        MiniEventView between;

        mini_timeline_get_event (fx->timeline, seq - 1, &between);
        g_assert_cmpuint (between.task, !=, task);
      }
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.select-next", NULL));
  g_assert_cmpuint (mini_lanes_get_selected_seq (fx->lanes), ==, message.seq);

  /* Selection from the window (the event list) is only a highlight, not an activation. */
  g_signal_connect (fx->lanes, "notify::selected-seq", G_CALLBACK (count_notify), &notified);
  mini_lanes_set_selected_seq (fx->lanes, 1);
  mini_lanes_set_selected_seq (fx->lanes, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (fx->n_activated, ==, 3);

  /* The lane's name stands for its connectSocket call. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.activate-at",
                                             "(dd)", 20.0, y));
  g_assert_cmpuint (fx->activated_seq, ==, find_event (fx, MINI_EVENT_CALL, 0, 0).seq);
}

static void
test_clear (Fixture       *fx,
            gconstpointer  data)
{
  guint failed;
  guint task;

  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  /* WeChat makes a task for a bad scheme and fails it later; a url of the wrong type it refuses
   * outright. */
  failed = connect_socket (fx, "{'url': 'ftp://example.com/'}");
  g_assert_cmpuint (connect_socket (fx, "{'url': 5}"), ==, 0);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, failed) == MINI_LANE_FAILED
            && mini_lanes_get_n_refused (fx->lanes) == 1);
  mini_lanes_set_selected_seq (fx->lanes, 2);

  mini_timeline_clear (fx->timeline);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_n_refused (fx->lanes), ==, 0);
  g_assert_cmpuint (mini_lanes_get_selected_seq (fx->lanes), ==, 0);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, task), ==, MINI_LANE_NONE);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, failed), ==, MINI_LANE_NONE);

  /* The socket lives on in the runtime; its next events start a lane of their own. */
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'after'}");
  WAIT_FOR (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_RECEIVE) == 1);
  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 1);
  settle (fx);
}

/* The colours come from CSS, and the bar is drawn where the queries say. */
static void
test_drawing (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  MiniEventView open;
  MiniEventView close;
  Image image;
  guint task;
  double x;
  double y;

  load_css (fx, "lanes.lane-open { color: rgb(0, 200, 0); }\n"
            "lanes.lane-closed { color: rgb(100, 100, 100); }\n"
            "lanes.tick-other { color: rgb(0, 200, 0); }\n"
            "lanes.tick-receive { color: rgb(0, 0, 255); }\n"
            "lanes.stripe { color: transparent; }\n"
            "lanes.selected { color: rgb(255, 0, 0); }\n");

  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'x'}");
  WAIT_FOR (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_RECEIVE) == 1);
  mini_test_run_for (300);
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1000}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_CLOSED);
  mini_test_run_for (300);
  settle (fx);

  open = find_event (fx, MINI_EVENT_OPEN, task, 0);
  close = find_event (fx, MINI_EVENT_CLOSE, task, 0);
  texture = render (GTK_WIDGET (fx->lanes));
  image_init (&image, texture);

  /* Ended: the whole bar, open part included, has the colour of how it ended. */
  bar_point (fx, task, open.seq, &x, &y);
  {
    double close_x;
    double close_y;
    g_autofree char *middle = NULL;
    g_autofree char *after = NULL;
    g_autofree char *above = NULL;

    bar_point (fx, task, close.seq, &close_x, &close_y);
    g_assert_cmpfloat (close_x - x, >, 20);
    middle = pixel (&image, (x + close_x) / 2 + 3, y + 2);
    after = pixel (&image, close_x + 8, y + 2);
    above = pixel (&image, (x + close_x) / 2 + 3, y - 8);
    g_assert_cmpstr (middle, ==, "#646464");
    g_assert_cmpstr (after, !=, "#646464");
    g_assert_cmpstr (above, !=, "#646464");
  }

  /* Nothing is selected yet: no ring colour anywhere near the message. */
  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_MESSAGE, task, 0).seq,
                                                &x, &y));
  for (int dx = -6; dx <= 6; dx++)
    for (int dy = -6; dy <= 6; dy++)
      {
        g_autofree char *color = pixel (&image, x + dx, y + dy);

        g_assert_cmpstr (color, !=, "#ff0000");
      }

  /* The message is a receive tick above the bar. */
  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_MESSAGE, task, 0).seq,
                                                &x, &y));
  {
    g_autofree char *tick = pixel (&image, x, y);

    g_assert_cmpstr (tick, ==, "#0000ff");
  }
  image_clear (&image);
  g_clear_object (&texture);

  /* A selected event is ringed. */
  mini_lanes_set_selected_seq (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, task, 0).seq);
  settle (fx);
  texture = render (GTK_WIDGET (fx->lanes));
  image_init (&image, texture);
  {
    gboolean ringed = FALSE;

    for (int dx = -6; dx <= 6 && !ringed; dx++)
      for (int dy = -6; dy <= 6 && !ringed; dy++)
        {
          g_autofree char *color = pixel (&image, x + dx, y + dy);

          ringed = g_str_equal (color, "#ff0000");
        }
    g_assert_true (ringed);
  }
  image_clear (&image);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (mini_scenario_run_finish (MINI_SCENARIO (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* A scenario run ends with a socket still open: its lane stops there, open, and frees its slot;
 * the lane closed during the run is unaffected. */
static void
test_run_end (Fixture       *fx,
              gconstpointer  data)
{
  static const char scenario_json[] =
    "{\"title\": \"left open\", \"dialect\": \"wx\", \"steps\": ["
    " {\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"{playground}/echo\"}},"
    " {\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"{playground}/echo\"}},"
    " {\"on\": \"open\", \"task\": 1, \"call\": \"SocketTask.close\"}"
    "], \"until\": {\"idle\": 200, \"max\": 5000}}";
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  gint64 end_us;
  MiniEventView end;

  scenario = mini_scenario_new_from_data ("left-open.json", scenario_json, -1, &error);
  g_assert_no_error (error);
  runtime = mini_scenario_create_runtime (scenario, NULL, fx->timeline,
                                          mini_playground_get_url (fx->playground), &error);
  g_assert_no_error (error);

  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, &done);
  WAIT_FOR (done);

  g_assert_cmpuint (mini_lanes_get_n_lanes (fx->lanes), ==, 2);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, 1), ==, MINI_LANE_CLOSED);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, 2), ==, MINI_LANE_OPEN);
  g_assert_cmpuint (mini_lanes_get_n_live (fx->lanes), ==, 0);

  end = find_event (fx, MINI_EVENT_ENV, 0, 0);
  g_assert_cmpstr (json_object_get_string_member (end.extra, "value"), ==, "end");
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, 2, NULL, NULL, &end_us));
  g_assert_cmpint (end_us, ==, end.t_us);
  g_assert_true (mini_lanes_get_lane_extent (fx->lanes, 1, NULL, NULL, &end_us));
  g_assert_cmpint (end_us, ==, find_event (fx, MINI_EVENT_CLOSE, 1, 0).t_us);
}

/* Moves the lanes into a scrolled window, as the window shows them. */
static GtkScrolledWindow *
put_in_scrolled_window (Fixture *fx)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  g_object_ref (fx->lanes);
  gtk_window_set_child (GTK_WINDOW (fx->window), NULL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fx->lanes));
  g_object_unref (fx->lanes);
  gtk_window_set_child (GTK_WINDOW (fx->window), scrolled);
  settle (fx);

  return GTK_SCROLLED_WINDOW (scrolled);
}

static void
test_zoom (Fixture       *fx,
           gconstpointer  data)
{
  GtkScrolledWindow *scrolled = put_in_scrolled_window (fx);
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (scrolled);
  guint first;
  guint last;
  double x1;
  double x2;
  double zoomed1;
  double zoomed2;
  double y;

  /* A closed task: the session no longer grows, so positions only move by zooming. */
  first = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, first) == MINI_LANE_OPEN);
  mini_test_call (fx->runtime, "SocketTask.send", first, "{'data': 'a'}");
  mini_test_run_for (200);
  mini_test_call (fx->runtime, "SocketTask.send", first, "{'data': 'b'}");
  WAIT_FOR (mini_lanes_get_lane_n_ticks (fx->lanes, first, MINI_LANE_TICK_RECEIVE) == 2);
  mini_test_call (fx->runtime, "SocketTask.close", first, "{}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, first) == MINI_LANE_CLOSED);
  settle (fx);

  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_MESSAGE, first, 0).seq,
                                                &x1, &y));
  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_MESSAGE, first, 1).seq,
                                                &x2, &y));
  g_assert_cmpfloat (x2 - x1, >, 20);
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), ==,
                     gtk_adjustment_get_page_size (hadjustment));

  /* Zooming in spreads the events, and the scrolled window can pan. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.zoom-in", NULL));
  g_assert_cmpfloat (mini_lanes_get_zoom (fx->lanes), ==, 1.5);
  settle (fx);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (hadjustment),
                                  1.5 * gtk_adjustment_get_page_size (hadjustment), 0.5);
  mini_lanes_get_event_position (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, first, 0).seq,
                                 &zoomed1, &y);
  mini_lanes_get_event_position (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, first, 1).seq,
                                 &zoomed2, &y);
  g_assert_cmpfloat_with_epsilon (zoomed2 - zoomed1, 1.5 * (x2 - x1), 2.0);

  gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_value (hadjustment) + 50);
  mini_lanes_get_event_position (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, first, 0).seq,
                                 &x2, &y);
  g_assert_cmpfloat_with_epsilon (x2, zoomed1 - 50, 1.0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->lanes), "lanes.zoom-fit", NULL));
  g_assert_cmpfloat (mini_lanes_get_zoom (fx->lanes), ==, 1.0);
  settle (fx);
  mini_lanes_get_event_position (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, first, 0).seq,
                                 &zoomed1, &y);
  g_assert_cmpfloat_with_epsilon (zoomed1, x1, 1.0);

  /* More lanes than fit: the scrolled window scrolls them, the axis stays. */
  for (guint i = 0; i < 14; i++)
    connect_socket (fx, "{'url': '{playground}/echo?silent=1'}");
  last = mini_runtime_get_newest_task (fx->runtime);
  WAIT_FOR (mini_lanes_get_n_lanes (fx->lanes) == 15);
  settle (fx);
  {
    GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (scrolled);
    guint error_seq = find_event (fx, MINI_EVENT_ERROR, last, 0).seq;
    double height = gtk_widget_get_height (GTK_WIDGET (fx->lanes));
    double top_y;
    double bottom_y;

    /* Past WeChat's five, the last task failed at once. */
    g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, last), ==, MINI_LANE_FAILED);
    g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >,
                       gtk_adjustment_get_page_size (vadjustment));
    mini_lanes_get_event_position (fx->lanes, error_seq, &x1, &bottom_y);
    g_assert_cmpfloat (bottom_y, >, height);

    gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
    mini_lanes_get_event_position (fx->lanes, error_seq, &x1, &bottom_y);
    mini_lanes_get_event_position (fx->lanes, find_event (fx, MINI_EVENT_OPEN, first, 0).seq,
                                   &x2, &top_y);
    g_assert_cmpfloat (bottom_y, <, height);
    g_assert_cmpfloat (top_y, <, 0);
    /* The return and quirks share its pixels; the error is what a click there means. */
    g_assert_cmpuint (mini_lanes_get_event_at (fx->lanes, x1, bottom_y), ==, error_seq);
  }
}

/* Simplified Chinese is first-class: what the lanes say, said in Chinese. Meson runs this test
 * again in a process started with LANGUAGE=zh_CN, as a Chinese desktop starts the app. */
static void
test_zh_cn (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *lane = NULL;
  g_autofree char *slots = NULL;
  guint task;
  double x;
  double y;

  if (!g_str_has_prefix (g_getenv ("LANGUAGE") ?: "", "zh_CN"))
    {
      g_test_skip ("needs LANGUAGE=zh_CN from the start; the lanes-zh_CN test has it");
      return;
    }

  mini_lanes_set_max_connections (fx->lanes, 5);
  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  settle (fx);

  g_assert_true (mini_lanes_get_event_position (fx->lanes,
                                                find_event (fx, MINI_EVENT_OPEN, task, 0).seq,
                                                &x, &y));
  lane = mini_lanes_dup_tooltip_at (fx->lanes, 20, y);
  slots = mini_lanes_dup_tooltip_at (fx->lanes, 12, 10);

  g_assert_nonnull (lane);
  g_assert_true (g_str_has_prefix (lane, "<b>任务 1</b>：已打开"));
  g_assert_cmpstr (slots, ==, "已用 1 个连接，上限 5 个（连接中、已打开、关闭中都计入）");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fx->lanes),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "连接泳道");
}

/* A live lane is open, green, to now; in the dark style the theme's colours change with it. */
static void
test_dark (Fixture       *fx,
           gconstpointer  data)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  g_autofree char *theme = NULL;
  gboolean prefer_dark;
  guint task;
  double x;
  double y;

  g_object_get (settings, "gtk-theme-name", &theme,
                "gtk-application-prefer-dark-theme", &prefer_dark, NULL);

  task = connect_socket (fx, "{'url': '{playground}/echo'}");
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  mini_test_run_for (400);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      Image image;
      double close_x;

      g_object_set (settings, "gtk-application-prefer-dark-theme", i == 1, NULL);
      settle (fx);

      texture = render (GTK_WIDGET (fx->lanes));
      image_init (&image, texture);
      bar_point (fx, task, find_event (fx, MINI_EVENT_OPEN, task, 0).seq, &x, &y);
      /* The live bar reaches the right end: it grows to now. */
      close_x = gtk_widget_get_width (GTK_WIDGET (fx->lanes)) - 14;
      if (i == 0)
        light = pixel (&image, close_x, y + 2);
      else
        dark = pixel (&image, close_x, y + 2);
      image_clear (&image);
    }

  g_object_set (settings, "gtk-application-prefer-dark-theme", prefer_dark, NULL);
  settle (fx);

  g_test_message ("open bar: %s light, %s dark (theme %s)", light, dark, theme);
  /* Adwaita's success colour, light and dark. */
  g_assert_cmpstr (light, ==, "#33d17a");
  g_assert_cmpstr (dark, ==, "#26ab62");
}

/* A flood of 100,000 messages from the playground: the lanes keep up, and drawing stays cheap. */
/* Times the lanes' own items-changed handler: one handler runs just before it, one just after,
 * and the latter counts the messages announced, so that waiting costs no scan. */
typedef struct {
  gint64 start;
  gint64 longest;
  gint64 total;
  guint  n_calls;
  guint  n_messages;
} HandlerTime;

static void
before_lanes (GListModel  *model,
              guint        position,
              guint        removed,
              guint        added,
              HandlerTime *time)
{
  time->start = g_get_monotonic_time ();
}

static void
after_lanes (GListModel  *model,
             guint        position,
             guint        removed,
             guint        added,
             HandlerTime *time)
{
  gint64 took = g_get_monotonic_time () - time->start;

  time->longest = MAX (time->longest, took);
  time->total += took;
  time->n_calls++;

  for (guint i = position; i < position + added; i++)
    {
      MiniEventView view;

      mini_timeline_get_event (MINI_TIMELINE (model), i, &view);
      time->n_messages += view.kind == MINI_EVENT_MESSAGE;
    }
}

/* A flood of 100,000 messages from the playground: the lanes keep up without holding the main
 * loop, and drawing stays cheap. */
static void
test_flood (Fixture       *fx,
            gconstpointer  data)
{
  const guint n_messages = 100000;
  HandlerTime handler = { 0 };
  gint64 longest_snapshot = 0;
  gint64 longest_render = 0;
  gint64 total = 0;
  gint64 start = g_get_monotonic_time ();
  guint n_draws = 0;
  guint task;

  mini_lanes_set_timeline (fx->lanes, NULL);
  g_signal_connect (fx->timeline, "items-changed", G_CALLBACK (before_lanes), &handler);
  mini_lanes_set_timeline (fx->lanes, fx->timeline);
  g_signal_connect (fx->timeline, "items-changed", G_CALLBACK (after_lanes), &handler);

  /* As in the window: on the main thread, libsoup can read the whole flood in one dispatch when
   * the kernel has buffered it, and no frame could come between its batches. */
  mini_runtime_use_io_thread (fx->runtime);
  task = connect_socket (fx, "{'url': '{playground}/echo?flood=100000&size=16'}");

  while (handler.n_messages < n_messages)
    {
      gint64 snapshot_us;
      gint64 render_us;

      /* A frame of the flood, as the frame clock would draw it. */
      time_draw (GTK_WIDGET (fx->lanes), &snapshot_us, &render_us, NULL);
      longest_snapshot = MAX (longest_snapshot, snapshot_us);
      longest_render = MAX (longest_render, render_us);
      total += snapshot_us;
      n_draws++;

      /* The next frame comes 16 ms later, or as soon as a batch has come in. */
      {
        guint seen = handler.n_messages;
        gboolean expired = FALSE;
        guint deadline = g_timeout_add (16, mini_test_on_deadline, &expired);

        while (!expired && handler.n_messages == seen)
          g_main_context_iteration (NULL, TRUE);
        if (!expired)
          g_source_remove (deadline);
      }
      g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
    }

  g_signal_handlers_disconnect_by_data (fx->timeline, &handler);
  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, task, MINI_LANE_TICK_RECEIVE), ==,
                    n_messages);

  /* The lane of 100,000 ticks, 200,000 events with the frames: as cheap as a short one. */
  settle (fx);
  {
    gint64 snapshot_us;
    gint64 render_us;
    guint n_nodes;

    time_draw (GTK_WIDGET (fx->lanes), &snapshot_us, &render_us, &n_nodes);
    longest_snapshot = MAX (longest_snapshot, snapshot_us);
    longest_render = MAX (longest_render, render_us);
    g_test_message ("after the flood: snapshot %.2f ms, render %.2f ms, %u nodes",
                    snapshot_us / 1000.0, render_us / 1000.0, n_nodes);
    /* At most a rectangle per pixel column for each kind of tick the lane has (receive, and the
     * frames under "other"), plus the axis and the labels; not one per event. */
    g_assert_cmpuint (n_nodes, <, 2 * gtk_widget_get_width (GTK_WIDGET (fx->lanes)) + 100);
  }

  g_test_message ("flood: %u messages in %.0f ms; lanes handler: %u calls, %.1f ms in all, "
                  "longest %.2f ms; %u draws during it: snapshot mean %.2f ms; "
                  "longest snapshot %.2f ms, render %.2f ms",
                  n_messages, (g_get_monotonic_time () - start) / 1000.0,
                  handler.n_calls, handler.total / 1000.0, handler.longest / 1000.0, n_draws,
                  total / 1000.0 / MAX (n_draws, 1), longest_snapshot / 1000.0,
                  longest_render / 1000.0);

  /* The times above are for reading; bench/ holds the window to its stall target. Tests check
   * what a loaded machine cannot change: the lanes took every message in, in batches rather
   * than one handler call per event, and drew from the start of the flood. */
  g_assert_cmpuint (handler.n_calls, <, n_messages / 10);
  g_assert_cmpuint (n_draws, >, 1);
}

/* A million events reach the widget at once, as when a session is imported: it takes them in
 * slices that never hold the main loop long, and draws them in bounded time. */
static void
test_million (Fixture       *fx,
              gconstpointer  data)
{
  const guint n_messages = 1000000;
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  static const guint8 payload[64] = { 'x' };
  MiniEventSpec spec = { .code = MINI_NO_CODE };
  gint64 origin = mini_timeline_get_origin (timeline);
  gint64 longest_slice = 0;
  gint64 longest_draw = 0;
  gint64 start;
  gint64 took;
  guint n_slices = 0;

  /* One task, connected and open, then a message every 10 µs. */
  spec.kind = MINI_EVENT_CALL;
  spec.api = "connectSocket";
  spec.time_us = origin + 1;
  mini_timeline_append (timeline, &spec);
  spec = (MiniEventSpec) { .kind = MINI_EVENT_OPEN, .task = 1, .code = MINI_NO_CODE,
                           .time_us = origin + 1000 };
  mini_timeline_append (timeline, &spec);
  for (guint i = 0; i < n_messages; i++)
    {
      spec = (MiniEventSpec) { .kind = MINI_EVENT_MESSAGE, .task = 1, .code = MINI_NO_CODE,
                               .data = payload, .data_len = sizeof payload,
                               .time_us = origin + 2000 + i * 10 };
      mini_timeline_append (timeline, &spec);
    }

  start = g_get_monotonic_time ();
  mini_lanes_set_timeline (fx->lanes, timeline);
  mini_timeline_flush (timeline);
  took = g_get_monotonic_time () - start;
  longest_slice = took;

  /* The rest is taken in from idles; each dispatch is timed. */
  while (g_main_context_pending (NULL) && n_slices < 100000)
    {
      start = g_get_monotonic_time ();
      g_main_context_iteration (NULL, FALSE);
      took = g_get_monotonic_time () - start;
      longest_slice = MAX (longest_slice, took);
      n_slices++;
    }

  g_assert_cmpuint (mini_lanes_get_lane_n_ticks (fx->lanes, 1, MINI_LANE_TICK_RECEIVE), ==,
                    n_messages);
  g_assert_cmpint (mini_lanes_get_lane_state (fx->lanes, 1), ==, MINI_LANE_OPEN);
  settle (fx);

  for (guint i = 0; i < 5; i++)
    {
      gint64 snapshot_us;
      gint64 render_us;
      guint n_nodes;

      time_draw (GTK_WIDGET (fx->lanes), &snapshot_us, &render_us, &n_nodes);
      longest_draw = MAX (longest_draw, snapshot_us + render_us);
      g_assert_cmpuint (n_nodes, <, gtk_widget_get_width (GTK_WIDGET (fx->lanes)) + 100);

      /* Zoomed in, the same million is searched, not walked. */
      mini_lanes_set_zoom (fx->lanes, 1.0 + 40.0 * i);
      settle (fx);
    }

  g_test_message ("million: longest main-loop dispatch %.2f ms over %u; longest draw %.2f ms",
                  longest_slice / 1000.0, n_slices, longest_draw / 1000.0);
  /* The times are for reading (bench/ has the targets); that the million came in slices, not in
   * one dispatch, is what the test holds. */
  g_assert_cmpuint (n_slices, >, 1);

  mini_lanes_set_timeline (fx->lanes, fx->timeline);
}

/* ---- a demo to look at -------------------------------------------------------------------- */

/* test-lanes --demo [SECONDS [ZOOM]]: a window with a varied session, for screenshots. */
static int
run_demo (int    argc,
          char **argv)
{
  Fixture storage = { 0 };
  Fixture *fx = &storage;
  guint seconds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 600;
  guint task;

  fixture_setup (fx, "wx");
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1240, 340);
  put_in_scrolled_window (fx);
  mini_lanes_set_max_connections (fx->lanes, 5);

  task = connect_socket (fx, "{'url': '{playground}/echo', 'success': true}");
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  WAIT_FOR (mini_lanes_get_lane_state (fx->lanes, task) == MINI_LANE_OPEN);
  for (guint i = 0; i < 5; i++)
    {
      mini_test_call (fx->runtime, "SocketTask.send", task, "{'data': 'hello'}");
      mini_test_run_for (60);
    }
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=400&push_every_ms=40'}");
  connect_socket (fx, "{'url': '{playground}/echo?status=403'}");
  mini_test_run_for (150);
  connect_socket (fx, "{'url': 5, 'fail': true}");
  connect_socket (fx, "{'url': '{playground}/echo?flood=3000&size=32'}");
  mini_test_call (fx->runtime, "SocketTask.send", 0, NULL);
  mini_test_run_for (250);
  connect_socket (fx, "{'url': '{playground}/echo?close_after=2&code=4000&reason=done'}");
  mini_test_call (fx->runtime, "SocketTask.send", 0, "{'data': 'one'}");
  mini_test_call (fx->runtime, "SocketTask.send", 0, "{'data': 'two'}");
  mini_test_run_for (200);
  mini_test_call (fx->runtime, "SocketTask.close", task, "{'code': 1000, 'reason': 'bye'}");
  mini_test_run_for (300);
  mini_test_call (fx->runtime, "network.off", 0, NULL);
  mini_test_run_for (100);
  mini_test_call (fx->runtime, "network.on", 0, NULL);
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=5000'}");
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=5000'}");
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=5000'}");
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=5000'}");
  connect_socket (fx, "{'url': '{playground}/echo?delay_open_ms=5000'}");
  connect_socket (fx, "{'url': '{playground}/echo'}");
  mini_test_run_for (300);
  mini_lanes_set_selected_seq (fx->lanes, find_event (fx, MINI_EVENT_MESSAGE, task, 2).seq);
  if (argc > 3)
    mini_lanes_set_zoom (fx->lanes, g_ascii_strtod (argv[3], NULL));

  g_printerr ("demo ready\n");
  mini_test_run_for (seconds * 1000);

  fixture_teardown (fx, NULL);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  /* As the app's main() does, with the translations as built. gtk_test_init() asked for
   * en_US.UTF-8, which a fresh machine may not have; the environment's locale it is. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("MINISOCK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc > 1 && g_str_equal (argv[1], "--demo"))
    return run_demo (argc, argv);

#define ADD(path, dialect, fn) \
  g_test_add (path, Fixture, dialect, fixture_setup, fn, fixture_teardown)

  ADD ("/lanes/lifecycle", "wx", test_lifecycle);
  ADD ("/lanes/failed", "wx", test_failed);
  ADD ("/lanes/slots", "wx", test_slots);
  ADD ("/lanes/refused", "web", test_refused);
  ADD ("/lanes/refused-late-fail", "wx", test_refused_late_fail);
  ADD ("/lanes/selection", "wx", test_selection);
  ADD ("/lanes/clear", "wx", test_clear);
  ADD ("/lanes/run-end", "wx", test_run_end);
  ADD ("/lanes/drawing", "wx", test_drawing);
  ADD ("/lanes/zoom", "wx", test_zoom);
  ADD ("/lanes/dark", "wx", test_dark);
  ADD ("/lanes/zh-CN", "wx", test_zh_cn);
  ADD ("/lanes/flood", "wx", test_flood);
  ADD ("/lanes/million", "wx", test_million);

#undef ADD

  return g_test_run ();
}
