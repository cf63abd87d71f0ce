/* roster-token.h: bearer and setup tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ROSTER_TOKEN_BYTES 32

gboolean  roster_random_bytes     (guint8     *buffer,
                                   gsize       length,
                                   GError    **error);
char     *roster_token_generate   (GError    **error);
char     *roster_token_hash       (const char *token);
gboolean  roster_token_hash_equal (const char *a,
                                   const char *b);

G_END_DECLS
