/* roster-conflict-dialog.c
 *
 * Shown when a save comes back 412: the user was saved elsewhere since this page loaded it.
 * The dialog lists, field by field, what this page changed beside what is on the server now,
 * and offers to keep mine (my changes on top of theirs), take theirs (drop mine), or merge
 * (my changes only where they changed nothing). Fields both sides changed to different
 * values are marked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include <glib/gi18n.h>

#include "roster-accessibility.h"
#include "roster-conflict-dialog.h"

static GtkWidget *
cell (const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/**
 * roster_conflict_dialog_new:
 * @base: the user as this page loaded it
 * @mine: the user as this page edited it
 * @theirs: the user as the server has it now
 *
 * Returns: (transfer none): a modal AdwMessageDialog; its responses are "cancel", "mine",
 *   "theirs" and "merge" (see roster_conflict_choice_from_response())
 */
GtkWindow *
roster_conflict_dialog_new (GtkWindow *parent, RosterUser *base, RosterUser *mine,
                            RosterUser *theirs)
{
  RosterUserField mine_changed = roster_user_diff (base, mine);
  RosterUserField theirs_changed = roster_user_diff (base, theirs);
  RosterUserField conflicts = mine_changed & theirs_changed & roster_user_diff (mine, theirs);
  GtkWidget *dialog;
  GtkWidget *grid = gtk_grid_new ();
  int row = 1;

  dialog = adw_message_dialog_new (parent, _("Someone Else Changed This User"),
                                   _("While you were editing, these fields were saved "
                                     "elsewhere. Choose what to keep."));
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_attach (GTK_GRID (grid), cell (_("Field"), "heading"), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (_("Yours"), "heading"), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (_("Saved Elsewhere"), "heading"), 2, 0, 1, 1);

  for (guint i = 0; i < ROSTER_USER_N_FIELDS; i++)
    {
      RosterUserField field = 1 << i;
      g_autofree char *yours = NULL;
      g_autofree char *saved = NULL;
      g_autofree char *name = NULL;

      if (!((mine_changed | theirs_changed) & field))
        continue;
      yours = roster_user_field_dup_value (mine, field);
      saved = roster_user_field_dup_value (theirs, field);
      name = (conflicts & field)
               /* Translators: a field both people changed, e.g. "Last Name (both changed)" */
               ? g_strdup_printf (_("%s (both changed)"), roster_user_field_describe (field))
               : g_strdup (roster_user_field_describe (field));
      gtk_grid_attach (GTK_GRID (grid), cell (name, (conflicts & field) ? "error" : NULL), 0, row,
                       1, 1);
      gtk_grid_attach (GTK_GRID (grid), cell (*yours ? yours : _("(empty)"), NULL), 1, row, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), cell (*saved ? saved : _("(empty)"), NULL), 2, row, 1, 1);
      row++;
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "theirs", _("Take Theirs"),
                                    "merge", _("Merge"),
                                    "mine", _("Keep Mine"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "mine",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "merge");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  roster_accessibility_name_buttons (dialog);
  return GTK_WINDOW (dialog);
}

RosterConflictChoice
roster_conflict_choice_from_response (const char *response)
{
  if (g_strcmp0 (response, "mine") == 0)
    return ROSTER_CONFLICT_KEEP_MINE;
  if (g_strcmp0 (response, "theirs") == 0)
    return ROSTER_CONFLICT_TAKE_THEIRS;
  if (g_strcmp0 (response, "merge") == 0)
    return ROSTER_CONFLICT_MERGE;
  return ROSTER_CONFLICT_CANCEL;
}

/**
 * roster_conflict_resolve:
 *
 * Returns: (transfer full) (nullable): what the page should edit next, starting from
 *   @theirs (the server's version): with all of my changes (keep mine), none (take theirs),
 *   or mine where they changed nothing (merge); %NULL for cancel
 */
RosterUser *
roster_conflict_resolve (RosterConflictChoice choice, RosterUser *base, RosterUser *mine,
                         RosterUser *theirs)
{
  RosterUserField mine_changed = roster_user_diff (base, mine);
  RosterUserField theirs_changed = roster_user_diff (base, theirs);
  RosterUser *result;

  if (choice == ROSTER_CONFLICT_CANCEL)
    return NULL;
  result = roster_user_new ();
  roster_user_update_from (result, theirs);
  if (choice == ROSTER_CONFLICT_KEEP_MINE)
    roster_user_field_copy (result, mine, mine_changed);
  else if (choice == ROSTER_CONFLICT_MERGE)
    roster_user_field_copy (result, mine, mine_changed & ~theirs_changed);
  return result;
}
