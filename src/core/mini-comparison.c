/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-comparison"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mini-comparison.h"

/* The same event on the same task beats the same event on another task, and two of the latter
 * beat one of the former: the alignment matches as many events as it can first. */
#define SCORE_SAME_TASK  3
#define SCORE_OTHER_TASK 2
/* Subproblems up to this many table cells are solved with a full table; larger ones are split in
 * two first (Hirschberg), so memory stays linear in the length of the timelines. */
#define FULL_TABLE_CELLS 65536
#define DATA_MAX_CHARS   40

/* One event of a column that takes part in the alignment. */
typedef struct {
  guint  position;
  guint  sig;          /* interned kind, api and what tells events of one kind apart */
  guint  task;
} Item;

/* What the alignment knows of a row built so far. */
typedef struct {
  guint  sig;
  guint  task;
} RowKey;

typedef enum {
  OP_MATCH,
  OP_ONLY_A,
  OP_ONLY_B,
} OpKind;

typedef struct {
  OpKind kind;
  guint  a;
  guint  b;
} Op;

typedef struct {
  const RowKey *a;
  const Item   *b;
  GArray       *ops;
  gint         *forward;    /* scratch rows of the split, length of b + 1 */
  gint         *backward;
} Aligner;

struct _MiniComparison
{
  GObject              parent_instance;

  GPtrArray           *timelines;
  GStrv                names;
  guint                n_columns;
  MiniComparisonFlags  flags;

  GArray              *cells;   /* guint, n_rows × n_columns; MINI_COMPARISON_GAP for a gap */
  GArray              *diffs;   /* MiniDiff, one per row */
  guint                n_differing;
};

G_DEFINE_FINAL_TYPE (MiniComparison, mini_comparison, G_TYPE_OBJECT)

static const struct {
  MiniDiff    diff;
  const char *id;
  const char *label;
} diff_names[MINI_N_DIFFS] = {
  /* Translators: a row of a comparison where some platform has no such event */
  { MINI_DIFF_MISSING, "missing", N_("missing") },
  /* Translators: every platform has the event, but not at the same place in the timeline */
  { MINI_DIFF_ORDER, "order", N_("order") },
  /* Translators: the event belongs to a different SocketTask on some platform */
  { MINI_DIFF_TASK, "task", N_("task") },
  /* Translators: the errMsg field; usually left untranslated */
  { MINI_DIFF_ERR_MSG, "errMsg", N_("errMsg") },
  /* Translators: a close code or HTTP status */
  { MINI_DIFF_CODE, "code", N_("code") },
  /* Translators: a close reason */
  { MINI_DIFF_REASON, "reason", N_("reason") },
  /* Translators: a return value, or an environment change */
  { MINI_DIFF_VALUE, "value", N_("value") },
  /* Translators: which registered listeners received the event */
  { MINI_DIFF_LISTENERS, "listeners", N_("listeners") },
  /* Translators: a message payload */
  { MINI_DIFF_DATA, "data", N_("data") },
};

/* ---- events -------------------------------------------------------------------------------- */

static const char *
extra_string (const MiniEventView *view,
              const char          *member)
{
  JsonNode *node;

  if (view->extra == NULL || (node = json_object_get_member (view->extra, member)) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* What tells two events of one kind apart beyond their api: the rule of a quirk, the kind of a
 * wire event, the change of an environment event. */
static const char *
event_detail (const MiniEventView *view)
{
  switch (view->kind)
    {
    case MINI_EVENT_QUIRK:
      return extra_string (view, "id");
    case MINI_EVENT_WIRE:
      return extra_string (view, "wire");
    case MINI_EVENT_ENV:
      return extra_string (view, "value");
    default:
      return NULL;
    }
}

static guint
intern_signature (GHashTable          *sigs,
                  const MiniEventView *view)
{
  const char *detail = event_detail (view);
  g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%s", mini_event_kind_to_string (view->kind),
                                          view->api != NULL ? view->api : "",
                                          detail != NULL ? detail : "");
  gpointer value;

  if (g_hash_table_lookup_extended (sigs, key, NULL, &value))
    return GPOINTER_TO_UINT (value);

  value = GUINT_TO_POINTER (g_hash_table_size (sigs));
  g_hash_table_insert (sigs, g_steal_pointer (&key), value);
  return GPOINTER_TO_UINT (value);
}

gboolean
mini_comparison_aligns_kind (MiniEventKind       kind,
                             MiniComparisonFlags flags)
{
  if (kind == MINI_EVENT_WIRE)
    return (flags & MINI_COMPARISON_WIRE) != 0;
  return kind < MINI_N_EVENT_KINDS;
}

static GArray *
collect_items (MiniTimeline        *timeline,
               MiniComparisonFlags  flags,
               GHashTable          *sigs)
{
  guint n = mini_timeline_get_n_events (timeline);
  GArray *items = g_array_sized_new (FALSE, FALSE, sizeof (Item), n);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;
      Item item;

      mini_timeline_get_event (timeline, i, &view);
      if (!mini_comparison_aligns_kind (view.kind, flags))
        continue;

      item.position = i;
      item.sig = intern_signature (sigs, &view);
      item.task = view.task;
      g_array_append_val (items, item);
    }

  return items;
}

/* ---- alignment ----------------------------------------------------------------------------- */

static inline gint
score (const Aligner *al,
       guint          i,
       guint          j)
{
  if (al->a[i].sig != al->b[j].sig)
    return 0;
  return al->a[i].task == al->b[j].task ? SCORE_SAME_TASK : SCORE_OTHER_TASK;
}

static void
push_op (Aligner *al,
         OpKind   kind,
         guint    a,
         guint    b)
{
  Op op = { kind, a, b };

  g_array_append_val (al->ops, op);
}

/* row[j]: the best score of a[a0..a1) against b[b0..b0+j). */
static void
last_row_forward (const Aligner *al,
                  guint          a0,
                  guint          a1,
                  guint          b0,
                  guint          b1,
                  gint          *row)
{
  guint m = b1 - b0;

  memset (row, 0, (m + 1) * sizeof *row);
  for (guint i = a0; i < a1; i++)
    {
      gint diag = 0;

      for (guint j = 1; j <= m; j++)
        {
          gint up = row[j];
          gint best = MAX (up, row[j - 1]);
          gint w = score (al, i, b0 + j - 1);

          if (w > 0 && diag + w > best)
            best = diag + w;
          diag = up;
          row[j] = best;
        }
    }
}

/* row[j]: the best score of a[a0..a1) against the last j items of b[b0..b1). */
static void
last_row_backward (const Aligner *al,
                   guint          a0,
                   guint          a1,
                   guint          b0,
                   guint          b1,
                   gint          *row)
{
  guint m = b1 - b0;

  memset (row, 0, (m + 1) * sizeof *row);
  for (guint i = a1; i-- > a0;)
    {
      gint diag = 0;

      for (guint j = 1; j <= m; j++)
        {
          gint up = row[j];
          gint best = MAX (up, row[j - 1]);
          gint w = score (al, i, b1 - j);

          if (w > 0 && diag + w > best)
            best = diag + w;
          diag = up;
          row[j] = best;
        }
    }
}

static void
align_table (Aligner *al,
             guint    a0,
             guint    a1,
             guint    b0,
             guint    b1)
{
  guint n = a1 - a0;
  guint m = b1 - b0;
  g_autofree gint *t = g_new0 (gint, (gsize) (n + 1) * (m + 1));
  g_autoptr(GArray) reversed = g_array_new (FALSE, FALSE, sizeof (Op));
  guint i = n;
  guint j = m;

#define T(i, j) t[(gsize) (i) * (m + 1) + (j)]
  for (guint x = 1; x <= n; x++)
    for (guint y = 1; y <= m; y++)
      {
        gint best = MAX (T (x - 1, y), T (x, y - 1));
        gint w = score (al, a0 + x - 1, b0 + y - 1);

        if (w > 0 && T (x - 1, y - 1) + w > best)
          best = T (x - 1, y - 1) + w;
        T (x, y) = best;
      }

  while (i > 0 || j > 0)
    {
      Op op;

      if (i > 0 && j > 0 && score (al, a0 + i - 1, b0 + j - 1) > 0
          && T (i, j) == T (i - 1, j - 1) + score (al, a0 + i - 1, b0 + j - 1))
        {
          op = (Op) { OP_MATCH, a0 + i - 1, b0 + j - 1 };
          i--;
          j--;
        }
      else if (i > 0 && (j == 0 || T (i, j) == T (i - 1, j)))
        {
          op = (Op) { OP_ONLY_A, a0 + i - 1, 0 };
          i--;
        }
      else
        {
          op = (Op) { OP_ONLY_B, 0, b0 + j - 1 };
          j--;
        }
      g_array_append_val (reversed, op);
    }
#undef T

  for (guint k = reversed->len; k-- > 0;)
    g_array_append_val (al->ops, g_array_index (reversed, Op, k));
}

static void
align_range (Aligner *al,
             guint    a0,
             guint    a1,
             guint    b0,
             guint    b1)
{
  guint n = a1 - a0;
  guint m = b1 - b0;
  guint mid;
  guint split = 0;
  gint best = -1;

  if (n == 0 || m == 0)
    {
      for (guint i = a0; i < a1; i++)
        push_op (al, OP_ONLY_A, i, 0);
      for (guint j = b0; j < b1; j++)
        push_op (al, OP_ONLY_B, 0, j);
      return;
    }

  if ((guint64) (n + 1) * (m + 1) <= FULL_TABLE_CELLS || n == 1)
    {
      align_table (al, a0, a1, b0, b1);
      return;
    }

  mid = a0 + n / 2;
  last_row_forward (al, a0, mid, b0, b1, al->forward);
  last_row_backward (al, mid, a1, b0, b1, al->backward);
  for (guint k = 0; k <= m; k++)
    {
      gint s = al->forward[k] + al->backward[m - k];

      if (s > best)
        {
          best = s;
          split = k;
        }
    }

  align_range (al, a0, mid, b0, b0 + split);
  align_range (al, mid, a1, b0 + split, b1);
}

/* An optimal alignment of @a against @b, as a list of operations in order. Identical heads and
 * tails are matched first: timelines of one scenario mostly agree, and this keeps the quadratic
 * part small. */
static GArray *
align (const RowKey *a,
       guint         n,
       const Item   *b,
       guint         m)
{
  Aligner al = { a, b, g_array_new (FALSE, FALSE, sizeof (Op)), NULL, NULL };
  guint head = 0;
  guint tail = 0;

  while (head < n && head < m && score (&al, head, head) == SCORE_SAME_TASK)
    {
      push_op (&al, OP_MATCH, head, head);
      head++;
    }
  while (tail < n - head && tail < m - head
         && score (&al, n - 1 - tail, m - 1 - tail) == SCORE_SAME_TASK)
    tail++;

  al.forward = g_new (gint, m + 1);
  al.backward = g_new (gint, m + 1);
  align_range (&al, head, n - tail, head, m - tail);
  g_free (al.forward);
  g_free (al.backward);

  for (guint k = tail; k > 0; k--)
    push_op (&al, OP_MATCH, n - k, m - k);

  return al.ops;
}

/* ---- building the rows --------------------------------------------------------------------- */

typedef struct {
  guint   n_columns;
  GArray *cells;        /* guint */
  GArray *keys;         /* RowKey */
} Rows;

static void
rows_append (Rows         *rows,
             const guint  *cells,
             const RowKey *key)
{
  g_array_append_vals (rows->cells, cells, rows->n_columns);
  g_array_append_val (rows->keys, *key);
}

/* Events that only one side has, between two matched ones: the rows so far first, then the new
 * column's, like a diff's removed and added lines. Their times would interleave them more
 * naturally, but times vary from run to run and the output of one scenario must not. */
static void
flush_unmatched (Rows        *out,
                 const Rows  *in,
                 const Item  *items,
                 guint        column,
                 GArray      *only_a,
                 GArray      *only_b)
{
  g_autofree guint *cells = g_new (guint, out->n_columns);

  for (guint k = 0; k < only_a->len; k++)
    {
      guint ra = g_array_index (only_a, guint, k);

      rows_append (out, &g_array_index (in->cells, guint, (gsize) ra * out->n_columns),
                   &g_array_index (in->keys, RowKey, ra));
    }

  for (guint k = 0; k < only_b->len; k++)
    {
      const Item *item = &items[g_array_index (only_b, guint, k)];
      RowKey key = { item->sig, item->task };

      for (guint c = 0; c < out->n_columns; c++)
        cells[c] = MINI_COMPARISON_GAP;
      cells[column] = item->position;
      rows_append (out, cells, &key);
    }

  g_array_set_size (only_a, 0);
  g_array_set_size (only_b, 0);
}

/* Progressive alignment: the rows so far against the next column's events. */
static void
merge_column (Rows       *rows,
              GArray     *items,
              guint       column)
{
  const Item *b = (const Item *) items->data;
  g_autoptr(GArray) ops = align ((const RowKey *) rows->keys->data, rows->keys->len, b, items->len);
  g_autoptr(GArray) only_a = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) only_b = g_array_new (FALSE, FALSE, sizeof (guint));
  Rows out = {
    rows->n_columns,
    g_array_new (FALSE, FALSE, sizeof (guint)),
    g_array_new (FALSE, FALSE, sizeof (RowKey)),
  };

  for (guint k = 0; k < ops->len; k++)
    {
      const Op *op = &g_array_index (ops, Op, k);

      if (op->kind == OP_ONLY_A)
        g_array_append_val (only_a, op->a);
      else if (op->kind == OP_ONLY_B)
        g_array_append_val (only_b, op->b);
      else
        {
          RowKey key = g_array_index (rows->keys, RowKey, op->a);

          flush_unmatched (&out, rows, b, column, only_a, only_b);
          rows_append (&out, &g_array_index (rows->cells, guint, (gsize) op->a * rows->n_columns),
                       &key);
          g_array_index (out.cells, guint, (gsize) (out.keys->len - 1) * out.n_columns + column)
            = b[op->b].position;
        }
    }
  flush_unmatched (&out, rows, b, column, only_a, only_b);

  g_array_unref (rows->cells);
  g_array_unref (rows->keys);
  *rows = out;
}

/* ---- differences --------------------------------------------------------------------------- */

static gboolean
same_data (const MiniEventView *a,
           const MiniEventView *b)
{
  if (a->has_data != b->has_data || a->data_len != b->data_len || a->binary != b->binary)
    return FALSE;
  if (a->data != NULL && b->data != NULL)
    return memcmp (a->data, b->data, a->data_len) == 0;
  return (a->data == NULL) == (b->data == NULL);
}

static MiniDiff
compare_views (const MiniEventView *a,
               const MiniEventView *b)
{
  MiniDiff diff = MINI_DIFF_NONE;

  if (a->task != b->task)
    diff |= MINI_DIFF_TASK;
  if (g_strcmp0 (a->err_msg, b->err_msg) != 0)
    diff |= MINI_DIFF_ERR_MSG;
  if (a->code != b->code)
    diff |= MINI_DIFF_CODE;
  if (g_strcmp0 (extra_string (a, "reason"), extra_string (b, "reason")) != 0)
    diff |= MINI_DIFF_REASON;
  if (g_strcmp0 (extra_string (a, "value"), extra_string (b, "value")) != 0)
    diff |= MINI_DIFF_VALUE;
  if (g_strcmp0 (a->listeners, b->listeners) != 0)
    diff |= MINI_DIFF_LISTENERS;
  if (!same_data (a, b))
    diff |= MINI_DIFF_DATA;

  return diff;
}

static void
compute_diffs (MiniComparison *self,
               GArray         *keys,
               GPtrArray      *column_items,
               guint           n_sigs)
{
  g_autofree guint *counts = g_new0 (guint, (gsize) n_sigs * self->n_columns);
  guint n_rows = self->diffs->len;

  for (guint c = 0; c < self->n_columns; c++)
    {
      GArray *items = g_ptr_array_index (column_items, c);

      for (guint i = 0; i < items->len; i++)
        counts[(gsize) g_array_index (items, Item, i).sig * self->n_columns + c]++;
    }

  for (guint r = 0; r < n_rows; r++)
    {
      const guint *cells = &g_array_index (self->cells, guint, (gsize) r * self->n_columns);
      MiniDiff diff = MINI_DIFF_NONE;
      MiniEventView first = { 0 };
      gboolean have_first = FALSE;
      gboolean gap = FALSE;

      for (guint c = 0; c < self->n_columns; c++)
        {
          MiniEventView view;

          if (cells[c] == MINI_COMPARISON_GAP)
            {
              gap = TRUE;
              continue;
            }
          mini_timeline_get_event (g_ptr_array_index (self->timelines, c), cells[c], &view);
          if (!have_first)
            {
              first = view;
              have_first = TRUE;
            }
          else
            diff |= compare_views (&first, &view);
        }
      g_assert (have_first);

      if (gap)
        {
          guint sig = g_array_index (keys, RowKey, r).sig;
          gboolean same_counts = TRUE;

          /* A gap is only an order difference when every column has as many such events. */
          for (guint c = 1; c < self->n_columns; c++)
            if (counts[(gsize) sig * self->n_columns + c] != counts[(gsize) sig * self->n_columns])
              same_counts = FALSE;
          diff |= same_counts ? MINI_DIFF_ORDER : MINI_DIFF_MISSING;
        }

      g_array_index (self->diffs, MiniDiff, r) = diff;
      if (diff != MINI_DIFF_NONE)
        self->n_differing++;
    }
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
mini_comparison_finalize (GObject *object)
{
  MiniComparison *self = MINI_COMPARISON (object);

  g_clear_pointer (&self->timelines, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->cells, g_array_unref);
  g_clear_pointer (&self->diffs, g_array_unref);

  G_OBJECT_CLASS (mini_comparison_parent_class)->finalize (object);
}

static void
mini_comparison_class_init (MiniComparisonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mini_comparison_finalize;
}

static void
mini_comparison_init (MiniComparison *self)
{
  self->timelines = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * mini_comparison_new:
 * @timelines: the finished timelines, one per column
 * @names: a distinct name per column, such as the dialect id; it keys the cells in JSON
 * @n_columns: at least one
 *
 * Aligns the timelines by their events' kind, api and detail (the rule of a quirk, the kind of a
 * wire or environment event), preferring events of the same task, and marks each row with what
 * differs. Timelines that grow later are not seen.
 */
MiniComparison *
mini_comparison_new (MiniTimeline * const *timelines,
                     const char * const   *names,
                     guint                 n_columns,
                     MiniComparisonFlags   flags)
{
  g_autoptr(MiniComparison) self = NULL;
  g_autoptr(GHashTable) sigs = NULL;
  g_autoptr(GPtrArray) column_items = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  Rows rows;

  g_return_val_if_fail (timelines != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);
  g_return_val_if_fail (n_columns > 0, NULL);

  self = g_object_new (MINI_TYPE_COMPARISON, NULL);
  self->n_columns = n_columns;
  self->flags = flags;

  sigs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  column_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint c = 0; c < n_columns; c++)
    {
      g_return_val_if_fail (MINI_IS_TIMELINE (timelines[c]), NULL);
      g_return_val_if_fail (names[c] != NULL, NULL);

      g_ptr_array_add (self->timelines, g_object_ref (timelines[c]));
      g_strv_builder_add (builder, names[c]);
      g_ptr_array_add (column_items, collect_items (timelines[c], flags, sigs));
    }
  self->names = g_strv_builder_end (builder);

  rows.n_columns = n_columns;
  rows.cells = g_array_new (FALSE, FALSE, sizeof (guint));
  rows.keys = g_array_new (FALSE, FALSE, sizeof (RowKey));
  {
    GArray *items = g_ptr_array_index (column_items, 0);
    g_autofree guint *cells = g_new (guint, n_columns);

    for (guint i = 0; i < items->len; i++)
      {
        const Item *item = &g_array_index (items, Item, i);
        RowKey key = { item->sig, item->task };

        for (guint c = 0; c < n_columns; c++)
          cells[c] = MINI_COMPARISON_GAP;
        cells[0] = item->position;
        rows_append (&rows, cells, &key);
      }
  }
  for (guint c = 1; c < n_columns; c++)
    merge_column (&rows, g_ptr_array_index (column_items, c), c);

  self->cells = rows.cells;
  self->diffs = g_array_new (FALSE, TRUE, sizeof (MiniDiff));
  g_array_set_size (self->diffs, rows.keys->len);
  compute_diffs (self, rows.keys, column_items, g_hash_table_size (sigs));
  g_array_unref (rows.keys);

  return g_steal_pointer (&self);
}

guint
mini_comparison_get_n_columns (MiniComparison *self)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), 0);

  return self->n_columns;
}

MiniTimeline *
mini_comparison_get_timeline (MiniComparison *self,
                              guint           column)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return g_ptr_array_index (self->timelines, column);
}

const char *
mini_comparison_get_name (MiniComparison *self,
                          guint           column)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return self->names[column];
}

guint
mini_comparison_get_n_rows (MiniComparison *self)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), 0);

  return self->diffs->len;
}

guint
mini_comparison_get_n_differing (MiniComparison *self)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), 0);

  return self->n_differing;
}

/**
 * mini_comparison_get_position:
 *
 * Returns: the position in the column's timeline of the row's event, or %MINI_COMPARISON_GAP
 */
guint
mini_comparison_get_position (MiniComparison *self,
                              guint           row,
                              guint           column)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), MINI_COMPARISON_GAP);
  g_return_val_if_fail (row < self->diffs->len, MINI_COMPARISON_GAP);
  g_return_val_if_fail (column < self->n_columns, MINI_COMPARISON_GAP);

  return g_array_index (self->cells, guint, (gsize) row * self->n_columns + column);
}

MiniDiff
mini_comparison_get_diff (MiniComparison *self,
                          guint           row)
{
  g_return_val_if_fail (MINI_IS_COMPARISON (self), MINI_DIFF_NONE);
  g_return_val_if_fail (row < self->diffs->len, MINI_DIFF_NONE);

  return g_array_index (self->diffs, MiniDiff, row);
}

/* Keeps a cell on one line whatever the producer put in its strings. */
static void
append_sanitized (GString    *out,
                  const char *text,
                  gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);

  for (const char *p = valid; *p != '\0'; p++)
    g_string_append_c (out, (guchar) *p < 0x20 ? ' ' : *p);
}

static void
append_quoted (GString    *out,
               const char *text)
{
  g_string_append (out, " \"");
  append_sanitized (out, text, -1);
  g_string_append_c (out, '"');
}

static void
append_data (GString             *out,
             const MiniEventView *view)
{
  const char *text = (const char *) view->data;

  if (view->data == NULL)
    {
      if (view->has_data)
        g_string_append_printf (out, " %" G_GSIZE_FORMAT " B", view->data_len);
      return;
    }
  if (view->binary || !g_utf8_validate (text, view->data_len, NULL))
    {
      g_string_append_printf (out, " binary %" G_GSIZE_FORMAT " B", view->data_len);
      return;
    }

  g_string_append (out, " \"");
  if (g_utf8_strlen (text, view->data_len) > DATA_MAX_CHARS)
    {
      append_sanitized (out, text, g_utf8_offset_to_pointer (text, DATA_MAX_CHARS - 1) - text);
      g_string_append (out, "…");
    }
  else
    append_sanitized (out, text, view->data_len);
  g_string_append_c (out, '"');
}

/**
 * mini_comparison_dup_cell_text:
 *
 * Returns: (nullable): the cell's event on one line, such as
 *   `#1 fail closeSocket "closeSocket:fail WebSocket is not connected"`; %NULL for a gap
 */
char *
mini_comparison_dup_cell_text (MiniComparison *self,
                               guint           row,
                               guint           column)
{
  guint position = mini_comparison_get_position (self, row, column);
  MiniEventView view;
  GString *out;
  const char *text;

  if (position == MINI_COMPARISON_GAP)
    return NULL;

  mini_timeline_get_event (g_ptr_array_index (self->timelines, column), position, &view);
  out = g_string_new (NULL);
  if (view.task != 0)
    g_string_append_printf (out, "#%u ", view.task);
  g_string_append (out, mini_event_kind_to_string (view.kind));
  if (view.api != NULL)
    g_string_append_printf (out, " %s", view.api);

  switch (view.kind)
    {
    case MINI_EVENT_RETURN:
      if ((text = extra_string (&view, "value")) != NULL)
        g_string_append_printf (out, " %s", text);
      if (view.err_msg != NULL)
        append_quoted (out, view.err_msg);
      break;

    case MINI_EVENT_OPEN:
      if ((text = extra_string (&view, "protocol")) != NULL)
        g_string_append_printf (out, " protocol %s", text);
      break;

    case MINI_EVENT_MESSAGE:
      append_data (out, &view);
      break;

    case MINI_EVENT_CLOSE:
      if (view.code != MINI_NO_CODE)
        g_string_append_printf (out, " %d", view.code);
      if ((text = extra_string (&view, "reason")) != NULL)
        append_quoted (out, text);
      break;

    case MINI_EVENT_WIRE:
      if ((text = extra_string (&view, "text")) != NULL)
        {
          g_string_append_c (out, ' ');
          append_sanitized (out, text, -1);
        }
      if (view.has_data)
        append_data (out, &view);
      break;

    case MINI_EVENT_QUIRK:
    case MINI_EVENT_ENV:
      if ((text = event_detail (&view)) != NULL)
        g_string_append_printf (out, " %s", text);
      break;

    case MINI_EVENT_CALL:
      break;

    case MINI_EVENT_SUCCESS:
    case MINI_EVENT_FAIL:
    case MINI_EVENT_COMPLETE:
    case MINI_EVENT_RESOLVE:
    case MINI_EVENT_REJECT:
    case MINI_EVENT_ERROR:
      if (view.err_msg != NULL)
        append_quoted (out, view.err_msg);
      break;

    case MINI_N_EVENT_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (view.listeners != NULL)
    {
      g_auto(GStrv) names = g_strsplit (view.listeners, "\n", -1);
      g_autofree char *joined = g_strjoinv (", ", names);

      g_string_append (out, " → ");
      /* Translators: who received a platform event when nobody was listening */
      g_string_append (out, *joined != '\0' ? joined : _("(no listener)"));
    }

  return g_string_free (out, FALSE);
}

/**
 * mini_comparison_dup_diff_label:
 *
 * Returns: what differs in the row, for a person, e.g. "missing" or "errMsg, code"; "" when
 *   nothing does
 */
char *
mini_comparison_dup_diff_label (MiniComparison *self,
                                guint           row)
{
  MiniDiff diff = mini_comparison_get_diff (self, row);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < MINI_N_DIFFS; i++)
    {
      if ((diff & diff_names[i].diff) == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, _(diff_names[i].label));
    }

  return g_string_free (out, FALSE);
}

/**
 * mini_comparison_row_to_json:
 *
 * Returns: the row as `{"row": n, "same": bool, "diff": [ids], "cells": {name: event or null}}`,
 *   with each event as in the timeline's JSON Lines
 */
JsonNode *
mini_comparison_row_to_json (MiniComparison *self,
                             guint           row)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) diffs = json_array_new ();
  g_autoptr(JsonObject) cells = json_object_new ();
  MiniDiff diff;

  g_return_val_if_fail (MINI_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (row < self->diffs->len, NULL);

  diff = mini_comparison_get_diff (self, row);
  for (guint i = 0; i < MINI_N_DIFFS; i++)
    if ((diff & diff_names[i].diff) != 0)
      json_array_add_string_element (diffs, diff_names[i].id);

  for (guint c = 0; c < self->n_columns; c++)
    {
      guint position = mini_comparison_get_position (self, row, c);

      if (position == MINI_COMPARISON_GAP)
        json_object_set_null_member (cells, self->names[c]);
      else
        json_object_set_member (cells, self->names[c],
                                mini_timeline_event_to_json (g_ptr_array_index (self->timelines, c),
                                                             position));
    }

  json_object_set_int_member (object, "row", row + 1);
  json_object_set_boolean_member (object, "same", diff == MINI_DIFF_NONE);
  json_object_set_array_member (object, "diff", g_steal_pointer (&diffs));
  json_object_set_object_member (object, "cells", g_steal_pointer (&cells));

  return json_node_init_object (json_node_alloc (), object);
}

/**
 * mini_comparison_row_to_jsonl:
 *
 * Returns: the row as mini_comparison_row_to_json() has it, on one line without newline, with
 *   each event written as the timeline's JSON Lines write it ("t" with exactly three decimals)
 */
char *
mini_comparison_row_to_jsonl (MiniComparison *self,
                              guint           row)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *head = NULL;
  JsonObject *object;
  GString *line;

  g_return_val_if_fail (MINI_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (row < self->diffs->len, NULL);

  /* Everything but the cells from the JSON form; the cells from the timelines' own lines. */
  node = mini_comparison_row_to_json (self, row);
  object = json_node_get_object (node);
  json_object_remove_member (object, "cells");
  head = json_to_string (node, FALSE);

  line = g_string_new (NULL);
  g_string_append_len (line, head, strlen (head) - 1);
  g_string_append (line, ",\"cells\":{");
  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), self->names[c]);
      g_autofree char *quoted = json_to_string (name, FALSE);
      guint position = mini_comparison_get_position (self, row, c);

      if (c > 0)
        g_string_append_c (line, ',');
      g_string_append (line, quoted);
      g_string_append_c (line, ':');
      if (position == MINI_COMPARISON_GAP)
        {
          g_string_append (line, "null");
        }
      else
        {
          g_autofree char *event = mini_timeline_event_to_jsonl (g_ptr_array_index (self->timelines,
                                                                                    c),
                                                                 position);

          g_string_append (line, event);
        }
    }
  g_string_append (line, "}}");

  return g_string_free (line, FALSE);
}

/**
 * mini_diff_to_string:
 * @diff: one flag
 *
 * Returns: the flag's stable id, as in JSON: "missing", "order", "task", "errMsg", "code",
 *   "reason", "value", "listeners" or "data"
 */
const char *
mini_diff_to_string (MiniDiff diff)
{
  for (guint i = 0; i < MINI_N_DIFFS; i++)
    if (diff_names[i].diff == diff)
      return diff_names[i].id;

  g_return_val_if_reached (NULL);
}

/**
 * mini_diff_get_label:
 * @diff: one flag
 *
 * Returns: the flag's translated label
 */
const char *
mini_diff_get_label (MiniDiff diff)
{
  for (guint i = 0; i < MINI_N_DIFFS; i++)
    if (diff_names[i].diff == diff)
      return _(diff_names[i].label);

  g_return_val_if_reached (NULL);
}
