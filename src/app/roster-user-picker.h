/* roster-user-picker.h: a small dialog to choose one user by searching for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "roster-client.h"

G_BEGIN_DECLS

#define ROSTER_TYPE_USER_PICKER (roster_user_picker_get_type ())
G_DECLARE_FINAL_TYPE (RosterUserPicker, roster_user_picker, ROSTER, USER_PICKER, AdwWindow)

RosterUserPicker *roster_user_picker_new        (GtkWindow        *parent,
                                                 RosterClient     *client,
                                                 const char       *title,
                                                 const char       *exclude_id);
void              roster_user_picker_set_search (RosterUserPicker *self,
                                                 const char       *text);
void              roster_user_picker_set_active_only (RosterUserPicker *self,
                                                      gboolean          active_only);
GListModel       *roster_user_picker_get_model  (RosterUserPicker *self);
void              roster_user_picker_choose     (RosterUserPicker *self,
                                                 guint             position);

G_END_DECLS
