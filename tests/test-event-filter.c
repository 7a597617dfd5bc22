/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include "mini-event.h"
#include "mini-event-filter.h"

#define ALL_KINDS ((1u << MINI_N_EVENT_KINDS) - 1)

/* The event list's kind and task filter: the table shows what this model holds, so it must hold
 * exactly the matching events, in order, and tell the table each change in a way that adds up. */

typedef struct {
  MiniTimeline    *timeline;
  MiniEventFilter *filter;
  guint            mirrored;    /* the item count a view following the signals would have */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  g_assert_cmpuint (position + removed, <=, fixture->mirrored);
  fixture->mirrored = fixture->mirrored - removed + added;
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, fixture->mirrored);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->timeline = mini_timeline_new ();
  fixture->filter = mini_event_filter_new ();
  fixture->mirrored = 0;
  g_signal_connect (fixture->filter, "items-changed", G_CALLBACK (on_items_changed), fixture);
  mini_event_filter_set_timeline (fixture->filter, fixture->timeline);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->filter);
  g_assert_finalize_object (fixture->timeline);
}

static void
append (Fixture       *fixture,
        MiniEventKind  kind,
        guint          task)
{
  MiniEventSpec spec = { .kind = kind, .task = task, .code = MINI_NO_CODE };

  g_assert_cmpuint (mini_timeline_append (fixture->timeline, &spec), >, 0);
}

/* The seqs the model holds, as "1 3 4". */
static char *
shown (Fixture *fixture)
{
  GListModel *model = G_LIST_MODEL (fixture->filter);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MiniEvent) event = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s%u", i > 0 ? " " : "", mini_event_get_seq (event));
    }
  g_assert_null (g_list_model_get_item (model, g_list_model_get_n_items (model)));

  return g_string_free (out, FALSE);
}

#define ASSERT_SHOWN(fixture, expected) \
  G_STMT_START { \
    g_autofree char *seqs_ = shown (fixture); \
    g_assert_cmpstr (seqs_, ==, expected); \
  } G_STMT_END

/* seq: 1 call/0, 2 wire/1, 3 open/1, 4 wire/2, 5 message/1, 6 message/2 */
static void
fill (Fixture *fixture)
{
  append (fixture, MINI_EVENT_CALL, 0);
  append (fixture, MINI_EVENT_WIRE, 1);
  append (fixture, MINI_EVENT_OPEN, 1);
  append (fixture, MINI_EVENT_WIRE, 2);
  append (fixture, MINI_EVENT_MESSAGE, 1);
  append (fixture, MINI_EVENT_MESSAGE, 2);
  mini_timeline_flush (fixture->timeline);
}

static void
test_kinds_and_task (Fixture       *fixture,
                     gconstpointer  data)
{
  fill (fixture);
  ASSERT_SHOWN (fixture, "1 2 3 4 5 6");

  mini_event_filter_set_kinds (fixture->filter, ALL_KINDS & ~(1u << MINI_EVENT_WIRE));
  ASSERT_SHOWN (fixture, "1 3 5 6");
  mini_event_filter_set_task (fixture->filter, 2);
  ASSERT_SHOWN (fixture, "6");
  mini_event_filter_set_kinds (fixture->filter, ALL_KINDS);
  ASSERT_SHOWN (fixture, "4 6");
  mini_event_filter_set_task (fixture->filter, 7);
  ASSERT_SHOWN (fixture, "");
  mini_event_filter_set_task (fixture->filter, MINI_EVENT_FILTER_ALL_TASKS);
  ASSERT_SHOWN (fixture, "1 2 3 4 5 6");
}

typedef struct {
  Fixture    *fixture;
  guint       calls;
  const char *during;
  guint       n_new;
} MoveCheck;

static void
check_move (MiniEventFilter *filter,
            guint            n_new,
            gpointer         user_data)
{
  MoveCheck *check = user_data;

  check->calls++;
  g_assert_cmpuint (n_new, ==, check->n_new);
  ASSERT_SHOWN (check->fixture, check->during);
}

/* With a move, the new rows come first and the old ones after them while the view moves; then
 * the old ones go. Every step adds up for a view that follows the signals. */
static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  MoveCheck check = { fixture, 0, "1 3 5 6 1 2 3 4 5 6", 4 };

  fill (fixture);
  mini_event_filter_set_filters (fixture->filter, ALL_KINDS & ~(1u << MINI_EVENT_WIRE),
                                 MINI_EVENT_FILTER_ALL_TASKS, check_move, &check);
  g_assert_cmpuint (check.calls, ==, 1);
  ASSERT_SHOWN (fixture, "1 3 5 6");

  /* Both filters at once, from a filtered list to another. */
  check = (MoveCheck) { fixture, 0, "2 3 5 1 3 5 6", 3 };
  mini_event_filter_set_filters (fixture->filter, ALL_KINDS, 1, check_move, &check);
  g_assert_cmpuint (check.calls, ==, 1);
  ASSERT_SHOWN (fixture, "2 3 5");
  g_assert_cmpuint (mini_event_filter_get_kinds (fixture->filter), ==, ALL_KINDS);
  g_assert_cmpuint (mini_event_filter_get_task (fixture->filter), ==, 1);

  /* Nothing left to move onto: the old rows just go. The same filters change nothing. */
  check = (MoveCheck) { fixture, 0, NULL, 0 };
  mini_event_filter_set_filters (fixture->filter, 1u << MINI_EVENT_CLOSE, 1, check_move, &check);
  ASSERT_SHOWN (fixture, "");
  mini_event_filter_set_filters (fixture->filter, 1u << MINI_EVENT_CLOSE, 1, check_move, &check);
  g_assert_cmpuint (check.calls, ==, 0);

  /* From nothing shown, the rows come in at once. */
  mini_event_filter_set_filters (fixture->filter, ALL_KINDS, MINI_EVENT_FILTER_ALL_TASKS,
                                 check_move, &check);
  g_assert_cmpuint (check.calls, ==, 0);
  ASSERT_SHOWN (fixture, "1 2 3 4 5 6");

  /* New events after the change land at the end as usual. */
  append (fixture, MINI_EVENT_WIRE, 3);
  mini_timeline_flush (fixture->timeline);
  ASSERT_SHOWN (fixture, "1 2 3 4 5 6 7");
}

/* New events reach the model only when the timeline announces them, and only matching ones. */
static void
test_appends (Fixture       *fixture,
              gconstpointer  data)
{
  mini_event_filter_set_kinds (fixture->filter, 1u << MINI_EVENT_MESSAGE);
  fill (fixture);
  ASSERT_SHOWN (fixture, "5 6");

  append (fixture, MINI_EVENT_MESSAGE, 3);
  append (fixture, MINI_EVENT_WIRE, 3);
  ASSERT_SHOWN (fixture, "5 6");
  mini_timeline_flush (fixture->timeline);
  ASSERT_SHOWN (fixture, "5 6 7");

  mini_event_filter_set_kinds (fixture->filter, ALL_KINDS);
  append (fixture, MINI_EVENT_CLOSE, 3);
  mini_timeline_flush (fixture->timeline);
  ASSERT_SHOWN (fixture, "1 2 3 4 5 6 7 8 9");
}

/* A handler of the timeline that changes the filter before the model hears of a clear (the
 * event list resets its task filter then) must not make the model remove rows twice. */
static void
reset_task_on_clear (GListModel      *timeline,
                     guint            position,
                     guint            removed,
                     guint            added,
                     MiniEventFilter *filter)
{
  if (removed > 0)
    mini_event_filter_set_task (filter, MINI_EVENT_FILTER_ALL_TASKS);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MiniTimeline) other = mini_timeline_new ();

  /* Connected before the filter's own handler, as the event list's is. */
  mini_event_filter_set_timeline (fixture->filter, NULL);
  g_signal_connect (fixture->timeline, "items-changed", G_CALLBACK (reset_task_on_clear),
                    fixture->filter);
  mini_event_filter_set_timeline (fixture->filter, fixture->timeline);

  fill (fixture);
  mini_event_filter_set_task (fixture->filter, 1);
  ASSERT_SHOWN (fixture, "2 3 5");
  mini_timeline_clear (fixture->timeline);
  ASSERT_SHOWN (fixture, "");
  g_assert_cmpuint (mini_event_filter_get_task (fixture->filter), ==,
                    MINI_EVENT_FILTER_ALL_TASKS);

  fill (fixture);
  mini_event_filter_set_kinds (fixture->filter, 1u << MINI_EVENT_WIRE);
  ASSERT_SHOWN (fixture, "2 4");
  mini_timeline_clear (fixture->timeline);
  ASSERT_SHOWN (fixture, "");

  /* Another timeline (a new session) replaces every row. */
  fill (fixture);
  append (fixture, MINI_EVENT_WIRE, 1);
  mini_timeline_flush (fixture->timeline);
  mini_event_filter_set_timeline (fixture->filter, other);
  ASSERT_SHOWN (fixture, "");
  g_signal_handlers_disconnect_by_data (fixture->timeline, fixture->filter);
}

/* The point of the model: a kind filter over a million events reads records, not objects. */
static void
test_many (Fixture       *fixture,
           gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->filter);

  for (guint i = 0; i < 100000; i++)
    append (fixture, i % 2 == 0 ? MINI_EVENT_WIRE : MINI_EVENT_MESSAGE, 1 + i % 3);
  mini_timeline_flush (fixture->timeline);

  mini_event_filter_set_kinds (fixture->filter, 1u << MINI_EVENT_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 50000);
  mini_event_filter_set_task (fixture->filter, 2);
  /* Messages are the odd i, task 2 is i % 3 == 1: i = 1, 7, 13, … */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 16667);
  {
    g_autoptr(MiniEvent) last = g_list_model_get_item (model, 16666);

    g_assert_cmpuint (mini_event_get_seq (last), ==, 99998);
    g_assert_cmpuint (mini_event_get_task (last), ==, 2);
    g_assert_cmpint (mini_event_get_kind (last), ==, MINI_EVENT_MESSAGE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/event-filter/kinds-and-task", test_kinds_and_task);
  ADD ("/event-filter/move", test_move);
  ADD ("/event-filter/appends", test_appends);
  ADD ("/event-filter/clear", test_clear);
  ADD ("/event-filter/many", test_many);
#undef ADD

  return g_test_run ();
}
