"""Answering a survey: the emailed link and the answer page.

The emailed link ``/surveys/r/<token>/`` never renders a page. It looks the token up,
notes the invitation in the session and redirects to ``/surveys/<id>/answer/``, an
address without the token; an unknown token redirects to a page that says so. So the
token never appears in the address bar of a page, in a Referer header, in an audit row
(the audit records refused requests with their paths, and this view refuses nothing),
or in Django's request log (``django.request`` logs 4xx and 5xx answers, never
redirects). A web server's access log (the development server's too) may still keep
the address; the token stops working once the answers are in, and with the window.

Signed-in recipients can also answer from "My work", at the same clean address.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from leadhub.core.access import not_found
from leadhub.surveys import access, selectors, services
from leadhub.surveys.forms import AnswerForm
from leadhub.surveys.models import Invitation
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.surveys.services import AnswerRefused, Refusal


@never_cache
@require_GET
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = access.invitation_get_by_token(token)
    if invitation is None:
        return redirect("surveys:link_not_valid")
    access.link_remember(request.session, invitation)
    return redirect("surveys:answer", pk=invitation.administration_id)


@never_cache
@require_GET
def link_not_valid(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/link_not_valid.html")


def _refused(
    request: HttpRequest, invitation: Invitation, refusal: Refusal, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/answer_unavailable.html",
        {
            "administration": invitation.administration,
            "refusal": refusal.value,
            "minimum": MINIMUM_ANSWERS,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET" and request.session.get(access.SESSION_JUST_ANSWERED) == pk:
        del request.session[access.SESSION_JUST_ANSWERED]
        return render(request, "surveys/answer_thanks.html", {"minimum": MINIMUM_ANSWERS})
    invitation = access.answering_invitation(request.user, request.session, pk)
    if invitation is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        not_found()
    now = timezone.now()
    refusal = services.answer_refusal(invitation, now=now)
    if refusal is not None:
        return _refused(
            request, invitation, refusal, status=409 if request.method == "POST" else 200
        )
    items = selectors.survey_items(invitation.administration)
    form = AnswerForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation=invitation, values=form.values(), now=now)
        except AnswerRefused as error:
            return _refused(request, invitation, error.refusal, status=409)
        access.link_forget(request.session, pk)
        request.session[access.SESSION_JUST_ANSWERED] = pk
        return redirect("surveys:answer", pk=pk)
    return render(
        request,
        "surveys/answer.html",
        {
            "administration": invitation.administration,
            "form": form,
            "minimum": MINIMUM_ANSWERS,
        },
        status=400 if request.method == "POST" else 200,
    )
