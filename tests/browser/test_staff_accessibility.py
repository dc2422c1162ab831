"""Every staff page type, as each persona, in a real browser: axe-core finds nothing at 360 px
and 1280 px and nothing is wider than a phone.

A crawl like a person's: sign in, follow every link and open every form of the staff area
(``/personal/``) breadth first, one page per URL pattern, so a new staff page is checked
without anyone remembering to add it. The data is the demo (``load_demo``), the real thing.
"""

import pytest
from django.core.management import call_command

from tests.browser.conftest import axe_violations, screenshot
from tests.pages import DEMO_PASSWORD as PASSWORD
from tests.pages import STAFF_PERSONAS as PERSONAS
from tests.pages import (
    correction_paths,
    crawl_staff,
    editor_paths,
    staff_links,
    staff_route,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _crawl(page, origin, username):
    """Every staff URL pattern reachable from the dashboard, one path each."""

    def fetch(path):
        response = page.goto(origin + path)
        if response.status != 200:
            return response.status, []
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        return response.status, staff_links(hrefs, origin)

    return crawl_staff(fetch, start=[*correction_paths(username), *editor_paths(username)])


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
        checked[username] = paths = _crawl(page, live_server.url, username)
        for path in paths:
            for width in (1280, 360):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(live_server.url + path)
                screenshot(page, f"staff-{username}-{staff_route(path)}".replace("/", "_"))
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
