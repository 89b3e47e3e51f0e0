"""Who may read each teams-and-meetings API endpoint.

The lists answer 200 to everyone signed in (each holds only what that person may see)
and 401 without credentials. One record answers as its page does: the ILT's records to
its school's staff, the district's leaders and the hub serving the district; confidential
ones only to the team's members and the principal (and an action item's owner); a
network's sessions to its members and its hub's managers. Everything else is 404, and
the API is read-only: other methods are 405 once signed in.
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
# The ILT's members (the teacher, the coach, the assistant principal) and the principal.
ILT_INNER = ["principal", "assistant_principal", "teacher", "instructional_coach"]
NETWORK_READERS = ["principal", "outsider", "network_facilitator", "hub_director"]

READ_ONLY = {m: expect(405, anonymous=401) for m in ("post", "put", "delete")}


def api(url_name: str, *, args=lambda w: [], get: dict, unsafe: bool = True) -> list[Row]:
    extra = READ_ONLY if unsafe else {}
    return rows(f"api:v1:{url_name}", args=args, get=get, **extra)


def detail(url_name: str, key: str, readers: list[str], *, unsafe: bool = False) -> list[Row]:
    return api(
        url_name,
        args=lambda w: [w.objects[key].pk],
        get=only(readers, 200, anonymous=401),
        unsafe=unsafe,
    )


ROWS: list[Row] = [
    *api("team-list", get=expect(200, anonymous=401)),
    *detail("team-detail", "ilt", ILT_READERS, unsafe=True),
    *detail("team-detail", "network", NETWORK_READERS),
    *api("meeting-list", get=expect(200, anonymous=401)),
    *detail("meeting-detail", "held_meeting", ILT_READERS, unsafe=True),
    *detail("meeting-detail", "grade5_draft_meeting", ILT_READERS),
    *detail("meeting-detail", "network_meeting", NETWORK_READERS),
    *api("agenda-item-list", get=expect(200, anonymous=401)),
    *detail("agenda-item-detail", "agenda_item", ILT_READERS, unsafe=True),
    *detail("agenda-item-detail", "confidential_item", ILT_INNER),
    *api("decision-list", get=expect(200, anonymous=401)),
    *detail("decision-detail", "decision", ILT_READERS, unsafe=True),
    *api("action-item-list", get=expect(200, anonymous=401)),
    *detail("action-item-detail", "action_item", ILT_READERS, unsafe=True),
    # The coach owns it and is on the ILT; the ILT's other members and the principal too.
    *detail("action-item-detail", "confidential_action", ILT_INNER),
]
