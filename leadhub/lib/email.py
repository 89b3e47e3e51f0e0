"""Email: every message is a subject / text / HTML trio of templates.

``send_templated_email(template="invitations/email/invite", …)`` renders
``<template>_subject.txt``, ``<template>_body.txt`` and ``<template>_body.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}_body.txt", context)
    html = render_to_string(f"{template}_body.html", context)
    return subject, text, html


def send_templated_email(
    *, template: str, to: Sequence[str], context: dict[str, Any], reply_to: Sequence[str] = ()
) -> None:
    subject, text, html = render_email(template, {"site_url": settings.SITE_URL, **context})
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
    )
    message.attach_alternative(html, "text/html")
    message.send()
