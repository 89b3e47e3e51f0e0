"""Who may open a meeting's roles page and a team's role history.

The ILT's readers (its school's staff, the district's leaders, the hub that serves the
district) see its next meeting's roles and the team's role history; only those who
record for the team (its members and the principal) set roles. Everyone else gets 404.
"""

from leadhub.core.tests.matrix import Row, expect, only, rows

ILT_READERS = [
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "district_leader",
    "hub_director",
    "hub_coach",
]
ILT_RECORDERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
NETWORK_READERS = ["principal", "outsider", "network_facilitator", "hub_director"]

ROWS: list[Row] = [
    *rows(
        "meetings:meeting_roles",
        args=lambda w: [w.objects["next_meeting"].pk],
        get=only(ILT_READERS, 200),
        # An empty form is refused at the form (400) for those who may record; readers
        # who may not record get 403.
        post=only(ILT_RECORDERS, 400, district_leader=403, hub_director=403, hub_coach=403),
        put=expect(405),
        delete=expect(405),
    ),
    *rows(
        "meetings:role_history",
        args=lambda w: [w.objects["ilt"].pk],
        get=only(ILT_READERS, 200),
        post=expect(405),
        put=expect(405),
        delete=expect(405),
    ),
    # A network's session: readable by its members across districts and by its hub.
    *rows(
        "meetings:meeting_roles",
        args=lambda w: [w.objects["network_meeting"].pk],
        get=only(NETWORK_READERS, 200),
    ),
]
