"""Template context for every page."""

from django.conf import settings


def contact(request):
    """The operator's contact address (accessibility feedback, questions about the portal)."""
    return {"contact_email": settings.CONTACT_EMAIL}
