"""The index's status filter (?status=…) reads progress as the public may see it: the police
monthly guard's running month is held back there too (issue 12 item 7, issue 17)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.public import queries
from promises.models import Cadence, PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db

# June 2024 is the running month.
TODAY = date(2024, 6, 15)


def _guarded_period_done_in_the_running_month():
    """A published Aneby period in force, police publishing monthly counts only, whose one
    activity (two for the whole period) was done twice by the police this month."""
    period = factories.period(
        "0604",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        police_monthly_counts_only=True,
        status=PeriodStatus.ADOPTED,
    )
    activity = factories.activity(period, target_quantity=2, cadence=Cadence.PERIOD)
    factories.event(activity, date(2024, 6, 3), 2)
    return period


def test_index_status_holds_back_the_running_months_guarded_police_events():
    period = _guarded_period_done_in_the_running_month()

    statuses = queries.current_period_statuses(today=TODAY)
    next_month = queries.current_period_statuses(today=date(2024, 7, 1))

    assert statuses.get(period.municipality_id) != "achieved"
    assert next_month[period.municipality_id] == "achieved"


def test_index_status_filter_does_not_reveal_the_running_months_police_work(client):
    today = timezone.localdate()
    period = factories.running_period("0687", police_monthly_counts_only=True)
    activity = factories.activity(period, target_quantity=2, cadence=Cadence.PERIOD)
    factories.event(activity, today.replace(day=1), 2)

    response = client.get(reverse("public:index"), {"status": "achieved"})

    assert [m.name for m in response.context["page"].object_list] == []
