/* roster-user-pager.c
 *
 * The pager knows how many users the server has (totalResults) and holds only the pages a
 * view has asked for lately. Asking for an item of a page it does not hold returns a
 * placeholder at once and fetches that page; when the page arrives the placeholders are
 * filled in place, so bound rows update without items-changed. At most max-pages pages are
 * kept: the least recently used ones are dropped, so memory stays flat however far the view
 * scrolls. A failed page fetch is reported through ::load-failed and retried the next time
 * an item of that page is asked for after a refresh.
 *
 * A refresh with the query of the pages held (same filter, sort and page size) updates them
 * in place, so the rows the view has bound, and the focus in them, survive it:
 * - the first page is fetched again and applied position by position by the id rule: a held
 *   object whose id is the fetched user's is updated in place (notify only); a position whose
 *   id differs (someone was created or deleted before it) gets another object, and
 *   items-changed is emitted for each run of such positions. Inside a run the object of a
 *   user held elsewhere in the run moves with that user (the view then keeps its row
 *   widget); otherwise the position gets the fetched object. A held object never takes
 *   another user's data: the user page may hold it.
 * - the other pages are marked stale and fetched again, applied the same way, the next time
 *   an item of theirs is asked for; the EAGER_STALE_PAGES most recently used ones (what the
 *   view shows) and those still showing placeholders are fetched at once.
 * - a changed total adds or removes positions at the end, in one items-changed.
 * A changed filter, sort or page size replaces everything in one items-changed, and answers
 * of older generations never land.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-client"

#include "config.h"

#include "roster-user-pager.h"

#define DEFAULT_PAGE_SIZE 50
#define DEFAULT_MAX_PAGES 40
/* Stale pages fetched at once after an in-place refresh, most recently used first: the rows
 * on screen span one or two pages. */
#define EAGER_STALE_PAGES 2

typedef struct
{
  guint index;
  GPtrArray *items; /* RosterUser placeholders, filled in place */
  GList *lru_link;
  gboolean loaded;
  gboolean fetching; /* a fetch of the current generation is on its way */
  gboolean stale;    /* held from before the last refresh: fetch again when asked for */
  gboolean failed;
} Page;

struct _RosterUserPager
{
  GObject parent_instance;

  RosterClient *client;
  GCancellable *cancellable; /* page fetches of the current generation */
  GHashTable *pages;         /* index → Page */
  GQueue lru;                /* page indices, most recent first */
  guint generation;
  char *filter;  /* SCIM filter, or NULL for everyone */
  char *sort_by; /* SCIM attribute, or NULL for the server's order */
  gboolean sort_descending;
  /* What the pages of the current generation are fetched with: set at each refresh, so
   * changing the filter never mixes two searches in one model. */
  char *query_filter;
  char *query_sort_by;
  gboolean query_sort_descending;
  /* The pages held are not of the query the next refresh asks: it replaces everything. */
  gboolean replace_next;
  gboolean refreshing; /* the newest refresh has not landed yet */
  guint n_items;
  guint page_size;
  guint max_pages;
  guint n_fetching;
};

static void roster_user_pager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RosterUserPager, roster_user_pager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      roster_user_pager_list_model_init))

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_PAGE_SIZE,
  PROP_MAX_PAGES,
  PROP_FILTER,
  N_PROPS
};

enum
{
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  RosterUserPager *self;
  guint generation;
  guint index;
} FetchData;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static void
set_fetching (RosterUserPager *self, int delta)
{
  gboolean was_loading = self->n_fetching > 0;

  self->n_fetching += delta;
  if (was_loading != (self->n_fetching > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Cancels every page fetch in flight and starts a new generation: late answers are ignored. */
static void
new_generation (RosterUserPager *self)
{
  GHashTableIter iter;
  Page *page;

  /* A page whose fetch is cancelled is fetched again when next asked for. */
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    if (page->fetching)
      {
        page->fetching = FALSE;
        page->stale = TRUE;
      }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  set_fetching (self, -(int) self->n_fetching);
}

static void
drop_all_pages (RosterUserPager *self)
{
  new_generation (self);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static void
drop_page (RosterUserPager *self, Page *page)
{
  if (page->lru_link != NULL)
    {
      g_queue_delete_link (&self->lru, page->lru_link);
      page->lru_link = NULL;
    }
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

static void
touch (RosterUserPager *self, Page *page)
{
  if (page->lru_link != NULL)
    g_queue_unlink (&self->lru, page->lru_link);
  else
    page->lru_link = g_list_alloc ();
  page->lru_link->data = GUINT_TO_POINTER (page->index);
  g_queue_push_head_link (&self->lru, page->lru_link);
}

/* Drops the least recently used pages beyond max-pages. A page still loading may go too:
 * its fetch then finds no page and its results are discarded. */
static void
evict (RosterUserPager *self)
{
  while (self->lru.length > self->max_pages)
    {
      GList *link = g_queue_pop_tail_link (&self->lru);
      guint index = GPOINTER_TO_UINT (link->data);
      Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

      g_list_free_1 (link);
      if (page != NULL)
        {
          page->lru_link = NULL;
          g_hash_table_remove (self->pages, GUINT_TO_POINTER (index));
        }
    }
}

static guint
page_length (RosterUserPager *self, guint index)
{
  guint first = index * self->page_size;

  return first >= self->n_items ? 0 : MIN (self->page_size, self->n_items - first);
}

static Page *
page_new (RosterUserPager *self, guint index)
{
  Page *page = g_new0 (Page, 1);
  guint length = page_length (self, index);

  page->index = index;
  page->items = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    g_ptr_array_add (page->items, roster_user_new_placeholder ());
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  touch (self, page);
  return page;
}

/* Fills @page from a fetched array. Users past the page's length (the server grew since we
 * counted) are left for the next refresh. */
static void
fill_page (Page *page, GPtrArray *users)
{
  for (guint i = 0; i < page->items->len && i < users->len; i++)
    roster_user_update_from (g_ptr_array_index (page->items, i), g_ptr_array_index (users, i));
  page->loaded = TRUE;
}

/* Whether position @i of @page keeps its object: it is a placeholder never filled, or it
 * holds the fetched user. */
static gboolean
keeps_object (Page *page, GPtrArray *users, guint i)
{
  const char *held = roster_user_get_id (g_ptr_array_index (page->items, i));

  return held == NULL || g_strcmp0 (held, roster_user_get_id (g_ptr_array_index (users, i))) == 0;
}

/* Puts the users of positions [start, end) of @page in, then announces them. The objects
 * of users held in that run move with their user; the others are the fetched objects. */
static void
replace_run (RosterUserPager *self, Page *page, GPtrArray *users, guint start, guint end)
{
  g_autoptr(GHashTable) held = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      g_object_unref);

  for (guint i = start; i < end; i++)
    {
      RosterUser *user = g_ptr_array_index (page->items, i);

      g_hash_table_insert (held, (gpointer) roster_user_get_id (user), g_object_ref (user));
    }
  for (guint i = start; i < end; i++)
    {
      RosterUser *fetched = g_ptr_array_index (users, i);
      const char *id = roster_user_get_id (fetched);
      RosterUser *moved = id != NULL ? g_hash_table_lookup (held, id) : NULL;

      RosterUser *old = g_ptr_array_index (page->items, i);

      if (moved != NULL)
        roster_user_update_from (moved, fetched);
      /* @held keeps the old objects alive until the run is done. */
      g_ptr_array_index (page->items, i) = g_object_ref (moved != NULL ? moved : fetched);
      g_object_unref (old);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), page->index * self->page_size + start,
                              end - start, end - start);
}

/* Applies a fetched array to a held page by the id rule (see the top of this file). */
static void
apply_page (RosterUserPager *self, Page *page, GPtrArray *users)
{
  guint n = MIN (page->items->len, users->len);
  guint i = 0;

  page->loaded = TRUE;
  while (i < n)
    {
      guint end = i;

      if (keeps_object (page, users, i))
        {
          roster_user_update_from (g_ptr_array_index (page->items, i),
                                   g_ptr_array_index (users, i));
          i++;
          continue;
        }
      while (end < n && !keeps_object (page, users, end))
        end++;
      replace_run (self, page, users, i, end);
      i = end;
    }
}

static void
fetch_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FetchData *data = user_data;
  RosterUserPager *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint total = 0;
  Page *page;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, &total, &error);
  if (data->generation != self->generation)
    goto out; /* a refresh came in between */
  set_fetching (self, -1);

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (data->index));
  if (page != NULL)
    page->fetching = FALSE;
  if (users == NULL)
    {
      if (page != NULL)
        page->failed = TRUE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      goto out;
    }
  if (page != NULL)
    apply_page (self, page, users);

out:
  g_object_unref (self);
  g_free (data);
}

static void
fetch_page (RosterUserPager *self, Page *page)
{
  FetchData *data = g_new0 (FetchData, 1);

  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->index = page->index;
  page->failed = FALSE;
  page->stale = FALSE;
  page->fetching = TRUE;
  set_fetching (self, +1);
  roster_client_list_users_async (self->client, page->index * self->page_size + 1,
                                  self->page_size, self->query_filter, self->query_sort_by,
                                  self->query_sort_descending, self->cancellable, fetch_cb,
                                  data);
}

/* ------------------------------------------------------------------ GListModel */

static GType
roster_user_pager_get_item_type (GListModel *model)
{
  return ROSTER_TYPE_USER;
}

static guint
roster_user_pager_get_n_items (GListModel *model)
{
  return ROSTER_USER_PAGER (model)->n_items;
}

static gpointer
roster_user_pager_get_item (GListModel *model, guint position)
{
  RosterUserPager *self = ROSTER_USER_PAGER (model);
  guint index = position / self->page_size;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = page_new (self, index);
      fetch_page (self, page);
      evict (self);
    }
  else
    {
      touch (self, page);
      /* Until the newest refresh lands, a fetch would mix its query with the old pages. */
      if (page->stale && !self->refreshing)
        fetch_page (self, page);
    }

  if (position % self->page_size >= page->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (page->items, position % self->page_size));
}

static void
roster_user_pager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = roster_user_pager_get_item_type;
  iface->get_n_items = roster_user_pager_get_n_items;
  iface->get_item = roster_user_pager_get_item;
}

/* ------------------------------------------------------------------- GObject */

static void
roster_user_pager_dispose (GObject *object)
{
  RosterUserPager *self = (RosterUserPager *) object;

  g_cancellable_cancel (self->cancellable);
  g_queue_clear (&self->lru);
  if (self->pages != NULL)
    g_hash_table_remove_all (self->pages);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (roster_user_pager_parent_class)->dispose (object);
}

static void
roster_user_pager_finalize (GObject *object)
{
  RosterUserPager *self = (RosterUserPager *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_free (self->filter);
  g_free (self->sort_by);
  g_free (self->query_filter);
  g_free (self->query_sort_by);

  G_OBJECT_CLASS (roster_user_pager_parent_class)->finalize (object);
}

static void
roster_user_pager_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  RosterUserPager *self = ROSTER_USER_PAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->n_fetching > 0);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_MAX_PAGES:
      g_value_set_uint (value, self->max_pages);
      break;
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_pager_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  RosterUserPager *self = ROSTER_USER_PAGER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_PAGE_SIZE:
      roster_user_pager_set_page_size (self, g_value_get_uint (value));
      break;
    case PROP_MAX_PAGES:
      roster_user_pager_set_max_pages (self, g_value_get_uint (value));
      break;
    case PROP_FILTER:
      roster_user_pager_set_filter (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_user_pager_class_init (RosterUserPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = roster_user_pager_dispose;
  object_class->finalize = roster_user_pager_finalize;
  object_class->get_property = roster_user_pager_get_property;
  object_class->set_property = roster_user_pager_set_property;

  properties[PROP_CLIENT] = g_param_spec_object (
    "client", NULL, NULL, ROSTER_TYPE_CLIENT,
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_SIZE] = g_param_spec_uint (
    "page-size", NULL, NULL, 1, 1000, DEFAULT_PAGE_SIZE,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PAGES] = g_param_spec_uint (
    "max-pages", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_PAGES,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * RosterUserPager:filter:
   *
   * The SCIM filter the pages are fetched with; %NULL lists everyone. Takes effect at the
   * next roster_user_pager_refresh_async().
   */
  properties[PROP_FILTER] = g_param_spec_string (
    "filter", NULL, NULL, NULL,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RosterUserPager::load-failed:
   * @error: what went wrong, in %ROSTER_ERROR
   *
   * A page could not be fetched; its placeholders stay until the next refresh.
   */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR);
}

static void
roster_user_pager_init (RosterUserPager *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->cancellable = g_cancellable_new ();
  self->page_size = DEFAULT_PAGE_SIZE;
  self->max_pages = DEFAULT_MAX_PAGES;
  g_queue_init (&self->lru);
}

RosterUserPager *
roster_user_pager_new (RosterClient *client)
{
  g_return_val_if_fail (ROSTER_IS_CLIENT (client), NULL);
  return g_object_new (ROSTER_TYPE_USER_PAGER, "client", client, NULL);
}

RosterClient *
roster_user_pager_get_client (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), NULL);
  return self->client;
}

guint
roster_user_pager_get_page_size (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), 0);
  return self->page_size;
}

/**
 * roster_user_pager_set_page_size:
 *
 * Changing the page size drops every page; call roster_user_pager_refresh_async() next.
 */
void
roster_user_pager_set_page_size (RosterUserPager *self, guint page_size)
{
  g_return_if_fail (ROSTER_IS_USER_PAGER (self));
  g_return_if_fail (page_size > 0);

  if (self->page_size == page_size)
    return;
  drop_all_pages (self);
  self->replace_next = TRUE;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

guint
roster_user_pager_get_max_pages (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), 0);
  return self->max_pages;
}

void
roster_user_pager_set_max_pages (RosterUserPager *self, guint max_pages)
{
  g_return_if_fail (ROSTER_IS_USER_PAGER (self));
  g_return_if_fail (max_pages > 0);

  if (self->max_pages == max_pages)
    return;
  self->max_pages = max_pages;
  evict (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PAGES]);
}

/**
 * roster_user_pager_get_n_loaded_pages:
 *
 * Returns: how many pages the pager holds now, loaded or loading
 */
guint
roster_user_pager_get_n_loaded_pages (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), 0);
  return g_hash_table_size (self->pages);
}

gboolean
roster_user_pager_get_loading (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), FALSE);
  return self->n_fetching > 0;
}

/* ------------------------------------------------------------------- refresh */

typedef struct
{
  guint generation;
  gboolean in_place;
} RefreshData;

/* The total changed: positions past the end go or come, and the held pages with them. The
 * first page's new positions take @users, its fetched array. */
static void
resize (RosterUserPager *self, guint total, GPtrArray *users)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  guint old = self->n_items;
  GHashTableIter iter;
  Page *page;

  if (old == total)
    return;
  self->n_items = total;
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    {
      guint length = page_length (self, page->index);

      if (length == 0)
        g_ptr_array_add (gone, page);
      else if (page->items->len > length)
        g_ptr_array_set_size (page->items, length);
      while (page->items->len < length)
        {
          guint i = page->items->len;

          g_ptr_array_add (page->items, page->index == 0 && i < users->len
                                          ? g_object_ref (g_ptr_array_index (users, i))
                                          : roster_user_new_placeholder ());
        }
    }
  for (guint i = 0; i < gone->len; i++)
    drop_page (self, g_ptr_array_index (gone, i));
  g_list_model_items_changed (G_LIST_MODEL (self), MIN (old, total),
                              old > total ? old - total : 0, total > old ? total - old : 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Same query as the pages held: keep the objects of whoever is still where they were. */
static void
refresh_in_place (RosterUserPager *self, GPtrArray *users, guint total)
{
  Page *first = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (0));
  guint eager = 0;

  /* The first page, by the id rule, over the positions it had... */
  if (first != NULL)
    {
      touch (self, first);
      first->stale = FALSE;
      first->failed = FALSE;
      apply_page (self, first, users);
    }
  else if (total > 0)
    {
      first = page_new (self, 0);
      fill_page (first, users);
      evict (self);
    }
  /* ...then the end, where the first page takes the fetched users too... */
  resize (self, total, users);

  /* ...and the other pages are fetched again: placeholders on screen and the pages the view
   * showed last at once, the others when asked for. */
  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      Page *page = g_hash_table_lookup (self->pages, l->data);

      if (page->index == 0 || page->fetching)
        continue;
      if (!page->loaded || eager++ < EAGER_STALE_PAGES)
        fetch_page (self, page);
      else
        {
          page->stale = TRUE;
          page->failed = FALSE;
        }
    }
}

/* Another query: replace everything at once, and the view rebinds every row. */
static void
refresh_replace (RosterUserPager *self, GPtrArray *users, guint total)
{
  guint old = self->n_items;
  Page *first;

  drop_all_pages (self);
  self->n_items = total;
  if (total > 0)
    {
      first = page_new (self, 0);
      fill_page (first, users);
    }
  if (old != 0 || total != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, total);
  if (old != total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
refresh_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RosterUserPager *self = g_task_get_source_object (task);
  RefreshData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint total = 0;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, &total, &error);
  if (data->generation != self->generation)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "A newer refresh replaced this one");
      return;
    }
  set_fetching (self, -1);
  self->refreshing = FALSE;
  if (users == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->replace_next = FALSE;
  if (data->in_place)
    refresh_in_place (self, users, total);
  else
    refresh_replace (self, users, total);
  g_task_return_boolean (task, TRUE);
}

/**
 * roster_user_pager_refresh_async:
 *
 * Fetches the first page and the total again. With the filter and sort of the pages held,
 * they are updated in place and the others fetched again when asked for; otherwise
 * everything is replaced (see the top of roster-user-pager.c). Until it finishes, the model
 * keeps what it had; a refresh started later wins over this one.
 */
void
roster_user_pager_refresh_async (RosterUserPager *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RefreshData *data = g_new0 (RefreshData, 1);

  g_return_if_fail (ROSTER_IS_USER_PAGER (self));

  g_task_set_source_tag (task, roster_user_pager_refresh_async);
  /* Stale page fetches and older refreshes must not land after this one. */
  new_generation (self);
  set_fetching (self, +1);
  self->refreshing = TRUE;
  if (g_strcmp0 (self->query_filter, self->filter) != 0
      || g_strcmp0 (self->query_sort_by, self->sort_by) != 0
      || self->query_sort_descending != self->sort_descending)
    self->replace_next = TRUE; /* until a refresh of the new query lands */
  data->in_place = !self->replace_next;
  g_free (self->query_filter);
  self->query_filter = g_strdup (self->filter);
  g_free (self->query_sort_by);
  self->query_sort_by = g_strdup (self->sort_by);
  self->query_sort_descending = self->sort_descending;
  data->generation = self->generation;
  g_task_set_task_data (task, data, g_free);
  roster_client_list_users_async (self->client, 1, self->page_size, self->query_filter,
                                  self->query_sort_by, self->query_sort_descending, cancellable,
                                  refresh_cb, g_steal_pointer (&task));
}

gboolean
roster_user_pager_refresh_finish (RosterUserPager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
roster_user_pager_get_filter (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), NULL);
  return self->filter;
}

/**
 * roster_user_pager_set_filter:
 * @filter: (nullable): a SCIM filter, or %NULL for everyone
 *
 * Sets the filter of the next refresh. Until then the model keeps what it has, and the
 * pages it still fetches use the filter it was refreshed with: one model, one search.
 */
void
roster_user_pager_set_filter (RosterUserPager *self, const char *filter)
{
  g_return_if_fail (ROSTER_IS_USER_PAGER (self));

  if (filter != NULL && *filter == '\0')
    filter = NULL;
  if (g_strcmp0 (self->filter, filter) == 0)
    return;
  g_free (self->filter);
  self->filter = g_strdup (filter);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

const char *
roster_user_pager_get_sort_by (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), NULL);
  return self->sort_by;
}

gboolean
roster_user_pager_get_sort_descending (RosterUserPager *self)
{
  g_return_val_if_fail (ROSTER_IS_USER_PAGER (self), FALSE);
  return self->sort_descending;
}

/**
 * roster_user_pager_set_sort:
 * @sort_by: (nullable): a SCIM attribute such as "name.familyName", or %NULL
 *
 * Sets the order of the next refresh, like roster_user_pager_set_filter().
 */
void
roster_user_pager_set_sort (RosterUserPager *self, const char *sort_by, gboolean descending)
{
  g_return_if_fail (ROSTER_IS_USER_PAGER (self));

  g_free (self->sort_by);
  self->sort_by = g_strdup (sort_by);
  self->sort_descending = !!descending;
}
