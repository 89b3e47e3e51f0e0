"""Who may see people, and the sign-in pages (django-allauth) every persona meets.

The shared world gives the personas whose role requires two-factor sign-in (state and hub
roles) an authenticator app (``factories.give_totp``), so they reach pages as they would
once set up; allauth's two-factor pages then answer them differently from everyone else.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, Status, expect, not_allowed_methods, only, rows

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


# Personas with an authenticator app in the shared world: the state and hub roles.
TWO_FACTOR_PERSONAS = (
    "state_admin",
    "evaluator",
    "hub_director",
    "hub_coach",
    "network_facilitator",
)


def by_authenticator(with_app: Status, without_app: Status, anonymous: Status = 302) -> dict:
    """Signed-in people with an authenticator app get ``with_app``, the others ``without_app``."""
    return expect(without_app, anonymous=anonymous, **dict.fromkeys(TWO_FACTOR_PERSONAS, with_app))


def all_methods(signed_in: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return dict.fromkeys(("get", "post", "put", "delete"), signed_in)


ROWS += [
    # Two-factor sign-in (allauth.mfa). The index is everyone's; the second sign-in step
    # only exists in the middle of a sign-in, so outside one it sends people back.
    *allauth("mfa_index", get=(200, 302), post=(405, 302), put=(405, 302), delete=(405, 302)),
    *allauth("mfa_authenticate", **all_methods((302, 302))),
    # Confirming with a code is for people who have an app; the others confirm by password.
    *rows(
        "mfa_reauthenticate",
        get=by_authenticator(200, 302),
        post=by_authenticator(200, 302),
        put=by_authenticator(200, 302),
        delete=by_authenticator(405, 302),
    ),
    # Setting up asks for the password first; with an app already set up it sends people
    # on to the page that turns it off.
    *allauth("mfa_activate_totp", **all_methods((302, 302))),
    # Turning off, and the recovery codes, ask for the password first; without an app
    # there is nothing to turn off or show (404).
    *rows(
        "mfa_deactivate_totp",
        get=by_authenticator(302, 404),
        post=by_authenticator(302, 404),
        put=by_authenticator(302, 404),
        delete=by_authenticator(302, 404),
    ),
    *rows(
        "mfa_view_recovery_codes",
        get=by_authenticator(302, 404),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *allauth("mfa_generate_recovery_codes", **all_methods((302, 302))),
    *rows(
        "mfa_download_recovery_codes",
        get=by_authenticator(302, 404),
        post=by_authenticator(302, 404),
        put=by_authenticator(302, 404),
        delete=by_authenticator(302, 404),
    ),
    # District sign-in (allauth.socialaccount with OpenID Connect).
    *allauth(
        "socialaccount_login_cancelled",
        get=(200, 200),
        post=(405, 405),
        put=(405, 405),
        delete=(405, 405),
    ),
    *allauth(
        "socialaccount_login_error",
        get=(401, 401),
        post=(405, 405),
        put=(405, 405),
        delete=(405, 405),
    ),
    # Sign-up through a provider never happens: with no sign-up pending it sends people on.
    *allauth("socialaccount_signup", **all_methods((302, 302))),
    *allauth(
        "socialaccount_connections",
        get=(200, 302),
        post=(200, 302),
        put=(200, 302),
        delete=(405, 302),
    ),
    # No district sign-in has this provider ID, so there is no provider to start (404).
    *allauth(
        "openid_connect_login",
        args=["district-0"],
        **all_methods((404, 404)),
    ),
    *allauth(
        "openid_connect_callback",
        args=["district-0"],
        **all_methods((404, 404)),
    ),
    # LeadHub's own pages.
    *rows(
        "accounts:security",
        get=expect(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *allauth("sso:choose", get=(200, 200), post=(405, 405), put=(405, 405), delete=(405, 405)),
    # The world's district: its leader and state administrators set its sign-in; others
    # who can see the district are refused (403); the outsider cannot see it (404). An
    # empty form is refused with field errors (400).
    *rows(
        "sso:district_settings",
        args=lambda w: [w.district.pk],
        get=only(["state_admin", "district_leader"], 200, others=403, outsider=404),
        post=only(["state_admin", "district_leader"], 400, others=403, outsider=404),
        **not_allowed_methods("put", "delete"),
    ),
]
