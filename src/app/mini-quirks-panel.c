/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mini-app-util.h"
#include "mini-quirk.h"
#include "mini-quirks-panel.h"

struct _MiniQuirksPanel
{
  GtkWidget           parent_instance;

  MiniSession        *session;
  GListStore         *quirks;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;
  gboolean            rows_bound;

  GtkLabel           *dialect_label;
  GtkLabel           *summary_label;
  GtkSearchEntry     *search_entry;
  GtkScrolledWindow  *scroller;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (MiniQuirksPanel, mini_quirks_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Group titles for the schema's groups; a group added later shows under its own id. */
static const char *
group_title (const char *group)
{
  static const struct { const char *id; const char *title; } titles[] = {
    /* Translators: groups of platform rules in the quirks panel */
    { "connect", N_("Connecting") },
    { "handshake", N_("Handshake") },
    { "events", N_("Events") },
    { "send", N_("Sending") },
    { "close", N_("Closing") },
    { "globals", N_("Legacy global APIs") },
    { "environment", N_("Environment") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      if (g_str_equal (titles[i].id, group))
        return _(titles[i].title);
    }

  return group;
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const char *group = mini_quirk_get_group (mini_quirk_row_get_quirk (MINI_QUIRK_ROW (row)));
  GtkWidget *header;

  if (before != NULL
      && g_str_equal (group,
                      mini_quirk_get_group (mini_quirk_row_get_quirk (MINI_QUIRK_ROW (before)))))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (group_title (group));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "group-title");
  gtk_list_box_row_set_header (row, header);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  MiniQuirksPanel *self = user_data;

  return mini_quirk_row_new (item, self->session);
}

static gboolean
match_quirk (gpointer item,
             gpointer user_data)
{
  MiniQuirksPanel *self = user_data;
  g_autofree char *explanation = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;

  if (self->search == NULL)
    return TRUE;

  explanation = mini_quirk_dup_explanation (item);
  haystack = g_strjoin (" ", mini_quirk_get_id (item), group_title (mini_quirk_get_group (item)),
                        explanation != NULL ? explanation : "", NULL);
  folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, self->search) != NULL;
}

static void
update_values (MiniQuirksPanel *self)
{
  MiniDialect *base = mini_session_get_base_dialect (self->session);
  MiniDialect *current = mini_session_get_dialect (self->session);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->quirks));
  guint changed = 0;
  g_autofree char *name = NULL;
  g_autofree char *summary = NULL;

  if (base == NULL || current == NULL)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MiniQuirk) quirk = g_list_model_get_item (G_LIST_MODEL (self->quirks), i);

      mini_quirk_update (quirk, base, current);
      changed += mini_quirk_get_overridden (quirk);
    }

  name = mini_dialect_dup_name (base);
  gtk_label_set_text (self->dialect_label, name);
  summary = changed > 0
            /* Translators: how many rules the user changed, of how many */
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u rules changed",
                                            "%u of %u rules changed", changed), changed, n)
            /* Translators: the number of rules in the panel */
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u rule, as the platform has it",
                                            "%u rules, as the platform has them", n), n);
  gtk_label_set_text (self->summary_label, summary);
}

/* A row per rule is a few hundred widgets that the window's first frame would measure and style
 * while the panel sits on a hidden tab: they are made when the panel is first shown, or asked
 * for. */
static void
ensure_rows (MiniQuirksPanel *self)
{
  if (self->rows_bound || self->session == NULL)
    return;

  self->rows_bound = TRUE;
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
}

static void
mini_quirks_panel_map (GtkWidget *widget)
{
  ensure_rows (MINI_QUIRKS_PANEL (widget));

  GTK_WIDGET_CLASS (mini_quirks_panel_parent_class)->map (widget);
}

static void
on_search_changed (MiniQuirksPanel *self)
{
  mini_quirks_panel_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
mini_quirks_panel_dispose (GObject *object)
{
  MiniQuirksPanel *self = MINI_QUIRKS_PANEL (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_QUIRKS_PANEL);
  mini_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->quirks);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mini_quirks_panel_parent_class)->dispose (object);
}

static void
mini_quirks_panel_finalize (GObject *object)
{
  MiniQuirksPanel *self = MINI_QUIRKS_PANEL (object);

  g_free (self->search);

  G_OBJECT_CLASS (mini_quirks_panel_parent_class)->finalize (object);
}

static void
mini_quirks_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MiniQuirksPanel *self = MINI_QUIRKS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_quirks_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MiniQuirksPanel *self = MINI_QUIRKS_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mini_quirks_panel_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_quirks_panel_class_init (MiniQuirksPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_quirks_panel_dispose;
  object_class->finalize = mini_quirks_panel_finalize;
  object_class->get_property = mini_quirks_panel_get_property;
  object_class->set_property = mini_quirks_panel_set_property;
  widget_class->map = mini_quirks_panel_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         MINI_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-quirks-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniQuirksPanel, dialect_label);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirksPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirksPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirksPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirksPanel, list_box);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quirkspanel");
}

static void
mini_quirks_panel_init (MiniQuirksPanel *self)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The schema decides the rows: a rule added to it is a row here, with no code. */
  self->quirks = g_list_store_new (MINI_TYPE_QUIRK);
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      g_autoptr(MiniQuirk) quirk = mini_quirk_new (json_array_get_object_element (rules, i));
      g_list_store_append (self->quirks, quirk);
    }

  self->filter = gtk_custom_filter_new (match_quirk, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->quirks)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  gtk_list_box_set_header_func (self->list_box, update_header, NULL, NULL);
}

GtkWidget *
mini_quirks_panel_new (void)
{
  return g_object_new (MINI_TYPE_QUIRKS_PANEL, NULL);
}

MiniSession *
mini_quirks_panel_get_session (MiniQuirksPanel *self)
{
  g_return_val_if_fail (MINI_IS_QUIRKS_PANEL (self), NULL);
  return self->session;
}

void
mini_quirks_panel_set_session (MiniQuirksPanel *self,
                               MiniSession     *session)
{
  g_return_if_fail (MINI_IS_QUIRKS_PANEL (self));
  g_return_if_fail (session == NULL || MINI_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  self->rows_bound = FALSE;
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::dialect", G_CALLBACK (update_values), self);
      update_values (self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ensure_rows (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * mini_quirks_panel_get_row:
 *
 * Returns: (transfer none) (nullable): the row of @rule, if the search shows it
 */
MiniQuirkRow *
mini_quirks_panel_get_row (MiniQuirksPanel *self,
                           const char      *rule)
{
  g_return_val_if_fail (MINI_IS_QUIRKS_PANEL (self), NULL);
  g_return_val_if_fail (rule != NULL, NULL);

  ensure_rows (self);
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, i);

      if (row == NULL)
        return NULL;
      if (g_str_equal (mini_quirk_get_id (mini_quirk_row_get_quirk (MINI_QUIRK_ROW (row))), rule))
        return MINI_QUIRK_ROW (row);
    }
}

guint
mini_quirks_panel_get_n_rows (MiniQuirksPanel *self)
{
  g_return_val_if_fail (MINI_IS_QUIRKS_PANEL (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

void
mini_quirks_panel_set_search (MiniQuirksPanel *self,
                              const char      *text)
{
  g_return_if_fail (MINI_IS_QUIRKS_PANEL (self));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
    }

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && *text != '\0')
    self->search = g_utf8_casefold (text, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/**
 * mini_quirks_panel_reveal:
 *
 * Scrolls to the rule's row, focuses its editor and highlights it for a moment.
 *
 * Returns: whether the rule exists
 */
gboolean
mini_quirks_panel_reveal (MiniQuirksPanel *self,
                          const char      *rule)
{
  MiniQuirkRow *row;

  g_return_val_if_fail (MINI_IS_QUIRKS_PANEL (self), FALSE);

  if ((row = mini_quirks_panel_get_row (self, rule)) == NULL)
    {
      mini_quirks_panel_set_search (self, NULL);
      if ((row = mini_quirks_panel_get_row (self, rule)) == NULL)
        return FALSE;
    }

  /* Focusing the editor makes the scrolled window bring the row into view. */
  gtk_widget_grab_focus (mini_quirk_row_get_editor (row));
  mini_quirk_row_highlight (row);

  return TRUE;
}
