"""Permission rows for core pages and for the Django admin (state administrators only)."""

from __future__ import annotations

from typing import Any

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

ROWS: list[Row] = [
    *rows("core:home", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "core:task_detail",
        args=lambda w: [w.objects["progress"].pk],
        get=only(["principal"], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]


def _admin_args(world: Any, route: str) -> list[Any]:
    """Arguments for an admin URL: a real object where the route names one."""
    args: list[Any] = []
    if "<path:content_type_id>" in route:
        from django.contrib.contenttypes.models import ContentType

        args.append(ContentType.objects.get_for_model(world.school).pk)
    if "<path:object_id>" in route or "([^/]+)/history/([^/]+)" in route:
        args.append(world.school.pk)
    if "([^/]+)/history/([^/]+)" in route:
        args.append(1)
    if "app_label" in route:
        args.append("orgs")
    return args


# Every admin page: state administrators get in; everyone else is sent to the admin
# sign-in page (302), and anonymous people too.
ADMIN_EXPECT_GET = only(["state_admin"], (200, 302, 403, 404), others=302)
ADMIN_EXPECT_POST = only(["state_admin"], (200, 302, 400, 403, 404, 405), others=302)


def admin_rows(admin_patterns: list[tuple[str, str]]) -> list[Row]:
    built: list[Row] = []
    for name, route in admin_patterns:
        if name in {"admin:login", "admin:logout"}:
            continue
        built += rows(
            name,
            args=lambda w, route=route: _admin_args(w, route),
            get=ADMIN_EXPECT_GET,
            post=ADMIN_EXPECT_POST,
        )
    # Signed-in people without admin rights see the admin sign-in page, which says so.
    built += rows(
        "admin:login",
        get=expect(200, state_admin=302, anonymous=200),
        post=expect(200, anonymous=200),
    )
    built += rows("admin:logout", get=only(["state_admin"], 405, others=302), post=ADMIN_EXPECT_GET)
    return built
