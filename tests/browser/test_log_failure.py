"""A log that fails in the browser says so in its row and keeps what was typed (issue 13)."""

import pytest

from tests.browser.test_staff_logging import _page, browser, traffic_row  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("failure", ["503", "network"])
def test_failed_htmx_log_shows_a_swedish_message_and_keeps_the_input(
    browser,  # noqa: F811
    live_server,
    traffic_row,  # noqa: F811
    failure,
):
    activity, cookie = traffic_row
    page = _page(browser, cookie)

    def fail(route):
        if failure == "network":
            route.abort()
        else:
            route.fulfill(status=503, body="Tillfälligt otillgänglig")

    page.route("**/logga/", fail)
    page.goto(f"{live_server.url}/personal/")
    row = page.locator(f"#activity-{activity.pk}")
    row.get_by_label("Plats").fill("Storgatan 1")
    row.get_by_role("button", name="Logga").click()

    row.get_by_role("alert").get_by_text("Kunde inte spara – försök igen.").wait_for()
    focused = page.evaluate("document.activeElement.textContent")

    # The disabled button lost the focus; the message has it, so a screen reader reads it.
    assert focused == "Kunde inte spara – försök igen."
    assert row.get_by_label("Plats").input_value() == "Storgatan 1"
    assert row.get_by_role("button", name="Logga").is_enabled()
    assert row.locator("progress").get_attribute("value") == "12"
    assert [m for m in page.console_messages if "Content Security Policy" in m] == []
