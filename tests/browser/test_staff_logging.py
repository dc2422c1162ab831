"""A reporter logs, undoes and logs again in a real Chromium, with and without JavaScript."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from municipalities.models import Role
from promises.models import PeriodStatus
from tests import factories

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser(traffic_row, monkeypatch):
    # Started after the data is arranged, closed before the database is flushed: while
    # Playwright's event loop runs, Django's connections are context-local, and an ORM call
    # then opens a connection that nothing closes (PostgreSQL then refuses to drop the test
    # database). So: no ORM calls while the browser is open.
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required (REQUIRE_BROWSER=1) but {CHROMIUM} is missing.")
        pytest.skip("Chromium is not installed (REQUIRE_BROWSER=1 makes this fail).")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; any ORM call is plain synchronous
    # test code, not async code, so Django's guard would be a false alarm.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def traffic_row(live_server):
    today = timezone.localdate()
    period = factories.period(
        "0687",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
        status=PeriodStatus.ACTIVE,
    )
    activity = factories.activity(period, organisations=[factories.police_organisation()])
    factories.event(activity, today, 12)
    reporter = factories.member(factories.police_organisation(), Role.REPORTER, "polis")
    client = Client()
    client.force_login(reporter)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    return activity, cookie


def _page(browser, cookie, *, javascript=True, bypass_csp=False):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": 360, "height": 800},
        bypass_csp=bypass_csp,
    )
    context.add_cookies([cookie])
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    return page


def test_reporter_logs_with_htmx_and_the_bar_moves_without_navigation(
    browser, live_server, traffic_row
):
    activity, cookie = traffic_row
    page = _page(browser, cookie)
    page.goto(f"{live_server.url}/personal/")
    row = page.locator(f"#activity-{activity.pk}")
    year = timezone.localdate().year
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    row.get_by_label("Plats").fill("Storgatan <i>1</i>")
    row.get_by_role("button", name="Logga").click()
    row.get_by_text(f"13 av 30 trafikkontroller {year}").wait_for()

    assert navigations == []
    assert page.url == f"{live_server.url}/personal/"
    assert row.locator("progress").get_attribute("value") == "13"
    assert row.get_by_role("button", name="Ångra").is_visible()
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []


def test_reporter_undoes_with_htmx(browser, live_server, traffic_row):
    activity, cookie = traffic_row
    page = _page(browser, cookie)
    page.goto(f"{live_server.url}/personal/")
    row = page.locator(f"#activity-{activity.pk}")
    row.get_by_role("button", name="Logga").click()
    row.get_by_role("button", name="Ångra").click()

    row.get_by_text("Ångrat.").wait_for()

    assert row.locator("progress").get_attribute("value") == "12"
    # Two swaps have settled by now; htmx must not have set any style attribute (CSP).
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []


def test_reporter_logs_without_javascript_by_plain_post_and_redirect(
    browser, live_server, traffic_row
):
    activity, cookie = traffic_row
    page = _page(browser, cookie, javascript=False)
    page.goto(f"{live_server.url}/personal/")
    row = page.locator(f"#activity-{activity.pk}")

    row.get_by_role("button", name="Logga").click()
    page.wait_for_url("**/personal/?loggad=*")

    year = timezone.localdate().year
    assert row.get_by_text(f"13 av 30 trafikkontroller {year}").is_visible()
    assert row.get_by_role("button", name="Ångra").is_visible()


def test_dashboard_has_no_axe_violations(browser, live_server, traffic_row):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (cd tests/browser && npm ci).")
    activity, cookie = traffic_row
    # Only to inject the axe-core test tool; the CSP itself is checked in the tests above.
    page = _page(browser, cookie, bypass_csp=True)
    page.goto(f"{live_server.url}/personal/")

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")

    assert result == []
