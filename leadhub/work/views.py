"""My work: one inbox of everything assigned to the signed-in person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from leadhub.work.forms import SourceFilterForm
from leadhub.work.selectors import work_inbox


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    inbox = work_inbox(request.user, today=timezone.localdate())
    form = SourceFilterForm(request.GET or None, labels=inbox.source_labels)
    source = form.cleaned_data["source"] if form.is_valid() else ""
    groups = inbox.grouped(source)
    return render(
        request,
        "work/inbox.html",
        {
            "inbox": inbox,
            "groups": groups,
            "shown": sum(len(group.items) for group in groups),
            "form": form,
            "source": source,
        },
    )
