/* roster-clock.c: what time rosterd thinks it is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "roster-clock.h"

/* Seconds added to the real time: only ever non-zero in a test-clock build. */
static gint64 offset;

/**
 * roster_clock_now:
 *
 * Returns: seconds since the Unix epoch.
 */
gint64
roster_clock_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC + offset;
}

/**
 * roster_clock_now_utc:
 *
 * Returns: (transfer full): now, in UTC.
 */
GDateTime *
roster_clock_now_utc (void)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

  return g_date_time_add_seconds (real, (gdouble) offset);
}

gint64
roster_clock_get_offset (void)
{
  return offset;
}

/**
 * roster_clock_can_move:
 *
 * Returns: whether this build can move its clock (-Dtest_clock=true).
 */
gboolean
roster_clock_can_move (void)
{
#ifdef ROSTER_TEST_CLOCK
  return TRUE;
#else
  return FALSE;
#endif
}

/**
 * roster_clock_advance:
 * @seconds: how far to move the clock forward (never backward: time in rosterd is monotonic
 *   as far as its policies can tell)
 *
 * Moves the clock in a test-clock build; does nothing otherwise.
 */
void
roster_clock_advance (gint64 seconds)
{
#ifdef ROSTER_TEST_CLOCK
  if (seconds > 0)
    offset += seconds;
#else
  (void) seconds;
#endif
}
