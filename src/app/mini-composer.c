/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mini-app-util.h"
#include "mini-composer.h"
#include "mini-header-row.h"
#include "mini-js.h"
#include "mini-util.h"

/* Long enough that the parser does not complain in the middle of a word. */
#define PARSE_DELAY_MS 300

typedef enum {
  FIELD_URL,
  FIELD_HEADER,
  FIELD_PROTOCOLS,
  FIELD_TIMEOUT,
  FIELD_BOOL,
  FIELD_JSON,
} FieldKind;

typedef struct {
  MiniComposer *composer;
  char         *option;
  FieldKind     kind;
  GtkWidget    *box;
  GtkWidget    *note;
  GtkWidget    *error;
  GtkWidget    *entry;       /* url, protocols, json */
  GtkWidget    *check;       /* timeout: whether it is set */
  GtkWidget    *spin;        /* timeout */
  GtkWidget    *dropdown;    /* bool: not set, true, false */
  GtkWidget    *rows;        /* header: MiniHeaderRow children */
} Field;

struct _MiniComposer
{
  GtkWidget       parent_instance;

  MiniDialect    *dialect;
  char           *playground_url;
  char           *option_states;   /* what the fields were built for */
  JsonObject     *args;            /* every option the user set, shown or not */
  GPtrArray      *fields;
  GMenu          *recent_menu;     /* the URLs connected to last, in every URL menu */
  guint           listeners;       /* bit per mini_js_listeners entry */
  guint           loading : 1;
  guint           setting_code : 1;
  guint           code_error : 1;
  guint           parse_id;

  GtkWidget      *scroller;
  GtkLabel       *title_label;
  GtkLabel       *platform_label;
  GtkBox         *fields_box;
  GtkBox         *callbacks_box;
  GtkCheckButton *success_check;
  GtkCheckButton *fail_check;
  GtkCheckButton *complete_check;
  GtkLabel       *callbacks_note;
  GtkGrid        *listeners_box;
  GtkWidget      *listener_checks[4];
  GtkLabel       *listeners_note;
  GtkTextView    *code_view;
  GtkTextBuffer  *code_buffer;
  GtkLabel       *code_error_label;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (MiniComposer, mini_composer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DIALECT,
  PROP_PLAYGROUND_URL,
  PROP_URL,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const struct {
  const char *url;
  const char *label;
} presets[] = {
  { "{playground}/echo", N_("Echo every message") },
  { "{playground}/headers", N_("Send the handshake headers, then echo") },
  { "{playground}/echo?delay_open_ms=300", N_("Slow handshake: 300 ms") },
  { "{playground}/echo?delay_open_ms=3000", N_("Very slow handshake: 3 s") },
  { "{playground}/echo?status=404", N_("Refuse the handshake: HTTP 404") },
  { "{playground}/echo?status=500", N_("Refuse the handshake: HTTP 500") },
  { "{playground}/echo?protocol=none", N_("Answer no subprotocol") },
  { "{playground}/echo?protocol=chat", N_("Answer the subprotocol “chat”") },
  { "{playground}/echo?close_after=2&code=4000&reason=bye", N_("Server closes after 2 messages") },
  { "{playground}/echo?drop_after=2", N_("Server drops TCP after 2 messages") },
  { "{playground}/echo?push_every_ms=1000", N_("Server sends a tick every second") },
  { "{playground}/echo?flood=1000&size=64", N_("Server floods 1000 messages") },
  { "{playground}/echo?silent=1", N_("Never answer the handshake") },
};

static const char * const callbacks[] = { "success", "fail", "complete" };

static void update_code    (MiniComposer *self);
static void load_listeners (MiniComposer *self);

/* ---- fields ------------------------------------------------------------------------------- */

static FieldKind
kind_for_option (const char *option)
{
  /* The types mini-runtime.c checks; an option the GUI does not know takes JSON. */
  static const struct { const char *option; FieldKind kind; } kinds[] = {
    { "url", FIELD_URL },
    { "header", FIELD_HEADER },
    { "protocols", FIELD_PROTOCOLS },
    { "timeout", FIELD_TIMEOUT },
    { "tcpNoDelay", FIELD_BOOL },
    { "perMessageDeflate", FIELD_BOOL },
    { "forceCellularNetwork", FIELD_BOOL },
    { "multiple", FIELD_BOOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].option, option))
        return kinds[i].kind;
    }

  return FIELD_JSON;
}

static void
field_free (Field *field)
{
  g_free (field->option);
  g_free (field);
}

static void
field_set_error (Field      *field,
                 const char *error)
{
  gtk_label_set_text (GTK_LABEL (field->error), error != NULL ? error : "");
  gtk_widget_set_visible (field->error, error != NULL);
  if (field->entry != NULL)
    {
      if (error != NULL)
        gtk_widget_add_css_class (field->entry, "error");
      else
        gtk_widget_remove_css_class (field->entry, "error");
    }
}

static void
update_header_warnings (MiniComposer *self,
                        Field        *field)
{
  g_autofree char *name = mini_dialect_dup_name (self->dialect);

  for (GtkWidget *child = gtk_widget_get_first_child (field->rows); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      MiniHeaderRow *row = MINI_HEADER_ROW (child);
      g_autofree char *lower = g_ascii_strdown (mini_header_row_get_name (row), -1);
      g_autofree char *warning = NULL;

      if (*lower != '\0' && mini_dialect_strv_contains (self->dialect, "forbiddenHeaders", lower))
        /* Translators: %s is a platform name such as WeChat; forbiddenHeaders is a rule name */
        warning = g_strdup_printf (_("%s does not let you set this header; it will be dropped "
                                     "(forbiddenHeaders)."), name);
      else if (*lower != '\0' && strpbrk (lower, " :\r\n") != NULL)
        warning = g_strdup (_("Not a valid HTTP header name; it will not be sent."));
      mini_header_row_set_warning (row, warning);
    }
}

/* Reads the field's widgets into the composer's options. */
static void
field_store (Field *field)
{
  MiniComposer *self = field->composer;
  JsonNode *node = NULL;

  field_set_error (field, NULL);

  switch (field->kind)
    {
    case FIELD_URL:
      node = json_node_init_string (json_node_alloc (),
                                    gtk_editable_get_text (GTK_EDITABLE (field->entry)));
      break;

    case FIELD_HEADER:
      {
        g_autoptr(JsonObject) header = json_object_new ();

        for (GtkWidget *child = gtk_widget_get_first_child (field->rows); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          {
            MiniHeaderRow *row = MINI_HEADER_ROW (child);

            if (*mini_header_row_get_name (row) != '\0')
              json_object_set_string_member (header, mini_header_row_get_name (row),
                                             mini_header_row_get_value (row));
          }
        if (gtk_widget_get_first_child (field->rows) != NULL)
          node = json_node_init_object (json_node_alloc (), header);
        update_header_warnings (self, field);
      }
      break;

    case FIELD_PROTOCOLS:
      {
        g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (field->entry)),
                                              ", ", -1);
        g_autoptr(JsonArray) array = json_array_new ();

        for (guint i = 0; parts[i] != NULL; i++)
          {
            if (*parts[i] != '\0')
              json_array_add_string_element (array, parts[i]);
          }
        if (json_array_get_length (array) > 0)
          node = json_node_init_array (json_node_alloc (), array);
      }
      break;

    case FIELD_TIMEOUT:
      gtk_widget_set_sensitive (field->spin,
                                gtk_check_button_get_active (GTK_CHECK_BUTTON (field->check)));
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (field->check)))
        {
          GtkSpinButton *spin = GTK_SPIN_BUTTON (field->spin);

          node = json_node_init_int (json_node_alloc (), gtk_spin_button_get_value_as_int (spin));
        }
      break;

    case FIELD_BOOL:
      switch (gtk_drop_down_get_selected (GTK_DROP_DOWN (field->dropdown)))
        {
        case 1:
          node = json_node_init_boolean (json_node_alloc (), TRUE);
          break;
        case 2:
          node = json_node_init_boolean (json_node_alloc (), FALSE);
          break;
        default:
          break;
        }
      break;

    case FIELD_JSON:
    default:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (field->entry));
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) error = NULL;

        if (*text == '\0')
          break;
        if (!json_parser_load_from_data (parser, text, -1, &error))
          {
            /* Translators: %s is the JSON parser's message */
            g_autofree char *reason = mini_json_error_message (error);
            g_autofree char *message = g_strdup_printf (_("Not valid JSON: %s"), reason);
            field_set_error (field, message);
            return;
          }
        node = json_node_copy (json_parser_get_root (parser));
      }
      break;
    }

  if (node != NULL)
    json_object_set_member (self->args, field->option, node);
  else if (json_object_has_member (self->args, field->option))
    json_object_remove_member (self->args, field->option);
}

static void
emit_changed (MiniComposer *self)
{
  update_code (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_field_changed (Field *field)
{
  MiniComposer *self = field->composer;

  if (self->loading)
    return;

  field_store (field);
  if (field->kind == FIELD_URL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  emit_changed (self);
}

static void on_header_remove (MiniHeaderRow *row,
                              Field         *field);

static MiniHeaderRow *
add_header_row (Field      *field,
                const char *name,
                const char *value)
{
  MiniHeaderRow *row = MINI_HEADER_ROW (mini_header_row_new ());

  mini_header_row_set_name (row, name);
  mini_header_row_set_value (row, value);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_field_changed), field);
  g_signal_connect (row, "remove", G_CALLBACK (on_header_remove), field);
  gtk_box_append (GTK_BOX (field->rows), GTK_WIDGET (row));

  return row;
}

static void
on_header_remove (MiniHeaderRow *row,
                  Field         *field)
{
  gtk_box_remove (GTK_BOX (field->rows), GTK_WIDGET (row));
  on_field_changed (field);
}

static void
on_add_header (Field *field)
{
  MiniHeaderRow *row = add_header_row (field, "", "");

  gtk_widget_grab_focus (GTK_WIDGET (row));
  on_field_changed (field);
}

/* Shows the composer's value of the option in the field's widgets. */
static void
field_load (Field *field)
{
  MiniComposer *self = field->composer;
  JsonNode *node = json_object_get_member (self->args, field->option);

  field_set_error (field, NULL);

  switch (field->kind)
    {
    case FIELD_URL:
      {
        const char *url = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                          && json_node_get_string (node) != NULL
                          ? json_node_get_string (node) : "";

        /* Setting the same text would move the cursor of a user typing in it. */
        if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (field->entry)), url) != 0)
          gtk_editable_set_text (GTK_EDITABLE (field->entry), url);
      }
      break;

    case FIELD_HEADER:
      {
        GtkWidget *child;

        while ((child = gtk_widget_get_first_child (field->rows)) != NULL)
          gtk_box_remove (GTK_BOX (field->rows), child);
        if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
          {
            JsonObjectIter iter;
            const char *name;
            JsonNode *value;

            json_object_iter_init_ordered (&iter, json_node_get_object (node));
            while (json_object_iter_next_ordered (&iter, &name, &value))
              {
                g_autofree char *text = JSON_NODE_HOLDS_VALUE (value)
                                        && json_node_get_value_type (value) == G_TYPE_STRING
                                        ? g_strdup (json_node_get_string (value))
                                        : json_to_string (value, FALSE);
                add_header_row (field, name, text);
              }
          }
        update_header_warnings (self, field);
      }
      break;

    case FIELD_PROTOCOLS:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
          {
            JsonArray *array = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonNode *element = json_array_get_element (array, i);
                if (JSON_NODE_HOLDS_VALUE (element)
                    && json_node_get_value_type (element) == G_TYPE_STRING)
                  g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "",
                                          json_node_get_string (element));
              }
          }
        gtk_editable_set_text (GTK_EDITABLE (field->entry), text->str);
      }
      break;

    case FIELD_TIMEOUT:
      {
        gboolean set = node != NULL && g_str_equal (mini_json_type_name (node), "Number");

        gtk_check_button_set_active (GTK_CHECK_BUTTON (field->check), set);
        gtk_widget_set_sensitive (field->spin, set);
        if (set)
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->spin), json_node_get_double (node));
      }
      break;

    case FIELD_BOOL:
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (field->dropdown),
                                    json_node_get_boolean (node) ? 1 : 2);
      else
        gtk_drop_down_set_selected (GTK_DROP_DOWN (field->dropdown), 0);
      break;

    case FIELD_JSON:
    default:
      {
        g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : g_strdup ("");
        gtk_editable_set_text (GTK_EDITABLE (field->entry), text);
      }
      break;
    }
}

static GtkWidget *
caption_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_visible (label, FALSE);

  return label;
}

static GtkWidget *
option_label (const char *option)
{
  GtkWidget *label = gtk_label_new (option);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "option-name");

  return label;
}

static Field *
field_new (MiniComposer *self,
           const char   *option)
{
  Field *field = g_new0 (Field, 1);
  GtkWidget *title_box;

  field->composer = self;
  field->option = g_strdup (option);
  field->kind = kind_for_option (option);
  field->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_name (field->box, option);
  gtk_widget_add_css_class (field->box, "option");
  field->note = caption_label ("dim-label");
  field->error = caption_label ("error");

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (title_box), option_label (option));
  gtk_box_append (GTK_BOX (field->box), title_box);

  switch (field->kind)
    {
    case FIELD_URL:
      {
        GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        GtkWidget *button = gtk_menu_button_new ();
        g_autoptr(GMenu) menu = g_menu_new ();

        for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
          {
            g_autoptr(GMenuItem) item = g_menu_item_new (_(presets[i].label), NULL);

            g_menu_item_set_action_and_target (item, "composer.preset", "s", presets[i].url);
            g_menu_append_item (menu, item);
          }
        g_menu_append_section (menu, _("Recent"), G_MENU_MODEL (self->recent_menu));
        field->entry = gtk_entry_new ();
        gtk_widget_set_hexpand (field->entry, TRUE);
        gtk_editable_set_width_chars (GTK_EDITABLE (field->entry), 12);
        gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
        gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
        gtk_widget_set_tooltip_text (button, _("Playground presets"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Playground presets"),
                                        -1);
        gtk_widget_add_css_class (row, "linked");
        gtk_box_append (GTK_BOX (row), field->entry);
        gtk_box_append (GTK_BOX (row), button);
        gtk_box_append (GTK_BOX (field->box), row);
        g_signal_connect_swapped (field->entry, "changed", G_CALLBACK (on_field_changed), field);
      }
      break;

    case FIELD_HEADER:
      {
        GtkWidget *add = gtk_button_new_with_label (_("Add Header"));

        field->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
        gtk_widget_set_halign (add, GTK_ALIGN_START);
        gtk_widget_add_css_class (add, "small");
        gtk_box_append (GTK_BOX (field->box), field->rows);
        gtk_box_append (GTK_BOX (field->box), add);
        g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_header), field);
      }
      break;

    case FIELD_PROTOCOLS:
      field->entry = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (field->entry),
                                      /* Translators: an example list of subprotocols */
                                      _("e.g. chat, json"));
      gtk_box_append (GTK_BOX (field->box), field->entry);
      g_signal_connect_swapped (field->entry, "changed", G_CALLBACK (on_field_changed), field);
      break;

    case FIELD_TIMEOUT:
      {
        GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

        field->check = gtk_check_button_new_with_label (_("Set"));
        field->spin = gtk_spin_button_new_with_range (0, 600000, 500);
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->spin), 5000);
        gtk_widget_set_hexpand (field->spin, TRUE);
        gtk_box_append (GTK_BOX (row), field->check);
        gtk_box_append (GTK_BOX (row), field->spin);
        /* Translators: milliseconds, after the timeout field */
        gtk_box_append (GTK_BOX (row), gtk_label_new (_("ms")));
        gtk_box_append (GTK_BOX (field->box), row);
        g_signal_connect_swapped (field->check, "toggled", G_CALLBACK (on_field_changed), field);
        g_signal_connect_swapped (field->spin, "value-changed", G_CALLBACK (on_field_changed),
                                  field);
      }
      break;

    case FIELD_BOOL:
      {
        /* Translators: the choice of a boolean option that is left out of the call */
        const char *choices[] = { _("not set"), "true", "false", NULL };

        field->dropdown = gtk_drop_down_new_from_strings (choices);
        gtk_widget_set_hexpand (field->dropdown, TRUE);
        gtk_widget_set_halign (field->dropdown, GTK_ALIGN_END);
        gtk_box_append (GTK_BOX (title_box), field->dropdown);
        g_signal_connect_swapped (field->dropdown, "notify::selected",
                                  G_CALLBACK (on_field_changed), field);
      }
      break;

    case FIELD_JSON:
    default:
      field->entry = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (field->entry),
                                      /* Translators: the option takes any JSON value */
                                      _("A JSON value"));
      gtk_box_append (GTK_BOX (field->box), field->entry);
      g_signal_connect_swapped (field->entry, "changed", G_CALLBACK (on_field_changed), field);
      break;
    }

  if (field->entry != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (field->entry),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, option, -1);

  gtk_box_append (GTK_BOX (field->box), field->note);
  gtk_box_append (GTK_BOX (field->box), field->error);

  return field;
}

static void
update_notes (MiniComposer *self)
{
  g_autofree char *name = mini_dialect_dup_name (self->dialect);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *state = mini_dialect_get_option_state (self->dialect, field->option);
      g_autofree char *note = NULL;

      if (g_str_equal (state, "ignored"))
        /* Translators: %s is a platform name */
        note = g_strdup_printf (_("%s accepts this option but ignores it."), name);
      else if (field->kind == FIELD_URL && self->playground_url != NULL
               && strstr (gtk_editable_get_text (GTK_EDITABLE (field->entry)), "{playground}"))
        {
          const char *url = gtk_editable_get_text (GTK_EDITABLE (field->entry));
          g_autofree char *expanded = mini_expand_template (url, "playground",
                                                            self->playground_url, NULL);
          /* Translators: %s is the URL with {playground} replaced */
          note = g_strdup_printf (_("Connects to %s"), expanded);
        }
      else if (field->kind == FIELD_TIMEOUT)
        {
          gint64 fallback = mini_dialect_get_int (self->dialect, "timeoutDefault");

          note = fallback > 0
                 /* Translators: %d is a number of milliseconds */
                 ? g_strdup_printf (_("When not set: %d ms (timeoutDefault)."), (int) fallback)
                 : g_strdup (_("When not set: no timeout (timeoutDefault)."));
        }
      else if (field->kind == FIELD_BOOL && g_str_equal (field->option, "perMessageDeflate"))
        note = g_strdup (mini_dialect_get_bool (self->dialect, "perMessageDeflateDefault")
                         ? _("When not set: offered (perMessageDeflateDefault).")
                         : _("When not set: not offered (perMessageDeflateDefault)."));

      gtk_label_set_text (GTK_LABEL (field->note), note != NULL ? note : "");
      gtk_widget_set_visible (field->note, note != NULL);
      if (g_str_equal (state, "ignored"))
        gtk_widget_add_css_class (field->box, "ignored");
      else
        gtk_widget_remove_css_class (field->box, "ignored");
      if (field->kind == FIELD_HEADER)
        update_header_warnings (self, field);
    }

  if (mini_dialect_get_bool (self->dialect, "callbacks"))
    gtk_widget_set_visible (GTK_WIDGET (self->callbacks_note), FALSE);
  else
    {
      /* Translators: %s is a platform name */
      g_autofree char *text = g_strdup_printf (_("%s never calls success, fail or complete."),
                                               name);
      gtk_label_set_text (self->callbacks_note, text);
      gtk_widget_set_visible (GTK_WIDGET (self->callbacks_note), TRUE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->callbacks_box),
                            mini_dialect_get_bool (self->dialect, "callbacks"));
}

static char *
describe_option_states (MiniDialect *dialect)
{
  JsonObject *states = mini_dialect_get_object (dialect, "options");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), states);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_strdup_printf ("%s %s %d", mini_dialect_get_prefix (dialect), text,
                          mini_dialect_get_bool (dialect, "callbacks"));
}

static JsonArray *
schema_options (void)
{
  return json_object_get_array_member (mini_dialect_schema_get_rule ("options"), "values");
}

static void
load_all (MiniComposer *self)
{
  self->loading = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    field_load (g_ptr_array_index (self->fields, i));
  gtk_check_button_set_active (self->success_check,
                               json_object_get_boolean_member_with_default (self->args, "success",
                                                                            FALSE));
  gtk_check_button_set_active (self->fail_check,
                               json_object_get_boolean_member_with_default (self->args, "fail",
                                                                            FALSE));
  gtk_check_button_set_active (self->complete_check,
                               json_object_get_boolean_member_with_default (self->args, "complete",
                                                                            FALSE));
  load_listeners (self);
  self->loading = FALSE;
}

/* Fields only for the options the platform has: one it lacks is not there at all. */
static void
rebuild_fields (MiniComposer *self)
{
  g_autofree char *states = describe_option_states (self->dialect);
  JsonArray *options = schema_options ();
  GtkWidget *child;

  if (g_strcmp0 (states, self->option_states) == 0)
    {
      update_notes (self);
      return;
    }
  g_free (self->option_states);
  self->option_states = g_steal_pointer (&states);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  g_ptr_array_set_size (self->fields, 0);

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      const char *option = json_array_get_string_element (options, i);
      Field *field;

      if (g_str_equal (mini_dialect_get_option_state (self->dialect, option), "absent"))
        continue;
      field = field_new (self, option);
      g_ptr_array_add (self->fields, field);
      gtk_box_append (self->fields_box, field->box);
    }

  load_all (self);
  update_notes (self);
}

/* ---- listeners ----------------------------------------------------------------------------- */

static GStrv
dup_listeners (MiniComposer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; mini_js_listeners[i] != NULL; i++)
    {
      if (self->listeners & (1u << i))
        g_strv_builder_add (builder, mini_js_listeners[i]);
    }

  return g_strv_builder_end (builder);
}

static void
load_listeners (MiniComposer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->listener_checks); i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->listener_checks[i]),
                                 (self->listeners & (1u << i)) != 0);
}

static void
on_listener_toggled (MiniComposer *self)
{
  if (self->loading)
    return;

  self->listeners = 0;
  for (guint i = 0; i < G_N_ELEMENTS (self->listener_checks); i++)
    {
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->listener_checks[i])))
        self->listeners |= 1u << i;
    }
  emit_changed (self);
}

static void
update_listeners_note (MiniComposer *self)
{
  g_autoptr(JsonObject) args = json_object_new ();
  const char *prefix = mini_dialect_get_prefix (self->dialect);
  g_autofree char *note = NULL;

  /* What decides whether a task comes back: the callbacks passed and multiple. */
  for (guint i = 0; i < 4; i++)
    {
      static const char * const members[] = { "success", "fail", "complete", "multiple" };
      gboolean value = json_object_get_boolean_member_with_default (self->args, members[i], FALSE);

      json_object_set_boolean_member (args, members[i], value);
    }

  if (*prefix == '\0')
    note = g_strdup (_("Set on the WebSocket right after it is made."));
  else if (mini_js_returns_task (self->dialect, args))
    note = g_strdup (_("Registered on the returned SocketTask right after the call."));
  else
    /* Translators: %s is an API prefix such as my */
    note = g_strdup_printf (_("This call returns no SocketTask: the global %s.onSocket* "
                              "listeners are registered instead."), prefix);
  gtk_label_set_text (self->listeners_note, note);
}

/* ---- code ---------------------------------------------------------------------------------- */

static gboolean
option_shown (MiniComposer *self,
              const char   *member)
{
  JsonArray *options = schema_options ();

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      if (g_str_equal (json_array_get_string_element (options, i), member))
        return !g_str_equal (mini_dialect_get_option_state (self->dialect, member), "absent");
    }

  return FALSE;
}

static gboolean
is_callback (const char *member)
{
  return g_strv_contains (callbacks, member);
}

static gboolean
is_option (const char *member)
{
  JsonArray *options = schema_options ();

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      if (g_str_equal (json_array_get_string_element (options, i), member))
        return TRUE;
    }

  return FALSE;
}

/* The call as the user composed it: the options this platform has, in the schema's order, then
 * anything else the code named, then the callbacks that were passed. */
static JsonObject *
visible_args (MiniComposer *self,
              gboolean      expand)
{
  JsonObject *args = json_object_new ();
  JsonArray *options = schema_options ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      const char *option = json_array_get_string_element (options, i);

      if (option_shown (self, option) && json_object_has_member (self->args, option))
        json_object_set_member (args, option,
                                json_node_copy (json_object_get_member (self->args, option)));
    }

  json_object_iter_init_ordered (&iter, self->args);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      if (!is_option (member) && !is_callback (member))
        json_object_set_member (args, member, json_node_copy (node));
    }

  if (mini_dialect_get_bool (self->dialect, "callbacks"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (callbacks); i++)
        {
          if (json_object_get_boolean_member_with_default (self->args, callbacks[i], FALSE))
            json_object_set_boolean_member (args, callbacks[i], TRUE);
        }
    }

  if (expand && self->playground_url != NULL && json_object_has_member (args, "url")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (args, "url")))
    {
      g_autofree char *url = mini_expand_template (json_object_get_string_member (args, "url"),
                                                   "playground", self->playground_url, NULL);
      json_object_set_string_member (args, "url", url);
    }

  return args;
}

static void
set_code_error (MiniComposer *self,
                const char   *message,
                guint         line,
                guint         column)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->code_buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (self->code_buffer, "error", &start, &end);

  self->code_error = message != NULL;
  gtk_label_set_text (self->code_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->code_error_label), message != NULL);

  if (message == NULL || line == 0)
    return;

  /* Underlines from the error to the end of its line, so the eye finds it. */
  gtk_text_buffer_get_iter_at_line_offset (self->code_buffer, &start, (int) line - 1,
                                           (int) column - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  else if (!gtk_text_iter_backward_char (&start))
    gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag_by_name (self->code_buffer, "error", &start, &end);
}

static void
update_code (MiniComposer *self)
{
  g_autoptr(JsonObject) args = NULL;
  g_auto(GStrv) listeners = NULL;
  g_autofree char *code = NULL;

  if (self->dialect == NULL)
    return;

  args = visible_args (self, TRUE);
  listeners = dup_listeners (self);
  code = mini_js_format_connect (self->dialect, args, (const char * const *) listeners);
  update_listeners_note (self);

  self->setting_code = TRUE;
  gtk_text_buffer_set_text (self->code_buffer, code, -1);
  self->setting_code = FALSE;
  g_clear_handle_id (&self->parse_id, g_source_remove);
  set_code_error (self, NULL, 0, 0);
}

/* Reads the code view back into the form; the code stays as the user typed it. */
static gboolean
parse_code (MiniComposer *self)
{
  g_autoptr(JsonObject) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listeners = NULL;
  g_autofree char *code = NULL;
  GtkTextIter start, end;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  guint line, column;

  g_clear_handle_id (&self->parse_id, g_source_remove);

  gtk_text_buffer_get_bounds (self->code_buffer, &start, &end);
  code = gtk_text_buffer_get_text (self->code_buffer, &start, &end, FALSE);
  parsed = mini_js_parse_connect (self->dialect, code, &listeners, &line, &column, &error);
  if (parsed == NULL)
    {
      set_code_error (self, error->message, line, column);
      return FALSE;
    }
  set_code_error (self, NULL, 0, 0);

  /* The playground's address changes each run; the form keeps it as {playground}. */
  if (self->playground_url != NULL && json_object_has_member (parsed, "url")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (parsed, "url"))
      && json_node_get_value_type (json_object_get_member (parsed, "url")) == G_TYPE_STRING
      && g_str_has_prefix (json_object_get_string_member (parsed, "url"), self->playground_url))
    {
      g_autofree char *url = g_strconcat ("{playground}",
                                          json_object_get_string_member (parsed, "url")
                                          + strlen (self->playground_url), NULL);
      json_object_set_string_member (parsed, "url", url);
    }

  /* What the code no longer says is no longer set, except options this platform hides. */
  {
    g_autoptr(GList) members = json_object_get_members (self->args);

    for (GList *l = members; l != NULL; l = l->next)
      {
        const char *name = l->data;

        if (!json_object_has_member (parsed, name) && (option_shown (self, name)
                                                       || !is_option (name)))
          json_object_remove_member (self->args, name);
      }
  }
  json_object_iter_init_ordered (&iter, parsed);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    json_object_set_member (self->args, member, json_node_copy (node));
  if (!json_object_has_member (self->args, "url"))
    json_object_set_string_member (self->args, "url", "");

  self->listeners = 0;
  for (guint i = 0; mini_js_listeners[i] != NULL; i++)
    {
      if (g_strv_contains ((const char * const *) listeners, mini_js_listeners[i]))
        self->listeners |= 1u << i;
    }

  load_all (self);
  update_notes (self);
  update_listeners_note (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  g_signal_emit (self, signals[CHANGED], 0);

  return TRUE;
}

static gboolean
parse_code_cb (gpointer user_data)
{
  MiniComposer *self = user_data;

  self->parse_id = 0;
  parse_code (self);

  return G_SOURCE_REMOVE;
}

static void
on_code_changed (MiniComposer *self)
{
  if (self->setting_code)
    return;

  g_clear_handle_id (&self->parse_id, g_source_remove);
  self->parse_id = g_timeout_add (PARSE_DELAY_MS, parse_code_cb, self);
}

/* ---- callbacks and actions ----------------------------------------------------------------- */

static void
on_callback_toggled (MiniComposer *self)
{
  if (self->loading)
    return;

  json_object_set_boolean_member (self->args, "success",
                                  gtk_check_button_get_active (self->success_check));
  json_object_set_boolean_member (self->args, "fail",
                                  gtk_check_button_get_active (self->fail_check));
  json_object_set_boolean_member (self->args, "complete",
                                  gtk_check_button_get_active (self->complete_check));
  emit_changed (self);
}

static void
preset_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  mini_composer_set_url (MINI_COMPOSER (widget), g_variant_get_string (parameter, NULL));
}

/* ---- object -------------------------------------------------------------------------------- */

static void
mini_composer_dispose (GObject *object)
{
  MiniComposer *self = MINI_COMPOSER (object);

  g_clear_handle_id (&self->parse_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_COMPOSER);
  mini_widget_unparent_children (GTK_WIDGET (object));
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->dialect);
  g_clear_object (&self->recent_menu);

  G_OBJECT_CLASS (mini_composer_parent_class)->dispose (object);
}

static void
mini_composer_finalize (GObject *object)
{
  MiniComposer *self = MINI_COMPOSER (object);

  g_clear_pointer (&self->args, json_object_unref);
  g_free (self->playground_url);
  g_free (self->option_states);

  G_OBJECT_CLASS (mini_composer_parent_class)->finalize (object);
}

static void
mini_composer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MiniComposer *self = MINI_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      g_value_set_object (value, self->dialect);
      break;

    case PROP_PLAYGROUND_URL:
      g_value_set_string (value, self->playground_url);
      break;

    case PROP_URL:
      g_value_set_string (value, mini_composer_get_url (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_composer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MiniComposer *self = MINI_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_DIALECT:
      mini_composer_set_dialect (self, g_value_get_object (value));
      break;

    case PROP_PLAYGROUND_URL:
      mini_composer_set_playground_url (self, g_value_get_string (value));
      break;

    case PROP_URL:
      mini_composer_set_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_composer_class_init (MiniComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_composer_dispose;
  object_class->finalize = mini_composer_finalize;
  object_class->get_property = mini_composer_get_property;
  object_class->set_property = mini_composer_set_property;

  properties[PROP_DIALECT] =
    g_param_spec_object ("dialect", NULL, NULL,
                         MINI_TYPE_DIALECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYGROUND_URL] =
    g_param_spec_string ("playground-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The options changed, from the form or from the code. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, title_label);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, platform_label);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, fields_box);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, callbacks_box);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, success_check);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, fail_check);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, complete_check);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, callbacks_note);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, listeners_box);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, listeners_note);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, code_view);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, MiniComposer, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_callback_toggled);
  gtk_widget_class_install_action (widget_class, "composer.preset", "s", preset_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
mini_composer_init (MiniComposer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recent_menu = g_menu_new ();
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  g_assert (g_strv_length ((char **) mini_js_listeners) == G_N_ELEMENTS (self->listener_checks));
  self->listeners = (1u << G_N_ELEMENTS (self->listener_checks)) - 1;
  for (guint i = 0; i < G_N_ELEMENTS (self->listener_checks); i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (mini_js_listeners[i]);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_listener_toggled), self,
                               G_CONNECT_SWAPPED);
      gtk_grid_attach (self->listeners_box, check, (int) (i % 2), (int) (i / 2), 1, 1);
      self->listener_checks[i] = check;
    }
  self->args = json_object_new ();
  json_object_set_string_member (self->args, "url", "{playground}/echo");
  json_object_set_boolean_member (self->args, "success", TRUE);
  json_object_set_boolean_member (self->args, "fail", TRUE);

  self->code_buffer = gtk_text_view_get_buffer (self->code_view);
  gtk_text_buffer_create_tag (self->code_buffer, "error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              NULL);
  g_signal_connect_object (self->code_buffer, "changed", G_CALLBACK (on_code_changed), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
mini_composer_new (void)
{
  return g_object_new (MINI_TYPE_COMPOSER, NULL);
}

MiniDialect *
mini_composer_get_dialect (MiniComposer *self)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);
  return self->dialect;
}

void
mini_composer_set_dialect (MiniComposer *self,
                           MiniDialect  *dialect)
{
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  const char *prefix;

  g_return_if_fail (MINI_IS_COMPOSER (self));
  g_return_if_fail (dialect == NULL || MINI_IS_DIALECT (dialect));

  if (!g_set_object (&self->dialect, dialect))
    return;

  if (dialect != NULL)
    {
      prefix = mini_dialect_get_prefix (dialect);
      name = mini_dialect_dup_name (dialect);
      title = *prefix != '\0' ? g_strdup_printf ("%s.connectSocket", prefix)
                              : g_strdup ("new WebSocket");
      gtk_label_set_text (self->title_label, title);
      gtk_label_set_text (self->platform_label, name);
      rebuild_fields (self);
      update_code (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALECT]);
}

const char *
mini_composer_get_playground_url (MiniComposer *self)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);
  return self->playground_url;
}

void
mini_composer_set_playground_url (MiniComposer *self,
                                  const char   *url)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));

  if (g_strcmp0 (url, self->playground_url) == 0)
    return;

  g_free (self->playground_url);
  self->playground_url = g_strdup (url);
  if (self->dialect != NULL)
    {
      update_notes (self);
      update_code (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYGROUND_URL]);
}

const char *
mini_composer_get_url (MiniComposer *self)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);
  return json_object_get_string_member_with_default (self->args, "url", "");
}

void
mini_composer_set_url (MiniComposer *self,
                       const char   *url)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));
  g_return_if_fail (url != NULL);

  if (g_strcmp0 (url, mini_composer_get_url (self)) == 0)
    return;

  json_object_set_string_member (self->args, "url", url);
  load_all (self);
  if (self->dialect != NULL)
    update_notes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  emit_changed (self);
}

/**
 * mini_composer_dup_args:
 *
 * The options of the connectSocket call to make. Code the user is still typing is read first;
 * code that does not parse refuses the call rather than connect with something else.
 *
 * Returns: (transfer full) (nullable): the options with `{playground}` unexpanded, or %NULL
 */
JsonObject *
mini_composer_dup_args (MiniComposer  *self,
                        GError       **error)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);
  g_return_val_if_fail (self->dialect != NULL, NULL);

  if (self->parse_id != 0)
    parse_code (self);

  if (self->code_error)
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   /* Translators: %s says where the code view has a syntax error */
                   _("The code has an error: %s"), gtk_label_get_text (self->code_error_label));
      return NULL;
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (gtk_widget_get_visible (field->error))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: %s", field->option,
                       gtk_label_get_text (GTK_LABEL (field->error)));
          return NULL;
        }
    }

  return visible_args (self, FALSE);
}

/* Replaces every option, e.g. to reproduce a call from a scenario. */
void
mini_composer_set_args (MiniComposer *self,
                        JsonObject   *args)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));
  g_return_if_fail (args != NULL);

  g_clear_pointer (&self->args, json_object_unref);
  self->args = json_object_new ();
  {
    JsonObjectIter iter;
    const char *member;
    JsonNode *node;

    json_object_iter_init_ordered (&iter, args);
    while (json_object_iter_next_ordered (&iter, &member, &node))
      json_object_set_member (self->args, member, json_node_copy (node));
  }
  if (!json_object_has_member (self->args, "url"))
    json_object_set_string_member (self->args, "url", "");

  load_all (self);
  if (self->dialect != NULL)
    update_notes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  emit_changed (self);
}

/**
 * mini_composer_dup_listeners:
 *
 * Returns: (transfer full): the listeners to register right after the call: onOpen, onMessage,
 *   onError, onClose
 */
GStrv
mini_composer_dup_listeners (MiniComposer *self)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);
  return dup_listeners (self);
}

void
mini_composer_set_listeners (MiniComposer       *self,
                             const char * const *listeners)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));

  self->listeners = 0;
  for (guint i = 0; mini_js_listeners[i] != NULL; i++)
    {
      if (listeners != NULL && g_strv_contains (listeners, mini_js_listeners[i]))
        self->listeners |= 1u << i;
    }

  self->loading = TRUE;
  load_listeners (self);
  self->loading = FALSE;
  emit_changed (self);
}

char *
mini_composer_dup_code (MiniComposer *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);

  gtk_text_buffer_get_bounds (self->code_buffer, &start, &end);
  return gtk_text_buffer_get_text (self->code_buffer, &start, &end, FALSE);
}

/* As if the user typed @code into the code view. */
void
mini_composer_set_code (MiniComposer *self,
                        const char   *code)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));
  g_return_if_fail (code != NULL);

  gtk_text_buffer_set_text (self->code_buffer, code, -1);
}

/**
 * mini_composer_get_error:
 *
 * Returns: (nullable): the error shown: the last call's, or the code's
 */
const char *
mini_composer_get_error (MiniComposer *self)
{
  g_return_val_if_fail (MINI_IS_COMPOSER (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return gtk_label_get_text (self->error_label);
  if (self->code_error)
    return gtk_label_get_text (self->code_error_label);

  return NULL;
}

/* A call the composer made could not be made; shows why, above the form. */
void
mini_composer_show_error (MiniComposer *self,
                          const char   *error)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));

  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

/**
 * mini_composer_set_recent_urls:
 * @urls: (nullable): newest first
 *
 * Lists the URLs connected to last in the URL menu, below the playground presets.
 */
void
mini_composer_set_recent_urls (MiniComposer       *self,
                               const char * const *urls)
{
  g_return_if_fail (MINI_IS_COMPOSER (self));

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autoptr(GString) label = g_string_new (urls[i]);
      g_autoptr(GMenuItem) item = NULL;

      /* Menu labels take mnemonics: an underscore of the URL is doubled to show as one. */
      g_string_replace (label, "_", "__", 0);
      item = g_menu_item_new (label->str, NULL);
      g_menu_item_set_action_and_target (item, "composer.preset", "s", urls[i]);
      g_menu_append_item (self->recent_menu, item);
    }
}
