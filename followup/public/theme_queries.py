"""The theme pages: a theme's promises across kommuner, one page of kommuner at a time, and its
totals for the whole theme."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone

from followup.models import ActivityYearTotal
from municipalities.models import Municipality
from promises.models import (
    Promise,
    PromisePeriod,
    Theme,
)

# --- A theme -----------------------------------------------------------------------------------


@dataclass
class ThemePromise:
    """A promise on a theme as the theme page lists it: its title and its period's."""

    title: str
    period_title: str
    period_slug: str
    period_is_demo: bool
    municipality_id: int
    municipality_slug: str
    period_url: str = ""


def theme_promises(theme, *, municipalities=None) -> list[ThemePromise]:
    """Published promises on a theme, by kommun, newest period first.

    ``municipalities`` (kommun ids, e.g. one page of ``theme_municipalities``) keeps only theirs.
    Each comes as plain values (``ThemePromise``: what the theme page shows and links to), not as
    model instances: a page lists about fifty.
    """
    promises = Promise.objects.public().filter(theme=theme)
    if municipalities is not None:
        promises = promises.filter(period__municipality__in=list(municipalities))
    rows = promises.order_by(
        "period__municipality__name", "-period__starts_on", "position"
    ).values_list(
        "title",
        "period__title",
        "period__slug",
        "period__is_demo",
        "period__municipality_id",
        "period__municipality__slug",
    )
    return [ThemePromise(*row) for row in rows]


def theme_totals(theme, *, today: date | None = None) -> list[dict]:
    """This year's counted work on a theme nationally, per unit ("412 trafikkontroller"):
    ``{"activity__unit_plural", "activity__unit_singular", "quantity", "events"}`` by largest
    quantity. The public sums, read from the activities' yearly totals
    (``ActivityYearTotal.objects.public_sums_by``); activities without a unit (ongoing work,
    milestones, on request) are summed under an empty unit.
    """
    today = today or timezone.localdate()
    return ActivityYearTotal.objects.public_sums_by(
        ("activity__unit_plural", "activity__unit_singular"),
        today.year,
        today,
        activity__promise__theme=theme,
    )


def themes():
    return Theme.objects.all()


# --- The theme page, one page of kommuner at a time (issue 17) ---------------------------------


def _theme_periods(theme):
    return PromisePeriod.objects.public().filter(promises__theme=theme)


@dataclass(frozen=True)
class ThemeCounts:
    municipalities: int
    active: int


def theme_counts(theme, *, today: date | None = None) -> ThemeCounts:
    """How many kommuner have published promises on the theme, and how many of them have one in
    force today (a period covering the day). One aggregate query, whatever the page shown."""
    today = today or timezone.localdate()
    in_force = Q(starts_on__lte=today, ends_on__gte=today)
    counts = _theme_periods(theme).aggregate(
        municipalities=Count("municipality", distinct=True),
        active=Count("municipality", distinct=True, filter=in_force),
    )
    return ThemeCounts(counts["municipalities"], counts["active"])


def theme_municipalities(theme, *, today: date | None = None):
    """Kommuner with published promises on the theme, by name, for the theme page's list (to be
    paginated). Each is annotated ``active``: one of those promises belongs to a period in force
    today. Public data only."""
    today = today or timezone.localdate()
    periods = _theme_periods(theme).filter(municipality=OuterRef("pk"))
    return (
        Municipality.objects.filter(Exists(periods))
        .annotate(active=Exists(periods.covering(today)))
        .only("id", "name", "slug")
        .order_by("name", "pk")
    )
