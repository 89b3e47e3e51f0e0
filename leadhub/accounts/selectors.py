from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Prefetch, QuerySet

from leadhub.accounts.models import DistrictSignIn, User
from leadhub.orgs.models import Membership


def with_current_roles(people: QuerySet[User]) -> QuerySet[User]:
    """People with their current memberships (and organizations) fetched in one more query."""
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related(
                "school", "district", "hub", "state"
            ),
            to_attr="current_memberships",
        )
    )


def memberships_of(person: User) -> QuerySet[Membership]:
    return person.memberships.select_related("school", "district", "hub", "state").order_by(
        "-start_date"
    )


def districts_offering_sign_in(search: str = "") -> QuerySet[DistrictSignIn]:
    """Districts whose single sign-on is on, searchable by district name."""
    sign_ins = DistrictSignIn.objects.filter(enabled=True).select_related("district", "social_app")
    for term in search.split()[:5]:
        sign_ins = sign_ins.filter(district__name__icontains=term)
    return sign_ins.order_by("district__name", "pk")


@dataclass(frozen=True)
class LinkedSignIn:
    account: SocialAccount
    sign_in: DistrictSignIn | None  # None when the district's sign-in was removed


@dataclass(frozen=True)
class SecurityOverview:
    has_authenticator_app: bool
    unused_recovery_codes: int
    linked: list[LinkedSignIn]
    linkable: list[DistrictSignIn]


def linked_sign_ins(accounts: list[SocialAccount]) -> list[LinkedSignIn]:
    """Each linked account with the district sign-in it came through, in one query."""
    sign_ins = DistrictSignIn.objects.filter(
        social_app__provider_id__in={a.provider for a in accounts}
    ).select_related("district", "social_app")
    by_provider = {s.social_app.provider_id: s for s in sign_ins}
    return [LinkedSignIn(account=a, sign_in=by_provider.get(a.provider)) for a in accounts]


def security_overview(person: User) -> SecurityOverview:
    """Two-factor status, linked district sign-ins, and the person's districts to link."""
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=person)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    accounts = list(SocialAccount.objects.filter(user=person).order_by("date_joined"))
    linked_providers = {a.provider for a in accounts}
    own_district_ids = set(
        Membership.objects.current()
        .filter(user=person, district_id__isnull=False)
        .values_list("district_id", flat=True)
    )
    linkable = (
        DistrictSignIn.objects.filter(enabled=True, district_id__in=own_district_ids)
        .exclude(social_app__provider_id__in=linked_providers)
        .select_related("district", "social_app")
        .order_by("district__name")
    )
    return SecurityOverview(
        has_authenticator_app=Authenticator.Type.TOTP in authenticators,
        unused_recovery_codes=len(recovery.wrap().get_unused_codes()) if recovery else 0,
        linked=linked_sign_ins(accounts),
        linkable=list(linkable),
    )
