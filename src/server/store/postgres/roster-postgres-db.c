/* roster-postgres-db.c: RosterDb on PostgreSQL, through libpq
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How SQLite's shape maps onto libpq:
 * - Parameters: `?N` and bare `?` (numbered from the left, as SQLite numbers them) become
 *   `$N`; string literals, quoted identifiers and comments are left alone. A number the
 *   statement skips (?1 and ?3 only) is declared text, or PostgreSQL refuses to prepare it.
 * - A persistent statement is prepared once on the server (PQprepare) and executed by
 *   name; the others go with their text (PQexecParams). A statement runs at its first
 *   step, and the steps after it walk the rows of its result.
 * - Everything is sent and received as text, except blobs, which are bound in binary and
 *   read back from bytea's hex text. A boolean column reads as 1 or 0 (PostgreSQL prints
 *   't' and 'f'), as SQLite's comparisons give them.
 * - A lost connection (the server restarted, the network dropped) is opened again by
 *   roster_db_reconnect(), which the store calls as it begins a transaction, never inside
 *   one. The server forgot the prepared statements: each is prepared again at its next
 *   step, as the connection's generation tells.
 * - Failures are classified by SQLSTATE. The message kept for the log is the primary one
 *   only: PostgreSQL's DETAIL holds row values (`Key (user_name)=(alice) already exists`),
 *   and no value may reach a log.
 */
#define G_LOG_DOMAIN "rosterd"

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "roster-db-private.h"
#include "roster-error.h"

#define TEXT_OID 25
#define BOOL_OID 16

/* The least time between two attempts to reconnect: a server that is down must not make
 * every request wait for a connection attempt. */
#define RECONNECT_INTERVAL_USEC G_USEC_PER_SEC

typedef struct
{
  RosterDb parent;
  PGconn *conn;
  guint generation;          /* counts reconnections */
  gint64 last_reconnect_try; /* monotonic time of the last failed attempt */
  guint next_name;
  gint64 changes;
  RosterDbFailure failure;
  char *message;
} RosterPostgresDb;

typedef struct
{
  RosterDbStmt parent;
  char *sql;     /* with $N */
  char *name;    /* the prepared statement's, or NULL */
  guint generation; /* the connection's when it was prepared */
  int n_params;  /* the highest number used */
  Oid *types;    /* TEXT_OID for the numbers not used, 0 (inferred) for the others */
  char **values; /* bound values, NULL for NULL */
  int *lengths;
  int *formats;  /* 1 for blobs */
  PGresult *result;
  int row;       /* the current row, -1 before the first */
  /* This row's column_blob()s, decoded: they live until the next step or reset. */
  GPtrArray *blobs;
} RosterPostgresDbStmt;

static const RosterDbVTable postgres_vtable;

static inline RosterPostgresDb *
db_of (RosterDbStmt *stmt)
{
  return (RosterPostgresDb *) stmt->db;
}

/* Rewrites @sql's parameters to $N; returns the highest number and marks those used. */
static char *
rewrite_parameters (const char *sql, int *n_params, GArray *used)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int counter = 0;
  const char *p = sql;

  *n_params = 0;
  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              g_string_append_c (out, *p);
              if (*p++ == quote)
                {
                  if (*p == quote) /* '' or "" inside */
                    g_string_append_c (out, *p++);
                  else
                    break;
                }
            }
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");
          gsize length = end != NULL ? (gsize) (end + 2 - p) : strlen (p);

          g_string_append_len (out, p, (gssize) length);
          p += length;
        }
      else if (p[0] == '$' && p[1] == '$')
        {
          /* A dollar-quoted body (the schema's functions): copied as it is. */
          const char *end = strstr (p + 2, "$$");
          gsize length = end != NULL ? (gsize) (end + 2 - p) : strlen (p);

          g_string_append_len (out, p, (gssize) length);
          p += length;
        }
      else if (*p == '?')
        {
          int number;

          p++;
          if (g_ascii_isdigit (*p))
            {
              number = 0;
              while (g_ascii_isdigit (*p) && number < 100000)
                number = number * 10 + (*p++ - '0');
              counter = MAX (counter, number);
            }
          else
            number = ++counter;
          *n_params = MAX (*n_params, number);
          if ((int) used->len < number + 1)
            g_array_set_size (used, (guint) number + 1);
          g_array_index (used, gboolean, number) = TRUE;
          g_string_append_printf (out, "$%d", number);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
set_failure (RosterPostgresDb *self, PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                                       : NULL;

  g_free (self->message);
  if (primary != NULL)
    self->message = g_strdup_printf ("%s (SQLSTATE %s)", primary, state != NULL ? state : "?");
  else
    {
      /* A connection error: libpq's message names the server, never a row's values. */
      self->message = g_strdup (PQerrorMessage (self->conn));
      g_strchomp (self->message);
    }
  if (PQstatus (self->conn) == CONNECTION_BAD)
    self->failure = ROSTER_DB_FAILURE_UNAVAILABLE;
  else if (g_strcmp0 (state, "23505") == 0)
    self->failure = ROSTER_DB_FAILURE_UNIQUE;
  else if (g_strcmp0 (state, "23503") == 0)
    self->failure = ROSTER_DB_FAILURE_FOREIGN;
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0
           || g_strcmp0 (state, "55P03") == 0)
    self->failure = ROSTER_DB_FAILURE_BUSY;
  else
    self->failure = ROSTER_DB_FAILURE_OTHER;
}

static void
set_success (RosterPostgresDb *self, PGresult *result)
{
  const char *command = PQcmdStatus (result);

  self->failure = ROSTER_DB_FAILURE_NONE;
  g_clear_pointer (&self->message, g_free);
  /* Only a write's count, as sqlite3_changes() has it: PQcmdTuples() also counts the rows
   * of a SELECT (and of FETCH, MOVE, COPY), which changed nothing. */
  if (g_str_has_prefix (command, "INSERT ") || g_str_has_prefix (command, "UPDATE ")
      || g_str_has_prefix (command, "DELETE "))
    self->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
}

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static void
drop_notice (void *arg, const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* UTF-8 text and UTC, whatever the server's defaults. */
static PGresult *
configure_session (RosterPostgresDb *self)
{
  return PQexec (self->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
}

/**
 * roster_postgres_db_open:
 * @conninfo: a libpq connection string
 *
 * Returns: (transfer full): the connection, or %NULL with @error set to a message for the
 * operator (naming the database, never the connection string, which may hold a password)
 */
RosterDb *
roster_postgres_db_open (const char *conninfo, GError **error)
{
  RosterPostgresDb *self;
  PQconninfoOption *options;
  char *parse_error = NULL;
  PGresult *result;

  /* libpq's message for a string it cannot parse quotes the string, password and all:
   * parse it first and say only that it is wrong. */
  options = PQconninfoParse (conninfo, &parse_error);
  if (options == NULL)
    {
      PQfreemem (parse_error);
      g_set_error_literal (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                           _("the PostgreSQL connection string is not valid (see “Connection "
                             "Strings” in PostgreSQL’s manual)"));
      return NULL;
    }
  PQconninfoFree (options);

  self = g_new0 (RosterPostgresDb, 1);
  self->parent.vtable = &postgres_vtable;
  self->parent.dialect = ROSTER_DB_DIALECT_POSTGRES;
  self->conn = PQconnectdb (conninfo);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (self->conn));

      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("cannot connect to the PostgreSQL database %s: %s"),
                   PQdb (self->conn) != NULL ? PQdb (self->conn) : "?", g_strchomp (message));
      PQfinish (self->conn);
      g_free (self);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, drop_notice, NULL);
  result = configure_session (self);
  if (!result_ok (result))
    {
      g_set_error (error, ROSTER_ERROR, ROSTER_ERROR_STORE,
                   _("cannot connect to the PostgreSQL database %s: %s"), PQdb (self->conn),
                   PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
      PQclear (result);
      PQfinish (self->conn);
      g_free (self);
      return NULL;
    }
  PQclear (result);
  return &self->parent;
}

static gboolean
postgres_reconnect (RosterDb *db)
{
  RosterPostgresDb *self = (RosterPostgresDb *) db;
  gint64 now = g_get_monotonic_time ();
  PGresult *result;
  gboolean ok;

  if (PQstatus (self->conn) == CONNECTION_OK
      || (self->last_reconnect_try != 0
          && now - self->last_reconnect_try < RECONNECT_INTERVAL_USEC))
    return FALSE;
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      self->last_reconnect_try = now;
      g_warning ("PostgreSQL: the connection to database %s was lost and cannot be opened "
                 "again yet: %s", PQdb (self->conn), g_strchomp (PQerrorMessage (self->conn)));
      return FALSE;
    }
  result = configure_session (self);
  ok = result_ok (result);
  PQclear (result);
  if (!ok)
    {
      self->last_reconnect_try = now;
      return FALSE;
    }
  self->last_reconnect_try = 0;
  self->generation++;
  g_message ("PostgreSQL: connected to database %s again", PQdb (self->conn));
  return TRUE;
}

static void
postgres_close (RosterDb *db)
{
  RosterPostgresDb *self = (RosterPostgresDb *) db;

  PQfinish (self->conn);
  g_free (self->message);
  g_free (self);
}

static void
clear_bindings (RosterPostgresDbStmt *stmt)
{
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

static void postgres_stmt_free (RosterDbStmt *base);

static RosterDbStmt *
postgres_prepare (RosterDb *db, const char *sql, gboolean persistent)
{
  RosterPostgresDb *self = (RosterPostgresDb *) db;
  g_autoptr(GArray) used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  RosterPostgresDbStmt *stmt = g_new0 (RosterPostgresDbStmt, 1);

  stmt->parent.db = db;
  stmt->row = -1;
  stmt->sql = rewrite_parameters (sql, &stmt->n_params, used);
  stmt->types = g_new0 (Oid, MAX (stmt->n_params, 1));
  stmt->values = g_new0 (char *, MAX (stmt->n_params, 1));
  stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
  for (int i = 1; i <= stmt->n_params; i++)
    stmt->types[i - 1] = g_array_index (used, gboolean, i) ? 0 : TEXT_OID;

  /* Every statement is prepared, so that a mistake shows at prepare time as in SQLite;
   * the unnamed one is replaced by the next. */
  {
    PGresult *result;

    if (persistent)
      stmt->name = g_strdup_printf ("roster_%u", self->next_name++);
    stmt->generation = self->generation;
    result = PQprepare (self->conn, stmt->name != NULL ? stmt->name : "", stmt->sql,
                        stmt->n_params, stmt->types);
    if (!result_ok (result))
      {
        set_failure (self, result);
        PQclear (result);
        g_clear_pointer (&stmt->name, g_free); /* nothing to deallocate */
        postgres_stmt_free (&stmt->parent);
        return NULL;
      }
    PQclear (result);
  }
  return &stmt->parent;
}

static void
postgres_stmt_reset (RosterDbStmt *base)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;

  g_clear_pointer (&stmt->result, PQclear);
  g_clear_pointer (&stmt->blobs, g_ptr_array_unref);
  stmt->row = -1;
  clear_bindings (stmt);
}

static void
postgres_stmt_free (RosterDbStmt *base)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;

  postgres_stmt_reset (base);
  /* Not one of a connection that was lost: the server forgot those, and DEALLOCATE of a
   * name it does not know would fail the transaction it ran in. */
  if (stmt->name != NULL && stmt->generation == db_of (base)->generation
      && PQstatus (db_of (base)->conn) == CONNECTION_OK)
    {
      g_autofree char *deallocate = g_strdup_printf ("DEALLOCATE %s", stmt->name);

      PQclear (PQexec (db_of (base)->conn, deallocate));
    }
  g_free (stmt->name);
  g_free (stmt->sql);
  g_free (stmt->types);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt);
}

static int
postgres_bind_parameter_count (RosterDbStmt *base)
{
  return ((RosterPostgresDbStmt *) base)->n_params;
}

/* The slot of parameter @index (from 1), emptied; NULL if the statement has no such one. */
static char **
slot (RosterDbStmt *base, int index)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;

  if (index < 1 || index > stmt->n_params)
    return NULL;
  g_clear_pointer (&stmt->values[index - 1], g_free);
  stmt->lengths[index - 1] = 0;
  stmt->formats[index - 1] = 0;
  return &stmt->values[index - 1];
}

static void
postgres_bind_null (RosterDbStmt *base, int index)
{
  slot (base, index);
}

static void
postgres_bind_int64 (RosterDbStmt *base, int index, gint64 value)
{
  char **value_slot = slot (base, index);

  if (value_slot != NULL)
    *value_slot = g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
postgres_bind_double (RosterDbStmt *base, int index, double value)
{
  char **value_slot = slot (base, index);

  if (value_slot != NULL)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      *value_slot = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
    }
}

static void
postgres_bind_text (RosterDbStmt *base, int index, const char *value)
{
  char **value_slot = slot (base, index);

  if (value_slot != NULL)
    *value_slot = g_strdup (value);
}

static void
postgres_bind_blob (RosterDbStmt *base, int index, gconstpointer data, gsize size)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;
  char **value_slot = slot (base, index);

  if (value_slot == NULL)
    return;
  /* A NULL value binds NULL: an empty blob keeps a byte of storage (its length is 0). */
  *value_slot = g_malloc (MAX (size, 1));
  if (size > 0)
    memcpy (*value_slot, data, size);
  stmt->lengths[index - 1] = (int) size;
  stmt->formats[index - 1] = 1;
}

static RosterDbStep
postgres_step (RosterDbStmt *base)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;
  RosterPostgresDb *self = db_of (base);

  g_clear_pointer (&stmt->blobs, g_ptr_array_unref);
  if (stmt->result == NULL)
    {
      const char *const *values = (const char *const *) stmt->values;

      if (stmt->name != NULL && stmt->generation != self->generation)
        {
          /* Prepared on a connection since lost: prepare it again on this one. */
          PGresult *prepared = PQprepare (self->conn, stmt->name, stmt->sql, stmt->n_params,
                                          stmt->types);

          if (!result_ok (prepared))
            {
              set_failure (self, prepared);
              PQclear (prepared);
              return ROSTER_DB_ERROR;
            }
          PQclear (prepared);
          stmt->generation = self->generation;
        }
      if (stmt->name != NULL)
        stmt->result = PQexecPrepared (self->conn, stmt->name, stmt->n_params, values,
                                       stmt->lengths, stmt->formats, 0);
      else
        stmt->result = PQexecParams (self->conn, stmt->sql, stmt->n_params, stmt->types, values,
                                     stmt->lengths, stmt->formats, 0);
      if (!result_ok (stmt->result))
        {
          set_failure (self, stmt->result);
          g_clear_pointer (&stmt->result, PQclear);
          return ROSTER_DB_ERROR;
        }
      set_success (self, stmt->result);
      stmt->row = -1;
    }
  if (stmt->row + 1 < PQntuples (stmt->result))
    {
      stmt->row++;
      return ROSTER_DB_ROW;
    }
  stmt->row = PQntuples (stmt->result);
  return ROSTER_DB_DONE;
}

static gboolean
has_value (RosterPostgresDbStmt *stmt, int column)
{
  return stmt->result != NULL && stmt->row >= 0 && stmt->row < PQntuples (stmt->result)
         && column >= 0 && column < PQnfields (stmt->result)
         && !PQgetisnull (stmt->result, stmt->row, column);
}

static gboolean
postgres_column_is_null (RosterDbStmt *base, int column)
{
  return !has_value ((RosterPostgresDbStmt *) base, column);
}

static const char *
postgres_column_text (RosterDbStmt *base, int column)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;
  const char *text;

  if (!has_value (stmt, column))
    return NULL;
  text = PQgetvalue (stmt->result, stmt->row, column);
  if (PQftype (stmt->result, column) == BOOL_OID)
    return text[0] == 't' ? "1" : "0";
  return text;
}

static gint64
postgres_column_int64 (RosterDbStmt *base, int column)
{
  const char *text = postgres_column_text (base, column);

  if (text == NULL)
    return 0;
  /* A numeric or double column reads as its integer part, as in SQLite. */
  if (strpbrk (text, ".eE") != NULL)
    return (gint64) g_ascii_strtod (text, NULL);
  return g_ascii_strtoll (text, NULL, 10);
}

static double
postgres_column_double (RosterDbStmt *base, int column)
{
  const char *text = postgres_column_text (base, column);

  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

static gconstpointer
postgres_column_blob (RosterDbStmt *base, int column, gsize *size)
{
  RosterPostgresDbStmt *stmt = (RosterPostgresDbStmt *) base;
  size_t length = 0;
  guchar *blob;

  *size = 0;
  if (!has_value (stmt, column))
    return NULL;
  /* Kept with the row's others: a caller may read several blobs before using any. */
  if (stmt->blobs == NULL)
    stmt->blobs = g_ptr_array_new_with_free_func (PQfreemem);
  blob = PQunescapeBytea ((const guchar *) PQgetvalue (stmt->result, stmt->row, column), &length);
  g_ptr_array_add (stmt->blobs, blob);
  *size = length;
  return blob;
}

static gboolean
postgres_exec (RosterDb *db, const char *sql)
{
  RosterPostgresDb *self = (RosterPostgresDb *) db;
  PGresult *result = PQexec (self->conn, sql);
  gboolean ok = result_ok (result);

  if (ok)
    set_success (self, result);
  else
    set_failure (self, result);
  PQclear (result);
  return ok;
}

static gint64
postgres_changes (RosterDb *db)
{
  return ((RosterPostgresDb *) db)->changes;
}

static gboolean
postgres_in_transaction (RosterDb *db)
{
  PGTransactionStatusType status = PQtransactionStatus (((RosterPostgresDb *) db)->conn);

  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static RosterDbFailure
postgres_get_failure (RosterDb *db)
{
  return ((RosterPostgresDb *) db)->failure;
}

static const char *
postgres_errmsg (RosterDb *db)
{
  RosterPostgresDb *self = (RosterPostgresDb *) db;

  return self->message != NULL ? self->message : "not an error";
}

static const RosterDbVTable postgres_vtable = {
  .close = postgres_close,
  .prepare = postgres_prepare,
  .stmt_free = postgres_stmt_free,
  .stmt_reset = postgres_stmt_reset,
  .bind_parameter_count = postgres_bind_parameter_count,
  .bind_null = postgres_bind_null,
  .bind_int64 = postgres_bind_int64,
  .bind_double = postgres_bind_double,
  .bind_text = postgres_bind_text,
  .bind_blob = postgres_bind_blob,
  .step = postgres_step,
  .column_is_null = postgres_column_is_null,
  .column_int64 = postgres_column_int64,
  .column_double = postgres_column_double,
  .column_text = postgres_column_text,
  .column_blob = postgres_column_blob,
  .exec = postgres_exec,
  .changes = postgres_changes,
  .in_transaction = postgres_in_transaction,
  .reconnect = postgres_reconnect,
  .get_failure = postgres_get_failure,
  .errmsg = postgres_errmsg,
};
