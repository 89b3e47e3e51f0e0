"""Who may open or change each survey page (the world school is Lincoln Elementary).

Setting up, sending and closing: Lincoln's principal and assistant principal and the
district's leader. Reading an administration, its results and the school's trends:
those, and the director and coach of the hub serving the district (403 when they try
to change anything). Answering: the invited teacher (others 404; signed out, a
sign-in). The emailed link needs no sign-in: the token is the credential, and it always
answers with a redirect to an address without the token. Everyone else: 404.
"""

from __future__ import annotations

from typing import Any

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

MANAGERS = ["principal", "assistant_principal", "district_leader"]
HUB_READERS = ["hub_director", "hub_coach"]
READERS = [*MANAGERS, *HUB_READERS]
MATRIX_TOKEN = "matrix-survey-token"


def _managers(status: int) -> dict[str, Any]:
    table = only(HUB_READERS, 403)
    for persona in MANAGERS:
        table[persona] = status
    return table


def _school(world: Any) -> list[Any]:
    return [world.school.pk]


def _draft(world: Any) -> list[Any]:
    from leadhub.surveys.models import AdministrationStatus
    from leadhub.surveys.tests.factories import AdministrationFactory, InvitationFactory, staff_at

    draft = AdministrationFactory(
        school=world.school, status=AdministrationStatus.DRAFT, sent_at=None
    )
    for user in staff_at(world.school, 5, prefix="matrix"):
        InvitationFactory(administration=draft, user=user, sent_at=None)
    return [draft.pk]


def _open(world: Any) -> list[Any]:
    from leadhub.surveys.tests.factories import AdministrationFactory, InvitationFactory

    administration = AdministrationFactory(school=world.school)
    InvitationFactory(administration=administration, user=world.people["teacher"])
    return [administration.pk]


def _token(world: Any) -> list[Any]:
    from leadhub.surveys.access import token_hash
    from leadhub.surveys.tests.factories import AdministrationFactory, InvitationFactory

    InvitationFactory(
        administration=AdministrationFactory(school=world.school),
        user=world.people["teacher"],
        token_hash=token_hash(MATRIX_TOKEN),
    )
    return [MATRIX_TOKEN]


NO_SIGN_IN_405 = {"put": expect(405, anonymous=405), "delete": expect(405, anonymous=405)}

ROWS: list[Row] = [
    *rows("surveys:list", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "surveys:create",
        args=_school,
        get=_managers(200),
        # Nothing filled in: the form comes back with its messages.
        post=_managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "surveys:item_add",
        args=_school,
        get=_managers(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "surveys:trends",
        args=_school,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "surveys:detail",
        args=_open,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "surveys:edit",
        args=_draft,
        get=_managers(200),
        post=_managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "surveys:send",
        args=_draft,
        post=_managers(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "surveys:close",
        args=_open,
        post=_managers(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "surveys:answer",
        args=_open,
        get=only(["teacher"], 200),
        # Nothing chosen: the page asks for at least one answer.
        post=only(["teacher"], 400),
        **NO_SIGN_IN_405,
    ),
    *rows(
        "surveys:link",
        args=_token,
        get=expect(302, anonymous=302),
        post=expect(405, anonymous=405),
        **NO_SIGN_IN_405,
    ),
    *rows(
        "surveys:link_not_valid",
        get=expect(200, anonymous=200),
        post=expect(405, anonymous=405),
        **NO_SIGN_IN_405,
    ),
]
