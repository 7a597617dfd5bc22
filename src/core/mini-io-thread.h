/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A thread that does libsoup's socket I/O for the thread that made it (the owner), and hands
 * what happened back to the owner's main context in bounded batches. */
#define MINI_TYPE_IO_THREAD (mini_io_thread_get_type ())
G_DECLARE_FINAL_TYPE (MiniIoThread, mini_io_thread, MINI, IO_THREAD, GObject)

MiniIoThread *mini_io_thread_new         (void);
SoupSession  *mini_io_thread_get_session (MiniIoThread   *self);
void          mini_io_thread_invoke      (MiniIoThread   *self,
                                          GSourceFunc     func,
                                          gpointer        data,
                                          GDestroyNotify  notify);
void          mini_io_thread_post        (MiniIoThread   *self,
                                          GSourceFunc     func,
                                          gpointer        data,
                                          GDestroyNotify  notify);

G_END_DECLS
