/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-timeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include "mini-event-private.h"
#include "mini-timeline.h"

#define BLOCK_SHIFT        12
#define RECORDS_PER_BLOCK  (1u << BLOCK_SHIFT)
#define ARENA_CHUNK_SIZE   (1024 * 1024)
/* Bigger payloads get a chunk of their own, so a chunk abandoned because the next payload does
 * not fit wastes at most an eighth of it. */
#define ARENA_DEDICATED_MIN (ARENA_CHUNK_SIZE / 8)
#define MAX_CHUNKS         (1u << 24)
#define WRITE_BUFFER_SIZE  (64 * 1024)
#define SUMMARY_MAX_CHARS  120
#define MESSAGE_MAX_CHARS  80
/* Record.extra with this bit is an index into extra_texts, not into extras. */
#define EXTRA_TEXT         (1u << 31)

enum {
  RECORD_HAS_DATA = 1 << 0,   /* "bytes" is present */
  RECORD_STORED   = 1 << 1,   /* the payload bytes are in the arena */
  RECORD_BINARY   = 1 << 2,
};

/* One event. Bit fields keep it at 48 bytes: a million events must fit in far less than 150 MB. */
typedef struct {
  gint64  t_us;
  guint32 task;
  guint32 api;
  guint32 err_msg;
  guint32 listeners;
  gint32  code;
  guint32 extra;
  guint32 data_offset;
  guint32 data_len;
  guint32 data_chunk : 24;
  guint32 kind       : 4;
  guint32 flags      : 4;
} Record;

G_STATIC_ASSERT (sizeof (Record) == 48);
G_STATIC_ASSERT (MINI_N_EVENT_KINDS <= 16);

typedef struct {
  guint8 *data;
  gsize   size;
  gsize   used;
} Chunk;

/* A JSON text in the arena. */
typedef struct {
  guint32 chunk;
  guint32 offset;
  guint32 len;
} TextRef;

struct _MiniTimeline
{
  GObject     parent_instance;

  gint64      origin;
  gint64      origin_real;     /* g_get_real_time() at @origin, for wall-clock exports (HAR) */

  GPtrArray  *blocks;          /* Record[RECORDS_PER_BLOCK] each */
  guint       n_events;
  guint       n_announced;     /* what get_n_items() reports */

  GArray     *chunks;          /* Chunk */
  guint       cur_chunk;       /* where small payloads go; G_MAXUINT for none yet */
  gsize       payload_size;

  GHashTable *string_ids;      /* string (owned by @strings) -> id */
  GPtrArray  *strings;         /* id -> string; id 0 is NULL */
  gsize       string_bytes;
  /* Producers repeat the same api, errMsg and listeners run after run; a strcmp against the last
   * one is cheaper than hashing. */
  guint32     last_api;
  guint32     last_err_msg;
  guint32     last_listeners;

  GPtrArray  *extras;          /* JsonObject; index 0 is none */
  /* A call's args are its own object, near a kilobyte each as a JsonObject: they are kept as
   * JSON text in the arena, and parsed (once) when someone reads the event. */
  GArray     *extra_texts;     /* TextRef */
  GHashTable *parsed_texts;    /* extra_texts index -> JsonObject */
  /* position -> scenario step. Only scenario runs mark steps, so a side table keeps Record at
   * 48 bytes for everything else. Not part of the JSON Lines contract. */
  GHashTable *steps;

  GSource    *flush_source;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MiniTimeline, mini_timeline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
chunk_clear (gpointer data)
{
  Chunk *chunk = data;

  g_clear_pointer (&chunk->data, g_free);
}

static void
extra_free (gpointer data)
{
  if (data != NULL)
    json_object_unref (data);
}

static void
storage_init (MiniTimeline *self)
{
  self->blocks = g_ptr_array_new_with_free_func (g_free);
  self->n_events = 0;
  self->n_announced = 0;

  self->chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  g_array_set_clear_func (self->chunks, chunk_clear);
  self->cur_chunk = G_MAXUINT;
  self->payload_size = 0;

  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->strings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->strings, NULL);
  self->string_bytes = 0;
  self->last_api = 0;
  self->last_err_msg = 0;
  self->last_listeners = 0;

  self->extras = g_ptr_array_new_with_free_func (extra_free);
  g_ptr_array_add (self->extras, NULL);
  self->extra_texts = g_array_new (FALSE, FALSE, sizeof (TextRef));
  self->parsed_texts = g_hash_table_new_full (NULL, NULL, NULL, extra_free);

  self->steps = g_hash_table_new (NULL, NULL);
}

static void
storage_free (MiniTimeline *self)
{
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->chunks, g_array_unref);
  g_clear_pointer (&self->string_ids, g_hash_table_unref);
  g_clear_pointer (&self->strings, g_ptr_array_unref);
  g_clear_pointer (&self->extras, g_ptr_array_unref);
  g_clear_pointer (&self->extra_texts, g_array_unref);
  g_clear_pointer (&self->parsed_texts, g_hash_table_unref);
  g_clear_pointer (&self->steps, g_hash_table_unref);
}

static inline Record *
record_at (MiniTimeline *self,
           guint         position)
{
  Record *block = g_ptr_array_index (self->blocks, position >> BLOCK_SHIFT);

  return &block[position & (RECORDS_PER_BLOCK - 1)];
}

static inline Record *
record_push (MiniTimeline *self)
{
  guint position = self->n_events;

  if ((position >> BLOCK_SHIFT) == self->blocks->len)
    g_ptr_array_add (self->blocks, g_new (Record, RECORDS_PER_BLOCK));

  self->n_events++;

  return record_at (self, position);
}

static guint32
intern_owned (MiniTimeline *self,
              char         *str)
{
  gpointer id = g_hash_table_lookup (self->string_ids, str);

  if (id != NULL)
    {
      g_free (str);
      return GPOINTER_TO_UINT (id);
    }

  id = GUINT_TO_POINTER (self->strings->len);
  g_ptr_array_add (self->strings, str);
  g_hash_table_insert (self->string_ids, str, id);
  self->string_bytes += strlen (str) + 1;

  return GPOINTER_TO_UINT (id);
}

static inline guint32
intern (MiniTimeline *self,
        const char   *str,
        guint32      *last)
{
  gpointer id;

  if (str == NULL)
    return 0;

  if (*last != 0 && strcmp (g_ptr_array_index (self->strings, *last), str) == 0)
    return *last;

  id = g_hash_table_lookup (self->string_ids, str);
  *last = id != NULL ? GPOINTER_TO_UINT (id) : intern_owned (self, g_strdup (str));

  return *last;
}

static gboolean
listeners_match (const char * const *listeners,
                 const char         *joined)
{
  const char *p = joined;

  for (guint i = 0; listeners[i] != NULL; i++)
    {
      gsize len = strlen (listeners[i]);

      if (i > 0 && *p++ != '\n')
        return FALSE;
      if (strncmp (p, listeners[i], len) != 0)
        return FALSE;
      p += len;
    }

  return *p == '\0';
}

static inline guint32
intern_listeners (MiniTimeline       *self,
                  const char * const *listeners)
{
  if (listeners == NULL)
    return 0;

  if (self->last_listeners != 0 &&
      listeners_match (listeners, g_ptr_array_index (self->strings, self->last_listeners)))
    return self->last_listeners;

  self->last_listeners = intern_owned (self, g_strjoinv ("\n", (char **) listeners));

  return self->last_listeners;
}

static gboolean
arena_has_room (MiniTimeline *self)
{
  if (self->chunks->len < MAX_CHUNKS)
    return TRUE;

  /* Only reachable past 16 TiB of payload; refuse rather than overflow the 24-bit index. */
  g_critical ("Timeline payload arena is full");
  return FALSE;
}

static gboolean
arena_store (MiniTimeline *self,
             const guint8 *data,
             gsize         len,
             guint32      *chunk_index,
             guint32      *offset)
{
  Chunk *chunk;

  if (len == 0)
    {
      *chunk_index = 0;
      *offset = 0;
      return TRUE;
    }

  if (len >= ARENA_DEDICATED_MIN)
    {
      Chunk dedicated;

      if (!arena_has_room (self))
        return FALSE;

      dedicated = (Chunk) { g_malloc (len), len, len };
      memcpy (dedicated.data, data, len);
      g_array_append_val (self->chunks, dedicated);
      *chunk_index = self->chunks->len - 1;
      *offset = 0;
      return TRUE;
    }

  if (self->cur_chunk == G_MAXUINT ||
      g_array_index (self->chunks, Chunk, self->cur_chunk).size -
      g_array_index (self->chunks, Chunk, self->cur_chunk).used < len)
    {
      Chunk fresh;

      if (!arena_has_room (self))
        return FALSE;

      fresh = (Chunk) { g_malloc (ARENA_CHUNK_SIZE), ARENA_CHUNK_SIZE, 0 };
      g_array_append_val (self->chunks, fresh);
      self->cur_chunk = self->chunks->len - 1;
    }

  chunk = &g_array_index (self->chunks, Chunk, self->cur_chunk);
  memcpy (chunk->data + chunk->used, data, len);
  *chunk_index = self->cur_chunk;
  *offset = chunk->used;
  chunk->used += len;

  return TRUE;
}

static guint32
store_extra_text (MiniTimeline *self,
                  JsonObject   *extra)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);
  g_autofree char *text = json_to_string (node, FALSE);
  TextRef ref;

  if (self->extra_texts->len >= EXTRA_TEXT - 1
      || !arena_store (self, (const guint8 *) text, strlen (text), &ref.chunk, &ref.offset))
    return 0;

  ref.len = strlen (text);
  g_array_append_val (self->extra_texts, ref);

  return EXTRA_TEXT | (self->extra_texts->len - 1);
}

static JsonObject *
extra_at (MiniTimeline *self,
          guint32       extra)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const TextRef *ref;
  guint index;

  if ((extra & EXTRA_TEXT) == 0)
    return g_ptr_array_index (self->extras, extra);

  index = extra & ~EXTRA_TEXT;
  object = g_hash_table_lookup (self->parsed_texts, GUINT_TO_POINTER (index));
  if (object != NULL)
    return object;

  ref = &g_array_index (self->extra_texts, TextRef, index);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser,
                                   (const char *) g_array_index (self->chunks, Chunk,
                                                                 ref->chunk).data + ref->offset,
                                   ref->len, &error))
    {
      /* The text is json-glib's own output: this cannot happen short of memory corruption. */
      g_critical ("A stored event's fields do not parse: %s", error->message);
      return NULL;
    }

  object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_hash_table_insert (self->parsed_texts, GUINT_TO_POINTER (index), object);

  return object;
}

static void
fill_view (MiniTimeline  *self,
           guint          position,
           MiniEventView *view)
{
  const Record *r = record_at (self, position);

  view->seq = position + 1;
  view->t_us = r->t_us;
  view->kind = r->kind;
  view->task = r->task;
  view->api = g_ptr_array_index (self->strings, r->api);
  view->err_msg = g_ptr_array_index (self->strings, r->err_msg);
  view->code = r->code;
  view->data_len = r->data_len;
  view->has_data = (r->flags & RECORD_HAS_DATA) != 0;
  view->binary = (r->flags & RECORD_BINARY) != 0;
  view->listeners = g_ptr_array_index (self->strings, r->listeners);
  view->extra = extra_at (self, r->extra);
  view->step = GPOINTER_TO_UINT (g_hash_table_lookup (self->steps, GUINT_TO_POINTER (position)));

  if ((r->flags & RECORD_STORED) == 0)
    view->data = NULL;
  else if (r->data_len == 0)
    view->data = (const guint8 *) "";
  else
    view->data = g_array_index (self->chunks, Chunk, r->data_chunk).data + r->data_offset;
}

static void
announce (MiniTimeline *self)
{
  guint old = self->n_announced;
  guint added = self->n_events - old;

  if (added == 0)
    return;

  /* Updated first so that handlers see a model consistent with the signal. */
  self->n_announced = self->n_events;
  g_list_model_items_changed (G_LIST_MODEL (self), old, 0, added);
}

static void
cancel_flush (MiniTimeline *self)
{
  if (self->flush_source == NULL)
    return;

  g_source_destroy (self->flush_source);
  g_clear_pointer (&self->flush_source, g_source_unref);
}

static gboolean
flush_source_cb (gpointer user_data)
{
  MiniTimeline *self = user_data;

  /* Cleared before announcing so that a handler appending events schedules a new flush. */
  g_clear_pointer (&self->flush_source, g_source_unref);
  announce (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_flush (MiniTimeline *self)
{
  g_autoptr(GMainContext) context = NULL;

  if (self->flush_source != NULL)
    return;

  context = g_main_context_ref_thread_default ();
  self->flush_source = g_idle_source_new ();
  g_source_set_priority (self->flush_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->flush_source, "[minisock] timeline flush");
  g_source_set_callback (self->flush_source, flush_source_cb, self, NULL);
  g_source_attach (self->flush_source, context);
}

static gsize
pow2_bytes (gsize bytes)
{
  gsize n = 16;

  while (n < bytes)
    n <<= 1;

  return n;
}

/* GPtrArray and GArray grow their storage to powers of two; the API does not say how much. */
static gsize
ptr_array_bytes (GPtrArray *array)
{
  return array->len == 0 ? 0 : pow2_bytes (array->len * sizeof (gpointer));
}

static gsize
hash_table_bytes (GHashTable *table)
{
  guint n = g_hash_table_size (table);
  gsize buckets = 8;

  /* GHashTable keeps at most three quarters of its buckets in use; each bucket holds a key, a
   * value and a hash. */
  while (buckets * 3 < (gsize) n * 4)
    buckets <<= 1;

  return buckets * (2 * sizeof (gpointer) + sizeof (guint)) + 64;
}

static void
append_json_string (GString    *out,
                    const char *str,
                    gsize       len)
{
  const char *run = str;
  const char *end = str + len;

  g_string_append_c (out, '"');

  for (const char *p = str; p < end; p++)
    {
      guchar c = *p;
      const char *escape;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;

      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        default: escape = NULL; break;
        }

      if (escape != NULL)
        g_string_append (out, escape);
      else
        g_string_append_printf (out, "\\u%04x", c);
    }

  g_string_append_len (out, run, end - run);
  g_string_append_c (out, '"');
}

/* The shortest of %.15g…%.17g that reads back the same double: json-glib always prints %.17g,
 * which turns 0.1 into 0.10000000000000001. */
static void
append_json_double (GString *out,
                    double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  /* Keep it a double for readers that care, as json-glib does. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void append_json_node (GString  *out,
                              JsonNode *node);

static void
append_json_object_members (GString    *out,
                            JsonObject *object,
                            gboolean    first)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, name, strlen (name));
      g_string_append_c (out, ':');
      append_json_node (out, node);
    }
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      g_string_append_c (out, '{');
      append_json_object_members (out, json_node_get_object (node), TRUE);
      g_string_append_c (out, '}');
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_json_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          {
            const char *str = json_node_get_string (node);

            append_json_string (out, str, strlen (str));
          }
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

static gboolean
payload_is_text (const MiniEventView *view)
{
  return !view->binary && g_utf8_validate_len ((const char *) view->data, view->data_len, NULL);
}

/* Whether the event's own fields already use @name; they win over a member of extra. */
static gboolean
view_has_member (const MiniEventView *view,
                 const char          *name)
{
  if (g_str_equal (name, "seq") || g_str_equal (name, "t") ||
      g_str_equal (name, "task") || g_str_equal (name, "kind"))
    return TRUE;
  if (g_str_equal (name, "api"))
    return view->api != NULL;
  if (g_str_equal (name, "errMsg"))
    return view->err_msg != NULL;
  if (g_str_equal (name, "data"))
    return view->data != NULL;
  if (g_str_equal (name, "bytes"))
    return view->has_data;
  if (g_str_equal (name, "code"))
    return view->code != MINI_NO_CODE;
  if (g_str_equal (name, "listeners"))
    return view->listeners != NULL;

  return FALSE;
}

/* Writes the line straight from the record: faster than building a JsonObject per event, and
 * "t" keeps exactly three decimals. */
static void
append_event_line (MiniTimeline *self,
                   guint         position,
                   GString      *out)
{
  MiniEventView view;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *kind;

  fill_view (self, position, &view);
  kind = mini_event_kind_to_string (view.kind);

  g_string_append_printf (out, "{\"seq\":%u,\"t\":", view.seq);
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.3f", view.t_us / 1000.0));
  if (view.task != 0)
    g_string_append_printf (out, ",\"task\":%u", view.task);
  else
    g_string_append (out, ",\"task\":null");
  g_string_append (out, ",\"kind\":");
  append_json_string (out, kind, strlen (kind));

  if (view.api != NULL)
    {
      g_string_append (out, ",\"api\":");
      append_json_string (out, view.api, strlen (view.api));
    }

  if (view.err_msg != NULL)
    {
      g_string_append (out, ",\"errMsg\":");
      append_json_string (out, view.err_msg, strlen (view.err_msg));
    }

  if (view.data != NULL)
    {
      g_string_append (out, ",\"data\":");
      if (payload_is_text (&view))
        {
          append_json_string (out, (const char *) view.data, view.data_len);
        }
      else
        {
          g_autofree char *base64 = g_base64_encode (view.data, view.data_len);

          g_string_append (out, "{\"base64\":\"");
          g_string_append (out, base64);
          g_string_append (out, "\"}");
        }
    }

  if (view.has_data)
    g_string_append_printf (out, ",\"bytes\":%" G_GSIZE_FORMAT, view.data_len);

  if (view.code != MINI_NO_CODE)
    g_string_append_printf (out, ",\"code\":%d", view.code);

  if (view.listeners != NULL)
    {
      g_string_append (out, ",\"listeners\":[");
      if (view.listeners[0] != '\0')
        {
          const char *start = view.listeners;

          for (;;)
            {
              const char *nl = strchr (start, '\n');
              gsize len = nl != NULL ? (gsize) (nl - start) : strlen (start);

              append_json_string (out, start, len);
              if (nl == NULL)
                break;
              g_string_append_c (out, ',');
              start = nl + 1;
            }
        }
      g_string_append_c (out, ']');
    }

  if (view.extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, view.extra);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          if (view_has_member (&view, name))
            continue;
          g_string_append_c (out, ',');
          append_json_string (out, name, strlen (name));
          g_string_append_c (out, ':');
          append_json_node (out, node);
        }
    }

  g_string_append_c (out, '}');
}

/* Keeps a summary on one line whatever the producer put in its strings. */
static void
append_single_line (GString    *out,
                    const char *str,
                    gsize       len)
{
  const char *run = str;
  const char *end = str + len;

  for (const char *p = str; p < end; p++)
    {
      guchar c = *p;

      if (c >= 0x20)
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;

      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else
        g_string_append_c (out, ' ');
    }

  g_string_append_len (out, run, end - run);
}

static void
truncate_chars (GString *str,
                gsize    max_chars)
{
  const char *end;

  if (g_utf8_strlen (str->str, str->len) <= (glong) max_chars)
    return;

  end = g_utf8_offset_to_pointer (str->str, max_chars - 1);
  g_string_truncate (str, end - str->str);
  g_string_append (str, "…");
}

/* A member of extra as text: strings as they are, anything else as compact JSON. */
static gboolean
append_extra_member (GString    *out,
                     JsonObject *extra,
                     const char *name)
{
  JsonNode *node;

  if (extra == NULL || (node = json_object_get_member (extra, name)) == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else
    append_json_node (out, node);

  return TRUE;
}

static void
append_message_summary (GString             *out,
                        const MiniEventView *view)
{
  g_autoptr(GString) text = NULL;
  const char *p;
  const char *end;
  gsize n_chars = 0;

  if (view->data == NULL)
    {
      if (view->has_data)
        g_string_append_printf (out, "%" G_GSIZE_FORMAT " bytes", view->data_len);
      return;
    }

  if (!payload_is_text (view))
    {
      g_string_append_printf (out, "binary, %" G_GSIZE_FORMAT " bytes", view->data_len);
      return;
    }

  /* Only the head of a long payload matters; one character past the limit tells truncation. */
  p = (const char *) view->data;
  end = p + view->data_len;
  while (p < end && n_chars <= MESSAGE_MAX_CHARS)
    {
      p = g_utf8_next_char (p);
      n_chars++;
    }

  text = g_string_new (NULL);
  append_single_line (text, (const char *) view->data, p - (const char *) view->data);
  if (p < end)
    g_string_append (text, "…");
  truncate_chars (text, MESSAGE_MAX_CHARS);

  g_string_append_c (out, '"');
  g_string_append_len (out, text->str, text->len);
  g_string_append_c (out, '"');
}

static void
build_summary (const MiniEventView *view,
               GString             *raw)
{
  switch (view->kind)
    {
    case MINI_EVENT_CALL:
      /* The api has a column of its own; the summary shows what was passed. */
      if (view->extra != NULL && json_object_has_member (view->extra, "args"))
        append_json_node (raw, json_object_get_member (view->extra, "args"));
      else
        g_string_append (raw, "()");
      break;

    case MINI_EVENT_RETURN:
      append_extra_member (raw, view->extra, "value");
      /* What a throw throws is the point of the row. */
      if (view->err_msg != NULL)
        g_string_append_printf (raw, " %s", view->err_msg);
      break;

    case MINI_EVENT_SUCCESS:
    case MINI_EVENT_FAIL:
    case MINI_EVENT_COMPLETE:
    case MINI_EVENT_RESOLVE:
    case MINI_EVENT_REJECT:
    case MINI_EVENT_ERROR:
      /* Alipay's payloads carry their text as errorMessage instead of errMsg. */
      if (view->err_msg != NULL)
        g_string_append (raw, view->err_msg);
      else if (!append_extra_member (raw, view->extra, "errorMessage"))
        g_string_append (raw, "{}");
      break;

    case MINI_EVENT_OPEN:
      if (view->extra != NULL && json_object_has_member (view->extra, "protocol"))
        {
          g_string_append (raw, "protocol ");
          append_extra_member (raw, view->extra, "protocol");
        }
      break;

    case MINI_EVENT_MESSAGE:
      break;

    case MINI_EVENT_CLOSE:
      if (view->code != MINI_NO_CODE)
        g_string_append_printf (raw, "%d", view->code);
      if (view->extra != NULL && json_object_has_member (view->extra, "reason"))
        {
          if (raw->len > 0)
            g_string_append_c (raw, ' ');
          append_extra_member (raw, view->extra, "reason");
        }
      break;

    case MINI_EVENT_WIRE:
      if (!append_extra_member (raw, view->extra, "text") && view->has_data)
        g_string_append_printf (raw, "%" G_GSIZE_FORMAT " bytes", view->data_len);
      break;

    case MINI_EVENT_QUIRK:
      append_extra_member (raw, view->extra, "id");
      if (view->extra != NULL && json_object_has_member (view->extra, "text"))
        {
          if (raw->len > 0)
            g_string_append (raw, ": ");
          append_extra_member (raw, view->extra, "text");
        }
      break;

    case MINI_EVENT_ENV:
      if (!append_extra_member (raw, view->extra, "text"))
        append_extra_member (raw, view->extra, "value");
      break;

    case MINI_N_EVENT_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static GType
mini_timeline_get_item_type (GListModel *model)
{
  return MINI_TYPE_EVENT;
}

static guint
mini_timeline_get_n_items (GListModel *model)
{
  return MINI_TIMELINE (model)->n_announced;
}

static gpointer
mini_timeline_get_item (GListModel *model,
                        guint       position)
{
  MiniTimeline *self = MINI_TIMELINE (model);

  if (position >= self->n_announced)
    return NULL;

  return mini_event_new (self, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = mini_timeline_get_item_type;
  iface->get_n_items = mini_timeline_get_n_items;
  iface->get_item = mini_timeline_get_item;
}

static void
mini_timeline_dispose (GObject *object)
{
  MiniTimeline *self = MINI_TIMELINE (object);

  cancel_flush (self);

  G_OBJECT_CLASS (mini_timeline_parent_class)->dispose (object);
}

static void
mini_timeline_finalize (GObject *object)
{
  MiniTimeline *self = MINI_TIMELINE (object);

  storage_free (self);

  G_OBJECT_CLASS (mini_timeline_parent_class)->finalize (object);
}

static void
mini_timeline_class_init (MiniTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_timeline_dispose;
  object_class->finalize = mini_timeline_finalize;
}

static void
mini_timeline_init (MiniTimeline *self)
{
  storage_init (self);
  self->origin = g_get_monotonic_time ();
  self->origin_real = g_get_real_time ();
}

MiniTimeline *
mini_timeline_new (void)
{
  return g_object_new (MINI_TYPE_TIMELINE, NULL);
}

gint64
mini_timeline_get_origin (MiniTimeline *self)
{
  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);

  return self->origin;
}

/* Only later appends see the new origin: stored times are relative already. */
void
mini_timeline_set_origin (MiniTimeline *self,
                          gint64        monotonic_us)
{
  g_return_if_fail (MINI_IS_TIMELINE (self));

  self->origin = monotonic_us;
  self->origin_real = g_get_real_time () - (g_get_monotonic_time () - monotonic_us);
}

/* The wall-clock time, in µs since the epoch, of the origin: the clock a HAR file speaks. */
gint64
mini_timeline_get_origin_real_time (MiniTimeline *self)
{
  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);

  return self->origin_real;
}

/**
 * mini_timeline_append:
 *
 * Stores a copy of @spec. The GListModel hears of it at the next flush.
 *
 * Returns: the seq of the new event (its position + 1), or 0 when @spec was refused.
 */
guint
mini_timeline_append (MiniTimeline        *self,
                      const MiniEventSpec *spec)
{
  gboolean has_data;
  gboolean stored;
  guint32 chunk_index = 0;
  guint32 offset = 0;
  guint32 extra = 0;
  gint64 time_us;
  Record *r;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);
  g_return_val_if_fail (spec != NULL, 0);
  g_return_val_if_fail (spec->kind < MINI_N_EVENT_KINDS, 0);
  g_return_val_if_fail (self->n_events < G_MAXUINT, 0);

  stored = spec->data != NULL && !spec->data_is_size_only;
  has_data = spec->data != NULL || spec->data_is_size_only;
  g_return_val_if_fail (!has_data || spec->data_len <= G_MAXUINT32, 0);

  if (stored && !arena_store (self, spec->data, spec->data_len, &chunk_index, &offset))
    return 0;

  if (spec->extra != NULL && spec->kind == MINI_EVENT_CALL)
    extra = store_extra_text (self, spec->extra);
  if (spec->extra != NULL && extra == 0)
    {
      extra = self->extras->len;
      g_ptr_array_add (self->extras, json_object_ref (spec->extra));
    }

  time_us = spec->time_us != 0 ? spec->time_us : g_get_monotonic_time ();
  /* A time given by the caller (when a socket's I/O thread saw it) may be earlier than an event
   * recorded since: the timeline stays in order, and that event takes the later time. */
  if (self->n_events > 0 && time_us - self->origin < record_at (self, self->n_events - 1)->t_us)
    time_us = self->origin + record_at (self, self->n_events - 1)->t_us;

  r = record_push (self);
  r->t_us = time_us - self->origin;
  r->task = spec->task;
  r->api = intern (self, spec->api, &self->last_api);
  r->err_msg = intern (self, spec->err_msg, &self->last_err_msg);
  r->listeners = intern_listeners (self, spec->listeners);
  r->code = spec->code;
  r->extra = extra;
  r->data_offset = offset;
  r->data_len = has_data ? spec->data_len : 0;
  r->data_chunk = chunk_index;
  r->kind = spec->kind;
  r->flags = (has_data ? RECORD_HAS_DATA : 0) |
             (stored ? RECORD_STORED : 0) |
             (spec->binary ? RECORD_BINARY : 0);

  if (stored)
    self->payload_size += spec->data_len;
  if (spec->step != 0)
    g_hash_table_insert (self->steps, GUINT_TO_POINTER (self->n_events - 1),
                         GUINT_TO_POINTER (spec->step));

  schedule_flush (self);

  return self->n_events;
}

guint
mini_timeline_get_n_events (MiniTimeline *self)
{
  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);

  return self->n_events;
}

/**
 * mini_timeline_get_event:
 *
 * Fills @view for any stored event, announced or not.
 *
 * Returns: %FALSE when @position is past the stored events
 */
gboolean
mini_timeline_get_event (MiniTimeline  *self,
                         guint          position,
                         MiniEventView *view)
{
  g_return_val_if_fail (MINI_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (view != NULL, FALSE);

  if (position >= self->n_events)
    return FALSE;

  fill_view (self, position, view);

  return TRUE;
}

/**
 * mini_timeline_select:
 * @kinds: a bit per #MiniEventKind to select
 * @task: the socketTaskId to select, or %MINI_TIMELINE_ALL_TASKS
 * @positions: (element-type guint): where the matching positions are appended
 *
 * Finds the stored events among the positions [@from, @to) of the given kinds and task. It
 * reads the records alone, with no view or object per event, so a view of the timeline filters
 * a million events in milliseconds.
 */
void
mini_timeline_select (MiniTimeline *self,
                      guint         from,
                      guint         to,
                      guint         kinds,
                      guint         task,
                      GArray       *positions)
{
  g_return_if_fail (MINI_IS_TIMELINE (self));
  g_return_if_fail (positions != NULL);
  g_return_if_fail (g_array_get_element_size (positions) == sizeof (guint));

  to = MIN (to, self->n_events);
  while (from < to)
    {
      const Record *block = g_ptr_array_index (self->blocks, from >> BLOCK_SHIFT);
      guint end = MIN (to, ((from >> BLOCK_SHIFT) + 1) << BLOCK_SHIFT);

      for (; from < end; from++)
        {
          const Record *r = &block[from & (RECORDS_PER_BLOCK - 1)];

          if ((kinds & (1u << r->kind)) != 0 && (task == MINI_TIMELINE_ALL_TASKS || r->task == task))
            g_array_append_val (positions, from);
        }
    }
}

void
mini_timeline_flush (MiniTimeline *self)
{
  g_return_if_fail (MINI_IS_TIMELINE (self));

  cancel_flush (self);
  announce (self);
}

void
mini_timeline_clear (MiniTimeline *self)
{
  guint removed;

  g_return_if_fail (MINI_IS_TIMELINE (self));

  /* Unannounced events vanish silently: nobody was told about them. */
  cancel_flush (self);
  removed = self->n_announced;

  storage_free (self);
  storage_init (self);
  self->origin = g_get_monotonic_time ();
  self->origin_real = g_get_real_time ();

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

/**
 * mini_timeline_get_memory_size:
 *
 * Returns: the bytes allocated for the storage, including unused capacity: record blocks,
 *   payload chunks, the string tables and the extra array (not the JsonObjects themselves)
 */
gsize
mini_timeline_get_memory_size (MiniTimeline *self)
{
  gsize size;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);

  size = sizeof *self;
  size += self->blocks->len * (gsize) RECORDS_PER_BLOCK * sizeof (Record);
  size += ptr_array_bytes (self->blocks);

  for (guint i = 0; i < self->chunks->len; i++)
    size += g_array_index (self->chunks, Chunk, i).size;
  if (self->chunks->len > 0)
    size += pow2_bytes (self->chunks->len * sizeof (Chunk));

  /* Each string is its own malloc block: 8 bytes of header, rounded up to 16. */
  size += self->string_bytes + (self->strings->len - 1) * 16;
  size += ptr_array_bytes (self->strings);
  size += hash_table_bytes (self->string_ids);

  size += ptr_array_bytes (self->extras);
  if (self->extra_texts->len > 0)
    size += pow2_bytes (self->extra_texts->len * sizeof (TextRef));
  size += hash_table_bytes (self->parsed_texts);
  size += hash_table_bytes (self->steps);

  return size;
}

gsize
mini_timeline_get_payload_size (MiniTimeline *self)
{
  g_return_val_if_fail (MINI_IS_TIMELINE (self), 0);

  return self->payload_size;
}

JsonNode *
mini_timeline_event_to_json (MiniTimeline *self,
                             guint         position)
{
  g_autoptr(JsonObject) object = NULL;
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (position < self->n_events, NULL);

  fill_view (self, position, &view);
  object = json_object_new ();

  json_object_set_int_member (object, "seq", view.seq);
  json_object_set_double_member (object, "t", view.t_us / 1000.0);
  if (view.task != 0)
    json_object_set_int_member (object, "task", view.task);
  else
    json_object_set_null_member (object, "task");
  json_object_set_string_member (object, "kind", mini_event_kind_to_string (view.kind));

  if (view.api != NULL)
    json_object_set_string_member (object, "api", view.api);
  if (view.err_msg != NULL)
    json_object_set_string_member (object, "errMsg", view.err_msg);

  if (view.data != NULL)
    {
      if (payload_is_text (&view))
        {
          g_autofree char *text = g_strndup ((const char *) view.data, view.data_len);

          json_object_set_string_member (object, "data", text);
        }
      else
        {
          g_autoptr(JsonObject) base64 = json_object_new ();
          g_autofree char *encoded = g_base64_encode (view.data, view.data_len);

          json_object_set_string_member (base64, "base64", encoded);
          json_object_set_object_member (object, "data", g_steal_pointer (&base64));
        }
    }

  if (view.has_data)
    json_object_set_int_member (object, "bytes", view.data_len);
  if (view.code != MINI_NO_CODE)
    json_object_set_int_member (object, "code", view.code);

  if (view.listeners != NULL)
    {
      g_autoptr(JsonArray) listeners = json_array_new ();

      if (view.listeners[0] != '\0')
        {
          g_auto(GStrv) names = g_strsplit (view.listeners, "\n", -1);

          for (guint i = 0; names[i] != NULL; i++)
            json_array_add_string_element (listeners, names[i]);
        }
      json_object_set_array_member (object, "listeners", g_steal_pointer (&listeners));
    }

  if (view.extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, view.extra);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          if (!json_object_has_member (object, name))
            json_object_set_member (object, name, json_node_copy (node));
        }
    }

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * mini_timeline_event_to_jsonl:
 *
 * Returns: the event as mini_timeline_event_to_json() has it, on one line without newline; "t" is
 *   written with exactly three decimals
 */
char *
mini_timeline_event_to_jsonl (MiniTimeline *self,
                              guint         position)
{
  GString *line;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (position < self->n_events, NULL);

  line = g_string_new (NULL);
  append_event_line (self, position, line);

  return g_string_free (line, FALSE);
}

char *
mini_timeline_event_summary (MiniTimeline *self,
                             guint         position)
{
  g_autoptr(GString) raw = NULL;
  g_autofree char *valid = NULL;
  GString *summary;
  MiniEventView view;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (position < self->n_events, NULL);

  fill_view (self, position, &view);

  if (view.kind == MINI_EVENT_MESSAGE)
    {
      summary = g_string_new (NULL);
      append_message_summary (summary, &view);
    }
  else
    {
      raw = g_string_new (NULL);
      build_summary (&view, raw);
      valid = g_utf8_make_valid (raw->str, raw->len);

      summary = g_string_new (NULL);
      append_single_line (summary, valid, strlen (valid));
      truncate_chars (summary, SUMMARY_MAX_CHARS);
    }

  /* Who received a platform event is half of its story: "nobody" teaches a late registration. */
  if (view.listeners != NULL)
    {
      g_auto(GStrv) names = g_strsplit (view.listeners, "\n", -1);
      g_autofree char *joined = g_strjoinv (", ", names);

      if (summary->len > 0)
        g_string_append (summary, "  ");
      g_string_append_printf (summary, "→ %s", *joined != '\0' ? joined : "(no listener)");
    }

  return g_string_free (summary, FALSE);
}

gboolean
mini_timeline_write_jsonl (MiniTimeline  *self,
                           GOutputStream *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GString) buffer = NULL;

  g_return_val_if_fail (MINI_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  buffer = g_string_sized_new (WRITE_BUFFER_SIZE + 4096);

  for (guint i = 0; i < self->n_events; i++)
    {
      append_event_line (self, i, buffer);
      g_string_append_c (buffer, '\n');

      if (buffer->len >= WRITE_BUFFER_SIZE)
        {
          if (!g_output_stream_write_all (stream, buffer->str, buffer->len, NULL,
                                          cancellable, error))
            return FALSE;
          g_string_truncate (buffer, 0);
        }
    }

  if (buffer->len > 0 &&
      !g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error))
    return FALSE;

  return TRUE;
}
