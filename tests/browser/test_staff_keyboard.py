"""A reporter logs, opens, corrects and retracts an event with the keyboard only, in Chromium.

No mouse and no element.click() or fill(): focus moves by Tab and Shift+Tab, and Enter, Space
and typing go through ``page.keyboard`` to whatever has focus. After each step the database
holds what the person did, the focused element shows a visible focus (``:focus-visible`` with
an outline) and, after the htmx swap, focus is in the updated row, on its status message.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from followup.models import FollowUpEvent
from municipalities.models import Role
from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
          text: el.textContent.trim().replace(/\\s+/g, ' '), href: el.getAttribute('href') || '',
          role: el.getAttribute('role') || '', row: el.closest('[id^="activity-"]')?.id || '',
          invalid: el.getAttribute('aria-invalid') || '', valid: el.validity?.valid ?? null,
          describedBy: (el.getAttribute('aria-describedby') || '').split(' ')
            .map(id => document.getElementById(id)?.textContent.trim() || '').join(' '),
          focusVisible: el.matches(':focus-visible'), outline: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth)};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, predicate, *, backwards=False, limit=60):
    """Press Tab (or Shift+Tab) until the focused element matches; answer what it is."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        current = focused(page)
        if predicate(current):
            return current
    raise AssertionError(f"{key} never reached the element; last focused {focused(page)}")


def settle_focus(page):
    """Give the swap its settle time (htmx settles after 20 ms) for focus to move; no assert.

    Polled from here: page.wait_for_function evaluates its predicate with eval, which the
    strict Content-Security-Policy refuses.
    """
    for _ in range(40):
        if page.evaluate("document.activeElement !== document.body"):
            return
        page.wait_for_timeout(25)


def shows_focus(element):
    return element["focusVisible"] and element["outline"] != "none" and element["outlineWidth"] >= 2


def retype(page, text):
    """Replace the focused field's value by typing, as a person would."""
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


@pytest.fixture
def reporter_session(live_server):
    """A running Tranås period whose traffic checks the police log, 12 done; a police reporter."""
    today = timezone.localdate()
    period = factories.period(
        "0687",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
        status=PeriodStatus.ACTIVE,
    )
    police = factories.police_organisation()
    activity = factories.activity(period, organisations=[police])
    factories.event(activity, today, 12)
    client = Client()
    client.force_login(factories.member(police, Role.REPORTER, "polis"))
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    return activity, cookie


def test_reporter_logs_corrects_and_retracts_an_event_with_the_keyboard_only(
    live_server, page, reporter_session
):
    activity, cookie = reporter_session
    row_id = f"activity-{activity.pk}"
    year = timezone.localdate().year
    page.context.add_cookies([cookie])
    navigations = []

    # The skip link comes first and takes focus to the content.
    page.goto(f"{live_server.url}/personal/")
    page.keyboard.press("Tab")
    skip = focused(page)
    page.keyboard.press("Enter")
    after_skip = focused(page)

    assert skip["text"] == "Hoppa till innehållet"
    assert shows_focus(skip)
    assert after_skip["id"] == "main"

    # A quantity of 0, sent with Enter in the field: the browser's own check stops it there.
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    tab_to(page, lambda f: f["row"] == row_id and f["name"] == "quantity")
    retype(page, "0")
    page.keyboard.press("Enter")
    stopped = focused(page)

    assert stopped["name"] == "quantity"
    assert stopped["valid"] is False

    # Without that check (as for errors only the server finds, such as a date in the future) the
    # row comes back with the error, the focus on the field to correct and the error read with
    # it; nothing is saved.
    page.evaluate(f"document.querySelector('#{row_id} form.log-form').noValidate = true")
    page.keyboard.press("Enter")
    page.locator(f"#{row_id} .errorlist").wait_for()
    settle_focus(page)
    after_error = focused(page)

    assert after_error["row"] == row_id
    assert after_error["name"] == "quantity"
    assert after_error["invalid"] == "true"
    assert after_error["describedBy"] == (
        "Kontrollera att detta värde är större än eller lika med 1."
    )
    assert shows_focus(after_error)
    assert FollowUpEvent.objects.filter(activity=activity).count() == 1

    # Log two checks: htmx swaps the row, no page load.
    quantity = after_error
    retype(page, "2")
    place = tab_to(page, lambda f: f["row"] == row_id and f["name"] == "place")
    page.keyboard.type("Storgatan")
    log = tab_to(page, lambda f: f["row"] == row_id and f["text"] == "Logga")
    page.keyboard.press("Enter")
    page.locator(f"#{row_id}").get_by_text(f"14 av 30 trafikkontroller {year}").wait_for()
    settle_focus(page)
    after_log = focused(page)
    logged = FollowUpEvent.objects.filter(activity=activity).latest("pk")

    assert navigations == []
    assert [shows_focus(f) for f in (quantity, place, log)] == [True, True, True]
    assert (logged.quantity, logged.place, logged.retracted_at) == (2, "Storgatan", None)
    assert after_log["row"] == row_id
    assert after_log["role"] == "status"
    assert after_log["text"].startswith("Registrerat: 2 trafikkontroller den ")
    assert shows_focus(after_log)

    # Open the event: the row's history link, then the event's own link on the activity page.
    tab_to(page, lambda f: f["row"] == row_id and f["text"] == "Händelser och historik")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personal/aktiviteter/{activity.pk}/")
    event_link = tab_to(page, lambda f: f["href"] == f"/personal/handelser/{logged.pk}/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personal/handelser/{logged.pk}/")

    assert shows_focus(event_link)

    # Correct it: quantity 3, with a reason; Shift+Tab goes back to the field before the button.
    edit = tab_to(page, lambda f: f["text"] == "Ändra")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personal/handelser/{logged.pk}/andra/")
    tab_to(page, lambda f: f["name"] == "quantity")
    retype(page, "3")
    tab_to(page, lambda f: f["name"] == "reason")
    page.keyboard.type("Tre kontroller, inte två.")
    save = tab_to(page, lambda f: f["text"] == "Spara ändringen")
    back = tab_to(page, lambda f: f["tag"] != "button", backwards=True)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personal/handelser/{logged.pk}/")
    logged.refresh_from_db()
    correction = logged.history.latest("history_date")

    assert shows_focus(edit)
    assert shows_focus(save)
    assert back["name"] == "reason"
    assert logged.quantity == 3
    assert correction.history_change_reason == "Tre kontroller, inte två."
    assert page.get_by_text("Händelsen är ändrad.").is_visible()

    # Retract it, with a reason; Space presses the button.
    retract = tab_to(page, lambda f: f["text"] == "Återkalla")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/personal/handelser/{logged.pk}/aterkalla/")
    tab_to(page, lambda f: f["name"] == "reason")
    page.keyboard.type("Loggad på fel aktivitet.")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Återkalla")
    page.keyboard.press("Space")
    page.wait_for_url(f"**/personal/handelser/{logged.pk}/")
    logged.refresh_from_db()
    standing = FollowUpEvent.objects.filter(activity=activity).counting()

    assert shows_focus(retract)
    assert logged.retracted_at is not None
    assert logged.retraction_reason == "Loggad på fel aktivitet."
    assert [event.quantity for event in standing] == [12]
    assert page.get_by_text("Händelsen är återkallad och räknas inte längre.").is_visible()
