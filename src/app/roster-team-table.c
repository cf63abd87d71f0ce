/* roster-team-table.c: a table of new accounts to create at once
 *
 * One row per person: first name, last name, username, e-mail, role and team, then a
 * status cell and a Remove button. Rows validate as they are typed — the username and
 * e-mail by the rules rosterd applies (common/roster-validation), usernames unique within the
 * table and, after a pause in typing, on the server — and each problem is written in the
 * row's status cell and set on the cell's accessible state. Empty rows are ignored. After a
 * Bulk request, show_results() writes each row's outcome in its status cell and locks the
 * rows that were created, so a second attempt sends only the others.
 *
 * Every cell has an accessible name with its column and row ("Username, row 2"), and the
 * table is a plain grid: Tab moves cell by cell, row by row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "roster-accessibility.h"
#include "roster-scim.h"
#include "roster-team-table.h"
#include "roster-validation.h"

/* How long typing must pause before a username is checked on the server. */
#define CHECK_DELAY_MS 400

typedef enum
{
  COLUMN_GIVEN,
  COLUMN_FAMILY,
  COLUMN_USER_NAME,
  COLUMN_EMAIL,
  COLUMN_ROLE,
  COLUMN_TEAM,
  COLUMN_STATUS,
  COLUMN_REMOVE,
} Column;

static const char *const entry_columns[] = { "given", "family", "user-name", "email" };

typedef struct _Row Row;

struct _RosterTeamTable
{
  GtkWidget parent_instance;

  RosterClient *client;
  GCancellable *cancellable;
  GtkGrid *grid;
  GPtrArray *rows; /* of Row */
  GPtrArray *roles; /* of RosterRole */
  GPtrArray *teams; /* of RosterGroup */
  guint max_rows;
  gboolean valid;
};

struct _Row
{
  RosterTeamTable *table;
  GtkWidget *entries[G_N_ELEMENTS (entry_columns)];
  GtkWidget *role;
  GtkWidget *team;
  GtkWidget *status;
  GtkWidget *remove;
  guint check_id;
  GCancellable *check_cancellable;
  char *checked_name; /* the username the server was asked about */
  gboolean taken;     /* … and its answer */
  char *server_problem; /* why the server did not create it, until the row is edited */
  gboolean created;
};

G_DEFINE_FINAL_TYPE (RosterTeamTable, roster_team_table, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_VALID,
  PROP_N_ROWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
row_free (Row *row)
{
  g_clear_handle_id (&row->check_id, g_source_remove);
  g_cancellable_cancel (row->check_cancellable);
  g_clear_object (&row->check_cancellable);
  g_free (row->checked_name);
  g_free (row->server_problem);
  g_free (row);
}

static const char *
entry_text (Row *row, Column column)
{
  return gtk_editable_get_text (GTK_EDITABLE (row->entries[column]));
}

static char *
stripped (Row *row, Column column)
{
  return g_strstrip (g_strdup (entry_text (row, column)));
}

static gboolean
row_is_empty (Row *row)
{
  for (guint i = 0; i < G_N_ELEMENTS (entry_columns); i++)
    {
      g_autofree char *text = stripped (row, i);

      if (*text != '\0')
        return FALSE;
    }
  return TRUE;
}

static void
set_cell_invalid (GtkWidget *cell, gboolean invalid)
{
  if (invalid)
    gtk_widget_add_css_class (cell, "error");
  else
    gtk_widget_remove_css_class (cell, "error");
  roster_accessibility_set_invalid (cell, invalid);
}

static void
set_status (Row *row, const char *text, gboolean problem)
{
  gtk_label_set_text (GTK_LABEL (row->status), text != NULL ? text : "");
  if (problem)
    gtk_widget_add_css_class (row->status, "error");
  else
    gtk_widget_remove_css_class (row->status, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->status),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text != NULL ? text : "",
                                  -1);
}

/* Whether another filled row before @row has the same username. */
static gboolean
duplicate_in_table (RosterTeamTable *self, Row *row, const char *folded)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *other = g_ptr_array_index (self->rows, i);
      g_autofree char *name = NULL;
      g_autofree char *other_folded = NULL;

      if (other == row)
        return FALSE;
      name = stripped (other, COLUMN_USER_NAME);
      other_folded = roster_user_name_fold (name);
      if (*name != '\0' && g_strcmp0 (other_folded, folded) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Validates @row; returns whether it can be sent. */
static gboolean
validate_row (RosterTeamTable *self, Row *row)
{
  g_autofree char *user_name = stripped (row, COLUMN_USER_NAME);
  g_autofree char *email = stripped (row, COLUMN_EMAIL);
  g_autofree char *folded = roster_user_name_fold (user_name);
  g_autoptr(GError) error = NULL;
  const char *problem = NULL;
  gboolean name_bad = FALSE, email_bad = FALSE;

  if (row->created)
    return TRUE;
  if (row_is_empty (row))
    {
      set_cell_invalid (row->entries[COLUMN_USER_NAME], FALSE);
      set_cell_invalid (row->entries[COLUMN_EMAIL], FALSE);
      set_status (row, NULL, FALSE);
      return TRUE;
    }
  if (*user_name == '\0')
    {
      problem = _("A username is required");
      name_bad = TRUE;
    }
  else if (!roster_validate_user_name (user_name, &error))
    {
      problem = error->message;
      name_bad = TRUE;
    }
  else if (duplicate_in_table (self, row, folded))
    {
      problem = _("This username is already in the table");
      name_bad = TRUE;
    }
  else if (row->taken && g_strcmp0 (row->checked_name, folded) == 0)
    {
      problem = _("Someone already has this username");
      name_bad = TRUE;
    }
  else if (*email != '\0' && !roster_validate_email (email, &error))
    {
      problem = error->message;
      email_bad = TRUE;
    }
  set_cell_invalid (row->entries[COLUMN_USER_NAME], name_bad);
  set_cell_invalid (row->entries[COLUMN_EMAIL], email_bad);
  /* The server's reason stays until the row is edited; the row may be sent again as it is
   * (the failure may have been passing). */
  if (problem == NULL && row->server_problem != NULL)
    set_status (row, row->server_problem, TRUE);
  else
    set_status (row, problem, problem != NULL);
  return problem == NULL;
}

static void
revalidate (RosterTeamTable *self)
{
  gboolean valid = TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    valid &= validate_row (self, g_ptr_array_index (self->rows, i));
  valid &= roster_team_table_get_n_filled (self) > 0;
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

static void
user_name_checked_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Row *row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;

  users = roster_client_list_users_finish (ROSTER_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Unknown (offline, no permission): the server will say so when the rows are sent. */
  row->taken = users != NULL && users->len > 0;
  revalidate (row->table);
}

static gboolean
check_user_name_cb (gpointer user_data)
{
  Row *row = user_data;
  g_autofree char *user_name = stripped (row, COLUMN_USER_NAME);
  g_autofree char *filter = NULL;

  row->check_id = 0;
  if (row->table->client == NULL || *user_name == '\0'
      || !roster_validate_user_name (user_name, NULL))
    return G_SOURCE_REMOVE;
  g_free (row->checked_name);
  row->checked_name = roster_user_name_fold (user_name);
  row->taken = FALSE;
  g_cancellable_cancel (row->check_cancellable);
  g_clear_object (&row->check_cancellable);
  row->check_cancellable = g_cancellable_new ();
  filter = roster_scim_filter_eq_new ("userName", user_name);
  roster_client_list_users_async (row->table->client, 1, 1, filter, NULL, FALSE,
                                  row->check_cancellable, user_name_checked_cb, row);
  return G_SOURCE_REMOVE;
}

static void
on_entry_changed_cb (GtkEditable *editable, Row *row)
{
  g_clear_pointer (&row->server_problem, g_free);
  if (editable == GTK_EDITABLE (row->entries[COLUMN_USER_NAME]))
    {
      g_clear_handle_id (&row->check_id, g_source_remove);
      row->check_id = g_timeout_add (CHECK_DELAY_MS, check_user_name_cb, row);
    }
  revalidate (row->table);
}

static void
name_cell (GtkWidget *cell, const char *column, guint number)
{
  g_autofree char *label = g_strdup_printf (_("%s, row %u"), column, number);

  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static const char *
column_title (Column column)
{
  switch (column)
    {
    case COLUMN_GIVEN:
      return _("First Name");
    case COLUMN_FAMILY:
      return _("Last Name");
    case COLUMN_USER_NAME:
      return _("Username");
    case COLUMN_EMAIL:
      return _("E-mail");
    case COLUMN_ROLE:
      return _("Role");
    case COLUMN_TEAM:
      return _("Team");
    case COLUMN_STATUS:
      return _("Status");
    case COLUMN_REMOVE:
      return _("Remove");
    default:
      g_assert_not_reached ();
    }
}

/* Names every cell after its column and (1-based) row, after rows came or went. */
static void
renumber (RosterTeamTable *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      for (guint c = 0; c < G_N_ELEMENTS (entry_columns); c++)
        name_cell (row->entries[c], column_title (c), i + 1);
      name_cell (row->role, column_title (COLUMN_ROLE), i + 1);
      name_cell (row->team, column_title (COLUMN_TEAM), i + 1);
      name_cell (row->remove, _("Remove row"), i + 1);
      name_cell (row->status, column_title (COLUMN_STATUS), i + 1);
    }
}

static void
on_remove_clicked_cb (GtkButton *button, Row *row)
{
  RosterTeamTable *self = row->table;
  guint index;

  if (!g_ptr_array_find (self->rows, row, &index))
    return;
  gtk_grid_remove_row (self->grid, (int) index + 1);
  g_ptr_array_remove_index (self->rows, index);
  if (self->rows->len == 0)
    roster_team_table_add_row (self);
  renumber (self);
  revalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
}

static GtkStringList *
choices (GPtrArray *items, gboolean roles)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, roles ? _("No Role") : _("No Team"));
  for (guint i = 0; items != NULL && i < items->len; i++)
    gtk_string_list_append (list, roles ? roster_role_get_name (g_ptr_array_index (items, i))
                                        : roster_group_get_display_name (
                                          g_ptr_array_index (items, i)));
  return list;
}

static void
fill_choices (RosterTeamTable *self, Row *row)
{
  g_autoptr(GtkStringList) roles = choices (self->roles, TRUE);
  g_autoptr(GtkStringList) teams = choices (self->teams, FALSE);
  guint role = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->role));
  guint team = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->team));

  gtk_drop_down_set_model (GTK_DROP_DOWN (row->role), G_LIST_MODEL (roles));
  gtk_drop_down_set_model (GTK_DROP_DOWN (row->team), G_LIST_MODEL (teams));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row->role),
                              role != GTK_INVALID_LIST_POSITION ? role : 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (row->team),
                              team != GTK_INVALID_LIST_POSITION ? team : 0);
}

/**
 * roster_team_table_add_row:
 *
 * Returns: the new row's index, or G_MAXUINT when the table already has its maximum
 */
guint
roster_team_table_add_row (RosterTeamTable *self)
{
  Row *row;
  int y;

  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (self), G_MAXUINT);
  if (self->max_rows > 0 && self->rows->len >= self->max_rows)
    return G_MAXUINT;

  row = g_new0 (Row, 1);
  row->table = self;
  y = (int) self->rows->len + 1;
  for (guint c = 0; c < G_N_ELEMENTS (entry_columns); c++)
    {
      row->entries[c] = gtk_entry_new ();
      gtk_widget_set_name (row->entries[c], entry_columns[c]);
      gtk_editable_set_width_chars (GTK_EDITABLE (row->entries[c]), c == COLUMN_EMAIL ? 20 : 10);
      gtk_widget_set_hexpand (row->entries[c], TRUE);
      g_signal_connect (row->entries[c], "changed", G_CALLBACK (on_entry_changed_cb), row);
      gtk_grid_attach (self->grid, row->entries[c], (int) c, y, 1, 1);
    }
  gtk_entry_set_input_purpose (GTK_ENTRY (row->entries[COLUMN_EMAIL]),
                               GTK_INPUT_PURPOSE_EMAIL);
  gtk_entry_set_input_purpose (GTK_ENTRY (row->entries[COLUMN_GIVEN]), GTK_INPUT_PURPOSE_NAME);
  gtk_entry_set_input_purpose (GTK_ENTRY (row->entries[COLUMN_FAMILY]), GTK_INPUT_PURPOSE_NAME);
  row->role = gtk_drop_down_new (NULL, NULL);
  row->team = gtk_drop_down_new (NULL, NULL);
  fill_choices (self, row);
  gtk_grid_attach (self->grid, row->role, COLUMN_ROLE, y, 1, 1);
  gtk_grid_attach (self->grid, row->team, COLUMN_TEAM, y, 1, 1);
  row->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (row->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (row->status), 28);
  gtk_label_set_xalign (GTK_LABEL (row->status), 0);
  gtk_widget_add_css_class (row->status, "caption");
  gtk_grid_attach (self->grid, row->status, COLUMN_STATUS, y, 1, 1);
  row->remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (row->remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (row->remove, "flat");
  gtk_widget_set_tooltip_text (row->remove, _("Remove this row"));
  g_signal_connect (row->remove, "clicked", G_CALLBACK (on_remove_clicked_cb), row);
  gtk_grid_attach (self->grid, row->remove, COLUMN_REMOVE, y, 1, 1);

  g_ptr_array_add (self->rows, row);
  renumber (self);
  revalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ROWS]);
  return self->rows->len - 1;
}

guint
roster_team_table_get_n_rows (RosterTeamTable *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (self), 0);
  return self->rows->len;
}

/**
 * roster_team_table_set_cell:
 * @column: "given", "family", "user-name" or "email"
 *
 * Types @text into a cell (for the wizard's resume and for tests).
 */
void
roster_team_table_set_cell (RosterTeamTable *self, guint row_index, const char *column,
                            const char *text)
{
  Row *row;

  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  g_return_if_fail (row_index < self->rows->len);
  row = g_ptr_array_index (self->rows, row_index);
  for (guint c = 0; c < G_N_ELEMENTS (entry_columns); c++)
    if (g_str_equal (column, entry_columns[c]))
      gtk_editable_set_text (GTK_EDITABLE (row->entries[c]), text);
}

gboolean
roster_team_table_get_valid (RosterTeamTable *self)
{
  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (self), FALSE);
  return self->valid;
}

/* Rows with something typed in them that were not created yet. */
guint
roster_team_table_get_n_filled (RosterTeamTable *self)
{
  guint n = 0;

  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (self), 0);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      n += !row->created && !row_is_empty (row);
    }
  return n;
}

/* A first password from the kernel's CSPRNG: 4 groups of 5 letters and digits (about 115
 * bits), without look-alikes, so it can be read out or typed from a printout. */
static char *
generate_password (void)
{
  static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  guint8 random[20];
  GString *out = g_string_new (NULL);
  gsize filled = 0;

  while (filled < sizeof random)
    {
      ssize_t n = getrandom (random + filled, sizeof random - filled, 0);

      if (n > 0)
        filled += (gsize) n;
      else if (errno != EINTR)
        g_error ("getrandom failed: %s", g_strerror (errno));
    }
  for (guint i = 0; i < sizeof random; i++)
    {
      if (i > 0 && i % 5 == 0)
        g_string_append_c (out, '-');
      /* 57 symbols; the modulo bias of 256 % 57 is below 2 %, far from mattering here. */
      g_string_append_c (out, alphabet[random[i] % (sizeof alphabet - 1)]);
    }
  explicit_bzero (random, sizeof random);
  return g_string_free (out, FALSE);
}

/**
 * roster_team_table_build_rows:
 * @with_passwords: give each account a generated first password it must change at its
 *   first sign-in (when no invitation e-mail will let them choose one)
 * @row_numbers: (out) (optional): for each built row, its index in the table
 *
 * Returns: (transfer full) (element-type RosterBulkRow): the filled rows not created yet
 */
GPtrArray *
roster_team_table_build_rows (RosterTeamTable *self, gboolean with_passwords,
                              GArray **row_numbers)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) roster_bulk_row_free);
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (ROSTER_IS_TEAM_TABLE (self), NULL);
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      g_autoptr(RosterUser) user = NULL;
      g_autofree char *given = stripped (row, COLUMN_GIVEN);
      g_autofree char *family = stripped (row, COLUMN_FAMILY);
      g_autofree char *user_name = stripped (row, COLUMN_USER_NAME);
      g_autofree char *email = stripped (row, COLUMN_EMAIL);
      g_autofree char *display = NULL;
      g_autofree char *password = NULL;
      guint role = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->role));
      guint team = gtk_drop_down_get_selected (GTK_DROP_DOWN (row->team));
      RosterBulkRow *bulk_row;

      if (row->created || row_is_empty (row))
        continue;
      user = roster_user_new ();
      roster_user_set_user_name (user, user_name);
      roster_user_set_given_name (user, *given != '\0' ? given : NULL);
      roster_user_set_family_name (user, *family != '\0' ? family : NULL);
      display = g_strstrip (g_strjoin (" ", given, family, NULL));
      roster_user_set_display_name (user, *display != '\0' ? display : NULL);
      roster_user_set_email (user, *email != '\0' ? email : NULL);
      if (with_passwords)
        password = generate_password ();
      bulk_row = roster_bulk_row_new (
        user, password,
        role > 0 && role <= self->roles->len
          ? roster_role_get_id (g_ptr_array_index (self->roles, role - 1))
          : NULL,
        team > 0 && team <= self->teams->len
          ? roster_group_get_id (g_ptr_array_index (self->teams, team - 1))
          : NULL);
      bulk_row->must_change_password = password != NULL;
      bulk_row->send_invitation = !with_passwords;
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      g_ptr_array_add (rows, bulk_row);
      g_array_append_val (numbers, i);
    }
  if (row_numbers != NULL)
    *row_numbers = numbers;
  else
    g_array_unref (numbers);
  return rows;
}

/**
 * roster_team_table_show_results:
 * @rows: (element-type RosterBulkRow): what roster_team_table_build_rows() built, sent
 * @row_numbers: its row numbers
 *
 * Writes each row's outcome into its status cell; created rows are locked.
 */
void
roster_team_table_show_results (RosterTeamTable *self, GPtrArray *rows, GArray *row_numbers)
{
  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  g_return_if_fail (rows->len == row_numbers->len);

  for (guint i = 0; i < rows->len; i++)
    {
      RosterBulkRow *result = g_ptr_array_index (rows, i);
      guint index = g_array_index (row_numbers, guint, i);
      Row *row;

      if (index >= self->rows->len)
        continue;
      row = g_ptr_array_index (self->rows, index);
      if (result->error != NULL || result->status == 0)
        {
          g_free (row->server_problem);
          row->server_problem = g_strdup (result->error != NULL ? result->error->message
                                                                 : _("Not sent"));
        }
      else
        {
          g_autofree char *text = NULL;

          row->created = TRUE;
          if (result->team_error != NULL)
            text = g_strdup_printf (_("Created, but not added to the team: %s"),
                                    result->team_error->message);
          set_status (row, text != NULL ? text : _("Created"), result->team_error != NULL);
          for (guint c = 0; c < G_N_ELEMENTS (entry_columns); c++)
            gtk_editable_set_editable (GTK_EDITABLE (row->entries[c]), FALSE);
          gtk_widget_set_sensitive (row->role, FALSE);
          gtk_widget_set_sensitive (row->team, FALSE);
          gtk_widget_set_sensitive (row->remove, FALSE);
        }
    }
  revalidate (self);
}

const char *
roster_team_table_get_role_name (RosterTeamTable *self, const char *role_id)
{
  for (guint i = 0; role_id != NULL && self->roles != NULL && i < self->roles->len; i++)
    if (g_strcmp0 (roster_role_get_id (g_ptr_array_index (self->roles, i)), role_id) == 0)
      return roster_role_get_name (g_ptr_array_index (self->roles, i));
  return NULL;
}

const char *
roster_team_table_get_team_name (RosterTeamTable *self, const char *team_id)
{
  for (guint i = 0; team_id != NULL && self->teams != NULL && i < self->teams->len; i++)
    if (g_strcmp0 (roster_group_get_id (g_ptr_array_index (self->teams, i)), team_id) == 0)
      return roster_group_get_display_name (g_ptr_array_index (self->teams, i));
  return NULL;
}

/* Starts over with one empty row (the wizard run again for another server). */
void
roster_team_table_clear (RosterTeamTable *self)
{
  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  while (self->rows->len > 0)
    {
      gtk_grid_remove_row (self->grid, (int) self->rows->len);
      g_ptr_array_remove_index (self->rows, self->rows->len - 1);
    }
  roster_team_table_add_row (self);
}

/* While a request is out, nothing may change under it. */
void
roster_team_table_set_sensitive_rows (RosterTeamTable *self, gboolean sensitive)
{
  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->grid), sensitive);
}

static void
refill_choices (RosterTeamTable *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    fill_choices (self, g_ptr_array_index (self->rows, i));
}

static void
roles_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterTeamTable *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) roles = roster_client_list_roles_finish (ROSTER_CLIENT (object), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (roles == NULL)
    {
      g_debug ("roles not loaded: %s", error->message);
      return;
    }
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  self->roles = g_steal_pointer (&roles);
  refill_choices (self);
}

static void
teams_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterTeamTable *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = roster_client_list_groups_finish (ROSTER_CLIENT (object),
                                                                 result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (groups == NULL)
    {
      g_debug ("teams not loaded: %s", error->message);
      return;
    }
  g_ptr_array_set_size (self->teams, 0);
  for (guint i = 0; i < groups->len; i++)
    if (roster_group_get_is_team (g_ptr_array_index (groups, i)))
      g_ptr_array_add (self->teams, g_object_ref (g_ptr_array_index (groups, i)));
  refill_choices (self);
}

void
roster_team_table_set_client (RosterTeamTable *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  if (!g_set_object (&self->client, client))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (client == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  roster_client_list_roles_async (client, self->cancellable, roles_loaded_cb, self);
  roster_client_list_groups_async (client, self->cancellable, teams_loaded_cb, self);
}

/* The server's Bulk limit, or the wizard's: 0 is no limit. */
void
roster_team_table_set_max_rows (RosterTeamTable *self, guint max_rows)
{
  g_return_if_fail (ROSTER_IS_TEAM_TABLE (self));
  self->max_rows = max_rows;
}

static void
roster_team_table_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  RosterTeamTable *self = ROSTER_TEAM_TABLE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_N_ROWS:
      g_value_set_uint (value, self->rows->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_team_table_dispose (GObject *object)
{
  RosterTeamTable *self = ROSTER_TEAM_TABLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->grid != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->grid));
  self->grid = NULL;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_pointer (&self->roles, g_ptr_array_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  G_OBJECT_CLASS (roster_team_table_parent_class)->dispose (object);
}

static void
roster_team_table_class_init (RosterTeamTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = roster_team_table_get_property;
  object_class->dispose = roster_team_table_dispose;

  properties[PROP_VALID] = g_param_spec_boolean (
    "valid", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ROWS] = g_param_spec_uint ("n-rows", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS
                                                 | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
roster_team_table_init (RosterTeamTable *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->roles = g_ptr_array_new_with_free_func (g_object_unref);
  self->teams = g_ptr_array_new_with_free_func (g_object_unref);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 6);
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_widget_set_parent (GTK_WIDGET (self->grid), GTK_WIDGET (self));
  for (guint c = COLUMN_GIVEN; c <= COLUMN_STATUS; c++)
    {
      GtkWidget *header = gtk_label_new (column_title (c));

      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_add_css_class (header, "heading");
      gtk_grid_attach (self->grid, header, (int) c, 0, 1, 1);
    }
  roster_team_table_add_row (self);
}

GtkWidget *
roster_team_table_new (void)
{
  return g_object_new (ROSTER_TYPE_TEAM_TABLE, NULL);
}
