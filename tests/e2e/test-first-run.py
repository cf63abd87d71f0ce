#!/usr/bin/python3
"""End to end: the real roster binary and a real rosterd, driven through AT-SPI.

A person's first run: the setup wizard ("On This Computer", the first administrator), the new
administrator in the list, the token in the keyring (secret-tool), a screenshot. Then the
second start signs in silently and reuses nothing stale, the server dying while the window is
open shows the strip, and Retry brings the list back; so does waiting, the second time.

Runs inside tests/harness/headless-session.sh (Xvfb, private D-Bus, unlocked gnome-keyring,
AT-SPI). Arguments: the roster binary, the rosterd binary, the screenshot directory.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_driver as d  # noqa: E402
from roster_e2e import launch, secret_lookup  # noqa: E402

ROSTER, ROSTERD, SHOTS = sys.argv[1:4]
PASSWORD = "analytical engine 1843"
DATA_DIR = os.path.join(os.environ["XDG_DATA_HOME"], "roster", "server")


def close_window(proc, app):
    """The title bar's Close button, as a person would; the app then stops the rosterd it
    started."""
    d.press(d.wait_find(app, "push button", "Close"))
    return proc.wait(timeout=10)


def rosterd_running():
    url_file = os.path.join(DATA_DIR, "rosterd.url")
    return os.path.exists(url_file)


def other_client_patch(token, path, value):
    """Someone else's save: a PATCH straight to rosterd, as another admin tool would."""
    with open(os.path.join(DATA_DIR, "rosterd.url")) as f:
        url = f.read().strip()
    users = json.load(urllib.request.urlopen(urllib.request.Request(
        url + "/scim/v2/Users", headers={"Authorization": "Bearer " + token})))
    user_id = users["Resources"][0]["id"]
    body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                       "Operations": [{"op": "replace", "path": path, "value": value}]})
    request = urllib.request.Request(url + "/scim/v2/Users/" + user_id, data=body.encode(),
                                     method="PATCH",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/scim+json"})
    urllib.request.urlopen(request).read()


def server_user(token):
    """The first user as rosterd has it, read straight from the server."""
    with open(os.path.join(DATA_DIR, "rosterd.url")) as f:
        url = f.read().strip()
    users = json.load(urllib.request.urlopen(urllib.request.Request(
        url + "/scim/v2/Users", headers={"Authorization": "Bearer " + token})))
    return users["Resources"][0]


def server_find(token, user_name):
    """The user called user_name as rosterd has it."""
    with open(os.path.join(DATA_DIR, "rosterd.url")) as f:
        url = f.read().strip()
    query = urllib.parse.urlencode({"filter": f'userName eq "{user_name}"'})
    users = json.load(urllib.request.urlopen(urllib.request.Request(
        url + "/scim/v2/Users?" + query, headers={"Authorization": "Bearer " + token})))
    return users["Resources"][0]


def set_field(app, name, value):
    """Puts value in the text field called name (below the fold of the user page too: GTK 4.8
    implements no AT-SPI grabFocus or scrollTo, so the field is not clicked)."""
    field = d.wait_find(app, "text", name)
    field.queryEditableText().setTextContents(value)
    d.wait_for(f"text {value!r} in {name}", lambda: d.text_of(field) == value, 5)
    return field


def main():
    tap = d.Tap(24)
    proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
    try:
        app = d.application("roster")

        # Welcome: where the accounts are kept.
        welcome = d.wait_find(app, "label", "Welcome to Roster")
        tap.ok(welcome is not None, "the first run opens the setup wizard")
        d.click_found(app, "list item", "On This Computer")

        # The first administrator, typed field by field.
        for field, value in [("First Name", "Ada"), ("Last Name", "Lovelace"),
                             ("Username", "ada"), ("E-mail", "ada@example.com"),
                             ("Password", PASSWORD), ("Confirm Password", PASSWORD)]:
            d.type_text(d.wait_find(app, "text", field), value)
        create = d.wait_find(app, "push button", "Create Administrator")
        tap.ok(d.wait_for("the local server to be ready", lambda: d.sensitive(create)),
               "Create Administrator is enabled once the local server runs and the form is valid")
        d.screenshot(os.path.join(SHOTS, "e2e-wizard.png"))
        d.press(create)
        # Add your team: not now; then Done.
        skip = d.wait_find(app, "push button", "Skip")
        d.wait_for("the team page to be signed in", lambda: d.sensitive(skip))
        d.press(skip)
        d.press(d.wait_find(app, "push button", "Start Using Roster"))

        # The list shows the new administrator.
        row = d.wait_find(app, "label", "Ada Lovelace")
        tap.ok(row is not None, "the new administrator appears in the user list")
        tap.ok(d.find(app, "label", "ada") is not None, "the row shows the username")
        # Active accounts have no badge; the row's accessible name still says the status.
        tap.ok(d.find(app, None, "Ada Lovelace, ada, Active") is not None,
               "the row's accessible name gives the name, username and status")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-users.png"))

        # Choosing the row opens the user page beside the list.
        d.click(row)
        email = d.wait_find(app, "text", "E-mail")
        d.wait_for("the e-mail on the user page", lambda: d.text_of(email) == "ada@example.com")
        tap.ok(d.find(app, "label", "Can manage every user and setting") is not None,
               "choosing a user shows their account beside the list")
        # The switches are named once, by their rows ("Active Active" before).
        switches = [acc.name for acc in d.find_all(app, "check box")]
        tap.ok("Active" in switches and "Administrator" in switches,
               "the user page's switches are named by their rows, once")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-user-page.png"))

        # Edit and save: the last name changes on the server and in the list.
        last_name = d.wait_find(app, "text", "Last Name")
        last_name.queryEditableText().setTextContents("")
        d.type_text(last_name, "Byron")
        d.press(d.wait_find(app, "push button", "Save"))
        # The toast first: it goes after a few seconds, and the page is a big tree to search.
        tap.ok(d.wait_find(app, "label", "Changes saved") is not None
               and d.wait_find(app, "label", "Ada Byron") is not None,
               "an edited user is saved and the list shows the new name")

        # About and Contact: an employment ID and a city, saved together in one PATCH.
        tap.ok(all(d.find(app, "label", title) is not None
                   for title in ("About", "Contact", "Work Address", "Access", "Security")),
               "the user page has the About, Contact, Work Address, Access and Security sections")
        set_field(app, "Employment ID", "E-1815")
        set_field(app, "City", "London")
        # Tab from the last name down into About, as a keyboard user would: the page scrolls.
        d.click_found(app, "text", "Last Name")
        for _ in range(5):
            d.key(0xFF09)
            time.sleep(0.1)
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-user-editor.png"))
        d.press(d.wait_find(app, "push button", "Save"))
        d.wait_for("the save", lambda: d.find(app, "push button", "Save") is None, 10)
        stored = server_user(secret_lookup("ada"))
        tap.ok(stored.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {})
               .get("employeeNumber") == "E-1815"
               and any(a.get("locality") == "London" and a.get("type") == "work"
                       for a in stored.get("addresses", [])),
               "an employment ID (About) and a city (Contact) are saved to the server")

        # A second client saves first; this one's save ends in the conflict dialog.
        other_client_patch(secret_lookup("ada"), "name.givenName", "Augusta Ada")
        last_name = d.wait_find(app, "text", "Last Name")
        last_name.queryEditableText().setTextContents("")
        d.type_text(last_name, "King")
        d.press(d.wait_find(app, "push button", "Save"))
        dialog_title = d.wait_find(app, "label", "Someone Else Changed This User")
        d.screenshot(os.path.join(SHOTS, "e2e-conflict.png"))
        d.press(d.wait_find(app, "push button", "Merge"))
        tap.ok(dialog_title is not None and d.wait_find(app, "label", "Augusta Ada King") is not None,
               "a concurrent edit opens the conflict dialog and Merge keeps both changes")

        # Search as you type.
        d.press(d.wait_find(app, "push button", "Search"))
        search = d.wait_find(app, None, "Search users")
        d.click(search)
        for ch in "nobody":
            d.pyatspi.Registry.generateKeyboardEvent(ord(ch), None, d.pyatspi.KEY_SYM)
        tap.ok(d.wait_find(app, "label", "No Matching Users") is not None,
               "a search that matches nobody says so")
        d.key(0xFF1B)  # Escape ends the search
        d.wait_find(app, "label", "Augusta Ada King")

        # Duplicate: a new user with the same access, typed in, created.
        d.click_found(app, "label", "Augusta Ada King")
        d.press(d.wait_find(app, "push button", "Duplicate"))
        # A copy says whose, and starts without the model's identity and contact details.
        copy_of = d.wait_find(app, "label", "Copy of Augusta Ada King")
        blank = all(d.text_of(d.wait_find(app, "text", name)) == ""
                    for name in ("Username", "E-mail", "Employment ID", "City"))
        for field, value in [("First Name", "Charles"), ("Last Name", "Babbage"),
                             ("Username", "charles"), ("E-mail", "charles@example.com"),
                             ("First Password", "difference engine 1822")]:
            d.type_text(d.wait_find(app, "text", field), value)
        d.press(d.wait_find(app, "push button", "Create"))
        tap.ok(d.wait_find(app, "label", "Charles Babbage was created") is not None
               and d.wait_find(app, "label", "2 users") is not None,
               "Duplicate creates a new user and the list counts them")
        charles = server_find(secret_lookup("ada"), "charles")
        roster_ext = charles.get("urn:roster:params:scim:schemas:extension:crm:2.0:User", {})
        enterprise = charles.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {})
        tap.ok(copy_of is not None and blank and roster_ext.get("administrator") is True
               and "employeeNumber" not in enterprise and not charles.get("addresses")
               and charles["emails"][0]["value"] == "charles@example.com",
               "the duplicate is a 'Copy of' its model with its access (administrator) and "
               "none of its employment ID or address")

        # Roles: create one and give it a permission with its switch.
        d.press(d.clickable(app, "Roles"))
        role_name = d.wait_find(app, "text", "Role Name")
        d.type_text(role_name, "Sales")
        d.key(0xFF0D)  # Return applies
        d.click_found(app, "label", "Sales")
        # The row's switch is its activatable widget: clicking the row flips it.
        d.click_found(app, "list item", "View users")
        tap.ok(d.wait_find(app, "label", "1 permission") is not None,
               "a new role gets a permission from its switch")
        d.screenshot(os.path.join(SHOTS, "e2e-roles.png"))
        d.press(d.clickable(app, "Users"))
        tap.ok(d.wait_find(app, "label", "Augusta Ada King") is not None,
               "the view switcher goes back to the users")

        token = secret_lookup("ada")
        tap.ok(token is not None and len(token) >= 40, "the session token is in the keyring")
        tap.ok(rosterd_running(), "the app started a private rosterd")

        rc = close_window(proc, app)
        tap.ok(rc == 0, "closing the window quits the app cleanly")
        try:
            d.wait_for("rosterd to stop", lambda: not rosterd_running(), 30)
        except AssertionError:
            # Say what is left, for whoever reads the log.
            print("# rosterd processes:", subprocess.run(["pgrep", "-af", "rosterd"],
                                                        capture_output=True, text=True).stdout,
                  flush=True)
            raise

        # Second start: no wizard, no password, straight to the list.
        proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
        app = d.application("roster")
        row = d.wait_find(app, "label", "Augusta Ada King")
        tap.ok(row is not None and d.find(app, "label", "Welcome to Roster") is None,
               "the second start signs in silently with the stored token")

        # The server dies under the open window: a strip with Retry, no crash.
        pid = int(subprocess.run(["pgrep", "-f", "--", "--data-[d]ir " + DATA_DIR],
                                 capture_output=True, text=True).stdout.split()[0])
        os.kill(pid, signal.SIGKILL)
        strip = d.wait_find(app, "label", "The server cannot be reached.")
        tap.ok(strip is not None and proc.poll() is None,
               "a stopped server shows the unreachable strip and the app keeps running")
        d.screenshot(os.path.join(SHOTS, "e2e-unreachable.png"))
        d.press(d.wait_find(app, "push button", "Retry"))
        d.wait_for("the strip to go", lambda: d.find(app, "label", "The server cannot be reached.") is None)
        tap.ok(d.find(app, "label", "Augusta Ada King") is not None,
               "Retry restarts the local server and the list comes back")
        tap.ok(secret_lookup("ada") == token, "the same session is still used")

        # Again, and nobody presses Retry: the app tries again by itself (after 5 s).
        pid = int(subprocess.run(["pgrep", "-f", "--", "--data-[d]ir " + DATA_DIR],
                                 capture_output=True, text=True).stdout.split()[0])
        os.kill(pid, signal.SIGKILL)
        d.wait_find(app, "label", "The server cannot be reached.")
        d.wait_for("the strip to go by itself",
                   lambda: d.find(app, "label", "The server cannot be reached.") is None)
        tap.ok(d.find(app, "label", "Augusta Ada King") is not None,
               "without Retry, the app restarts the local server itself and the list comes back")
    except AssertionError as error:
        tap.bail(str(error))
        try:
            d.screenshot(os.path.join(SHOTS, "e2e-failure.png"))
        except Exception:
            pass
        return 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
