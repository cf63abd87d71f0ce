/* roster-test-async.h: run the main loop until an async call has finished
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

static inline void
roster_test_async_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static inline gboolean
roster_test_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until *result is set, failing the test after 20 s. */
static inline GAsyncResult *
roster_test_wait_result (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, roster_test_flag_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  return *result;
}

/* Spins until condition() is true, failing after @seconds. */
#define roster_test_wait_until(condition, seconds)                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gboolean timed_out_ = FALSE;                                                                   \
    guint id_ = g_timeout_add_seconds ((seconds), roster_test_flag_cb, &timed_out_);               \
    while (!(condition) && !timed_out_)                                                            \
      g_main_context_iteration (NULL, TRUE);                                                       \
    g_assert_true (condition);                                                                     \
    if (!timed_out_)                                                                               \
      g_source_remove (id_);                                                                       \
  }                                                                                                \
  G_STMT_END


/* Runs the default main context for @ms milliseconds. */
static inline void
roster_test_spin (guint ms)
{
  gboolean waited = FALSE;

  g_timeout_add (ms, roster_test_flag_cb, &waited);
  roster_test_wait_until (waited, ms / 1000 + 5);
}

/* Like g_assert_finalize_object(), but lets the main loop run first: a GTask that ran in a
 * worker thread drops its reference on the source object shortly after its callback ran. */
#define roster_test_assert_finalize(object)                                                       \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gpointer weak_ = (object);                                                                     \
    g_object_add_weak_pointer (G_OBJECT (weak_), &weak_);                                          \
    g_object_unref (weak_);                                                                        \
    roster_test_wait_until (weak_ == NULL, 5);                                                     \
  }                                                                                                \
  G_STMT_END

G_END_DECLS
