/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-io"

#include "config.h"

#include "mini-io-thread.h"
#include "mini-util.h"

/* libsoup reads a WebSocket until the socket has nothing more: under a flood from a fast server,
 * tens of thousands of messages in one call, and a window that does its socket I/O on its own
 * thread paints no frame meanwhile. Here libsoup runs on a thread of its own; what it reports
 * comes back to the owner's context as posted calls, run in batches of at most DRAIN_BUDGET_US
 * (a batch can hold a frame that falls due back by that much: with 4 ms, 7 to 13 % of the frame
 * intervals under a flood were over 20 ms, against 3 to 7 % with 2 ms; in bench-window, 6 and 9
 * sets of 5 floods, the median p99 interval was 19.7 ms with 0.5 ms and 20.5 ms with 2 ms, most
 * sets with no interval over 20 ms against 2.6 to 2.9 %, and the floods took as long).
 * A batch runs at the default priority, as socket I/O would. Once batches have taken a budget's
 * worth of a DRAIN_WINDOW_US (about a frame), or a backlog remains, the next ones run below
 * GTK's redraw priority, so a frame due is painted between two of them. Without the window, a
 * flood that the owner just kept up with emptied the queue at the end of each batch, and batches
 * at the default priority held a frame back for 15 to 25 ms. */

/* What the I/O thread has posted and the owner not yet run is bounded: past POSTED_HIGH calls,
 * the I/O thread waits until the owner has brought them down to POSTED_LOW, and reads no socket
 * meanwhile (the sender then waits on TCP's flow control, as with a slow reader). Under a flood
 * that the window cannot keep up with, the I/O thread and an in-process sender no longer take the
 * cores from the window's frames, and the queue no longer grows with the flood. */
#define POSTED_HIGH           8192
#define POSTED_LOW            2048

#define DRAIN_BUDGET_US       500
#define DRAIN_WINDOW_US       (16 * 1000)
#define DRAIN_PRIORITY        G_PRIORITY_DEFAULT
#define DRAIN_BUSY_PRIORITY   (G_PRIORITY_HIGH_IDLE + 30)

typedef struct {
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify notify;
} Posted;

typedef struct {
  GSource       source;
  MiniIoThread *self;
} DrainSource;

struct _MiniIoThread
{
  GObject       parent_instance;

  GThread      *thread;
  GMainContext *context;     /* the I/O thread's */
  GMainLoop    *loop;
  SoupSession  *session;     /* made, used and freed on the I/O thread */

  GMutex        mutex;
  GCond         cond;
  gboolean      ready;

  /* The owner's side: calls posted by the I/O thread, under the mutex. */
  GSource      *drain;
  GQueue        posted;
  GThread      *io_self;         /* the I/O thread, set once before it is ready */
  gboolean      posting_waits;   /* the I/O thread waits for the queue to come down */
  gboolean      closing;         /* no more waiting: the owner is going */
  /* The owner's only: the time batches took since window_start. */
  gint64        window_start;
  gint64        window_spent;
};

G_DEFINE_FINAL_TYPE (MiniIoThread, mini_io_thread, G_TYPE_OBJECT)

static void
posted_free (Posted *posted)
{
  if (posted->notify != NULL)
    posted->notify (posted->data);
  g_free (posted);
}

static gboolean
drain_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_autoptr(MiniIoThread) self = g_object_ref (((DrainSource *) source)->self);
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + DRAIN_BUDGET_US;

  g_source_set_ready_time (source, -1);
  while (self->drain != NULL)
    {
      Posted *posted;

      g_mutex_lock (&self->mutex);
      posted = g_queue_pop_head (&self->posted);
      if (self->posting_waits && self->posted.length <= POSTED_LOW)
        {
          self->posting_waits = FALSE;
          g_cond_broadcast (&self->cond);
        }
      g_mutex_unlock (&self->mutex);
      if (posted == NULL)
        break;

      posted->func (posted->data);
      posted_free (posted);

      if (g_get_monotonic_time () >= end)
        break;
    }

  if (start - self->window_start >= DRAIN_WINDOW_US)
    {
      self->window_start = start;
      self->window_spent = 0;
    }
  self->window_spent += g_get_monotonic_time () - start;

  g_mutex_lock (&self->mutex);
  if (self->drain != NULL)
    {
      gboolean backlog = self->posted.length > 0;
      gboolean busy = backlog || self->window_spent >= DRAIN_BUDGET_US;

      g_source_set_priority (self->drain, busy ? DRAIN_BUSY_PRIORITY : DRAIN_PRIORITY);
      if (backlog)
        g_source_set_ready_time (self->drain, 0);
    }
  g_mutex_unlock (&self->mutex);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs drain_funcs = { NULL, NULL, drain_dispatch, NULL, NULL, NULL };

static gpointer
io_thread (gpointer data)
{
  MiniIoThread *self = data;

  g_main_context_push_thread_default (self->context);
  mini_thread_yield_to_ui ();

  /* Many sockets to one host must not queue behind each other in libsoup's connection limit. */
  self->session = soup_session_new_with_options ("max-conns", 1024,
                                                 "max-conns-per-host", 1024,
                                                 NULL);
  soup_session_add_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);

  g_mutex_lock (&self->mutex);
  self->io_self = g_thread_self ();
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  /* The connections dropped last have queued their close frames; let what is ready go out. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
mini_io_thread_dispose (GObject *object)
{
  MiniIoThread *self = MINI_IO_THREAD (object);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->closing = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_main_context_invoke (self->context, quit_loop, self->loop);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  g_mutex_lock (&self->mutex);
  if (self->drain != NULL)
    {
      g_source_destroy (self->drain);
      g_clear_pointer (&self->drain, g_source_unref);
    }
  g_mutex_unlock (&self->mutex);
  g_queue_clear_full (&self->posted, (GDestroyNotify) posted_free);

  G_OBJECT_CLASS (mini_io_thread_parent_class)->dispose (object);
}

static void
mini_io_thread_finalize (GObject *object)
{
  MiniIoThread *self = MINI_IO_THREAD (object);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (mini_io_thread_parent_class)->finalize (object);
}

static void
mini_io_thread_class_init (MiniIoThreadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_io_thread_dispose;
  object_class->finalize = mini_io_thread_finalize;
}

static void
mini_io_thread_init (MiniIoThread *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->posted);
}

/* Starts the thread; what it posts runs on the caller's thread-default context. */
MiniIoThread *
mini_io_thread_new (void)
{
  MiniIoThread *self = g_object_new (MINI_TYPE_IO_THREAD, NULL);

  self->drain = g_source_new (&drain_funcs, sizeof (DrainSource));
  ((DrainSource *) self->drain)->self = self;
  g_source_set_priority (self->drain, DRAIN_PRIORITY);
  g_source_set_name (self->drain, "minisock I/O results");
  g_source_attach (self->drain, g_main_context_get_thread_default ());

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("minisock-io", io_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  return self;
}

/* The session to connect with; only for code running on the I/O thread. */
SoupSession *
mini_io_thread_get_session (MiniIoThread *self)
{
  g_return_val_if_fail (MINI_IS_IO_THREAD (self), NULL);

  return self->session;
}

/* Runs @func on the I/O thread, in the order of the calls. */
void
mini_io_thread_invoke (MiniIoThread   *self,
                       GSourceFunc     func,
                       gpointer        data,
                       GDestroyNotify  notify)
{
  g_return_if_fail (MINI_IS_IO_THREAD (self));

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, func, data, notify);
}

/* From the I/O thread: runs @func on the owner's context, in the order of the calls. @notify
 * runs on the owner's thread too, also when the call never runs. */
void
mini_io_thread_post (MiniIoThread   *self,
                     GSourceFunc     func,
                     gpointer        data,
                     GDestroyNotify  notify)
{
  Posted *posted = g_new (Posted, 1);

  posted->func = func;
  posted->data = data;
  posted->notify = notify;

  /* The drain goes only after the thread was joined: nothing posts then. */
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->posted, posted);
  if (self->posted.length == 1)
    g_source_set_ready_time (self->drain, 0);
  if (self->posted.length >= POSTED_HIGH && g_thread_self () == self->io_self)
    {
      self->posting_waits = TRUE;
      while (self->posting_waits && !self->closing)
        g_cond_wait (&self->cond, &self->mutex);
    }
  g_mutex_unlock (&self->mutex);
}
