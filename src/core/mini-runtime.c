/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-runtime"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mini-marshal.h"
#include "mini-runtime.h"
#include "mini-socket-task.h"
#include "mini-util.h"

/* The four platform events, in the order of the listener slots. */
typedef enum {
  SLOT_OPEN,
  SLOT_MESSAGE,
  SLOT_ERROR,
  SLOT_CLOSE,
  N_SLOTS
} Slot;

static const char * const slot_task_api[N_SLOTS] = {
  "SocketTask.onOpen", "SocketTask.onMessage", "SocketTask.onError", "SocketTask.onClose",
};
static const char * const slot_global_api[N_SLOTS] = {
  "onSocketOpen", "onSocketMessage", "onSocketError", "onSocketClose",
};
static const MiniEventKind slot_kind[N_SLOTS] = {
  MINI_EVENT_OPEN, MINI_EVENT_MESSAGE, MINI_EVENT_ERROR, MINI_EVENT_CLOSE,
};

typedef struct {
  MiniRuntime    *runtime;
  MiniSocketTask *socket;
  guint           id;
  GPtrArray      *listeners[N_SLOTS]; /* names, made on the first registration */
  guint           n_registered[N_SLOTS];
  guint           protocols_requested : 1;
  guint           close_when_open : 1;
  guint           dead : 1;          /* error or close delivered */
  guint           multiple : 1;      /* made in multiple mode, not single mode */
  guint           ready : 1;         /* connectSocket's success has run */
  guint           unlisted : 1;
  guint           unreachable : 1;   /* connectSocket gave the code no SocketTask to call */      /* its error or close reached the listeners: globals skip it */
  guint           client_closed : 1; /* the caller's close was accepted */
  guint           released : 1;      /* the socket says nothing more: see task_release() */
  GPtrArray      *queued;            /* Frame: data a send before open still sends at open */
  gushort         close_code;        /* what went on the wire, to report if the peer echoes none */
  char           *close_reason;
  gint            stored_code;       /* what the caller's close asked for, defaults filled in */
  char           *stored_reason;
  JsonNode       *response_header;   /* what open's {header} shows */
  guint           status;            /* of the handshake response */
  gint64          connect_us;        /* when connectSocket made it, for open's {profile} */
  guint           step;              /* the scenario step that last acted on it, or 0 */
} Task;

/* Data handed over before the socket opened, sent when it does. */
typedef struct {
  SoupWebsocketDataType  type;
  GBytes                *bytes;
} Frame;

/* Not an event: marks the moment connectSocket's success has run (rule waitForSuccess). */
#define PENDING_READY MINI_N_EVENT_KINDS

/* A platform event or callback whose delivery waits for the caller's code to finish. */
typedef struct {
  MiniEventKind  kind;
  guint          task;
  char          *api;
  char          *err_msg;
  gint           code;
  JsonObject    *extra;
  guint          step;               /* the scenario step it comes from, or 0 */
} Pending;

struct _MiniRuntime
{
  GObject       parent_instance;

  MiniDialect  *dialect;
  MiniTimeline *timeline;
  SoupSession  *session;
  MiniIoThread *io;           /* if set, the sockets' I/O runs there, not on this thread */
  char         *playground_url;

  char         *appid;
  char         *version;
  char         *build;
  GStrv         domains;
  gboolean      skip_domain_check;
  /* wss:// certificates are verified unless the user turns this off; unrelated to the domain
   * list, which is the platform's rule, not the transport's. */
  gboolean      tls_check;

  /* Every task in creation order, task N at index N - 1, as a guint64 word: a Task pointer, or
   * the tomb of a task that has ended (see tomb_pack()). */
  GArray       *order;
  GArray       *ended;        /* ids of released tasks still kept whole */
  guint         call_depth;
  GPtrArray    *globals[N_SLOTS];
  guint         n_global_registered[N_SLOTS];
  GPtrArray    *listeners_shown;  /* collect_listeners()'s, reused event after event */

  GQueue        pending;
  guint         pending_id;
  guint         current_step;  /* the scenario step being run, or 0 */

  gint64        last_activity;
  gboolean      hidden;
  gboolean      network_off;
  guint         background_id;

  /* Shared by every frame event, so a flood allocates nothing per frame for them. */
  JsonObject   *frame_in_text;
  JsonObject   *frame_in_binary;
  /* Likewise the fields the dialect adds to message events, for text and binary; or NULL. */
  JsonObject   *message_text;
  JsonObject   *message_binary;
};

G_DEFINE_FINAL_TYPE (MiniRuntime, mini_runtime, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TLS_CHECK,
  PROP_APP_HIDDEN,
  PROP_NETWORK_OFF,
  N_PROPS
};

enum {
  PLATFORM_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

static const char * const known_apis[] = {
  "connectSocket", "sendSocketMessage", "closeSocket",
  "onSocketOpen", "onSocketMessage", "onSocketError", "onSocketClose",
  "SocketTask.send", "SocketTask.close",
  "SocketTask.onOpen", "SocketTask.onMessage", "SocketTask.onError", "SocketTask.onClose",
  "app.hide", "app.show", "network.off", "network.on",
  NULL
};

gboolean
mini_runtime_is_api (const char *api)
{
  return api != NULL && g_strv_contains (known_apis, api);
}

gboolean
mini_runtime_api_takes_task (const char *api)
{
  return api != NULL && g_str_has_prefix (api, "SocketTask.");
}

static void
set_str (char       **field,
         const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
pending_free (Pending *pending)
{
  g_free (pending->api);
  g_free (pending->err_msg);
  g_clear_pointer (&pending->extra, json_object_unref);
  g_free (pending);
}

static void
frame_free (Frame *frame)
{
  g_bytes_unref (frame->bytes);
  g_free (frame);
}

static void
task_free (Task *task)
{
  if (task->socket != NULL)
    {
      g_signal_handlers_disconnect_by_data (task->socket, task);
      mini_socket_task_drop (task->socket);
      g_clear_object (&task->socket);
    }
  for (guint i = 0; i < N_SLOTS; i++)
    g_clear_pointer (&task->listeners[i], g_ptr_array_unref);
  g_free (task->close_reason);
  g_free (task->stored_reason);
  g_clear_pointer (&task->response_header, json_node_unref);
  g_clear_pointer (&task->queued, g_ptr_array_unref);
  g_free (task);
}

/* The socket has ended and says nothing more: what only an open connection needed goes, so a
 * long session keeps little per closed task. */
static void
task_release (Task *task)
{
  g_clear_pointer (&task->response_header, json_node_unref);
  g_signal_handlers_disconnect_by_data (task->socket, task);
  if (!task->released)
    {
      task->released = TRUE;
      g_array_append_val (task->runtime->ended, task->id);
    }
}

static JsonObject *
object_new_with_string (const char *name,
                        const char *value)
{
  JsonObject *object = json_object_new ();

  if (name != NULL)
    json_object_set_string_member (object, name, value);

  return object;
}

/* ---- events ------------------------------------------------------------------------------- */

/* ---- tombs --------------------------------------------------------------------------------
 *
 * A task stays callable for the whole session: the platform answers a send or close on an old
 * SocketTask by its rules. Once its socket has ended and no event for it is queued, all that
 * answer needs is a few flags, the last step, and how many listeners each slot had: a tomb packs
 * them into the task's word of order, so a long session keeps 8 bytes per closed task. A call on
 * it brings the Task back (tomb_raise()), and it goes back into its tomb after the call. */

#define TOMB_BIT           G_GUINT64_CONSTANT (1)
#define TOMB_MULTIPLE      G_GUINT64_CONSTANT (1 << 1)
#define TOMB_UNREACHABLE   G_GUINT64_CONSTANT (1 << 2)
#define TOMB_READY         G_GUINT64_CONSTANT (1 << 3)
#define TOMB_UNLISTED      G_GUINT64_CONSTANT (1 << 4)
#define TOMB_CLIENT_CLOSED G_GUINT64_CONSTANT (1 << 5)
#define TOMB_STEP_SHIFT    8
#define TOMB_STEP_MAX      0xffffff
#define TOMB_COUNT_SHIFT   32
#define TOMB_COUNT_MAX     0xff

static inline gboolean
is_tomb (guint64 word)
{
  return (word & TOMB_BIT) != 0;
}

static inline guint64
word_at (MiniRuntime *self,
         guint        index)
{
  return g_array_index (self->order, guint64, index);
}

/* The task at @index of order, or NULL if it is in its tomb. */
static inline Task *
task_at (MiniRuntime *self,
         guint        index)
{
  guint64 word = word_at (self, index);

  return is_tomb (word) ? NULL : (Task *) (guintptr) word;
}

static gboolean
tomb_pack (Task    *task,
           guint64 *word)
{
  guint64 packed = TOMB_BIT;

  if (task->step > TOMB_STEP_MAX)
    return FALSE;
  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (task->n_registered[i] > TOMB_COUNT_MAX)
        return FALSE;
      packed |= (guint64) task->n_registered[i] << (TOMB_COUNT_SHIFT + 8 * i);
    }
  packed |= (guint64) task->step << TOMB_STEP_SHIFT;
  packed |= task->multiple ? TOMB_MULTIPLE : 0;
  packed |= task->unreachable ? TOMB_UNREACHABLE : 0;
  packed |= task->ready ? TOMB_READY : 0;
  packed |= task->unlisted ? TOMB_UNLISTED : 0;
  packed |= task->client_closed ? TOMB_CLIENT_CLOSED : 0;
  *word = packed;

  return TRUE;
}

static guint
tomb_step (guint64 word)
{
  return (guint) ((word >> TOMB_STEP_SHIFT) & TOMB_STEP_MAX);
}

/* The ended task of @word, whole again as the calls on a task expect it. Its socket is gone:
 * nothing reaches it any more, and it answers by its state, closed. */
static Task *
tomb_raise (MiniRuntime *self,
            guint        id,
            guint64      word)
{
  Task *task = g_new0 (Task, 1);

  task->runtime = self;
  task->id = id;
  task->dead = TRUE;
  task->released = TRUE;
  task->step = tomb_step (word);
  task->multiple = (word & TOMB_MULTIPLE) != 0;
  task->unreachable = (word & TOMB_UNREACHABLE) != 0;
  task->ready = (word & TOMB_READY) != 0;
  task->unlisted = (word & TOMB_UNLISTED) != 0;
  task->client_closed = (word & TOMB_CLIENT_CLOSED) != 0;
  for (guint i = 0; i < N_SLOTS; i++)
    task->n_registered[i] = (word >> (TOMB_COUNT_SHIFT + 8 * i)) & TOMB_COUNT_MAX;

  g_array_index (self->order, guint64, id - 1) = (guint64) (guintptr) task;
  g_array_append_val (self->ended, id);

  return task;
}

static gboolean
has_pending (MiniRuntime *self,
             guint        id)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      if (((Pending *) l->data)->task == id)
        return TRUE;
    }
  return FALSE;
}

/* Puts the released tasks that nothing refers to any more into their tombs. Only between calls:
 * a call deeper in the stack may still hold one. */
static void
bury_ended (MiniRuntime *self)
{
  guint kept = 0;

  if (self->call_depth > 0)
    return;

  for (guint i = 0; i < self->ended->len; i++)
    {
      guint id = g_array_index (self->ended, guint, i);
      Task *task = task_at (self, id - 1);
      guint64 word;

      if (task == NULL)
        continue;
      if (has_pending (self, id) || !tomb_pack (task, &word))
        {
          g_array_index (self->ended, guint, kept++) = id;
          continue;
        }
      task_free (task);
      g_array_index (self->order, guint64, id - 1) = word;
    }
  g_array_set_size (self->ended, kept);
}

/* The task with @id, raised from its tomb if it has one. */
static Task *
find_task (MiniRuntime *self,
           guint        id)
{
  guint64 word;

  if (id == 0 || id > self->order->len)
    return NULL;
  word = word_at (self, id - 1);

  return is_tomb (word) ? tomb_raise (self, id, word) : (Task *) (guintptr) word;
}

/* The task with @id if it is not in its tomb: for what a tomb has no part in. */
static Task *
peek_task (MiniRuntime *self,
           guint        id)
{
  if (id == 0 || id > self->order->len)
    return NULL;

  return task_at (self, id - 1);
}

static gboolean
task_is_live (Task *task)
{
  return task != NULL && task->socket != NULL && !task->dead
         && mini_socket_task_get_state (task->socket) != MINI_SOCKET_CLOSED;
}

/* The id of the task the legacy globals act on, by the dialect's rule, or 0. */
static guint
global_task_id (MiniRuntime *self)
{
  const char *rule = mini_dialect_get_string (self->dialect, "globals");
  guint64 word;
  Task *task;

  if (self->order->len == 0 || g_str_equal (rule, "none") || g_str_equal (rule, "warn"))
    return 0;

  /* The platform keeps a list of tasks and drops one once its error or close was delivered. */
  if (g_str_equal (rule, "first"))
    {
      for (guint i = 0; i < self->order->len; i++)
        {
          word = word_at (self, i);
          task = task_at (self, i);
          if (task != NULL ? !task->unlisted : (word & TOMB_UNLISTED) == 0)
            return i + 1;
        }
      return 0;
    }

  /* A socket made with multiple: true is only reachable through its SocketTask. */
  if (g_str_equal (rule, "single"))
    {
      for (guint i = self->order->len; i-- > 0;)
        {
          word = word_at (self, i);
          task = task_at (self, i);
          if (task != NULL ? !task->multiple : (word & TOMB_MULTIPLE) == 0)
            return i + 1;
        }
      return 0;
    }

  return self->order->len;
}

static Task *
global_task (MiniRuntime *self)
{
  return find_task (self, global_task_id (self));
}

/* The listeners an event of @slot runs on @task, NULL-terminated, borrowed: valid until the next
 * call or a change of listeners. The timeline copies them when it records the event. Every
 * message of a flood comes here, so nothing is allocated: a GStrvBuilder and a copy of each name
 * were 3 % of bench-ingest's runtime client. */
static const char * const *
collect_listeners (MiniRuntime *self,
                   guint        task_id,
                   Slot         slot)
{
  Task *task = peek_task (self, task_id);

  g_ptr_array_set_size (self->listeners_shown, 0);
  if (task != NULL)
    {
      for (guint i = 0; task->listeners[slot] != NULL && i < task->listeners[slot]->len; i++)
        g_ptr_array_add (self->listeners_shown, g_ptr_array_index (task->listeners[slot], i));
      if (global_task_id (self) == task_id)
        {
          for (guint i = 0; i < self->globals[slot]->len; i++)
            g_ptr_array_add (self->listeners_shown, g_ptr_array_index (self->globals[slot], i));
        }
    }
  g_ptr_array_add (self->listeners_shown, NULL);

  return (const char * const *) self->listeners_shown->pdata;
}

static gboolean
kind_to_slot (MiniEventKind  kind,
              Slot          *slot)
{
  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (slot_kind[i] == kind)
        {
          *slot = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The step an event comes from: the one running now, else the last one that acted on its task
 * (the connect that opens it, the send that a message answers, the close). */
static guint
cause_of (MiniRuntime *self,
          guint        task_id)
{
  Task *task;

  if (self->current_step != 0)
    return self->current_step;
  if (task_id == 0 || task_id > self->order->len)
    return 0;
  task = task_at (self, task_id - 1);

  return task != NULL ? task->step : tomb_step (word_at (self, task_id - 1));
}

static guint
record_full (MiniRuntime         *self,
             MiniEventKind        kind,
             guint                task,
             const char          *api,
             const char          *err_msg,
             gint                 code,
             const guint8        *data,
             gsize                data_len,
             gboolean             binary,
             JsonObject          *extra)
{
  MiniEventSpec spec = {
    .kind = kind,
    .task = task,
    .api = api,
    .err_msg = err_msg,
    .code = code,
    .data = data,
    .data_len = data_len,
    .binary = binary,
    .extra = extra,
  };
  Task *owner;
  Slot slot;
  guint seq;

  spec.step = cause_of (self, task);
  /* An event a socket's I/O thread reports keeps the time the thread saw it. */
  if (self->io != NULL && (owner = peek_task (self, task)) != NULL && owner->socket != NULL)
    spec.time_us = mini_socket_task_get_event_time (owner->socket);
  if (kind_to_slot (kind, &slot))
    spec.listeners = collect_listeners (self, task, slot);

  seq = mini_timeline_append (self->timeline, &spec);
  /* The activity happened when the event did: on an I/O thread, a little before now. */
  self->last_activity = spec.time_us != 0 ? spec.time_us : g_get_monotonic_time ();

  if (kind == MINI_EVENT_ERROR || kind == MINI_EVENT_CLOSE)
    {
      Task *ended = peek_task (self, task);

      if (ended != NULL)
        ended->unlisted = TRUE;
      else if (task != 0 && task <= self->order->len)
        g_array_index (self->order, guint64, task - 1) |= TOMB_UNLISTED;
    }

  if (kind_to_slot (kind, &slot))
    g_signal_emit (self, signals[PLATFORM_EVENT], 0, kind, task, seq);

  return seq;
}

static guint
record (MiniRuntime   *self,
        MiniEventKind  kind,
        guint          task,
        const char    *api,
        const char    *err_msg,
        gint           code,
        JsonObject    *extra)
{
  g_autoptr(JsonObject) owned = extra;

  return record_full (self, kind, task, api, err_msg, code, NULL, 0, FALSE, owned);
}

static void
record_quirk (MiniRuntime *self,
              guint        task,
              const char  *rule,
              const char  *text)
{
  JsonObject *extra = json_object_new ();
  g_autofree char *explanation = NULL;
  const char *source;

  json_object_set_string_member (extra, "id", rule);
  if (text == NULL)
    text = explanation = mini_dialect_schema_dup_explanation (rule);
  json_object_set_string_member (extra, "text", text);
  if ((source = mini_dialect_get_source (self->dialect, rule)) != NULL)
    json_object_set_string_member (extra, "source", source);
  if (mini_dialect_is_unverified (self->dialect, rule))
    json_object_set_boolean_member (extra, "unverified", TRUE);
  if (mini_dialect_is_overridden (self->dialect, rule))
    json_object_set_boolean_member (extra, "overridden", TRUE);
  /* The value that decided, kept with the event: a toggle later must not rewrite history. */
  if (mini_dialect_schema_get_rule (rule) != NULL)
    json_object_set_member (extra, "ruleValue",
                            json_node_copy (mini_dialect_get_value (self->dialect, rule)));

  record (self, MINI_EVENT_QUIRK, task, NULL, NULL, MINI_NO_CODE, extra);
}

/* Records an event, a quirk (@api is the rule, @err_msg its text) or the ready mark. */
static void
deliver (MiniRuntime   *self,
         MiniEventKind  kind,
         guint          task,
         const char    *api,
         const char    *err_msg,
         gint           code,
         JsonObject    *extra)
{
  if (kind == PENDING_READY)
    {
      Task *ready = find_task (self, task);

      if (ready != NULL)
        ready->ready = TRUE;
      g_clear_pointer (&extra, json_object_unref);
    }
  else if (kind == MINI_EVENT_QUIRK)
    {
      record_quirk (self, task, api, err_msg);
      g_clear_pointer (&extra, json_object_unref);
    }
  else
    record (self, kind, task, api, err_msg, code, extra);
}

static gboolean
flush_pending (gpointer user_data)
{
  MiniRuntime *self = user_data;
  Pending *pending;

  self->pending_id = 0;
  while ((pending = g_queue_pop_head (&self->pending)) != NULL)
    {
      guint step = self->current_step;

      self->current_step = pending->step;
      deliver (self, pending->kind, pending->task, pending->api, pending->err_msg, pending->code,
               g_steal_pointer (&pending->extra));
      self->current_step = step;
      pending_free (pending);
    }
  bury_ended (self);

  return G_SOURCE_REMOVE;
}

/* Queues an event for after the caller's code, unless @later is FALSE. Events already queued stay
 * first, so the order of the platform is kept. */
static void
emit (MiniRuntime   *self,
      gboolean       later,
      MiniEventKind  kind,
      guint          task,
      const char    *api,
      const char    *err_msg,
      gint           code,
      JsonObject    *extra)
{
  Pending *pending;

  if (!later && self->pending.length == 0)
    {
      deliver (self, kind, task, api, err_msg, code, extra);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->kind = kind;
  pending->task = task;
  pending->api = g_strdup (api);
  pending->err_msg = g_strdup (err_msg);
  pending->code = code;
  pending->extra = extra;
  pending->step = cause_of (self, task);
  g_queue_push_tail (&self->pending, pending);

  if (self->pending_id == 0)
    {
      self->pending_id = g_idle_add_full (G_PRIORITY_HIGH, flush_pending, self, NULL);
    }
}

static gboolean
callbacks_later (MiniRuntime *self)
{
  return mini_dialect_is (self->dialect, "successTiming", "async");
}

static gboolean
passed (JsonObject *args,
        const char *callback)
{
  return args != NULL && mini_json_get_true (args, callback);
}

static gboolean
passed_a_callback (JsonObject *args)
{
  return passed (args, "success") || passed (args, "fail") || passed (args, "complete");
}

/* Whether a connectSocket makes its socket in multiple mode; FALSE where the platform has no
 * multiple option, so every socket there is a single-mode one. */
static gboolean
multiple_mode (MiniRuntime *self,
               JsonObject  *args)
{
  if (!g_str_equal (mini_dialect_get_option_state (self->dialect, "multiple"), "supported"))
    return FALSE;
  if (args != NULL && json_object_has_member (args, "multiple"))
    return passed (args, "multiple");

  return mini_dialect_get_bool (self->dialect, "multipleDefault");
}

static const char *
connect_return_value (MiniRuntime *self,
                      JsonObject  *args)
{
  const char *rule = mini_dialect_get_string (self->dialect, "returns");

  if (g_str_equal (rule, "PromiseUnlessCallback"))
    return passed_a_callback (args) ? "SocketTask" : "Promise";
  if (g_str_equal (rule, "TaskIfMultiple"))
    return multiple_mode (self, args) ? "SocketTask" : "undefined";

  return rule;
}

/* Whether @api returns a Promise when called with @args. */
static gboolean
returns_promise (MiniRuntime *self,
                 const char  *api,
                 JsonObject  *args)
{
  const char *rule = mini_dialect_get_string (self->dialect, "returns");

  if (g_str_equal (api, "connectSocket"))
    return g_str_equal (connect_return_value (self, args), "Promise");
  if (g_str_equal (api, "SocketTask.send") || g_str_equal (api, "SocketTask.close"))
    return mini_dialect_is (self->dialect, "taskMethodsReturn", "Promise");
  /* A framework that promisifies connectSocket does the same to the other global APIs. */
  if (g_str_equal (api, "sendSocketMessage") || g_str_equal (api, "closeSocket"))
    return g_str_equal (rule, "Promise")
           || (g_str_equal (rule, "PromiseUnlessCallback") && !passed_a_callback (args));

  return FALSE;
}

/* A failure in the dialect's shape: the fields beside the errMsg, and the errMsg to show, which
 * is NULL when the payload has none. */
static JsonObject *
failure_fields (MiniRuntime  *self,
                const char   *key,
                const char   *text,
                const char  **err_msg)
{
  const char *shape = mini_dialect_get_string (self->dialect, "failPayload");
  JsonObject *fields;
  gint64 code = 0;
  gboolean has_code = key != NULL && mini_dialect_get_err_code (self->dialect, key, &code);

  *err_msg = text;
  if (g_str_equal (shape, "error-errorMessage"))
    {
      fields = json_object_new ();
      *err_msg = NULL;
      if (has_code)
        json_object_set_int_member (fields, "error", code);
      json_object_set_string_member (fields, "errorMessage", text != NULL ? text : "");
      return fields;
    }
  if (g_str_equal (shape, "errMsg-errCode") && has_code)
    {
      fields = json_object_new ();
      json_object_set_int_member (fields, "errCode", code);
      return fields;
    }

  return NULL;
}

/* success or fail, then complete, each only when the caller passed it. @key names the errMsg of
 * a failure, for the number some platforms hand over with it. */
static void
emit_callbacks (MiniRuntime *self,
                const char  *api,
                JsonObject  *args,
                guint        task,
                gboolean     ok,
                const char  *key,
                const char  *err_msg,
                JsonObject  *payload)
{
  gboolean later = callbacks_later (self);
  g_autoptr(JsonObject) owned = payload;
  g_autoptr(JsonObject) failure = NULL;
  JsonObject *fields = payload;
  const char *text = err_msg;

  if (!mini_dialect_get_bool (self->dialect, "callbacks"))
    return;

  if (!ok)
    fields = failure = failure_fields (self, key, err_msg, &text);

  if (passed (args, ok ? "success" : "fail"))
    emit (self, later, ok ? MINI_EVENT_SUCCESS : MINI_EVENT_FAIL, task, api, text,
          MINI_NO_CODE, fields != NULL ? json_object_ref (fields) : NULL);
  if (passed (args, "complete"))
    emit (self, later, MINI_EVENT_COMPLETE, task, api, text, MINI_NO_CODE,
          fields != NULL ? json_object_ref (fields) : NULL);
}

/* How the Promise a call returned settles: after the callbacks, as a microtask runs after the
 * code that queued it. */
static void
emit_settle (MiniRuntime *self,
             const char  *api,
             JsonObject  *args,
             guint        task,
             gboolean     ok,
             const char  *key,
             const char  *err_msg,
             JsonObject  *payload)
{
  g_autoptr(JsonObject) owned = payload;
  JsonObject *fields;
  const char *text;

  if (ok)
    {
      emit (self, TRUE, MINI_EVENT_RESOLVE, task, api, err_msg, MINI_NO_CODE,
            g_steal_pointer (&owned));
      return;
    }

  fields = failure_fields (self, key, err_msg, &text);
  /* Taro's handler resolves with the fail result once the caller can see it in a callback;
   * SocketTask methods reject in any case. */
  if (mini_dialect_is (self->dialect, "promiseFailure", "resolve-if-callback")
      && !mini_runtime_api_takes_task (api) && (passed (args, "fail") || passed (args, "complete")))
    {
      emit (self, TRUE, MINI_EVENT_QUIRK, task, "promiseFailure", NULL, MINI_NO_CODE, NULL);
      emit (self, TRUE, MINI_EVENT_RESOLVE, task, api, text, MINI_NO_CODE, fields);
    }
  else
    emit (self, TRUE, MINI_EVENT_REJECT, task, api, text, MINI_NO_CODE, fields);
}

static void
emit_return (MiniRuntime *self,
             const char  *api,
             guint        task,
             const char  *value,
             const char  *thrown)
{
  JsonObject *extra = object_new_with_string ("value", value);

  record (self, MINI_EVENT_RETURN, task, api, thrown, MINI_NO_CODE, extra);
}

/* A call the platform refuses outright: it throws, or calls fail (and complete) and rejects the
 * Promise it returned. */
static void
refuse (MiniRuntime *self,
        const char  *api,
        JsonObject  *args,
        guint        task,
        const char  *key,
        const char  *err_msg)
{
  gboolean promise;

  if (mini_dialect_is (self->dialect, "invalidCall", "throw"))
    {
      emit_return (self, api, task, "throw", err_msg);
      return;
    }

  promise = returns_promise (self, api, args);
  emit_return (self, api, task, promise ? "Promise" : "undefined", NULL);
  emit_callbacks (self, api, args, task, FALSE, key, err_msg, NULL);
  if (promise)
    emit_settle (self, api, args, task, FALSE, key, err_msg, NULL);
}

/* refuse() with the dialect's errMsg for @key: the common case of a call on a socket that
 * cannot take it. */
static void
refuse_with (MiniRuntime *self,
             const char  *api,
             JsonObject  *args,
             guint        task,
             const char  *key)
{
  g_autofree char *err_msg = mini_dialect_format_err_msg (self->dialect, key, NULL);

  refuse (self, api, args, task, key, err_msg);
}

/* The return of a call the platform accepted; TRUE when it is a Promise, for accept(). */
static gboolean
accept_return (MiniRuntime *self,
               const char  *api,
               JsonObject  *args,
               guint        task)
{
  gboolean promise = returns_promise (self, api, args);

  emit_return (self, api, task, promise ? "Promise" : "undefined", NULL);
  return promise;
}

/* The rest of an accepted call: success and complete with the errMsg for @key, then the
 * Promise's resolve. */
static void
accept (MiniRuntime *self,
        const char  *api,
        JsonObject  *args,
        guint        task,
        const char  *key,
        gboolean     promise)
{
  g_autofree char *err_msg = mini_dialect_format_err_msg (self->dialect, key, NULL);

  emit_callbacks (self, api, args, task, TRUE, key, err_msg, NULL);
  if (promise)
    emit_settle (self, api, args, task, TRUE, key, err_msg, NULL);
}

/* The state the platform sees: a task whose error or close was delivered is closed to it. */
static MiniSocketState
task_state (Task *task)
{
  return task->dead ? MINI_SOCKET_CLOSED : mini_socket_task_get_state (task->socket);
}

static void
record_call (MiniRuntime *self,
             const char  *api,
             guint        task,
             JsonObject  *args)
{
  JsonObject *extra = json_object_new ();

  if (args != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, json_object_ref (args));
      json_object_set_member (extra, "args", json_node_copy (node));
      json_node_unref (node);
    }

  record (self, MINI_EVENT_CALL, task, api, NULL, MINI_NO_CODE, extra);
}

/* ---- platform events of a task ------------------------------------------------------------ */

static char *
close_reason_for (MiniRuntime *self,
                  guint        task,
                  gint         code,
                  const char  *reason,
                  gboolean     later)
{
  JsonObject *reasons = mini_dialect_get_object (self->dialect, "closeReasons");
  g_autofree char *key = g_strdup_printf ("%d", code);

  if ((reason == NULL || *reason == '\0') && json_object_has_member (reasons, key))
    {
      emit (self, later, MINI_EVENT_QUIRK, task, "closeReasons", NULL, MINI_NO_CODE, NULL);
      return g_strdup (json_object_get_string_member (reasons, key));
    }

  return g_strdup (reason != NULL ? reason : "");
}

/* Douyin's events say which network stack carried them; Minisock's is a plain WebSocket over
 * TCP, which Douyin calls "tradition" as opposed to its own TTNet. */
static void
add_transport_fields (MiniRuntime *self,
                      JsonObject  *extra,
                      const char  *payload_rule)
{
  if (mini_dialect_strv_contains (self->dialect, payload_rule, "protocolType"))
    json_object_set_string_member (extra, "protocolType", "tcp");
  if (mini_dialect_strv_contains (self->dialect, payload_rule, "socketType"))
    json_object_set_string_member (extra, "socketType", "tradition");
}

static void
emit_close_event (MiniRuntime *self,
                  Task        *task,
                  gboolean     later,
                  gint         code,
                  const char  *reason,
                  gboolean     clean)
{
  g_autofree char *filled = NULL;
  g_autofree char *err_msg = NULL;
  g_autofree char *code_text = NULL;
  JsonObject *extra = json_object_new ();

  if (mini_dialect_is (self->dialect, "closeEventValues", "stored"))
    {
      /* Taro reports what its close() stored, whatever the close handshake carried. */
      emit (self, later, MINI_EVENT_QUIRK, task->id, "closeEventValues", NULL, MINI_NO_CODE, NULL);
      code = task->client_closed ? task->stored_code : SOUP_WEBSOCKET_CLOSE_ABNORMAL;
      reason = task->client_closed ? task->stored_reason : NULL;
    }

  filled = close_reason_for (self, task->id, code, reason, later);
  if (mini_dialect_strv_contains (self->dialect, "closePayload", "reason"))
    json_object_set_string_member (extra, "reason", filled);
  if (mini_dialect_strv_contains (self->dialect, "closePayload", "wasClean"))
    json_object_set_boolean_member (extra, "wasClean", clean);
  add_transport_fields (self, extra, "closePayload");
  if (mini_dialect_strv_contains (self->dialect, "closePayload", "errMsg"))
    {
      code_text = g_strdup_printf ("%d", code);
      err_msg = mini_dialect_format_err_msg (self->dialect, "close.event", "code", code_text,
                                             "reason", filled, NULL);
    }
  if (!mini_dialect_strv_contains (self->dialect, "closePayload", "code"))
    code = MINI_NO_CODE;

  task->dead = TRUE;
  emit (self, later, MINI_EVENT_CLOSE, task->id, NULL, err_msg, code, extra);
}

/* An error event, with the text where the dialect's payload puts it; @key names the errMsg, for
 * the number some platforms hand over with it. */
static void
emit_error_event (MiniRuntime *self,
                  Task        *task,
                  gboolean     later,
                  const char  *key,
                  const char  *text)
{
  const char *shape = mini_dialect_get_string (self->dialect, "errorPayload");
  JsonObject *extra = NULL;
  gint64 code;

  if (g_str_equal (shape, "errMsg"))
    {
      emit (self, later, MINI_EVENT_ERROR, task->id, NULL, text, MINI_NO_CODE, NULL);
      return;
    }

  extra = json_object_new ();
  if (g_str_equal (shape, "error-errorMessage"))
    {
      if (key != NULL && mini_dialect_get_err_code (self->dialect, key, &code))
        json_object_set_int_member (extra, "error", code);
      json_object_set_string_member (extra, "errorMessage", text != NULL ? text : "");
    }
  /* The browser hands the listener a bare Event; its text only reaches the console. uni-app's
   * {} carries nothing at all. */
  else if (g_str_equal (shape, "event") && text != NULL && *text != '\0')
    json_object_set_string_member (extra, "console", text);

  emit (self, later, MINI_EVENT_ERROR, task->id, NULL, NULL, MINI_NO_CODE, extra);
}

/* A connection that failed or broke: error and/or close, by the dialect's rule. */
static void
emit_failure (MiniRuntime *self,
              Task        *task,
              gboolean     later,
              const char  *events_rule,
              const char  *key,
              const char  *text)
{
  const char *events = mini_dialect_get_string (self->dialect, events_rule);

  if (g_str_equal (events, "error") || g_str_equal (events, "error-close"))
    emit_error_event (self, task, later, key, text);
  if (g_str_equal (events, "close") || g_str_equal (events, "error-close"))
    emit_close_event (self, task, later, SOUP_WEBSOCKET_CLOSE_ABNORMAL, NULL, FALSE);
  else
    {
      emit (self, later, MINI_EVENT_QUIRK, task->id, events_rule, NULL, MINI_NO_CODE, NULL);
      task->dead = TRUE;
    }
}

static JsonNode *
headers_to_json (SoupMessageHeaders *headers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  json_builder_begin_object (builder);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
on_handshake_request (MiniSocketTask *socket,
                      SoupMessage    *message,
                      Task           *task)
{
  MiniRuntime *self = task->runtime;
  GUri *uri = soup_message_get_uri (message);
  JsonObject *extra = json_object_new ();
  const char *query = g_uri_get_query (uri);
  g_autofree char *text = g_strdup_printf ("GET %s%s%s HTTP/1.1", g_uri_get_path (uri),
                                           query != NULL ? "?" : "", query != NULL ? query : "");

  json_object_set_string_member (extra, "wire", "handshake-request");
  json_object_set_string_member (extra, "text", text);
  json_object_set_member (extra, "header",
                          headers_to_json (soup_message_get_request_headers (message)));
  record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, MINI_NO_CODE, extra);
}

static void
on_handshake_response (MiniSocketTask *socket,
                       SoupMessage    *message,
                       Task           *task)
{
  MiniRuntime *self = task->runtime;
  JsonObject *extra = json_object_new ();
  guint status = soup_message_get_status (message);
  const char *phrase = soup_message_get_reason_phrase (message);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *protocol = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  g_autofree char *text = g_strdup_printf ("HTTP/1.1 %u %s", status, phrase != NULL ? phrase : "");

  json_object_set_string_member (extra, "wire", "handshake-response");
  json_object_set_string_member (extra, "text", text);
  json_object_set_member (extra, "header", headers_to_json (headers));
  g_clear_pointer (&task->response_header, json_node_unref);
  task->response_header = headers_to_json (headers);
  task->status = status;
  if (protocol != NULL)
    json_object_set_string_member (extra, "protocol", protocol);
  record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, (gint) status, extra);
}

static JsonNode *
profile_to_json (MiniRuntime *self,
                 Task        *task)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double cost = (self->last_activity - task->connect_us) / 1000.0;

  /* Only the total is measured here; the platform's finer phases are not visible to libsoup. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cost");
  json_builder_add_double_value (builder, cost);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* A close the platform makes on the caller's behalf; the wire shows the frame like any other. */
static void
close_on_behalf (MiniRuntime *self,
                 Task        *task,
                 gushort      code,
                 const char  *reason)
{
  JsonObject *extra = object_new_with_string ("wire", "close-out");

  json_object_set_string_member (extra, "text", _("→ close frame"));
  if (reason != NULL)
    json_object_set_string_member (extra, "reason", reason);
  task->close_code = code;
  mini_socket_task_close (task->socket, code, reason);
  record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, code, extra);
}

/* Puts data on the wire, and shows the frame going out with its payload: the frames are what a
 * HAR export writes as _webSocketMessages. */
static void
send_frame (MiniRuntime           *self,
            Task                  *task,
            SoupWebsocketDataType  type,
            GBytes                *bytes)
{
  gboolean binary = type == SOUP_WEBSOCKET_DATA_BINARY;
  g_autoptr(JsonObject) extra = object_new_with_string ("wire", binary ? "frame-out-binary"
                                                                        : "frame-out-text");
  MiniEventSpec frame = {
    .kind = MINI_EVENT_WIRE,
    .task = task->id,
    .code = MINI_NO_CODE,
    .data = g_bytes_get_size (bytes) > 0 ? g_bytes_get_data (bytes, NULL) : (const guint8 *) "",
    .data_len = g_bytes_get_size (bytes),
    .binary = binary,
    .extra = extra,
    .step = cause_of (self, task->id),
  };

  json_object_set_string_member (extra, "text", binary ? _("→ binary frame") : _("→ text frame"));
  mini_socket_task_send (task->socket, type, bytes);
  mini_timeline_append (self->timeline, &frame);
}

static void
on_opened (MiniSocketTask *socket,
           Task           *task)
{
  MiniRuntime *self = task->runtime;
  const char *protocol = mini_socket_task_get_protocol (socket);
  JsonObject *extra;

  if (task->close_when_open)
    {
      record_quirk (self, task->id, "closeWhileConnecting", NULL);
      close_on_behalf (self, task, task->close_code, task->close_reason);
      return;
    }

  if (task->protocols_requested && protocol == NULL
      && mini_dialect_get_bool (self->dialect, "requireProtocolEcho"))
    {
      g_autofree char *text = mini_dialect_format_err_msg (self->dialect, "connect.protocol",
                                                          "url", mini_socket_task_get_url (socket),
                                                          NULL);

      record_quirk (self, task->id, "requireProtocolEcho", NULL);
      g_signal_handlers_disconnect_by_data (socket, task);
      mini_socket_task_drop (socket);
      emit_failure (self, task, FALSE, "connectErrorEvents", "connect.protocol", text);
      task_release (task);
      return;
    }

  extra = json_object_new ();
  if (mini_dialect_strv_contains (self->dialect, "openPayload", "header"))
    json_object_set_member (extra, "header", task->response_header != NULL
                                             ? json_node_copy (task->response_header)
                                             : json_node_init_object (json_node_alloc (),
                                                                      json_object_new ()));
  if (mini_dialect_strv_contains (self->dialect, "openPayload", "profile"))
    json_object_set_member (extra, "profile", profile_to_json (self, task));
  add_transport_fields (self, extra, "openPayload");
  if (protocol != NULL)
    json_object_set_string_member (extra, "protocol", protocol);

  record (self, MINI_EVENT_OPEN, task->id, NULL, NULL, MINI_NO_CODE, extra);

  if (task->queued != NULL)
    {
      g_autoptr(GPtrArray) queued = g_steal_pointer (&task->queued);

      record_quirk (self, task->id, "sendBeforeOpen",
                    _("The data sent before the socket opened goes out now."));
      for (guint i = 0; i < queued->len && task_is_live (task); i++)
        {
          Frame *frame = g_ptr_array_index (queued, i);

          send_frame (self, task, frame->type, frame->bytes);
        }
    }
}

static void
on_message (MiniSocketTask *socket,
            gint            type,
            GBytes         *data,
            Task           *task)
{
  MiniRuntime *self = task->runtime;
  gboolean binary = type == SOUP_WEBSOCKET_DATA_BINARY;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  MiniEventSpec frame = {
    .kind = MINI_EVENT_WIRE,
    .task = task->id,
    .code = MINI_NO_CODE,
    .data = len > 0 ? bytes : (const guint8 *) "",
    .data_len = len,
    .binary = binary,
    .extra = binary ? self->frame_in_binary : self->frame_in_text,
    .step = cause_of (self, task->id),
  };

  mini_timeline_append (self->timeline, &frame);

  if (!mini_dialect_strv_contains (self->dialect, "messagePayload", "data"))
    {
      record_full (self, MINI_EVENT_MESSAGE, task->id, NULL, NULL, MINI_NO_CODE, NULL, 0, FALSE,
                   binary ? self->message_binary : self->message_text);
      return;
    }

  /* Alipay hands binary data over as a base64 string, marked by isBuffer. */
  if (binary && mini_dialect_is (self->dialect, "binary", "base64"))
    {
      g_autofree char *encoded = g_base64_encode (bytes, len);

      record_full (self, MINI_EVENT_MESSAGE, task->id, NULL, NULL, MINI_NO_CODE,
                   (const guint8 *) encoded, strlen (encoded), FALSE, self->message_binary);
      return;
    }

  record_full (self, MINI_EVENT_MESSAGE, task->id, NULL, NULL, MINI_NO_CODE,
               bytes, len, binary, binary ? self->message_binary : self->message_text);
}

static void
on_closed (MiniSocketTask *socket,
           guint           code,
           const char     *reason,
           Task           *task)
{
  MiniRuntime *self = task->runtime;
  JsonObject *extra = json_object_new ();

  json_object_set_string_member (extra, "wire", "close");
  json_object_set_string_member (extra, "text", _("close handshake complete, TCP closed"));
  json_object_set_string_member (extra, "reason", reason);
  record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, (gint) code, extra);

  if (code == SOUP_WEBSOCKET_CLOSE_NO_STATUS && task->close_code != 0)
    code = task->close_code;
  emit_close_event (self, task, FALSE, (gint) code, reason, TRUE);
  task_release (task);
}

static void
on_failed (MiniSocketTask *socket,
           gint            failure,
           const char     *message,
           Task           *task)
{
  MiniRuntime *self = task->runtime;
  const char *url = mini_socket_task_get_url (socket);
  g_autofree char *text = NULL;
  JsonObject *extra = json_object_new ();

  json_object_set_string_member (extra, "wire", failure == MINI_SOCKET_FAILURE_DROPPED
                                                ? "tcp-closed" : "connect-failed");
  if (failure == MINI_SOCKET_FAILURE_TIMEOUT)
    json_object_set_string_member (extra, "text", _("no handshake answer before the timeout"));
  else
    json_object_set_string_member (extra, "text", message != NULL ? message
                                                  : _("connection closed without a close frame"));
  record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, MINI_NO_CODE, extra);

  switch ((MiniSocketFailure) failure)
    {
    case MINI_SOCKET_FAILURE_HANDSHAKE:
      {
        g_autofree char *status = g_strdup_printf ("%u", task->status);

        text = mini_dialect_format_err_msg (self->dialect, "connect.handshake",
                                            "status", status,
                                            "phrase", soup_status_get_phrase (task->status),
                                            "url", url, NULL);
        emit_failure (self, task, FALSE, "connectErrorEvents", "connect.handshake", text);
      }
      break;

    case MINI_SOCKET_FAILURE_ACCEPT:
      {
        g_autofree char *expected = mini_socket_task_get_expected_accept (socket);
        const char *actual = NULL;
        JsonObjectIter iter;
        const char *name;
        JsonNode *node;

        /* Header names keep the server's case. */
        json_object_iter_init (&iter, json_node_get_object (task->response_header));
        while (json_object_iter_next (&iter, &name, &node))
          if (g_ascii_strcasecmp (name, "Sec-WebSocket-Accept") == 0)
            actual = json_node_get_string (node);
        text = mini_dialect_format_err_msg (self->dialect, "connect.accept",
                                            "expected", expected, "actual",
                                            actual != NULL ? actual : "null", "url", url, NULL);
        emit_failure (self, task, FALSE, "connectErrorEvents", "connect.accept", text);
      }
      break;

    case MINI_SOCKET_FAILURE_UNREACHABLE:
      text = mini_dialect_format_err_msg (self->dialect, "connect.unreachable",
                                          "message", message, "url", url, NULL);
      emit_failure (self, task, FALSE, "connectErrorEvents", "connect.unreachable", text);
      break;

    case MINI_SOCKET_FAILURE_TIMEOUT:
      text = mini_dialect_format_err_msg (self->dialect, "connect.timeout", "url", url, NULL);
      emit_failure (self, task, FALSE, "timeoutEvents", "connect.timeout", text);
      break;

    case MINI_SOCKET_FAILURE_ABORTED:
      text = mini_dialect_format_err_msg (self->dialect, "connect.aborted", "url", url, NULL);
      emit_failure (self, task, FALSE, "connectErrorEvents", "connect.aborted", text);
      break;

    case MINI_SOCKET_FAILURE_DROPPED:
    default:
      /* The errMsg imitates the platform's own text, which is English whatever the language. */
      text = mini_dialect_format_err_msg (self->dialect, "socket.dropped", "message",
                                          message != NULL ? message
                                                          : "connection closed without a close frame",
                                          "url", url, NULL);
      emit_failure (self, task, FALSE, "connectErrorEvents", "socket.dropped", text);
      break;
    }
  task_release (task);
}

/* ---- connectSocket ------------------------------------------------------------------------- */

static Task *
task_new (MiniRuntime *self,
          const char  *url)
{
  Task *task = g_new0 (Task, 1);
  guint64 word;

  task->runtime = self;
  task->id = self->order->len + 1;
  task->connect_us = g_get_monotonic_time ();
  task->step = self->current_step;
  task->socket = mini_socket_task_new (task->id, url);
  word = (guint64) (guintptr) task;
  g_array_append_val (self->order, word);

  return task;
}

static guint
count_live (MiniRuntime *self)
{
  guint n = 0;

  for (guint i = 0; i < self->order->len; i++)
    n += task_is_live (task_at (self, i));

  return n;
}

/* Whether @task takes one of the maxConnections slots. */
static gboolean
takes_slot (MiniRuntime *self,
            Task        *task)
{
  if (!task_is_live (task))
    return FALSE;

  /* Taro H5 frees the slot as soon as close() is called. */
  return mini_dialect_get_bool (self->dialect, "closingCounts")
         || (!task->client_closed
             && mini_socket_task_get_state (task->socket) != MINI_SOCKET_CLOSING);
}

static guint
count_slots (MiniRuntime *self)
{
  guint n = 0;

  for (guint i = 0; i < self->order->len; i++)
    n += takes_slot (self, task_at (self, i));

  return n;
}

static gboolean
domain_allowed (MiniRuntime *self,
                GUri        *uri)
{
  for (guint i = 0; self->domains != NULL && self->domains[i] != NULL; i++)
    {
      g_autoptr(GUri) allowed = g_uri_parse (self->domains[i], G_URI_FLAGS_NONE, NULL);

      /* A wss domain needs no port: every port of it is allowed. */
      if (allowed != NULL
          && g_strcmp0 (g_uri_get_scheme (allowed), g_uri_get_scheme (uri)) == 0
          && g_ascii_strcasecmp (g_uri_get_host (allowed), g_uri_get_host (uri)) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Checks the URL as the platform would; returns the errMsg key that refuses it, or NULL. */
/* The platforms built on the browser's WebSocket say so with its constructor's own messages. */
static gboolean
on_browser_socket (MiniRuntime *self)
{
  return mini_dialect_has_err_msg (self->dialect, "connect.subprotocol");
}

/* The browser's WebSocket called by the page itself, with no framework checking the arguments
 * first: WebIDL converts whatever it is given. */
static gboolean
bare_browser_socket (MiniRuntime *self)
{
  return on_browser_socket (self) && mini_dialect_is (self->dialect, "invalidCall", "throw");
}

/* GUri takes "exa mple.com" as a host; a URL parser (WHATWG's, the platforms') refuses a host
 * with a space or one of its forbidden code points, and nothing should be looked up for it. */
static gboolean
host_is_valid (const char *host)
{
  for (const char *p = host; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("#/<>?@[\\]^|", *p) != NULL)
      return FALSE;
  return TRUE;
}

static const char *
check_url (MiniRuntime  *self,
           guint         task_id,
           const char   *url,
           GUri        **out_uri,
           char        **scheme)
{
  g_autoptr(GUri) uri = NULL;
  gboolean release = g_strcmp0 (self->build, "release") == 0;
  const char *schemes_rule = release ? "schemesRelease" : "schemesDevelop";

  if (*url == '\0')
    return "connect.urlEmpty";

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || !host_is_valid (g_uri_get_host (uri)))
    {
      if (uri != NULL)
        *scheme = g_strdup (g_uri_get_scheme (uri));
      return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0
             && g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0
             ? "connect.scheme" : "connect.invalidUrl";
    }

  *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (*scheme, "ws") && !g_str_equal (*scheme, "wss"))
    return "connect.scheme";

  if (mini_dialect_get_bool (self->dialect, "domainCheck"))
    {
      if (self->skip_domain_check && !release)
        record_quirk (self, task_id, "domainCheck",
                      _("Legal domain check skipped: skip-domain-check is on in a develop build "
                        "(不校验合法域名). A release build would check it."));
      else
        {
          if (self->skip_domain_check)
            record_quirk (self, task_id, "domainCheck",
                          _("skip-domain-check has no effect in a release build."));
          if (!g_str_equal (*scheme, "wss") || !domain_allowed (self, uri))
            return "connect.domain";
        }
    }

  if (!mini_dialect_strv_contains (self->dialect, schemes_rule, *scheme))
    {
      record_quirk (self, task_id, schemes_rule, NULL);
      return "connect.scheme";
    }

  *out_uri = g_steal_pointer (&uri);
  return NULL;
}

static gboolean
check_option_types (MiniRuntime *self,
                    JsonObject  *args,
                    char       **err_msg)
{
  static const struct { const char *name; JsonNodeType node; GType value; const char *expected; } types[] = {
    { "header", JSON_NODE_OBJECT, G_TYPE_INVALID, "Object" },
    { "protocols", JSON_NODE_ARRAY, G_TYPE_INVALID, "Array" },
    { "timeout", JSON_NODE_VALUE, G_TYPE_DOUBLE, "Number" },
    { "tcpNoDelay", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "Boolean" },
    { "perMessageDeflate", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "Boolean" },
    { "forceCellularNetwork", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "Boolean" },
    { "multiple", JSON_NODE_VALUE, G_TYPE_BOOLEAN, "Boolean" },
    { "data", JSON_NODE_OBJECT, G_TYPE_INVALID, "Object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      JsonNode *node = json_object_get_member (args, types[i].name);
      gboolean ok;

      if (node == NULL || g_str_equal (mini_dialect_get_option_state (self->dialect, types[i].name),
                                       "absent"))
        continue;
      /* One protocol as a string is the rule protocolsString's, not a type error, on some. */
      if (g_str_equal (types[i].name, "protocols") && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING
          && !mini_dialect_is (self->dialect, "protocolsString", "invalid"))
        continue;

      ok = json_node_get_node_type (node) == types[i].node;
      if (ok && types[i].value == G_TYPE_DOUBLE)
        ok = g_str_equal (mini_json_type_name (node), "Number");
      else if (ok && types[i].value != G_TYPE_INVALID)
        ok = json_node_get_value_type (node) == types[i].value;

      if (!ok)
        {
          *err_msg = mini_dialect_format_err_msg (self->dialect, "connect.param",
                                                  "param", types[i].name,
                                                  "expected", types[i].expected,
                                                  "actual", mini_json_type_name (node), NULL);
          return FALSE;
        }
    }

  return TRUE;
}

static void
note_option_states (MiniRuntime *self,
                    JsonObject  *args)
{
  static const char * const callbacks[] = { "url", "success", "fail", "complete", NULL };
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, args);
  while (json_object_iter_next (&iter, &member, &node))
    {
      const char *state = mini_dialect_get_option_state (self->dialect, member);
      g_autofree char *text = NULL;
      g_autofree char *name = NULL;

      if (g_strv_contains (callbacks, member) || g_str_equal (state, "supported"))
        continue;

      name = mini_dialect_dup_name (self->dialect);
      text = g_str_equal (state, "ignored")
             ? g_strdup_printf (_("%s accepts the option %s but ignores it."), name, member)
             : g_strdup_printf (_("%s has no option %s; it has no effect."), name, member);
      record_quirk (self, 0, "options", text);
    }
}

static guint
connect_timeout (MiniRuntime *self,
                 JsonObject  *args)
{
  gint64 timeout = mini_dialect_get_int (self->dialect, "timeoutDefault");
  gint64 max = mini_dialect_get_int (self->dialect, "timeoutMax");
  JsonNode *node = json_object_get_member (args, "timeout");

  if (node != NULL && g_str_equal (mini_dialect_get_option_state (self->dialect, "timeout"),
                                   "supported"))
    {
      double value = json_node_get_double (node);

      /* Clamped before the cast: a double beyond gint64 has no defined conversion. */
      if (value > 0)
        {
          gint64 option = (gint64) MIN (value, (double) G_MAXUINT);

          if (option < timeout && mini_dialect_is (self->dialect, "timeoutCombine", "larger"))
            record_quirk (self, 0, "timeoutCombine", NULL);
          else
            timeout = option;
        }
      else
        {
          g_autofree char *text = NULL;

          /* Native code takes a timeout ≤ 0 as none given [F WX-AND]. */
          /* Translators: %g is the timeout given, %u the default in ms */
          text = g_strdup_printf (_("timeout %g is not a positive number of ms; the default, "
                                    "%u ms, applies."), value, (guint) MIN (timeout, G_MAXUINT));
          record_quirk (self, 0, "timeoutDefault", text);
        }
    }

  if (max > 0 && timeout > max)
    {
      g_autofree char *text = NULL;

      /* Translators: %u is the largest timeout in ms */
      text = g_strdup_printf (_("The timeout is above the platform's cap of %u ms; the cap "
                                "applies."), (guint) MIN (max, G_MAXUINT));
      record_quirk (self, 0, "timeoutMax", text);
      timeout = max;
    }

  return (guint) MIN (timeout, G_MAXUINT);
}

/* Alipay appends the data option to the URL as a query string. */
static char *
url_with_data (MiniRuntime *self,
               const char  *url,
               JsonObject  *args)
{
  JsonNode *node = json_object_get_member (args, "data");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  GString *out;
  char separator;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
      || !g_str_equal (mini_dialect_get_option_state (self->dialect, "data"), "supported"))
    return g_strdup (url);

  out = g_string_new (url);
  separator = strchr (url, '?') != NULL ? '&' : '?';
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    {
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else
        text = json_to_string (value, FALSE);
      g_string_append_c (out, separator);
      g_string_append_uri_escaped (out, name, NULL, FALSE);
      g_string_append_c (out, '=');
      g_string_append_uri_escaped (out, text, NULL, FALSE);
      separator = '&';
    }

  return g_string_free (out, FALSE);
}

static gboolean
on_accept_certificate (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

static SoupMessage *
build_message (MiniRuntime *self,
               Task        *task,
               const char  *url,
               JsonObject  *args)
{
  SoupMessage *message = soup_message_new (SOUP_METHOD_GET, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  const char *referer = mini_dialect_get_string (self->dialect, "referer");
  const char *user_agent = mini_dialect_get_string (self->dialect, "userAgent");
  JsonNode *header = json_object_get_member (args, "header");
  gboolean deflate;

  /* Only when the user turned checks off; otherwise libsoup refuses a bad certificate. */
  if (!self->tls_check)
    g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);

  if (header != NULL && JSON_NODE_HOLDS_OBJECT (header)
      && g_str_equal (mini_dialect_get_option_state (self->dialect, "header"), "supported"))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (header));
      while (json_object_iter_next (&iter, &name, &value))
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);
          g_autofree char *text = NULL;

          if (mini_dialect_strv_contains (self->dialect, "forbiddenHeaders", lower))
            {
              g_autofree char *quirk = g_strdup_printf (_("The header %s may not be set; the "
                                                          "platform drops it."), name);
              record_quirk (self, task->id, "forbiddenHeaders", quirk);
              continue;
            }

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else
            text = json_to_string (value, FALSE);
          if (!JSON_NODE_HOLDS_VALUE (value)
              || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              /* The bridge hands the options to native code as JSON, which reads a header
               * value as text [I]: the value goes out as its JSON, but the user should know. */
              g_autofree char *quirk = NULL;

              /* Translators: the first %s is a header name, the second a JSON type such as
               * Number, the third the text sent */
              quirk = g_strdup_printf (_("The header %s is not a string (%s); it is sent as %s."),
                                       name, mini_json_type_name (value), text);
              record_quirk (self, task->id, "options", quirk);
            }
          /* libsoup's own rule for a name (found by fuzz-options: "" and tabs got through). */
          if (*name == '\0' || !g_utf8_validate (name, -1, NULL)
              || strpbrk (name, " \t:\r\n") != NULL
              || strpbrk (text, "\r\n") != NULL)
            {
              g_autofree char *quirk = g_strdup_printf (_("The header %s is not a valid HTTP "
                                                          "header; it is not sent."), name);
              record_quirk (self, task->id, "options", quirk);
              continue;
            }
          soup_message_headers_replace (headers, name, text);
        }
    }

  if (*referer != '\0')
    {
      g_autofree char *value = mini_expand_template (referer, "appid", self->appid,
                                                     "version", self->version, NULL);
      soup_message_headers_replace (headers, "Referer", value);
    }
  if (*user_agent != '\0')
    soup_message_headers_replace (headers, "User-Agent", user_agent);

  if (g_str_equal (mini_dialect_get_option_state (self->dialect, "perMessageDeflate"), "supported")
      && json_object_has_member (args, "perMessageDeflate"))
    deflate = passed (args, "perMessageDeflate");
  else
    deflate = mini_dialect_get_bool (self->dialect, "perMessageDeflateDefault");
  if (!deflate)
    soup_message_disable_feature (message, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);

  return message;
}

static char *js_to_string (JsonNode *node);

static GStrv
protocols_from_args (MiniRuntime *self,
                     Task        *task,
                     JsonObject  *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (args, "protocols");

  if (!g_str_equal (mini_dialect_get_option_state (self->dialect, "protocols"), "supported"))
    return g_strv_builder_end (builder);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
          else if (mini_dialect_has_err_msg (self->dialect, "connect.subprotocol"))
            {
              g_autofree char *name = js_to_string (element);
              g_strv_builder_add (builder, name);
            }
          else
            {
              g_autofree char *quirk = NULL;

              /* Translators: %u is a position in the protocols array, %s a JSON type */
              quirk = g_strdup_printf (_("protocols[%u] is not a string (%s); it is not "
                                         "offered."), i, mini_json_type_name (element));
              record_quirk (self, task->id, "options", quirk);
            }
        }
    }
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
           && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      record_quirk (self, task->id, "protocolsString", NULL);
      if (mini_dialect_is (self->dialect, "protocolsString", "wrap"))
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

/* Ends a task the caller did not close: a close frame once open, an abort while connecting. */
static void
end_on_behalf (MiniRuntime *self,
               Task        *task)
{
  if (mini_socket_task_get_state (task->socket) == MINI_SOCKET_OPEN)
    close_on_behalf (self, task, 1000, NULL);
  else
    mini_socket_task_fail (task->socket, MINI_SOCKET_FAILURE_ABORTED);
}

static void
close_oldest (MiniRuntime *self)
{
  for (guint i = 0; i < self->order->len; i++)
    {
      Task *task = task_at (self, i);

      if (takes_slot (self, task))
        {
          record_quirk (self, task->id, "overLimit", NULL);
          end_on_behalf (self, task);
          return;
        }
    }
}

/* The live socket made in single mode, on a platform with the multiple option. */
/* What JavaScript's String() makes of a JSON value. */
static char *
js_to_string (JsonNode *node)
{
  GString *out;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_OBJECT:
      return g_strdup ("[object Object]");
    case JSON_NODE_ARRAY:
      out = g_string_new (NULL);
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);

          if (i > 0)
            g_string_append_c (out, ',');
          if (!JSON_NODE_HOLDS_NULL (element))
            {
              g_autofree char *text = js_to_string (element);
              g_string_append (out, text);
            }
        }
      return g_string_free (out, FALSE);
    case JSON_NODE_VALUE:
    default:
      break;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  else
    {
      double value = json_node_get_double (node);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (isinf (value))
        return g_strdup (value > 0 ? "Infinity" : "-Infinity");
      if (fabs (value) < 1e15 && value == (gint64) value)
        return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
    }
}

static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The browser's constructor turns every protocol into a string and throws on one that is no
 * HTTP token, or that repeats; platforms without such a message pass the names on unchecked. */
static gboolean
check_protocol_names (MiniRuntime *self,
                      JsonObject  *args,
                      char       **err_msg)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *node = json_object_get_member (args, "protocols");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (node == NULL || !mini_dialect_has_err_msg (self->dialect, "connect.subprotocol")
      || !g_str_equal (mini_dialect_get_option_state (self->dialect, "protocols"), "supported"))
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        JsonNode *element = json_array_get_element (json_node_get_array (node), i);
        g_ptr_array_add (names, js_to_string (element));
      }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
           && mini_dialect_is (self->dialect, "protocolsString", "wrap"))
    g_ptr_array_add (names, g_strdup (json_node_get_string (node)));

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];

      if (!is_token (name) || !g_hash_table_add (seen, g_strdup (name)))
        {
          *err_msg = mini_dialect_format_err_msg (self->dialect, "connect.subprotocol",
                                                  "protocol", name, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

static Task *
live_single_task (MiniRuntime *self)
{
  for (guint i = self->order->len; i-- > 0;)
    {
      Task *task = task_at (self, i);

      if (task_is_live (task) && !task->multiple)
        return task;
    }

  return NULL;
}

static void
api_connect_socket (MiniRuntime *self,
                    const char  *api,
                    JsonObject  *args,
                    Task        *target)
{
  g_autoptr(JsonObject) empty = NULL;
  g_autoptr(JsonNode) converted_url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *err_msg = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *url = NULL;
  g_autofree char *scheme = NULL;
  g_auto(GStrv) protocols = NULL;
  const char *refusal;
  const char *return_value;
  JsonNode *url_node;
  JsonObject *payload;
  gboolean later = callbacks_later (self);
  gboolean multiple;
  Task *single;
  guint max;
  Task *task;

  if (args == NULL)
    args = empty = json_object_new ();

  url_node = json_object_get_member (args, "url");
  /* The browser's constructor converts any URL it is given to a string (WebIDL's USVString),
   * so new WebSocket(123) is refused for its URL '123', not for a missing argument. */
  if (url_node != NULL && bare_browser_socket (self)
      && !(JSON_NODE_HOLDS_VALUE (url_node)
           && json_node_get_value_type (url_node) == G_TYPE_STRING))
    {
      g_autofree char *text = js_to_string (url_node);

      url_node = converted_url = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (converted_url, text);
    }
  if (url_node == NULL || !JSON_NODE_HOLDS_VALUE (url_node)
      || json_node_get_value_type (url_node) != G_TYPE_STRING)
    {
      err_msg = mini_dialect_format_err_msg (self->dialect, "connect.param", "param", "url",
                                             "expected", "String",
                                             "actual", mini_json_type_name (url_node), NULL);
      refuse (self, api, args, 0, "connect.param", err_msg);
      return;
    }
  if (!check_option_types (self, args, &err_msg))
    {
      refuse (self, api, args, 0, "connect.param", err_msg);
      return;
    }
  if (!check_protocol_names (self, args, &err_msg))
    {
      refuse (self, api, args, 0, "connect.subprotocol", err_msg);
      return;
    }
  note_option_states (self, args);

  expanded = mini_runtime_expand_url (self, json_node_get_string (url_node));
  url = url_with_data (self, expanded, args);
  return_value = connect_return_value (self, args);
  multiple = multiple_mode (self, args);

  /* Checks are made before a task exists; the task number they name is the one it would get. */
  refusal = check_url (self, self->order->len + 1, url, &uri, &scheme);
  if (refusal != NULL && mini_dialect_is (self->dialect, "checkFailure", "fail"))
    {
      err_msg = mini_dialect_format_err_msg (self->dialect, refusal, "url", url, "scheme", scheme,
                                             NULL);
      refuse (self, api, args, 0, refusal, err_msg);
      return;
    }

  /* Alipay's single mode keeps one socket that the legacy globals reach. */
  if (refusal == NULL && !multiple
      && g_str_equal (mini_dialect_get_option_state (self->dialect, "multiple"), "supported")
      && (single = live_single_task (self)) != NULL)
    {
      if (mini_dialect_is (self->dialect, "singleModeRepeat", "fail"))
        {
          record_quirk (self, 0, "singleModeRepeat", NULL);
          refuse_with (self, api, args, 0, "connect.singleExists");
          return;
        }
      record_quirk (self, single->id, "singleModeRepeat", NULL);
      end_on_behalf (self, single);
    }

  max = (guint) mini_dialect_get_int (self->dialect, "maxConnections");
  if (refusal == NULL && max > 0 && count_slots (self) >= max)
    {
      if (mini_dialect_is (self->dialect, "overLimit", "close-oldest"))
        close_oldest (self);
      else if (mini_dialect_is (self->dialect, "overLimit", "fail"))
        {
          g_autofree char *max_text = g_strdup_printf ("%u", max);
          g_autofree char *id_text = g_strdup_printf ("%u", self->order->len + 1);

          record_quirk (self, 0, "maxConnections", NULL);
          err_msg = mini_dialect_format_err_msg (self->dialect, "connect.limit",
                                                 "task", id_text, "max", max_text, NULL);
          refuse (self, api, args, 0, "connect.limit", err_msg);
          return;
        }
      else
        refusal = "connect.limit";
    }

  task = task_new (self, url);
  task->multiple = multiple;
  task->unreachable = !g_str_equal (return_value, "SocketTask")
                      && !g_str_equal (return_value, "WebSocket")
                      && !(g_str_equal (return_value, "Promise")
                           && mini_dialect_is (self->dialect, "promiseResolves", "SocketTask"));
  protocols = protocols_from_args (self, task, args);
  task->protocols_requested = protocols[0] != NULL;

  payload = object_new_with_string (NULL, NULL);
  if (mini_dialect_get_bool (self->dialect, "successTaskId"))
    json_object_set_int_member (payload, "socketTaskId", task->id);
  err_msg = mini_dialect_format_err_msg (self->dialect, "connect.ok", NULL);

  if (!later)
    emit_callbacks (self, api, args, task->id, TRUE, "connect.ok", err_msg,
                    json_object_ref (payload));
  emit_return (self, api, task->id, return_value, NULL);
  if (later)
    emit_callbacks (self, api, args, task->id, TRUE, "connect.ok", err_msg,
                    json_object_ref (payload));
  /* The platform's own success has run, whether or not the caller passed a callback. */
  emit (self, later, PENDING_READY, task->id, NULL, NULL, MINI_NO_CODE, NULL);
  if (g_str_equal (return_value, "Promise"))
    {
      if (mini_dialect_is (self->dialect, "promiseResolves", "SocketTask"))
        emit_settle (self, api, args, task->id, TRUE, "connect.ok", NULL,
                     object_new_with_string ("value", "SocketTask"));
      else
        emit_settle (self, api, args, task->id, TRUE, "connect.ok", err_msg,
                     json_object_ref (payload));
    }
  json_object_unref (payload);

  if (refusal != NULL)
    {
      g_autofree char *text = NULL;
      g_autofree char *max_text = g_strdup_printf ("%u", max);
      g_autofree char *id_text = g_strdup_printf ("%u", task->id);

      /* The platform answered ok; the refusal reaches the caller later, as an error event. */
      emit (self, TRUE, MINI_EVENT_QUIRK, task->id,
            g_str_equal (refusal, "connect.limit") ? "overLimit" : "checkFailure", NULL,
            MINI_NO_CODE, NULL);
      text = mini_dialect_format_err_msg (self->dialect, refusal, "url", url, "scheme", scheme,
                                          "task", id_text, "max", max_text, NULL);
      mini_socket_task_drop (task->socket);
      emit_failure (self, task, TRUE, "connectErrorEvents", refusal, text);
      task_release (task);
      return;
    }

  if (self->network_off)
    {
      g_autofree char *text = mini_dialect_format_err_msg (self->dialect, "connect.unreachable",
                                                          "message", "network is down",
                                                          "url", url, NULL);
      mini_socket_task_drop (task->socket);
      emit_failure (self, task, TRUE, "connectErrorEvents", "connect.unreachable", text);
      task_release (task);
      return;
    }

  message = build_message (self, task, url, args);
  g_signal_connect (task->socket, "handshake-request", G_CALLBACK (on_handshake_request), task);
  g_signal_connect (task->socket, "handshake-response", G_CALLBACK (on_handshake_response), task);
  g_signal_connect (task->socket, "opened", G_CALLBACK (on_opened), task);
  g_signal_connect (task->socket, "message", G_CALLBACK (on_message), task);
  g_signal_connect (task->socket, "closed", G_CALLBACK (on_closed), task);
  g_signal_connect (task->socket, "failed", G_CALLBACK (on_failed), task);
  mini_socket_task_connect (task->socket, self->session, self->io, message,
                            protocols[0] != NULL ? (const char * const *) protocols : NULL,
                            connect_timeout (self, args));
}

/* ---- send and close ------------------------------------------------------------------------ */

static GBytes *
data_from_args (MiniRuntime *self,
                JsonObject  *args,
                gboolean    *binary,
                GError     **error)
{
  JsonNode *node = args != NULL ? json_object_get_member (args, "data") : NULL;

  *binary = FALSE;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      /* Alipay sends binary data as a base64 string marked by isBuffer. */
      if (passed (args, "isBuffer") && mini_dialect_is (self->dialect, "binary", "base64"))
        {
          *binary = TRUE;
          return mini_decode_base64 (text, error);
        }
      return g_bytes_new (text, strlen (text));
    }

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      *binary = TRUE;
      for (guint i = 0; i < 2; i++)
        {
          const char *encoding = i == 0 ? "base64" : "hex";
          const char *text = mini_json_get_string (object, encoding);

          if (!json_object_has_member (object, encoding))
            continue;
          if (text == NULL)
            {
              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("data.%s: expected a string, got %s"), encoding,
                           mini_json_type_name (json_object_get_member (object, encoding)));
              return NULL;
            }
          return i == 0 ? mini_decode_base64 (text, error) : mini_decode_hex (text, error);
        }
    }

  /* The browser's send() takes anything else as a string: send(42) sends "42", send() sends
   * "undefined". */
  if (bare_browser_socket (self))
    {
      g_autofree char *text = node != NULL ? js_to_string (node) : g_strdup ("undefined");

      *binary = FALSE;
      return g_bytes_new (text, strlen (text));
    }

  g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
               _("data: expected a string, {\"base64\": …} or {\"hex\": …}, got %s"),
               mini_json_type_name (node));
  return NULL;
}

/* Douyin: a SocketTask method called before connectSocket's success callback ran may fail. */
static gboolean
refuse_before_ready (MiniRuntime *self,
                     const char  *api,
                     JsonObject  *args,
                     Task        *task,
                     const char  *not_open)
{
  if (task->ready || !mini_dialect_get_bool (self->dialect, "waitForSuccess")
      || !mini_runtime_api_takes_task (api))
    return FALSE;

  record_quirk (self, task->id, "waitForSuccess", NULL);
  refuse_with (self, api, args, task->id,
               mini_dialect_has_err_msg (self->dialect, "task.notReady") ? "task.notReady"
                                                                          : not_open);
  return TRUE;
}

/* SocketTask.send while the handshake is in progress, by the rule sendBeforeOpen. */
static void
send_before_open (MiniRuntime           *self,
                  const char            *api,
                  JsonObject            *args,
                  Task                  *task,
                  SoupWebsocketDataType  type,
                  GBytes                *bytes)
{
  const char *not_open = "send.notOpen";
  const char *rule = mini_dialect_get_string (self->dialect, "sendBeforeOpen");
  g_autofree char *err_msg = mini_dialect_format_err_msg (self->dialect, not_open, NULL);
  gboolean promise;

  record_quirk (self, task->id, "sendBeforeOpen", NULL);
  if (g_str_equal (rule, "throw"))
    {
      emit_return (self, api, task->id, "throw", err_msg);
      return;
    }

  promise = returns_promise (self, api, args);
  emit_return (self, api, task->id, promise ? "Promise" : "undefined", NULL);
  emit_callbacks (self, api, args, task->id, FALSE, not_open, err_msg, NULL);

  if (g_str_equal (rule, "fail-twice"))
    {
      /* uni-app H5 reports the state, then the exception its own send threw. */
      const char *again = mini_dialect_has_err_msg (self->dialect, "send.notOpenAgain")
                          ? "send.notOpenAgain" : not_open;
      g_autofree char *again_msg = mini_dialect_format_err_msg (self->dialect, again, NULL);

      emit_callbacks (self, api, args, task->id, FALSE, again, again_msg, NULL);
    }
  else if (g_str_equal (rule, "fail-then-send"))
    {
      /* uni-app App reports the failure and goes on: the data leaves once the socket opens. */
      Frame *frame = g_new0 (Frame, 1);

      frame->type = type;
      frame->bytes = g_bytes_ref (bytes);
      if (task->queued == NULL)
        task->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) frame_free);
      g_ptr_array_add (task->queued, frame);
      accept (self, api, args, task->id, "send.ok", promise);
      return;
    }

  if (promise)
    emit_settle (self, api, args, task->id, FALSE, not_open, err_msg, NULL);
}

static void
api_send (MiniRuntime *self,
          const char  *api,
          JsonObject  *args,
          Task        *task)
{
  gboolean global = g_str_equal (api, "sendSocketMessage");
  const char *not_open = global ? "sendSocketMessage.notConnected" : "send.notOpen";
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_msg = NULL;
  SoupWebsocketDataType type;
  gboolean binary;
  gboolean promise;
  MiniSocketState state;

  if (task == NULL)
    {
      refuse_with (self, api, args, 0, not_open);
      return;
    }

  if ((bytes = data_from_args (self, args, &binary, &error)) == NULL)
    {
      err_msg = mini_dialect_format_err_msg (self->dialect, "send.badData", NULL);
      refuse (self, api, args, task->id, "send.badData",
              *err_msg != '\0' ? err_msg : error->message);
      return;
    }
  type = binary ? SOUP_WEBSOCKET_DATA_BINARY : SOUP_WEBSOCKET_DATA_TEXT;

  if (refuse_before_ready (self, api, args, task, not_open))
    return;

  state = task_state (task);
  /* sendSocketMessage checks the state itself before handing the data to the task (uni-app H5
   * does; WeChat's answer is the same): a send before open is the task's rule. */
  if (state == MINI_SOCKET_CONNECTING && !global)
    {
      send_before_open (self, api, args, task, type, bytes);
      return;
    }
  if (state == MINI_SOCKET_CONNECTING)
    {
      refuse_with (self, api, args, task->id, not_open);
      return;
    }

  if (state != MINI_SOCKET_OPEN)
    {
      if (mini_dialect_is (self->dialect, "sendAfterClose", "ignore"))
        {
          record_quirk (self, task->id, "sendAfterClose", NULL);
          emit_return (self, api, task->id, "undefined", NULL);
          return;
        }
      refuse_with (self, api, args, task->id, not_open);
      return;
    }

  promise = accept_return (self, api, args, task->id);
  send_frame (self, task, type, bytes);
  accept (self, api, args, task->id, global ? "sendSocketMessage.ok" : "send.ok", promise);
}

/* close(code) takes a [Clamp] unsigned short: the value goes through JavaScript's ToNumber, NaN
 * becomes 0, and the rest is rounded to the nearest integer (ties to even) within 0–65535. */
static gint
browser_close_code (JsonNode *node)
{
  double value = 0;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;

      if (*text != '\0')
        {
          value = g_ascii_strtod (text, &end);
          if (*end != '\0' || g_ascii_strncasecmp (text, "nan", 3) == 0)
            value = 0;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    value = json_node_get_boolean (node) ? 1 : 0;
  else if (g_str_equal (mini_json_type_name (node), "Number"))
    value = json_node_get_double (node);

  if (!isfinite (value))
    return value > 0 ? 65535 : 0;
  value = CLAMP (value, 0, 65535);
  return (gint) nearbyint (value);
}

/* Checks a close call's code and reason, filling in the defaults; returns the rule that refuses
 * them, or NULL. */
static const char *
check_close_args (MiniRuntime  *self,
                  JsonObject   *args,
                  gint         *code,
                  const char  **reason,
                  const char  **key,
                  char        **err_msg)
{
  const char *rule = mini_dialect_get_string (self->dialect, "closeCodeRule");
  const char *default_reason = mini_dialect_get_string (self->dialect, "defaultCloseReason");
  gint64 max_bytes = mini_dialect_get_int (self->dialect, "reasonMaxBytes");
  JsonNode *code_node = args != NULL ? json_object_get_member (args, "code") : NULL;
  JsonNode *reason_node = args != NULL ? json_object_get_member (args, "reason") : NULL;

  *code = (gint) mini_dialect_get_int (self->dialect, "defaultCloseCode");
  *reason = *default_reason != '\0' ? default_reason : NULL;

  if (code_node != NULL)
    {
      g_autofree char *text = NULL;
      gboolean ok;

      if (on_browser_socket (self))
        *code = browser_close_code (code_node);
      else if (!g_str_equal (mini_json_type_name (code_node), "Number"))
        *code = -1;
      else
        *code = (gint) CLAMP (json_node_get_double (code_node), -1, G_MAXINT / 2);

      if (g_str_equal (rule, "rfc"))
        ok = *code == 1000 || (*code >= 3000 && *code <= 4999);
      else if (g_str_equal (rule, "1000-1001"))
        ok = *code == 1000 || *code == 1001;
      else
        ok = TRUE;

      if (!ok)
        {
          text = on_browser_socket (self) ? g_strdup_printf ("%d", *code)
                                          : json_to_string (code_node, FALSE);
          *key = "close.badCode";
          *err_msg = mini_dialect_format_err_msg (self->dialect, *key, "code", text, NULL);
          return "closeCodeRule";
        }
    }

  if (reason_node != NULL && JSON_NODE_HOLDS_VALUE (reason_node)
      && json_node_get_value_type (reason_node) == G_TYPE_STRING)
    {
      *reason = json_node_get_string (reason_node);
      if (max_bytes > 0 && strlen (*reason) > (gsize) max_bytes)
        {
          *key = "close.badReason";
          *err_msg = mini_dialect_format_err_msg (self->dialect, *key, NULL);
          return "reasonMaxBytes";
        }
    }

  return NULL;
}

static void
api_close (MiniRuntime *self,
           const char  *api,
           JsonObject  *args,
           Task        *task)
{
  gboolean global = g_str_equal (api, "closeSocket");
  const char *not_open = global ? "closeSocket.notConnected" : "close.notOpen";
  const char *ok_key = global ? "closeSocket.ok" : "close.ok";
  const char *while_connecting = global ? "globalCloseWhileConnecting" : "closeWhileConnecting";
  const char *refused_by;
  const char *key = NULL;
  g_autofree char *err_msg = NULL;
  const char *reason;
  const char *wire_reason;
  gint code;
  gushort wire_code;
  gboolean promise;
  MiniSocketState state;

  if (task == NULL)
    {
      refuse_with (self, api, args, 0, not_open);
      return;
    }

  if (refuse_before_ready (self, api, args, task, not_open))
    return;

  if ((refused_by = check_close_args (self, args, &code, &reason, &key, &err_msg)) != NULL)
    {
      record_quirk (self, task->id, refused_by, NULL);
      refuse (self, api, args, task->id, key, err_msg);
      return;
    }

  /* Taro calls the browser's close() bare: the wire carries no status, whatever was asked. */
  wire_code = (gushort) code;
  wire_reason = reason;
  if (!mini_dialect_get_bool (self->dialect, "closePassesArgs"))
    {
      record_quirk (self, task->id, "closePassesArgs", NULL);
      wire_code = SOUP_WEBSOCKET_CLOSE_NO_STATUS;
      wire_reason = NULL;
    }

  state = task_state (task);
  if (state == MINI_SOCKET_CONNECTING)
    {
      const char *rule = mini_dialect_get_string (self->dialect, while_connecting);

      record_quirk (self, task->id, while_connecting, NULL);
      if (g_str_equal (rule, "fail"))
        {
          refuse_with (self, api, args, task->id, not_open);
          return;
        }

      promise = accept_return (self, api, args, task->id);
      accept (self, api, args, task->id, ok_key, promise);
      if (g_str_equal (rule, "ignore"))
        return;

      task->client_closed = TRUE;
      task->stored_code = code;
      set_str (&task->stored_reason, reason);
      task->close_code = wire_code;
      set_str (&task->close_reason, wire_reason);
      if (g_str_equal (rule, "abort"))
        mini_socket_task_fail (task->socket, MINI_SOCKET_FAILURE_ABORTED);
      else
        task->close_when_open = TRUE;
      return;
    }

  if (state != MINI_SOCKET_OPEN)
    {
      const char *rule = mini_dialect_get_string (self->dialect, "closeWhenClosed");

      if (g_str_equal (rule, "fail"))
        {
          refuse_with (self, api, args, task->id, not_open);
          return;
        }
      record_quirk (self, task->id, "closeWhenClosed", NULL);
      /* Taro's close() never fails: it calls success whatever the state. */
      if (g_str_equal (rule, "ok"))
        {
          promise = accept_return (self, api, args, task->id);
          accept (self, api, args, task->id, ok_key, promise);
        }
      else
        emit_return (self, api, task->id, "undefined", NULL);
      return;
    }

  task->client_closed = TRUE;
  task->stored_code = code;
  set_str (&task->stored_reason, reason);
  {
    JsonObject *extra = object_new_with_string ("wire", "close-out");

    json_object_set_string_member (extra, "text", _("→ close frame"));
    if (wire_reason != NULL)
      json_object_set_string_member (extra, "reason", wire_reason);
    task->close_code = wire_code;
    mini_socket_task_close (task->socket, wire_code, wire_reason);
    promise = accept_return (self, api, args, task->id);
    record (self, MINI_EVENT_WIRE, task->id, NULL, NULL, wire_code, extra);
  }

  accept (self, api, args, task->id, ok_key, promise);
}

/* ---- listeners ----------------------------------------------------------------------------- */

static void
api_listen (MiniRuntime *self,
            const char  *api,
            JsonObject  *args,
            Task        *task)
{
  gboolean multi = mini_dialect_is (self->dialect, "listeners", "multi");
  GPtrArray *slot_listeners = NULL;
  guint *n_registered = NULL;
  g_autofree char *name = NULL;

  for (guint i = 0; i < N_SLOTS; i++)
    {
      if (g_str_equal (api, slot_task_api[i]))
        {
          if (task->listeners[i] == NULL)
            task->listeners[i] = g_ptr_array_new_with_free_func (g_free);
          slot_listeners = task->listeners[i];
          n_registered = &task->n_registered[i];
        }
      else if (g_str_equal (api, slot_global_api[i]))
        {
          slot_listeners = self->globals[i];
          n_registered = &self->n_global_registered[i];
        }
    }
  g_assert (slot_listeners != NULL);

  /* Listeners are never removed but by this replacing, so a slot has one whenever it had one: the
   * count tells it for a task raised from its tomb, which keeps no names. */
  (*n_registered)++;
  name = *n_registered > 1 && multi ? g_strdup_printf ("%s#%u", api, *n_registered)
                                    : g_strdup (api);
  if (!multi && *n_registered > 1)
    {
      record_quirk (self, task != NULL ? task->id : 0, "listeners",
                    _("This platform keeps one listener per event: the new one replaces the old."));
      g_ptr_array_set_size (slot_listeners, 0);
    }
  g_ptr_array_add (slot_listeners, g_steal_pointer (&name));
  emit_return (self, api, task != NULL ? task->id : 0, "undefined", NULL);
}

/* ---- environment --------------------------------------------------------------------------- */

static gboolean
on_background_timeout (gpointer user_data)
{
  MiniRuntime *self = user_data;
  g_autofree char *reason = mini_dialect_format_err_msg (self->dialect, "interrupted", NULL);
  gint code = (gint) mini_dialect_get_int (self->dialect, "backgroundCloseCode");

  self->background_id = 0;
  for (guint i = 0; i < self->order->len; i++)
    {
      Task *task = task_at (self, i);

      if (!task_is_live (task))
        continue;
      record_quirk (self, task->id, "backgroundTimeoutMs", NULL);
      g_signal_handlers_disconnect_by_data (task->socket, task);
      mini_socket_task_drop (task->socket);
      emit_close_event (self, task, FALSE, code, reason, FALSE);
      task_release (task);
    }
  bury_ended (self);

  return G_SOURCE_REMOVE;
}

/* The environment as a scenario step or the window left it, for the window's toggles. */
static void
set_flag (MiniRuntime *self,
          gboolean    *flag,
          gboolean     value,
          guint        prop_id)
{
  if (*flag == value)
    return;
  *flag = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
api_env (MiniRuntime *self,
         const char  *api,
         JsonObject  *args,
         Task        *task)
{
  JsonObject *extra = object_new_with_string ("value", api);
  gint64 background = mini_dialect_get_int (self->dialect, "backgroundTimeoutMs");

  record (self, MINI_EVENT_ENV, 0, NULL, NULL, MINI_NO_CODE, extra);

  if (g_str_equal (api, "app.hide"))
    {
      set_flag (self, &self->hidden, TRUE, PROP_APP_HIDDEN);
      if (background > 0 && self->background_id == 0)
        self->background_id = g_timeout_add ((guint) background, on_background_timeout, self);
    }
  else if (g_str_equal (api, "app.show"))
    {
      g_clear_handle_id (&self->background_id, g_source_remove);
      set_flag (self, &self->hidden, FALSE, PROP_APP_HIDDEN);
    }
  else if (g_str_equal (api, "network.off"))
    {
      set_flag (self, &self->network_off, TRUE, PROP_NETWORK_OFF);
      for (guint i = 0; i < self->order->len; i++)
        {
          Task *live = task_at (self, i);

          if (task_is_live (live))
            mini_socket_task_fail (live->socket, mini_socket_task_get_state (live->socket)
                                                 == MINI_SOCKET_CONNECTING
                                                 ? MINI_SOCKET_FAILURE_UNREACHABLE
                                                 : MINI_SOCKET_FAILURE_DROPPED);
        }
    }
  else if (g_str_equal (api, "network.on"))
    set_flag (self, &self->network_off, FALSE, PROP_NETWORK_OFF);
}

/* ---- object -------------------------------------------------------------------------------- */

static void
mini_runtime_dispose (GObject *object)
{
  MiniRuntime *self = (MiniRuntime *)object;

  mini_runtime_shutdown (self);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_queue_clear_full (&self->pending, (GDestroyNotify) pending_free);
  for (guint i = 0; self->order != NULL && i < self->order->len; i++)
    {
      Task *task = task_at (self, i);

      if (task != NULL)
        task_free (task);
    }
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->ended, g_array_unref);
  g_clear_object (&self->io);
  for (guint i = 0; i < N_SLOTS; i++)
    g_clear_pointer (&self->globals[i], g_ptr_array_unref);
  g_clear_pointer (&self->listeners_shown, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->dialect);
  g_clear_object (&self->timeline);

  G_OBJECT_CLASS (mini_runtime_parent_class)->dispose (object);
}

static void
mini_runtime_finalize (GObject *object)
{
  MiniRuntime *self = (MiniRuntime *)object;

  g_free (self->playground_url);
  g_free (self->appid);
  g_free (self->version);
  g_free (self->build);
  g_strfreev (self->domains);
  g_clear_pointer (&self->frame_in_text, json_object_unref);
  g_clear_pointer (&self->frame_in_binary, json_object_unref);
  g_clear_pointer (&self->message_text, json_object_unref);
  g_clear_pointer (&self->message_binary, json_object_unref);

  G_OBJECT_CLASS (mini_runtime_parent_class)->finalize (object);
}

static void
mini_runtime_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MiniRuntime *self = MINI_RUNTIME (object);

  switch (prop_id)
    {
    case PROP_APP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_NETWORK_OFF:
      g_value_set_boolean (value, self->network_off);
      break;
    case PROP_TLS_CHECK:
      g_value_set_boolean (value, self->tls_check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_runtime_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MiniRuntime *self = MINI_RUNTIME (object);

  switch (prop_id)
    {
    case PROP_TLS_CHECK:
      mini_runtime_set_tls_check (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_runtime_class_init (MiniRuntimeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_runtime_dispose;
  object_class->finalize = mini_runtime_finalize;
  object_class->get_property = mini_runtime_get_property;
  object_class->set_property = mini_runtime_set_property;

  /**
   * MiniRuntime:tls-check:
   *
   * Whether a wss:// server's TLS certificate is verified, as every platform does. Only an
   * explicit switch of the user's turns it off; the timeline says so.
   */
  properties[PROP_TLS_CHECK] =
    g_param_spec_boolean ("tls-check", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Set by the app.hide/app.show and network.off/network.on calls, whoever made them. */
  properties[PROP_APP_HIDDEN] =
    g_param_spec_boolean ("app-hidden", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_OFF] =
    g_param_spec_boolean ("network-off", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An open, message, error or close event was delivered (kind, task, seq). */
  signals[PLATFORM_EVENT] =
    g_signal_new ("platform-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, mini_marshal_VOID__INT_UINT_UINT, G_TYPE_NONE, 3,
                  G_TYPE_INT, G_TYPE_UINT, G_TYPE_UINT);
  g_signal_set_va_marshaller (signals[PLATFORM_EVENT], G_TYPE_FROM_CLASS (klass),
                              mini_marshal_VOID__INT_UINT_UINTv);
}

static void
mini_runtime_init (MiniRuntime *self)
{
  self->order = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->ended = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < N_SLOTS; i++)
    self->globals[i] = g_ptr_array_new_with_free_func (g_free);
  self->listeners_shown = g_ptr_array_new ();
  g_queue_init (&self->pending);

  /* Many sockets to one host must not queue behind each other in libsoup's connection limit. */
  self->session = soup_session_new_with_options ("max-conns", 1024,
                                                 "max-conns-per-host", 1024,
                                                 NULL);
  soup_session_add_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  self->appid = g_strdup ("touristappid");
  self->version = g_strdup ("0");
  self->build = g_strdup ("develop");
  self->skip_domain_check = TRUE;
  self->tls_check = TRUE;

  self->frame_in_text = object_new_with_string ("wire", "frame-in-text");
  json_object_set_string_member (self->frame_in_text, "text", _("← text frame"));
  self->frame_in_binary = object_new_with_string ("wire", "frame-in-binary");
  json_object_set_string_member (self->frame_in_binary, "text", _("← binary frame"));
}

/* The fields the dialect adds to every message event beside data; NULL for none. */
static JsonObject *
message_fields (MiniRuntime *self,
                gboolean     binary)
{
  const char *representation = mini_dialect_get_string (self->dialect, "binary");
  JsonObject *fields = json_object_new ();

  if (mini_dialect_strv_contains (self->dialect, "messagePayload", "isBuffer"))
    json_object_set_boolean_member (fields, "isBuffer", binary);
  add_transport_fields (self, fields, "messagePayload");
  /* What the listener's data is when it is not a string: JSON only shows the bytes. */
  if (binary && !g_str_equal (representation, "base64"))
    json_object_set_string_member (fields, "dataType", representation);

  if (json_object_get_size (fields) == 0)
    g_clear_pointer (&fields, json_object_unref);
  return fields;
}

MiniRuntime *
mini_runtime_new (MiniDialect  *dialect,
                  MiniTimeline *timeline)
{
  MiniRuntime *self;

  g_return_val_if_fail (MINI_IS_DIALECT (dialect), NULL);
  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), NULL);

  self = g_object_new (MINI_TYPE_RUNTIME, NULL);
  self->dialect = g_object_ref (dialect);
  self->timeline = g_object_ref (timeline);
  self->last_activity = g_get_monotonic_time ();
  self->message_text = message_fields (self, FALSE);
  self->message_binary = message_fields (self, TRUE);

  return self;
}

MiniDialect *
mini_runtime_get_dialect (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), NULL);
  return self->dialect;
}

/* Names the rules whose value differs between two dialects, as "rule: old → new". */
static char *
describe_rule_changes (MiniDialect *before,
                       MiniDialect *after)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      const char *rule = json_object_get_string_member (json_array_get_object_element (rules, i),
                                                        "id");
      JsonNode *old_value = mini_dialect_get_value (before, rule);
      JsonNode *new_value = mini_dialect_get_value (after, rule);
      g_autofree char *old_text = NULL;
      g_autofree char *new_text = NULL;

      if (json_node_equal (old_value, new_value))
        continue;

      old_text = json_to_string (old_value, FALSE);
      new_text = json_to_string (new_value, FALSE);
      g_string_append_printf (text, "%s%s: %s → %s", text->len > 0 ? "; " : "", rule, old_text,
                              new_text);
    }

  return g_string_free (text, FALSE);
}

/**
 * mini_runtime_set_dialect:
 *
 * Replaces the rules the runtime follows, e.g. after a quirk was toggled. Live tasks keep
 * running; every decision from now on follows @dialect. An `env` event names the rules that
 * changed, so the timeline shows where the behaviour switched.
 */
void
mini_runtime_set_dialect (MiniRuntime *self,
                          MiniDialect *dialect)
{
  g_autofree char *changes = NULL;
  JsonObject *extra;

  g_return_if_fail (MINI_IS_RUNTIME (self));
  g_return_if_fail (MINI_IS_DIALECT (dialect));

  if (self->dialect == dialect)
    return;

  changes = describe_rule_changes (self->dialect, dialect);
  g_set_object (&self->dialect, dialect);

  extra = object_new_with_string ("value", "rules");
  json_object_set_string_member (extra, "text", *changes != '\0' ? changes : _("rules unchanged"));
  record (self, MINI_EVENT_ENV, 0, NULL, NULL, MINI_NO_CODE, extra);
}

gboolean
mini_runtime_get_tls_check (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), TRUE);

  return self->tls_check;
}

/**
 * mini_runtime_set_tls_check:
 * @tls_check: %FALSE to accept any certificate from a wss:// server
 *
 * The switch for testing against a server with a self-signed certificate. Each change is an
 * env event on the timeline, so a session recorded without checks says so.
 */
void
mini_runtime_set_tls_check (MiniRuntime *self,
                            gboolean     tls_check)
{
  JsonObject *extra;

  g_return_if_fail (MINI_IS_RUNTIME (self));

  tls_check = !!tls_check;
  if (self->tls_check == tls_check)
    return;
  self->tls_check = tls_check;

  extra = object_new_with_string ("value", tls_check ? "tls.check" : "tls.insecure");
  json_object_set_string_member (extra, "text",
                                 tls_check ? _("TLS certificate checks are on again.")
                                           : _("TLS certificate checks are off: any wss:// "
                                               "server certificate is accepted, which no "
                                               "platform does."));
  record (self, MINI_EVENT_ENV, 0, NULL, NULL, MINI_NO_CODE, extra);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CHECK]);
}

MiniTimeline *
mini_runtime_get_timeline (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), NULL);
  return self->timeline;
}

gboolean
mini_runtime_set_app (MiniRuntime  *self,
                      JsonObject   *app,
                      GError      **error)
{
  static const char * const strings[] = { "appid", "version", "build", NULL };
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  g_return_val_if_fail (MINI_IS_RUNTIME (self), FALSE);

  json_object_iter_init (&iter, app);
  while (json_object_iter_next (&iter, &member, &node))
    {
      gboolean is_string = JSON_NODE_HOLDS_VALUE (node)
                           && json_node_get_value_type (node) == G_TYPE_STRING;

      if (g_strv_contains (strings, member))
        {
          if (!is_string || (g_str_equal (member, "build")
                             && !g_str_equal (json_node_get_string (node), "develop")
                             && !g_str_equal (json_node_get_string (node), "release")))
            {
              g_autofree char *got = is_string ? g_strdup_printf ("\"%s\"", json_node_get_string (node))
                                               : g_strdup (mini_json_type_name (node));

              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("app.%s: expected %s, got %s"),
                           member, g_str_equal (member, "build") ? _("\"develop\" or \"release\"")
                                                                 : _("a string"),
                           got);
              return FALSE;
            }
        }
      else if (g_str_equal (member, "skipDomainCheck"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            {
              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("app.skipDomainCheck: expected true or false, got %s"),
                           mini_json_type_name (node));
              return FALSE;
            }
        }
      else if (g_str_equal (member, "domains"))
        {
          JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

          for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              if (!JSON_NODE_HOLDS_VALUE (element)
                  || json_node_get_value_type (element) != G_TYPE_STRING)
                array = NULL;
            }
          if (array == NULL)
            {
              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("app.domains: expected an array of URLs such as \"wss://example.com\""));
              return FALSE;
            }
        }
      else
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("app.%s: unknown setting; expected appid, version, build, domains or "
                       "skipDomainCheck"), member);
          return FALSE;
        }
    }

  json_object_iter_init (&iter, app);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_str_equal (member, "appid"))
        set_str (&self->appid, json_node_get_string (node));
      else if (g_str_equal (member, "version"))
        set_str (&self->version, json_node_get_string (node));
      else if (g_str_equal (member, "build"))
        set_str (&self->build, json_node_get_string (node));
      else if (g_str_equal (member, "skipDomainCheck"))
        self->skip_domain_check = json_node_get_boolean (node);
      else if (g_str_equal (member, "domains"))
        {
          JsonArray *array = json_node_get_array (node);

          g_strfreev (self->domains);
          self->domains = g_new0 (char *, json_array_get_length (array) + 1);
          for (guint i = 0; i < json_array_get_length (array); i++)
            self->domains[i] = g_strdup (json_array_get_string_element (array, i));
        }
    }

  return TRUE;
}

void
mini_runtime_set_playground_url (MiniRuntime *self,
                                 const char  *url)
{
  g_return_if_fail (MINI_IS_RUNTIME (self));
  set_str (&self->playground_url, url);
}

char *
mini_runtime_expand_url (MiniRuntime *self,
                         const char  *url)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), NULL);

  if (self->playground_url == NULL)
    return g_strdup (url);

  return mini_expand_template (url, "playground", self->playground_url, NULL);
}

/* The SocketTask method a legacy global stands for: sendSocketMessage is send, onSocketOpen is
 * onOpen. */
static char *
task_method_of (const char *global)
{
  if (g_str_has_prefix (global, "onSocket"))
    return g_strconcat ("on", global + strlen ("onSocket"), NULL);
  if (g_str_equal (global, "sendSocketMessage"))
    return g_strdup ("send");

  return g_strdup ("close");
}

static gboolean
call_api (MiniRuntime  *self,
          const char   *api,
          JsonObject   *args,
          guint         task_id,
          GError      **error)
{
  Task *task = NULL;
  gboolean global;

  if (!mini_runtime_is_api (api))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND, _("unknown API \"%s\""), api);
      return FALSE;
    }

  /* The timeline keeps the args as JSON, which has no infinity (1e999 reads as one). */
  if (args != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), args);
      g_autofree char *bad = mini_json_find_non_finite (node, "args");

      if (bad != NULL)
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: %s: expected a number JSON can write, got one too large for a "
                       "double"), api, bad);
          return FALSE;
        }
      if (!mini_json_check_utf8 (node, api, "args", error))
        return FALSE;
    }

  if (mini_runtime_api_takes_task (api))
    {
      if (task_id == 0)
        task_id = mini_runtime_get_newest_task (self);
      if ((task = find_task (self, task_id)) == NULL)
        {
          if (task_id == 0)
            g_set_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND,
                         _("%s: there is no SocketTask yet; call connectSocket first"), api);
          else
            g_set_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND,
                         _("%s: there is no SocketTask %u"), api, task_id);
          return FALSE;
        }
    }

  global = !mini_runtime_api_takes_task (api) && !g_str_equal (api, "connectSocket")
           && !g_str_has_prefix (api, "app.") && !g_str_has_prefix (api, "network.");
  if (global)
    task = global_task (self);
  /* Registering a listener causes nothing on the wire; a connect, send or close does. */
  if (task != NULL && !g_str_has_prefix (api, "onSocket") && strstr (api, ".on") == NULL)
    task->step = self->current_step;

  record_call (self, api, task != NULL ? task->id : 0, args);

  if (global && mini_dialect_is (self->dialect, "globals", "none"))
    {
      g_autofree char *err_msg = mini_dialect_format_err_msg (self->dialect, "api.missing",
                                                             "api", api, NULL);
      record_quirk (self, 0, "globals", NULL);
      emit_return (self, api, 0, "throw", err_msg);
      return TRUE;
    }

  /* Taro's H5 globals only print a deprecation warning to the console. */
  if (global && mini_dialect_is (self->dialect, "globals", "warn"))
    {
      g_autofree char *method = task_method_of (api);
      g_autofree char *warning = mini_dialect_format_err_msg (self->dialect, "api.deprecated",
                                                             "api", api, "method", method, NULL);
      JsonObject *extra = object_new_with_string ("value", "undefined");

      record_quirk (self, 0, "globals", NULL);
      json_object_set_string_member (extra, "console", warning);
      record (self, MINI_EVENT_RETURN, 0, api, NULL, MINI_NO_CODE, extra);
      return TRUE;
    }

  /* Without a SocketTask in hand, calling one of its methods is a JavaScript TypeError. */
  if (task != NULL && task->unreachable && mini_runtime_api_takes_task (api))
    {
      g_autofree char *err_msg = NULL;
      g_autofree char *text = NULL;
      const char *method = strchr (api, '.') + 1;

      err_msg = mini_dialect_format_err_msg (self->dialect,
                                             mini_dialect_is (self->dialect, "returns", "undefined")
                                             || mini_dialect_is (self->dialect, "returns",
                                                                 "TaskIfMultiple")
                                             ? "task.undefined" : "task.promise",
                                             "method", method, NULL);
      /* TRANSLATORS: %s is a SocketTask method such as onOpen */
      text = g_strdup_printf (_("connectSocket gave this code no SocketTask, so calling %s on "
                                "what it returned throws."), method);
      record_quirk (self, task->id, "returns", text);
      emit_return (self, api, task->id, "throw", err_msg);
      return TRUE;
    }

  if (g_str_equal (api, "connectSocket"))
    api_connect_socket (self, api, args, NULL);
  else if (g_str_equal (api, "SocketTask.send") || g_str_equal (api, "sendSocketMessage"))
    api_send (self, api, args, task);
  else if (g_str_equal (api, "SocketTask.close") || g_str_equal (api, "closeSocket"))
    api_close (self, api, args, task);
  else if (g_str_has_prefix (api, "app.") || g_str_has_prefix (api, "network."))
    api_env (self, api, args, task);
  else
    api_listen (self, api, args, task);

  return TRUE;
}

gboolean
mini_runtime_call (MiniRuntime  *self,
                   const char   *api,
                   JsonObject   *args,
                   guint         task_id,
                   GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (MINI_IS_RUNTIME (self), FALSE);
  g_return_val_if_fail (api != NULL, FALSE);

  self->call_depth++;
  ok = call_api (self, api, args, task_id, error);
  self->call_depth--;
  bury_ended (self);

  return ok;
}

/**
 * mini_runtime_set_step:
 * @step: the scenario step about to run, counted from 1; 0 once it returned
 *
 * Marks what follows as caused by @step: the events of the call, and the later events of the
 * tasks it acted on, until another step acts on them.
 */
void
mini_runtime_set_step (MiniRuntime *self,
                       guint        step)
{
  g_return_if_fail (MINI_IS_RUNTIME (self));
  self->current_step = step;
}

guint
mini_runtime_get_newest_task (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), 0);

  return self->order->len;
}

guint
mini_runtime_get_n_live_tasks (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), 0);
  return count_live (self);
}

gboolean
mini_runtime_get_app_hidden (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), FALSE);
  return self->hidden;
}

gboolean
mini_runtime_get_network_off (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), FALSE);
  return self->network_off;
}

gint64
mini_runtime_get_last_activity (MiniRuntime *self)
{
  g_return_val_if_fail (MINI_IS_RUNTIME (self), 0);
  return self->last_activity;
}

/**
 * mini_runtime_use_io_thread:
 *
 * Has the sockets connected from now on do their I/O on a thread of their own, and report to
 * this thread in batches. A window does, so a flooding server cannot starve its frames; the
 * events and their order are the same, each a little later.
 */
void
mini_runtime_use_io_thread (MiniRuntime *self)
{
  g_return_if_fail (MINI_IS_RUNTIME (self));

  if (self->io == NULL)
    self->io = mini_io_thread_new ();
}

/* Drops every socket without reporting platform events: the end of a session. */
void
mini_runtime_shutdown (MiniRuntime *self)
{
  g_return_if_fail (MINI_IS_RUNTIME (self));

  g_clear_handle_id (&self->background_id, g_source_remove);
  for (guint i = 0; self->order != NULL && i < self->order->len; i++)
    {
      Task *task = task_at (self, i);

      if (task != NULL && task->socket != NULL)
        {
          g_signal_handlers_disconnect_by_data (task->socket, task);
          mini_socket_task_drop (task->socket);
        }
    }
}
