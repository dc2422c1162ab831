"""The Tranås editor onboards the Tranås text in Chromium: paste, review, correct, create."""

from pathlib import Path

import pytest
from django.urls import reverse

from municipalities.models import Role
from promises.models import PromisePeriod
from tests import factories
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRANAS_TEXT = Path(__file__).parents[1] / "promises" / "parsing" / "corpus" / "tranas-2023-2024.txt"
SCREENSHOT = "/tmp/onboarding-review.png"


def test_tranas_editor_onboards_the_tranas_text_in_chromium(live_server, page):
    editor = factories.member(
        factories.municipal_organisation("0687"), Role.EDITOR, "samordnare.tranas"
    )
    editor.set_password("demo-losen-2026")
    editor.save()
    page.goto(live_server.url + reverse("site:login"))
    page.get_by_label("Användarnamn").fill("samordnare.tranas")
    page.get_by_label("Lösenord").fill("demo-losen-2026")
    page.get_by_role("button", name="Logga in").click()

    page.goto(live_server.url + reverse("promises:period_create"))
    page.get_by_role("link", name="Börja från en befintlig text").click()
    page.get_by_label("Klistra in texten").fill(TRANAS_TEXT.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Läs texten").click()
    page.wait_for_selector("h1:has-text('Granska medborgarlöftet för Tranås')")
    violations = axe_violations(page)
    page.screenshot(path=SCREENSHOT, full_page=True)
    marked = page.locator("mark").all_inner_texts()
    page.locator("#id_activities-1-cadence").select_option("year")
    page.get_by_role("button", name="Skapa utkast").click()
    page.wait_for_selector("text=Utkastet är skapat från texten")
    detail = page.content()

    assert violations == []
    assert "trettio (30)" in marked and "per år" in marked
    period = PromisePeriod.objects.get(municipality__code="0687")
    assert page.url == live_server.url + reverse("promises:period_detail", args=[period.pk])
    assert [
        (a.target_kind, a.target_quantity, a.unit_plural, a.cadence)
        for a in period.activities.order_by("position")
    ] == [
        ("count", 30, "trafikkontroller", "year"),
        ("count", 15, "riktade insatser", "year"),
        ("ongoing", None, "", ""),
        ("ongoing", None, "", ""),
        ("ongoing", None, "", ""),
        ("ongoing", None, "", ""),
    ]
    assert "genomföra minst trettio (30) trafikkontroller per år." in detail
