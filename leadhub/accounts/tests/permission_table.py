"""Who may see people, and the sign-in pages (django-allauth) every persona meets."""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

ROWS: list[Row] = [
    *rows(
        "accounts:people_directory",
        get=expect(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    # A teacher at the world's school: seen by those whose scope reaches that school.
    *rows(
        "accounts:person_detail",
        args=lambda w: [w.people["teacher"].public_id],
        get=only(
            [
                "state_admin",
                "hub_director",
                "hub_coach",
                "network_facilitator",
                "district_leader",
                "principal",
                "assistant_principal",
                "teacher",
                "instructional_coach",
            ],
            200,
        ),
        **not_allowed_methods("post", "put", "delete"),
    ),
]


def allauth(name: str, args: list[str] | None = None, **methods: tuple[int, int]) -> list[Row]:
    """A sign-in page: (signed-in status, anonymous status) per method; roles play no part."""
    return rows(
        name,
        args=lambda w: list(args or []),
        **{m: expect(signed_in, anonymous=anon) for m, (signed_in, anon) in methods.items()},
    )


ROWS += [
    # Signed-in people are sent on from the sign-in and sign-up pages.
    *allauth("account_login", get=(302, 200), post=(302, 200), put=(200, 200), delete=(200, 405)),
    *allauth("account_signup", get=(302, 200), post=(302, 200), put=(200, 200), delete=(200, 200)),
    *allauth("account_logout", get=(200, 302), post=(302, 302), put=(405, 405), delete=(405, 405)),
    *allauth(
        "account_inactive", get=(200, 200), post=(405, 405), put=(405, 405), delete=(405, 405)
    ),
    *allauth(
        "account_reauthenticate", get=(200, 302), post=(200, 302), put=(200, 302), delete=(405, 302)
    ),
    *allauth("account_email", get=(200, 302), post=(302, 302), put=(200, 302), delete=(405, 302)),
    *allauth(
        "account_email_verification_sent",
        get=(200, 200),
        post=(405, 405),
        put=(405, 405),
        delete=(405, 405),
    ),
    *allauth(
        "account_change_password",
        get=(200, 302),
        post=(200, 302),
        put=(200, 302),
        delete=(405, 302),
    ),
    # Everyone in LeadHub has a password or signs in through their district; the
    # set-password page sends them on.
    *allauth(
        "account_set_password", get=(302, 302), post=(302, 302), put=(302, 302), delete=(302, 302)
    ),
    *allauth(
        "account_reset_password", get=(200, 200), post=(200, 200), put=(200, 200), delete=(405, 405)
    ),
    *allauth(
        "account_reset_password_done",
        get=(200, 200),
        post=(405, 405),
        put=(405, 405),
        delete=(405, 405),
    ),
    *allauth(
        "account_reset_password_from_key",
        args=["1", "not-a-real-key"],
        get=(200, 200),
        post=(200, 200),
        put=(200, 200),
        delete=(200, 200),
    ),
    *allauth(
        "account_reset_password_from_key_done",
        get=(200, 200),
        post=(405, 405),
        put=(405, 405),
        delete=(405, 405),
    ),
    # Sign-in codes are off: the page sends everyone back.
    *allauth(
        "account_confirm_login_code",
        get=(302, 302),
        post=(302, 302),
        put=(302, 302),
        delete=(302, 302),
    ),
    *allauth(
        "account_confirm_email",
        args=["not-a-real-key"],
        get=(200, 200),
        post=(404, 404),
        put=(405, 405),
        delete=(405, 405),
    ),
]
