"""Who may onboard a text: editors of the kommun (DESIGN §7), by the one rule in
municipalities.permissions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipalities.models import Municipality
from municipalities.permissions import can_edit_municipality, can_view_municipality


def editable_municipalities(user):
    """Kommuner whose periods the user may create, by name. Reads the kommuner once; the rule
    itself is answered from the user's memberships, worked out once per request."""
    editable = [m.pk for m in Municipality.objects.all() if can_edit_municipality(user, m)]
    return Municipality.objects.filter(pk__in=editable).order_by("name")


def get_municipality_for_editor(request, pk) -> Municipality:
    """The kommun if the user may edit it; 404 when the user may not see it, 403 when read-only."""
    municipality = get_object_or_404(Municipality, pk=pk)
    if not can_view_municipality(request.user, municipality):
        raise Http404
    if not can_edit_municipality(request.user, municipality):
        raise PermissionDenied
    return municipality
