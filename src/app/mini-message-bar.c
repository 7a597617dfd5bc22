/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-message-bar.h"
#include "mini-util.h"

struct _MiniMessageBar
{
  GtkWidget       parent_instance;

  MiniSession    *session;
  MiniTimeline   *timeline;
  GtkStringList  *tasks;        /* "Newest task", "Task 1", … */
  guint           max_task;

  GtkDropDown    *task_dropdown;
  GtkDropDown    *format_dropdown;
  GtkEntry       *message_entry;
  GtkDropDown    *api_dropdown;
  GtkStringList  *apis;
  GtkCheckButton *callbacks_check;
  GtkEntry       *code_entry;
  GtkEntry       *reason_entry;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (MiniMessageBar, mini_message_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TASK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_error (MiniMessageBar *self,
            const char     *error)
{
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_entry), "error");
}

static gboolean
is_global (MiniMessageBar *self)
{
  return gtk_drop_down_get_selected (self->api_dropdown) == 1;
}

static void
add_callbacks (MiniMessageBar *self,
               JsonObject     *args)
{
  /* Passing them is what makes the platform report the call's fail or success at all. */
  if (gtk_check_button_get_active (self->callbacks_check))
    {
      json_object_set_boolean_member (args, "success", TRUE);
      json_object_set_boolean_member (args, "fail", TRUE);
      json_object_set_boolean_member (args, "complete", TRUE);
    }
}

static gboolean
call (MiniMessageBar *self,
      const char     *api,
      JsonObject     *args)
{
  g_autoptr(GError) error = NULL;
  guint task = is_global (self) ? 0 : mini_message_bar_get_task (self);

  if (self->session == NULL || mini_session_get_runtime (self->session) == NULL)
    return FALSE;

  if (!mini_session_call (self->session, api, args, task, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }

  show_error (self, NULL);
  return TRUE;
}

static JsonNode *
message_data (MiniMessageBar  *self,
              GError         **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) binary = NULL;

  switch (gtk_drop_down_get_selected (self->format_dropdown))
    {
    case MINI_MESSAGE_JSON:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) local_error = NULL;

        if (!json_parser_load_from_data (parser, text, -1, &local_error)
            || json_parser_get_root (parser) == NULL)
          {
            g_autofree char *reason = local_error != NULL ? mini_json_error_message (local_error)
                                                          : g_strdup (_("the message is empty"));

            g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                         /* Translators: %s is the JSON parser's message */
                         _("Not valid JSON: %s"), reason);
            return NULL;
          }
        /* The platform takes a string: what JSON.stringify would hand it. */
        return json_node_init_string (json_node_alloc (), text);
      }

    case MINI_MESSAGE_HEX:
      if ((bytes = mini_decode_hex (text, error)) == NULL)
        return NULL;
      binary = json_object_new ();
      json_object_set_string_member (binary, "hex", text);
      return json_node_init_object (json_node_alloc (), binary);

    case MINI_MESSAGE_BASE64:
      if ((bytes = mini_decode_base64 (text, error)) == NULL)
        return NULL;
      binary = json_object_new ();
      json_object_set_string_member (binary, "base64", text);
      return json_node_init_object (json_node_alloc (), binary);

    case MINI_MESSAGE_TEXT:
    default:
      return json_node_init_string (json_node_alloc (), text);
    }
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  mini_message_bar_send (MINI_MESSAGE_BAR (widget));
}

static void
close_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  mini_message_bar_close (MINI_MESSAGE_BAR (widget));
}

static void
on_entry_changed (MiniMessageBar *self)
{
  show_error (self, NULL);
}

static void
on_entry_activate (MiniMessageBar *self)
{
  mini_message_bar_send (self);
}

static void
on_close_activate (MiniMessageBar *self)
{
  mini_message_bar_close (self);
}

static void
update_apis (MiniMessageBar *self)
{
  MiniDialect *dialect = self->session != NULL ? mini_session_get_dialect (self->session) : NULL;
  const char *prefix = dialect != NULL ? mini_dialect_get_prefix (dialect) : "wx";
  guint selected = gtk_drop_down_get_selected (self->api_dropdown);
  g_autofree char *global = NULL;

  global = *prefix != '\0'
           ? g_strdup_printf ("%s.sendSocketMessage / %s.closeSocket", prefix, prefix)
           : g_strdup ("sendSocketMessage / closeSocket");
  gtk_string_list_splice (self->apis, 0, g_list_model_get_n_items (G_LIST_MODEL (self->apis)),
                          (const char * const[]) { "SocketTask.send / close", global, NULL });
  gtk_drop_down_set_selected (self->api_dropdown, selected == 1 ? 1 : 0);
}

static void
on_api_selected (MiniMessageBar *self)
{
  /* The globals pick their socket themselves, by the platform's rule. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->task_dropdown), !is_global (self));
}

static void
reset_tasks (MiniMessageBar *self)
{
  gtk_string_list_splice (self->tasks, 1, g_list_model_get_n_items (G_LIST_MODEL (self->tasks)) - 1,
                          NULL);
  self->max_task = 0;
}

static void
on_timeline_items_changed (MiniMessageBar *self,
                           guint           position,
                           guint           removed,
                           guint           added,
                           GListModel     *model)
{
  if (removed > 0 && g_list_model_get_n_items (model) == 0)
    {
      gtk_drop_down_set_selected (self->task_dropdown, 0);
      reset_tasks (self);
    }

  for (guint i = position; i < position + added; i++)
    {
      MiniEventView view;

      if (!mini_timeline_get_event (self->timeline, i, &view) || view.task <= self->max_task)
        continue;
      for (guint task = self->max_task + 1; task <= view.task; task++)
        {
          g_autofree char *label = g_strdup_printf (_("Task %u"), task);
          gtk_string_list_append (self->tasks, label);
        }
      self->max_task = view.task;
    }
}

static void
set_timeline (MiniMessageBar *self,
              MiniTimeline   *timeline)
{
  if (self->timeline == timeline)
    return;

  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);
  g_set_object (&self->timeline, timeline);
  reset_tasks (self);
  if (timeline != NULL)
    {
      g_signal_connect_swapped (timeline, "items-changed", G_CALLBACK (on_timeline_items_changed),
                                self);
      on_timeline_items_changed (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (timeline)),
                                 G_LIST_MODEL (timeline));
    }
}

static void
on_task_selected (MiniMessageBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

static void
mini_message_bar_dispose (GObject *object)
{
  MiniMessageBar *self = MINI_MESSAGE_BAR (object);

  set_timeline (self, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_MESSAGE_BAR);
  mini_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->session);
  g_clear_object (&self->tasks);
  g_clear_object (&self->apis);

  G_OBJECT_CLASS (mini_message_bar_parent_class)->dispose (object);
}

static void
mini_message_bar_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MiniMessageBar *self = MINI_MESSAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_TASK:
      g_value_set_uint (value, mini_message_bar_get_task (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_message_bar_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MiniMessageBar *self = MINI_MESSAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mini_message_bar_set_session (self, g_value_get_object (value));
      break;

    case PROP_TASK:
      mini_message_bar_set_task (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_message_bar_class_init (MiniMessageBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_message_bar_dispose;
  object_class->get_property = mini_message_bar_get_property;
  object_class->set_property = mini_message_bar_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         MINI_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The socketTaskId sends and closes go to; 0 for the newest. */
  properties[PROP_TASK] =
    g_param_spec_uint ("task", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-message-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, task_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, format_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, message_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, api_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, callbacks_check);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, code_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniMessageBar, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_close_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_api_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_task_selected);
  gtk_widget_class_install_action (widget_class, "message-bar.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "message-bar.close", NULL, close_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagebar");
}

static void
mini_message_bar_init (MiniMessageBar *self)
{
  const char *formats[] = {
    /* Translators: message formats */
    N_("Text"), N_("JSON"), N_("Hex"), N_("Base64"), NULL
  };
  g_autoptr(GtkStringList) format_list = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; formats[i] != NULL; i++)
    gtk_string_list_append (format_list, _(formats[i]));
  gtk_drop_down_set_model (self->format_dropdown, G_LIST_MODEL (format_list));

  self->tasks = gtk_string_list_new ((const char * const[]) { _("Newest task"), NULL });
  gtk_drop_down_set_model (self->task_dropdown, G_LIST_MODEL (self->tasks));

  self->apis = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->api_dropdown, G_LIST_MODEL (self->apis));
  update_apis (self);
}

GtkWidget *
mini_message_bar_new (void)
{
  return g_object_new (MINI_TYPE_MESSAGE_BAR, NULL);
}

MiniSession *
mini_message_bar_get_session (MiniMessageBar *self)
{
  g_return_val_if_fail (MINI_IS_MESSAGE_BAR (self), NULL);
  return self->session;
}

void
mini_message_bar_set_session (MiniMessageBar *self,
                              MiniSession    *session)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));
  g_return_if_fail (session == NULL || MINI_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_swapped (session, "notify::dialect", G_CALLBACK (update_apis), self);
  set_timeline (self, session != NULL ? mini_session_get_timeline (session) : NULL);
  update_apis (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

guint
mini_message_bar_get_task (MiniMessageBar *self)
{
  guint selected;

  g_return_val_if_fail (MINI_IS_MESSAGE_BAR (self), 0);

  selected = gtk_drop_down_get_selected (self->task_dropdown);
  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

/**
 * mini_message_bar_set_task:
 * @task: a socketTaskId, 0 for the newest
 */
void
mini_message_bar_set_task (MiniMessageBar *self,
                           guint           task)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));

  if (task > self->max_task)
    task = 0;
  if (task == mini_message_bar_get_task (self))
    return;

  gtk_drop_down_set_selected (self->task_dropdown, task);
}

void
mini_message_bar_set_message (MiniMessageBar    *self,
                              MiniMessageFormat  format,
                              const char        *text)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));

  gtk_drop_down_set_selected (self->format_dropdown, format);
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), text != NULL ? text : "");
}

/* Whether sends and closes go through the legacy globals rather than the SocketTask. */
void
mini_message_bar_set_global (MiniMessageBar *self,
                             gboolean        global)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));
  gtk_drop_down_set_selected (self->api_dropdown, global ? 1 : 0);
}

/**
 * mini_message_bar_set_close:
 * @code: the close code, -1 for none
 * @reason: (nullable): the reason, %NULL or "" for none
 */
void
mini_message_bar_set_close (MiniMessageBar *self,
                            gint            code,
                            const char     *reason)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));

  g_autofree char *text = code >= 0 ? g_strdup_printf ("%d", code) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), text);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_entry), reason != NULL ? reason : "");
}

/**
 * mini_message_bar_send:
 *
 * Returns: whether the call was made; a platform failure is an event on the timeline, a message
 *   that cannot be encoded is shown under the entry
 */
gboolean
mini_message_bar_send (MiniMessageBar *self)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *data;

  g_return_val_if_fail (MINI_IS_MESSAGE_BAR (self), FALSE);

  if ((data = message_data (self, &error)) == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }
  json_object_set_member (args, "data", data);
  add_callbacks (self, args);

  return call (self, is_global (self) ? "sendSocketMessage" : "SocketTask.send", args);
}

gboolean
mini_message_bar_close (MiniMessageBar *self)
{
  g_autoptr(JsonObject) args = json_object_new ();
  const char *code;
  const char *reason;

  g_return_val_if_fail (MINI_IS_MESSAGE_BAR (self), FALSE);

  code = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));
  reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_entry));
  if (*code != '\0')
    {
      char *end = NULL;
      gint64 value = g_ascii_strtoll (code, &end, 10);

      /* Any integer goes to the platform, which decides whether it is a valid close code. */
      if (end == code || *end != '\0' || value < G_MININT32 || value > G_MAXINT32)
        {
          /* Translators: %s is what the user typed as the close code */
          g_autofree char *message = g_strdup_printf (_("“%s” is not a close code: write a "
                                                        "number such as 1000, or nothing"),
                                                      code);
          show_error (self, message);
          return FALSE;
        }
      json_object_set_int_member (args, "code", value);
    }
  if (*reason != '\0')
    json_object_set_string_member (args, "reason", reason);
  add_callbacks (self, args);

  return call (self, is_global (self) ? "closeSocket" : "SocketTask.close", args);
}

/**
 * mini_message_bar_get_error:
 *
 * Returns: (nullable): why the last send or close could not be made
 */
const char *
mini_message_bar_get_error (MiniMessageBar *self)
{
  g_return_val_if_fail (MINI_IS_MESSAGE_BAR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}

void
mini_message_bar_focus (MiniMessageBar *self)
{
  g_return_if_fail (MINI_IS_MESSAGE_BAR (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}
