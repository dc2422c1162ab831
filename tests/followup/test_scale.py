from datetime import date

import pytest

from followup.demo.scale import generate_scale_data, reset_scale_data
from followup.models import FollowUpEvent
from promises.models import Activity, Cadence, PromisePeriod, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def generate(**options):
    return generate_scale_data(
        municipalities=3, years=4, events=600, seed=7, today=date(2026, 6, 1), **options
    )


def test_scale_data_has_periods_for_every_kommun_and_year_up_to_today():
    summary = generate()

    periods = PromisePeriod.objects.filter(slug__startswith="skala-")
    assert (summary.municipalities, summary.periods) == (3, 6)
    assert sorted(set(periods.values_list("slug", flat=True))) == [
        "skala-2023-2024",
        "skala-2025-2026",
    ]
    assert FollowUpEvent.objects.count() == summary.events
    assert not FollowUpEvent.objects.filter(occurred_on__gt=date(2026, 6, 1)).exists()
    assert all(period.is_demo for period in periods)


def test_scale_data_covers_every_target_kind_and_cadence():
    generate()

    kinds = set(Activity.objects.values_list("target_kind", flat=True))
    cadences = set(Activity.objects.exclude(cadence="").values_list("cadence", flat=True))
    assert kinds == set(TargetKind.values)
    assert cadences == set(Cadence.values)


def test_scale_data_is_the_same_for_the_same_seed():
    first = generate()
    first_dates = list(FollowUpEvent.objects.order_by("pk").values_list("occurred_on", flat=True))
    reset_scale_data()

    second = generate()

    second_dates = list(FollowUpEvent.objects.order_by("pk").values_list("occurred_on", flat=True))
    assert (first, first_dates) == (second, second_dates)


def test_reset_removes_only_scale_data():
    real = factories.activity()
    factories.event(real, date(2023, 5, 1))
    generate()

    reset_scale_data()

    assert list(FollowUpEvent.objects.values_list("activity_id", flat=True)) == [real.pk]
    assert list(PromisePeriod.objects.values_list("pk", flat=True)) == [real.period_id]
