"""Who may invite staff, manage invitations, deactivate leavers and open an accept link.

Inviting: state administrators, district leaders and principals (the outsider is a
principal elsewhere, so they invite too); everyone else signed in gets 403. An
invitation, and a school's staff page, are in scope for those who read the school's
staff list: the ones who may not manage them get 403, everyone else 404. The accept
link needs no sign-in: the token is the credential.
"""

from __future__ import annotations

from typing import Any

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

INVITERS = ["state_admin", "district_leader", "principal", "outsider"]
MANAGERS = ["state_admin", "district_leader", "principal"]
# Read the world school's staff list, but may not change it.
STAFF_READERS = [
    "hub_director",
    "hub_coach",
    "network_facilitator",
    "assistant_principal",
    "teacher",
    "instructional_coach",
]


def _inviters(status: int) -> dict[str, Any]:
    return only(INVITERS, status, others=403)


def _managers(status: int) -> dict[str, Any]:
    table = only(STAFF_READERS, 403)
    for persona in MANAGERS:
        table[persona] = status
    return table


def _new_invitation(world: Any) -> Any:
    from leadhub.invitations.services import invitation_create

    return invitation_create(
        inviter=world.people["principal"],
        email="matrix.newcomer@world.test",
        full_name="Matrix Newcomer",
        role="teacher",
        district=world.district,
        school=world.school,
    )


def _teacher_invitation(world: Any) -> list[Any]:
    return [_new_invitation(world).pk]


def _accept_token(world: Any) -> list[Any]:
    from leadhub.invitations.services import invitation_token_issue

    return [invitation_token_issue(invitation=_new_invitation(world))]


ROWS: list[Row] = [
    *rows(
        "invitations:list",
        get=_inviters(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "invitations:create",
        get=_inviters(200),
        post=_inviters(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "invitations:bulk",
        get=_inviters(200),
        post=_inviters(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "invitations:resend",
        args=_teacher_invitation,
        post=_managers(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "invitations:revoke",
        args=_teacher_invitation,
        post=_managers(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    # Someone signed in with another address is told the invitation is not theirs.
    *rows(
        "invitations:accept",
        args=_accept_token,
        get=expect(403, anonymous=200),
        post=expect(403, anonymous=400),
        put=expect(405, anonymous=405),
        delete=expect(405, anonymous=405),
    ),
    *rows(
        "invitations:school_staff",
        args=lambda w: [w.school.pk],
        get=_managers(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "invitations:staff_deactivate",
        args=lambda w: [w.school.pk, w.people["teacher"].public_id],
        post=_managers(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
]
