"""Background tasks of the invitations: the invitation mail and the daily expiry."""

from datetime import datetime

from django.tasks import task
from django.urls import reverse

from municipalities.invitations import services
from municipalities.models import Invitation
from municipalities.site.mail import absolute_url, build_message, send_once
from municipalities.site.tasks import retried


@task
@retried
def send_invitation(invitation_pk: int) -> bool:
    """Mail the invitation link; nothing if it was revoked, accepted or deleted meanwhile."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_pk, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    inviter = invitation.invited_by
    message = build_message(
        "invitation",
        {
            "invitation": invitation,
            "inviter_name": inviter.get_full_name() or inviter.get_username(),
            "accept_url": absolute_url(reverse("invitations:accept", args=[invitation.token])),
        },
        to=[invitation.email],
        reply_to=inviter.email or None,
    )
    return send_once(f"invitation:{invitation.pk}", message)


@task
@retried
def expire_invitations(slot: str) -> int:
    """Scheduled daily: remove invitations that expired unanswered."""
    return services.expire_invitations(now=datetime.fromisoformat(slot))
