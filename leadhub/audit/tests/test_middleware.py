"""Request ids, and the access layer's refusals recorded with them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from leadhub.audit.api import audited_exception_handler
from leadhub.audit.models import AuditEvent
from leadhub.audit.services import access_denial_record
from leadhub.core.access import forbidden, not_found

pytestmark = pytest.mark.django_db

PROXY_REQUEST_ID = "7f3c2a9e-5b1d-4c8e-9a2f-0d6b4e1c3a57"


def test_the_request_id_middleware_runs_early_and_before_the_audit_middleware() -> None:
    middleware = settings.MIDDLEWARE
    request_id = middleware.index("leadhub.audit.middleware.RequestIdMiddleware")
    assert middleware[request_id - 1] == "django.middleware.security.SecurityMiddleware"
    assert request_id < middleware.index("leadhub.audit.middleware.AuditAccessMiddleware")


def test_every_response_carries_a_fresh_request_id(client) -> None:
    first = client.get(reverse("account_login"))["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_a_valid_request_id_from_the_proxy_is_kept(client) -> None:
    response = client.get(reverse("account_login"), headers={"X-Request-ID": PROXY_REQUEST_ID})
    assert response["X-Request-ID"] == PROXY_REQUEST_ID


@pytest.mark.parametrize(
    "offered", ["short", "x" * 65, "<script>alert(1)</script>", "id with spaces", "-leading-dash"]
)
def test_an_unusable_request_id_is_replaced(client, offered: str) -> None:
    response = client.get(reverse("account_login"), headers={"X-Request-ID": offered})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_teacher_posting_a_change_they_may_not_make_is_recorded_as_denied(
    world, client_for
) -> None:
    teacher = world.people["teacher"]
    url = reverse("orgs:school_profile_edit", args=[world.school.pk, world.year])
    response = client_for("teacher").post(
        f"{url}?note=kept-out", {"enrollment": "5"}, headers={"X-Request-ID": PROXY_REQUEST_ID}
    )
    assert response.status_code == 403
    event = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)
    assert event.actor_id == teacher.pk
    assert event.actor_roles == "teacher"
    assert event.action == "access.change"
    assert event.object_type == "orgs:school_profile_edit"
    assert event.object_id == f"{world.school.pk}/{world.year}"
    assert event.path == url  # the path only: no query string
    assert event.request_id == PROXY_REQUEST_ID == response["X-Request-ID"]


def test_an_outsider_opening_another_districts_school_is_recorded_as_not_found(
    world, client_for
) -> None:
    url = reverse("orgs:school_detail", args=[world.school.pk])
    response = client_for("outsider").get(url)
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome=AuditEvent.Outcome.NOT_FOUND)
    assert event.actor_id == world.people["outsider"].pk
    assert event.actor_roles == "principal"
    assert event.action == "access.read"
    assert (event.object_type, event.object_id) == ("orgs:school_detail", str(world.school.pk))
    assert event.path == url
    assert event.request_id == response["X-Request-ID"]


def test_a_404_that_is_not_an_access_decision_is_not_recorded(world, client_for) -> None:
    assert client_for("teacher").get("/no-such-page/").status_code == 404
    assert not AuditEvent.objects.filter(outcome=AuditEvent.Outcome.NOT_FOUND).exists()


def test_only_the_access_layers_own_exceptions_count_as_denials(world) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user = world.people["teacher"]
    assert access_denial_record(request=request, exception=Http404()) is None
    assert access_denial_record(request=request, exception=PermissionDenied()) is None
    assert access_denial_record(request=request, exception=ValueError()) is None
    assert not AuditEvent.objects.exists()


class RefusingEndpoint(APIView):
    """An API view refused by the access layer, as LeadHub's API views are."""

    authentication_classes: list[type] = []
    permission_classes: list[type] = []

    def get_exception_handler(self):  # type: ignore[no-untyped-def]
        return audited_exception_handler

    def get(self, request):  # type: ignore[no-untyped-def]
        not_found()

    def post(self, request):  # type: ignore[no-untyped-def]
        forbidden("Not yours to change.")


def test_the_api_exception_handler_records_refusals_and_answers_as_drf_does(world) -> None:
    factory = APIRequestFactory()
    view = RefusingEndpoint.as_view()
    read = factory.get("/api/v1/refusing/")
    read.request_id = PROXY_REQUEST_ID
    assert view(read).status_code == 404
    change = view(factory.post("/api/v1/refusing/"))
    assert change.status_code == 403
    assert change.data == {"detail": "Not yours to change."}
    recorded = list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "path"))
    assert recorded == [
        ("access.read", "not_found", "/api/v1/refusing/"),
        ("access.change", "denied", "/api/v1/refusing/"),
    ]
    assert AuditEvent.objects.filter(request_id=PROXY_REQUEST_ID).count() == 1
