"""Invitations and memberships: every write of the invitations package.

Each service is one transaction; mail goes out through a task enqueued after commit.
"""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.invitations.permissions import invitable_organisations
from municipalities.models import Invitation, Membership
from municipalities.site.tasks import enqueue_after_commit

INVITATION_VALIDITY = timedelta(days=7)


@transaction.atomic
def invite(*, by, email, organisation, role, now=None) -> Invitation:
    """Invite ``email`` to ``organisation`` with ``role``; the link is valid for 7 days.

    Side effects: an Invitation row (an earlier pending invitation of the same address to the
    same organisation is revoked), and after commit a task that mails the link.
    Raises ValidationError when ``by`` may not invite there or the person is already a member.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    if not invitable_organisations(by).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Du kan inte bjuda in till den organisationen.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Personen är redan medlem i organisationen.")})
    Invitation.objects.pending(now).filter(email=email, organisation=organisation).update(
        revoked_at=now, revoked_by=by
    )
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    from municipalities.invitations.tasks import send_invitation

    enqueue_after_commit(send_invitation, invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(invitation, *, by, now=None) -> Invitation:
    """Revoke a pending invitation; its link stops working. Side effects: sets revoked_*."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("Inbjudan är redan besvarad eller återkallad."))
    invitation.revoked_at = now
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def usable_invitation(token, now=None) -> Invitation | None:
    """The invitation a link's token names, if it is still pending; None otherwise."""
    now = now or timezone.now()
    return (
        Invitation.objects.pending(now).select_related("organisation").filter(token=token).first()
    )


@transaction.atomic
def accept_invitation(invitation, *, by, password, now=None):
    """Accept: the person gets an account (or their existing one, found by the address), the
    password they chose and a membership with the invited role. Returns the user.

    ``by`` is whoever follows the link (anonymous until now). Side effects: a user is created
    or its password set, a Membership is created (or its role raised to the invited one), the
    invitation is marked accepted. Raises ValidationError when the link is no longer valid.
    """
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= now:
        raise ValidationError(_("Länken gäller inte längre. Be om en ny inbjudan."))
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).order_by("pk").first()
    if user is None:
        user = User(username=invitation.email[:150], email=invitation.email)
    user.set_password(password)
    user.is_active = True
    user.save()
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    # The history says who gave the role: the editor who sent the invitation (issue 12).
    if membership is None or membership.role != invitation.role:
        membership = membership or Membership(user=user, organisation=invitation.organisation)
        membership.role = invitation.role
        membership._history_user = invitation.invited_by
        membership._change_reason = _("Inbjudan accepterad.")
        membership.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def end_membership(membership, *, by, reason=""):
    """End a membership: the person loses access to the organisation's staff pages.

    Side effects: the Membership row is deleted; its history keeps who ended it and why.
    Raises ValidationError when ``by`` would end their own membership.
    """
    if membership.user_id == by.pk:
        raise ValidationError(_("Du kan inte avsluta ditt eget medlemskap."))
    membership._history_user = by
    membership._change_reason = reason or _("Medlemskapet avslutades.")
    membership.delete()


@transaction.atomic
def expire_invitations(*, by=None, now=None) -> int:
    """Delete invitations that were never accepted and have expired (the schedule runs this
    daily), so an address nobody answered for is not kept.

    Side effects: deletes rows. Returns how many.
    """
    now = now or timezone.now()
    deleted, _counts = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lte=now
    ).delete()
    return deleted
