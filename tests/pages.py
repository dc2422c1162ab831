"""The page types the whole-site checks visit, built once: the axe-core crawls in the browser
(tests/browser/) and the HTML validation (tests/test_html_validity.py) use the same lists.

Public pages: a running Tranås period with every kind of activity (``arrange_public``) and one
path per public HTML page type (``public_page_paths``), in Swedish and, under /en/, English.
Staff pages: found by crawling from the dashboard as each demo persona (``crawl_staff``), one
page per URL pattern, so a new staff page is checked without anyone adding it here.
"""

from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from followup.models import FollowUpEvent, ReportKind
from followup.reports.services import create_report
from followup.services import retract_event
from municipalities.models import Membership, Role
from promises.models import Cadence, PeriodStatus, PromisePeriod, TargetKind, Theme
from tests import factories

# --- Public pages -----------------------------------------------------------------------------


def arrange_public():
    """A running Tranås period with every kind of activity, events, a retraction, a deviation."""
    period = factories.running_period("0687", title="Medborgarlöfte i webbläsaren")
    year = period.starts_on.year
    promise = factories.promise(period, theme=Theme.objects.get(slug="trafik"))
    counted = factories.activity(period, promise_=promise)
    for day in range(1, 6):
        factories.event(counted, date(year, 1, day), place="Storgatan", summary="Kontroll.")
    wrong = factories.event(counted, date(year, 1, 9))
    retract_event(wrong, by=factories.user(), reason="Dubbelregistrerad.")
    factories.deviation(counted, date(year, 1, 1))
    monthly = factories.activity(period, promise_=promise, target_quantity=1, cadence=Cadence.MONTH)
    factories.event(monthly, date(year, 1, 3))
    factories.activity(period, promise_=promise, target_kind=TargetKind.ONGOING)
    factories.activity(period, target_kind=TargetKind.ON_REQUEST)
    factories.signatory(period, factories.municipal_organisation("0687"))
    factories.situation_source(period)
    return period, counted


def public_page_paths(period, activity) -> dict[str, str]:
    """One Swedish path per public HTML page type of the arranged period (name → path)."""
    args = ["tranas", period.slug]
    return {
        "index": reverse("public:index"),
        "kommun": reverse("public:municipality_detail", args=["tranas"]),
        "period": reverse("public:period_detail", args=args),
        "activity": reverse("public:activity_detail", args=[*args, activity.pk]),
        "theme": reverse("public:theme_detail", args=["trafik"]),
        "om": reverse("public:about"),
        "sa-raknar-vi": reverse("public:how_we_count"),
        "data": reverse("public:data"),
        "embed": reverse("public:period_embed", args=args),
        "404": "/finns-inte/",
    }


def more_public_page_paths() -> dict[str, str]:
    """The public forms and their pages beyond the axe crawl's list (name → Swedish path)."""
    return {
        "integritet": reverse("subscriptions:privacy"),
        "prenumerera": reverse("subscriptions:subscribe", args=["tranas"]),
        "kolla-din-e-post": reverse("subscriptions:check_inbox", args=["tranas"]),
        "tyck-till": reverse("feedback:form", args=["tranas"]),
        "tyck-till-tack": reverse("feedback:thanks", args=["tranas"]),
    }


# Pages outside the language prefix (staff sign-in and password reset): Swedish only.
SIGN_IN_PAGES = {
    "logga-in": "/personal/logga-in/",
    "glomt-losenord": "/personal/glomt-losenord/",
    "glomt-losenord-skickat": "/personal/glomt-losenord/skickat/",
}


def in_both_languages(paths: dict[str, str]) -> dict[str, str]:
    """The Swedish paths and their English twins under /en/ (name-en → /en/…)."""
    english = {f"{name}-en": "/en" + path for name, path in paths.items()}
    return {**paths, **english}


# --- Staff pages ------------------------------------------------------------------------------

DEMO_PASSWORD = "demo-losen-2026"
# A viewer, a reporter of a police area covering three kommuner, a partner's reporter, an editor.
STAFF_PERSONAS = ["lasare.tranas", "polis.hoglandet", "tranemobostader", "samordnare.tranas"]
# Links that act rather than show (they answer POST only or end the session), or are no HTML.
SKIPPED_ROUTES = ("logga-ut", "/pdf/", ".pdf", ".csv")
MAX_STAFF_PAGES = 60


def staff_route(path: str) -> str | None:
    """The URL pattern a path resolves to: one page per pattern is enough."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return match.route


def staff_links(hrefs: Iterable[str], origin: str = "") -> list[str]:
    """The links (absolute or root-relative) into the staff area, as paths with their query."""
    links = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc and f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if not parts.path.startswith("/personal/"):
            continue
        if any(skip in parts.path for skip in SKIPPED_ROUTES):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def correction_paths(username: str) -> list[str]:
    """The correct and retract pages of the newest counting event of the user's organisations.

    The crawl opens one event page per URL pattern, which may be a retracted event without
    these links; starting from them as well makes sure both forms are checked.
    """
    event = (
        FollowUpEvent.objects.counting()
        .filter(activity__responsible_organisations__memberships__user__username=username)
        .order_by("-pk")
        .first()
    )
    if event is None:
        return []
    return [
        reverse("staff:event_edit", args=[event.pk]),
        reverse("staff:event_retract", args=[event.pk]),
    ]


def editor_paths(username: str) -> list[str]:
    """Start pages for an editor's kinds of pages the demo's first links do not reach.

    The demo's periods are adopted and locked, so their pages offer no edit forms, and no report
    exists. Adds, in the editor's kommun: a draft period with a promise, an activity, a
    signatory and a source (their edit forms), a draft memo of it, and a draft report of the
    running period. Answers those pages' paths; the crawl follows their links from there.
    """
    membership = Membership.objects.filter(user__username=username, role=Role.EDITOR).first()
    if membership is None or membership.organisation.municipality is None:
        return []
    code = membership.organisation.municipality.code
    today = timezone.localdate()
    draft = factories.period(
        code,
        starts_on=date(today.year + 3, 1, 1),
        ends_on=date(today.year + 4, 12, 31),
        status=PeriodStatus.DRAFT,
        is_published=False,
    )
    factories.activity(draft, promise_=factories.promise(draft))
    factories.signatory(draft, membership.organisation)
    factories.situation_source(draft)
    memo = factories.decision_memo(draft)
    running = PromisePeriod.objects.get(municipality__code=code, status=PeriodStatus.ACTIVE)
    report = create_report(running, by=membership.user, kind=ReportKind.YEAR, year=today.year)
    return [
        reverse("promises:period_detail", args=[draft.pk]),
        reverse("memos:detail", args=[memo.pk]),
        reverse("reports:detail", args=[report.pk]),
    ]


def crawl_staff(
    fetch: Callable[[str], tuple[int, list[str]]], start: Iterable[str] = ()
) -> list[str]:
    """Every staff URL pattern reachable from the dashboard (and ``start``), one path each,
    breadth first.

    ``fetch(path)`` opens the page and answers its status and the staff paths it links to.
    Pages that do not answer 200 (a 403 for a read-only role) are left out.
    """
    seen_routes, queue, pages = set(), deque(["/personal/", *start]), []
    while queue and len(pages) < MAX_STAFF_PAGES:
        path = queue.popleft()
        route = staff_route(path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        status, links = fetch(path)
        if status != 200:
            continue
        pages.append(path)
        queue.extend(links)
    return pages
