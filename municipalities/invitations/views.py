"""Invitations: the editor's page (invite, pending list, revoke, end a membership) and the
page the invitation link opens (choose a password)."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipalities.invitations import queries, services
from municipalities.invitations.forms import (
    AcceptInvitationForm,
    EndMembershipForm,
    InvitationForm,
)
from municipalities.invitations.permissions import (
    can_invite,
    get_invitation_for_editor,
    get_membership_for_editor,
    invitable_organisations,
)
from municipalities.site.decorators import staff_required
from municipalities.site.ratelimit import allow, client_address


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _editor_only(request):
    if not can_invite(request.user):
        raise PermissionDenied


@staff_required
def invitation_list(request):
    _editor_only(request)
    organisations = invitable_organisations(request.user)
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("En inbjudan har skickats till %(email)s.") % {"email": invitation.email},
            )
            return redirect("invitations:list")
    return render(
        request,
        "invitations/invitation_list.html",
        {
            "form": form,
            "pending": queries.pending_invitations_for(request.user, timezone.now()),
            "memberships": queries.memberships_managed_by(request.user),
        },
    )


@require_POST
@staff_required
def invitation_revoke(request, pk):
    _editor_only(request)
    invitation = get_invitation_for_editor(request.user, pk)
    try:
        services.revoke_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email}
        )
    return redirect("invitations:list")


@require_POST
@staff_required
def membership_end(request, pk):
    _editor_only(request)
    membership = get_membership_for_editor(request.user, pk)
    form = EndMembershipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.end_membership(membership, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s är inte längre medlem i %(organisation)s.")
            % {"user": membership.user, "organisation": membership.organisation},
        )
    return redirect("invitations:list")


def invitation_accept(request, token):
    if request.method == "POST" and not allow(
        "invitation", client_address(request), limit=20, window_seconds=3600
    ):
        return render(request, "invitations/invitation_invalid.html", {"limited": True}, status=429)
    invitation = services.usable_invitation(token)
    if invitation is None:
        return render(request, "invitations/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation, by=request.user, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Välkommen! Ditt konto är klart."))
            return redirect("staff:dashboard")
    return render(
        request,
        "invitations/invitation_accept.html",
        {"invitation": invitation, "form": form},
    )
