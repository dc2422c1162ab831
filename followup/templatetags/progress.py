"""Template helpers for showing progress as text, never as colour alone."""

from django import template
from django.conf import settings
from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


@register.simple_tag
def bucket_rows(buckets, show_expected=False, current=None):
    """The rows of a buckets table (``_buckets_table.html``): one per bucket, the current one
    marked. Written in one go here rather than with a dozen template lookups per row: the period
    page shows many such rows. Every value is escaped by ``format_html``."""
    rows = []
    # Worked out once per table rather than per row: a status's label is a lazy translation,
    # and localize() looks up the number formats on every call.
    labels = {}
    number = _number_formatter()
    for bucket in buckets:
        status = bucket.status
        if status not in labels:
            labels[status] = str(status.label)
        dates = ""
        if bucket.span.is_partial:
            dates = format_html(
                ' <span class="muted">({}–{})</span>',
                short_date(bucket.start),
                short_date(bucket.end),
            )
        expected = ""
        if show_expected:
            value = "–" if bucket.expected is None else number(bucket.expected)
            expected = format_html('<td class="num">{}</td>\n', value)
        rows.append(
            format_html(
                '<tr{}>\n<th scope="row">{}{}</th>\n<td class="num">{}</td>\n'
                '<td class="num">{}</td>\n{}<td class="status status-{}">{}</td>\n</tr>',
                mark_safe(' class="current"') if current and bucket is current else "",
                bucket.label,
                dates,
                number(bucket.done),
                number(bucket.target),
                expected,
                status.value,
                labels[status],
            )
        )
    return mark_safe("\n".join(rows))


def _number_formatter():
    """``localize`` for the counts of a table: whole numbers without thousands grouping are
    written as ``str()`` writes them (what ``localize`` gives then), anything else localized."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize

    def number(value):
        return str(value) if type(value) is int else localize(value)

    return number
