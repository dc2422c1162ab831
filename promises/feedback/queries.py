"""Reads of the feedback inbox: only kommuner the user edits for (others never see it)."""

from municipalities.models import Municipality
from municipalities.permissions import as_scope
from promises.models import Feedback, PeriodStatus, PromisePeriod


def inbox_municipalities(user):
    """Kommuner whose messages the user reads: those they edit for (all for superusers)."""
    if user.is_superuser:
        return Municipality.objects.filter(feedback__isnull=False).distinct()
    return Municipality.objects.filter(pk__in=as_scope(user).editable_municipality_ids)


def inbox_for(user):
    """The messages of the user's kommuner, newest first, with their theme and source."""
    return (
        Feedback.objects.filter(municipality__in=inbox_municipalities(user))
        .select_related("municipality", "theme", "source__period")
        .order_by("-received_at")
    )


def draft_periods_for(user):
    """Draft periods (their lägesbild is still open) of the kommuner the user edits for."""
    return (
        PromisePeriod.objects.filter(
            municipality__in=inbox_municipalities(user), status=PeriodStatus.DRAFT
        )
        .select_related("municipality")
        .order_by("municipality__name", "-starts_on")
    )
