/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-quirk-row.h"
#include "mini-util.h"

#define HIGHLIGHT_MS 1500

typedef enum {
  EDITOR_BOOL,
  EDITOR_INT,
  EDITOR_ENUM,
  EDITOR_STRING,
  EDITOR_STRV_CHOICES,
  EDITOR_STRV_TEXT,
  EDITOR_OPTIONS,
  EDITOR_JSON,
} EditorKind;

struct _MiniQuirkRow
{
  GtkListBoxRow  parent_instance;

  MiniQuirk     *quirk;
  MiniSession   *session;
  EditorKind     kind;
  GtkWidget     *editor;
  GPtrArray     *choices;     /* strv check buttons, or options drop-downs */
  gboolean       loading;
  guint          highlight_id;

  GtkLabel      *id_label;
  GtkWidget     *unverified_tag;
  GtkWidget     *changed_tag;
  GtkBox        *small_box;
  GtkWidget     *reset_button;
  GtkLabel      *explanation_label;
  GtkBox        *wide_box;
  GtkLabel      *default_label;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (MiniQuirkRow, mini_quirk_row, GTK_TYPE_LIST_BOX_ROW)

static JsonArray *
schema_values (MiniQuirkRow *self,
               const char   *member)
{
  JsonObject *schema = mini_quirk_get_schema (self->quirk);
  JsonNode *node = json_object_get_member (schema, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static EditorKind
editor_kind (MiniQuirkRow *self)
{
  const char *type = mini_quirk_get_rule_type (self->quirk);

  if (g_str_equal (type, "bool"))
    return EDITOR_BOOL;
  if (g_str_equal (type, "int"))
    return EDITOR_INT;
  if (g_str_equal (type, "enum"))
    return EDITOR_ENUM;
  if (g_str_equal (type, "string"))
    return EDITOR_STRING;
  if (g_str_equal (type, "strv"))
    return schema_values (self, "values") != NULL ? EDITOR_STRV_CHOICES : EDITOR_STRV_TEXT;
  if (g_str_equal (type, "options") && schema_values (self, "values") != NULL
      && schema_values (self, "states") != NULL)
    return EDITOR_OPTIONS;

  /* Any other shape is edited as JSON, checked by the schema when applied. */
  return EDITOR_JSON;
}

static void
show_error (MiniQuirkRow *self,
            const char   *error)
{
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

/* Hands the edited value to the session; the schema decides whether it is acceptable. */
static void
apply (MiniQuirkRow *self,
       JsonNode     *value)
{
  g_autoptr(JsonNode) owned = value;
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;

  if (!mini_session_set_quirk (self->session, mini_quirk_get_id (self->quirk), value, &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
}

static char *
strv_to_text (JsonNode *node)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            json_array_get_string_element (array, i));

  return g_strdup (text->str);
}

static JsonNode *
text_to_strv (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ", ", -1);
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] != '\0')
        json_array_add_string_element (array, parts[i]);
    }

  return json_node_init_array (json_node_alloc (), array);
}

/* ---- reading the editor -------------------------------------------------------------------- */

static void
on_switch_changed (MiniQuirkRow *self)
{
  apply (self, json_node_init_boolean (json_node_alloc (),
                                       gtk_switch_get_active (GTK_SWITCH (self->editor))));
}

static void
on_spin_changed (MiniQuirkRow *self)
{
  double value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->editor));

  apply (self, json_node_init_int (json_node_alloc (), (gint64) value));
}

static void
on_enum_selected (MiniQuirkRow *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->editor));

  if (item != NULL)
    apply (self, json_node_init_string (json_node_alloc (), gtk_string_object_get_string (item)));
}

static void
on_entry_apply (MiniQuirkRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->editor));

  switch (self->kind)
    {
    case EDITOR_STRING:
      apply (self, json_node_init_string (json_node_alloc (), text));
      break;

    case EDITOR_STRV_TEXT:
      apply (self, text_to_strv (text));
      break;

    case EDITOR_JSON:
    default:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) error = NULL;

        if (!json_parser_load_from_data (parser, text, -1, &error)
            || json_parser_get_root (parser) == NULL)
          {
            /* Translators: %s is the JSON parser's message */
            g_autofree char *reason = error != NULL ? mini_json_error_message (error)
                                                    : g_strdup ("");
            g_autofree char *message = g_strdup_printf (_("Not valid JSON: %s"), reason);
            show_error (self, message);
            return;
          }
        apply (self, json_node_copy (json_parser_get_root (parser)));
      }
      break;
    }
}

static void
on_entry_leave (MiniQuirkRow *self)
{
  g_autoptr(JsonNode) current = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->editor));
  g_autofree char *shown = NULL;

  /* Leaving an unchanged entry applies nothing: no rules event for a mere focus change. */
  if (self->kind == EDITOR_STRING)
    shown = g_strdup (json_node_get_string (mini_quirk_get_value (self->quirk)));
  else if (self->kind == EDITOR_STRV_TEXT)
    shown = strv_to_text (mini_quirk_get_value (self->quirk));
  else
    shown = json_to_string (mini_quirk_get_value (self->quirk), FALSE);

  if (g_strcmp0 (shown, text) != 0)
    on_entry_apply (self);
}

static void
on_choice_toggled (MiniQuirkRow *self)
{
  JsonArray *values = schema_values (self, "values");
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < self->choices->len; i++)
    {
      if (gtk_check_button_get_active (g_ptr_array_index (self->choices, i)))
        json_array_add_string_element (array, json_array_get_string_element (values, i));
    }

  apply (self, json_node_init_array (json_node_alloc (), array));
}

static void
on_option_selected (MiniQuirkRow *self)
{
  JsonArray *values = schema_values (self, "values");
  JsonArray *states = schema_values (self, "states");
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint i = 0; i < self->choices->len; i++)
    {
      guint state = gtk_drop_down_get_selected (g_ptr_array_index (self->choices, i));

      if (state < json_array_get_length (states))
        json_object_set_string_member (object, json_array_get_string_element (values, i),
                                       json_array_get_string_element (states, state));
    }

  apply (self, json_node_init_object (json_node_alloc (), object));
}

/* ---- building and loading the editor ------------------------------------------------------- */

static GtkWidget *
build_editor (MiniQuirkRow *self)
{
  JsonObject *schema = mini_quirk_get_schema (self->quirk);
  JsonArray *values = schema_values (self, "values");
  GtkWidget *editor = NULL;

  switch (self->kind)
    {
    case EDITOR_BOOL:
      editor = gtk_switch_new ();
      gtk_widget_set_valign (editor, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (editor, "notify::active", G_CALLBACK (on_switch_changed), self);
      break;

    case EDITOR_INT:
      {
        double min = (double) json_object_get_int_member_with_default (schema, "min", G_MININT32);

        editor = gtk_spin_button_new_with_range (min, G_MAXINT32, 1);
        gtk_spin_button_set_increments (GTK_SPIN_BUTTON (editor), 1, 1000);
        gtk_editable_set_width_chars (GTK_EDITABLE (editor), 7);
        gtk_widget_set_valign (editor, GTK_ALIGN_CENTER);
        g_signal_connect_swapped (editor, "value-changed", G_CALLBACK (on_spin_changed), self);
      }
      break;

    case EDITOR_ENUM:
      {
        g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

        for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
          gtk_string_list_append (list, json_array_get_string_element (values, i));
        editor = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&list)), NULL);
        gtk_widget_set_valign (editor, GTK_ALIGN_CENTER);
        g_signal_connect_swapped (editor, "notify::selected", G_CALLBACK (on_enum_selected), self);
      }
      break;

    case EDITOR_STRV_CHOICES:
    case EDITOR_OPTIONS:
      {
        GtkWidget *popover = gtk_popover_new ();
        GtkWidget *grid = gtk_grid_new ();

        gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
        gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
        for (guint i = 0; i < json_array_get_length (values); i++)
          {
            const char *value = json_array_get_string_element (values, i);
            GtkWidget *choice;

            if (self->kind == EDITOR_STRV_CHOICES)
              {
                choice = gtk_check_button_new_with_label (value);
                g_signal_connect_swapped (choice, "toggled", G_CALLBACK (on_choice_toggled), self);
                gtk_grid_attach (GTK_GRID (grid), choice, 0, (int) i, 1, 1);
              }
            else
              {
                JsonArray *states = schema_values (self, "states");
                g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
                GtkWidget *label = gtk_label_new (value);

                for (guint s = 0; s < json_array_get_length (states); s++)
                  gtk_string_list_append (list, json_array_get_string_element (states, s));
                choice = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&list)), NULL);
                gtk_label_set_xalign (GTK_LABEL (label), 0);
                gtk_widget_add_css_class (label, "monospace");
                g_signal_connect_swapped (choice, "notify::selected",
                                          G_CALLBACK (on_option_selected), self);
                gtk_grid_attach (GTK_GRID (grid), label, 0, (int) i, 1, 1);
                gtk_grid_attach (GTK_GRID (grid), choice, 1, (int) i, 1, 1);
              }
            g_ptr_array_add (self->choices, choice);
          }
        gtk_popover_set_child (GTK_POPOVER (popover), grid);
        editor = gtk_menu_button_new ();
        gtk_menu_button_set_popover (GTK_MENU_BUTTON (editor), popover);
        gtk_widget_set_valign (editor, GTK_ALIGN_CENTER);
      }
      break;

    case EDITOR_STRING:
    case EDITOR_STRV_TEXT:
    case EDITOR_JSON:
    default:
      {
        GtkEventController *focus = gtk_event_controller_focus_new ();

        editor = gtk_entry_new ();
        gtk_widget_set_hexpand (editor, TRUE);
        gtk_entry_set_placeholder_text (GTK_ENTRY (editor),
                                        self->kind == EDITOR_STRV_TEXT
                                        /* Translators: placeholder of a list rule's entry */
                                        ? _("none; separate values with commas")
                                        : self->kind == EDITOR_STRING
                                        ? _("empty")
                                        : NULL);
        g_signal_connect_swapped (editor, "activate", G_CALLBACK (on_entry_apply), self);
        g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_entry_leave), self);
        gtk_widget_add_controller (editor, focus);
      }
      break;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mini_quirk_get_id (self->quirk), -1);
  return editor;
}

static char *
describe_value (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (*json_node_get_string (node) != '\0' ? json_node_get_string (node)
                                                          /* Translators: an empty rule value */
                                                          : _("(empty)"));
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    /* Translators: an empty list as a rule value */
    return g_strdup (_("(none)"));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return strv_to_text (node);

  return json_to_string (node, FALSE);
}

static char *
describe_options (JsonNode *node)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *state;
  guint supported = 0, ignored = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("");

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &member, &state))
    {
      supported += g_strcmp0 (json_node_get_string (state), "supported") == 0;
      ignored += g_strcmp0 (json_node_get_string (state), "ignored") == 0;
    }

  /* Translators: a summary of which connectSocket options a platform has */
  return g_strdup_printf (_("%u supported, %u ignored"), supported, ignored);
}

static void
load (MiniQuirkRow *self)
{
  JsonNode *value = mini_quirk_get_value (self->quirk);
  g_autofree char *default_text = NULL;

  if (value == NULL)
    return;

  self->loading = TRUE;

  switch (self->kind)
    {
    case EDITOR_BOOL:
      gtk_switch_set_active (GTK_SWITCH (self->editor), json_node_get_boolean (value));
      break;

    case EDITOR_INT:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->editor),
                                 (double) json_node_get_int (value));
      break;

    case EDITOR_ENUM:
      {
        JsonArray *values = schema_values (self, "values");

        for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
          {
            if (g_strcmp0 (json_array_get_string_element (values, i),
                           json_node_get_string (value)) == 0)
              gtk_drop_down_set_selected (GTK_DROP_DOWN (self->editor), i);
          }
      }
      break;

    case EDITOR_STRV_CHOICES:
      {
        JsonArray *values = schema_values (self, "values");
        JsonArray *set = json_node_get_array (value);
        g_autofree char *label = describe_value (value);

        for (guint i = 0; i < self->choices->len; i++)
          {
            const char *choice = json_array_get_string_element (values, i);
            gboolean active = FALSE;

            for (guint j = 0; j < json_array_get_length (set); j++)
              active |= g_strcmp0 (json_array_get_string_element (set, j), choice) == 0;
            gtk_check_button_set_active (g_ptr_array_index (self->choices, i), active);
          }
        gtk_menu_button_set_label (GTK_MENU_BUTTON (self->editor), label);
      }
      break;

    case EDITOR_OPTIONS:
      {
        JsonArray *values = schema_values (self, "values");
        JsonArray *states = schema_values (self, "states");
        JsonObject *object = json_node_get_object (value);
        g_autofree char *label = describe_options (value);

        for (guint i = 0; i < self->choices->len; i++)
          {
            const char *option = json_array_get_string_element (values, i);
            const char *state = json_object_get_string_member_with_default (object, option, NULL);

            for (guint s = 0; s < json_array_get_length (states); s++)
              {
                if (g_strcmp0 (json_array_get_string_element (states, s), state) == 0)
                  gtk_drop_down_set_selected (g_ptr_array_index (self->choices, i), s);
              }
          }
        gtk_menu_button_set_label (GTK_MENU_BUTTON (self->editor), label);
      }
      break;

    case EDITOR_STRING:
      gtk_editable_set_text (GTK_EDITABLE (self->editor), json_node_get_string (value));
      break;

    case EDITOR_STRV_TEXT:
      {
        g_autofree char *text = strv_to_text (value);
        gtk_editable_set_text (GTK_EDITABLE (self->editor), text);
      }
      break;

    case EDITOR_JSON:
    default:
      {
        g_autofree char *text = json_to_string (value, FALSE);
        gtk_editable_set_text (GTK_EDITABLE (self->editor), text);
      }
      break;
    }

  self->loading = FALSE;

  gtk_widget_set_visible (self->changed_tag, mini_quirk_get_overridden (self->quirk));
  gtk_widget_set_visible (self->reset_button, mini_quirk_get_overridden (self->quirk));
  gtk_widget_set_visible (self->unverified_tag, mini_quirk_get_unverified (self->quirk));

  if (mini_quirk_get_overridden (self->quirk))
    {
      g_autofree char *text = self->kind == EDITOR_OPTIONS
                              ? describe_options (mini_quirk_get_default (self->quirk))
                              : describe_value (mini_quirk_get_default (self->quirk));
      /* Translators: the platform's own value of a rule the user changed */
      default_text = g_strdup_printf (_("Platform value: %s"), text);
    }
  gtk_label_set_text (self->default_label, default_text != NULL ? default_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->default_label), default_text != NULL);

  if (mini_quirk_get_overridden (self->quirk))
    gtk_widget_add_css_class (GTK_WIDGET (self), "overridden");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "overridden");
}

static void
reset_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MiniQuirkRow *self = MINI_QUIRK_ROW (widget);

  apply (self, NULL);
}

static gboolean
unhighlight (gpointer user_data)
{
  MiniQuirkRow *self = user_data;

  self->highlight_id = 0;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "highlight");

  return G_SOURCE_REMOVE;
}

static void
mini_quirk_row_dispose (GObject *object)
{
  MiniQuirkRow *self = MINI_QUIRK_ROW (object);

  g_clear_handle_id (&self->highlight_id, g_source_remove);
  if (self->quirk != NULL)
    g_signal_handlers_disconnect_by_data (self->quirk, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_QUIRK_ROW);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_object (&self->quirk);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mini_quirk_row_parent_class)->dispose (object);
}

static void
mini_quirk_row_class_init (MiniQuirkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_quirk_row_dispose;

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-quirk-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, id_label);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, unverified_tag);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, changed_tag);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, small_box);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, reset_button);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, wide_box);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, default_label);
  gtk_widget_class_bind_template_child (widget_class, MiniQuirkRow, error_label);
  gtk_widget_class_install_action (widget_class, "quirk.reset", NULL, reset_activated);
}

static void
mini_quirk_row_init (MiniQuirkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->choices = g_ptr_array_new ();
}

GtkWidget *
mini_quirk_row_new (MiniQuirk   *quirk,
                    MiniSession *session)
{
  MiniQuirkRow *self;
  g_autofree char *explanation = NULL;
  g_autofree char *tooltip = NULL;
  const char *source;
  const char *note;

  g_return_val_if_fail (MINI_IS_QUIRK (quirk), NULL);
  g_return_val_if_fail (MINI_IS_SESSION (session), NULL);

  self = g_object_new (MINI_TYPE_QUIRK_ROW, NULL);
  self->quirk = g_object_ref (quirk);
  self->session = g_object_ref (session);
  self->kind = editor_kind (self);

  gtk_widget_set_name (GTK_WIDGET (self), mini_quirk_get_id (quirk));
  gtk_label_set_text (self->id_label, mini_quirk_get_id (quirk));
  explanation = mini_quirk_dup_explanation (quirk);
  gtk_label_set_text (self->explanation_label, explanation != NULL ? explanation : "");

  source = mini_quirk_get_source (quirk);
  note = mini_quirk_get_note (quirk);
  if (source != NULL)
    {
      JsonObject *sources = mini_dialect_schema_get_sources ();
      const char *where = json_object_get_string_member_with_default (sources, source, source);

      /* Translators: a tooltip: the rule's source, then the platform's note on it */
      tooltip = g_strdup_printf (_("Source: %s — %s%s%s"), source, where,
                                 note != NULL ? "\n" : "", note != NULL ? note : "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_label), tooltip);
    }

  /* A switch fits beside the rule's name in a narrow sidebar, in any language; the others go
   * under the explanation. */
  self->editor = build_editor (self);
  if (self->kind == EDITOR_BOOL)
    gtk_box_prepend (self->small_box, self->editor);
  else
    {
      if (self->kind != EDITOR_STRING && self->kind != EDITOR_STRV_TEXT
          && self->kind != EDITOR_JSON)
        gtk_widget_set_halign (self->editor, GTK_ALIGN_START);
      gtk_box_append (self->wide_box, self->editor);
    }

  g_signal_connect_swapped (quirk, "notify", G_CALLBACK (load), self);
  load (self);

  return GTK_WIDGET (self);
}

MiniQuirk *
mini_quirk_row_get_quirk (MiniQuirkRow *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK_ROW (self), NULL);
  return self->quirk;
}

/**
 * mini_quirk_row_get_editor:
 *
 * Returns: (transfer none): a GtkSwitch, GtkSpinButton, GtkDropDown, GtkMenuButton or GtkEntry,
 *   by the rule's type
 */
GtkWidget *
mini_quirk_row_get_editor (MiniQuirkRow *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK_ROW (self), NULL);
  return self->editor;
}

/**
 * mini_quirk_row_get_error:
 *
 * Returns: (nullable): why the last edit was refused
 */
const char *
mini_quirk_row_get_error (MiniQuirkRow *self)
{
  g_return_val_if_fail (MINI_IS_QUIRK_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}

/* Draws the eye to the row for a moment, after the inspector pointed at it. */
void
mini_quirk_row_highlight (MiniQuirkRow *self)
{
  g_return_if_fail (MINI_IS_QUIRK_ROW (self));

  gtk_widget_add_css_class (GTK_WIDGET (self), "highlight");
  g_clear_handle_id (&self->highlight_id, g_source_remove);
  self->highlight_id = g_timeout_add (HIGHLIGHT_MS, unhighlight, self);
}
