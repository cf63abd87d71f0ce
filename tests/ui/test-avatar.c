/* test-avatar.c: RosterAvatar, the list rows' avatar, as a real widget in a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-avatar"

#include "config.h"

#include "roster-avatar.h"
#include "roster-ui-test.h"

typedef struct
{
  GtkWindow *window;
  GtkWidget *box;
  RosterAvatar *avatar;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* AdwAvatar fills what it is given and centres its circle: give both only their size. */
  gtk_widget_set_valign (f->box, GTK_ALIGN_START);
  gtk_widget_set_halign (f->box, GTK_ALIGN_START);
  f->avatar = ROSTER_AVATAR (roster_avatar_new (36));
  g_object_add_weak_pointer (G_OBJECT (f->avatar), (gpointer *) &f->avatar);
  gtk_box_append (GTK_BOX (f->box), GTK_WIDGET (f->avatar));
  f->window = roster_ui_test_window (f->box);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (f->avatar);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  return --*(int *) user_data > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Until the window has laid out and drawn what changed: two frames, so the layout of the
 * first has been painted. */
static void
settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, 0);
  int ticks = 2;

  gtk_widget_add_tick_callback (window, tick_cb, &ticks, NULL);
  while (ticks > 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* The avatar's one child of @type. */
static GtkWidget *
child_of_type (GtkWidget *avatar, GType type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (avatar); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;
  g_error ("no %s in the avatar", g_type_name (type));
}

/* What a person sees: the initials' label if that is the child shown. */
static const char *
shown_initials (RosterAvatar *avatar)
{
  GtkWidget *label = child_of_type (GTK_WIDGET (avatar), GTK_TYPE_LABEL);

  return gtk_widget_get_visible (label) && gtk_widget_get_mapped (label)
             ? gtk_label_get_label (GTK_LABEL (label))
             : NULL;
}

/* The colorN classes the avatar has, as "color7" or "color2 color7". */
static char *
color_classes (GtkWidget *widget)
{
  g_auto (GStrv) classes = gtk_widget_get_css_classes (widget);
  GString *colors = g_string_new (NULL);

  for (guint i = 0; classes[i] != NULL; i++)
    if (g_str_has_prefix (classes[i], "color"))
      g_string_append_printf (colors, "%s%s", colors->len > 0 ? " " : "", classes[i]);
  return g_string_free (colors, FALSE);
}

static char *
expected_color (const char *text)
{
  /* AdwAvatar's rule (libadwaita 1.2), so both avatars give a user the same colour. */
  return g_strdup_printf ("color%u", g_str_hash (text) % 14 + 1);
}

static void
count_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* The initials' absolute font size, in Pango units. */
static int
label_font_size (RosterAvatar *avatar)
{
  GtkWidget *label = child_of_type (GTK_WIDGET (avatar), GTK_TYPE_LABEL);
  PangoAttrList *attributes = gtk_label_get_attributes (GTK_LABEL (label));
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttribute *size;

  g_assert_nonnull (attributes);
  iter = pango_attr_list_get_iterator (attributes);
  size = pango_attr_iterator_get (iter, PANGO_ATTR_ABSOLUTE_SIZE);
  g_assert_nonnull (size);
  return ((PangoAttrSize *) size)->size;
}

static void
test_initials (Fixture *f, gconstpointer data)
{
  int pair_size;

  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (f->avatar)), ==, "avatar");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (f->avatar)), ==,
                   GTK_ACCESSIBLE_ROLE_PRESENTATION);

  /* No text: the default icon, as AdwAvatar shows. */
  g_assert_null (shown_initials (f->avatar));
  g_assert_true (gtk_widget_get_mapped (child_of_type (GTK_WIDGET (f->avatar), GTK_TYPE_IMAGE)));

  roster_avatar_set_text (f->avatar, "Ada Lovelace");
  settle ();
  g_assert_cmpstr (shown_initials (f->avatar), ==, "AL");
  g_assert_cmpstr (roster_avatar_get_initials (f->avatar), ==, "AL");
  g_assert_false (gtk_widget_get_mapped (child_of_type (GTK_WIDGET (f->avatar), GTK_TYPE_IMAGE)));

  roster_avatar_set_text (f->avatar, "  grace brewster   hopper ");
  settle ();
  g_assert_cmpstr (shown_initials (f->avatar), ==, "GH");
  roster_avatar_set_text (f->avatar, "élodie durand");
  settle ();
  g_assert_cmpstr (shown_initials (f->avatar), ==, "ÉD");
  pair_size = label_font_size (f->avatar);
  roster_avatar_set_text (f->avatar, "admin");
  settle ();
  g_assert_cmpstr (shown_initials (f->avatar), ==, "A");
  /* One letter gets the size AdwAvatar gives it, larger than a pair's. */
  g_assert_cmpint (label_font_size (f->avatar), >, pair_size);

  roster_avatar_set_text (f->avatar, "");
  settle ();
  g_assert_null (roster_avatar_get_text (f->avatar));
  g_assert_null (shown_initials (f->avatar));
  g_assert_true (gtk_widget_get_mapped (child_of_type (GTK_WIDGET (f->avatar), GTK_TYPE_IMAGE)));

  /* A fixed circle: the window gives it 36 × 36, no more. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->avatar)), ==, 36);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->avatar)), ==, 36);
}

static void
test_color (Fixture *f, gconstpointer data)
{
  static const char *const names[]
      = { "Ada Lovelace", "Grace Hopper", "Alan Turing 12", "Person 000", "user000123" };
  RosterAvatar *other = ROSTER_AVATAR (roster_avatar_new (36));

  gtk_box_append (GTK_BOX (f->box), GTK_WIDGET (other));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *expected = expected_color (names[i]);
      g_autofree char *mine = NULL;
      g_autofree char *theirs = NULL;

      roster_avatar_set_text (f->avatar, names[i]);
      roster_avatar_set_text (other, names[G_N_ELEMENTS (names) - 1 - i]);
      roster_avatar_set_text (other, names[i]);
      mine = color_classes (GTK_WIDGET (f->avatar));
      theirs = color_classes (GTK_WIDGET (other));
      /* Exactly one colour, the one of the text, whatever the avatar showed before. */
      g_assert_cmpstr (mine, ==, expected);
      g_assert_cmpstr (theirs, ==, expected);
    }
}

/* Renders @widget as it is on screen and returns the pixel at (@x, @y), as 0xAARRGGBB. */
static guint32
pixel_at (GtkWidget *widget, int x, int y)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autofree guint32 *pixels = g_new0 (guint32, width * height);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels[y * width + x];
}

/* It looks like AdwAvatar: the same circle, the same colour at the same place. */
static void
test_looks_like_adw_avatar (Fixture *f, gconstpointer data)
{
  GtkWidget *adw = adw_avatar_new (36, "Grace Hopper", TRUE);
  guint32 mine, theirs;

  gtk_box_append (GTK_BOX (f->box), adw);
  roster_avatar_set_text (f->avatar, "Grace Hopper");
  settle ();
  /* Outside the circle: nothing drawn. */
  g_assert_cmphex (pixel_at (GTK_WIDGET (f->avatar), 1, 1) >> 24, ==, 0);
  /* Near the top, above the initials: the gradient, the same in both. */
  mine = pixel_at (GTK_WIDGET (f->avatar), 18, 3);
  theirs = pixel_at (adw, 18, 3);
  g_assert_cmphex (mine >> 24, ==, 0xff);
  g_assert_cmphex (mine, ==, theirs);
  mine = pixel_at (GTK_WIDGET (f->avatar), 18, 33);
  theirs = pixel_at (adw, 18, 33);
  g_assert_cmphex (mine, ==, theirs);
}

/* The same text again changes nothing: no notify, no new label text, no restyle. Another
 * text with the same colour touches only the label. */
static void
test_same_text (Fixture *f, gconstpointer data)
{
  GtkWidget *label = child_of_type (GTK_WIDGET (f->avatar), GTK_TYPE_LABEL);
  guint avatar_notifies = 0, label_notifies = 0, class_notifies = 0;
  g_autofree char *first = NULL, *same_color = NULL;
  g_autofree char *expected = NULL;

  first = g_strdup ("Ada Lovelace");
  expected = expected_color (first);
  /* Another name of the same colour. */
  for (guint i = 0; same_color == NULL; i++)
    {
      g_autofree char *candidate = g_strdup_printf ("Person%u", i);
      g_autofree char *color = expected_color (candidate);

      if (g_str_equal (color, expected))
        same_color = g_steal_pointer (&candidate);
    }

  roster_avatar_set_text (f->avatar, first);
  settle ();
  g_signal_connect (f->avatar, "notify", G_CALLBACK (count_cb), &avatar_notifies);
  g_signal_connect (f->avatar, "notify::css-classes", G_CALLBACK (count_cb), &class_notifies);
  g_signal_connect (label, "notify", G_CALLBACK (count_cb), &label_notifies);

  roster_avatar_set_text (f->avatar, "Ada Lovelace");
  settle ();
  g_assert_cmpuint (avatar_notifies, ==, 0);
  g_assert_cmpuint (label_notifies, ==, 0);
  g_assert_cmpuint (class_notifies, ==, 0);
  g_assert_cmpstr (shown_initials (f->avatar), ==, "AL");

  roster_avatar_set_text (f->avatar, same_color);
  settle ();
  g_assert_cmpstr (shown_initials (f->avatar), ==, "P");
  g_assert_cmpuint (class_notifies, ==, 0);  /* same colour: the classes stay */
  g_assert_cmpuint (label_notifies, >, 0);   /* only the label's text changed */
  g_assert_cmpuint (avatar_notifies, ==, 1); /* text */

  g_signal_handlers_disconnect_by_data (f->avatar, &avatar_notifies);
  g_signal_handlers_disconnect_by_data (f->avatar, &class_notifies);
  g_signal_handlers_disconnect_by_data (label, &label_notifies);
}

static void
test_photo (Fixture *f, gconstpointer data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 120, 80);
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *picture = child_of_type (GTK_WIDGET (f->avatar), GTK_TYPE_PICTURE);
  guint32 center;

  gdk_pixbuf_fill (pixbuf, 0xc03030ff);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  roster_avatar_set_text (f->avatar, "Ada Lovelace");
  roster_avatar_set_custom_image (f->avatar, GDK_PAINTABLE (texture));
  settle ();
  g_assert_true (roster_avatar_get_custom_image (f->avatar) == GDK_PAINTABLE (texture));
  g_assert_true (gtk_widget_get_mapped (picture));
  g_assert_null (shown_initials (f->avatar));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->avatar), "image"));
  /* A photo larger than the circle is cropped to it, not allowed to grow it. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->avatar)), ==, 36);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->avatar)), ==, 36);
  center = pixel_at (GTK_WIDGET (f->avatar), 18, 18);
  g_assert_cmphex (center, ==, 0xffc03030);
  g_assert_cmphex (pixel_at (GTK_WIDGET (f->avatar), 1, 1) >> 24, ==, 0);

  /* The photo goes: the initials come back. */
  roster_avatar_set_custom_image (f->avatar, NULL);
  settle ();
  g_assert_null (roster_avatar_get_custom_image (f->avatar));
  g_assert_false (gtk_widget_get_mapped (picture));
  g_assert_cmpstr (shown_initials (f->avatar), ==, "AL");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->avatar), "image"));
  g_assert_cmphex (pixel_at (GTK_WIDGET (f->avatar), 18, 3), !=, 0xffc03030);
}

int
main (int argc, char **argv)
{
  roster_ui_test_init (&argc, &argv);

  g_test_add ("/avatar/initials", Fixture, NULL, fixture_set_up, test_initials, fixture_tear_down);
  g_test_add ("/avatar/color", Fixture, NULL, fixture_set_up, test_color, fixture_tear_down);
  g_test_add ("/avatar/looks-like-adw-avatar", Fixture, NULL, fixture_set_up,
              test_looks_like_adw_avatar, fixture_tear_down);
  g_test_add ("/avatar/same-text", Fixture, NULL, fixture_set_up, test_same_text,
              fixture_tear_down);
  g_test_add ("/avatar/photo", Fixture, NULL, fixture_set_up, test_photo, fixture_tear_down);

  return g_test_run ();
}
