"""Placeholder until this module is written (replaced by its author)."""

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def team_health(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def evidence(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError
