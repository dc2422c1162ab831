"""Every public page type in a real browser: axe-core finds nothing at 360 px and 1280 px, the
keyboard reaches the search and a period page, focus is visible and progress is never told by
colour alone."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, screenshot
from tests.pages import arrange_public as arrange
from tests.pages import public_page_paths

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def page_paths(period, activity):
    """The shared public page list, and the period page in English."""
    paths = public_page_paths(period, activity)
    return {**paths, "period-en": "/en" + paths["period"]}


PAGE_TYPES = [
    "index",
    "kommun",
    "period",
    "activity",
    "theme",
    "om",
    "sa-raknar-vi",
    "data",
    "embed",
    "404",
    "period-en",
]


def test_every_page_type_has_no_axe_violations_at_360_and_1280(live_server, page):
    # One test for all page types: the browser and the data are set up once, which keeps the
    # suite fast; the failure message names each page, width and rule.
    period, activity = arrange()
    paths = page_paths(period, activity)

    failures, overflowing, languages = {}, [], {}
    for page_type in PAGE_TYPES:
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + paths[page_type])
            screenshot(page, page_type)
            if violations := axe_violations(page):
                failures[f"{page_type} at {width} px"] = violations
            if width == 360 and page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            ):
                overflowing.append(page_type)
        languages[page_type] = page.get_attribute("html", "lang")

    assert failures == {}, "\n".join(f"{k}: {v}" for k, v in failures.items())
    assert overflowing == []
    assert languages == {t: "en" if t.endswith("-en") else "sv" for t in PAGE_TYPES}


def focused(page):
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                  outline: style.outlineStyle, visible: box.width > 0 && box.top >= 0};
        }"""
    )


def tab_until(page, predicate, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        if predicate(current):
            return current
    raise AssertionError(f"Tab never reached the element; last focused {focused(page)}")


def test_keyboard_reaches_search_kommun_and_period_page(live_server, page):
    period, _ = arrange()
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = focused(page)
    page.keyboard.press("Enter")
    after_skip = page.evaluate("document.activeElement.id")
    search = tab_until(page, lambda f: f["id"] == "q")
    page.keyboard.type("tranas")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=tranas*")
    page.wait_for_selector("#results .municipality-name")
    kommun = tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Tranås")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kommuner/tranas/")
    link = tab_until(page, lambda f: f["tag"] == "a" and f["text"] == period.title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/kommuner/tranas/{period.slug}/")

    assert skip["text"] == "Hoppa till innehållet"
    assert skip["visible"] is True
    assert skip["outline"] != "none"
    assert after_skip == "main"
    assert search["outline"] != "none"
    assert kommun["outline"] != "none"
    assert link["outline"] != "none"
    assert page.inner_text("h1") == f"Tranås\n{period.title}"


def test_search_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.fill("#q", "TRANÅS")
    page.click("button[type=submit]")
    page.wait_for_url("**/?q=TRAN*")
    names = page.locator("#results .municipality-name").all_inner_texts()
    context.close()

    assert names == ["Tranås"]


def test_progress_is_told_in_text_not_only_by_colour(live_server, page):
    period, _ = arrange()
    page.goto(live_server.url + reverse("public:period_detail", args=["tranas", period.slug]))

    bars = page.evaluate(
        """() => [...document.querySelectorAll('progress')].map(bar => ({
             hidden: bar.getAttribute('aria-hidden'),
             text: bar.closest('.progress-block').querySelector('.progress-figure').textContent,
             status: bar.closest('.progress-block').querySelector('.status').textContent}))"""
    )
    statuses = page.locator(".activity .progress-block .status").all_inner_texts()

    assert len(bars) == 2
    for bar in bars:
        assert bar["hidden"] == "true"
        assert " av " in bar["text"]
        assert "Status:" in bar["status"]
    assert len(statuses) == 4
    assert all(text.split("Status:")[1].strip() for text in statuses)
