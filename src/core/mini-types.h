/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _MiniDialect    MiniDialect;
typedef struct _MiniEvent      MiniEvent;
typedef struct _MiniPlayground MiniPlayground;
typedef struct _MiniRuntime    MiniRuntime;
typedef struct _MiniScenario   MiniScenario;
typedef struct _MiniSocketTask MiniSocketTask;
typedef struct _MiniTimeline   MiniTimeline;

/* The kinds of the JSON Lines contract, in the order of the design. */
typedef enum {
  MINI_EVENT_CALL,
  MINI_EVENT_RETURN,
  MINI_EVENT_SUCCESS,
  MINI_EVENT_FAIL,
  MINI_EVENT_COMPLETE,
  MINI_EVENT_RESOLVE,
  MINI_EVENT_REJECT,
  MINI_EVENT_OPEN,
  MINI_EVENT_MESSAGE,
  MINI_EVENT_ERROR,
  MINI_EVENT_CLOSE,
  MINI_EVENT_WIRE,
  MINI_EVENT_QUIRK,
  MINI_EVENT_ENV,
  MINI_N_EVENT_KINDS
} MiniEventKind;

/* The code field of an event that has none. */
#define MINI_NO_CODE G_MININT32

const char *mini_event_kind_to_string   (MiniEventKind  kind);
gboolean    mini_event_kind_from_string (const char    *str,
                                         MiniEventKind *kind);

#define MINI_ERROR (mini_error_quark ())
GQuark mini_error_quark (void);

typedef enum {
  MINI_ERROR_INVALID,      /* bad input: a file, an argument, a value */
  MINI_ERROR_NOT_FOUND,    /* unknown dialect, API or task */
  MINI_ERROR_FAILED,
} MiniError;

G_END_DECLS
