"""The API's pages: the documentation read from the schema, and each person's API key."""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.authtoken.models import Token

from leadhub.accounts.models import User
from leadhub.api import services
from leadhub.api.forms import TokenActionForm
from leadhub.api.schema_docs import OperationDoc, api_schema, operations


@cache
def documented_operations() -> tuple[dict[str, str], list[OperationDoc]]:
    """The schema changes only with the code, so it is read once per process."""
    schema = api_schema()
    return schema["info"], operations(schema)


@login_required
@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    info, documented = documented_operations()
    return render(request, "api/docs.html", {"info": info, "operations": documented})


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Create (the key is shown this once) or revoke the signed-in person's own API key."""
    person: User = request.user  # type: ignore[assignment]
    form = TokenActionForm(request.POST) if request.method == "POST" else TokenActionForm()
    new_key = ""
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif form.cleaned_data["action"] == "revoke":
            if services.token_revoke(person=person, request=request):
                messages.success(
                    request, "Your API key is revoked. Programs using it stop working."
                )
            else:
                messages.info(request, "You had no API key to revoke.")
            return redirect("api:tokens")
        else:
            try:
                new_key = services.token_create(person=person, request=request).key
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
    return render(
        request,
        "api/tokens.html",
        {"form": form, "token": Token.objects.filter(user=person).first(), "new_key": new_key},
        status=status,
    )
