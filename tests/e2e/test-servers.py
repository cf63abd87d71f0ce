#!/usr/bin/python3
"""End to end: several servers (accounts), and a session revoked on the server.

The first run sets up the private server ("On This Computer"). Then, through the primary
menu's Servers… dialog, a second server — a real rosterd this test starts on 127.0.0.1 and
sets up over HTTP — is added with the wizard's Remote Server step and a sign-in, switched to
and back, and its session is revoked server-side (actions/logout-all): the next call's 401
brings the sign-in page for that server with the message, and the edit typed before is
still there to save after signing in again. Last, both servers are removed, each asked first:
their tokens leave the keyring, and removing the local one stops its rosterd.

Runs inside tests/harness/headless-session.sh. Arguments: roster, rosterd, screenshot dir.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_driver as d  # noqa: E402
from roster_e2e import launch, secret_lookup  # noqa: E402

ROSTER, ROSTERD, SHOTS = sys.argv[1:4]
ADA_PASSWORD = "analytical engine 1843"
GRACE_PASSWORD = "correct horse battery"
LOCAL_DIR = os.path.join(os.environ["XDG_DATA_HOME"], "roster", "server")


def http(url, method="GET", body=None, token=None):
    headers = {"Content-Type": "application/scim+json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        text = response.read()
    return json.loads(text) if text else None


def start_remote(data_dir):
    """A second rosterd, set up over HTTP with Grace as its administrator."""
    proc = subprocess.Popen([ROSTERD, "--data-dir", data_dir, "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = proc.stdout.readline().strip()
    with open(os.path.join(data_dir, "setup-token")) as f:
        setup_token = f.read().strip()
    http(url + "/setup", "POST", {
        "setupToken": setup_token,
        "user": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName": "grace", "password": GRACE_PASSWORD,
                 "name": {"givenName": "Grace", "familyName": "Hopper"},
                 "emails": [{"value": "grace@example.com", "type": "work"}]}})
    return proc, url


def open_servers(app):
    d.press(d.clickable(app, "Main Menu"))
    d.press(d.wait_find(app, "menu item", "Servers…"))
    return d.wait_find(app, "label", "Choose the server whose users Roster shows.")


def sign_in(app, username, password):
    user = d.wait_find(app, "text", "Username")
    if d.text_of(user) != username:
        user.queryEditableText().setTextContents("")
        d.type_text(user, username)
    d.type_text(d.wait_find(app, "text", "Password"), password)
    d.press(d.wait_find(app, "push button", "Sign In"))


def main():
    tap = d.Tap(14)
    remote_dir = tempfile.mkdtemp(prefix="roster-e2e-remote-")
    remote, url = start_remote(remote_dir)
    title = url.split("://", 1)[1]  # "127.0.0.1:PORT", the server's name in the app
    proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
    try:
        app = d.application("roster")

        # First run: the private server.
        d.click_found(app, "list item", "On This Computer")
        for field, value in [("First Name", "Ada"), ("Last Name", "Lovelace"),
                             ("Username", "ada"), ("E-mail", "ada@example.com"),
                             ("Password", ADA_PASSWORD), ("Confirm Password", ADA_PASSWORD)]:
            d.type_text(d.wait_find(app, "text", field), value)
        create = d.wait_find(app, "push button", "Create Administrator")
        d.wait_for("the local server to be ready", lambda: d.sensitive(create))
        d.press(create)
        # Add your team: not now; then Done.
        skip = d.wait_find(app, "push button", "Skip")
        d.wait_for("the team page to be signed in", lambda: d.sensitive(skip))
        d.press(skip)
        d.press(d.wait_find(app, "push button", "Start Using Roster"))
        d.wait_find(app, "label", "Ada Lovelace")

        # Servers… lists it; Add Server… runs the wizard's server step.
        open_servers(app)
        tap.ok(d.wait_find(app, "list item", "On This Computer") is not None
               and d.find(app, "label", "ada on this computer") is not None,
               "the account switcher lists the server with its address and username")
        d.press(d.wait_find(app, "push button", "Add Server…"))
        d.click_found(app, "list item", "Remote Server")
        d.type_text(d.wait_find(app, "text", "Server Address"), url)
        d.screenshot(os.path.join(SHOTS, "e2e-add-server.png"))
        d.press(d.wait_find(app, "push button", "Connect"))

        # Set up already: the sign-in page for it.
        sign_in(app, "grace", GRACE_PASSWORD)
        tap.ok(d.wait_find(app, "label", "Grace Hopper") is not None
               and d.find(app, "label", "Ada Lovelace") is None,
               "the added server's users are shown after signing in")
        tap.ok(secret_lookup("grace", url) is not None and secret_lookup("ada") is not None,
               "each server keeps its own token in the keyring")

        # Switch to the local server and back.
        open_servers(app)
        tap.ok(d.wait_find(app, "list item", title) is not None
               and d.find(app, "label", "grace on " + url) is not None,
               "both servers are listed")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-servers.png"))
        d.click_found(app, "list item", "On This Computer")
        tap.ok(d.wait_find(app, "label", "Ada Lovelace") is not None
               and d.find(app, "label", "Grace Hopper") is None,
               "switching shows the other server's users")
        open_servers(app)
        d.click_found(app, "list item", title)
        tap.ok(d.wait_find(app, "label", "Grace Hopper") is not None,
               "switching back shows the first one's users again")

        # An edit is under way when the server revokes the session.
        d.click_found(app, "label", "Grace Hopper")
        email = d.wait_find(app, "text", "E-mail")
        d.wait_for("the user page", lambda: d.text_of(email) == "grace@example.com")
        last_name = d.wait_find(app, "text", "Last Name")
        last_name.queryEditableText().setTextContents("")
        d.type_text(last_name, "Murray")
        other = http(url + "/auth/token", "POST",
                     {"userName": "grace", "password": GRACE_PASSWORD})["access_token"]
        users = http(url + "/scim/v2/Users", token=other)
        grace_id = users["Resources"][0]["id"]
        http(url + "/scim/v2/Users/" + grace_id + "/actions/logout-all", "POST", {}, other)
        d.press(d.wait_find(app, "push button", "Save"))
        message = ("Your session on " + title + " has ended or was signed out. Sign in again "
                   "to go on; nothing you typed is lost.")
        tap.ok(d.wait_find(app, "label", message) is not None,
               "a revoked session brings the sign-in page for that server with the message")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-session-ended.png"))
        tap.ok(secret_lookup("grace", url) is None, "the refused token left the keyring")
        sign_in(app, "grace", GRACE_PASSWORD)
        last_name = d.wait_find(app, "text", "Last Name")
        tap.ok(d.wait_for("the edit", lambda: d.text_of(last_name) == "Murray"),
               "the edit typed before is still there after signing in again")
        d.press(d.wait_find(app, "push button", "Save"))
        tap.ok(d.wait_find(app, "label", "Grace Murray") is not None
               and http(url + "/scim/v2/Users/" + grace_id,
                        token=secret_lookup("grace", url))["name"]["familyName"] == "Murray",
               "and it can be saved")

        # Remove the remote server: asked first, its token goes, the local one is shown.
        open_servers(app)
        d.press(d.wait_find(app, "push button", "Remove " + title))
        tap.ok(d.wait_find(app, "label", "Remove " + title + "?") is not None,
               "removing asks first")
        d.screenshot(os.path.join(SHOTS, "e2e-remove-server.png"))
        d.press(d.wait_find(app, "push button", "Remove"))
        tap.ok(d.wait_find(app, "label", "Ada Lovelace") is not None
               and secret_lookup("grace", url) is None,
               "the removed server's token is deleted and the other server is shown")
        tap.ok(d.find(app, "list item", title) is None, "the list no longer has it")

        # Remove the local one: its private rosterd stops, and the wizard is back.
        d.press(d.wait_find(app, "push button", "Remove On This Computer"))
        d.wait_find(app, "label", "Remove On This Computer?")
        d.press(d.wait_find(app, "push button", "Remove"))
        d.wait_find(app, "label", "Welcome to Roster")
        tap.ok(d.wait_for("the private rosterd to stop",
                          lambda: not os.path.exists(os.path.join(LOCAL_DIR, "rosterd.url")), 30)
               and secret_lookup("ada") is None,
               "removing the local server stops its rosterd, deletes its token, shows the wizard")
    except AssertionError as error:
        tap.bail(str(error))
        try:
            d.screenshot(os.path.join(SHOTS, "e2e-servers-failure.png"))
        except Exception:
            pass
        return 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
        remote.send_signal(signal.SIGTERM)
        remote.wait(timeout=10)
        subprocess.run(["rm", "-rf", remote_dir])
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
