/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-app-util.h"
#include "mini-event-row.h"

/* A row of the event table is one widget drawing a PangoLayout per column, not a widget per cell:
 * under a flood GTK 4.8 rebinds the ~200 rows it keeps at every frame. With a GtkColumnView (15
 * widgets a row: row, cells, inscriptions) a frame of bench-window's flood took 10.5 ms of CPU
 * (median; p90 19 ms); with a widget a row, 6.5 ms (p90 9.5 ms). */

#define VERTICAL_PADDING 1
#define SUMMARY_NAT_WIDTH 320
#define FADED_ALPHA 0.55  /* the Δ column, as GTK's .dim-label */
#define SEPARATOR_ALPHA 0.15

struct _MiniEventRow
{
  GtkWidget             parent_instance;

  MiniEventColumns     *columns;
  PangoLayout          *layouts[MINI_N_EVENT_COLUMNS];
  int                   layout_widths[MINI_N_EVENT_COLUMNS];  /* last given, in pixels */
  PangoFontDescription *font;  /* the row's, when the layouts' fonts were last set */
};

G_DEFINE_FINAL_TYPE (MiniEventRow, mini_event_row, GTK_TYPE_WIDGET)

/* Times and counts line up with tabular figures; Δ is faded. Shared by every row. */
static PangoAttrList *numeric_attrs;
static PangoAttrList *faded_numeric_attrs;

static gboolean
is_numeric (MiniEventColumn column)
{
  return column <= MINI_EVENT_COLUMN_TASK;
}

static gboolean
is_code (MiniEventColumn column)
{
  return column == MINI_EVENT_COLUMN_API || column == MINI_EVENT_COLUMN_SUMMARY;
}

/* The API and the summary read as code, in the monospace font at the row's size. Returns whether
 * the row's font changed since the last call. */
static gboolean
update_fonts (MiniEventRow *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  g_autoptr(PangoFontDescription) mono = NULL;

  if (self->font != NULL && pango_font_description_equal (self->font, font))
    return FALSE;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = pango_font_description_copy (font);

  mono = pango_font_description_copy (font);
  pango_font_description_set_family (mono, "monospace");
  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      pango_layout_context_changed (self->layouts[i]);
      pango_layout_set_font_description (self->layouts[i], is_code (i) ? mono : NULL);
    }

  return TRUE;
}

/* Called for every change of style, hovering and selection included: the layouts are only set
 * again when the font changed. */
static void
mini_event_row_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  MiniEventRow *self = MINI_EVENT_ROW (widget);

  GTK_WIDGET_CLASS (mini_event_row_parent_class)->css_changed (widget, change);
  if (self->font != NULL && update_fonts (self))
    gtk_widget_queue_resize (widget);
}

static void
mini_event_row_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  MiniEventRow *self = MINI_EVENT_ROW (widget);

  if (self->font == NULL)
    update_fonts (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 0;
      *natural = mini_event_columns_get_fixed_width (self->columns) + SUMMARY_NAT_WIDTH;
    }
  else
    {
      int height = 0;

      /* The UI font and the monospace one may differ in height. */
      for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
        {
          int h;

          pango_layout_get_pixel_size (self->layouts[i], NULL, &h);
          height = MAX (height, h);
        }
      *minimum = *natural = height + 2 * VERTICAL_PADDING;
    }
}

static PangoAlignment
column_alignment (MiniEventColumn column)
{
  switch (column)
    {
    case MINI_EVENT_COLUMN_TIME:
    case MINI_EVENT_COLUMN_DELTA:
      return PANGO_ALIGN_RIGHT;

    case MINI_EVENT_COLUMN_STEP:
    case MINI_EVENT_COLUMN_TASK:
      return PANGO_ALIGN_CENTER;

    case MINI_EVENT_COLUMN_KIND:
    case MINI_EVENT_COLUMN_API:
    case MINI_EVENT_COLUMN_SUMMARY:
    case MINI_N_EVENT_COLUMNS:
    default:
      return PANGO_ALIGN_LEFT;
    }
}

static void
mini_event_row_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  MiniEventRow *self = MINI_EVENT_ROW (widget);
  int height = gtk_widget_get_height (widget);
  int x[MINI_N_EVENT_COLUMNS];
  int width[MINI_N_EVENT_COLUMNS];
  GdkRGBA color;
  GdkRGBA line;

  if (self->font == NULL)
    update_fonts (self);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  line = color;
  line.alpha *= SEPARATOR_ALPHA;
  mini_event_columns_place (self->columns, gtk_widget_get_width (widget), x, width);

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      int inner = width[i] - 2 * MINI_EVENT_COLUMN_PADDING;
      int text_height;

      if (width[i] == 0)
        continue;
      if (i != MINI_EVENT_COLUMN_SUMMARY)
        gtk_snapshot_append_color (snapshot, &line,
                                   &GRAPHENE_RECT_INIT (x[i] + width[i] - 1, 0, 1, height));
      if (inner <= 0)
        continue;

      if (self->layout_widths[i] != inner)
        {
          pango_layout_set_width (self->layouts[i], inner * PANGO_SCALE);
          self->layout_widths[i] = inner;
        }
      pango_layout_get_pixel_size (self->layouts[i], NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (x[i] + MINI_EVENT_COLUMN_PADDING,
                                                    (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, self->layouts[i], &color);
      gtk_snapshot_restore (snapshot);
    }
}

/* The whole summary, which the column may cut short, when the pointer rests on it. Asked for then,
 * not set at each bind: in GTK 4.8 setting a tooltip's text queries the pointer from the display
 * server, and rows rebound under a flood stalled on it. */
static gboolean
mini_event_row_query_tooltip (GtkWidget  *widget,
                              int         px,
                              int         py,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  MiniEventRow *self = MINI_EVENT_ROW (widget);
  const char *text = pango_layout_get_text (self->layouts[MINI_EVENT_COLUMN_SUMMARY]);
  graphene_rect_t area;

  mini_event_row_get_cell_area (self, MINI_EVENT_COLUMN_SUMMARY, &area);
  if (text == NULL || *text == '\0' || (!keyboard && px < area.origin.x))
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

/* The shown columns' texts, joined with @separator. */
static char *
join_shown (MiniEventRow *self,
            const char   *separator)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      if (!mini_event_columns_get_visible (self->columns, i))
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      g_string_append (text, pango_layout_get_text (self->layouts[i]));
    }

  return g_string_free (text, FALSE);
}

/* A screen reader reads the row as a line of text. */
static void
update_label (MiniEventRow *self)
{
  g_autofree char *label = join_shown (self, ", ");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_columns_changed (MiniEventRow *self)
{
  update_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
mini_event_row_dispose (GObject *object)
{
  MiniEventRow *self = MINI_EVENT_ROW (object);

  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    g_clear_object (&self->layouts[i]);
  g_clear_object (&self->columns);
  g_clear_pointer (&self->font, pango_font_description_free);

  G_OBJECT_CLASS (mini_event_row_parent_class)->dispose (object);
}

static void
mini_event_row_class_init (MiniEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mini_event_row_dispose;
  widget_class->measure = mini_event_row_measure;
  widget_class->snapshot = mini_event_row_snapshot;
  widget_class->css_changed = mini_event_row_css_changed;
  widget_class->query_tooltip = mini_event_row_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "eventrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);

  numeric_attrs = pango_attr_list_new ();
  pango_attr_list_insert (numeric_attrs, pango_attr_font_features_new ("tnum=1"));
  faded_numeric_attrs = pango_attr_list_copy (numeric_attrs);
  pango_attr_list_insert (faded_numeric_attrs,
                          pango_attr_foreground_alpha_new (FADED_ALPHA * G_MAXUINT16));
}

static void
mini_event_row_init (MiniEventRow *self)
{
  for (guint i = 0; i < MINI_N_EVENT_COLUMNS; i++)
    {
      self->layouts[i] = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      self->layout_widths[i] = -1;
      pango_layout_set_ellipsize (self->layouts[i], PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layouts[i], TRUE);
      pango_layout_set_alignment (self->layouts[i], column_alignment (i));
      if (is_numeric (i))
        pango_layout_set_attributes (self->layouts[i], i == MINI_EVENT_COLUMN_DELTA
                                                       ? faded_numeric_attrs : numeric_attrs);
    }
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
mini_event_row_new (MiniEventColumns *columns)
{
  MiniEventRow *self;

  g_return_val_if_fail (MINI_IS_EVENT_COLUMNS (columns), NULL);

  self = g_object_new (MINI_TYPE_EVENT_ROW, NULL);
  self->columns = g_object_ref (columns);
  g_signal_connect_object (columns, "changed", G_CALLBACK (on_columns_changed), self,
                           G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

static void
set_text (MiniEventRow    *self,
          MiniEventColumn  column,
          const char      *text)
{
  pango_layout_set_text (self->layouts[column], text != NULL ? text : "", -1);
}

/**
 * mini_event_row_set_event:
 *
 * Shows @event. Its size stays: the row is only drawn again.
 */
void
mini_event_row_set_event (MiniEventRow *self,
                          MiniEvent    *event)
{
  g_autofree char *time = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *step = NULL;
  g_autofree char *task = NULL;
  g_autofree char *summary = NULL;

  g_return_if_fail (MINI_IS_EVENT_ROW (self));
  g_return_if_fail (MINI_IS_EVENT (event));

  time = mini_format_ms (mini_event_get_time_ms (event));
  delta = mini_format_ms (mini_event_get_delta_ms (event));
  step = mini_event_get_step (event) != 0 ? g_strdup_printf ("%u", mini_event_get_step (event))
                                          : NULL;
  task = mini_event_get_task (event) != 0 ? g_strdup_printf ("%u", mini_event_get_task (event))
                                          : g_strdup ("–");
  summary = mini_event_dup_summary (event);

  set_text (self, MINI_EVENT_COLUMN_TIME, time);
  set_text (self, MINI_EVENT_COLUMN_DELTA, delta);
  set_text (self, MINI_EVENT_COLUMN_STEP, step);
  set_text (self, MINI_EVENT_COLUMN_TASK, task);
  set_text (self, MINI_EVENT_COLUMN_KIND, mini_event_kind_to_string (mini_event_get_kind (event)));
  set_text (self, MINI_EVENT_COLUMN_API, mini_event_get_api (event));
  set_text (self, MINI_EVENT_COLUMN_SUMMARY, summary);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_label (self);
}

/* How the kind column looks: colour, weight, fading (see the event list's looks). */
void
mini_event_row_set_kind_attributes (MiniEventRow  *self,
                                    PangoAttrList *attrs)
{
  g_return_if_fail (MINI_IS_EVENT_ROW (self));

  if (pango_layout_get_attributes (self->layouts[MINI_EVENT_COLUMN_KIND]) == attrs)
    return;
  pango_layout_set_attributes (self->layouts[MINI_EVENT_COLUMN_KIND], attrs);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
mini_event_row_get_text (MiniEventRow    *self,
                         MiniEventColumn  column)
{
  g_return_val_if_fail (MINI_IS_EVENT_ROW (self), NULL);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, NULL);

  return pango_layout_get_text (self->layouts[column]);
}

PangoAttrList *
mini_event_row_get_attributes (MiniEventRow    *self,
                               MiniEventColumn  column)
{
  g_return_val_if_fail (MINI_IS_EVENT_ROW (self), NULL);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, NULL);

  return pango_layout_get_attributes (self->layouts[column]);
}

/* The shown columns' texts, as "t | Δ | task | kind | API | summary". */
char *
mini_event_row_dup_shown_text (MiniEventRow *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_ROW (self), NULL);

  return join_shown (self, " | ");
}

/**
 * mini_event_row_get_cell_area:
 * @area: (out): where @column is drawn in the row, its padding included
 *
 * Returns: whether @column is shown
 */
gboolean
mini_event_row_get_cell_area (MiniEventRow    *self,
                              MiniEventColumn  column,
                              graphene_rect_t *area)
{
  int x[MINI_N_EVENT_COLUMNS];
  int width[MINI_N_EVENT_COLUMNS];

  g_return_val_if_fail (MINI_IS_EVENT_ROW (self), FALSE);
  g_return_val_if_fail (column < MINI_N_EVENT_COLUMNS, FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  mini_event_columns_place (self->columns, gtk_widget_get_width (GTK_WIDGET (self)), x, width);
  graphene_rect_init (area, x[column], 0, width[column], gtk_widget_get_height (GTK_WIDGET (self)));

  return width[column] > 0;
}
