/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-compare-window.h"

#define MAX_DIALECTS 4

struct _MiniCompareWindow
{
  GtkWindow       parent_instance;

  MiniScenario   *scenario;
  char           *playground_url;
  GStrv           all_ids;
  GPtrArray      *checks;       /* GtkCheckButton, one per dialect */
  GPtrArray      *timelines;    /* of the run going on */
  GStrv           run_ids;
  MiniRuntime    *runtime;
  GCancellable   *cancellable;
  MiniComparison *comparison;

  GtkLabel       *summary;
  GtkButton      *compare_button;
  GtkColumnView  *table;
};

G_DEFINE_FINAL_TYPE (MiniCompareWindow, mini_compare_window, GTK_TYPE_WINDOW)

static void run_next (MiniCompareWindow *self);

static void
set_summary (MiniCompareWindow *self,
             const char        *text)
{
  gtk_label_set_text (self->summary, text);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_item_set_child (item, label);
}

/* The column index is on the factory; G_MAXUINT is the column that says what differs. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           MiniCompareWindow        *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint row = gtk_list_item_get_position (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  if (self->comparison == NULL || row >= mini_comparison_get_n_rows (self->comparison))
    return;

  if (column == G_MAXUINT)
    text = mini_comparison_dup_diff_label (self->comparison, row);
  else
    text = mini_comparison_dup_cell_text (self->comparison, row, column);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "—");
  if (mini_comparison_get_diff (self->comparison, row) != MINI_DIFF_NONE)
    gtk_widget_add_css_class (label, "compare-differs");
  else
    gtk_widget_remove_css_class (label, "compare-differs");
  if (column != G_MAXUINT && text == NULL)
    gtk_widget_add_css_class (label, "compare-gap");
  else
    gtk_widget_remove_css_class (label, "compare-gap");
}

static void
add_column (MiniCompareWindow *self,
            const char        *title,
            guint              column)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell), self, 0);
  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_expand (view_column, TRUE);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->table, view_column);
}

static void
show_comparison (MiniCompareWindow *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->table);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *summary = NULL;
  guint n = mini_comparison_get_n_rows (self->comparison);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->table, column);
    }
  for (guint i = 0; i < mini_comparison_get_n_columns (self->comparison); i++)
    add_column (self, mini_comparison_get_name (self->comparison, i), i);
  /* Translators: the column of a comparison that says how a row differs */
  add_column (self, _("Differs in"), G_MAXUINT);

  /* The rows are positions; the cells read the comparison. */
  for (guint i = 0; i < n; i++)
    gtk_string_list_take (rows, g_strdup_printf ("%u", i));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));

  /* Translators: a comparison's summary, e.g. "13 of 24 rows differ" */
  summary = g_strdup_printf (ngettext ("%u of %u row differs", "%u of %u rows differ", n),
                             mini_comparison_get_n_differing (self->comparison), n);
  set_summary (self, summary);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MiniCompareWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mini_scenario_run_finish (MINI_SCENARIO (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_summary (self, error->message);
      return;
    }

  g_clear_object (&self->runtime);
  run_next (self);
}

/* One platform after the other: each run has the main loop, and so its timing, to itself. */
static void
run_next (MiniCompareWindow *self)
{
  guint i = self->timelines->len;
  g_autoptr(MiniTimeline) timeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *progress = NULL;

  if (self->run_ids[i] == NULL)
    {
      g_clear_object (&self->comparison);
      self->comparison = mini_comparison_new ((MiniTimeline * const *) self->timelines->pdata,
                                              (const char * const *) self->run_ids,
                                              self->timelines->len, MINI_COMPARISON_DEFAULT);
      show_comparison (self);
      gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), TRUE);
      return;
    }

  timeline = mini_timeline_new ();
  self->runtime = mini_scenario_create_runtime (self->scenario, self->run_ids[i], timeline,
                                                self->playground_url, &error);
  if (self->runtime == NULL)
    {
      set_summary (self, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), TRUE);
      return;
    }
  g_ptr_array_add (self->timelines, g_steal_pointer (&timeline));

  /* Translators: %s is a platform id such as wx-legacy */
  progress = g_strdup_printf (_("Running on %s…"), self->run_ids[i]);
  set_summary (self, progress);
  mini_scenario_run_async (self->scenario, self->runtime, self->cancellable, on_run_done,
                           g_object_ref (self));
}

static void
on_compare_clicked (MiniCompareWindow *self)
{
  mini_compare_window_run (self);
}

static void
mini_compare_window_dispose (GObject *object)
{
  MiniCompareWindow *self = MINI_COMPARE_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runtime != NULL)
    mini_runtime_shutdown (self->runtime);
  g_clear_object (&self->runtime);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->comparison);
  g_clear_object (&self->scenario);
  g_clear_pointer (&self->timelines, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (mini_compare_window_parent_class)->dispose (object);
}

static void
mini_compare_window_finalize (GObject *object)
{
  MiniCompareWindow *self = MINI_COMPARE_WINDOW (object);

  g_free (self->playground_url);
  g_strfreev (self->all_ids);
  g_strfreev (self->run_ids);

  G_OBJECT_CLASS (mini_compare_window_parent_class)->finalize (object);
}

static void
mini_compare_window_class_init (MiniCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_compare_window_dispose;
  object_class->finalize = mini_compare_window_finalize;
}

static void
mini_compare_window_init (MiniCompareWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *choices = gtk_flow_box_new ();
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  static const char * const defaults[] = { "wx-legacy", "wx", "web", "uni-h5", NULL };

  self->cancellable = g_cancellable_new ();
  self->checks = g_ptr_array_new ();
  self->timelines = g_ptr_array_new_with_free_func (g_object_unref);
  self->all_ids = mini_dialect_list_ids ();

  gtk_window_set_title (GTK_WINDOW (self), _("Compare Platforms"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 700);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (choices), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (choices), 7);
  for (guint i = 0; self->all_ids[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (self->all_ids[i]);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strv_contains (defaults, self->all_ids[i]));
      gtk_flow_box_append (GTK_FLOW_BOX (choices), check);
      g_ptr_array_add (self->checks, check);
    }

  self->compare_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Compare")));
  gtk_widget_add_css_class (GTK_WIDGET (self->compare_button), "suggested-action");
  g_signal_connect_object (self->compare_button, "clicked", G_CALLBACK (on_compare_clicked), self,
                           G_CONNECT_SWAPPED);
  self->summary = GTK_LABEL (gtk_label_new (_("Pick two to four platforms, then Compare.")));
  gtk_label_set_xalign (self->summary, 0);
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary), TRUE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->summary));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->compare_button));

  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->table, TRUE);
  gtk_column_view_set_show_row_separators (self->table, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "compare");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->table));
  gtk_widget_set_vexpand (scroller, TRUE);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), choices);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_window_set_child (GTK_WINDOW (self), box);
}

MiniCompareWindow *
mini_compare_window_new (GtkWindow    *parent,
                         MiniScenario *scenario,
                         const char   *playground_url)
{
  MiniCompareWindow *self;
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;

  g_return_val_if_fail (MINI_IS_SCENARIO (scenario), NULL);

  self = g_object_new (MINI_TYPE_COMPARE_WINDOW, "transient-for", parent, NULL);
  self->scenario = g_object_ref (scenario);
  self->playground_url = g_strdup (playground_url);
  title = mini_scenario_dup_title (scenario);
  /* Translators: the compare window's title; %s is a scenario's title */
  window_title = g_strdup_printf (_("Compare: %s"), title != NULL ? title
                                                                 : mini_scenario_get_origin (scenario));
  gtk_window_set_title (GTK_WINDOW (self), window_title);

  return self;
}

/* Ticks exactly @ids, for a test or a caller that knows what it wants. */
void
mini_compare_window_set_dialects (MiniCompareWindow  *self,
                                  const char * const *ids)
{
  g_return_if_fail (MINI_IS_COMPARE_WINDOW (self));

  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i),
                                 g_strv_contains (ids, self->all_ids[i]));
}

/* Runs the scenario on each ticked platform, then shows the comparison. */
void
mini_compare_window_run (MiniCompareWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  g_return_if_fail (MINI_IS_COMPARE_WINDOW (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        {
          g_strv_builder_add (builder, self->all_ids[i]);
          n++;
        }
    }
  if (n < 2 || n > MAX_DIALECTS)
    {
      set_summary (self, _("Pick two to four platforms to compare."));
      return;
    }

  g_strfreev (self->run_ids);
  self->run_ids = g_strv_builder_end (builder);
  g_ptr_array_set_size (self->timelines, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), FALSE);
  run_next (self);
}

/**
 * mini_compare_window_get_comparison:
 *
 * Returns: (transfer none) (nullable): the comparison shown, once every run ended
 */
MiniComparison *
mini_compare_window_get_comparison (MiniCompareWindow *self)
{
  g_return_val_if_fail (MINI_IS_COMPARE_WINDOW (self), NULL);
  return self->comparison;
}

const char *
mini_compare_window_get_summary (MiniCompareWindow *self)
{
  g_return_val_if_fail (MINI_IS_COMPARE_WINDOW (self), NULL);
  return gtk_label_get_text (self->summary);
}
