"""Placeholder until this module is written (replaced by its author)."""

from django.http import HttpRequest, HttpResponse


def standards_edit(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError
