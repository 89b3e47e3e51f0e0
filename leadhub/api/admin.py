"""API keys stay out of the Django admin: its token pages would show every key in full."""

from __future__ import annotations

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
