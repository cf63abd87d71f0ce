"""A small AT-SPI driver for the end-to-end tests: find by role and name, type, click.

Only what a person sees counts: every lookup skips widgets that are not on screen. GTK 4.8
exposes hidden stack pages too and sets no "showing" state, but an unmapped widget has empty
extents, which is what showing() checks. Typing and clicking go through at-spi2-registryd's XTest,
like real input; the click delay of GTK 4.8 buttons (250 ms) is why everything polls.
"""

import subprocess
import time

import pyatspi

DEFAULT_TIMEOUT = 20.0


class TimeoutError_(AssertionError):
    pass


def wait_for(what, fn, timeout=DEFAULT_TIMEOUT):
    end = time.monotonic() + timeout
    while True:
        try:
            result = fn()
        except Exception:  # the tree changes under us while the app works
            result = None
        if result:
            return result
        if time.monotonic() > end:
            raise TimeoutError_("timed out waiting for " + what)
        time.sleep(0.1)


def showing(acc):
    try:
        ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (ext.width > 0 and ext.height > 0
                and acc.getState().contains(pyatspi.STATE_VISIBLE))
    except Exception:
        return False


def find_all(root, role=None, name=None):
    found = []

    def visit(acc):
        # Only matches must be on screen: containers such as GtkStackPage have no extents.
        if acc is None:
            return
        if ((role is None or acc.getRoleName() == role) and (name is None or acc.name == name)
                and showing(acc)):
            found.append(acc)
        for child in acc:
            visit(child)

    visit(root)
    return found


def find(root, role=None, name=None):
    found = find_all(root, role, name)
    return found[0] if found else None


def application(name, timeout=2 * DEFAULT_TIMEOUT):
    def lookup():
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
        return None

    return wait_for("application " + name, lookup, timeout)


def wait_find(root, role, name, timeout=DEFAULT_TIMEOUT):
    return wait_for(f"{role} {name!r}", lambda: find(root, role, name), timeout)


def extents(acc):
    ext = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return (ext.x, ext.y, ext.width, ext.height)


def center(acc):
    """The middle of the widget once it stopped moving (pages slide in)."""
    seen = []

    def settled():
        try:
            before = extents(acc)
            time.sleep(0.1)
            after = extents(acc)
        except Exception as error:  # gone from the tree: a new widget took its place
            seen[:] = [f"{type(error).__name__}: {error}"]
            raise
        seen[:] = [f"{before} then {after}"]
        return after if before == after and after[2] > 0 else None

    try:
        x, y, width, height = wait_for("widget to settle", settled, 5)
    except TimeoutError_ as error:
        raise TimeoutError_(f"{error} (last seen: {seen[0] if seen else '-'})") from None
    return x + width // 2, y + height // 2


def click(acc):
    """A left click in the middle of the widget (without a window manager the window sits at
    0,0, so window coordinates are screen coordinates)."""
    x, y = center(acc)
    pyatspi.Registry.generateMouseEvent(x, y, "b1c")


def click_found(root, role, name, timeout=DEFAULT_TIMEOUT):
    """Like click(wait_find(...)), but looks again when the widget found is replaced before it
    settles (a list that reloads replaces its rows)."""
    end = time.monotonic() + timeout
    while True:
        try:
            return click(wait_find(root, role, name, max(end - time.monotonic(), 0.1)))
        except TimeoutError_:
            if time.monotonic() > end:
                raise


def press(acc):
    """The widget's own click action, as assistive technology does it."""
    action = acc.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    action.doAction(names.index("click"))


def clickable(root, name, timeout=DEFAULT_TIMEOUT):
    """The first widget on screen called @name that has a click action, whatever its role
    (a view switcher's buttons are toggle buttons, say)."""
    def lookup():
        for acc in find_all(root, None, name):
            try:
                action = acc.queryAction()
            except NotImplementedError:
                continue
            if "click" in [action.getName(i) for i in range(action.nActions)]:
                return acc
        return None

    return wait_for(f"something called {name!r} to click", lookup, timeout)


def text_of(acc):
    text = acc.queryText()
    return text.getText(0, text.characterCount)


def type_text(acc, value):
    """Clicks into a text field and types value key by key. (GTK 4.8 reports no "focused"
    state for the text inside an AdwEntryRow, so the check is that the text arrived.)"""
    click(acc)
    time.sleep(0.3)
    type_keys(acc, value)


def type_keys(acc, value):
    """Types value key by key into whatever has the keyboard focus, and waits for it to
    arrive in @acc: that @acc had the focus is what this checks."""
    for ch in value:
        pyatspi.Registry.generateKeyboardEvent(ord(ch), None, pyatspi.KEY_SYM)
        time.sleep(0.01)
    wait_for(f"text {value!r} in {acc.name}", lambda: text_of(acc) == value, 5)


def key(keysym):
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)


def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def dump(root, depth=0):
    """The tree on screen below @root, as TAP comments, for whoever reads a failed run."""
    try:
        for child in root:
            if child is None:
                continue
            if showing(child):
                print("# " + "  " * depth + f"{child.getRoleName()} {child.name!r}", flush=True)
            dump(child, depth + 1)
    except Exception:  # the tree changes under us
        pass


def screenshot(path):
    subprocess.run(["import", "-window", "root", path], check=True)


class Tap:
    """Test Anything Protocol output, so meson counts each check."""

    def __init__(self, plan):
        self.n = 0
        self.failed = 0
        print(f"1..{plan}", flush=True)

    def ok(self, condition, description):
        self.n += 1
        if condition:
            print(f"ok {self.n} - {description}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {description}", flush=True)
        return condition

    def bail(self, reason):
        print(f"Bail out! {reason}", flush=True)
