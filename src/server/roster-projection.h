/* roster-projection.h: which attributes a response carries (RFC 7644 §3.4.2.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "roster-schema.h"

G_BEGIN_DECLS

typedef struct _RosterProjection RosterProjection;

RosterProjection *roster_projection_new_for      (const RosterSchema *const *schemas,
                                                  const char *const *attributes,
                                                  const char *const *excluded_attributes);
RosterProjection *roster_projection_new          (const char *const *attributes,
                                                  const char *const *excluded_attributes);
RosterProjection *roster_projection_new_from_query (const char       *attributes,
                                                    const char       *excluded_attributes);
void              roster_projection_free         (RosterProjection  *self);
JsonObject       *roster_projection_apply        (RosterProjection  *self,
                                                  JsonObject        *resource);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RosterProjection, roster_projection_free)

G_END_DECLS
