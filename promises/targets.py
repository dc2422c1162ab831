"""Targets in words, as a citizen reads them: "minst 30 trafikkontroller per år"."""

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
        return _("genomförs en gång under perioden")
    if activity.target_kind == TargetKind.ON_REQUEST:
        return _("genomförs när någon önskar det")
    return _("löpande arbete, följs upp i text")
