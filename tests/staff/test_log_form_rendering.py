import pytest
from django.forms.renderers import get_default_renderer

from followup.staff.forms import EventLogForm
from municipalities.permissions import scope_for
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = "0b6c1f52-8c1e-4b8e-9a39-5e0f8a3f2d11"


def _both(activity, user, data=None):
    """The log form's HTML through QuickRenderer and through Django's default renderer."""
    forms = [
        EventLogForm(
            data,
            activity=activity,
            scope=scope_for(user),
            initial={"submission_token": TOKEN},
            renderer=renderer,
        )
        for renderer in (None, get_default_renderer())
    ]
    for form in forms:
        form.full_clean()  # errors, if any, are rendered beside their fields
    return [form.as_div() for form in forms]


def test_log_form_quick_renderer_writes_what_django_writes(coordinator, traffic, kommun_activity):
    police = factories.police_organisation()
    kommun_activity.responsible_organisations.add(police)

    quick, django = _both(kommun_activity, coordinator)

    assert 'type="number"' in quick and 'type="date"' in quick and "<textarea" in quick
    assert quick == django


def test_log_form_quick_renderer_matches_with_errors_and_escaped_values(police_reporter, traffic):
    data = {"quantity": "0", "occurred_on": "inte ett datum", "place": '<b>"Ryd"</b> & co'}

    quick, django = _both(traffic, police_reporter, data)

    assert "&lt;b&gt;&quot;Ryd&quot;&lt;/b&gt; &amp; co" in quick
    assert 'aria-invalid="true"' in quick
    assert quick == django


def test_log_form_quick_renderer_matches_for_on_request_activities(police_reporter, tranas_period):
    activity = factories.activity(
        tranas_period,
        organisations=[factories.police_organisation()],
        target_kind="on_request",
        target_quantity=None,
        cadence="",
    )

    quick, django = _both(activity, police_reporter, {"internal_note": "Två\nrader"})

    assert 'type="radio"' in quick
    assert quick == django
