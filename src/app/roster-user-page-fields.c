/* roster-user-page-fields.c: the user page's fields: shown from, read into and checked on
 * the edited user, and the server lists and names they offer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-error.h"
#include "roster-user-form.h"
#include "roster-user-page-private.h"
#include "roster-validation.h"

/* The entry rows, the RosterUser property each edits, and whether spaces around the text
 * are dropped (not from a username: a space there is an error to see, not to hide). */
static const struct
{
  gsize offset;
  const char *property;
  gboolean strip;
} text_fields[] = {
  { G_STRUCT_OFFSET (RosterUserPage, given_name_row), "given-name", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, family_name_row), "family-name", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, display_name_row), "display-name", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, user_name_row), "user-name", FALSE },
  { G_STRUCT_OFFSET (RosterUserPage, email_row), "email", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, employee_number_row), "employee-number", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, department_row), "department", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, mobile_row), "mobile", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, skype_row), "skype", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, street_row), "street-address", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, locality_row), "locality", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, postal_code_row), "postal-code", TRUE },
  { G_STRUCT_OFFSET (RosterUserPage, region_row), "region", TRUE },
};

/* The combo rows of codes from iso-codes. */
static const struct
{
  gsize offset;
  const char *property;
  RosterIsoKind kind;
} code_fields[] = {
  { G_STRUCT_OFFSET (RosterUserPage, language_row), "preferred-language", ROSTER_ISO_LANGUAGES },
  { G_STRUCT_OFFSET (RosterUserPage, country_row), "country", ROSTER_ISO_COUNTRIES },
  { G_STRUCT_OFFSET (RosterUserPage, address_country_row), "address-country",
    ROSTER_ISO_COUNTRIES },
};

#define FIELD_WIDGET(self, offset) (*(GtkWidget **) G_STRUCT_MEMBER_P (self, offset))

static void
set_text (gpointer row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* Shows self->edited in the rows, without counting it as an edit. */
void
roster_user_page_populate (RosterUserPage *self)
{
  self->populating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      g_autofree char *value = NULL;

      g_object_get (self->edited, text_fields[i].property, &value, NULL);
      set_text (FIELD_WIDGET (self, text_fields[i].offset), value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (code_fields); i++)
    roster_user_form_fill_combo (self->iso_codes, ADW_COMBO_ROW (FIELD_WIDGET (self, code_fields[i].offset)),
                code_fields[i].kind, roster_user_get_string (self->edited, code_fields[i].property));
  roster_roles_row_set_selected (self->roles_row, roster_user_get_roles (self->edited),
                                 roster_user_get_role_names (self->edited));
  roster_manager_row_set_manager (self->manager_row,
                                  roster_user_get_string (self->edited, "manager-id"),
                                  roster_user_get_string (self->edited, "manager-name"));
  roster_manager_row_set_manager (self->secondary_manager_row,
                                  roster_user_get_string (self->edited, "secondary-manager-id"),
                                  roster_user_get_string (self->edited, "secondary-manager-name"));
  roster_user_access_group_show_user (self->access_group, self->edited);
  roster_user_security_group_show_user (self->security_group, self->creating ? NULL : self->user);
  /* Filling the fields again (a reload, a list of choices arriving) must not forget that a
   * typed username is being checked: check it again, or stop if it is the user's own. */
  {
    const char *typed = roster_user_get_user_name (self->edited);
    g_autofree char *mine = typed != NULL ? roster_user_name_fold (typed) : NULL;
    g_autofree char *base = self->user != NULL && roster_user_get_user_name (self->user) != NULL
                              ? roster_user_name_fold (roster_user_get_user_name (self->user))
                              : NULL;

    if (typed != NULL && roster_validate_user_name (typed, NULL) && g_strcmp0 (mine, base) != 0)
      roster_user_name_check_check (self->name_check, typed,
                                    self->user != NULL ? roster_user_get_id (self->user) : NULL);
    else
      roster_user_name_check_reset (self->name_check);
  }
  gtk_switch_set_active (self->active_switch, roster_user_get_active (self->edited));
  gtk_switch_set_active (self->administrator_switch,
                         roster_user_get_administrator (self->edited));
  self->populating = FALSE;
}

void
roster_user_page_show_error (RosterUserPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Validates the edits, showing each error beside its field; returns whether they can be
 * saved. */
gboolean
roster_user_page_validate (RosterUserPage *self)
{
  g_autoptr(GError) user_name_error = NULL;
  g_autoptr(GError) email_error = NULL;
  g_autoptr(GError) password_error = NULL;
  g_autoptr(GError) mobile_error = NULL;
  const char *email = roster_user_get_email (self->edited);
  const char *mobile = roster_user_get_string (self->edited, "mobile");
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *user_name = roster_user_get_user_name (self->edited);
  /* A new user's empty username is not an error yet, only not ready. */
  gboolean quiet = self->creating && (user_name == NULL || *user_name == '\0');
  const char *first = NULL;

  if (roster_validate_user_name (user_name, &user_name_error)
      && roster_user_name_check_get_taken (self->name_check))
    g_set_error_literal (&user_name_error, ROSTER_ERROR, ROSTER_ERROR_USER_NAME_TAKEN,
                         _("Someone else has this username"));
  if (email != NULL && *email != '\0')
    roster_validate_email (email, &email_error);
  if (self->creating && *password != '\0')
    roster_validate_password (password, &password_error);
  if (mobile != NULL)
    roster_validate_phone (mobile, &mobile_error);

  roster_user_form_set_error (GTK_WIDGET (self->user_name_row),
                   user_name_error != NULL && !quiet ? user_name_error->message : NULL);
  roster_user_form_set_error (GTK_WIDGET (self->email_row), email_error ? email_error->message : NULL);
  roster_user_form_set_error (GTK_WIDGET (self->password_row),
                   password_error ? password_error->message : NULL);
  roster_user_form_set_error (GTK_WIDGET (self->mobile_row), mobile_error ? mobile_error->message : NULL);
  first = user_name_error != NULL && !quiet ? user_name_error->message
          : email_error != NULL             ? email_error->message
          : password_error != NULL          ? password_error->message
          : mobile_error != NULL            ? mobile_error->message
                                            : NULL;
  roster_user_page_show_error (self, first);
  return user_name_error == NULL && email_error == NULL && password_error == NULL
         && mobile_error == NULL;
}

void
roster_user_page_read_fields (RosterUserPage *self)
{
  g_auto(GStrv) roles = NULL;
  g_auto(GStrv) role_names = NULL;
  g_auto(GStrv) entitlements = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      g_autofree char *text
        = g_strdup (gtk_editable_get_text (GTK_EDITABLE (FIELD_WIDGET (self, text_fields[i].offset))));

      g_object_set (self->edited, text_fields[i].property,
                    text_fields[i].strip ? g_strstrip (text) : text, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (code_fields); i++)
    roster_user_set_string (self->edited, code_fields[i].property,
                            roster_user_form_combo_code (ADW_COMBO_ROW (FIELD_WIDGET (self, code_fields[i].offset))));
  roles = roster_roles_row_dup_selected (self->roles_row, &role_names);
  roster_user_set_roles (self->edited, (const char *const *) roles,
                         (const char *const *) role_names);
  roster_user_set_string (self->edited, "manager-id",
                          roster_manager_row_get_user_id (self->manager_row));
  roster_user_set_string (self->edited, "manager-name",
                          roster_manager_row_get_user_name (self->manager_row));
  roster_user_set_string (self->edited, "secondary-manager-id",
                          roster_manager_row_get_user_id (self->secondary_manager_row));
  roster_user_set_string (self->edited, "secondary-manager-name",
                          roster_manager_row_get_user_name (self->secondary_manager_row));
  entitlements = roster_user_access_group_dup_entitlements (self->access_group);
  roster_user_set_entitlements (self->edited, (const char *const *) entitlements);
  roster_user_set_active (self->edited, gtk_switch_get_active (self->active_switch));
  roster_user_set_administrator (self->edited, gtk_switch_get_active (self->administrator_switch));
}

static void
iso_codes_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RosterUserPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RosterIsoCodes) codes = roster_iso_codes_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (codes == NULL)
    {
      /* Without iso-codes the codes themselves are shown. */
      g_debug ("no language and country names: %s", error->message);
      return;
    }
  g_set_object (&self->iso_codes, codes);
  if (self->edited != NULL)
    roster_user_page_populate (self);
}

/* The server's roles, permissions and groups: what the About and Access sections offer. */
void
roster_user_page_load_lists (RosterUserPage *self)
{
  g_cancellable_cancel (self->lists_cancellable);
  g_clear_object (&self->lists_cancellable);
  self->lists_cancellable = g_cancellable_new ();
  if (self->iso_codes == NULL)
    roster_iso_codes_load_async (NULL, self->lists_cancellable, iso_codes_cb, self);
  roster_roles_row_set_client (self->roles_row, self->client);
  roster_user_access_group_set_client (self->access_group, self->client);
}

