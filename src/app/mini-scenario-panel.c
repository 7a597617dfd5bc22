/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mini-app-util.h"
#include "mini-scenario-panel.h"

struct _MiniScenarioPanel
{
  GtkWidget           parent_instance;

  GListStore         *scenarios;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;       /* case-folded, or NULL */
  gboolean            syncing_entry;
  MiniScenario       *scenario;
  GtkStringList      *steps;
  GtkSingleSelection *step_selection;

  GtkStack           *stack;
  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;
  GtkLabel           *title_label;
  GtkLabel           *description_label;
  GtkLabel           *origin_label;
  GtkLabel           *state_label;
  GtkListView        *steps_view;
};

G_DEFINE_FINAL_TYPE (MiniScenarioPanel, mini_scenario_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SCENARIO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Title, description and file name, in the UI's language, each folded once per search. */
static gboolean
match_scenario (gpointer item,
                gpointer user_data)
{
  MiniScenarioPanel *self = user_data;
  MiniScenario *scenario = item;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  if (self->search == NULL)
    return TRUE;

  title = mini_scenario_dup_title (scenario);
  description = mini_scenario_dup_description (scenario);
  text = g_strjoin ("\n", mini_scenario_get_origin (scenario), title != NULL ? title : "",
                    description != NULL ? description : "", NULL);
  folded = g_utf8_casefold (text, -1);

  return strstr (folded, self->search) != NULL;
}

static void
on_search_changed (MiniScenarioPanel *self)
{
  /* Setting the entry's text empties it first, which it reports at once. */
  if (self->syncing_entry)
    return;
  mini_scenario_panel_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_scenario_activated (MiniScenarioPanel *self,
                       guint              position)
{
  g_autoptr(MiniScenario) scenario = g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                            position);

  if (scenario != NULL)
    mini_scenario_panel_open (self, scenario);
}

static void
setup_scenario_row (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  /* One line each; the full text is the row's tooltip and the opened scenario's page. */
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), description);
  gtk_list_item_set_child (item, box);
}

static void
bind_scenario_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  MiniScenario *scenario = gtk_list_item_get_item (item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *description = gtk_widget_get_next_sibling (title);
  g_autofree char *title_text = mini_scenario_dup_title (scenario);
  g_autofree char *description_text = mini_scenario_dup_description (scenario);

  gtk_label_set_text (GTK_LABEL (title), title_text != NULL ? title_text
                                                            : mini_scenario_get_origin (scenario));
  gtk_label_set_text (GTK_LABEL (description), description_text != NULL ? description_text : "");
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), description_text);
}

static void
setup_step_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *number = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_set_valign (number, GTK_ALIGN_START);
  gtk_label_set_width_chars (GTK_LABEL (number), 2);
  gtk_label_set_xalign (GTK_LABEL (number), 1);
  gtk_widget_add_css_class (number, "numeric");
  gtk_widget_add_css_class (number, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (text, "monospace");
  gtk_widget_add_css_class (text, "caption");
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (item, box);
}

static void
bind_step_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *number = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *text = gtk_widget_get_next_sibling (number);
  g_autofree char *label = g_strdup_printf ("%u", gtk_list_item_get_position (item) + 1);

  gtk_label_set_text (GTK_LABEL (number), label);
  gtk_label_set_text (GTK_LABEL (text), gtk_string_object_get_string (string));
}

static void
load_bundled (MiniScenarioPanel *self)
{
  g_auto(GStrv) names = mini_scenario_list_bundled ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MiniScenario) scenario = mini_scenario_new_from_resource (names[i], &error);

      /* The golden tests keep every bundled scenario valid; a broken one is left out, loudly. */
      if (scenario == NULL)
        g_critical ("%s", error->message);
      else
        g_list_store_append (self->scenarios, scenario);
    }
}

static void
mini_scenario_panel_dispose (GObject *object)
{
  MiniScenarioPanel *self = MINI_SCENARIO_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_SCENARIO_PANEL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->scenarios);
  g_clear_object (&self->scenario);
  g_clear_object (&self->step_selection);
  g_clear_object (&self->steps);

  G_OBJECT_CLASS (mini_scenario_panel_parent_class)->dispose (object);
}

static void
mini_scenario_panel_finalize (GObject *object)
{
  MiniScenarioPanel *self = MINI_SCENARIO_PANEL (object);

  g_free (self->search);

  G_OBJECT_CLASS (mini_scenario_panel_parent_class)->finalize (object);
}

static void
mini_scenario_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MiniScenarioPanel *self = MINI_SCENARIO_PANEL (object);

  switch (prop_id)
    {
    case PROP_SCENARIO:
      g_value_set_object (value, self->scenario);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_scenario_panel_class_init (MiniScenarioPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_scenario_panel_dispose;
  object_class->finalize = mini_scenario_panel_finalize;
  object_class->get_property = mini_scenario_panel_get_property;

  properties[PROP_SCENARIO] =
    g_param_spec_object ("scenario", NULL, NULL,
                         MINI_TYPE_SCENARIO,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               MINI_UI_PREFIX "mini-scenario-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, description_label);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, origin_label);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, MiniScenarioPanel, steps_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scenario_activated);
  gtk_widget_class_bind_template_callback (widget_class, mini_scenario_panel_show_library);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mini_scenario_panel_init (MiniScenarioPanel *self)
{
  g_autoptr(GtkListItemFactory) rows = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) step_rows = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scenarios = g_list_store_new (MINI_TYPE_SCENARIO);
  load_bundled (self);
  self->filter = gtk_custom_filter_new (match_scenario, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->scenarios)),
                                              GTK_FILTER (self->filter));

  g_signal_connect (rows, "setup", G_CALLBACK (setup_scenario_row), NULL);
  g_signal_connect (rows, "bind", G_CALLBACK (bind_scenario_row), NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->list_view, rows);
  g_object_unref (selection);

  /* The step a step-by-step run does next is the selected one. */
  self->steps = gtk_string_list_new (NULL);
  self->step_selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->steps)));
  gtk_single_selection_set_autoselect (self->step_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->step_selection, TRUE);
  gtk_single_selection_set_selected (self->step_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (step_rows, "setup", G_CALLBACK (setup_step_row), NULL);
  g_signal_connect (step_rows, "bind", G_CALLBACK (bind_step_row), NULL);
  gtk_list_view_set_model (self->steps_view, GTK_SELECTION_MODEL (self->step_selection));
  gtk_list_view_set_factory (self->steps_view, step_rows);
  gtk_widget_set_can_target (GTK_WIDGET (self->steps_view), FALSE);
}

GtkWidget *
mini_scenario_panel_new (void)
{
  return g_object_new (MINI_TYPE_SCENARIO_PANEL, NULL);
}

/**
 * mini_scenario_panel_get_model:
 *
 * Returns: (transfer none): the scenarios the search leaves, as listed
 */
GListModel *
mini_scenario_panel_get_model (MiniScenarioPanel *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
mini_scenario_panel_set_search (MiniScenarioPanel *self,
                                const char        *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (MINI_IS_SCENARIO_PANEL (self));

  if (text != NULL && *text != '\0')
    folded = g_utf8_casefold (text, -1);
  if (g_strcmp0 (folded, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 text != NULL ? text : "") != 0)
    {
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      self->syncing_entry = FALSE;
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/**
 * mini_scenario_panel_get_scenario:
 *
 * Returns: (transfer none) (nullable): the scenario opened
 */
MiniScenario *
mini_scenario_panel_get_scenario (MiniScenarioPanel *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), NULL);
  return self->scenario;
}

/* Shows a scenario's title, description and steps, bundled or from a file. */
void
mini_scenario_panel_open (MiniScenarioPanel *self,
                          MiniScenario      *scenario)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) texts = NULL;
  const char *dialect;

  g_return_if_fail (MINI_IS_SCENARIO_PANEL (self));
  g_return_if_fail (MINI_IS_SCENARIO (scenario));

  g_set_object (&self->scenario, scenario);

  title = mini_scenario_dup_title (scenario);
  description = mini_scenario_dup_description (scenario);
  dialect = mini_scenario_get_dialect_id (scenario) != NULL ? mini_scenario_get_dialect_id (scenario)
                                                           : "wx";
  /* Translators: under a scenario's description: its file and the platform it runs on */
  origin = g_strdup_printf (_("%s · runs on %s"), mini_scenario_get_origin (scenario), dialect);
  gtk_label_set_text (self->title_label, title != NULL ? title : mini_scenario_get_origin (scenario));
  gtk_label_set_text (self->description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);
  gtk_label_set_text (self->origin_label, origin);

  for (guint i = 0; i < mini_scenario_get_n_steps (scenario); i++)
    {
      g_autofree char *text = mini_scenario_dup_step_text (scenario, i);

      g_strv_builder_add (builder, text);
    }
  texts = g_strv_builder_end (builder);
  gtk_string_list_splice (self->steps, 0, g_list_model_get_n_items (G_LIST_MODEL (self->steps)),
                          (const char * const *) texts);
  mini_scenario_panel_set_next_step (self, 0);
  mini_scenario_panel_set_state (self, NULL);

  gtk_stack_set_visible_child_name (self->stack, "scenario");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENARIO]);
}

/* Opens a bundled scenario by its file name without ".json". */
gboolean
mini_scenario_panel_open_bundled (MiniScenarioPanel *self,
                                  const char        *name)
{
  g_autofree char *origin = g_strdup_printf ("scenarios/%s.json", name);

  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)); i++)
    {
      g_autoptr(MiniScenario) scenario = g_list_model_get_item (G_LIST_MODEL (self->scenarios), i);

      if (g_str_equal (mini_scenario_get_origin (scenario), origin))
        {
          mini_scenario_panel_open (self, scenario);
          return TRUE;
        }
    }

  return FALSE;
}

void
mini_scenario_panel_show_library (MiniScenarioPanel *self)
{
  g_return_if_fail (MINI_IS_SCENARIO_PANEL (self));
  gtk_stack_set_visible_child_name (self->stack, "library");
}

/**
 * mini_scenario_panel_get_steps:
 *
 * Returns: (transfer none): the opened scenario's steps as lines of text
 */
GListModel *
mini_scenario_panel_get_steps (MiniScenarioPanel *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), NULL);
  return G_LIST_MODEL (self->steps);
}

guint
mini_scenario_panel_get_next_step (MiniScenarioPanel *self)
{
  guint selected;

  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), 0);

  selected = gtk_single_selection_get_selected (self->step_selection);
  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected + 1;
}

/* @step counts from 1, as events mark it; 0 selects none. */
void
mini_scenario_panel_set_next_step (MiniScenarioPanel *self,
                                   guint              step)
{
  g_return_if_fail (MINI_IS_SCENARIO_PANEL (self));

  gtk_single_selection_set_selected (self->step_selection,
                                     step != 0 ? step - 1 : GTK_INVALID_LIST_POSITION);
  if (step != 0)
    gtk_widget_activate_action (GTK_WIDGET (self->steps_view), "list.scroll-to-item", "u",
                                step - 1);
}

const char *
mini_scenario_panel_get_state (MiniScenarioPanel *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO_PANEL (self), NULL);
  return gtk_label_get_text (self->state_label);
}

/* One line on the run: running, the next step, finished. */
void
mini_scenario_panel_set_state (MiniScenarioPanel *self,
                               const char        *state)
{
  g_return_if_fail (MINI_IS_SCENARIO_PANEL (self));

  gtk_label_set_text (self->state_label, state != NULL ? state : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != NULL);
}
