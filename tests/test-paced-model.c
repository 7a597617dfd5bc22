/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gtk/gtk.h>

#include "mini-paced-model.h"

/* MiniPacedModel over a GtkStringList, its frames stepped by hand. What a list view would see is
 * rebuilt from the model's items-changed alone, and must always be the first items of the
 * source, in order. */

#define PER_FRAME   16
#define PACED_BELOW 64

typedef struct {
  GtkStringList  *source;
  MiniPacedModel *paced;
  GPtrArray      *seen;    /* the strings, as items-changed told them */
  guint           n_signals;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fx)
{
  g_assert_cmpuint (position + removed, <=, fx->seen->len);
  g_ptr_array_remove_range (fx->seen, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position + i);

      g_assert_nonnull (item);
      g_ptr_array_insert (fx->seen, position + i, g_strdup (gtk_string_object_get_string (item)));
    }
  fx->n_signals++;
}

/* The view's rows are the model's items, which are the source's first ones. */
static void
assert_consistent (Fixture *fx)
{
  GListModel *paced = G_LIST_MODEL (fx->paced);
  guint n = g_list_model_get_n_items (paced);

  g_assert_cmpuint (fx->seen->len, ==, n);
  g_assert_cmpuint (n + mini_paced_model_get_held (fx->paced), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (fx->source)));
  g_assert_null (g_list_model_get_item (paced, n));
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (fx->seen, i), ==,
                     gtk_string_list_get_string (fx->source, i));
}

static void
append (Fixture *fx,
        guint    n)
{
  static guint counter;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("item %u", ++counter);

      gtk_string_list_append (fx->source, name);
    }
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->source = gtk_string_list_new (NULL);
  append (fx, GPOINTER_TO_UINT (data));
  fx->paced = mini_paced_model_new (g_object_ref (G_LIST_MODEL (fx->source)), PER_FRAME,
                                    PACED_BELOW);
  fx->seen = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fx->paced)); i++)
    g_ptr_array_add (fx->seen, g_strdup (gtk_string_list_get_string (fx->source, i)));
  g_signal_connect (fx->paced, "items-changed", G_CALLBACK (on_items_changed), fx);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->paced);
  g_clear_object (&fx->source);
  g_clear_pointer (&fx->seen, g_ptr_array_unref);
}

/* A burst into an empty list comes in a share per frame, twice that once it has stopped
 * coming, until the list is long enough for everything to pass. */
static void
test_burst (Fixture       *fx,
            gconstpointer  data)
{
  guint shown;

  append (fx, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, PER_FRAME);
  assert_consistent (fx);

  /* The first frame after the burst came in. */
  mini_paced_model_next_frame (fx->paced);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 2 * PER_FRAME);
  assert_consistent (fx);

  for (shown = 4 * PER_FRAME; shown <= PACED_BELOW; shown += 2 * PER_FRAME)
    {
      mini_paced_model_next_frame (fx->paced);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, shown);
      assert_consistent (fx);
    }

  mini_paced_model_next_frame (fx->paced);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 1000);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 0);
  assert_consistent (fx);

  /* Long enough: the next burst passes at once. */
  append (fx, 500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 1500);
  assert_consistent (fx);
}

/* While the burst keeps coming, each frame lets in one share. */
static void
test_still_coming (Fixture       *fx,
                   gconstpointer  data)
{
  append (fx, 1000);
  for (guint frame = 2; frame <= PACED_BELOW / PER_FRAME; frame++)
    {
      append (fx, 10);
      mini_paced_model_next_frame (fx->paced);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==,
                        frame * PER_FRAME);
      assert_consistent (fx);
    }
}

/* A trickle within a frame's share is not held; the share is for the frame, not each change. */
static void
test_trickle (Fixture       *fx,
              gconstpointer  data)
{
  append (fx, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 10);
  append (fx, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, PER_FRAME);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 20 - PER_FRAME);
  assert_consistent (fx);

  mini_paced_model_next_frame (fx->paced);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 20);
  assert_consistent (fx);
}

/* Changes among the items shown pass at once, while others are held. */
static void
test_changes (Fixture       *fx,
              gconstpointer  data)
{
  const char *three[] = { "a", "b", "c", NULL };

  append (fx, 40);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 40 - PER_FRAME);

  /* Removed and inserted among the shown items. */
  gtk_string_list_splice (fx->source, 2, 3, three);
  assert_consistent (fx);
  gtk_string_list_remove (fx->source, 0);
  assert_consistent (fx);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, PER_FRAME - 1);

  /* Removed across the end of the shown items: what takes their place is shown. */
  gtk_string_list_splice (fx->source, PER_FRAME - 4, 10, three);
  assert_consistent (fx);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, PER_FRAME - 1);

  /* Removed among the held ones only: nothing to tell. */
  {
    guint before = fx->n_signals;

    gtk_string_list_remove (fx->source, g_list_model_get_n_items (G_LIST_MODEL (fx->source)) - 1);
    g_assert_cmpuint (fx->n_signals, ==, before);
    assert_consistent (fx);
  }

  /* Everything removed, as when the timeline is cleared. */
  gtk_string_list_splice (fx->source, 0, g_list_model_get_n_items (G_LIST_MODEL (fx->source)),
                          NULL);
  assert_consistent (fx);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 0);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 0);
}

/* Before the view moves to a row, every held item is shown, in one change. */
static void
test_flush (Fixture       *fx,
            gconstpointer  data)
{
  guint before;

  append (fx, 300);
  before = fx->n_signals;
  mini_paced_model_flush (fx->paced);
  g_assert_cmpuint (fx->n_signals, ==, before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 300);
  assert_consistent (fx);

  mini_paced_model_flush (fx->paced);
  g_assert_cmpuint (fx->n_signals, ==, before + 1);
}

/* A list already long when made passes everything. */
static void
test_long (Fixture       *fx,
           gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 100);
  append (fx, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->paced)), ==, 1100);
  assert_consistent (fx);
}

/* With a widget off screen no frame comes, so nothing is held for it. */
static void
test_unmapped_widget (Fixture       *fx,
                      gconstpointer  data)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

  append (fx, 40);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 40 - PER_FRAME);
  mini_paced_model_set_widget (fx->paced, label);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 0);
  append (fx, 40);
  g_assert_cmpuint (mini_paced_model_get_held (fx->paced), ==, 0);
  assert_consistent (fx);

  /* The model outlives the widget. */
  g_object_unref (label);
  append (fx, 40);
  assert_consistent (fx);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/paced-model/burst", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_burst,
              fixture_tear_down);
  g_test_add ("/paced-model/still-coming", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_still_coming, fixture_tear_down);
  g_test_add ("/paced-model/trickle", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_trickle,
              fixture_tear_down);
  g_test_add ("/paced-model/changes", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_changes,
              fixture_tear_down);
  g_test_add ("/paced-model/flush", Fixture, GUINT_TO_POINTER (0), fixture_set_up, test_flush,
              fixture_tear_down);
  g_test_add ("/paced-model/long", Fixture, GUINT_TO_POINTER (100), fixture_set_up, test_long,
              fixture_tear_down);
  g_test_add ("/paced-model/unmapped-widget", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_unmapped_widget, fixture_tear_down);

  return g_test_run ();
}
