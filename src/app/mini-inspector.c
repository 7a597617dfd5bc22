/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-dialect.h"
#include "mini-inspector.h"
#include "mini-json-item.h"

/* A hex dump of a flood message stays readable and cheap. */
#define HEX_MAX_BYTES (64 * 1024)

struct _MiniInspector
{
  GtkWidget          parent_instance;

  MiniEvent         *event;
  MiniDialect       *dialect;

  GtkStack          *main_stack;
  GtkLabel          *title_label;
  GtkLabel          *meta_label;
  GtkWidget         *err_msg_box;
  GtkLabel          *err_msg_label;
  GtkStack          *payload_stack;
  GtkToggleButton   *text_button;
  GtkToggleButton   *json_button;
  GtkToggleButton   *hex_button;
  GtkTextView       *text_view;
  GtkTextView       *hex_view;
  GtkListView       *json_view;
  GtkWidget         *quirks_section;
  GtkBox            *quirks_box;
  GtkWidget         *wire_section;
  GtkLabel          *wire_label;
  GtkTreeListModel  *json_model;
};

G_DEFINE_FINAL_TYPE (MiniInspector, mini_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EVENT,
  PROP_DIALECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GListModel *
create_json_children (gpointer item,
                      gpointer user_data)
{
  return mini_json_item_create_children (item);
}

static void
json_row_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *key = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (key, "json-key");
  gtk_widget_add_css_class (value, "json-value");
  gtk_widget_add_css_class (key, "monospace");
  gtk_widget_add_css_class (value, "monospace");
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), value);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
json_row_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *key = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (key);
  MiniJsonItem *item = gtk_tree_list_row_get_item (row);
  g_autofree char *text = mini_json_item_dup_value_text (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (key), mini_json_item_get_key (item));
  gtk_label_set_text (GTK_LABEL (value), text);
  gtk_widget_set_tooltip_text (value, text);
  g_object_unref (item);
}

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
append_headers (GString    *out,
                JsonObject *extra)
{
  JsonNode *header = extra != NULL ? json_object_get_member (extra, "header") : NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (header == NULL || !JSON_NODE_HOLDS_OBJECT (header))
    return;

  json_object_iter_init_ordered (&iter, json_node_get_object (header));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\n", name,
                            JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : "");
}

static void
show_wire (MiniInspector *self,
           MiniTimeline  *timeline,
           guint          position,
           guint          task)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint found;

  if (task == 0)
    {
      gtk_widget_set_visible (self->wire_section, FALSE);
      return;
    }

  /* The handshake actually sent, as the server saw it: Referer and User-Agent included. */
  if (mini_timeline_find_wire (timeline, task, "handshake-request", position, &found))
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, found, &view);
      g_string_append_printf (out, "%s\n",
                              json_object_get_string_member_with_default (view.extra, "text", ""));
      append_headers (out, view.extra);
    }
  if (mini_timeline_find_wire (timeline, task, "handshake-response", position, &found))
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, found, &view);
      g_string_append_printf (out, "\n%s\n",
                              json_object_get_string_member_with_default (view.extra, "text", ""));
      append_headers (out, view.extra);
    }

  if (out->len == 0)
    /* Translators: the wire section of a task that never reached the network */
    g_string_append (out, _("No handshake was sent for this task."));
  else if (out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);

  gtk_label_set_text (self->wire_label, out->str);
  gtk_widget_set_visible (self->wire_section, TRUE);
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
quirk_card (MiniInspector *self,
            JsonObject    *extra)
{
  const char *id = json_object_get_string_member_with_default (extra, "id", "");
  const char *text = json_object_get_string_member_with_default (extra, "text", NULL);
  const char *source = json_object_get_string_member_with_default (extra, "source", NULL);
  g_autofree char *explanation = mini_dialect_schema_dup_explanation (id);
  JsonObject *sources = mini_dialect_schema_get_sources ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *id_label = gtk_label_new (id);
  GtkWidget *button;

  gtk_widget_add_css_class (card, "quirk-card");
  gtk_widget_add_css_class (id_label, "quirk-id");
  gtk_box_append (GTK_BOX (title), id_label);

  if (json_object_get_boolean_member_with_default (extra, "overridden", FALSE))
    /* Translators: a mark on a rule whose value the user toggled */
    gtk_box_append (GTK_BOX (title), wrapped_label (_("changed by you"), "tag"));
  if (json_object_get_boolean_member_with_default (extra, "unverified", FALSE))
    /* Translators: a mark on a rule the reference could not confirm */
    gtk_box_append (GTK_BOX (title), wrapped_label (_("unverified"), "tag"));

  button = gtk_button_new_from_icon_name ("emblem-system-symbolic");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Show this rule in the quirks panel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-quirk");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_box_append (GTK_BOX (title), button);
  gtk_box_append (GTK_BOX (card), title);

  /* The runtime's text says what happened; the schema's explanation says what the rule is. */
  if (text != NULL)
    gtk_box_append (GTK_BOX (card), wrapped_label (text, NULL));
  if (explanation != NULL && g_strcmp0 (explanation, text) != 0)
    gtk_box_append (GTK_BOX (card), wrapped_label (explanation, "dim-label"));

  /* The value is what makes the rule concrete: "fail", "5", "error-after-ok". */
  if (self->dialect != NULL && mini_dialect_schema_get_rule (id) != NULL)
    {
      /* The value when the event happened; the rule may have been toggled since. */
      JsonNode *value = json_object_has_member (extra, "ruleValue")
                        ? json_object_get_member (extra, "ruleValue")
                        : mini_dialect_get_value (self->dialect, id);
      const char *note = mini_dialect_get_note (self->dialect, id);
      g_autofree char *value_text = JSON_NODE_HOLDS_VALUE (value)
                                    && json_node_get_value_type (value) == G_TYPE_STRING
                                    ? g_strdup (json_node_get_string (value))
                                    : json_to_string (value, FALSE);
      g_autofree char *name = mini_dialect_dup_name (self->dialect);
      /* Translators: a rule's value on a platform: the platform's name, the rule, its value */
      g_autofree char *line = g_strdup_printf (_("On %s: %s = %s"), name, id, value_text);

      gtk_box_append (GTK_BOX (card), wrapped_label (line, "monospace"));
      if (note != NULL)
        gtk_box_append (GTK_BOX (card), wrapped_label (note, NULL));
    }

  if (source != NULL)
    {
      const char *where = sources != NULL
                          ? json_object_get_string_member_with_default (sources, source, NULL)
                          : NULL;
      g_autofree char *line = where != NULL
                              /* Translators: a rule's source: its key, then the reference */
                              ? g_strdup_printf (_("Source: %s — %s"), source, where)
                              : g_strdup_printf (_("Source: %s"), source);

      gtk_box_append (GTK_BOX (card), wrapped_label (line, "caption"));
    }

  return card;
}

static void
show_quirks (MiniInspector *self,
             MiniTimeline  *timeline,
             guint          position)
{
  g_autoptr(GArray) quirks = mini_timeline_find_quirks (timeline, position);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quirks_box))) != NULL)
    gtk_box_remove (self->quirks_box, child);

  for (guint i = 0; i < quirks->len; i++)
    {
      MiniEventView view;

      if (mini_timeline_get_event (timeline, g_array_index (quirks, guint, i), &view)
          && view.extra != NULL)
        gtk_box_append (self->quirks_box, quirk_card (self, view.extra));
    }

  gtk_widget_set_visible (self->quirks_section, quirks->len > 0);
}

static void
show_payload (MiniInspector       *self,
              MiniTimeline        *timeline,
              const MiniEventView *view,
              JsonNode            *event_json)
{
  g_autoptr(JsonNode) tree_root = NULL;
  g_autoptr(GListModel) root_items = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;

  if (view->kind == MINI_EVENT_MESSAGE && view->data != NULL)
    {
      if (view->binary)
        {
          g_autofree char *base64 = g_base64_encode (view->data, view->data_len);
          /* Translators: the text view of a binary message: its size, then its base64 */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Binary, %lu byte. Base64:\n%s",
                                               "Binary, %lu bytes. Base64:\n%s",
                                               (unsigned long) view->data_len),
                                  (unsigned long) view->data_len, base64);
        }
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          text = g_utf8_make_valid ((const char *) view->data, view->data_len);
          /* A message that is JSON is shown as its own tree, as a developer would inspect it. */
          if (json_parser_load_from_data (parser, text, -1, NULL)
              && json_parser_get_root (parser) != NULL)
            tree_root = json_node_copy (json_parser_get_root (parser));
        }
      hex = mini_format_hex_dump (view->data, view->data_len, HEX_MAX_BYTES);
    }
  else
    {
      g_autofree char *line = mini_timeline_event_to_jsonl (timeline, view->seq - 1);

      /* The JSON Lines record, as `minisock-cli run --format jsonl` prints it. */
      text = mini_json_pretty (line);
      if (view->data != NULL)
        /* A wire frame keeps the bytes it carried. */
        hex = mini_format_hex_dump (view->data, view->data_len, HEX_MAX_BYTES);
      else if (view->has_data)
        /* Translators: the hex view of a frame whose bytes were not kept */
        hex = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%lu byte on the wire; the bytes are in the message "
                                            "event.",
                                            "%lu bytes on the wire; the bytes are in the message "
                                            "event.", (unsigned long) view->data_len),
                               (unsigned long) view->data_len);
      else
        hex = g_strdup (_("This event carries no payload bytes."));
    }

  if (tree_root == NULL)
    tree_root = json_node_ref (event_json);

  set_text (self->text_view, text);
  set_text (self->hex_view, hex);

  root_items = mini_json_item_list_for_node (tree_root);
  if (root_items == NULL)
    {
      /* A scalar message such as 42 is a tree of one row. */
      GListStore *store = g_list_store_new (MINI_TYPE_JSON_ITEM);
      g_autoptr(MiniJsonItem) item = mini_json_item_new (_("value"), tree_root);

      g_list_store_append (store, item);
      root_items = G_LIST_MODEL (store);
    }
  {
    g_autoptr(GtkTreeListModel) model = gtk_tree_list_model_new (g_steal_pointer (&root_items),
                                                                 FALSE, FALSE,
                                                                 create_json_children, NULL, NULL);
    g_autoptr(GtkNoSelection) selection = NULL;

    selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (model)));

    g_set_object (&self->json_model, model);
    gtk_list_view_set_model (self->json_view, GTK_SELECTION_MODEL (selection));
  }
}

static void
update (MiniInspector *self)
{
  MiniTimeline *timeline;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *time = NULL;
  g_autofree char *delta = NULL;
  MiniEventView view;
  guint position;

  if (self->event == NULL
      || (json = mini_event_to_json (self->event)) == NULL)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      return;
    }

  timeline = mini_event_get_timeline (self->event);
  position = mini_event_get_position (self->event);
  mini_timeline_get_event (timeline, position, &view);

  title = view.api != NULL ? g_strdup_printf ("%s · %s", mini_event_kind_to_string (view.kind),
                                              view.api)
                           : g_strdup (mini_event_kind_to_string (view.kind));
  time = mini_format_ms (mini_event_get_time_ms (self->event));
  delta = mini_format_ms (mini_event_get_delta_ms (self->event));
  meta = view.task != 0
         /* Translators: #seq, task, time and Δ of the selected event */
         ? g_strdup_printf (_("#%u · task %u · %s ms (Δ %s ms)"), view.seq, view.task, time, delta)
         : g_strdup_printf (_("#%u · %s ms (Δ %s ms)"), view.seq, time, delta);
  if (view.step != 0)
    {
      /* Translators: the selected event's #seq, task and time, then the scenario step behind it */
      g_autofree char *with_step = g_strdup_printf (_("%s · caused by step %u"), meta, view.step);

      g_free (meta);
      meta = g_steal_pointer (&with_step);
    }
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->meta_label, meta);

  gtk_label_set_text (self->err_msg_label, view.err_msg != NULL ? view.err_msg : "");
  gtk_widget_set_visible (self->err_msg_box, view.err_msg != NULL);
  /* "connectSocket:ok" is an errMsg too: only a failure is drawn as one. A return carries an
   * errMsg only when the call threw. */
  if (view.kind == MINI_EVENT_FAIL || view.kind == MINI_EVENT_ERROR
      || view.kind == MINI_EVENT_REJECT || view.kind == MINI_EVENT_RETURN)
    gtk_widget_add_css_class (GTK_WIDGET (self->err_msg_label), "failure");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->err_msg_label), "failure");

  show_payload (self, timeline, &view, json);
  show_quirks (self, timeline, position);
  show_wire (self, timeline, position, view.task);

  gtk_stack_set_visible_child_name (self->main_stack, "event");
}

static void
on_page_toggled (MiniInspector *self)
{
  if (gtk_toggle_button_get_active (self->json_button))
    gtk_stack_set_visible_child_name (self->payload_stack, "json");
  else if (gtk_toggle_button_get_active (self->hex_button))
    gtk_stack_set_visible_child_name (self->payload_stack, "hex");
  else
    gtk_stack_set_visible_child_name (self->payload_stack, "text");
}

static void
mini_inspector_dispose (GObject *object)
{
  MiniInspector *self = MINI_INSPECTOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_INSPECTOR);
  mini_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->json_model);
  g_clear_object (&self->event);
  g_clear_object (&self->dialect);

  G_OBJECT_CLASS (mini_inspector_parent_class)->dispose (object);
}

static void
mini_inspector_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MiniInspector *self = MINI_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;

    case PROP_DIALECT:
      g_value_set_object (value, self->dialect);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_inspector_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MiniInspector *self = MINI_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      mini_inspector_set_event (self, g_value_get_object (value));
      break;

    case PROP_DIALECT:
      if (g_set_object (&self->dialect, g_value_get_object (value)))
        {
          if (self->event != NULL)
            update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_inspector_class_init (MiniInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_inspector_dispose;
  object_class->get_property = mini_inspector_get_property;
  object_class->set_property = mini_inspector_set_property;

  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL,
                         MINI_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The rules in force, for the value and note of the rule that decided the event. */
  properties[PROP_DIALECT] =
    g_param_spec_object ("dialect", NULL, NULL,
                         MINI_TYPE_DIALECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, title_label);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, meta_label);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, err_msg_box);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, err_msg_label);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, payload_stack);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, text_button);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, json_button);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, hex_button);
  gtk_widget_class_bind_template_callback (widget_class, on_page_toggled);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, text_view);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, hex_view);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, json_view);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, quirks_section);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, quirks_box);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, wire_section);
  gtk_widget_class_bind_template_child (widget_class, MiniInspector, wire_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
}

static void
mini_inspector_init (MiniInspector *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (json_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (json_row_bind), NULL);
  gtk_list_view_set_factory (self->json_view, factory);
  g_object_unref (factory);
}

GtkWidget *
mini_inspector_new (void)
{
  return g_object_new (MINI_TYPE_INSPECTOR, NULL);
}

MiniEvent *
mini_inspector_get_event (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return self->event;
}

void
mini_inspector_set_event (MiniInspector *self,
                          MiniEvent     *event)
{
  g_return_if_fail (MINI_IS_INSPECTOR (self));
  g_return_if_fail (event == NULL || MINI_IS_EVENT (event));

  /* Handles are made per lookup, so the same event may come as a new object: compare by place. */
  if (self->event == event
      || (self->event != NULL && event != NULL
          && mini_event_get_timeline (self->event) == mini_event_get_timeline (event)
          && mini_event_get_position (self->event) == mini_event_get_position (event)))
    return;

  g_set_object (&self->event, event);
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
}

const char *
mini_inspector_get_title (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->title_label);
}

/* The line under the title: #seq, task, time, and the scenario step that caused the event. */
const char *
mini_inspector_get_meta (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return gtk_label_get_text (self->meta_label);
}

/**
 * mini_inspector_get_err_msg:
 *
 * Returns: (nullable): the errMsg shown, %NULL when the event has none
 */
const char *
mini_inspector_get_err_msg (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);

  return gtk_widget_get_visible (self->err_msg_box) ? gtk_label_get_text (self->err_msg_label)
                                                    : NULL;
}

char *
mini_inspector_dup_text (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return dup_view_text (self->text_view);
}

char *
mini_inspector_dup_hex (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return dup_view_text (self->hex_view);
}

/**
 * mini_inspector_dup_quirks_text:
 *
 * Returns: (transfer full): every line of the quirk cards shown, or "" when none is
 */
char *
mini_inspector_dup_quirks_text (MiniInspector *self)
{
  GString *out = g_string_new (NULL);
  GtkWidget *widget;

  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);

  if (!gtk_widget_get_visible (self->quirks_section))
    return g_string_free (out, FALSE);

  /* Depth-first over the cards: their labels in reading order. */
  widget = GTK_WIDGET (self->quirks_box);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;)
    {
      if (GTK_IS_LABEL (child))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (child)));

      if (gtk_widget_get_first_child (child) != NULL && !GTK_IS_LABEL (child)
          && !GTK_IS_BUTTON (child))
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != widget && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child != widget ? gtk_widget_get_next_sibling (child) : NULL;
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * mini_inspector_get_wire_text:
 *
 * Returns: (nullable): the handshake shown for the event's task
 */
const char *
mini_inspector_get_wire_text (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);

  return gtk_widget_get_visible (self->wire_section) ? gtk_label_get_text (self->wire_label) : NULL;
}

/**
 * mini_inspector_get_json_model:
 *
 * Returns: (transfer none) (nullable): the rows of the JSON tree, GtkTreeListRow of MiniJsonItem
 */
GListModel *
mini_inspector_get_json_model (MiniInspector *self)
{
  g_return_val_if_fail (MINI_IS_INSPECTOR (self), NULL);
  return G_LIST_MODEL (self->json_model);
}

/**
 * mini_inspector_show_page:
 * @page: "text", "json" or "hex"
 */
void
mini_inspector_show_page (MiniInspector *self,
                          const char    *page)
{
  g_return_if_fail (MINI_IS_INSPECTOR (self));
  g_return_if_fail (page != NULL);

  if (g_str_equal (page, "json"))
    gtk_toggle_button_set_active (self->json_button, TRUE);
  else if (g_str_equal (page, "hex"))
    gtk_toggle_button_set_active (self->hex_button, TRUE);
  else
    gtk_toggle_button_set_active (self->text_button, TRUE);
}
