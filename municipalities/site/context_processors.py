"""Template context for every page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from municipalities.permissions import request_scope


def contact(request):
    """The operator's contact address (accessibility feedback, questions about the portal)."""
    return {"contact_email": settings.CONTACT_EMAIL}


def staff_scope(request):
    """``staff_scope``: what the signed-in user may do, for showing only the links a role can
    use. Lazy: worked out (one query, shared with the view's own checks) only when a template
    reads it, so public pages pay nothing."""
    return {"staff_scope": SimpleLazyObject(lambda: request_scope(request))}
