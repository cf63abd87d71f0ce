/* roster-avatar.c
 *
 * AdwAvatar (libadwaita 1.2) fits its initials to the circle every time its text changes:
 * it lays the label out at the default size, measures it, sets a new font size and lays it
 * out again, and restyles its colour class even when the class stays. A list row sets a new
 * text on every rebind, so while scrolling that was an eighth of the main thread's time
 * (docs/performance.md, issue 5). This avatar looks the same in the places it is used —
 * libadwaita's own `avatar` node with its `colorN`, `contrasted` and `image` classes, the
 * colour picked from the text as AdwAvatar picks it — but its initials' font size is fixed
 * for an avatar size (one for a single letter, one for two, worked out with the size), so a
 * new text costs one label layout; the same text again costs nothing, and the colour class
 * is touched only when the colour changes.
 *
 * It is presentational: the row it sits in carries the accessible name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "roster"

#include "config.h"

#include "roster-avatar.h"

/* libadwaita 1.2's stylesheet has avatar.color1 … avatar.color14. */
#define N_COLORS 14
/* Without a text AdwAvatar picks a random colour; a placeholder row that flashed a new
 * colour at every rebind would draw the eye, so ours is the neutral grey. */
#define NO_TEXT_COLOR 14

static const char *const color_classes[N_COLORS + 1] = {
  NULL,     "color1", "color2",  "color3",  "color4",  "color5",  "color6",  "color7",
  "color8", "color9", "color10", "color11", "color12", "color13", "color14",
};

struct _RosterAvatar
{
  GtkWidget parent_instance;

  GtkWidget *label;
  GtkWidget *icon;
  GtkWidget *picture;
  GdkPaintable *image;
  char *text;
  char *initials;
  int size;
  guint color;          /* index into color_classes, 0 before the first text */
  double font_sizes[2]; /* for one letter and for two, set with the size */
  guint styled_letters; /* the letter count the label's font size is for, 0 for none */
};

G_DEFINE_FINAL_TYPE (RosterAvatar, roster_avatar, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SIZE,
  PROP_TEXT,
  PROP_CUSTOM_IMAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The first letter of the text and the first of its last word, upper case: what AdwAvatar
 * shows, so the two avatars agree on a user. */
static char *
initials_of (const char *text)
{
  g_autofree char *upper = NULL;
  g_autofree char *normalized = NULL;
  const char *last_space;
  GString *initials;

  if (text == NULL)
    return NULL;
  upper = g_utf8_strup (text, -1);
  normalized = g_utf8_normalize (g_strstrip (upper), -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (normalized == NULL || *normalized == '\0')
    return NULL;

  initials = g_string_new (NULL);
  g_string_append_unichar (initials, g_utf8_get_char (normalized));
  last_space = strrchr (normalized, ' ');
  if (last_space != NULL && last_space[1] != '\0')
    g_string_append_unichar (initials, g_utf8_get_char (last_space + 1));
  return g_string_free (initials, FALSE);
}

static void
update_visibility (RosterAvatar *self)
{
  gboolean has_image = self->image != NULL;
  gboolean has_initials = self->initials != NULL;

  gtk_widget_set_visible (self->picture, has_image);
  gtk_widget_set_visible (self->label, !has_image && has_initials);
  gtk_widget_set_visible (self->icon, !has_image && !has_initials);
}

static void
set_color (RosterAvatar *self, guint color)
{
  if (self->color == color)
    return;
  if (self->color != 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self), color_classes[self->color]);
  self->color = color;
  gtk_widget_add_css_class (GTK_WIDGET (self), color_classes[color]);
}

/* One font size for one letter and one for two: swapping them is a relayout only when a
 * single initial follows a pair or the other way round. */
static void
style_letters (RosterAvatar *self)
{
  g_autoptr(PangoAttrList) attributes = NULL;
  guint letters = self->initials != NULL ? MIN (g_utf8_strlen (self->initials, -1), 2) : 0;

  if (letters == 0 || letters == self->styled_letters)
    return;
  self->styled_letters = letters;
  attributes = pango_attr_list_new ();
  pango_attr_list_insert (
      attributes, pango_attr_size_new_absolute (self->font_sizes[letters - 1] * PANGO_SCALE));
  gtk_label_set_attributes (GTK_LABEL (self->label), attributes);
}

static void
roster_avatar_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *minimum_baseline, int *natural_baseline)
{
  RosterAvatar *self = ROSTER_AVATAR (widget);

  /* Always the circle's size, whatever the photo's or the label's: a 72 px texture in a
   * 36 px avatar must not make the row taller. */
  *minimum = *natural = self->size;
}

static void
roster_avatar_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      gtk_widget_allocate (child, width, height, -1, NULL);
}

static void
roster_avatar_dispose (GObject *object)
{
  RosterAvatar *self = ROSTER_AVATAR (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->picture, gtk_widget_unparent);
  g_clear_object (&self->image);

  G_OBJECT_CLASS (roster_avatar_parent_class)->dispose (object);
}

static void
roster_avatar_finalize (GObject *object)
{
  RosterAvatar *self = ROSTER_AVATAR (object);

  g_free (self->text);
  g_free (self->initials);

  G_OBJECT_CLASS (roster_avatar_parent_class)->finalize (object);
}

static void
roster_avatar_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RosterAvatar *self = ROSTER_AVATAR (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_CUSTOM_IMAGE:
      g_value_set_object (value, self->image);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_avatar_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RosterAvatar *self = ROSTER_AVATAR (object);

  switch (prop_id)
    {
    case PROP_SIZE:
      roster_avatar_set_size (self, g_value_get_int (value));
      break;
    case PROP_TEXT:
      roster_avatar_set_text (self, g_value_get_string (value));
      break;
    case PROP_CUSTOM_IMAGE:
      roster_avatar_set_custom_image (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
roster_avatar_class_init (RosterAvatarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = roster_avatar_dispose;
  object_class->finalize = roster_avatar_finalize;
  object_class->get_property = roster_avatar_get_property;
  object_class->set_property = roster_avatar_set_property;
  widget_class->measure = roster_avatar_measure;
  widget_class->size_allocate = roster_avatar_size_allocate;

  properties[PROP_SIZE] = g_param_spec_int ("size", NULL, NULL, 1, G_MAXINT, 32,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT
                                                | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT]
      = g_param_spec_string ("text", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOM_IMAGE]
      = g_param_spec_object ("custom-image", NULL, NULL, GDK_TYPE_PAINTABLE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "avatar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
roster_avatar_init (RosterAvatar *self)
{
  /* The circle: libadwaita's `avatar` style rounds the corners, and the children are
   * clipped to them. Centred, so a taller row never stretches it into an ellipse. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->label
      = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  self->icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             "icon-name", "avatar-default-symbolic", NULL);
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));
  self->picture
      = g_object_new (GTK_TYPE_PICTURE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                      "content-fit", GTK_CONTENT_FIT_COVER, NULL);
  gtk_widget_set_parent (self->picture, GTK_WIDGET (self));

  set_color (self, NO_TEXT_COLOR);
  update_visibility (self);
}

/**
 * roster_avatar_new:
 * @size: the circle's diameter, in pixels
 */
GtkWidget *
roster_avatar_new (int size)
{
  return g_object_new (ROSTER_TYPE_AVATAR, "size", size, NULL);
}

int
roster_avatar_get_size (RosterAvatar *self)
{
  g_return_val_if_fail (ROSTER_IS_AVATAR (self), 0);
  return self->size;
}

/**
 * roster_avatar_set_size:
 *
 * Sets the circle's diameter, and with it the initials' font sizes: those AdwAvatar gives one
 * letter, and about those it fits two capitals to, at that diameter.
 */
void
roster_avatar_set_size (RosterAvatar *self, int size)
{
  double square, padding, fitted;

  g_return_if_fail (ROSTER_IS_AVATAR (self));
  g_return_if_fail (size > 0);

  if (self->size == size)
    return;
  self->size = size;

  /* AdwAvatar fits the initials' width to the largest square inside the circle, less a
   * padding that grows with the size, and caps the font size at that width. Measured with
   * libadwaita 1.2 on this project's machine (sizes 24–128): one letter gets the cap, two
   * capitals 0.67–0.89 of it (“MH” 0.67, “KT” 0.84, “AL” 0.89). A fixed 0.8 for two looks
   * the same for most names and still keeps a wide pair inside the circle. */
  square = size / G_SQRT2;
  padding = MAX (size * 0.4 - 5, 0);
  fitted = MAX (1, square - padding);
  self->font_sizes[0] = fitted;
  self->font_sizes[1] = fitted * 0.8;
  self->styled_letters = 0;
  style_letters (self);
  gtk_image_set_pixel_size (GTK_IMAGE (self->icon), size / 2);
  if (size < 25)
    gtk_widget_add_css_class (GTK_WIDGET (self), "contrasted");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "contrasted");

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

const char *
roster_avatar_get_text (RosterAvatar *self)
{
  g_return_val_if_fail (ROSTER_IS_AVATAR (self), NULL);
  return self->text;
}

/**
 * roster_avatar_set_text:
 * @text: (nullable): the name whose initials and colour are shown
 *
 * The same text again does nothing. Another text changes the label's text and, if the
 * colour differs, the colour class; nothing else.
 */
void
roster_avatar_set_text (RosterAvatar *self, const char *text)
{
  g_autofree char *initials = NULL;

  g_return_if_fail (ROSTER_IS_AVATAR (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);

  set_color (self, text != NULL ? g_str_hash (text) % N_COLORS + 1 : NO_TEXT_COLOR);
  initials = initials_of (text);
  if (g_strcmp0 (initials, self->initials) != 0)
    {
      gboolean had_initials = self->initials != NULL;

      g_free (self->initials);
      self->initials = g_steal_pointer (&initials);
      if (self->initials != NULL)
        {
          style_letters (self);
          gtk_label_set_label (GTK_LABEL (self->label), self->initials);
        }
      if (had_initials != (self->initials != NULL))
        update_visibility (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

/**
 * roster_avatar_get_initials:
 *
 * Returns: (nullable): the initials shown when there is no photo, or %NULL (an icon)
 */
const char *
roster_avatar_get_initials (RosterAvatar *self)
{
  g_return_val_if_fail (ROSTER_IS_AVATAR (self), NULL);
  return self->initials;
}

GdkPaintable *
roster_avatar_get_custom_image (RosterAvatar *self)
{
  g_return_val_if_fail (ROSTER_IS_AVATAR (self), NULL);
  return self->image;
}

/**
 * roster_avatar_set_custom_image:
 * @image: (nullable): the photo, cropped to the circle; %NULL shows the initials again
 */
void
roster_avatar_set_custom_image (RosterAvatar *self, GdkPaintable *image)
{
  g_return_if_fail (ROSTER_IS_AVATAR (self));
  g_return_if_fail (image == NULL || GDK_IS_PAINTABLE (image));

  if (!g_set_object (&self->image, image))
    return;
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), image);
  if (image != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "image");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "image");
  update_visibility (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_IMAGE]);
}
