/* roster-validation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster-common"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "roster-error.h"
#include "roster-validation.h"

static gboolean
fail (GError **error, RosterErrorCode code, const char *message)
{
  g_set_error_literal (error, ROSTER_ERROR, code, message);
  return FALSE;
}

/**
 * roster_validate_user_name:
 *
 * A username is 1 to 64 characters of valid UTF-8 with no spaces or control characters, so it
 * can be typed at a sign-in prompt and shown in a log line unambiguously.
 */
gboolean
roster_validate_user_name (const char *user_name, GError **error)
{
  if (user_name == NULL || *user_name == '\0')
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("A username is required"));
  if (!g_utf8_validate (user_name, -1, NULL))
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("The username is not valid text"));
  if (g_utf8_strlen (user_name, -1) > ROSTER_USER_NAME_MAX_LENGTH)
    return fail (error, ROSTER_ERROR_INVALID_VALUE,
                 _("The username must be at most 64 characters long"));
  for (const char *p = user_name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || !g_unichar_isdefined (c))
        return fail (error, ROSTER_ERROR_INVALID_VALUE,
                     _("The username cannot contain spaces or control characters"));
    }
  return TRUE;
}

/**
 * roster_validate_email:
 *
 * Checks the shape local@domain.tld (RFC 5322's dot-atom, loosely): one "@", a non-empty local
 * part, a domain with a dot that neither starts nor ends the domain, and no spaces.
 */
gboolean
roster_validate_email (const char *email, GError **error)
{
  const char *at, *dot;

  if (email == NULL || *email == '\0')
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("An e-mail address is required"));
  if (!g_utf8_validate (email, -1, NULL) || strlen (email) > 254)
    goto bad;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    goto bad;
  dot = strrchr (at + 1, '.');
  if (dot == NULL || dot == at + 1 || dot[1] == '\0' || at[1] == '.')
    goto bad;
  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == '<' || c == '>' || c == ',')
        goto bad;
    }
  return TRUE;

bad:
  return fail (error, ROSTER_ERROR_INVALID_VALUE,
               _("Enter an e-mail address such as name@example.com"));
}

/**
 * roster_validate_password:
 *
 * The length rule every password must meet; rosterd may add stronger checks of its own.
 */
gboolean
roster_validate_password (const char *password, GError **error)
{
  glong length;

  if (password == NULL || *password == '\0')
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("A password is required"));
  if (!g_utf8_validate (password, -1, NULL))
    return fail (error, ROSTER_ERROR_INVALID_VALUE, _("The password is not valid text"));
  length = g_utf8_strlen (password, -1);
  if (length < ROSTER_PASSWORD_MIN_LENGTH)
    return fail (error, ROSTER_ERROR_INVALID_VALUE,
                 _("The password must be at least 8 characters long"));
  if (length > ROSTER_PASSWORD_MAX_LENGTH)
    return fail (error, ROSTER_ERROR_INVALID_VALUE,
                 _("The password must be at most 256 characters long"));
  return TRUE;
}

/**
 * roster_validate_phone:
 *
 * Checks the shape of a phone number as people write it (E.123, loosely): an optional
 * leading "+", then digits with spaces, dots, hyphens, slashes or parentheses between them;
 * 3 to 15 digits in all (E.164's limit).
 */
gboolean
roster_validate_phone (const char *phone, GError **error)
{
  guint digits = 0;

  if (phone == NULL || *phone == '\0')
    return fail (error, ROSTER_ERROR_MISSING_ATTRIBUTE, _("A phone number is required"));
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p == phone)
        continue;
      else if (strchr (" .-/()", *p) == NULL)
        goto bad;
    }
  if (digits >= 3 && digits <= 15)
    return TRUE;

bad:
  return fail (error, ROSTER_ERROR_INVALID_VALUE,
               _("Enter a phone number such as +49 30 1234567"));
}

/**
 * roster_user_name_fold:
 *
 * Returns: the key that makes usernames unique regardless of case ("Ana" and "ana" clash);
 *   sign-in still compares the username exactly
 */
char *
roster_user_name_fold (const char *user_name)
{
  g_autofree char *normalized = g_utf8_normalize (user_name, -1, G_NORMALIZE_NFKC);

  return g_utf8_casefold (normalized != NULL ? normalized : user_name, -1);
}
