/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-js.h"
#include "mini-lanes.h"
#include "mini-window.h"
#include "mini-window-settings.h"

#define INSPECTOR_WIDTH 330

struct _MiniWindow
{
  GtkApplicationWindow  parent_instance;

  MiniSession          *session;
  GStrv                 dialect_ids;
  gboolean              inspector_visible;
  gboolean              inspector_placed;

  GtkDropDown          *dialect_dropdown;
  GtkLabel             *playground_label;
  GtkLabel             *status_label;
  GtkStack             *sidebar_stack;
  MiniComposer         *composer;
  MiniQuirksPanel      *quirks_panel;
  MiniLanes            *lanes;
  MiniEventList        *event_list;
  MiniInspector        *inspector;
  GtkPaned             *inner_paned;
  MiniMessageBar       *message_bar;
};

G_DEFINE_FINAL_TYPE (MiniWindow, mini_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_INSPECTOR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A problem that is not an event of the simulated platform: shown under the header bar. */
static void
show_status (MiniWindow *self,
             const char *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

static void
on_dialect_selected (MiniWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->dialect_dropdown);
  g_autoptr(GError) error = NULL;

  /* Filling the list selects its first row; the window picks the first platform itself. */
  if (mini_session_get_dialect_id (self->session) == NULL)
    return;

  if (self->dialect_ids == NULL || selected >= g_strv_length (self->dialect_ids)
      || g_strcmp0 (self->dialect_ids[selected], mini_session_get_dialect_id (self->session)) == 0)
    return;

  /* A platform switch is a fresh runtime: the old platform's sockets must not leak into it. */
  if (!mini_session_set_dialect_id (self->session, self->dialect_ids[selected], &error))
    show_status (self, error->message);
  else
    show_status (self, NULL);
}

static void
on_session_dialect_changed (MiniWindow *self)
{
  const char *id = mini_session_get_dialect_id (self->session);

  for (guint i = 0; self->dialect_ids != NULL && self->dialect_ids[i] != NULL; i++)
    {
      if (g_strcmp0 (self->dialect_ids[i], id) == 0
          && gtk_drop_down_get_selected (self->dialect_dropdown) != i)
        gtk_drop_down_set_selected (self->dialect_dropdown, i);
    }

}

/* The slot meter fills up to the limit in force, quirk toggles included. */
static void
on_session_rules_changed (MiniWindow *self)
{
  MiniDialect *dialect = mini_session_get_dialect (self->session);
  gint64 max = dialect != NULL ? mini_dialect_get_int (dialect, "maxConnections") : 0;

  mini_lanes_set_max_connections (self->lanes, (guint) MAX (max, 0));
}

static void
on_lane_event_activated (MiniWindow *self,
                         guint       seq)
{
  mini_event_list_select_seq (self->event_list, seq);
}

static void
on_selected_event_changed (MiniWindow *self)
{
  MiniEvent *event = mini_event_list_get_selected_event (self->event_list);

  mini_inspector_set_event (self->inspector, event);

  /* The message bar acts on the task the user is looking at. */
  if (event != NULL && mini_event_get_task (event) != 0)
    mini_message_bar_set_task (self->message_bar, mini_event_get_task (event));

  mini_lanes_set_selected_seq (self->lanes, event != NULL ? mini_event_get_seq (event) : 0);
}

/* The inspector starts at its own width; the event list takes what the window has left. */
static void
on_inner_max_position (MiniWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->inner_paned));
  int max = 0;

  g_object_get (self->inner_paned, "max-position", &max, NULL);

  if (self->inspector_placed || max <= 0 || width <= INSPECTOR_WIDTH)
    return;

  self->inspector_placed = TRUE;
  gtk_paned_set_position (self->inner_paned, MIN (max, width - INSPECTOR_WIDTH));
}

static void
fill_dialects (MiniWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->dialect_ids = mini_dialect_list_ids ();
  for (guint i = 0; self->dialect_ids[i] != NULL; i++)
    {
      g_autoptr(MiniDialect) dialect = mini_dialect_load (self->dialect_ids[i], NULL);
      g_autofree char *name = dialect != NULL ? mini_dialect_dup_name (dialect)
                                              : g_strdup (self->dialect_ids[i]);

      gtk_string_list_append (names, name);
    }

  gtk_drop_down_set_model (self->dialect_dropdown, G_LIST_MODEL (names));
}

/* ---- actions ------------------------------------------------------------------------------- */

static void
connect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  MiniRuntime *runtime = mini_session_get_runtime (self->session);
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listeners = NULL;
  guint before;
  guint task;

  if (runtime == NULL)
    return;

  before = mini_runtime_get_newest_task (runtime);
  if ((args = mini_composer_dup_args (self->composer, &error)) == NULL
      || !mini_session_call (self->session, "connectSocket", args, 0, &error))
    {
      mini_composer_show_error (self->composer, error->message);
      return;
    }

  /* The listeners are registered in the same turn as the call, as the code view shows. */
  task = mini_runtime_get_newest_task (runtime);
  listeners = mini_composer_dup_listeners (self->composer);
  for (guint i = 0; listeners[i] != NULL; i++)
    {
      g_autofree char *api = NULL;

      if (mini_js_returns_task (mini_session_get_dialect (self->session), args))
        {
          if (task == before)
            break;
          api = g_strconcat ("SocketTask.", listeners[i], NULL);
        }
      else
        api = g_strconcat ("onSocket", listeners[i] + 2, NULL);

      if (!mini_session_call (self->session, api, NULL, task != before ? task : 0, &error))
        {
          mini_composer_show_error (self->composer, error->message);
          return;
        }
    }

  mini_composer_show_error (self->composer, NULL);
  mini_window_settings_add_recent_url (self, mini_composer_get_url (self->composer));
  mini_event_list_set_following (self->event_list, TRUE);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  mini_message_bar_send (MINI_WINDOW (widget)->message_bar);
}

static void
close_socket_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  mini_message_bar_close (MINI_WINDOW (widget)->message_bar);
}

static void
clear_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);

  mini_timeline_clear (mini_session_get_timeline (self->session));
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  mini_event_list_focus_search (MINI_WINDOW (widget)->event_list);
}

static void
show_composer_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  gtk_stack_set_visible_child_name (MINI_WINDOW (widget)->sidebar_stack, "composer");
}

static void
show_quirks_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_stack_set_visible_child_name (MINI_WINDOW (widget)->sidebar_stack, "quirks");
}

static void
show_quirk_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->sidebar_stack, "quirks");
  mini_quirks_panel_reveal (self->quirks_panel, g_variant_get_string (parameter, NULL));
}

static void
reset_quirks_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  mini_session_reset_quirks (MINI_WINDOW (widget)->session);
}

static void
dialect_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!mini_session_set_dialect_id (self->session, id, &error))
    show_status (self, error->message);
  else
    show_status (self, NULL);
}

/* ---- object -------------------------------------------------------------------------------- */

/* GtkWindow:application is set after construction, so this runs from mini_window_new(). */
static void
setup_session (MiniWindow      *self,
               MiniApplication *app)
{
  MiniPlayground *playground = app != NULL ? mini_application_get_playground (app) : NULL;
  g_autoptr(GError) error = NULL;
  const char *first;

  if (playground != NULL && mini_playground_is_running (playground))
    {
      g_autofree char *text = g_strdup_printf (_("Playground %s"),
                                               mini_playground_get_url (playground));

      mini_session_set_playground_url (self->session, mini_playground_get_url (playground));
      gtk_label_set_text (self->playground_label, text);
    }
  else
    {
      const GError *failure = app != NULL ? mini_application_get_playground_error (app) : NULL;
      const char *why = failure != NULL ? failure->message : _("unknown error");
      g_autofree char *message = g_strdup_printf (_("The playground is not running: %s. "
                                                    "Connect to a server of your own."), why);

      gtk_label_set_text (self->playground_label, _("No playground"));
      show_status (self, message);
    }

  /* WeChat is what most users come for; any dialect list works without it. */
  first = g_strv_contains ((const char * const *) self->dialect_ids, "wx") ? "wx"
                                                                           : self->dialect_ids[0];
  if (first == NULL || !mini_session_set_dialect_id (self->session, first, &error))
    show_status (self, error != NULL ? error->message : _("No platform rules were found."));
}

static gboolean
mini_window_close_request (GtkWindow *window)
{
  mini_window_settings_save (MINI_WINDOW (window));

  return GTK_WINDOW_CLASS (mini_window_parent_class)->close_request (window);
}

static void
mini_window_dispose (GObject *object)
{
  MiniWindow *self = MINI_WINDOW (object);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      /* Sockets end with the window that shows them. */
      if (mini_session_get_runtime (self->session) != NULL)
        mini_runtime_shutdown (mini_session_get_runtime (self->session));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_pointer (&self->dialect_ids, g_strfreev);

  G_OBJECT_CLASS (mini_window_parent_class)->dispose (object);
}

static void
mini_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MiniWindow *self = MINI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_INSPECTOR_VISIBLE:
      g_value_set_boolean (value, self->inspector_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MiniWindow *self = MINI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_INSPECTOR_VISIBLE:
      if (self->inspector_visible != g_value_get_boolean (value))
        {
          self->inspector_visible = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->inspector), self->inspector_visible);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_window_class_init (MiniWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mini_window_dispose;
  object_class->get_property = mini_window_get_property;
  object_class->set_property = mini_window_set_property;
  window_class->close_request = mini_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         MINI_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSPECTOR_VISIBLE] =
    g_param_spec_boolean ("inspector-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MINI_TYPE_COMPOSER);
  g_type_ensure (MINI_TYPE_EVENT_LIST);
  g_type_ensure (MINI_TYPE_INSPECTOR);
  g_type_ensure (MINI_TYPE_MESSAGE_BAR);
  g_type_ensure (MINI_TYPE_QUIRKS_PANEL);
  g_type_ensure (MINI_TYPE_LANES);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, dialect_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, playground_label);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, quirks_panel);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, lanes);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, message_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_dialect_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_event_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_lane_event_activated);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_activated);
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "win.close-socket", NULL, close_socket_activated);
  gtk_widget_class_install_action (widget_class, "win.clear", NULL, clear_activated);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "win.show-composer", NULL,
                                   show_composer_activated);
  gtk_widget_class_install_action (widget_class, "win.show-quirks", NULL, show_quirks_activated);
  gtk_widget_class_install_action (widget_class, "win.show-quirk", "s", show_quirk_activated);
  gtk_widget_class_install_action (widget_class, "win.reset-quirks", NULL,
                                   reset_quirks_activated);
  gtk_widget_class_install_action (widget_class, "win.dialect", "s", dialect_activated);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-inspector",
                                            "inspector-visible");
}

static void
mini_window_init (MiniWindow *self)
{
  self->inspector_visible = TRUE;
  self->session = mini_session_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  fill_dialects (self);

  g_object_bind_property (self->session, "dialect", self->composer, "dialect",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->session, "playground-url", self->composer, "playground-url",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->session, "dialect", self->inspector, "dialect",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->session, "notify::base-dialect",
                           G_CALLBACK (on_session_dialect_changed), self, G_CONNECT_SWAPPED);
  mini_event_list_set_timeline (self->event_list, mini_session_get_timeline (self->session));
  g_signal_connect_object (self->inner_paned, "notify::max-position",
                           G_CALLBACK (on_inner_max_position), self, G_CONNECT_SWAPPED);
  mini_message_bar_set_session (self->message_bar, self->session);
  mini_quirks_panel_set_session (self->quirks_panel, self->session);

  mini_lanes_set_timeline (self->lanes, mini_session_get_timeline (self->session));
  g_signal_connect_object (self->session, "notify::dialect",
                           G_CALLBACK (on_session_rules_changed), self, G_CONNECT_SWAPPED);
  on_session_rules_changed (self);
}

MiniWindow *
mini_window_new (MiniApplication *application)
{
  MiniWindow *self;

  g_return_val_if_fail (application == NULL || MINI_IS_APPLICATION (application), NULL);

  self = g_object_new (MINI_TYPE_WINDOW,
                       "application", application,
                       NULL);
  setup_session (self, application);
  if (application != NULL && mini_application_get_settings (application) != NULL)
    mini_window_settings_restore (self, mini_application_get_settings (application));

  return self;
}

MiniSession *
mini_window_get_session (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->session;
}

MiniComposer *
mini_window_get_composer (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->composer;
}

MiniEventList *
mini_window_get_event_list (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->event_list;
}

MiniInspector *
mini_window_get_inspector (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->inspector;
}

MiniLanes *
mini_window_get_lanes (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->lanes;
}

MiniMessageBar *
mini_window_get_message_bar (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->message_bar;
}

MiniQuirksPanel *
mini_window_get_quirks_panel (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->quirks_panel;
}

/**
 * mini_window_get_sidebar_page:
 *
 * Returns: "composer" or "quirks"
 */
const char *
mini_window_get_sidebar_page (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->sidebar_stack);
}

/**
 * mini_window_get_status:
 *
 * Returns: (nullable): the problem shown under the header bar
 */
const char *
mini_window_get_status (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->status_label))
         ? gtk_label_get_text (self->status_label) : NULL;
}
