"""Targets in words, as a citizen reads them: "minst 30 trafikkontroller per år"."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promises.models import Activity, Cadence, TargetKind

CADENCE_PHRASES = {
    Cadence.PERIOD: gettext_lazy("under perioden"),
    Cadence.YEAR: gettext_lazy("per år"),
    Cadence.TERTIAL: gettext_lazy("per tertial"),
    Cadence.MONTH: gettext_lazy("per månad"),
    Cadence.WEEK: gettext_lazy("per vecka"),
    Cadence.DAY: gettext_lazy("per dygn"),
}


def long_date(day) -> str:
    """ "31 januari 2024"."""
    return date_format(day, "j F Y")


def target_text(activity: Activity) -> str:
    """The target of an activity in plain Swedish, never just a number."""
    if activity.target_kind == TargetKind.COUNT:
        quantity = activity.target_quantity
        return _("minst %(quantity)s %(unit)s %(cadence)s") % {
            "quantity": quantity,
            "unit": activity.unit_for(quantity),
            "cadence": CADENCE_PHRASES[activity.cadence],
        }
    if activity.target_kind == TargetKind.MILESTONE:
        if activity.due_on:
            return _("genomförs en gång, senast %(date)s") % {"date": long_date(activity.due_on)}
        return _("genomförs en gång under perioden")
    if activity.target_kind == TargetKind.ON_REQUEST:
        return _("genomförs när någon önskar det")
    return _("löpande arbete, följs upp i text")


def due_on_outside_period_message(period) -> str:
    """Why a milestone's due date was refused: it must lie inside the period."""
    return _("Datumet måste ligga inom perioden, %(start)s – %(end)s.") % {
        "start": long_date(period.starts_on),
        "end": long_date(period.ends_on),
    }
