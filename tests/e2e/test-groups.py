#!/usr/bin/python3
"""End to end: teams and groups, made and changed on the Teams & Groups view.

The first run sets up the private server, Ada as its administrator. Grace and Charles are
created straight on rosterd, as another tool would. Then, as a person does it: the view
switcher's Teams & Groups, a new team typed in, Grace and Charles added as members by
username, Charles removed again, and a plain group with the switch turned off. Then the team is
renamed in its Name field, Charles comes back through the searchable user picker, the team
gets a permission with its switch, and the plain group is deleted after the question. After every
step the server is asked over HTTP what it now holds (GET /scim/v2/Groups: displayName,
members, the Roster extension's kind), not only what the page shows.

Runs inside tests/harness/headless-session.sh. Arguments: roster, rosterd, screenshot dir.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_driver as d  # noqa: E402
import pyatspi  # noqa: E402
from roster_e2e import first_run, http, launch  # noqa: E402

ROSTER, ROSTERD, SHOTS = sys.argv[1:4]
PASSWORD = "analytical engine 1843"
GROUP_EXT = "urn:roster:params:scim:schemas:extension:crm:2.0:Group"


def server_groups():
    """Every team and group as rosterd has it, by displayName."""
    status, answer = http("/scim/v2/Groups")
    assert status == 200, f"GET /scim/v2/Groups answered {status}"
    return {group["displayName"]: group for group in answer.get("Resources", [])}


def member_ids(group):
    return sorted(member["value"] for member in group.get("members", []))


def kind(group):
    return group.get(GROUP_EXT, {}).get("kind")


def server_has(what, check):
    """Waits until rosterd's groups pass @check: the page's PATCH may still be on its way."""
    def passed():
        groups = server_groups()
        return groups if check(groups) else None

    return d.wait_for(what, passed, 10)


def create_user(user_name, given, family):
    status, user = http("/scim/v2/Users", "POST", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "displayName": f"{given} {family}"})
    assert status == 201, f"creating {user_name} answered {status}"
    return user["id"]


def main():
    tap = d.Tap(12)
    proc = launch(ROSTER, ROSTERD, SHOTS, __file__)
    app = None
    try:
        app = d.application("roster")

        # First run: the private server, Ada as its administrator.
        first_run(app, PASSWORD)

        # Grace and Charles, made on the server.
        grace_id = create_user("grace", "Grace", "Hopper")
        charles_id = create_user("charles", "Charles", "Babbage")

        # A team, typed in with the switch left on.
        d.press(d.clickable(app, "Teams & Groups"))
        team_switch = d.wait_find(app, "check box", "A Team")
        tap.ok(d.wait_for("the team switch", lambda: team_switch.getState().contains(
            pyatspi.STATE_CHECKED)), "a new one is a team unless the switch is turned off")
        d.type_text(d.wait_find(app, "text", "Team or Group Name"), "Engines")
        d.key(0xFF0D)  # Return applies
        d.wait_find(app, "label", "Engines")
        d.wait_find(app, "label", "Team · 0 members")
        groups = server_has("the team on the server", lambda g: "Engines" in g)
        tap.ok(kind(groups["Engines"]) == "team" and member_ids(groups["Engines"]) == [],
               "the team is on the server as a team, without members")

        # Grace and Charles join by username. The team stays open after each change and
        # the field keeps the keyboard focus: Charles is typed without clicking.
        d.click_found(app, "label", "Engines")
        d.type_text(d.wait_find(app, "text", "Add a Member by Username"), "grace")
        d.key(0xFF0D)
        d.wait_find(app, "label", "Team · 1 member")
        d.wait_find(app, "push button", "Remove Grace Hopper")
        add_field = d.wait_find(app, "text", "Add a Member by Username")
        d.type_keys(add_field, "charles")
        d.key(0xFF0D)
        d.wait_find(app, "label", "Team · 2 members")
        both = sorted([grace_id, charles_id])
        groups = server_has("both members on the server",
                            lambda g: member_ids(g["Engines"]) == both)
        displays = sorted(m.get("display") for m in groups["Engines"]["members"])
        tap.ok(displays == ["Charles Babbage", "Grace Hopper"],
               "both are members on the server, with their names; the field kept the focus")

        # The open team lists them with a Remove button each; Charles goes.
        tap.ok(d.wait_find(app, "push button", "Remove Grace Hopper") is not None
               and d.wait_find(app, "push button", "Remove Charles Babbage") is not None,
               "each member has a Remove button named after them")
        time.sleep(0.5)
        d.screenshot(os.path.join(SHOTS, "e2e-groups.png"))
        d.press(d.wait_find(app, "push button", "Remove Charles Babbage"))
        d.wait_find(app, "label", "Team · 1 member")
        groups = server_has("Charles removed on the server",
                            lambda g: member_ids(g["Engines"]) == [grace_id])
        tap.ok(kind(groups["Engines"]) == "team"
               and d.wait_find(app, "push button", "Remove Grace Hopper") is not None
               and d.find(app, "push button", "Remove Charles Babbage") is None,
               "on the server only Grace is left, still a team; the page shows the same")

        # A plain group: the switch off, then the name.
        d.click_found(app, "list item", "A Team")
        tap.ok(d.wait_for("the switch to turn off", lambda: not team_switch.getState().contains(
            pyatspi.STATE_CHECKED)), "the row turns the team switch off")
        d.type_text(d.wait_find(app, "text", "Team or Group Name"), "Analysts")
        # The entry's apply button, by its name this time.
        d.press(d.wait_find(app, "push button", "Apply"))
        d.wait_find(app, "label", "Group · 0 members")
        groups = server_has("the group on the server", lambda g: "Analysts" in g)
        tap.ok(kind(groups["Analysts"]) == "group" and member_ids(groups["Analysts"]) == []
               and member_ids(groups["Engines"]) == [grace_id],
               "the plain group is on the server as a group; the team is unchanged")

        # The team renamed in its Name field. (Before the picker: without a window manager no
        # window has the keyboard focus once a dialog has closed.)
        name_field = d.wait_find(app, "text", "Name")
        d.click(name_field)
        time.sleep(0.3)
        d.key(0xFF57)  # End: wherever the click put the cursor
        for _ in "Engines":
            d.key(0xFF08)  # BackSpace
        d.type_keys(name_field, "Difference Engines")
        d.key(0xFF0D)
        d.wait_find(app, "label", "Difference Engines")
        groups = server_has("the new name on the server",
                            lambda g: "Difference Engines" in g and "Engines" not in g)
        tap.ok(member_ids(groups["Difference Engines"]) == [grace_id]
               and kind(groups["Difference Engines"]) == "team",
               "renamed on the server, members and kind kept")

        # Charles again, chosen in the user picker: searched for, clicked.
        d.press(d.wait_find(app, "push button", "Add a Member to Difference Engines"))
        search = d.wait_find(app, "entry", "Search users")
        d.type_keys(search, "babb")
        time.sleep(1)  # the search's delay, and the server's answer
        d.wait_for("the search to leave only Charles",
                   lambda: d.find(app, "panel", "Grace Hopper, grace, Active") is None)
        d.click_found(app, "panel", "Charles Babbage, charles, Active")
        d.wait_find(app, "label", "Team · 2 members")
        groups = server_has("Charles back on the server",
                            lambda g: member_ids(g["Difference Engines"]) == both)
        tap.ok(d.find(app, "entry", "Search users") is None
               and d.wait_find(app, "push button", "Remove Charles Babbage") is not None,
               "the picker closed and Charles is a member again, on the server too")

        # A permission the team grants, by its switch.
        permission = d.wait_find(app, "check box", "View users")
        # Its action, as assistive technology does it (a switch has "toggle", not "click");
        # the row may be below the fold.
        action = permission.queryAction()
        action.doAction([action.getName(i) for i in range(action.nActions)].index("toggle"))
        groups = server_has("the permission on the server",
                            lambda g: g["Difference Engines"].get(GROUP_EXT, {})
                            .get("permissions") == ["users.view"])
        tap.ok(permission.getState().contains(pyatspi.STATE_CHECKED),
               "the switch named after the permission grants it on the server")
        # Under its area's heading, which assistive technology reads just before its row.
        heading = d.wait_find(app, "heading", "Users")
        item = permission
        while item is not None and item.getRoleName() != "list item":
            item = item.parent
        tap.ok(item is not None and heading.parent == item.parent
               and heading.getIndexInParent() + 1 == item.getIndexInParent(),
               "the permission comes right after its area's heading")

        # The plain group deleted: asked first.
        d.click_found(app, "label", "Analysts")
        d.press(d.wait_find(app, "push button", "Delete Analysts"))
        d.wait_find(app, "label", "Delete “Analysts”?")
        d.press(d.wait_find(app, "push button", "Delete"))
        groups = server_has("the group gone from the server", lambda g: "Analysts" not in g)
        tap.ok("Difference Engines" in groups
               and d.wait_for("the row to go",
                              lambda: d.find(app, "label", "Analysts") is None),
               "after the question the group is gone, on the server and on the page")
    except AssertionError as error:
        tap.bail(str(error))
        if app is not None:
            d.dump(app)
        try:
            d.screenshot(os.path.join(SHOTS, "e2e-groups-failure.png"))
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
