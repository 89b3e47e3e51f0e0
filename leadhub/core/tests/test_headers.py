"""Security headers: the Content-Security-Policy and Django's headers on every response,
HTTPS hardening and cookies under the production settings, and ``no_store``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from leadhub.core.headers import no_store
from leadhub.core.tests.test_settings import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

PRODUCTION_HOST = PRODUCTION_ENV["ALLOWED_HOSTS"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("persona", ["anonymous", "principal"])
def test_pages_carry_the_strict_content_security_policy(client_for, persona: str) -> None:
    url = reverse("account_login") if persona == "anonymous" else reverse("core:home")
    response = client_for(persona).get(url)
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    directives = csp_directives(header)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "*" not in header


def test_pages_refuse_sniffing_framing_and_cross_site_referrers(client_for) -> None:
    response = client_for("teacher").get(reverse("core:home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_store_keeps_a_response_out_of_every_cache() -> None:
    @no_store
    def student_rows(request: Any) -> HttpResponse:
        response = HttpResponse("rows")
        response["Cache-Control"] = "max-age=600"
        return response

    response = student_rows(RequestFactory().get("/"))
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"
    assert student_rows.__name__ == "student_rows"


# Runs inside `manage.py shell` with the production settings: a fresh SQLite database,
# a real sign-in through allauth, and the real response headers and cookies.
PRODUCTION_PROBE = textwrap.dedent(
    """
    import json
    from django.apps import apps
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone
    from leadhub.accounts.models import User

    # Only what a header probe needs, quickly: tables straight from the models, a fast
    # password hash, and static files without the manifest that collectstatic writes.
    probe_settings = override_settings(
        MIGRATION_MODULES={config.label: None for config in apps.get_app_configs()},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    def cookies(response):
        return {name: dict(morsel) for name, morsel in response.cookies.items()}
    with probe_settings:
        call_command("migrate", run_syncdb=True, verbosity=0)
        call_command("createcachetable", verbosity=0)
        User.objects.create_user("headers@example.org", "a-long-probe-passphrase", full_name="P")
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        plain = client.get("/accounts/login/")
        proxied = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        page = client.get("/accounts/login/", secure=True)
        signed_in = client.post(
            "/accounts/login/",
            {"login": "headers@example.org", "password": "a-long-probe-passphrase"},
            secure=True,
        )
        session = Session.objects.get()
    print("PROBE " + json.dumps({
        "plain": [plain.status_code, plain.get("Location")],
        "proxied": proxied.status_code,
        "page": [page.status_code, dict(page.headers)],
        "page_cookies": cookies(page),
        "signed_in": [signed_in.status_code, signed_in.get("Location")],
        "sign_in_cookies": cookies(signed_in),
        "session_seconds": (session.expire_date - timezone.now()).total_seconds(),
    }))
    """
)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    var_dir: Path = tmp_path_factory.mktemp("production")
    env = {**PRODUCTION_ENV, "LEADHUB_VAR_DIR": str(var_dir), "STATIC_ROOT": str(var_dir)}
    result = run_manage("shell", "--no-imports", "-c", PRODUCTION_PROBE, extra_env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


def test_production_sends_plain_http_to_https(production) -> None:
    status, location = production["plain"]
    assert status == 301
    assert location == f"https://{PRODUCTION_HOST}/accounts/login/"
    # Behind the TLS proxy, its X-Forwarded-Proto header marks the request as HTTPS.
    assert production["proxied"] == 200


def test_production_pages_carry_hsts_and_the_csp(production) -> None:
    status, headers = production["page"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    directives = csp_directives(headers["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def assert_host_only_secure_cookie(cookie: dict[str, Any], *, http_only: bool) -> None:
    # The __Host- prefix obliges browsers to accept the cookie only when it is Secure,
    # for the whole site (Path=/) and for this host alone (no Domain).
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is http_only


def test_production_cookies_are_secure_and_host_only(production) -> None:
    csrf = production["page_cookies"]["__Host-csrftoken"]
    assert_host_only_secure_cookie(csrf, http_only=True)
    status, location = production["signed_in"]
    assert (status, location) == (302, "/")
    session = production["sign_in_cookies"]["__Host-sessionid"]
    assert_host_only_secure_cookie(session, http_only=True)
    assert not {"sessionid", "csrftoken"} & set(production["sign_in_cookies"])


def test_a_production_sign_in_lasts_ten_hours_and_ends_with_the_browser(production) -> None:
    session = production["sign_in_cookies"]["__Host-sessionid"]
    assert session["max-age"] == ""
    assert session["expires"] == ""
    assert 10 * 3600 - 60 < production["session_seconds"] <= 10 * 3600
