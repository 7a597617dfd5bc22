/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mini-types.h"

static const char * const kind_names[MINI_N_EVENT_KINDS] = {
  [MINI_EVENT_CALL] = "call",
  [MINI_EVENT_RETURN] = "return",
  [MINI_EVENT_SUCCESS] = "success",
  [MINI_EVENT_FAIL] = "fail",
  [MINI_EVENT_COMPLETE] = "complete",
  [MINI_EVENT_RESOLVE] = "resolve",
  [MINI_EVENT_REJECT] = "reject",
  [MINI_EVENT_OPEN] = "open",
  [MINI_EVENT_MESSAGE] = "message",
  [MINI_EVENT_ERROR] = "error",
  [MINI_EVENT_CLOSE] = "close",
  [MINI_EVENT_WIRE] = "wire",
  [MINI_EVENT_QUIRK] = "quirk",
  [MINI_EVENT_ENV] = "env",
};

G_DEFINE_QUARK (mini-error-quark, mini_error)

const char *
mini_event_kind_to_string (MiniEventKind kind)
{
  g_return_val_if_fail (kind < MINI_N_EVENT_KINDS, NULL);

  return kind_names[kind];
}

gboolean
mini_event_kind_from_string (const char    *str,
                             MiniEventKind *kind)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < MINI_N_EVENT_KINDS; i++)
    {
      if (g_str_equal (str, kind_names[i]))
        {
          if (kind != NULL)
            *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}
