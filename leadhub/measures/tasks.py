"""Background work for measures: computed values worked out again for a district."""

from __future__ import annotations

from django.tasks import task
from django.template.defaultfilters import pluralize
from django.urls import reverse

from leadhub.core.progress import tracked
from leadhub.measures.compute import computed_values_refresh


@task
def recompute_district(progress_id: str, district_id: int) -> int:
    with tracked(progress_id) as (progress, report):
        written = computed_values_refresh(district_id=district_id, report=report)
        progress.message = (
            f"{written:,} value{pluralize(written)} worked out from the assessment results."
            if written
            else "There were no assessment results to work values out from."
        )
        progress.result_url = reverse("measures:district", args=[district_id])
    return written
