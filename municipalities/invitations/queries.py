"""Reads for the invitations page: only the organisations the editor manages."""

from municipalities.invitations.permissions import invitable_organisations
from municipalities.models import Invitation, Membership


def pending_invitations_for(user, now):
    """Pending invitations to the organisations the user manages, newest first."""
    return (
        Invitation.objects.pending(now)
        .filter(organisation__in=invitable_organisations(user))
        .select_related("organisation", "invited_by")
    )


def memberships_managed_by(user):
    """Members of the organisations the user manages, by organisation and name."""
    return (
        Membership.objects.filter(organisation__in=invitable_organisations(user))
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__username")
    )
