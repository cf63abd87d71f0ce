#!/usr/bin/python3
"""End to end: deleting a user who owns records, Recently Deleted, and restoring them.

The first run sets up the private server. Grace Hopper and her records (open orders, an open
task, a finished client) are created straight on rosterd, as the CRM would. Then, as a person
does it: Grace's Delete User button, the dialog that counts what she owns and keeps Delete
off until someone takes it over, "Reassign All to One Person" with the user picker, Delete;
the toast, her records now Ada's on the server; Recently Deleted from the main menu with the
days left; Restore, which says the records stay, and Grace back, inactive.

Runs inside tests/harness/headless-session.sh. Arguments: roster, rosterd, screenshot dir.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_driver as d  # noqa: E402
from roster_e2e import first_run, http, launch  # noqa: E402

ROSTER, ROSTERD, SHOTS = sys.argv[1:4]
PASSWORD = "analytical engine 1843"


def owned(user_id, kind):
    status, answer = http(f"/scim/v2/Records?owner={user_id}&kind={kind}")
    return answer["totalResults"] if status == 200 else -1


def window(app, title):
    """The top-level window called @title (a dialog over the main window)."""
    def lookup():
        for child in app:
            if child is not None and child.name == title:
                return child
        return None

    return d.wait_for(f"window {title!r}", lookup)


def main():
    tap = d.Tap(9)
    proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
    try:
        app = d.application("roster")

        # First run: the private server, Ada as its administrator.
        first_run(app, PASSWORD)

        # Grace and what she owns, made on the server.
        _, ada = http("/scim/v2/Users?filter=userName%20eq%20%22ada%22")
        ada_id = ada["Resources"][0]["id"]
        _, grace = http("/scim/v2/Users", "POST", {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "grace",
            "name": {"givenName": "Grace", "familyName": "Hopper"}, "displayName": "Grace Hopper"})
        grace_id = grace["id"]
        orders_before = owned(ada_id, "order")
        for kind, state in [("order", "open"), ("order", "open"), ("task", "open"),
                            ("client", "done")]:
            http("/scim/v2/Records", "POST", {"kind": kind, "title": f"Grace's {kind}",
                                              "state": state,
                                              "owner": {"type": "user", "value": grace_id}})
        d.press(d.wait_find(app, "push button", "Refresh"))
        d.click_found(app, "label", "Grace Hopper")

        # Delete asks, with what she owns; Delete waits for someone to take it over.
        d.press(d.wait_find(app, "push button", "Delete User"))
        tap.ok(d.wait_find(app, "label", "Delete Grace Hopper?") is not None
               and d.wait_find(app, "label", "2 open orders") is not None
               and d.find(app, "label", "1 open task") is not None
               and d.find(app, "label", "1 done") is not None,
               "the delete dialog counts the orders, tasks and clients she owns")
        delete = d.wait_find(app, "push button", "Delete")
        tap.ok(not d.sensitive(delete), "Delete is off while her open work has nobody to go to")

        # Reassign All to One Person: the picker offers Ada (not Grace herself).
        d.press(d.wait_find(app, "push button", "Reassign All to One Person"))
        picker = window(app, "Who Takes Over Everything")
        d.wait_find(picker, "label", "Ada Lovelace")
        tap.ok(d.find(picker, "label", "Grace Hopper") is None,
               "the picker does not offer the user being deleted")
        d.click_found(picker, "label", "Ada Lovelace")
        tap.ok(d.wait_for("Delete to turn on", lambda: d.sensitive(delete)),
               "once everything has someone, Delete turns on")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-delete.png"))
        d.press(delete)

        # One look for both: the toast goes after ten seconds.
        tap.ok(d.wait_for("the toast with Undo",
                          lambda: d.find(app, "label", "Grace Hopper deleted")
                          and d.find(app, "push button", "Undo")),
               "a toast says she was deleted and offers Undo")
        tap.ok(http("/scim/v2/Users/" + grace_id)[0] == 404
               and owned(ada_id, "order") == orders_before + 2
               and owned(grace_id, "order") == 0,
               "on the server she is gone and her orders are Ada's")

        # Recently Deleted, from the main menu: Grace, with the days left.
        d.press(d.clickable(app, "Main Menu"))
        d.press(d.wait_find(app, "menu item", "Recently Deleted…"))
        recent = window(app, "Recently Deleted")
        d.wait_find(recent, "label", "Grace Hopper")
        tap.ok(d.wait_for("the days left", lambda: any(
            "14 days left" in (label.name or "") and "by ada" in (label.name or "")
            for label in d.find_all(recent, "label"))),
            "Recently Deleted lists her, who deleted her and the 14 days left")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-recently-deleted.png"))

        # Restore says what comes back and what stays.
        d.press(d.wait_find(recent, "push button", "Restore Grace Hopper"))
        tap.ok(d.wait_find(app, "label", "Restore Grace Hopper?") is not None
               and d.wait_for("the explanation", lambda: any(
                   "stay with their new owners" in (label.name or "")
                   for label in d.find_all(app, "label"))),
               "Restore asks first and says the reassigned records stay")
        d.press(d.wait_find(app, "push button", "Restore"))
        d.wait_find(recent, "label", "No Recently Deleted Users")
        status, back = http("/scim/v2/Users/" + grace_id)
        tap.ok(status == 200 and back["active"] is False
               and owned(ada_id, "order") == orders_before + 2,
               "she is back, inactive, and the orders stay with Ada")
    except Exception as error:  # a timeout, or the app gone from the bus
        tap.bail(f"{type(error).__name__}: {error}")
        print(f"# roster: {'running' if proc.poll() is None else f'exited with {proc.returncode}'}",
              flush=True)
        try:
            d.screenshot(os.path.join(SHOTS, "e2e-delete-failure.png"))
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
