"""Every staff page type, as each persona, in a real browser: axe-core finds nothing at 360 px
and 1280 px and nothing is wider than a phone.

A crawl like a person's: sign in, follow every link and open every form of the staff area
(``/personal/``) breadth first, one page per URL pattern, so a new staff page is checked
without anyone remembering to add it. The data is the demo (``load_demo``), the real thing.
"""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "demo-losen-2026"
# A viewer, a reporter of a police area covering three kommuner, a partner's reporter, an editor.
PERSONAS = ["lasare.tranas", "polis.hoglandet", "tranemobostader", "samordnare.tranas"]
# Links that act rather than show (they answer POST only or end the session).
SKIPPED_ROUTES = ("logga-ut", "/pdf/", ".pdf", ".csv")
MAX_PAGES = 60


def _route(path):
    """The URL pattern a path resolves to: one page per pattern is enough."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _staff_links(page, origin):
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or not parts.path.startswith("/personal/"):
            continue
        if any(skip in parts.path for skip in SKIPPED_ROUTES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(page, origin):
    """Every staff URL pattern reachable from the dashboard, one path each."""
    seen_routes, queue, pages = set(), deque(["/personal/"]), []
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        route = _route(path.split("?")[0])
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        response = page.goto(origin + path)
        if response.status != 200:
            continue  # a 403 for a read-only role is checked elsewhere; here, pages people see
        pages.append(path)
        queue.extend(_staff_links(page, origin))
    return pages


def _sign_in(page, origin, username):
    page.goto(origin + "/personal/logga-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(origin + "/personal/")


def test_every_staff_page_type_has_no_axe_violations_as_each_persona(live_server, browser):
    call_command("load_demo", verbosity=0)

    failures, overflowing, checked = {}, [], {}
    for username in PERSONAS:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
        page = context.new_page()
        _sign_in(page, live_server.url, username)
        checked[username] = paths = _crawl(page, live_server.url)
        for path in paths:
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + path)
                screenshot(page, f"staff-{username}-{_route(path.split('?')[0])}".replace("/", "_"))
                if violations := axe_violations(page):
                    failures[f"{username} {path} at {width} px"] = violations
                if width == 360 and page.evaluate(
                    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
                ):
                    overflowing.append(f"{username} {path}")
        context.close()

    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())
    assert overflowing == []
    # The crawl found the staff area, not just the dashboard: each role's own pages.
    assert len(checked["polis.hoglandet"]) >= 6
    assert len(checked["samordnare.tranas"]) >= 15
