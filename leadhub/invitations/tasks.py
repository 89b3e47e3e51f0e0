from __future__ import annotations

from django.tasks import task

from leadhub.invitations.services import invitation_send


@task
def send_invitation_emails(invitation_ids: list[int]) -> int:
    """Email each invitation still pending; each one commits on its own."""
    return sum(invitation_send(invitation_id=pk) for pk in invitation_ids)
