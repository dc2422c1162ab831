"""Who may invite whom (DESIGN §7, issue 14).

An editor invites people to their own organisation, or to a partner organisation of a kommun
they edit for. They see, revoke and end exactly those organisations' invitations and members;
anything else is 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from municipalities.models import Invitation, Membership, Organisation, OrganisationKind, Role
from municipalities.permissions import as_scope


def invitable_organisations(user):
    """Organisations the user may invite to and manage: see the module docstring."""
    scope = as_scope(user)
    if scope.is_superuser:
        return Organisation.objects.all()
    own = [organisation for organisation, role in scope.roles.items() if role == Role.EDITOR]
    edited_kommuner = scope.editable_municipality_ids
    return Organisation.objects.filter(
        Q(pk__in=own) | Q(kind=OrganisationKind.PARTNER, municipality_id__in=edited_kommuner)
    ).order_by("name")


def can_invite(user) -> bool:
    scope = as_scope(user)
    return scope.is_superuser or Role.EDITOR in scope.roles.values()


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
