from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from leadhub.orgs.models import Membership


class DistrictTimezoneMiddleware:
    """Show times in the zone of the person's district (the state's zone otherwise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone_name = None
        if user is not None and user.is_authenticated:
            zone_name = (
                Membership.objects.current()
                .filter(user=user, district__isnull=False)
                .order_by("start_date")
                .values_list("district__time_zone", flat=True)
                .first()
            )
        if zone_name:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        else:
            timezone.deactivate()
        return self.get_response(request)
