"""Template helpers for the public pages: language links, canonical URLs, status symbols."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, override

from followup.progress import Status

register = template.Library()

# A shape beside each written status, so status is never told by colour alone; the word is
# always there too, the symbol is hidden from screen readers.
STATUS_SYMBOLS = {
    Status.ACHIEVED: "✓",
    Status.ON_TRACK: "→",
    Status.IN_PROGRESS: "→",
    Status.BEHIND: "!",
    Status.NOT_STARTED: "○",
    Status.NOT_ACHIEVED: "✗",
    Status.ENDED: "■",
    Status.NOT_REPORTED: "–",
    Status.UPCOMING: "…",
}


@register.filter
def status_symbol(status):
    return STATUS_SYMBOLS.get(status, "")


@register.simple_tag(takes_context=True)
def language_links(context):
    """The page in each language: [{code, name, url, current}], Swedish first.

    Worked out once per request (the page asks twice: the head's hreflang links and the
    header's language switch), from the view the request already resolved to.
    """
    request = context.get("request")
    if request is None:
        return _language_links("/", None)
    links = getattr(request, "_language_links", None)
    if links is None:
        links = _language_links(request.get_full_path(), getattr(request, "resolver_match", None))
        request._language_links = links
    return links


def _language_links(path, match):
    current = get_language()
    query = path.partition("?")[2]
    links = []
    for code, name in settings.LANGUAGES:
        if match is not None and match.view_name:
            with override(code):
                try:
                    url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    url = translate_url(path, code)
                else:
                    url += "?" + query if query else ""
        else:
            url = translate_url(path, code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string: search and paging are not other pages."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""


@register.simple_tag(takes_context=True)
def absolute(context, path):
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.filter
def bucket_sentence(progress):
    """ "13 av 30 trafikkontroller 2026": done and target of the current bucket, in words."""
    from django.utils.translation import gettext as _

    bucket = progress.current
    if bucket is None:
        return ""
    activity = progress.activity
    when = _("under perioden") if activity.cadence == "period" else bucket.label
    return _("%(done)s av %(target)s %(unit)s %(when)s") % {
        "done": bucket.done,
        "target": bucket.target,
        "unit": activity.unit_for(bucket.target),
        "when": when,
    }


@register.filter
def event_row(event):
    """An event as ``public/_event.html`` shows it: an ``EventRow`` as it is, a ``FollowUpEvent``
    (with its activity, period, kommun and organisation loaded) worked out into one."""
    from followup.public.event_queries import EventRow, event_rows

    return event if isinstance(event, EventRow) else event_rows([event])[0]


@register.filter
def cadence_phrase(activity):
    """ "per dygn", "per vecka": the cadence as a target states it."""
    from promises.targets import CADENCE_PHRASES

    return CADENCE_PHRASES.get(activity.cadence, "")


@register.simple_tag
def content_lang():
    """lang="sv" on text written by kommuner and police when the page is in another language
    (WCAG 3.1.2): promise texts stay as written, in Swedish."""
    from django.utils.html import format_html

    if get_language() == settings.LANGUAGE_CODE:
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
