#!/usr/bin/python3
"""End to end: the setup wizard's "Add your team" and Done pages, by accessible names only.

The real roster binary and a real rosterd: "On This Computer", the first administrator, then
the team page. The embedded server starts with no roles and no teams, so the test makes a
role and a team over HTTP as the new administrator, closes Roster and starts it again: the
wizard resumes on the team page, signed in, and offers them. Three rows (the first with the
role and the team), first passwords instead of e-mails, Create Accounts, the Done page, Export
as CSV through the file chooser, then the CSV on disk (header and 3 rows, mode 0600) and the
3 users on the server. Screenshots: e2e-wizard-team.png and e2e-wizard-done.png.

Runs inside tests/harness/headless-session.sh. Arguments: the roster binary, the rosterd
binary, the screenshot directory.
"""

import csv
import io
import json
import os
import signal
import stat
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_driver as d  # noqa: E402
from roster_e2e import launch, secret_lookup  # noqa: E402

ROSTER, ROSTERD, SHOTS = sys.argv[1:4]
PASSWORD = "analytical engine 1843"
DATA_DIR = os.path.join(os.environ["XDG_DATA_HOME"], "roster", "server")


def api(token, method, path, body=None):
    with open(os.path.join(DATA_DIR, "rosterd.url")) as f:
        url = f.read().strip()
    request = urllib.request.Request(
        url + "/scim/v2" + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"})
    return json.load(urllib.request.urlopen(request))


def set_field(app, name, value):
    field = d.wait_find(app, "text", name)
    field.queryEditableText().setTextContents(value)
    d.wait_for(f"text {value!r} in {name}", lambda: d.text_of(field) == value, 5)


def choose(app, drop_down, item):
    """Opens a drop-down with a click, then picks the item after "none" from the keyboard."""
    d.click_found(app, None, drop_down)
    d.wait_find(app, "label", item)
    time.sleep(0.5)
    d.key(0xFF54)  # Down
    time.sleep(0.2)
    d.key(0xFF0D)  # Return
    d.wait_for(f"{item!r} in {drop_down}",
               lambda: d.find(d.wait_find(app, None, drop_down), "label", item), 5)


def team_page_ready(app):
    skip = d.wait_find(app, "push button", "Skip", 30)
    return d.wait_for("the team page to be signed in", lambda: d.sensitive(skip), 30)


def main():
    tap = d.Tap(9)
    proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
    try:
        app = d.application("roster")
        d.click_found(app, "list item", "On This Computer")
        for field, value in [("First Name", "Ada"), ("Last Name", "Lovelace"),
                             ("Username", "ada"), ("E-mail", "ada@example.com"),
                             ("Password", PASSWORD), ("Confirm Password", PASSWORD)]:
            d.type_text(d.wait_find(app, "text", field), value)
        create = d.wait_find(app, "push button", "Create Administrator")
        d.wait_for("the local server to be ready", lambda: d.sensitive(create), 30)
        d.press(create)
        team_page_ready(app)
        tap.ok(d.find(app, "label", "Add Your Team") is not None,
               "after the administrator, the wizard offers to add the team")

        # No roles and no teams on a new server: made over HTTP, as another tool would.
        token = secret_lookup("ada")
        api(token, "POST", "/Groups", {
            "displayName": "Front Desk",
            "urn:roster:params:scim:schemas:extension:crm:2.0:Group": {"kind": "team"}})
        api(token, "POST", "/Roles", {
            "schemas": ["urn:roster:params:scim:schemas:core:2.0:Role"], "name": "Sales"})

        # Closed on the team page, started again: back there, signed in.
        d.press(d.wait_find(app, "push button", "Close"))
        proc.wait(timeout=15)
        proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
        app = d.application("roster")
        team_page_ready(app)
        tap.ok(d.find(app, "label", "Add Your Team") is not None
               and d.find(app, "label", "Welcome to Roster") is None,
               "closed on the team page, the wizard resumes there signed in")

        # Three people; Grace with the role and the team.
        for name, value in [("First Name, row 1", "Grace"), ("Last Name, row 1", "Hopper"),
                            ("Username, row 1", "grace"), ("E-mail, row 1", "grace@example.com"),
                            ("First Name, row 2", "Alan"), ("Username, row 2", "alan"),
                            ("First Name, row 3", "Edsger"), ("Username, row 3", "edsger")]:
            set_field(app, name, value)
        choose(app, "Role, row 1", "Sales")
        choose(app, "Team, row 1", "Front Desk")
        email = d.wait_find(app, "check box", "E-mail details")
        d.click(email)
        d.wait_for("E-mail details unchecked",
                   lambda: not email.getState().contains(d.pyatspi.STATE_CHECKED), 5)
        send = d.wait_find(app, "push button", "Create Accounts")
        d.wait_for("the rows to be valid", lambda: d.sensitive(send), 10)
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-wizard-team.png"))
        d.press(send)

        summary = d.wait_find(app, "label", "3 accounts created, 0 invitations sent.", 30)
        tap.ok(summary is not None and d.find(app, "label", "Roster Is Ready") is not None,
               "the rows are sent and the Done page sums them up")
        tap.ok(any("Roster does not keep them" in (label.name or "")
                   for label in d.find_all(app, "label")),
               "the Done page says the first passwords are only in the export")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-wizard-done.png"))

        # Export as CSV, through the file chooser: its name field holds the proposed name.
        d.press(d.wait_find(app, "push button", "Export as CSV…"))
        name_field = d.wait_for("the file chooser's name field",
                                lambda: next((t for t in d.find_all(app, "text")
                                              if d.text_of(t) == "roster-accounts.csv"), None))
        target = os.path.join(tempfile.mkdtemp(prefix="wizard-team-"), "roster-accounts.csv")
        name_field.queryEditableText().setTextContents(target)
        d.wait_for("the path in the name field", lambda: d.text_of(name_field) == target, 5)
        # GTK 4.8 names its own mnemonic buttons "_Save Save" (see roster-accessibility.c).
        d.press(d.wait_for("the file chooser's Save button",
                           lambda: next((b for b in d.find_all(app, "push button")
                                         if b.name in ("Save", "_Save Save")), None)))
        d.wait_for("the CSV file", lambda: os.path.exists(target), 15)
        d.wait_find(app, "label", "Saved as “roster-accounts.csv”", 10)
        with open(target, newline="") as f:
            rows = list(csv.reader(io.StringIO(f.read())))
        tap.ok(len(rows) == 4 and rows[0][:3] == ["First Name", "Last Name", "Username"]
               and [r[2] for r in rows[1:]] == ["grace", "alan", "edsger"],
               "the CSV has a header and the 3 accounts")
        tap.ok(rows[1][4:6] == ["Sales", "Front Desk"] and all(len(r[6]) >= 20 for r in rows[1:]),
               "the CSV has Grace's role and team, and each first password")
        tap.ok(stat.S_IMODE(os.stat(target).st_mode) == 0o600, "the CSV is the owner's alone (0600)")

        # The three are on the server, Grace in the team.
        names = {}
        for user_name in ("grace", "alan", "edsger"):
            query = urllib.parse.quote(f'userName eq "{user_name}"')
            names[user_name] = api(token, "GET", "/Users?filter=" + query)["totalResults"]
        teams = api(token, "GET", "/Groups")["Resources"]
        front_desk = next(g for g in teams if g["displayName"] == "Front Desk")
        tap.ok(names == {"grace": 1, "alan": 1, "edsger": 1}
               and len(front_desk.get("members", [])) == 1,
               "the 3 users exist on the server, one of them in the team")

        d.press(d.wait_find(app, "push button", "Start Using Roster"))
        tap.ok(d.wait_find(app, "label", "Grace Hopper", 30) is not None,
               "Start Using Roster opens the user list with the new accounts")
    except AssertionError as error:
        tap.bail(str(error))
        try:
            def dump(acc, depth=0):
                if acc is None:
                    return
                if acc.getRoleName() in ("push button", "check box", "text", "combo box", "toggle button", "button"):
                    print("#", acc.getRoleName(), repr(acc.name), d.showing(acc), flush=True)
                for child in acc:
                    dump(child, depth + 1)
            dump(app)
        except Exception as e:
            print("# dump failed", e)
        try:
            d.screenshot(os.path.join(SHOTS, "e2e-wizard-team-failure.png"))
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
