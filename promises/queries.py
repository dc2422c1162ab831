"""Reads of promise data for the staff area, permission-aware.

Staff see the periods of the kommuner their organisations cover, in every status; superusers
see all of them.
"""

from django.db.models import Prefetch

from municipalities.permissions import covered_municipality_ids
from promises.models import Activity, Promise, PromisePeriod


def staff_periods(user):
    """Periods the user may see in the staff area, by kommun, newest first."""
    periods = PromisePeriod.objects.select_related("municipality").order_by(
        "municipality__name", "-starts_on"
    )
    if user.is_superuser:
        return periods
    return periods.filter(municipality_id__in=covered_municipality_ids(user))


def period_for_editing(pk):
    """One period with everything its staff page lists, in a fixed number of queries."""
    activities = Activity.objects.select_related("promise").prefetch_related(
        "responsible_organisations"
    )
    return (
        PromisePeriod.objects.select_related(
            "municipality", "police_area", "previous_period", "next_period"
        )
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.select_related("theme")),
            Prefetch("activities", queryset=activities),
            "signatories__organisation",
            "sources",
            "partners",
        )
        .get(pk=pk)
    )
