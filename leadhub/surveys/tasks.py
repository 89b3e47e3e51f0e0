from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from leadhub.core.progress import tracked
from leadhub.surveys.services import invitations_email, invitations_sent_message


@task
def send_survey_invitations(progress_id: str, administration_id: int) -> int:
    """Email each recipient of the administration their own single-use link."""
    with tracked(progress_id) as (progress, report):
        sent = invitations_email(administration_id=administration_id, report=report)
        progress.message = invitations_sent_message(sent)
        progress.result_url = reverse("surveys:detail", args=[administration_id])
    return sent
