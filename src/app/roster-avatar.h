/* roster-avatar.h: a round avatar for list rows: a photo, or initials at a fixed font size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ROSTER_TYPE_AVATAR (roster_avatar_get_type ())
G_DECLARE_FINAL_TYPE (RosterAvatar, roster_avatar, ROSTER, AVATAR, GtkWidget)

GtkWidget *roster_avatar_new (int size);
int roster_avatar_get_size (RosterAvatar *self);
void roster_avatar_set_size (RosterAvatar *self, int size);
const char *roster_avatar_get_text (RosterAvatar *self);
void roster_avatar_set_text (RosterAvatar *self, const char *text);
const char *roster_avatar_get_initials (RosterAvatar *self);
GdkPaintable *roster_avatar_get_custom_image (RosterAvatar *self);
void roster_avatar_set_custom_image (RosterAvatar *self, GdkPaintable *image);

G_END_DECLS
