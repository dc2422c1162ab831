"""The public door: every public URL, walked from the URL resolver, leaks nothing hidden.

One dataset for the module holds what a citizen must never see, each with its own marker word:
a draft (unpublished) period with its promise, activity, event, deviation, signatory and a
report published before the period was taken down; an internal note and the user who logged an
event; a draft report; and a police monthly-only period whose police event (edited, so it has a
corrections history) has a marked place and summary. Beside them, normal published data, so the
pages have something to show.

Every URL pattern outside ``admin/`` and ``personal/`` is found by walking the resolver (both
languages of the i18n patterns), its kwargs filled from the data, and requested: with the
published data's kwargs it must answer 200 without any marker (PDFs are read back as text),
with the draft's kwargs 404 or no marker. A pattern whose kwargs cannot be filled fails, so a
new public URL is covered without anyone remembering to add it here.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from itertools import product

import pdfplumber
import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import timezone, translation

from followup.models import (
    Deviation,
    FollowUpEvent,
    FollowUpReport,
    ReportKind,
    ReportStatus,
    Subscription,
)
from followup.public import opendata
from followup.reports.services import create_report, publish_report
from municipalities.models import OrganisationKind
from promises.models import Activity, Promise, PromisePeriod, Signatory, Theme
from tests import factories

pytestmark = pytest.mark.django_db

# Everything else the resolver knows is public.
NOT_PUBLIC = ("admin/", "personal/")

# Marker words, one per thing that must stay hidden; lower case, found case-insensitively.
DRAFT_PERIOD = "lackautkastperiod"
DRAFT_PROMISE = "lackautkastlofte"
DRAFT_ACTIVITY = "lackautkastaktivitet"
DRAFT_EVENT = "lackautkasthandelse"
DRAFT_DEVIATION = "lackautkastavvikelse"
DRAFT_SIGNATORY = "lackautkastsignatar"
DRAFT_REPORT = "lackautkastrapport"
INTERNAL_NOTE = "lackaanteckning"
LOGGED_BY = "lackaloggare"
POLICE_PLACE = "lackapolisplats"
POLICE_SUMMARY = "lackapolissummering"
MARKERS = (
    DRAFT_PERIOD,
    DRAFT_PROMISE,
    DRAFT_ACTIVITY,
    DRAFT_EVENT,
    DRAFT_DEVIATION,
    DRAFT_SIGNATORY,
    DRAFT_REPORT,
    INTERNAL_NOTE,
    LOGGED_BY,
    POLICE_PLACE,
    POLICE_SUMMARY,
)

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


# --- The public URL patterns, from the resolver -----------------------------------------------


class CannotFill(Exception):
    """A URL made from the leak data that does not resolve to the pattern it was made for."""


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route (kwargs as ``<converter:name>``) and its view."""

    template: str
    callback: object
    locale: LocalePrefixPattern | None
    fillable: bool  # False for a regex pattern, whose kwargs this test cannot name

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in PARAMETER.finditer(self.template)]

    def languages(self) -> list[str | None]:
        """Each language's code for a pattern inside i18n_patterns; [None] outside them."""
        if self.locale is None:
            return [None]
        return [code for code, _name in settings.LANGUAGES]

    def url(self, kwargs: dict, language: str | None) -> str:
        """The URL with the kwargs filled in, in the language; it must resolve to this view."""
        path = PARAMETER.sub(lambda match: str(kwargs[match["name"]]), self.template)
        with translation.override(language):
            url = "/" + (self.locale.language_prefix if self.locale else "") + path
            try:
                match = resolve(url)
            except Resolver404:
                match = None
            if match is None or match.func is not self.callback:
                raise CannotFill(f"{self.template}: {url} does not resolve to this view")
        return url


def _walk(patterns, chain=()):
    for entry in patterns:
        here = (*chain, entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, here)
        else:
            yield here, entry


def public_routes() -> list[Route]:
    """Every URL pattern of the root URLconf outside admin/ and personal/."""
    routes = []
    for chain, entry in _walk(get_resolver().url_patterns):
        locales = [part for part in chain if isinstance(part, LocalePrefixPattern)]
        parts = [part for part in chain if not isinstance(part, LocalePrefixPattern)]
        template = "".join(str(part) for part in parts)
        if template.startswith(NOT_PUBLIC):
            continue
        fillable = not any(isinstance(part, RegexPattern) for part in parts)
        routes.append(Route(template, entry.callback, locales[0] if locales else None, fillable))
    return routes


ROUTES = public_routes()


def urls_of(route: Route, contexts: list[dict]) -> list[str]:
    """The route's URLs for every combination of kwargs each context offers, in each language.

    A context that lacks one of the route's kwargs makes no URL for it.
    """
    names = route.parameters
    urls = []
    for context in contexts:
        if any(name not in context for name in names):
            continue
        for values in product(*(context[name] for name in names)):
            kwargs = dict(zip(names, values, strict=True))
            urls.extend(route.url(kwargs, language) for language in route.languages())
    return list(dict.fromkeys(urls))


def unfillable(route: Route, contexts: list[dict]) -> str:
    """Why the published data cannot fill the route's kwargs, or "" when it can.

    A new public pattern with a kwarg nobody has given a value here must fail the test until it
    is added to the data below: then it is covered without anyone remembering to add it.
    """
    if not route.fillable:
        return f"{route.template}: a regex pattern; the leak test cannot fill it"
    missing = [name for name in route.parameters if not any(name in c for c in contexts)]
    if missing:
        return f"{route.template}: no value for {', '.join(missing)} in the leak data"
    return ""


# --- The data ---------------------------------------------------------------------------------


@dataclass
class LeakData:
    published: list[dict]  # kwargs of published data: 200 and no marker
    draft: dict  # kwargs of hidden data: 404 or no marker


def _published_period(today, police, tranas, theme_slug):
    """Tranås: a published period with work, a deviation, a signatory and a published report."""
    period = factories.period(
        "0687", starts_on=date(today.year - 1, 1, 1), ends_on=date(today.year + 1, 12, 31)
    )
    promise = factories.promise(period, theme=Theme.objects.get(slug=theme_slug))
    checks = factories.activity(period, promise_=promise, organisations=[police, tranas])
    walks = factories.activity(
        period, promise_=promise, organisations=[tranas], description="Trygghetsvandringar."
    )
    logger = factories.user(LOGGED_BY, first_name=LOGGED_BY)
    factories.event(checks, date(today.year - 1, 3, 2), 3, organisation=police, place="E4:an")
    noted = factories.event(
        walks,
        date(today.year - 1, 4, 5),
        organisation=tranas,
        by=logger,
        place="Centrum",
        summary="Trygghetsvandring med föreningar.",
        internal_note=f"Namn på den som ringde: {INTERNAL_NOTE}",
    )
    noted.summary = "Trygghetsvandring med två föreningar."
    noted._change_reason = "Rättat antal föreningar."
    noted.save()
    factories.deviation(checks, date(today.year - 1, 1, 1))
    factories.signatory(period, tranas)
    factories.situation_source(period)
    editor = factories.user()
    report = publish_report(
        create_report(period, by=editor, kind=ReportKind.YEAR, year=today.year - 1), by=editor
    )
    draft_report = create_report(
        period, by=editor, kind=ReportKind.YEAR, year=today.year, comment=DRAFT_REPORT
    )
    return period, [checks, walks], report, draft_report


def _monthly_period(today, police):
    """Aneby: police publish only monthly counts; their event has a marked place and summary."""
    aneby = factories.municipal_organisation("0604")
    period = factories.period(
        "0604",
        starts_on=date(today.year - 1, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        police_monthly_counts_only=True,
    )
    activity = factories.activity(
        period, promise_=factories.promise(period), organisations=[police, aneby]
    )
    secret = factories.event(
        activity,
        date(today.year - 1, 6, 10),
        2,
        organisation=police,
        place=POLICE_PLACE,
        summary=f"Spaning: {POLICE_SUMMARY}",
    )
    secret.place = f"{POLICE_PLACE} norra"
    secret._change_reason = "Rättad plats."
    secret.save()
    factories.event(activity, date(today.year - 1, 6, 12), organisation=aneby, place="Torget")
    return period, [activity]


def _draft_period(today, police, tranas, theme_slug):
    """Tranås again: a draft with marked texts everywhere, and a report published before the
    period was taken down (its PDF holds the draft's texts)."""
    period = factories.period(
        "0687",
        starts_on=date(today.year - 1, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        slug=f"{DRAFT_PERIOD}-1",
        title=f"Medborgarlöfte {DRAFT_PERIOD}",
        introduction=DRAFT_PERIOD,
        situation_picture=DRAFT_PERIOD,
        is_published=False,
    )
    promise = factories.promise(
        period, title=DRAFT_PROMISE, theme=Theme.objects.get(slug=theme_slug)
    )
    activity = factories.activity(
        period, promise_=promise, organisations=[police, tranas], description=DRAFT_ACTIVITY
    )
    factories.event(activity, date(today.year - 1, 5, 5), organisation=tranas, summary=DRAFT_EVENT)
    factories.event(activity, date(today.year - 1, 5, 6), organisation=police, place=DRAFT_EVENT)
    factories.deviation(activity, date(today.year - 1, 1, 1), text=DRAFT_DEVIATION)
    factories.signatory(period, tranas, name=DRAFT_SIGNATORY)
    editor = factories.user()
    report = publish_report(
        create_report(
            period, by=editor, kind=ReportKind.YEAR, year=today.year - 1, comment=DRAFT_REPORT
        ),
        by=editor,
    )
    draft_report = create_report(period, by=editor, kind=ReportKind.YEAR, year=today.year)
    return period, [activity], [report, draft_report]


def _build(today) -> LeakData:
    police = factories.police_organisation("Höglandet")
    tranas = factories.municipal_organisation("0687")
    theme_slug = "trygghet-i-offentlig-miljo"
    everywhere = {
        "theme_slug": [theme_slug],
        "dataset": [dataset.slug for dataset in opendata.DATASETS],
        "fmt": list(opendata.FORMATS),
        "version": [1],  # the signed document's stored versions (issue 12)
    }
    published, activities, report, draft_report = _published_period(
        today, police, tranas, theme_slug
    )
    monthly, monthly_activities = _monthly_period(today, police)
    draft, draft_activities, draft_reports = _draft_period(today, police, tranas, theme_slug)
    # A citizen's subscription: its confirm and unsubscribe pages show no one else's data.
    subscription = Subscription.objects.create(
        email="medborgare@example.se",
        municipality=published.municipality,
        token="door-token",
        created_at=timezone.now(),
    )
    return LeakData(
        published=[
            {
                "municipality_slug": ["tranas"],
                "period_slug": [published.slug],
                "activity_id": [activity.pk for activity in activities],
                "pk": [report.pk],
                "token": [subscription.token],
                **everywhere,
            },
            {
                "municipality_slug": ["aneby"],
                "period_slug": [monthly.slug],
                "activity_id": [activity.pk for activity in monthly_activities],
                **everywhere,
            },
        ],
        draft={
            "municipality_slug": ["tranas"],
            "period_slug": [draft.slug, published.slug],
            "activity_id": [activity.pk for activity in draft_activities],
            "pk": [draft_report.pk, *(r.pk for r in draft_reports)],
            **everywhere,
        },
    )


@pytest.fixture(scope="module")
def leak_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The dataset, built once for the module inside a transaction rolled back at its end."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("door-media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield _build(timezone.localdate())
            transaction.set_rollback(True)
    finally:
        media.disable()


# --- Reading a response -----------------------------------------------------------------------


def _text(response) -> str:
    """The body as text: a PDF read back with pdfplumber, anything else decoded."""
    # The test client closes a streamed response once it is read; closing any response here
    # would send request_finished, which closes the test's database connection.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            text = "".join(page.extract_text() or "" for page in pdf.pages)
        # A marker may be wrapped over two lines in a PDF.
        return re.sub(r"\s+", "", text)
    return body.decode("utf-8", errors="replace")


def _markers_in(text: str) -> list[str]:
    lowered = text.lower()
    return [marker for marker in MARKERS if marker in lowered]


# --- Tests ------------------------------------------------------------------------------------


def test_public_door_walk_finds_every_kind_of_public_url():
    templates = {route.template for route in ROUTES}

    assert {
        "robots.txt",
        "sitemap.xml",
        "",
        "uppfoljningar.atom",
        "data/<slug:dataset>.<slug:fmt>",
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/",
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/inbaddning/",
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/medborgarlofte.pdf",
        "kommuner/<slug:municipality_slug>/<slug:period_slug>/uppfoljningar/<int:pk>.pdf",
    } <= templates
    assert not any(template.startswith(NOT_PUBLIC) for template in templates)
    assert [route.url({}, "en") for route in ROUTES if route.template == "om/"] == ["/en/om/"]


def test_public_door_data_holds_every_marker(leak_data):
    columns = [
        PromisePeriod.objects.values_list("title", "slug"),
        Promise.objects.values_list("title"),
        Activity.objects.values_list("description"),
        FollowUpEvent.objects.values_list("place", "summary", "internal_note"),
        FollowUpEvent.objects.values_list("logged_by__username"),
        Deviation.objects.values_list("text"),
        FollowUpReport.objects.filter(status=ReportStatus.DRAFT).values_list("comment"),
        Signatory.objects.values_list("name"),
    ]
    stored = " ".join(value for rows in columns for row in rows for value in row)
    police_event = FollowUpEvent.objects.get(
        activity__period__police_monthly_counts_only=True,
        organisation__kind=OrganisationKind.POLICE,
    )

    assert _markers_in(stored) == list(MARKERS)
    assert police_event.history.count() == 2
    assert PromisePeriod.objects.get(slug__startswith=DRAFT_PERIOD).is_published is False


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.template or "/")
def test_public_door_route_shows_published_data_and_nothing_hidden(route, leak_data, client):
    if reason := unfillable(route, leak_data.published):
        pytest.fail(reason)
    try:
        published = urls_of(route, leak_data.published)
        hidden = [url for url in urls_of(route, [leak_data.draft]) if url not in published]
    except CannotFill as error:
        pytest.fail(str(error))
    problems = []

    for url in published:
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}, expected 200")
        elif not (text := _text(response)).strip():
            problems.append(f"{url}: no text to check")
        elif markers := _markers_in(text):
            problems.append(f"{url}: shows {markers}")
    for url in hidden:
        response = client.get(url)
        if response.status_code == 404:
            continue
        if response.status_code != 200:
            problems.append(f"{url}: {response.status_code}, expected 404 or 200")
        elif markers := _markers_in(_text(response)):
            problems.append(f"{url}: shows {markers}")

    assert published, f"{route.template}: no URL made from the published data"
    assert problems == []
