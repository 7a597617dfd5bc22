/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-application.h"
#include "mini-window.h"
#include "mini-window-settings.h"

struct _MiniApplication
{
  GtkApplication  parent_instance;

  MiniPlayground *playground;
  GError         *playground_error;
  GSettings      *settings;
  GCancellable   *cancellable;
  guint           color_scheme_id;
};

G_DEFINE_FINAL_TYPE (MiniApplication, mini_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_PLAYGROUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Closing each window first lets it save its state, as the close button does. */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *authors[] = { "The Minisock authors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", "Minisock",
                         "logo-icon-name", "network-transmit-receive-symbolic",
                         "version", PACKAGE_VERSION,
                         "comments", _("See what a mini-program platform does with your "
                                       "WebSocket calls"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* ---- the system's dark style, as the settings portal tells it ------------------------------ */

#define PORTAL_NAME      "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_SETTINGS  "org.freedesktop.portal.Settings"
#define APPEARANCE       "org.freedesktop.appearance"

/* color-scheme: 0 no preference, 1 prefer dark, 2 prefer light. Older portals wrap the value in
 * one variant more than they document. */
static void
apply_color_scheme (GVariant *value)
{
  g_autoptr(GVariant) inner = g_variant_ref (value);

  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *unwrapped = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = unwrapped;
    }

  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    g_object_set (gtk_settings_get_default (),
                  "gtk-application-prefer-dark-theme", g_variant_get_uint32 (inner) == 1,
                  NULL);
}

static void
on_setting_changed (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  const char *namespace;
  const char *key;
  g_autoptr(GVariant) value = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;

  g_variant_get (parameters, "(&s&sv)", &namespace, &key, &value);
  if (g_str_equal (namespace, APPEARANCE) && g_str_equal (key, "color-scheme"))
    apply_color_scheme (value);
}

/* Without the portal, GNOME's own setting says the same, when its schema is installed. */
static void
follow_gnome_color_scheme (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL
      || (schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface",
                                                    TRUE)) == NULL
      || !g_settings_schema_has_key (schema, "color-scheme"))
    return;

  settings = g_settings_new_full (schema, NULL, NULL);
  if (g_settings_get_enum (settings, "color-scheme") == 1)  /* prefer-dark */
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
}

static void
on_color_scheme_read (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  /* No portal, or one without the key: GNOME's setting, else GTK's own default style. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      g_debug ("No color scheme from the settings portal: %s", error->message);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        follow_gnome_color_scheme ();
      return;
    }

  g_variant_get (reply, "(v)", &value);
  apply_color_scheme (value);
}

static void
follow_color_scheme (MiniApplication *self)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (self));

  if (g_getenv ("GTK_THEME") != NULL)
    return;
  if (connection == NULL)
    {
      follow_gnome_color_scheme ();
      return;
    }

  self->color_scheme_id =
    g_dbus_connection_signal_subscribe (connection, PORTAL_NAME, PORTAL_SETTINGS,
                                        "SettingChanged", PORTAL_PATH, APPEARANCE,
                                        G_DBUS_SIGNAL_FLAGS_NONE, on_setting_changed, NULL, NULL);
  g_dbus_connection_call (connection, PORTAL_NAME, PORTAL_PATH, PORTAL_SETTINGS, "Read",
                          g_variant_new ("(ss)", APPEARANCE, "color-scheme"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                          self->cancellable, on_color_scheme_read, NULL);
}

/* ---- actions ------------------------------------------------------------------------------- */

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
};

/* Every command has a shortcut, listed in the shortcuts window. */
static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.connect", { "<Control>Return", "<Control>KP_Enter", NULL } },
  { "win.send", { "<Control><Shift>Return", NULL } },
  { "win.close-socket", { "<Control>period", NULL } },
  { "win.clear", { "<Control>l", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.show-composer", { "<Control>1", NULL } },
  { "win.show-quirks", { "<Control>2", NULL } },
  { "win.toggle-inspector", { "F9", NULL } },
  { "win.reset-quirks", { "<Control><Shift>r", NULL } },
  { "win.show-scenarios", { "<Control>3", NULL } },
  { "win.run-scenario", { "F5", NULL } },
  { "win.step-scenario", { "F6", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save-scenario", { "<Control>s", NULL } },
  { "win.copy-session-code", { "<Control><Shift>c", NULL } },
  { "win.app-hidden", { "<Control><Shift>h", NULL } },
  { "win.network-off", { "<Control><Shift>n", NULL } },
};

static void
mini_application_startup (GApplication *application)
{
  MiniApplication *self = MINI_APPLICATION (application);
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  G_APPLICATION_CLASS (mini_application_parent_class)->startup (application);

  mini_app_choose_renderer (gdk_display_get_default ());

  /* GTK 4.8 loads gtk/help-overlay.ui from the resource base path, but not style.css. */
  gtk_css_provider_load_from_resource (provider, "/io/github/minisock/Minisock/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  follow_color_scheme (self);
  self->settings = mini_settings_new ();

  /* The first Connect must work offline: the playground answers on loopback. A failure is shown
   * in the window, which still works against other servers. */
  self->playground = mini_playground_new ();
  mini_playground_set_yields_to_ui (self->playground, TRUE);
  if (!mini_playground_start (self->playground, "127.0.0.1", 0, &self->playground_error))
    g_warning ("The playground did not start: %s", self->playground_error->message);
}

static void
mini_application_shutdown (GApplication *application)
{
  MiniApplication *self = MINI_APPLICATION (application);
  GDBusConnection *connection = g_application_get_dbus_connection (application);

  g_cancellable_cancel (self->cancellable);
  if (connection != NULL && self->color_scheme_id != 0)
    g_dbus_connection_signal_unsubscribe (connection, self->color_scheme_id);
  self->color_scheme_id = 0;

  G_APPLICATION_CLASS (mini_application_parent_class)->shutdown (application);

  if (self->playground != NULL)
    mini_playground_stop (self->playground);
}

static void
mini_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (mini_window_new (MINI_APPLICATION (application)));

  gtk_window_present (window);
}

/* `minisock FILE.json`: each file opens in a window and plays, as Open does. */
static void
mini_application_open (GApplication  *application,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (mini_window_new (MINI_APPLICATION (application)));
  gtk_window_present (window);

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!mini_window_open_file (MINI_WINDOW (window), files[i], &error))
        mini_window_show_status (MINI_WINDOW (window), error->message);
    }
}

static void
mini_application_dispose (GObject *object)
{
  MiniApplication *self = MINI_APPLICATION (object);

  g_clear_object (&self->playground);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mini_application_parent_class)->dispose (object);
}

static void
mini_application_finalize (GObject *object)
{
  MiniApplication *self = MINI_APPLICATION (object);

  g_clear_error (&self->playground_error);

  G_OBJECT_CLASS (mini_application_parent_class)->finalize (object);
}

static void
mini_application_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MiniApplication *self = MINI_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_PLAYGROUND:
      g_value_set_object (value, self->playground);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_application_class_init (MiniApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mini_application_dispose;
  object_class->finalize = mini_application_finalize;
  object_class->get_property = mini_application_get_property;

  /* style.css and the shortcuts window are loaded at startup, from the app's resource. */
  mini_app_ensure_resources ();

  app_class->startup = mini_application_startup;
  app_class->shutdown = mini_application_shutdown;
  app_class->activate = mini_application_activate;
  app_class->open = mini_application_open;

  properties[PROP_PLAYGROUND] =
    g_param_spec_object ("playground", NULL, NULL,
                         MINI_TYPE_PLAYGROUND,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mini_application_init (MiniApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

MiniApplication *
mini_application_new (void)
{
  return g_object_new (MINI_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/minisock/Minisock",
                       NULL);
}

/**
 * mini_application_get_playground:
 *
 * Returns: (transfer none) (nullable): the embedded playground; not running when it failed
 */
MiniPlayground *
mini_application_get_playground (MiniApplication *self)
{
  g_return_val_if_fail (MINI_IS_APPLICATION (self), NULL);
  return self->playground;
}

/**
 * mini_application_get_playground_error:
 *
 * Returns: (nullable): why the playground did not start
 */
const GError *
mini_application_get_playground_error (MiniApplication *self)
{
  g_return_val_if_fail (MINI_IS_APPLICATION (self), NULL);
  return self->playground_error;
}

/**
 * mini_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the app's settings; %NULL when the schema is missing
 */
GSettings *
mini_application_get_settings (MiniApplication *self)
{
  g_return_val_if_fail (MINI_IS_APPLICATION (self), NULL);
  return self->settings;
}
