from __future__ import annotations

from django.tasks import task
from django.template.defaultfilters import pluralize

from leadhub.accounts.models import User
from leadhub.core.progress import tracked
from leadhub.orgs.models import District
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.services import district_profiles_carry_forward


@task
def carry_forward_profiles(progress_id: str, district_id: int, to_year: int) -> int:
    with tracked(progress_id) as (progress, report):
        created = district_profiles_carry_forward(
            district=District.objects.get(pk=district_id),
            to_year=to_year,
            actor=User.objects.filter(pk=progress.owner_id).first(),
            report=report,
        )
        label = school_year_label(to_year)
        progress.message = (
            f"{created} school{pluralize(created)} now {'has' if created == 1 else 'have'} "
            f"{label} characteristics to review."
            if created
            else f"Every school already had {label} characteristics."
        )
        progress.result_url = District.objects.get(pk=district_id).get_absolute_url()
    return created
