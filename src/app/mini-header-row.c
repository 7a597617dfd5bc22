/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>

#include "mini-app-util.h"
#include "mini-header-row.h"

struct _MiniHeaderRow
{
  GtkWidget  parent_instance;

  GtkEntry  *name_entry;
  GtkEntry  *value_entry;
  GtkLabel  *warning_label;
};

G_DEFINE_FINAL_TYPE (MiniHeaderRow, mini_header_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  PROP_WARNING,
  N_PROPS
};

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_name_changed (MiniHeaderRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_value_changed (MiniHeaderRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
remove_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE], 0);
}

static void
mini_header_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MINI_TYPE_HEADER_ROW);
  mini_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (mini_header_row_parent_class)->dispose (object);
}

static void
mini_header_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MiniHeaderRow *self = MINI_HEADER_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, mini_header_row_get_name (self));
      break;

    case PROP_VALUE:
      g_value_set_string (value, mini_header_row_get_value (self));
      break;

    case PROP_WARNING:
      g_value_set_string (value, mini_header_row_get_warning (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_header_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MiniHeaderRow *self = MINI_HEADER_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      mini_header_row_set_name (self, g_value_get_string (value));
      break;

    case PROP_VALUE:
      mini_header_row_set_value (self, g_value_get_string (value));
      break;

    case PROP_WARNING:
      mini_header_row_set_warning (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_header_row_class_init (MiniHeaderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_header_row_dispose;
  object_class->get_property = mini_header_row_get_property;
  object_class->set_property = mini_header_row_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the platform will not send this header, or NULL. */
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-header-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniHeaderRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniHeaderRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniHeaderRow, warning_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);
  gtk_widget_class_install_action (widget_class, "header.remove", NULL, remove_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
mini_header_row_init (MiniHeaderRow *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
mini_header_row_new (void)
{
  return g_object_new (MINI_TYPE_HEADER_ROW, NULL);
}

const char *
mini_header_row_get_name (MiniHeaderRow *self)
{
  g_return_val_if_fail (MINI_IS_HEADER_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
}

void
mini_header_row_set_name (MiniHeaderRow *self,
                          const char    *name)
{
  g_return_if_fail (MINI_IS_HEADER_ROW (self));

  if (g_strcmp0 (name, mini_header_row_get_name (self)) == 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name != NULL ? name : "");
}

const char *
mini_header_row_get_value (MiniHeaderRow *self)
{
  g_return_val_if_fail (MINI_IS_HEADER_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->value_entry));
}

void
mini_header_row_set_value (MiniHeaderRow *self,
                           const char    *value)
{
  g_return_if_fail (MINI_IS_HEADER_ROW (self));

  if (g_strcmp0 (value, mini_header_row_get_value (self)) == 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), value != NULL ? value : "");
}

/**
 * mini_header_row_get_warning:
 *
 * Returns: (nullable): the warning shown under the row
 */
const char *
mini_header_row_get_warning (MiniHeaderRow *self)
{
  g_return_val_if_fail (MINI_IS_HEADER_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->warning_label))
         ? gtk_label_get_text (self->warning_label) : NULL;
}

void
mini_header_row_set_warning (MiniHeaderRow *self,
                             const char    *warning)
{
  g_return_if_fail (MINI_IS_HEADER_ROW (self));

  if (g_strcmp0 (warning, mini_header_row_get_warning (self)) == 0)
    return;

  gtk_label_set_text (self->warning_label, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning != NULL);
  if (warning != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "warning");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
}
