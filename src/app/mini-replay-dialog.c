/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-replay-dialog.h"

struct _MiniReplayDialog
{
  GtkWindow       parent_instance;

  MiniHar        *har;
  char           *choice;     /* "recorded", "playground" or "other" */

  GtkLabel       *intro_label;
  GtkCheckButton *recorded_check;
  GtkCheckButton *playground_check;
  GtkEditable    *url_entry;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (MiniReplayDialog, mini_replay_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CHOICE,
  N_PROPS
};

enum {
  REPLAY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_choice (MiniReplayDialog *self,
            const char       *choice)
{
  if (g_strcmp0 (self->choice, choice) == 0)
    return;

  g_free (self->choice);
  self->choice = g_strdup (choice);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICE]);
}

/* Typing a URL means that one. */
static void
on_url_changed (MiniReplayDialog *self)
{
  if (*gtk_editable_get_text (self->url_entry) != '\0')
    set_choice (self, "other");
}

static void
show_error (MiniReplayDialog *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
replay_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MiniReplayDialog *self = MINI_REPLAY_DIALOG (widget);
  g_autofree char *url = NULL;

  if (g_str_equal (self->choice, "playground"))
    url = g_strdup ("{playground}/echo");
  else if (g_str_equal (self->choice, "other"))
    {
      g_autofree char *scheme = NULL;

      url = g_strstrip (g_strdup (gtk_editable_get_text (self->url_entry)));
      scheme = g_uri_parse_scheme (url);
      /* The runtime would refuse it as the platform does; here it is only a typing slip. As
       * for replay --url, {playground}/PATH names a playground route. */
      if (!g_str_has_prefix (url, "{playground}/")
          && (scheme == NULL || !(g_ascii_strcasecmp (scheme, "ws") == 0
                                  || g_ascii_strcasecmp (scheme, "wss") == 0)))
        {
          show_error (self, _("Enter a ws:// or wss:// URL, or {playground}/PATH."));
          gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
          return;
        }
    }

  g_object_ref (self);
  g_signal_emit (self, signals[REPLAY], 0, url);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
mini_replay_dialog_dispose (GObject *object)
{
  MiniReplayDialog *self = MINI_REPLAY_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_REPLAY_DIALOG);
  g_clear_object (&self->har);

  G_OBJECT_CLASS (mini_replay_dialog_parent_class)->dispose (object);
}

static void
mini_replay_dialog_finalize (GObject *object)
{
  MiniReplayDialog *self = MINI_REPLAY_DIALOG (object);

  g_free (self->choice);

  G_OBJECT_CLASS (mini_replay_dialog_parent_class)->finalize (object);
}

static void
mini_replay_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MiniReplayDialog *self = MINI_REPLAY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CHOICE:
      g_value_set_string (value, self->choice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_replay_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MiniReplayDialog *self = MINI_REPLAY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CHOICE:
      set_choice (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_replay_dialog_class_init (MiniReplayDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_replay_dialog_dispose;
  object_class->finalize = mini_replay_dialog_finalize;
  object_class->get_property = mini_replay_dialog_get_property;
  object_class->set_property = mini_replay_dialog_set_property;

  /* "recorded", "playground" or "other": the radio buttons are this property's action. */
  properties[PROP_CHOICE] =
    g_param_spec_string ("choice", NULL, NULL, "recorded",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MiniReplayDialog::replay:
   * @url: (nullable): where every socket of the file connects; %NULL for the recorded URLs
   */
  signals[REPLAY] = g_signal_new ("replay", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/minisock/Minisock/ui/"
                                               "mini-replay-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniReplayDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, MiniReplayDialog, recorded_check);
  gtk_widget_class_bind_template_child (widget_class, MiniReplayDialog, playground_check);
  gtk_widget_class_bind_template_child (widget_class, MiniReplayDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniReplayDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_property_action (widget_class, "replay.choice", "choice");
  gtk_widget_class_install_action (widget_class, "replay.replay", NULL, replay_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
mini_replay_dialog_init (MiniReplayDialog *self)
{
  self->choice = g_strdup ("recorded");
  gtk_widget_init_template (GTK_WIDGET (self));
}

MiniReplayDialog *
mini_replay_dialog_new (GtkWindow  *parent,
                        MiniHar    *har,
                        const char *playground_url)
{
  MiniReplayDialog *self;
  g_autofree char *base = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *recorded = NULL;
  g_autofree char *echo = NULL;
  g_autofree char *note = NULL;
  gboolean any_saved = FALSE;
  guint n;

  g_return_val_if_fail (MINI_IS_HAR (har), NULL);

  self = g_object_new (MINI_TYPE_REPLAY_DIALOG, "transient-for", parent, NULL);
  self->har = g_object_ref (har);
  n = mini_har_get_n_sockets (har);
  base = g_path_get_basename (mini_har_get_origin (har));

  /* Translators: %s is a file name, %u a count */
  intro = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%s recorded %u WebSocket connection. Its messages "
                                        "will be sent again with their timing.",
                                        "%s recorded %u WebSocket connections. Their messages "
                                        "will be sent again with their timing.", n),
                           base, n);
  /* Firefox's HAR has no messages: the intro must not promise them. */
  note = mini_har_dup_unsaved_note (har);
  for (guint i = 0; i < n; i++)
    any_saved |= mini_har_get_messages_saved (har, i);
  if (note != NULL && !any_saved)
    gtk_label_set_text (self->intro_label, note);
  else if (note != NULL)
    {
      g_autofree char *both = g_strconcat (intro, "\n", note, NULL);

      gtk_label_set_text (self->intro_label, both);
    }
  else
    gtk_label_set_text (self->intro_label, intro);

  if (n > 1)
    /* Translators: a choice of where a HAR replays; %s is the first of several URLs */
    recorded = g_strdup_printf (_("The URLs it recorded: %s, …"), mini_har_get_url (har, 0));
  else
    /* Translators: a choice of where a HAR replays; %s is a URL */
    recorded = g_strdup_printf (_("The URL it recorded: %s"),
                                n > 0 ? mini_har_get_url (har, 0) : "");
  gtk_check_button_set_label (self->recorded_check, recorded);

  /* Translators: a choice of where a HAR replays; %s is the embedded playground's address */
  echo = g_strdup_printf (_("The playground's echo: %s/echo"),
                          playground_url != NULL ? playground_url : "");
  gtk_check_button_set_label (self->playground_check, echo);
  gtk_widget_set_sensitive (GTK_WIDGET (self->playground_check), playground_url != NULL);

  return self;
}

MiniHar *
mini_replay_dialog_get_har (MiniReplayDialog *self)
{
  g_return_val_if_fail (MINI_IS_REPLAY_DIALOG (self), NULL);
  return self->har;
}

const char *
mini_replay_dialog_get_choice (MiniReplayDialog *self)
{
  g_return_val_if_fail (MINI_IS_REPLAY_DIALOG (self), NULL);
  return self->choice;
}

GtkEditable *
mini_replay_dialog_get_url_entry (MiniReplayDialog *self)
{
  g_return_val_if_fail (MINI_IS_REPLAY_DIALOG (self), NULL);
  return self->url_entry;
}

/**
 * mini_replay_dialog_get_error:
 *
 * Returns: (nullable): what is wrong with the typed URL, as shown
 */
const char *
mini_replay_dialog_get_error (MiniReplayDialog *self)
{
  g_return_val_if_fail (MINI_IS_REPLAY_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}
