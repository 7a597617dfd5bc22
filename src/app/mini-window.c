/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-compare-window.h"
#include "mini-har.h"
#include "mini-js.h"
#include "mini-lanes.h"
#include "mini-replay-dialog.h"
#include "mini-scenario-panel.h"
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
  gboolean              app_hidden;
  gboolean              network_off;
  gboolean              insecure_tls;  /* the user turned TLS certificate checks off */
  MiniScenario         *running;       /* the scenario playing on the timeline, or NULL */
  gboolean              stepwise;

  GtkDropDown          *dialect_dropdown;
  GtkLabel             *playground_label;
  GtkLabel             *status_label;
  GtkToggleButton      *insecure_tls_button;
  GtkStack             *sidebar_stack;
  MiniComposer         *composer;
  MiniQuirksPanel      *quirks_panel;
  MiniScenarioPanel    *scenario_panel;
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
  PROP_APP_HIDDEN,
  PROP_NETWORK_OFF,
  PROP_INSECURE_TLS,
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
  mini_event_list_set_show_steps (self->event_list, FALSE);
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

/* ---- scenarios ----------------------------------------------------------------------------- */

static void
update_scenario_actions (MiniWindow *self)
{
  MiniRuntime *runtime = mini_session_get_runtime (self->session);
  gboolean have = mini_scenario_panel_get_scenario (self->scenario_panel) != NULL;
  gboolean stepping = self->running != NULL && self->stepwise
                      && mini_scenario_get_next_step (self->running, runtime) != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run-scenario", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step-scenario", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-scenario", self->running != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", have);

  if (self->running != NULL && self->stepwise)
    {
      guint next = mini_scenario_get_next_step (self->running, runtime);
      g_autofree char *state = NULL;

      mini_scenario_panel_set_next_step (self->scenario_panel, next);
      if (stepping)
        /* Translators: a step-by-step run of a scenario waits for the user */
        state = g_strdup_printf (_("Step by step: step %u is next (F6)"), next);
      else
        state = g_strdup (_("Step by step: every timed step ran; waiting for the last events"));
      mini_scenario_panel_set_state (self->scenario_panel, state);
    }
}

static void
on_scenario_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MiniWindow) self = user_data;
  MiniScenario *scenario = MINI_SCENARIO (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = mini_scenario_run_finish (scenario, result, &error);

  /* A newer run replaced this one: it owns the state line. */
  if (self->running != scenario)
    return;

  g_clear_object (&self->running);
  if (mini_scenario_panel_get_scenario (self->scenario_panel) == scenario)
    {
      mini_scenario_panel_set_next_step (self->scenario_panel, 0);
      mini_scenario_panel_set_state (self->scenario_panel,
                                     ok ? _("Finished: each event’s step is in the Step column")
                                        : g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                        ? _("Stopped") : error->message);
    }
  update_scenario_actions (self);
}

/* Plays the opened scenario on the window's timeline: its platform, quirks and app settings. */
static gboolean
start_scenario (MiniWindow *self,
                gboolean    stepwise)
{
  MiniScenario *scenario = mini_scenario_panel_get_scenario (self->scenario_panel);
  g_autoptr(GError) error = NULL;
  MiniRuntime *runtime;

  if (scenario == NULL)
    return FALSE;

  if (!mini_session_load_scenario (self->session, scenario, &error))
    {
      mini_scenario_panel_set_state (self->scenario_panel, error->message);
      show_status (self, error->message);
      return FALSE;
    }
  show_status (self, NULL);

  runtime = mini_session_get_runtime (self->session);
  g_set_object (&self->running, scenario);
  self->stepwise = stepwise;
  mini_event_list_set_show_steps (self->event_list, TRUE);
  mini_event_list_set_following (self->event_list, TRUE);

  if (stepwise)
    mini_scenario_run_stepwise_async (scenario, runtime, mini_session_get_cancellable (self->session),
                                      on_scenario_done, g_object_ref (self));
  else
    {
      mini_scenario_run_async (scenario, runtime, mini_session_get_cancellable (self->session),
                               on_scenario_done, g_object_ref (self));
      mini_scenario_panel_set_state (self->scenario_panel, _("Running…"));
    }
  update_scenario_actions (self);

  return TRUE;
}

static void
run_scenario_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  start_scenario (MINI_WINDOW (widget), FALSE);
}

static void
step_scenario_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  MiniScenario *opened = mini_scenario_panel_get_scenario (self->scenario_panel);
  MiniRuntime *runtime = mini_session_get_runtime (self->session);

  /* The first press starts over and runs the first step; each further one runs the next. */
  if (self->running == NULL || self->running != opened || !self->stepwise
      || mini_scenario_get_next_step (self->running, runtime) == 0)
    {
      if (!start_scenario (self, TRUE))
        return;
      runtime = mini_session_get_runtime (self->session);
    }

  mini_scenario_advance (self->running, runtime);
  update_scenario_actions (self);
}

static void
stop_scenario_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);

  if (self->running != NULL)
    g_cancellable_cancel (mini_session_get_cancellable (self->session));
}

static void
compare_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  mini_window_compare (MINI_WINDOW (widget));
}

static void
compare_session_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (mini_window_compare_session (self, &error) == NULL)
    show_status (self, error->message);
}

static void
copy_session_code_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  g_autofree char *code = mini_window_dup_session_code (self);

  if (code == NULL)
    {
      show_status (self, _("Nothing to copy: the timeline has no API call yet."));
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), code);
  show_status (self, NULL);
}

static void
show_scenarios_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_stack_set_visible_child_name (MINI_WINDOW (widget)->sidebar_stack, "scenarios");
}

/* ---- files --------------------------------------------------------------------------------- */

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  MiniWindow      *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && !mini_window_open_file (self, file, &error))
    show_status (self, error->message);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MiniWindow *self = MINI_WINDOW (widget);
  GtkFileChooserNative *dialog;

  /* GtkFileDialog is GTK 4.10; Debian 12 has 4.8. */
  dialog = gtk_file_chooser_native_new (_("Open a Scenario or HAR File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filter (GTK_FILE_CHOOSER (dialog), _("Scenario files"), "*.json");
  add_filter (GTK_FILE_CHOOSER (dialog), _("HAR files"), "*.har");
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

typedef gboolean (*SaveFunc) (MiniWindow *self, GFile *file, GError **error);

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  MiniWindow      *self)
{
  SaveFunc save = g_object_get_data (G_OBJECT (dialog), "save-func");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && !save (self, file, &error))
    show_status (self, error->message);
  else if (response == GTK_RESPONSE_ACCEPT)
    show_status (self, NULL);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
ask_where_to_save (MiniWindow *self,
                   const char *title,
                   const char *name,
                   SaveFunc    save)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "save-func", save);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_scenario_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ask_where_to_save (MINI_WINDOW (widget), _("Save the Session as a Scenario"), "session.json",
                     mini_window_save_session);
}

static void
export_har_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ask_where_to_save (MINI_WINDOW (widget), _("Export the Timeline as HAR"), "session.har",
                     mini_window_export_har);
}

static void
export_jsonl_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ask_where_to_save (MINI_WINDOW (widget), _("Export the Timeline as JSON Lines"),
                     "timeline.jsonl", mini_window_export_jsonl);
}

/* A scenario or HAR file dropped on the window opens and plays. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MiniWindow    *self)
{
  g_autoptr(GError) error = NULL;
  GFile *file = g_value_get_object (value);

  if (file == NULL || !mini_window_open_file (self, file, &error))
    {
      show_status (self, error != NULL ? error->message : _("Only files can be dropped here."));
      return FALSE;
    }

  return TRUE;
}

/* ---- environment --------------------------------------------------------------------------- */

/* The simulated app goes to the background and back, the network off and on: the platform's own
 * interruptions, recorded on the timeline like any call. */
static void
set_environment (MiniWindow *self,
                 gboolean   *flag,
                 gboolean    value,
                 const char *api_on,
                 const char *api_off,
                 GParamSpec *pspec)
{
  g_autoptr(GError) error = NULL;

  if (*flag == value || mini_session_get_runtime (self->session) == NULL)
    return;

  if (!mini_session_call (self->session, value ? api_on : api_off, NULL, 0, &error))
    {
      show_status (self, error->message);
      return;
    }
  mini_event_list_set_following (self->event_list, TRUE);
  /* The runtime's notification has usually set it already. */
  if (*flag != value)
    {
      *flag = value;
      g_object_notify_by_pspec (G_OBJECT (self), pspec);
    }
}

/* The toggles follow the runtime, so a scenario's app.hide or network.off steps show there too;
 * a fresh runtime starts in the foreground, online. */
static void
on_runtime_environment_changed (MiniWindow *self)
{
  MiniRuntime *runtime = mini_session_get_runtime (self->session);
  gboolean hidden = runtime != NULL && mini_runtime_get_app_hidden (runtime);
  gboolean off = runtime != NULL && mini_runtime_get_network_off (runtime);

  if (self->app_hidden != hidden)
    {
      self->app_hidden = hidden;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP_HIDDEN]);
    }
  if (self->network_off != off)
    {
      self->network_off = off;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_OFF]);
    }
}

/* The switch belongs to the user, not to the simulated app: it outlives a runtime. */
static void
apply_tls_check (MiniWindow *self)
{
  MiniRuntime *runtime = mini_session_get_runtime (self->session);

  if (runtime != NULL)
    mini_runtime_set_tls_check (runtime, !self->insecure_tls);
  if (self->insecure_tls)
    gtk_widget_add_css_class (GTK_WIDGET (self->insecure_tls_button), "insecure");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->insecure_tls_button), "insecure");
}

static void
on_session_runtime_changed (MiniWindow *self)
{
  MiniRuntime *runtime = mini_session_get_runtime (self->session);

  apply_tls_check (self);
  if (runtime != NULL)
    {
      g_signal_connect_object (runtime, "notify::app-hidden",
                               G_CALLBACK (on_runtime_environment_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (runtime, "notify::network-off",
                               G_CALLBACK (on_runtime_environment_changed), self,
                               G_CONNECT_SWAPPED);
    }
  on_runtime_environment_changed (self);
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
  g_clear_object (&self->running);
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

    case PROP_APP_HIDDEN:
      g_value_set_boolean (value, self->app_hidden);
      break;

    case PROP_NETWORK_OFF:
      g_value_set_boolean (value, self->network_off);
      break;

    case PROP_INSECURE_TLS:
      g_value_set_boolean (value, self->insecure_tls);
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

    case PROP_APP_HIDDEN:
      set_environment (self, &self->app_hidden, g_value_get_boolean (value), "app.hide",
                       "app.show", pspec);
      break;

    case PROP_NETWORK_OFF:
      set_environment (self, &self->network_off, g_value_get_boolean (value), "network.off",
                       "network.on", pspec);
      break;

    case PROP_INSECURE_TLS:
      if (self->insecure_tls != g_value_get_boolean (value))
        {
          self->insecure_tls = g_value_get_boolean (value);
          apply_tls_check (self);
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
  properties[PROP_APP_HIDDEN] =
    g_param_spec_boolean ("app-hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_OFF] =
    g_param_spec_boolean ("network-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Off by default, as on every platform; never tied to the legal-domain switch. */
  properties[PROP_INSECURE_TLS] =
    g_param_spec_boolean ("insecure-tls", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MINI_TYPE_COMPOSER);
  g_type_ensure (MINI_TYPE_EVENT_LIST);
  g_type_ensure (MINI_TYPE_INSPECTOR);
  g_type_ensure (MINI_TYPE_MESSAGE_BAR);
  g_type_ensure (MINI_TYPE_QUIRKS_PANEL);
  g_type_ensure (MINI_TYPE_LANES);
  g_type_ensure (MINI_TYPE_SCENARIO_PANEL);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, dialect_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, playground_label);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, insecure_tls_button);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, quirks_panel);
  gtk_widget_class_bind_template_child (widget_class, MiniWindow, scenario_panel);
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
  gtk_widget_class_install_action (widget_class, "win.show-scenarios", NULL,
                                   show_scenarios_activated);
  gtk_widget_class_install_action (widget_class, "win.run-scenario", NULL, run_scenario_activated);
  gtk_widget_class_install_action (widget_class, "win.step-scenario", NULL,
                                   step_scenario_activated);
  gtk_widget_class_install_action (widget_class, "win.stop-scenario", NULL,
                                   stop_scenario_activated);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_activated);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_activated);
  gtk_widget_class_install_action (widget_class, "win.compare-session", NULL,
                                   compare_session_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-session-code", NULL,
                                   copy_session_code_activated);
  gtk_widget_class_install_action (widget_class, "win.save-scenario", NULL,
                                   save_scenario_activated);
  gtk_widget_class_install_action (widget_class, "win.export-jsonl", NULL,
                                   export_jsonl_activated);
  gtk_widget_class_install_action (widget_class, "win.export-har", NULL, export_har_activated);
  gtk_widget_class_install_property_action (widget_class, "win.app-hidden", "app-hidden");
  gtk_widget_class_install_property_action (widget_class, "win.network-off", "network-off");
  gtk_widget_class_install_property_action (widget_class, "win.insecure-tls", "insecure-tls");
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

  g_signal_connect_object (self->session, "notify::runtime",
                           G_CALLBACK (on_session_runtime_changed), self, G_CONNECT_SWAPPED);
  on_session_runtime_changed (self);
  g_signal_connect_object (self->scenario_panel, "notify::scenario",
                           G_CALLBACK (update_scenario_actions), self, G_CONNECT_SWAPPED);
  update_scenario_actions (self);

  {
    GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

    g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }
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

MiniScenarioPanel *
mini_window_get_scenario_panel (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);
  return self->scenario_panel;
}

static void
on_replay_url_chosen (MiniWindow       *self,
                      const char       *url,
                      MiniReplayDialog *dialog)
{
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(GError) error = NULL;

  if ((scenario = mini_har_create_scenario (mini_replay_dialog_get_har (dialog), url, NULL,
                                            &error)) == NULL)
    {
      show_status (self, error->message);
      return;
    }

  mini_scenario_panel_open (self->scenario_panel, scenario);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "scenarios");
  start_scenario (self, FALSE);
}

/**
 * mini_window_open_file:
 *
 * Opens a scenario file in the Scenarios tab and plays it: a recording replays. A HAR first
 * asks where to connect (MiniReplayDialog), then plays.
 *
 * Returns: %FALSE with the file, place and expectation in @error when it cannot be read
 */
gboolean
mini_window_open_file (MiniWindow  *self,
                       GFile       *file,
                       GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(MiniScenario) scenario = NULL;

  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s: not a local file"), uri);
      return FALSE;
    }

  /* A HAR (saved by a browser's devtools, or by us) replays its sent messages with their
   * timing, on the platform it names or the browser's, against a URL the user picks: the ones
   * it recorded may be gone, such as an old playground port. */
  if (g_str_has_suffix (path, ".har") || g_str_has_suffix (path, ".HAR"))
    {
      g_autoptr(MiniHar) har = NULL;
      MiniReplayDialog *dialog;

      /* Read in full first: a file that cannot replay says so now, not after the question. */
      if ((har = mini_har_new_from_file (path, error)) == NULL
          || (scenario = mini_har_create_scenario (har, NULL, NULL, error)) == NULL)
        return FALSE;

      dialog = mini_replay_dialog_new (GTK_WINDOW (self), har,
                                       mini_session_get_playground_url (self->session));
      g_signal_connect_object (dialog, "replay", G_CALLBACK (on_replay_url_chosen), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  else if ((scenario = mini_scenario_new_from_file (path, error)) == NULL)
    {
      return FALSE;
    }

  mini_scenario_panel_open (self->scenario_panel, scenario);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "scenarios");

  return start_scenario (self, FALSE);
}

/* What the user did in this session, as a scenario's root object; NULL when nothing was done. */
static JsonNode *
build_recording (MiniWindow  *self,
                 const char  *nothing_done,
                 GError     **error)
{
  MiniScenario *opened = mini_scenario_panel_get_scenario (self->scenario_panel);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *title = NULL;

  if (mini_session_get_dialect_id (self->session) == NULL)
    {
      g_set_error_literal (error, MINI_ERROR, MINI_ERROR_FAILED, _("No platform is loaded."));
      return NULL;
    }

  /* A scenario replayed and saved again keeps its name. */
  if (self->running != NULL || (opened != NULL && mini_event_list_get_show_steps (self->event_list)))
    title = mini_scenario_dup_title (opened);
  if (title == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      /* Translators: the title of a recorded session; see strftime() for the % codes */
      title = g_date_time_format (now, _("Session of %Y-%m-%d %H:%M"));
    }

  root = mini_scenario_build_from_timeline (mini_session_get_timeline (self->session),
                                            mini_session_get_dialect_id (self->session),
                                            mini_session_get_overrides (self->session),
                                            mini_session_get_playground_url (self->session),
                                            title);
  if (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                           "steps")) == 0)
    {
      g_set_error_literal (error, MINI_ERROR, MINI_ERROR_INVALID, nothing_done);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/**
 * mini_window_save_session:
 *
 * Writes what the user did in this session as a scenario: the calls with their args and times,
 * the platform and the quirks in force. The file is replaced atomically.
 */
gboolean
mini_window_save_session (MiniWindow  *self,
                          GFile       *file,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  gsize length;

  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if ((root = build_recording (self, _("Nothing to save: the timeline has no API call yet."),
                               error)) == NULL)
    return FALSE;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s: not a local file"), uri);
      return FALSE;
    }

  /* Written beside the file and renamed over it: a failure leaves the old file whole. */
  return g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0666, error);
}

/**
 * mini_window_dup_session_code:
 *
 * Returns: (transfer full) (nullable): what the user did in this session as the platform's
 *   JavaScript (mini_js_format_session()); %NULL when the timeline has no API call
 */
char *
mini_window_dup_session_code (MiniWindow *self)
{
  MiniDialect *dialect;

  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);

  if ((dialect = mini_session_get_dialect (self->session)) == NULL)
    return NULL;

  return mini_js_format_session (dialect, mini_session_get_timeline (self->session),
                                 mini_session_get_playground_url (self->session));
}

/**
 * mini_window_export_har:
 *
 * Writes the session as HAR 1.2, one entry per socket with Chrome's `_webSocketMessages`, so
 * that browser devtools and HAR viewers open it. The file is replaced atomically.
 */
gboolean
mini_window_export_har (MiniWindow  *self,
                        GFile       *file,
                        GError     **error)
{
  MiniScenario *opened = mini_scenario_panel_get_scenario (self->scenario_panel);
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if ((path = g_file_get_path (file)) == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s: not a local file"), uri);
      return FALSE;
    }

  if (opened != NULL && mini_event_list_get_show_steps (self->event_list))
    title = mini_scenario_dup_title (opened);

  return mini_har_write_timeline (mini_session_get_timeline (self->session),
                                  mini_session_get_dialect_id (self->session),
                                  title, path, error);
}

/**
 * mini_window_export_jsonl:
 *
 * Writes the timeline as JSON Lines (the contract of design.md), replacing @file atomically.
 */
gboolean
mini_window_export_jsonl (MiniWindow  *self,
                          GFile       *file,
                          GError     **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;

  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* g_file_replace() writes beside the file and renames it over the old one when closed. */
  if ((stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error)) == NULL)
    return FALSE;

  if (!mini_timeline_write_jsonl (mini_session_get_timeline (self->session),
                                  G_OUTPUT_STREAM (stream), NULL, error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* Closing cancelled leaves the old file as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

gboolean
mini_window_get_app_hidden (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  return self->app_hidden;
}

gboolean
mini_window_get_insecure_tls (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  return self->insecure_tls;
}

gboolean
mini_window_get_network_off (MiniWindow *self)
{
  g_return_val_if_fail (MINI_IS_WINDOW (self), FALSE);
  return self->network_off;
}

/* A problem that is not an event of the simulated platform, such as a file that would not open. */
void
mini_window_show_status (MiniWindow *self,
                         const char *message)
{
  g_return_if_fail (MINI_IS_WINDOW (self));
  show_status (self, message);
}

/**
 * mini_window_compare:
 *
 * Opens the compare window on the opened scenario, with wx-legacy, wx, web and uni-h5 ticked.
 *
 * Returns: (transfer none) (nullable): the compare window; %NULL when no scenario is opened
 */
MiniCompareWindow *
mini_window_compare (MiniWindow *self)
{
  MiniScenario *scenario;
  MiniCompareWindow *compare;

  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);

  if ((scenario = mini_scenario_panel_get_scenario (self->scenario_panel)) == NULL)
    return NULL;

  compare = mini_compare_window_new (GTK_WINDOW (self), scenario,
                                     mini_session_get_playground_url (self->session));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (compare), TRUE);
  gtk_window_present (GTK_WINDOW (compare));

  return compare;
}

/**
 * mini_window_compare_session:
 *
 * Opens the compare window on what the user did in this session, recorded as Save Session as
 * Scenario would write it, but kept in memory; the session's platform is ticked first.
 *
 * Returns: (transfer none) (nullable): the compare window; %NULL with @error when the session
 *   has no API call yet
 */
MiniCompareWindow *
mini_window_compare_session (MiniWindow  *self,
                             GError     **error)
{
  static const char * const defaults[] = { "wx-legacy", "wx", "web", "uni-h5", NULL };
  const char *ids[5] = { NULL, };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(MiniScenario) scenario = NULL;
  g_autofree char *text = NULL;
  MiniCompareWindow *compare;
  guint n = 0;

  g_return_val_if_fail (MINI_IS_WINDOW (self), NULL);

  if ((root = build_recording (self, _("Nothing to compare: the timeline has no API call yet."),
                               error)) == NULL)
    return NULL;

  text = json_to_string (root, FALSE);
  /* Translators: where a scenario made from the window's session comes from, in messages */
  if ((scenario = mini_scenario_new_from_data (_("the session"), text, -1, error)) == NULL)
    return NULL;

  compare = mini_compare_window_new (GTK_WINDOW (self), scenario,
                                     mini_session_get_playground_url (self->session));
  ids[n++] = mini_session_get_dialect_id (self->session);
  for (guint i = 0; defaults[i] != NULL && n < 4; i++)
    {
      if (!g_str_equal (defaults[i], ids[0]))
        ids[n++] = defaults[i];
    }
  mini_compare_window_set_dialects (compare, ids);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (compare), TRUE);
  gtk_window_present (GTK_WINDOW (compare));

  return compare;
}
