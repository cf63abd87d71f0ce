/* bench-user-list.c: the user list against a rosterd with 100,000 users
 *
 * Runs the app's real RosterUserListPage (its template, RosterUserPager and rows) in a
 * window under Xvfb against a real rosterd seeded over HTTP, and prints:
 *   - first rows: from handing the page its pager to the first frame that shows real users;
 *   - the window's start: its longest iteration in the second after the first rows, which
 *     the scroll waits for (see settle());
 *   - main-loop work per iteration while scrolling from the top to the bottom (p50, p99,
 *     max): the time between two polls of the main context, i.e. what blocks input;
 *   - of that, the main thread's own CPU time per iteration (p99, max), and for every
 *     iteration over 16 ms how much of it was off the CPU and how often the thread gave the
 *     CPU up (voluntary context switches: waits, such as an X server round trip) or had it
 *     taken (involuntary: preempted by another process);
 *   - RSS after the scroll, and the pages the pager still holds.
 * It is a benchmark, not a test: run it with tests/bench/run-user-list.sh. Arguments:
 *   bench-user-list [N_USERS] [SCREENS_PER_FRAME]
 * BENCH_VERBOSE=1 names every iteration over 12 ms on stderr, with its CPU time, its
 * frame-clock phases and its CLOCK_MONOTONIC interval (for `perf record -k mono`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-user-list"
#define _GNU_SOURCE /* RUSAGE_THREAD */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sys/resource.h>
#include <time.h>

#include "roster-test-server.h"
#include "roster-user-list-page.h"
#include "roster-user-row.h"

/* ----------------------------------------------------------------- seeding */

typedef struct
{
  SoupSession *session;
  char *url;
  char *auth;
  guint next;
  guint total;
  guint done;
  guint failed;
} Seeder;

static void seed_one (Seeder *seeder);

static void
seed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Seeder *seeder = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               NULL);

  if (bytes == NULL || soup_message_get_status (msg) != 201)
    seeder->failed++;
  seeder->done++;
  seed_one (seeder);
}

static const char *const given_names[] = { "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald",
                                           "Frances", "Ken", "Margaret", "Dennis", "Radia",
                                           "Linus", "Karen", "Niklaus", "Hedy", "John" };
static const char *const family_names[] = { "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov",
                                            "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie",
                                            "Perlman", "Torvalds", "Jones", "Wirth", "Lamarr",
                                            "Backus" };

static void
seed_one (Seeder *seeder)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  char *json;
  guint i;

  if (seeder->next >= seeder->total)
    return;
  i = seeder->next++;
  msg = soup_message_new ("POST", seeder->url);
  /* libsoup opens a new connection for every non-idempotent request; seeding 100,000 users
   * that way costs a connection each. These creates are safe to send on a reused one. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                seeder->auth);
  json = g_strdup_printf ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                          "\"userName\":\"user%06u\",\"name\":{\"givenName\":\"%s\","
                          "\"familyName\":\"%s %u\"},"
                          "\"emails\":[{\"value\":\"user%06u@example.com\",\"primary\":true}]}",
                          i, given_names[i % G_N_ELEMENTS (given_names)],
                          family_names[(i / 16) % G_N_ELEMENTS (family_names)], i, i);
  body = g_bytes_new_take (json, strlen (json));
  soup_message_set_request_body_from_bytes (msg, "application/scim+json", body);
  soup_session_send_and_read_async (seeder->session, msg, G_PRIORITY_DEFAULT, NULL, seed_cb,
                                    seeder);
}

static void
seed (RosterTestServer *server, const char *token, guint n_users)
{
  Seeder seeder = { 0 };
  gint64 start = g_get_monotonic_time ();

  seeder.session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  seeder.url = g_strconcat (server->base_url, "/scim/v2/Users", NULL);
  seeder.auth = g_strconcat ("Bearer ", token, NULL);
  seeder.total = n_users;
  for (guint i = 0; i < 8; i++)
    seed_one (&seeder);
  while (seeder.done < seeder.total)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (seeder.failed, ==, 0);
  g_print ("seeded %u users in %.1f s\n", n_users,
           (g_get_monotonic_time () - start) / 1e6);
  g_object_unref (seeder.session);
  g_free (seeder.url);
  g_free (seeder.auth);
}

/* The copy of a seeded data dir: the database and what rosterd wrote beside it. */
static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_remove (file);
    }
  g_rmdir (path);
}

/* ------------------------------------------------------- main-loop busy time */

static gint64 last_poll_end;
static gboolean recording;
static GArray *busy; /* gint64 µs between polls */

/* The same iterations in the main thread's own CPU time, and the slow ones in detail. */
typedef struct
{
  gint64 wall;      /* µs between the two polls */
  gint64 cpu;       /* µs of them on the CPU */
  long voluntary;   /* context switches the thread asked for (it waited) */
  long involuntary; /* the scheduler took the CPU away */
} Iteration;

#define SLOW_USEC 16000

static GArray *cpu_busy; /* gint64 µs of CPU per iteration */
static GArray *slow;     /* Iteration, those over SLOW_USEC */
static gint64 last_poll_end_cpu;
static struct rusage last_poll_end_usage;

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* BENCH_VERBOSE: where a slow iteration's time went, by frame-clock phase (each handler runs
 * after GTK's own for that phase, so it stamps the phase's end). */
enum { PHASE_UPDATE, PHASE_LAYOUT, PHASE_PAINT, PHASE_AFTER_PAINT, N_PHASES };
static const char *const phase_names[N_PHASES] = { "update", "layout", "paint", "after-paint" };
static gint64 phase_end[N_PHASES];
static gint64 frame_start;

static void
phase_cb (GdkFrameClock *clock, gpointer phase)
{
  phase_end[GPOINTER_TO_INT (phase)] = g_get_monotonic_time ();
}

static void
before_paint_cb (GdkFrameClock *clock, gpointer unused)
{
  frame_start = g_get_monotonic_time ();
  memset (phase_end, 0, sizeof phase_end);
}

static void
watch_phases (GdkFrameClock *clock)
{
  static const char *const signals[N_PHASES] = { "update", "layout", "paint", "after-paint" };

  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  for (int i = 0; i < N_PHASES; i++)
    g_signal_connect_after (clock, signals[i], G_CALLBACK (phase_cb), GINT_TO_POINTER (i));
}

static void
print_phases (gint64 iteration_start, gint64 iteration_end)
{
  gint64 previous = frame_start;
  GString *line = g_string_new (NULL);

  if (frame_start < iteration_start)
    {
      g_printerr ("  no frame in this iteration\n");
      g_string_free (line, TRUE);
      return;
    }
  g_string_append_printf (line, "  before the frame %.1f ms", (frame_start - iteration_start) / 1000.0);
  for (int i = 0; i < N_PHASES; i++)
    if (phase_end[i] >= previous)
      {
        g_string_append_printf (line, ", %s %.1f ms", phase_names[i],
                                (phase_end[i] - previous) / 1000.0);
        previous = phase_end[i];
      }
  g_string_append_printf (line, ", after %.1f ms", (iteration_end - previous) / 1000.0);
  g_printerr ("%s\n", line->str);
  g_string_free (line, TRUE);
}

/* The main context's poll, timed: the gap from one poll's return to the next poll's call is
 * the work one iteration did, which is how long input waited. */
static int
timed_poll (GPollFD *fds, guint nfds, int timeout)
{
  gint64 now = g_get_monotonic_time ();
  int ret;

  if (recording && last_poll_end != 0)
    {
      gint64 work = now - last_poll_end;
      Iteration it = { work, thread_cpu_usec () - last_poll_end_cpu, 0, 0 };
      struct rusage usage;

      getrusage (RUSAGE_THREAD, &usage);
      it.voluntary = usage.ru_nvcsw - last_poll_end_usage.ru_nvcsw;
      it.involuntary = usage.ru_nivcsw - last_poll_end_usage.ru_nivcsw;
      g_array_append_val (busy, work);
      g_array_append_val (cpu_busy, it.cpu);
      if (work > SLOW_USEC)
        g_array_append_val (slow, it);
      if (work > 12000 && g_getenv ("BENCH_VERBOSE"))
        {
          /* CLOCK_MONOTONIC µs, to find the iteration in `perf record -k mono` samples. */
          g_printerr ("iteration %u took %.1f ms, %.1f ms on the CPU, %ld voluntary and %ld "
                      "involuntary context switches, monotonic %" G_GINT64_FORMAT "–%"
                      G_GINT64_FORMAT " µs\n",
                      busy->len, work / 1000.0, it.cpu / 1000.0, it.voluntary, it.involuntary,
                      last_poll_end, now);
          print_phases (last_poll_end, now);
        }
    }
  ret = g_poll (fds, nfds, timeout);
  last_poll_end = g_get_monotonic_time ();
  last_poll_end_cpu = thread_cpu_usec ();
  getrusage (RUSAGE_THREAD, &last_poll_end_usage);
  return ret;
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *values, double p)
{
  guint index;

  if (values->len == 0)
    return 0;
  index = MIN (values->len - 1, (guint) (p * values->len));
  return g_array_index (values, gint64, index) / 1000.0;
}

/* How long the window is left alone between its first rows and the scroll. */
#define SETTLE_USEC (1 * G_USEC_PER_SEC)

/* Runs the main loop for @usec with the iterations timed, and returns the longest. A new
 * window's start is not scrolling: a few dozen iterations after its first rows, GDK handles
 * the X server's configure of the new window (it asks the X server for its geometry and
 * GTK measures the whole widget tree again), then the first full paint follows, whatever
 * the list does. Before the scroll was timed only after this, those iterations (15-35 ms)
 * were counted as the scroll's worst. */
static gint64
settle (gint64 usec)
{
  gint64 end = g_get_monotonic_time () + usec;
  gint64 longest = 0;

  last_poll_end = 0;
  recording = TRUE;
  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  recording = FALSE;
  for (guint i = 0; i < busy->len; i++)
    longest = MAX (longest, g_array_index (busy, gint64, i));
  g_array_set_size (busy, 0);
  g_array_set_size (cpu_busy, 0);
  g_array_set_size (slow, 0);
  return longest;
}

/* The iterations over 16 ms: how much of each was the main thread's own work, and why it
 * was off the CPU for the rest. */
static void
print_slow (void)
{
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (gint64));
  long voluntary = 0, involuntary = 0;
  guint cpu_over = 0;

  for (guint i = 0; i < slow->len; i++)
    {
      const Iteration *it = &g_array_index (slow, Iteration, i);
      gint64 off_cpu = MAX (0, it->wall - it->cpu);

      g_array_append_val (cpu, it->cpu);
      g_array_append_val (off, off_cpu);
      voluntary += it->voluntary;
      involuntary += it->involuntary;
      cpu_over += it->cpu > SLOW_USEC;
    }
  g_array_sort (cpu, compare_gint64);
  g_array_sort (off, compare_gint64);
  g_print ("iterations over 16 ms: %u", slow->len);
  if (slow->len > 0)
    g_print ("; on the CPU in them p50 %.2f ms, max %.2f ms (%u over 16 ms); off it p50 "
             "%.2f ms, max %.2f ms; %ld voluntary and %ld involuntary context switches",
             percentile_ms (cpu, 0.5), percentile_ms (cpu, 1.0), cpu_over,
             percentile_ms (off, 0.5), percentile_ms (off, 1.0), voluntary, involuntary);
  g_print ("\n");
}

/* ------------------------------------------------------------------ probes */

static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        g_ptr_array_add (out, child);
      collect (child, type, out);
    }
}

static gboolean
real_row_mapped (GtkWidget *page)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (page, ROSTER_TYPE_USER_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      RosterUser *user = roster_user_row_get_user (g_ptr_array_index (rows, i));

      if (gtk_widget_get_mapped (g_ptr_array_index (rows, i)) && user != NULL
          && roster_user_get_id (user) != NULL)
        return TRUE;
    }
  return FALSE;
}

static long
rss_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? atol (line + strlen (field) + 1) : -1;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double step;
  gboolean done;
  guint frames;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Scroll *scroll = user_data;
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double end = gtk_adjustment_get_upper (scroll->adjustment)
               - gtk_adjustment_get_page_size (scroll->adjustment);

  scroll->frames++;
  if (value >= end)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (scroll->adjustment, MIN (end, value + scroll->step));
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  guint n_users = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  double screens_per_frame = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 4;
  RosterTestServer *server;
  g_autofree char *token = NULL;
  g_autoptr(RosterClient) client = NULL;
  g_autoptr(RosterUserPager) pager = NULL;
  GtkWidget *page;
  GtkWindow *window;
  g_autoptr(GPtrArray) scrolled = g_ptr_array_new ();
  Scroll scroll = { 0 };
  gint64 start, first_rows, scroll_cpu, settle_max;
  long rss_before;
  g_autofree char *copy_dir = NULL;

  gtk_init ();
  adw_init ();
  busy = g_array_new (FALSE, FALSE, sizeof (gint64));
  cpu_busy = g_array_new (FALSE, FALSE, sizeof (gint64));
  slow = g_array_new (FALSE, FALSE, sizeof (Iteration));

  /* BENCH_SEEDED=DIR: a copy of DIR/roster.db (a data dir run-rosterd.sh kept with KEEP=DIR,
   * administrator "admin") instead of seeding, which takes minutes at 100,000 users. */
  if (g_getenv ("BENCH_SEEDED") != NULL)
    {
      g_autofree char *from = g_build_filename (g_getenv ("BENCH_SEEDED"), "roster.db", NULL);
      g_autofree char *to = NULL;
      g_autoptr(GFile) source = g_file_new_for_path (from);
      g_autoptr(GFile) target = NULL;
      g_autoptr(GError) error = NULL;

      copy_dir = g_dir_make_tmp ("bench-user-list-XXXXXX", NULL);
      to = g_build_filename (copy_dir, "roster.db", NULL);
      target = g_file_new_for_path (to);
      if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
      server = roster_test_server_start_in (copy_dir, NULL);
      token = roster_test_server_sign_in (server, "admin", "correct horse battery");
    }
  else
    {
      server = roster_test_server_start (NULL);
      token = roster_test_server_setup_admin (server, "admin", "correct horse battery");
      seed (server, token, n_users - 1);
    }

  client = roster_client_new (server->base_url);
  roster_client_set_token (client, token);
  pager = roster_user_pager_new (client);

  page = g_object_new (ROSTER_TYPE_USER_LIST_PAGE, NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 420, 800);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  rss_before = rss_kib ("VmRSS:");

  if (g_getenv ("BENCH_VERBOSE"))
    watch_phases (gtk_widget_get_frame_clock (GTK_WIDGET (window)));
  g_main_context_set_poll_func (NULL, timed_poll);
  start = g_get_monotonic_time ();
  roster_user_list_page_set_pager (ROSTER_USER_LIST_PAGE (page), pager);
  while (!real_row_mapped (page))
    g_main_context_iteration (NULL, TRUE);
  first_rows = g_get_monotonic_time () - start;

  /* Scroll to the bottom a few screens per frame, recording every iteration's work. */
  /* The user list is the mapped list view: the filter popover's drop-downs hold others. */
  collect (page, GTK_TYPE_LIST_VIEW, scrolled);
  for (guint i = 0; i < scrolled->len && scroll.adjustment == NULL; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (scrolled, i)))
      scroll.adjustment = gtk_scrollable_get_vadjustment (g_ptr_array_index (scrolled, i));
  g_assert_nonnull (scroll.adjustment);
  /* The list knows its height once it has laid out the first rows. */
  while (gtk_adjustment_get_upper (scroll.adjustment)
         <= 2 * gtk_adjustment_get_page_size (scroll.adjustment))
    g_main_context_iteration (NULL, TRUE);
  scroll.step = gtk_adjustment_get_page_size (scroll.adjustment) * screens_per_frame;
  settle_max = settle (SETTLE_USEC);
  /* The iteration that built the first screenful belongs to "first rows", not to scrolling. */
  last_poll_end = 0;
  recording = TRUE;
  start = g_get_monotonic_time ();
  scroll_cpu = thread_cpu_usec ();
  gtk_widget_add_tick_callback (page, scroll_tick_cb, &scroll, NULL);
  while (!scroll.done)
    g_main_context_iteration (NULL, TRUE);
  /* Let the last pages land and be drawn. */
  while (roster_user_pager_get_loading (pager))
    g_main_context_iteration (NULL, TRUE);
  recording = FALSE;
  scroll_cpu = thread_cpu_usec () - scroll_cpu;

  g_array_sort (busy, compare_gint64);
  g_array_sort (cpu_busy, compare_gint64);
  g_print ("users: %u\n", g_list_model_get_n_items (G_LIST_MODEL (pager)));
  g_print ("first rows shown after: %.0f ms\n", first_rows / 1000.0);
  g_print ("the window's start, after the first rows and before the scroll (not counted "
           "below): longest iteration %.2f ms\n", settle_max / 1000.0);
  g_print ("scroll to the bottom: %.1f s, %u frames, %.1f screens per frame\n",
           (g_get_monotonic_time () - start) / 1e6, scroll.frames, screens_per_frame);
  g_print ("main-loop work per iteration while scrolling: p50 %.2f ms, p99 %.2f ms, "
           "max %.2f ms (%u iterations)\n",
           percentile_ms (busy, 0.50), percentile_ms (busy, 0.99), percentile_ms (busy, 1.0),
           busy->len);
  g_print ("of which the main thread on the CPU: p99 %.2f ms, max %.2f ms; %.1f s in all\n",
           percentile_ms (cpu_busy, 0.99), percentile_ms (cpu_busy, 1.0), scroll_cpu / 1e6);
  print_slow ();
  g_print ("RSS: %.0f MB before the list, %.0f MB after scrolling through it (peak %.0f MB)\n",
           rss_before / 1024.0, rss_kib ("VmRSS:") / 1024.0, rss_kib ("VmHWM:") / 1024.0);
  g_print ("pages held by the pager: %u of %u\n", roster_user_pager_get_n_loaded_pages (pager),
           (n_users + roster_user_pager_get_page_size (pager) - 1)
             / roster_user_pager_get_page_size (pager));

  gtk_window_destroy (window);
  roster_test_server_stop (server);
  if (copy_dir != NULL)
    remove_dir (copy_dir);
  g_array_unref (busy);
  g_array_unref (cpu_busy);
  g_array_unref (slow);
  return 0;
}
