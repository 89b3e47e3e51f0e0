"""Placeholder until this module is written (replaced by its author)."""

from django.http import HttpRequest, HttpResponse


def self_assessment(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError


def self_assessment_start(request: HttpRequest, pk: int = 0, indicator: str = "") -> HttpResponse:
    raise NotImplementedError
