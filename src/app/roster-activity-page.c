/* roster-activity-page.c: the audit log, newest first
 *
 * Every event is an expander row whose title says who did what to whom and whose rows are
 * the attributes that changed. The user, action and date filters become one SCIM filter
 * that rosterd runs; "Load More" fetches the next page with the same filter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "roster-activity-page.h"
#include "roster-error.h"
#include "roster-scim.h"

#define PAGE_SIZE 50

struct _RosterActivityPage
{
  GtkWidget parent_instance;

  RosterClient *client;
  GCancellable *load_cancellable;
  guint next_index;  /* 1-based startIndex of the next page */

  GtkSearchEntry *user_entry;
  GtkDropDown *action_dropdown;
  GtkDropDown *date_dropdown;
  GtkStack *stack;
  GtkListBox *events_list;
  GtkButton *load_more_button;
  AdwStatusPage *status_page;
};

G_DEFINE_FINAL_TYPE (RosterActivityPage, roster_activity_page, GTK_TYPE_WIDGET)

/* The action drop-down's entries, in its order; NULL is any action. */
static const struct
{
  const char *action;
  const char *label;
} actions[] = {
  { NULL, N_("Any action") },
  { "create", N_("Created") },
  { "update", N_("Changed") },
  { "delete", N_("Deleted") },
  { "lock", N_("Locked") },
  { "unlock", N_("Unlocked") },
  { "member-add", N_("Member added") },
  { "member-remove", N_("Member removed") },
  { "set-password", N_("Password set") },
  { "password-change", N_("Password changed") },
};

/* Days back the date drop-down's entries reach, in its order: 0 is any time, 1 today. */
static const guint date_days[] = { 0, 1, 7, 30 };

static char *
event_title (RosterAuditEvent *event)
{
  const char *actor = roster_audit_event_get_actor_display (event);
  const char *target = roster_audit_event_get_target_display (event);
  const char *action = roster_audit_event_get_action (event);

  if (actor == NULL)
    /* Translators: the actor of changes rosterd made on its own, e.g. an automatic lock */
    actor = _("Roster");
  if (target == NULL)
    target = roster_audit_event_get_target_type (event) != NULL
               ? roster_audit_event_get_target_type (event) : "";

  /* Translators: in all of these, the first %s is who did it, the second to whom or what */
  if (g_str_equal (action, "create"))
    return g_strdup_printf (_("%s created %s"), actor, target);
  if (g_str_equal (action, "update"))
    return g_strdup_printf (_("%s changed %s"), actor, target);
  if (g_str_equal (action, "delete"))
    return g_strdup_printf (_("%s deleted %s"), actor, target);
  if (g_str_equal (action, "lock"))
    return g_strdup_printf (_("%s locked %s"), actor, target);
  if (g_str_equal (action, "unlock"))
    return g_strdup_printf (_("%s unlocked %s"), actor, target);
  if (g_str_equal (action, "member-add"))
    return g_strdup_printf (_("%s added a member to %s"), actor, target);
  if (g_str_equal (action, "member-remove"))
    return g_strdup_printf (_("%s removed a member from %s"), actor, target);
  if (g_str_equal (action, "set-password"))
    return g_strdup_printf (_("%s set the password of %s"), actor, target);
  if (g_str_equal (action, "password-change"))
    return g_strdup_printf (_("%s changed their password"), actor);
  /* Translators: an action without its own sentence: "admin: logout-all bob" */
  return g_strdup_printf (_("%s: %s %s"), actor, action, target);
}

static GtkWidget *
event_row_new (RosterAuditEvent *event)
{
  GtkWidget *expander = adw_expander_row_new ();
  g_autofree char *title = event_title (event);
  g_autoptr(GDateTime) local = g_date_time_to_local (roster_audit_event_get_time (event));
  /* %c is the date and time in the user's locale. */
  g_autofree char *when = g_date_time_format (local, "%c");
  guint n = roster_audit_event_get_n_changes (event);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), when);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander), n > 0);
  g_object_set_data_full (G_OBJECT (expander), "action",
                          g_strdup (roster_audit_event_get_action (event)), g_free);

  for (guint i = 0; i < n; i++)
    {
      const RosterAuditChange *change = roster_audit_event_get_change (event, i);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: one changed attribute: "displayName: "Bob" → "Bob Builder"" */
      g_autofree char *text = g_strdup_printf (_("%s: %s → %s"), change->attribute,
                                               change->before, change->after);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }
  return expander;
}

/* A SCIM string literal, quoted and escaped: roster_scim_filter_eq_new escapes for us. */
static char *
filter_literal (const char *value)
{
  g_autofree char *eq = roster_scim_filter_eq_new ("x", value);

  return g_strdup (eq + strlen ("x eq "));
}

/**
 * roster_activity_page_get_filter:
 *
 * Returns: (transfer full) (nullable): the SCIM filter the page's controls make, or %NULL
 *   for every event
 */
char *
roster_activity_page_get_filter (RosterActivityPage *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_entry))));
  guint action = gtk_drop_down_get_selected (self->action_dropdown);
  guint date = gtk_drop_down_get_selected (self->date_dropdown);

  if (*user != '\0')
    {
      g_autofree char *literal = filter_literal (user);

      g_ptr_array_add (parts, g_strdup_printf ("(actor.display co %s or target.display co %s)",
                                               literal, literal));
    }
  if (action < G_N_ELEMENTS (actions) && actions[action].action != NULL)
    g_ptr_array_add (parts, roster_scim_filter_eq_new ("action", actions[action].action));
  if (date < G_N_ELEMENTS (date_days) && date_days[date] > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                              g_date_time_get_month (now),
                                                              g_date_time_get_day_of_month (now),
                                                              0, 0, 0);
      g_autoptr(GDateTime) since = g_date_time_add_days (midnight, 1 - (int) date_days[date]);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (since);
      g_autofree char *iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      g_ptr_array_add (parts, g_strdup_printf ("time ge \"%s\"", iso));
    }
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" and ", (char **) parts->pdata);
}

static void
show_status (RosterActivityPage *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
list_events_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterActivityPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint total = 0;

  events = roster_client_list_audit_events_finish (ROSTER_CLIENT (object), result, &total,
                                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (events == NULL)
    {
      if (g_error_matches (error, ROSTER_ERROR, ROSTER_ERROR_FORBIDDEN))
        show_status (self, _("No Access to the Activity Log"),
                     _("You need the audit.view permission"));
      else
        show_status (self, _("Could Not Load the Activity Log"), error->message);
      return;
    }

  if (self->next_index == 1)
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->events_list))) != NULL)
        gtk_list_box_remove (self->events_list, child);
    }
  for (guint i = 0; i < events->len; i++)
    gtk_list_box_append (self->events_list, event_row_new (g_ptr_array_index (events, i)));
  self->next_index += events->len;
  gtk_widget_set_visible (GTK_WIDGET (self->load_more_button),
                          events->len > 0 && self->next_index <= total);

  if (self->next_index == 1)
    show_status (self, _("No Activity"), _("Nothing matches these filters"));
  else
    gtk_stack_set_visible_child_name (self->stack, "events");
}

static void
load (RosterActivityPage *self)
{
  g_autofree char *filter = roster_activity_page_get_filter (self);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  roster_client_list_audit_events_async (self->client, self->next_index, PAGE_SIZE, filter,
                                         self->load_cancellable, list_events_cb, self);
}

/**
 * roster_activity_page_reload:
 *
 * Fetches the newest page again with the current filters; a newer reload replaces one in
 * flight.
 */
void
roster_activity_page_reload (RosterActivityPage *self)
{
  g_return_if_fail (ROSTER_IS_ACTIVITY_PAGE (self));

  if (self->client == NULL)
    return;
  self->next_index = 1;
  load (self);
}

static void
on_filter_changed_cb (RosterActivityPage *self)
{
  roster_activity_page_reload (self);
}

static void
on_load_more_clicked_cb (RosterActivityPage *self)
{
  if (self->client != NULL)
    load (self);
}

static void
reload_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  roster_activity_page_reload (ROSTER_ACTIVITY_PAGE (widget));
}

static void
roster_activity_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (roster_activity_page_parent_class)->map (widget);
  /* Shown again: what happened meanwhile belongs on it. */
  roster_activity_page_reload (ROSTER_ACTIVITY_PAGE (widget));
}

static void
roster_activity_page_dispose (GObject *object)
{
  RosterActivityPage *self = ROSTER_ACTIVITY_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ROSTER_TYPE_ACTIVITY_PAGE);
  /* GTK 4.8 only unparents bound template children: the unbound root box stays. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (roster_activity_page_parent_class)->dispose (object);
}

static void
roster_activity_page_class_init (RosterActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_activity_page_dispose;
  widget_class->map = roster_activity_page_map;

  gtk_widget_class_install_action (widget_class, "activity.reload", NULL, reload_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "activity.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "activity.reload", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/roster-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, user_entry);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, load_more_button);
  gtk_widget_class_bind_template_child (widget_class, RosterActivityPage, status_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_load_more_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
roster_activity_page_init (RosterActivityPage *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_string_list_append (labels, _(actions[i].label));
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->action_dropdown, G_LIST_MODEL (labels));
  self->next_index = 1;
}

void
roster_activity_page_set_client (RosterActivityPage *self, RosterClient *client)
{
  g_return_if_fail (ROSTER_IS_ACTIVITY_PAGE (self));

  if (!g_set_object (&self->client, client))
    return;
  roster_activity_page_reload (self);
}
