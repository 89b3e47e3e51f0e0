"""Writes to people. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from leadhub.accounts.models import DistrictSignIn, User
from leadhub.audit.services import audit_record
from leadhub.orgs.models import District, Membership


@transaction.atomic
def person_deactivate(*, person: User) -> None:
    """A leaver cannot sign in again; their roles end as of yesterday; their name stays.

    Roles that had not begun yet never took effect and are removed. A person holds
    a handful of memberships, so each is saved on its own to keep its history row.
    """
    last_day = timezone.localdate() - dt.timedelta(days=1)
    for membership in Membership.objects.filter(user=person).exclude(end_date__lte=last_day):
        if membership.start_date > last_day:
            membership.delete()
        else:
            membership.end_date = last_day
            membership.save(update_fields=["end_date"])
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])


def _sign_in_app_name(district: District) -> str:
    """allauth shows this name on its pages, and keeps at most 40 characters of it."""
    name = f"{district.name} sign-in"
    return name if len(name) <= 40 else f"{district.name[:31].rstrip()}… sign-in"


@transaction.atomic
def district_sign_in_save(
    *,
    district: District,
    provider_kind: str,
    issuer_url: str,
    client_id: str,
    client_secret: str,
    enabled: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> DistrictSignIn:
    """Create or change a district's single sign-on; an empty secret keeps the saved one.

    A subject identifier is only unique within its issuer, so a new issuer unlinks everyone
    who linked the old one: otherwise whoever runs the new issuer could sign in as them.
    The secret lives only on the SocialApp; audit rows name the record, never its values.
    """
    sign_in = (
        DistrictSignIn.objects.select_for_update()
        .select_related("social_app")
        .filter(district=district)
        .first()
    )
    provider_id = DistrictSignIn.provider_id_for(district.pk)
    values = {
        "provider_kind": provider_kind,
        "issuer_url": issuer_url,
        "client_id": client_id,
        "enabled": enabled,
    }
    if sign_in is None:
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=provider_id,
            name=_sign_in_app_name(district),
            client_id=client_id,
            secret=client_secret,
            settings={"server_url": issuer_url},
        )
        sign_in = DistrictSignIn.objects.create(district=district, social_app=app, **values)
        audit_record(
            action="sso.settings_created",
            actor=actor,
            object_type="district_sign_in",
            object_id=sign_in.pk,
            district_id=district.pk,
            request=request,
        )
        return sign_in

    changed = [name for name, value in values.items() if getattr(sign_in, name) != value]
    app = sign_in.social_app
    issuer_changed = "issuer_url" in changed
    replace_secret = bool(client_secret) and client_secret != app.secret
    if changed:
        for name in changed:
            setattr(sign_in, name, values[name])
        sign_in.save(update_fields=[*changed, "updated_at"])
    if changed or replace_secret:
        app.client_id = client_id
        app.settings = {**app.settings, "server_url": issuer_url}
        app.name = _sign_in_app_name(district)
        if replace_secret:
            app.secret = client_secret
        app.save(update_fields=["client_id", "settings", "name", "secret"])
        audit_record(
            action="sso.settings_changed",
            actor=actor,
            object_type="district_sign_in",
            object_id=sign_in.pk,
            district_id=district.pk,
            request=request,
        )
    if replace_secret:
        audit_record(
            action="sso.secret_replaced",
            actor=actor,
            object_type="district_sign_in",
            object_id=sign_in.pk,
            district_id=district.pk,
            request=request,
        )
    if issuer_changed:
        SocialAccount.objects.filter(provider=provider_id).delete()
        audit_record(
            action="sso.links_removed",
            actor=actor,
            object_type="district_sign_in",
            object_id=sign_in.pk,
            district_id=district.pk,
            request=request,
        )
    return sign_in
