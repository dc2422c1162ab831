"""Browser tests: Playwright driving Debian's Chromium, with axe-core for accessibility.

Without chromium, axe-core (``npm ci`` in this folder; ``make test`` does it) or playwright these
tests are skipped, unless REQUIRE_BROWSER=1 (CI), which turns that into a failure.
SCREENSHOT_DIR=/some/dir saves a full-page screenshot of every page checked, at each width.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API keeps an asyncio loop on the main thread; the test's own ORM calls (to
# arrange data) are still plain synchronous calls, so Django's async guard would be a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing():
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("chromium (apt-get install chromium)")
    if not AXE.exists():
        missing.append("axe-core (cd tests/browser && npm ci)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install playwright)")
    return missing


@pytest.fixture
def browser():
    # One browser per test, started after the test database is ready and closed before it is
    # flushed: Playwright's event loop makes Django's connection handling context-local, and a
    # session-wide browser made later tests miss the restored reference data. The tests are few,
    # so this costs about a second each.
    if missing := _missing():
        message = "Browser tests need " + ", ".join(missing) + "."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        # Connections opened while Playwright ran belong to its context; close them, or
        # PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    opened = context.new_page()
    yield opened
    context.close()


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, as readable strings."""
    # Evaluated as a script rather than added as a <script> tag, which the strict CSP would block.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        WCAG_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def screenshot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
