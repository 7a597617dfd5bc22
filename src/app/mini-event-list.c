/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mini-app-util.h"
#include "mini-column-titles.h"
#include "mini-event-filter.h"
#include "mini-event-list.h"
#include "mini-event-row.h"
#include "mini-paced-model.h"

#define ALL_KINDS ((1u << MINI_N_EVENT_KINDS) - 1)

/* How the kind column shows a kind: the platform's events, callbacks and quirks stand out from
 * the wire. A look is Pango attributes on the row's kind layout, shared by every row showing it
 * (a CSS class changed on a rebound widget restyled it, at every frame of a flood). The colours
 * are the theme's, looked up again when the list's style changes. */
typedef enum {
  LOOK_PLAIN,    /* call, complete, close */
  LOOK_GOOD,     /* open, success, resolve */
  LOOK_BAD,      /* fail, error, reject */
  LOOK_MESSAGE,
  LOOK_QUIRK,
  LOOK_FAINT,    /* wire, return, env: regular weight, faded */
  N_LOOKS
} Look;

static const char * const look_color_names[N_LOOKS] = {
  [LOOK_GOOD] = "success_color",
  [LOOK_BAD] = "error_color",
  [LOOK_MESSAGE] = "mini_accent_text",
  [LOOK_QUIRK] = "warning_color",
};

#define FAINT_ALPHA 0.65

struct _MiniEventList
{
  GtkWidget           parent_instance;

  MiniTimeline       *timeline;
  MiniEventFilter    *events;         /* by kind and task, on the timeline's records */
  GtkFilterListModel *filter_model;   /* then by text, when there is a search */
  MiniPacedModel     *paced;          /* then a burst into a short list a share per frame */
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
  GtkStringList      *tasks;          /* "All tasks", "Task 1", … */
  guint               max_task;
  guint               kinds;          /* bit per MiniEventKind shown */
  guint               task_filter;
  char               *search;
  GRegex             *regex;
  char               *search_error;
  gboolean            following;
  double              last_value;  /* of the list's vertical adjustment */
  guint               follow_tick;
  gboolean            rows_removed;
  gboolean            scrolling;

  GtkMenuButton      *kinds_button;
  GtkBox             *kinds_box;
  GtkDropDown        *task_dropdown;
  GtkSearchEntry     *search_entry;
  GtkToggleButton    *regex_button;
  GtkToggleButton    *follow_button;
  GtkLabel           *count_label;
  GtkLabel           *search_error_label;
  GtkLabel           *empty_label;
  GtkBox             *table_box;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  MiniEventColumns   *columns;

  /* The kind column's looks, for a row [not selected, selected], and the colours they use. */
  PangoAttrList      *looks[2][N_LOOKS];
  GdkRGBA             look_colors[N_LOOKS];
  gboolean            look_found[N_LOOKS];
};

G_DEFINE_FINAL_TYPE (MiniEventList, mini_event_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TIMELINE,
  PROP_SELECTED_EVENT,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- rows ---------------------------------------------------------------------------------- */

static Look
kind_look (MiniEventKind kind)
{
  switch (kind)
    {
    case MINI_EVENT_OPEN:
    case MINI_EVENT_SUCCESS:
    case MINI_EVENT_RESOLVE:
      return LOOK_GOOD;

    case MINI_EVENT_FAIL:
    case MINI_EVENT_ERROR:
    case MINI_EVENT_REJECT:
      return LOOK_BAD;

    case MINI_EVENT_MESSAGE:
      return LOOK_MESSAGE;

    case MINI_EVENT_QUIRK:
      return LOOK_QUIRK;

    case MINI_EVENT_WIRE:
    case MINI_EVENT_RETURN:
    case MINI_EVENT_ENV:
      return LOOK_FAINT;

    case MINI_EVENT_CALL:
    case MINI_EVENT_COMPLETE:
    case MINI_EVENT_CLOSE:
    default:
      return LOOK_PLAIN;
    }
}

/* On a selected row the look keeps its weight only: colours would vanish into the highlight. */
static PangoAttrList *
make_look (Look           look,
           const GdkRGBA *color,
           gboolean       selected)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  double alpha = look == LOOK_FAINT ? FAINT_ALPHA : 1;

  pango_attr_list_insert (attrs, pango_attr_weight_new (look == LOOK_FAINT ? PANGO_WEIGHT_NORMAL
                                                                           : PANGO_WEIGHT_BOLD));
  if (selected)
    return attrs;

  if (color != NULL)
    {
      pango_attr_list_insert (attrs, pango_attr_foreground_new (color->red * G_MAXUINT16,
                                                                color->green * G_MAXUINT16,
                                                                color->blue * G_MAXUINT16));
      alpha *= color->alpha;
    }
  if (alpha < 1)
    pango_attr_list_insert (attrs, pango_attr_foreground_alpha_new (alpha * G_MAXUINT16));

  return attrs;
}

/* A flood reaching a short table: GTK 4.8 keeps about 200 rows bound, and makes a widget for each
 * new one, so a frame makes at most 8 of them while the burst keeps coming, and twice that once
 * it has stopped (MiniPacedModel). With 16 or 32 a frame while it kept coming, the flood's frames
 * took 1 to 2 ms more CPU (median) in bench-window. From 256 rows on, rows scrolled out lend their
 * widgets to rows scrolled in, and new rows pass at once. */
#define PACED_PER_FRAME 8
#define PACED_BELOW     256

/* A row keeps its kind's look and its selection, to be drawn again when the theme's colours
 * change: 1 + look, plus N_LOOKS on a selected row; 0 before its first bind. */
static GQuark look_quark;

static void
show_look (MiniEventList *self,
           MiniEventRow  *row,
           Look           look,
           gboolean       selected)
{
  g_object_set_qdata (G_OBJECT (row), look_quark,
                      GUINT_TO_POINTER (1 + look + (selected ? N_LOOKS : 0)));
  mini_event_row_set_kind_attributes (row, self->looks[selected][look]);
}

/* GTK 4.8 binds a row again when it is selected or unselected; later versions only notify its
 * list item's selection. */
static void
on_item_selected (GtkListItem   *item,
                  GParamSpec    *pspec,
                  MiniEventList *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  guint packed = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (row), look_quark));

  if (packed != 0)
    show_look (self, MINI_EVENT_ROW (row), (packed - 1) % N_LOOKS,
               gtk_list_item_get_selected (item));
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           MiniEventList            *self)
{
  gtk_list_item_set_child (item, mini_event_row_new (self->columns));
  g_signal_connect_object (item, "notify::selected", G_CALLBACK (on_item_selected), self, 0);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          MiniEventList            *self)
{
  MiniEvent *event = gtk_list_item_get_item (item);
  MiniEventRow *row = MINI_EVENT_ROW (gtk_list_item_get_child (item));

  mini_event_row_set_event (row, event);
  show_look (self, row, kind_look (mini_event_get_kind (event)),
             gtk_list_item_get_selected (item));
}

static void
restyle_rows (MiniEventList *self,
              GtkWidget     *widget)
{
  guint packed = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (widget), look_quark));

  if (packed != 0)
    {
      show_look (self, MINI_EVENT_ROW (widget), (packed - 1) % N_LOOKS, packed > N_LOOKS);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    restyle_rows (self, child);
}

/* Called for every change of the list's style, the window losing focus included: the looks are
 * made again only when a colour changed (another theme, the dark style). */
static void
update_looks (MiniEventList *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean changed = self->looks[0][0] == NULL;

  for (Look look = 0; look < N_LOOKS; look++)
    {
      GdkRGBA color = { 0 };
      gboolean found = look_color_names[look] != NULL
                       && gtk_style_context_lookup_color (context, look_color_names[look], &color);

      if (found != self->look_found[look]
          || (found && !gdk_rgba_equal (&color, &self->look_colors[look])))
        {
          self->look_found[look] = found;
          self->look_colors[look] = color;
          changed = TRUE;
        }
    }
  if (!changed)
    return;

  for (guint selected = 0; selected < 2; selected++)
    for (Look look = 0; look < N_LOOKS; look++)
      {
        g_clear_pointer (&self->looks[selected][look], pango_attr_list_unref);
        self->looks[selected][look] = make_look (look,
                                                 self->look_found[look] ? &self->look_colors[look]
                                                                        : NULL,
                                                 selected);
      }
  restyle_rows (self, GTK_WIDGET (self->list_view));
}

/* ---- filter -------------------------------------------------------------------------------- */

static gboolean
match_event (gpointer item,
             gpointer user_data)
{
  MiniEventList *self = user_data;
  MiniEvent *event = item;
  MiniEventView view;
  g_autofree char *summary = NULL;
  g_autofree char *haystack = NULL;

  /* Kinds and the task are already filtered by self->events. */
  if (!mini_timeline_get_event (self->timeline, mini_event_get_position (event), &view))
    return FALSE;
  if (self->search == NULL)
    return TRUE;

  summary = mini_timeline_event_summary (self->timeline, mini_event_get_position (event));
  haystack = g_strjoin ("\t", mini_event_kind_to_string (view.kind),
                        view.api != NULL ? view.api : "",
                        view.err_msg != NULL ? view.err_msg : "",
                        summary, NULL);

  if (self->regex != NULL)
    return g_regex_match (self->regex, haystack, 0, NULL);

  /* Plain text ignores case, as a search box does everywhere else. */
  {
    g_autofree char *folded = g_utf8_casefold (haystack, -1);
    return strstr (folded, self->search) != NULL;
  }
}

static void
update_count (MiniEventList *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = self->timeline != NULL ? mini_timeline_get_n_events (self->timeline) : 0;
  g_autofree char *text = NULL;

  if (gtk_filter_list_model_get_pending (self->filter_model) > 0)
    /* Translators: while a search runs through a long timeline; %u is what it found so far */
    text = g_strdup_printf (_("Searching… %u found"), shown);
  else if (shown == total)
    /* Translators: the number of events in the timeline */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", total), total);
  else
    /* Translators: how many events the filters show, of how many */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u event", "%u of %u events",
                                         total), shown, total);
  gtk_label_set_text (self->count_label, text);

  /* A first-time user sees what to do; a filtered-out table says why it is empty. */
  if (gtk_filter_list_model_get_pending (self->filter_model) > 0)
    gtk_label_set_text (self->empty_label, "");
  else if (total == 0)
    gtk_label_set_text (self->empty_label,
                        _("No events yet. Compose a connectSocket call on the left and press "
                          "Ctrl+Enter: the timeline shows what the platform does."));
  else if (shown == 0)
    gtk_label_set_text (self->empty_label, _("No event matches the filters."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), shown == 0);
}

/* Kinds and the task filter the timeline's records at once; only a text search goes through
 * GtkFilterListModel, one MiniEvent per event it looks at, so it stays slower (and runs in
 * steps, see mini_event_list_set_search()). */
static GtkWidget *
inner_list_view (MiniEventList *self)
{
  return GTK_WIDGET (self->list_view);
}

/* The first of the first @n rows shown whose event is @seq or later, or @n. The shown events
 * keep the timeline's order, so a binary search finds it. */
static guint
lower_bound (MiniEventList *self,
             guint          seq,
             guint          n)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  guint low = 0;
  guint high = n;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      g_autoptr(MiniEvent) event = g_list_model_get_item (model, mid);

      if (mini_event_get_seq (event) < seq)
        low = mid + 1;
      else
        high = mid;
    }

  return low;
}

/* The row of event @seq among those shown, or GTK_INVALID_LIST_POSITION. */
static guint
find_row (MiniEventList *self,
          guint          seq)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (model);
  guint row = lower_bound (self, seq, n);
  g_autoptr(MiniEvent) event = row < n ? g_list_model_get_item (model, row) : NULL;

  return event != NULL && mini_event_get_seq (event) == seq ? row : GTK_INVALID_LIST_POSITION;
}

typedef struct {
  MiniEventList *self;
  guint          selected_seq;
  guint          top_seq;       /* the event in the top row on screen */
} Move;

/* The event in the top row on screen, from the scroll offset (the rows are one line each), or
 * 0 when there is none. */
static guint
top_seq (MiniEventList *self)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double upper = gtk_adjustment_get_upper (adjustment);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(MiniEvent) event = NULL;

  if (n == 0 || upper <= 0)
    return 0;
  event = g_list_model_get_item (model,
                                 MIN (n - 1, (guint) (gtk_adjustment_get_value (adjustment)
                                                      / upper * n)));

  return mini_event_get_seq (event);
}

/* While the filters change, the new rows come first, above the old ones: the view moves onto
 * them, to the end when following, else to the selected event or to the event that was at the
 * top (or the next one shown), and keeps its row widgets for them (see
 * mini_event_filter_set_filters()). The view goes to the top first: without that step GTK 4.8
 * left its widgets on old rows when scrolling to the end of the new ones, and made 151 rows
 * afresh for each hide in bench-window; with it, 3. Each step rebinds rows, which costs little
 * next to making them. */
static void
move_onto_new_rows (MiniEventFilter *filter,
                    guint            n_new,
                    gpointer         user_data)
{
  Move *move = user_data;
  MiniEventList *self = move->self;
  GtkWidget *list_view = inner_list_view (self);
  guint row = n_new;

  if (list_view == NULL)
    return;
  if (!self->following)
    {
      if (move->selected_seq != 0)
        row = lower_bound (self, move->selected_seq, n_new);
      if (row == n_new)
        row = lower_bound (self, move->top_seq, n_new);
    }

  mini_paced_model_flush (self->paced);
  self->scrolling = TRUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  self->scrolling = FALSE;
  gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", MIN (row, n_new - 1));
}

static void
refilter (MiniEventList    *self,
          gboolean          search_changed)
{
  MiniEvent *selected = gtk_single_selection_get_selected_item (self->selection);
  guint selected_seq = selected != NULL ? mini_event_get_seq (selected) : 0;
  Move move = { self, selected_seq, self->following ? 0 : top_seq (self) };

  /* A search filters the rows again in steps, so the view cannot move onto them at once. */
  mini_event_filter_set_filters (self->events, self->kinds,
                                 self->task_filter == MINI_EVENT_LIST_ALL_TASKS
                                 ? MINI_EVENT_FILTER_ALL_TASKS : self->task_filter,
                                 self->search == NULL ? move_onto_new_rows : NULL, &move);
  /* Without a search the GtkFilterListModel has no filter, so it passes the rows through and
   * makes no object per event. */
  if (self->search == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else if (search_changed)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  /* The rows are new objects after a filter change, so the selection is lost with them: the
   * selected event stays selected, and in view, while the filters still show it. */
  if (selected_seq != 0 && gtk_single_selection_get_selected_item (self->selection) == NULL)
    {
      guint row = find_row (self, selected_seq);
      GtkWidget *list_view = inner_list_view (self);

      if (row != GTK_INVALID_LIST_POSITION)
        {
          mini_paced_model_flush (self->paced);
          gtk_single_selection_set_selected (self->selection, row);
          if (!self->following && list_view != NULL)
            gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", row);
        }
    }
  update_count (self);
}

/* ---- follow -------------------------------------------------------------------------------- */

static gboolean
follow_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  MiniEventList *self = MINI_EVENT_LIST (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  self->follow_tick = 0;
  if (!self->following)
    return G_SOURCE_REMOVE;
  /* After a filter or a clear removed rows, the adjustment keeps the old rows' height until the
   * list is laid out again; an offset past the rows left makes GTK 4.8 warn that it "failed to
   * scroll to given position". The layout's own adjustment change follows the end then. */
  if (self->rows_removed || g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    return G_SOURCE_REMOVE;

  if (gtk_adjustment_get_value (adjustment) < bottom)
    {
      self->scrolling = TRUE;
      gtk_adjustment_set_value (adjustment, bottom);
      self->scrolling = FALSE;
    }

  return G_SOURCE_REMOVE;
}

static void
queue_follow (MiniEventList *self)
{
  if (self->following && self->follow_tick == 0)
    self->follow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), follow_tick_cb, NULL,
                                                      NULL);
}

static void
on_adjustment_changed (MiniEventList *self,
                       GtkAdjustment *adjustment)
{
  /* GTK lays out rows that came in between two frames (as a socket's I/O thread hands them
   * over) and configures the adjustment: the value it moves to, often a few pixels up to keep
   * its anchor row in place, is already set when "changed" is emitted, before "value-changed".
   * That move is the list's own, not the user's. */
  self->last_value = gtk_adjustment_get_value (adjustment);
  self->rows_removed = FALSE;
  queue_follow (self);
}

/* The user scrolled: following stops when the view moves up away from the end, and resumes at
 * the end. */
static void
on_value_changed (MiniEventList *self,
                  GtkAdjustment *adjustment)
{
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  double value = gtk_adjustment_get_value (adjustment);
  gboolean moved_up = value < self->last_value - 0.5;

  self->last_value = value;
  if (self->scrolling)
    return;

  if (value >= bottom - 2)
    mini_event_list_set_following (self, TRUE);
  else if (moved_up)
    mini_event_list_set_following (self, FALSE);
}

/* ---- models -------------------------------------------------------------------------------- */

static void
reset_tasks (MiniEventList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));

  gtk_string_list_splice (self->tasks, 1, n - 1, NULL);
  self->max_task = 0;
}

static void
on_timeline_items_changed (MiniEventList *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  if (removed > 0 && g_list_model_get_n_items (model) == 0)
    {
      mini_event_list_set_task_filter (self, MINI_EVENT_LIST_ALL_TASKS);
      reset_tasks (self);
    }

  /* Only the new events are looked at: appending stays O(added) in a long session. */
  for (guint i = position; i < position + added; i++)
    {
      MiniEventView view;

      if (!mini_timeline_get_event (self->timeline, i, &view) || view.task <= self->max_task)
        continue;
      for (guint task = self->max_task + 1; task <= view.task; task++)
        {
          /* Translators: an entry of the task filter; %u is a socketTaskId */
          g_autofree char *label = g_strdup_printf (_("Task %u"), task);
          gtk_string_list_append (self->tasks, label);
        }
      self->max_task = view.task;
    }
}

static void
on_filtered_items_changed (MiniEventList *self,
                           guint          position,
                           guint          removed,
                           guint          added)
{
  if (removed > 0)
    self->rows_removed = TRUE;
  update_count (self);
  queue_follow (self);
}

static void
on_selection_changed (MiniEventList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_EVENT]);
}

/* ---- filter widgets ------------------------------------------------------------------------ */

static void
on_kind_toggled (GtkCheckButton *check,
                 MiniEventList  *self)
{
  MiniEventKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "kind"));

  mini_event_list_set_kind_visible (self, kind, gtk_check_button_get_active (check));
}

static void
sync_kind_checks (MiniEventList *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->kinds_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer data = g_object_get_data (G_OBJECT (child), "kind");

      if (GTK_IS_CHECK_BUTTON (child) && data != NULL)
        {
          MiniEventKind kind = GPOINTER_TO_UINT (data) ;
          gboolean active = (self->kinds & (1u << kind)) != 0;

          g_signal_handlers_block_by_func (child, on_kind_toggled, self);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (child), active);
          g_signal_handlers_unblock_by_func (child, on_kind_toggled, self);
        }
    }

  if (self->kinds == ALL_KINDS)
    gtk_widget_remove_css_class (GTK_WIDGET (self->kinds_button), "filtering");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->kinds_button), "filtering");
}

static void
show_all_kinds (MiniEventList *self)
{
  self->kinds = ALL_KINDS;
  sync_kind_checks (self);
  refilter (self, FALSE);
}

static void
on_task_selected (MiniEventList *self)
{
  guint selected = gtk_drop_down_get_selected (self->task_dropdown);

  mini_event_list_set_task_filter (self, selected == 0 || selected == GTK_INVALID_LIST_POSITION
                                         ? MINI_EVENT_LIST_ALL_TASKS : selected);
}

static void
on_search_changed (MiniEventList *self)
{
  mini_event_list_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                              gtk_toggle_button_get_active (self->regex_button));
}

static void
on_follow_toggled (MiniEventList *self)
{
  mini_event_list_set_following (self, gtk_toggle_button_get_active (self->follow_button));
}

/* ---- object -------------------------------------------------------------------------------- */

static void
mini_event_list_dispose (GObject *object)
{
  MiniEventList *self = MINI_EVENT_LIST (object);

  if (self->follow_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->follow_tick);
      self->follow_tick = 0;
    }
  if (self->timeline != NULL)
    g_signal_handlers_disconnect_by_data (self->timeline, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), MINI_TYPE_EVENT_LIST);
  mini_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->selection);
  g_clear_object (&self->paced);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->events);
  g_clear_object (&self->filter);
  g_clear_object (&self->tasks);
  g_clear_object (&self->timeline);
  g_clear_object (&self->columns);

  G_OBJECT_CLASS (mini_event_list_parent_class)->dispose (object);
}

static void
mini_event_list_finalize (GObject *object)
{
  MiniEventList *self = MINI_EVENT_LIST (object);

  for (guint selected = 0; selected < 2; selected++)
    for (Look look = 0; look < N_LOOKS; look++)
      g_clear_pointer (&self->looks[selected][look], pango_attr_list_unref);
  g_free (self->search);
  g_free (self->search_error);
  g_clear_pointer (&self->regex, g_regex_unref);

  G_OBJECT_CLASS (mini_event_list_parent_class)->finalize (object);
}

static void
mini_event_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MiniEventList *self = MINI_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      g_value_set_object (value, self->timeline);
      break;

    case PROP_SELECTED_EVENT:
      g_value_set_object (value, mini_event_list_get_selected_event (self));
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_event_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MiniEventList *self = MINI_EVENT_LIST (object);

  switch (prop_id)
    {
    case PROP_TIMELINE:
      mini_event_list_set_timeline (self, g_value_get_object (value));
      break;

    case PROP_FOLLOWING:
      mini_event_list_set_following (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mini_event_list_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (mini_event_list_parent_class)->css_changed (widget, change);

  update_looks (MINI_EVENT_LIST (widget));
}

static void
mini_event_list_class_init (MiniEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  look_quark = g_quark_from_static_string ("mini-event-list-look");

  widget_class->css_changed = mini_event_list_css_changed;
  object_class->dispose = mini_event_list_dispose;
  object_class->finalize = mini_event_list_finalize;
  object_class->get_property = mini_event_list_get_property;
  object_class->set_property = mini_event_list_set_property;

  properties[PROP_TIMELINE] =
    g_param_spec_object ("timeline", NULL, NULL,
                         MINI_TYPE_TIMELINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_EVENT] =
    g_param_spec_object ("selected-event", NULL, NULL,
                         MINI_TYPE_EVENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the list scrolls to new events; the user scrolling up stops it. */
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MINI_TYPE_EVENT);

  mini_app_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, MINI_UI_PREFIX "mini-event-list.ui");
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, kinds_button);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, kinds_box);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, task_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, regex_button);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, follow_button);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, count_label);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, search_error_label);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, empty_label);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, scroller);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, table_box);
  gtk_widget_class_bind_template_child (widget_class, MiniEventList, list_view);
  gtk_widget_class_bind_template_callback (widget_class, show_all_kinds);
  gtk_widget_class_bind_template_callback (widget_class, on_task_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_toggled);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "eventlist");
}

static void
mini_event_list_init (MiniEventList *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkAdjustment *adjustment;

  self->kinds = ALL_KINDS;
  self->task_filter = MINI_EVENT_LIST_ALL_TASKS;
  self->following = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));
  update_looks (self);

  self->columns = mini_event_columns_new ();
  gtk_box_prepend (self->table_box, mini_column_titles_new (self->columns));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);

  for (guint kind = 0; kind < MINI_N_EVENT_KINDS; kind++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (mini_event_kind_to_string (kind));

      g_object_set_data (G_OBJECT (check), "kind", GUINT_TO_POINTER (kind));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect (check, "toggled", G_CALLBACK (on_kind_toggled), self);
      gtk_box_append (self->kinds_box, check);
    }

  self->tasks = gtk_string_list_new ((const char * const[]) { _("All tasks"), NULL });
  gtk_drop_down_set_model (self->task_dropdown, G_LIST_MODEL (self->tasks));

  self->filter = gtk_custom_filter_new (match_event, self, NULL);
  self->events = mini_event_filter_new ();
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->events)), NULL);
  self->paced = mini_paced_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                     PACED_PER_FRAME, PACED_BELOW);
  mini_paced_model_set_widget (self->paced, GTK_WIDGET (self->list_view));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->paced)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filtered_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::pending",
                           G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_adjustment_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);

  update_count (self);
}

GtkWidget *
mini_event_list_new (void)
{
  return g_object_new (MINI_TYPE_EVENT_LIST, NULL);
}

MiniTimeline *
mini_event_list_get_timeline (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return self->timeline;
}

void
mini_event_list_set_timeline (MiniEventList *self,
                              MiniTimeline  *timeline)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));
  g_return_if_fail (timeline == NULL || MINI_IS_TIMELINE (timeline));

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
  mini_event_filter_set_timeline (self->events, timeline);
  update_count (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMELINE]);
}

/**
 * mini_event_list_get_selected_event:
 *
 * Returns: (transfer none) (nullable): the selected event
 */
MiniEvent *
mini_event_list_get_selected_event (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * mini_event_list_select_seq:
 *
 * Selects the event and scrolls to it; filters that hide it are reset first.
 *
 * Returns: whether the event exists
 */
gboolean
mini_event_list_select_seq (MiniEventList *self,
                            guint          seq)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), FALSE);

  if (seq == 0)
    {
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      return TRUE;
    }
  if (self->timeline == NULL || seq > mini_timeline_get_n_events (self->timeline))
    return FALSE;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      guint row = find_row (self, seq);

      if (row != GTK_INVALID_LIST_POSITION)
        {
          GtkWidget *list_view = inner_list_view (self);

          mini_paced_model_flush (self->paced);
          gtk_single_selection_set_selected (self->selection, row);
          mini_event_list_set_following (self, FALSE);
          if (list_view != NULL)
            gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", row);
          return TRUE;
        }
      mini_event_list_reset_filters (self);
    }

  return FALSE;
}

/**
 * mini_event_list_get_model:
 *
 * Returns: (transfer none): the events the filters let through, as the table shows them
 */
GListModel *
mini_event_list_get_model (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

/* Returns: (transfer none): the widths and shown columns of the table */
MiniEventColumns *
mini_event_list_get_columns (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return self->columns;
}

/* Returns: (transfer none): the GtkListView of the table's rows, each a MiniEventRow */
GtkWidget *
mini_event_list_get_list_view (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return GTK_WIDGET (self->list_view);
}

gboolean
mini_event_list_get_following (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), FALSE);
  return self->following;
}

void
mini_event_list_set_following (MiniEventList *self,
                               gboolean       following)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));

  following = !!following;
  if (self->following == following)
    return;

  self->following = following;
  gtk_toggle_button_set_active (self->follow_button, following);
  queue_follow (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

void
mini_event_list_set_kind_visible (MiniEventList *self,
                                  MiniEventKind  kind,
                                  gboolean       visible)
{
  guint kinds;

  g_return_if_fail (MINI_IS_EVENT_LIST (self));
  g_return_if_fail (kind < MINI_N_EVENT_KINDS);

  kinds = visible ? self->kinds | (1u << kind) : self->kinds & ~(1u << kind);
  if (kinds == self->kinds)
    return;

  self->kinds = kinds;
  sync_kind_checks (self);
  refilter (self, FALSE);
}

gboolean
mini_event_list_get_kind_visible (MiniEventList *self,
                                  MiniEventKind  kind)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), FALSE);
  g_return_val_if_fail (kind < MINI_N_EVENT_KINDS, FALSE);

  return (self->kinds & (1u << kind)) != 0;
}

/**
 * mini_event_list_set_task_filter:
 * @task: a socketTaskId, or %MINI_EVENT_LIST_ALL_TASKS
 */
void
mini_event_list_set_task_filter (MiniEventList *self,
                                 guint          task)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));

  if (self->task_filter == task)
    return;

  self->task_filter = task;
  g_signal_handlers_block_by_func (self->task_dropdown, on_task_selected, self);
  /* Row 0 is "All tasks"; row N is task N. */
  gtk_drop_down_set_selected (self->task_dropdown, task > self->max_task ? 0 : task);
  g_signal_handlers_unblock_by_func (self->task_dropdown, on_task_selected, self);
  refilter (self, FALSE);
}

/**
 * mini_event_list_set_search:
 * @regex: whether @text is a regular expression; one that does not compile is shown as an
 *   error and filters nothing
 *
 * Matches the kind, API, errMsg and summary of each event.
 */
void
mini_event_list_set_search (MiniEventList *self,
                            const char    *text,
                            gboolean       regex)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MINI_IS_EVENT_LIST (self));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
    }
  if (gtk_toggle_button_get_active (self->regex_button) != regex)
    {
      g_signal_handlers_block_by_func (self->regex_button, on_search_changed, self);
      gtk_toggle_button_set_active (self->regex_button, regex);
      g_signal_handlers_unblock_by_func (self->regex_button, on_search_changed, self);
    }

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->search_error, g_free);

  if (text != NULL && *text != '\0')
    {
      if (regex)
        {
          self->regex = g_regex_new (text, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
          if (self->regex == NULL)
            /* Translators: %s is why a regular expression does not compile */
            self->search_error = g_strdup_printf (_("Not a valid regular expression: %s"),
                                                  error->message);
          else
            self->search = g_strdup (text);
        }
      else
        self->search = g_utf8_casefold (text, -1);
    }

  /* A text search builds every summary: over a long timeline it runs in steps, so typing stays
   * fluid. Kind and task filters are cheap and stay immediate. */
  gtk_filter_list_model_set_incremental (self->filter_model, self->search != NULL);

  gtk_label_set_text (self->search_error_label,
                      self->search_error != NULL ? self->search_error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->search_error_label), self->search_error != NULL);
  if (self->search_error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");

  refilter (self, TRUE);
}

/**
 * mini_event_list_get_pending:
 *
 * Returns: how many events a running search has not looked at yet
 */
guint
mini_event_list_get_pending (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), 0);
  return gtk_filter_list_model_get_pending (self->filter_model);
}

/**
 * mini_event_list_get_search_error:
 *
 * Returns: (nullable): why the search does not filter
 */
const char *
mini_event_list_get_search_error (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), NULL);
  return self->search_error;
}

void
mini_event_list_reset_filters (MiniEventList *self)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));

  self->kinds = ALL_KINDS;
  sync_kind_checks (self);
  mini_event_list_set_task_filter (self, MINI_EVENT_LIST_ALL_TASKS);
  mini_event_list_set_search (self, "", gtk_toggle_button_get_active (self->regex_button));
}

void
mini_event_list_focus_search (MiniEventList *self)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * mini_event_list_set_show_steps:
 *
 * Shows the column of the scenario step that caused each event, for a scenario's timeline.
 */
void
mini_event_list_set_show_steps (MiniEventList *self,
                                gboolean       show)
{
  g_return_if_fail (MINI_IS_EVENT_LIST (self));
  mini_event_columns_set_visible (self->columns, MINI_EVENT_COLUMN_STEP, show);
}

gboolean
mini_event_list_get_show_steps (MiniEventList *self)
{
  g_return_val_if_fail (MINI_IS_EVENT_LIST (self), FALSE);
  return mini_event_columns_get_visible (self->columns, MINI_EVENT_COLUMN_STEP);
}
