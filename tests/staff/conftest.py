"""Fixtures of the staff tests: a running Tranås period with a police and a kommun activity,
and the same in Tyresö (another kommun's data, which must never leak)."""

from datetime import date

import pytest
from django.utils import timezone

from promises.models import PeriodStatus
from tests import factories


def this_year():
    today = timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


@pytest.fixture
def tranas_period(db):
    starts_on, ends_on = this_year()
    return factories.period(
        "0687", starts_on=starts_on, ends_on=ends_on, status=PeriodStatus.ACTIVE
    )


@pytest.fixture
def traffic(tranas_period):
    """ "minst 30 trafikkontroller per år", the police's."""
    return factories.activity(tranas_period, organisations=[factories.police_organisation()])


@pytest.fixture
def kommun_activity(tranas_period):
    return factories.activity(
        tranas_period,
        organisations=[factories.municipal_organisation("0687")],
        description="Kommunen genomför trygghetsvandringar.",
        target_quantity=2,
        unit_singular="trygghetsvandring",
        unit_plural="trygghetsvandringar",
    )


@pytest.fixture
def tyreso_activity(db):
    starts_on, ends_on = this_year()
    period = factories.period(
        "0138", starts_on=starts_on, ends_on=ends_on, status=PeriodStatus.ACTIVE
    )
    return factories.activity(
        period,
        organisations=[factories.municipal_organisation("0138")],
        description="Tyresö kommun kartlägger otrygga platser.",
    )
