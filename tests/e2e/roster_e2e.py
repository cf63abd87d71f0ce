"""What the end-to-end runs share: starting the app, the keyring, rosterd over HTTP, the
first run's wizard.

Runs inside tests/harness/headless-session.sh, like the tests that import it.
"""

import json
import os
import subprocess
import urllib.error
import urllib.request

import atspi_driver as d

DATA_DIR = os.path.join(os.environ.get("XDG_DATA_HOME", ""), "roster", "server")


def launch(roster, rosterd, shots, script):
    """Starts @roster with @rosterd as its private server; what it prints goes to
    @shots/<script>.roster.log, so a failed run can be read afterwards. Settings are kept in
    a key file, so that they outlive the process for a second start."""
    env = dict(os.environ)
    env["ROSTER_ROSTERD"] = rosterd
    env["GSETTINGS_BACKEND"] = "keyfile"
    log = open(os.path.join(shots, os.path.basename(script) + ".roster.log"), "a")
    argv = [roster]
    if os.environ.get("ROSTER_E2E_GDB"):
        # A crash leaves its backtrace in the log.
        argv = ["gdb", "-q", "-batch", "-ex", "run", "-ex", "thread apply all bt", roster]
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)


def secret_lookup(username, server="local"):
    """@username's token for @server (the private one unless given), from the keyring, or
    None."""
    out = subprocess.run(["secret-tool", "lookup", "server", server, "username", username],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def http(path, method="GET", body=None, as_user="ada"):
    """A call straight to the private rosterd with @as_user's token, as another tool would:
    (status, the answer's JSON or None)."""
    with open(os.path.join(DATA_DIR, "rosterd.url")) as f:
        url = f.read().strip()
    headers = {"Content-Type": "application/scim+json",
               "Authorization": "Bearer " + secret_lookup(as_user)}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, None


def first_run(app, password, given="Ada", family="Lovelace", user_name="ada",
              email="ada@example.com"):
    """The wizard as a person goes through it: On This Computer, the first administrator,
    Skip on the team page, Start Using Roster; returns once the user list shows them."""
    d.click_found(app, "list item", "On This Computer")
    for field, value in [("First Name", given), ("Last Name", family),
                         ("Username", user_name), ("E-mail", email),
                         ("Password", password), ("Confirm Password", password)]:
        d.type_text(d.wait_find(app, "text", field), value)
    create = d.wait_find(app, "push button", "Create Administrator")
    d.wait_for("the local server to be ready", lambda: d.sensitive(create))
    d.press(create)
    skip = d.wait_find(app, "push button", "Skip")
    d.wait_for("the team page to be signed in", lambda: d.sensitive(skip))
    d.press(skip)
    d.press(d.wait_find(app, "push button", "Start Using Roster"))
    d.wait_find(app, "label", f"{given} {family}")
