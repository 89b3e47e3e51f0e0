from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership, Role, School


class PeopleFilter(django_filters.FilterSet):
    """Search and filters of the people directory, applied inside the viewer's scope."""

    q = django_filters.CharFilter(method="search", label="Search by name or email")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, method="with_role", label="Role", empty_label="Any role"
    )
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.none(), method="at_school", label="School", empty_label="Any school"
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args: object, schools: QuerySet[School], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(full_name__icontains=term)
                | Q(preferred_name__icontains=term)
                | Q(email__icontains=term)
            )
        return queryset

    def with_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        holders = Membership.objects.current().filter(role=value).values("user_id")
        return queryset.filter(pk__in=holders)

    def at_school(self, queryset: QuerySet[User], name: str, value: School) -> QuerySet[User]:
        staff = Membership.objects.current().filter(school=value).values("user_id")
        return queryset.filter(pk__in=staff)
