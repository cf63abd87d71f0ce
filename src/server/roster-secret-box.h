/* roster-secret-box.h: secrets the server must read back, sealed at rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a sealed value starts with: "rsb1:" and base64 of nonce, ciphertext and tag. */
#define ROSTER_SECRET_BOX_PREFIX "rsb1:"

typedef struct _RosterSecretBox RosterSecretBox;

RosterSecretBox *roster_secret_box_new_for_file (const char       *path,
                                                 GError          **error);
RosterSecretBox *roster_secret_box_ref          (RosterSecretBox  *self);
void             roster_secret_box_unref        (RosterSecretBox  *self);
char            *roster_secret_box_seal         (RosterSecretBox  *self,
                                                 const char       *plaintext,
                                                 const char       *context);
char            *roster_secret_box_open         (RosterSecretBox  *self,
                                                 const char       *sealed,
                                                 const char       *context,
                                                 GError          **error);
char            *roster_secret_box_mac          (RosterSecretBox  *self,
                                                 const char       *text,
                                                 const char       *purpose);
gboolean         roster_secret_box_is_sealed    (const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterSecretBox, roster_secret_box_unref)

G_END_DECLS
