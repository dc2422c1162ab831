"""The public portal: every page a citizen sees. No login; only published periods.

Bad input never gives a 500: an unknown slug or id is the friendly 404, a malformed filter or
page number is ignored with a note on the page saying so.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from followup.progress import Status
from followup.public import (
    activity_queries,
    cards,
    event_queries,
    opendata,
    queries,
    theme_queries,
)
from municipalities.models import County, Municipality
from promises.models import Theme

SEARCH_MAX_LENGTH = 100
MUNICIPALITIES_PER_PAGE = 30
EVENTS_PER_PAGE = 20
# About 50 promises: a page a screen-reader user can still find their way through.
THEME_MUNICIPALITIES_PER_PAGE = 20

# The embeddable summary may be framed by any site over HTTPS (the kommun's, the police's);
# every other page keeps frame-ancestors 'none' and X-Frame-Options DENY.
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["'self'", "https:"]}


def _page_of(request, object_list, per_page, notes):
    """The requested page (?sida=N); a malformed or missing page number gives page 1 and a note."""
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("sida", "").strip()
    if not raw:
        return paginator.page(1)
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or not 1 <= number <= paginator.num_pages:
        notes.append(
            _("Sidan ”%(page)s” finns inte. Du ser första sidan i stället.") % {"page": raw[:20]}
        )
        return paginator.page(1)
    return paginator.page(number)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


@require_GET
def index(request):
    today = timezone.localdate()
    notes = []
    counties = list(County.objects.all())
    themes = list(theme_queries.themes())

    query = request.GET.get("q", "").strip()
    if len(query) > SEARCH_MAX_LENGTH:
        query = query[:SEARCH_MAX_LENGTH]
        notes.append(
            _("Sökningen var för lång och har kortats till %(max)s tecken.")
            % {"max": SEARCH_MAX_LENGTH}
        )
    county = _choice(request, "lan", {c.code: c for c in counties}, notes, _("länet"))
    theme = _choice(request, "tema", {t.slug: t for t in themes}, notes, _("temat"))
    status = _choice(
        request, "status", {key: key for key in queries.INDEX_STATUSES}, notes, _("läget")
    )
    among = None
    if status:
        statuses = queries.current_period_statuses(today=today)
        among = [pk for pk, value in statuses.items() if value == status]
    active_raw = request.GET.get("aktiv", "")
    active_only = active_raw == "1"
    if active_raw not in ("", "1"):
        notes.append(_("Filtret för aktiva medborgarlöften förstods inte och används inte."))

    municipalities = queries.municipality_search(
        query=query, county=county, theme=theme, active_only=active_only, among=among, today=today
    )
    page = _page_of(request, municipalities, MUNICIPALITIES_PER_PAGE, notes)
    _index_rows(page.object_list)
    context = {
        "query": query,
        "counties": counties,
        "themes": themes,
        "selected_county": county,
        "selected_theme": theme,
        "active_only": active_only,
        "statuses": queries.INDEX_STATUSES,
        "selected_status": status,
        "selected_status_label": queries.INDEX_STATUSES.get(status, ""),
        "filtered": bool(query or county or theme or active_only or status),
        "page": page,
        "page_query": _query_without_page(request),
        "notes": notes,
        "today": today,
    }
    template = "public/index.html"
    _theme_urls(themes)
    if request.htmx:
        response = render(request, template + "#results", context)
    else:
        context["counts"] = queries.national_counts(today=today)
        context["latest_events"] = event_queries.latest_follow_ups(limit=8)
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _index_rows(municipalities):
    """What each kommun's row on the index shows, worked out here rather than per row in the
    template: its address and, for a kommun with only earlier medborgarlöften, how many."""
    kommun_url = _url_maker("public:municipality_detail", "KOMMUN")
    for municipality in municipalities:
        municipality.url = kommun_url(KOMMUN=municipality.slug)
        count = municipality.published_count or 0
        municipality.earlier_text = ngettext(
            "%(counter)s tidigare medborgarlöfte", "%(counter)s tidigare medborgarlöften", count
        ) % {"counter": count}


def _theme_urls(themes):
    """Each theme's page address (one reverse() for the list)."""
    theme_url = _url_maker("public:theme_detail", "TEMA")
    for theme in themes:
        theme.url = theme_url(TEMA=theme.slug)
    return themes


def _choice(request, name, options, notes, what):
    """A filter value that must be one of the options; anything else is ignored with a note."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if raw in options:
        return options[raw]
    notes.append(
        _("Vi hittade inte %(what)s du valde, så det filtret används inte.") % {"what": what}
    )
    return None


@require_GET
def municipality_detail(request, municipality_slug):
    today = timezone.localdate()
    municipality = get_object_or_404(queries.municipality_for_page(), slug=municipality_slug)
    overviews = queries.period_overviews(
        queries.municipality_periods(municipality), today=today, buckets=False
    )
    current = [o for o in overviews if o.period.starts_on <= today <= o.period.ends_on]
    upcoming = [o for o in overviews if o.period.starts_on > today]
    earlier = [o for o in overviews if o.period.ends_on < today]
    context = {
        "municipality": municipality,
        "police_areas": list(queries.police_areas_of(municipality)),
        "current": current,
        "upcoming": upcoming,
        "earlier": earlier,
        "today": today,
    }
    if overviews:
        context["latest_events"] = queries.latest_events_of_municipality(municipality, overviews)
    else:
        # Nothing published: say what medborgarlöften are and where to look nearby instead.
        context["police_area_names"] = queries.police_area_names(municipality)
        context["neighbours"] = list(queries.neighbours_of(municipality))
    return render(request, "public/municipality_detail.html", context)


def _get_period(municipality_slug, period_slug, queryset=None):
    return get_object_or_404(
        queryset if queryset is not None else queries.period_for_page(),
        municipality__slug=municipality_slug,
        slug=period_slug,
    )


@require_GET
def period_detail(request, municipality_slug, period_slug):
    today = timezone.localdate()
    period = _get_period(municipality_slug, period_slug)
    page = queries.period_page(period, today=today)
    cards.render_cards(page)
    embed_url = request.build_absolute_uri(
        reverse("public:period_embed", args=[municipality_slug, period_slug])
    )
    return render(
        request,
        "public/period_detail.html",
        {
            "period": period,
            "municipality": period.municipality,
            "page": page,
            "overview": page.overview,
            "embed_url": embed_url,
            "today": today,
            "statuses": Status,
        },
    )


@require_GET
@xframe_options_exempt
@csp_override(EMBED_CSP)
def period_embed(request, municipality_slug, period_slug):
    today = timezone.localdate()
    period = _get_period(municipality_slug, period_slug, queries.published_periods())
    overview = queries.period_overviews([period], today=today)[0]
    return render(
        request,
        "public/period_embed.html",
        {"period": period, "municipality": period.municipality, "overview": overview},
    )


@require_GET
def activity_detail(request, municipality_slug, period_slug, activity_id):
    today = timezone.localdate()
    activity = get_object_or_404(
        activity_queries.activity_for_page(),
        pk=activity_id,
        period__slug=period_slug,
        period__municipality__slug=municipality_slug,
    )
    period = activity.period
    progress = queries.public_progress_for([activity], today=today)[activity.pk]
    notes = []
    events = _page_of(request, activity_queries.activity_events(activity), EVENTS_PER_PAGE, notes)
    monthly = (
        queries.police_monthly_counts([activity.pk], today=today).get(activity.pk, [])
        if period.police_monthly_only_in_public
        else []
    )
    return render(
        request,
        "public/activity_detail.html",
        {
            "activity": activity,
            "period": period,
            "municipality": period.municipality,
            "progress": progress,
            "deviations": queries.deviations_by_activity([activity]).get(activity.pk, []),
            "events": events,
            "event_rows": activity_queries.activity_event_rows(events.object_list, activity),
            "page_query": _query_without_page(request),
            "monthly_counts": monthly,
            "corrections": activity_queries.corrections_of(activity),
            "amendment_changes": activity_queries.amendment_changes_of(activity),
            "notes": notes,
            "today": today,
        },
    )


@require_GET
def theme_detail(request, theme_slug):
    today = timezone.localdate()
    theme = get_object_or_404(Theme, slug=theme_slug)
    notes = []
    page = _page_of(
        request,
        theme_queries.theme_municipalities(theme, today=today),
        THEME_MUNICIPALITIES_PER_PAGE,
        notes,
    )
    return render(
        request,
        "public/theme_detail.html",
        {
            "theme": theme,
            "rows": _theme_rows(theme, page.object_list),
            "page": page,
            "page_query": _query_without_page(request),
            "notes": notes,
            "counts": theme_queries.theme_counts(theme, today=today),
            "totals": theme_queries.theme_totals(theme, today=today),
            "other_themes": _theme_urls([t for t in theme_queries.themes() if t.pk != theme.pk]),
            "today": today,
        },
    )


def _theme_rows(theme, municipalities):
    """One page of the theme's kommuner, each with its promises on the theme and the address
    of each promise's period (one reverse() for the page, not one per promise)."""
    kommun_url = _url_maker("public:municipality_detail", "KOMMUN")
    rows = {}
    for municipality in municipalities:
        municipality.url = kommun_url(KOMMUN=municipality.slug)
        rows[municipality.pk] = {"municipality": municipality, "promises": []}
    period_url = _url_maker("public:period_detail", "KOMMUN", "PERIOD")
    for promise in theme_queries.theme_promises(theme, municipalities=rows):
        slugs = {"KOMMUN": promise.municipality_slug, "PERIOD": promise.period_slug}
        promise.period_url = period_url(**slugs)
        rows[promise.municipality_id]["promises"].append(promise)
    return list(rows.values())


def _url_maker(name, *placeholders):
    """reverse() once with placeholder slugs, then fill them in per row: the same address as
    reverse() gives for slugs (letters, digits, - and _, which need no quoting), at a fraction
    of the cost in a list of many rows."""
    pattern = reverse(name, args=placeholders)

    def url(**slugs):
        address = pattern
        for placeholder in placeholders:
            address = address.replace(placeholder, slugs[placeholder], 1)
        return address

    return url


@require_GET
def about(request):
    return render(request, "public/about.html")


@require_GET
def how_we_count(request):
    return render(request, "public/how_we_count.html", {"statuses": Status})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /personal/",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def data(request):
    return render(
        request,
        "public/data.html",
        {
            "datasets": opendata.DATASETS,
            "example_municipality": Municipality.objects.filter(slug="tranas").first(),
        },
    )
