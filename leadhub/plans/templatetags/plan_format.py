"""Filters for plan content kept as a snapshot, where dates are ISO strings."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def plan_day(value: object, fmt: str = "M j, Y") -> str:
    """``"2026-02-26"`` (or a date) as ``Feb 26, 2026``; empty for nothing."""
    if not value:
        return ""
    if isinstance(value, dt.date):
        return date_format(value, fmt)
    try:
        return date_format(dt.date.fromisoformat(str(value)), fmt)
    except ValueError:
        return str(value)
