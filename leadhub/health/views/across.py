"""Placeholder until this module is written (replaced by its author)."""

from django.http import HttpRequest, HttpResponse


def school_health(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def district_health(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def district_export(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def hub_health(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def hub_export(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError
