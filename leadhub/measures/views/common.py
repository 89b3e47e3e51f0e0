"""What the measures pages share: status codes for forms and service errors at fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from leadhub.lib.concurrency import ConflictReport


def form_status(request: HttpRequest, conflict: ConflictReport | bool | None = None) -> int:
    """200 for a form shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict else 400


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)
