"""Template helpers for showing progress as text, never as colour alone."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from followup.progress import Status
from promises.targets import long_date, target_text

register = template.Library()


@register.filter
def target_in_words(activity):
    """{{ activity|target_in_words }} → "minst 30 trafikkontroller per år"."""
    return target_text(activity)


@register.filter
def unit_for(activity, quantity):
    """{{ activity|unit_for:13 }} → "trafikkontroller"."""
    return activity.unit_for(quantity)


@register.filter
def milestone_sentence(progress):
    """{{ progress|milestone_sentence }}: where a milestone stands, with its dates.

    "Uppnått 14 februari 2024"; done after its due date, honestly so: "Uppnått 3 mars 2024
    (planerat senast 31 januari)"; overdue: "Försenad: planerat senast 31 januari 2024".
    """
    due_on, done_on = progress.activity.due_on, progress.done_on
    if progress.done_total:
        if done_on is None:
            return str(Status.ACHIEVED.label)
        if due_on and done_on > due_on:
            due = date_format(due_on, "j F" if due_on.year == done_on.year else "j F Y")
            return _("Uppnått %(date)s (planerat senast %(due)s)") % {
                "date": long_date(done_on),
                "due": due,
            }
        return _("Uppnått %(date)s") % {"date": long_date(done_on)}
    if progress.status == Status.BEHIND and due_on:
        return _("Försenad: planerat senast %(due)s") % {"due": long_date(due_on)}
    if due_on and progress.status in (Status.NOT_STARTED, Status.UPCOMING):
        return _("Inte genomförd ännu, planerat senast %(due)s") % {"due": long_date(due_on)}
    if progress.status == Status.NOT_ACHIEVED:
        return _("Inte genomförd")
    return _("Inte genomförd ännu")


@register.filter
def short_date(day):
    """{{ day|short_date }} → "30 maj" in Swedish, "30 May" in English.

    Django's "M" capitalises the abbreviated month ("30 Maj"); Swedish writes month names in
    lower case, so Swedish pages use "b" (the abbreviation as the locale spells it).
    """
    if not day:
        return ""
    return date_format(day, "j b" if (get_language() or "sv").startswith("sv") else "j M")
