"""Who may invite whom (DESIGN §7, issue 14).

An editor invites people to their own organisation, or to a partner organisation of a kommun
they edit for. They see, revoke and end exactly those organisations' invitations and members;
anything else is 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from municipalities.models import Invitation, Membership, Organisation, OrganisationKind, Role
from municipalities.permissions import covered_municipality_ids, memberships_of


def invitable_organisations(user):
    """Organisations the user may invite to and manage: see the module docstring."""
    if user.is_superuser:
        return Organisation.objects.all()
    own = [m.organisation_id for m in memberships_of(user) if m.role == Role.EDITOR]
    edited_kommuner = covered_municipality_ids(user, (Role.EDITOR,))
    return Organisation.objects.filter(
        Q(pk__in=own) | Q(kind=OrganisationKind.PARTNER, municipality_id__in=edited_kommuner)
    ).order_by("name")


def can_invite(user) -> bool:
    return user.is_superuser or any(m.role == Role.EDITOR for m in memberships_of(user))


def get_invitation_for_editor(user, pk) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        pk=pk,
        organisation__in=invitable_organisations(user),
    )


def get_membership_for_editor(user, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("organisation", "user"),
        pk=pk,
        organisation__in=invitable_organisations(user),
    )
