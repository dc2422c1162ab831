"""Reads of promise data for the staff area, permission-aware.

Staff see the periods of the kommuner their organisations cover, in every status; superusers
see all of them.
"""

from django.db.models import Prefetch

from municipalities.models import Municipality
from promises.models import Activity, Amendment, Promise, PromisePeriod


def staff_periods(scope):
    """Periods the user (its ``StaffScope``) may see in the staff area, by kommun, newest
    first: those of the kommuner its organisations cover, all of them for a superuser."""
    periods = PromisePeriod.objects.select_related("municipality").order_by(
        "municipality__name", "-starts_on"
    )
    if scope.is_superuser:
        return periods
    return periods.filter(municipality_id__in=scope.covered_municipality_ids)


def editable_municipalities(scope):
    """Kommuner whose periods the user may create and edit: those it is an editor for, every
    kommun for a superuser. By name."""
    if scope.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=scope.editable_municipality_ids).order_by("name")


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
            "documents",
            Prefetch(
                "amendments",
                queryset=Amendment.objects.order_by("-number").prefetch_related("changes"),
            ),
        )
        .get(pk=pk)
    )
