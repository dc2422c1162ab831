"""One current period per kommun (issue 12, item 8): at most one active period per kommun in the
database; activating a new one while another is active is refused, unless the old one has ended,
in which case it is concluded in the same step. Staff and public pages agree on "Gällande"."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Role
from promises.models import PeriodStatus, PromisePeriod
from promises.services import renew_period, transition_period
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return factories.member(factories.municipal_organisation("0687"), Role.EDITOR)


def _tranas(slug, starts_on, ends_on, status):
    return factories.period("0687", slug=slug, starts_on=starts_on, ends_on=ends_on, status=status)


def _statuses():
    return dict(
        PromisePeriod.objects.filter(municipality__code="0687").values_list("slug", "status")
    )


def test_database_refuses_a_second_active_period_in_one_kommun():
    _tranas("2025-2026", date(2025, 1, 1), date(2026, 12, 31), PeriodStatus.ACTIVE)

    with pytest.raises(IntegrityError), transaction.atomic():
        _tranas("2027-2028", date(2027, 1, 1), date(2028, 12, 31), PeriodStatus.ACTIVE)

    assert _statuses() == {"2025-2026": PeriodStatus.ACTIVE}


def test_database_allows_one_active_period_in_each_kommun():
    _tranas("2025-2026", date(2025, 1, 1), date(2026, 12, 31), PeriodStatus.ACTIVE)

    factories.period("0604", status=PeriodStatus.ACTIVE)

    assert PromisePeriod.objects.filter(status=PeriodStatus.ACTIVE).count() == 2


def test_activating_while_another_runs_is_refused_and_writes_nothing(editor):
    _tranas("2025-2026", date(2025, 1, 1), date(2026, 12, 31), PeriodStatus.ACTIVE)
    new = _tranas("2026-2027", date(2026, 7, 1), date(2027, 12, 31), PeriodStatus.ADOPTED)

    with pytest.raises(ValidationError) as error:
        transition_period(new, by=editor, to=PeriodStatus.ACTIVE, today=date(2026, 11, 30))

    assert error.value.messages == [
        "Tranås har redan ett gällande medborgarlöfte, ”Medborgarlöfte 2025–2026”, som gäller "
        "till och med 31 december 2026. Ett nytt kan bli gällande när det har löpt ut; då "
        "avslutas det gamla samtidigt."
    ]
    assert _statuses() == {"2025-2026": PeriodStatus.ACTIVE, "2026-2027": PeriodStatus.ADOPTED}
    assert new.history.count() == 1


def test_activating_after_the_old_one_ended_concludes_it_in_the_same_step(editor):
    old = _tranas("2025-2026", date(2025, 1, 1), date(2026, 12, 31), PeriodStatus.ACTIVE)
    new = _tranas("2027-2028", date(2027, 1, 1), date(2028, 12, 31), PeriodStatus.ADOPTED)

    transition_period(new, by=editor, to=PeriodStatus.ACTIVE, today=date(2027, 1, 2))

    assert _statuses() == {
        "2025-2026": PeriodStatus.CONCLUDED,
        "2027-2028": PeriodStatus.ACTIVE,
    }
    concluded = old.history.first()
    assert (concluded.history_user, concluded.status) == (editor, PeriodStatus.CONCLUDED)
    assert concluded.history_change_reason == "status → concluded (ersatt av 2027-2028)"


def test_activating_before_the_period_starts_is_refused(editor):
    new = _tranas("2027-2028", date(2027, 1, 1), date(2028, 12, 31), PeriodStatus.ADOPTED)

    with pytest.raises(ValidationError) as error:
        transition_period(new, by=editor, to=PeriodStatus.ACTIVE, today=date(2026, 11, 30))

    assert error.value.messages == [
        "Medborgarlöftet kan bli gällande först när perioden har börjat (1 januari 2027). "
        "Till dess är det antaget och visas som kommande."
    ]
    assert _statuses() == {"2027-2028": PeriodStatus.ADOPTED}


def test_renewed_period_activated_early_is_refused_and_staff_and_public_agree(client, editor):
    today = timezone.localdate()
    current = _tranas(
        "nu", date(today.year, 1, 1), date(today.year + 1, 12, 31), PeriodStatus.ACTIVE
    )
    renewed = renew_period(current, by=editor)
    transition_period(
        renewed, by=editor, to=PeriodStatus.ADOPTED, adopted_on=today, decision_reference="KS § 1"
    )
    PromisePeriod.objects.filter(pk=renewed.pk).update(is_published=True)
    client.force_login(editor)

    refused = client.post(
        reverse("promises:period_transition", args=[renewed.pk]), {"to": "active"}
    )
    staff = client.get(reverse("promises:period_list")).content.decode()
    public = client.get(reverse("public:municipality_detail", args=["tranas"])).content.decode()

    assert "Tranås har redan ett gällande medborgarlöfte" in refused.content.decode()
    assert staff.count("<td>Gällande</td>") == 1
    assert staff.count("<td>Antaget</td>") == 1
    current_section = public.split('id="current-heading"')[1].split("</section>")[0]
    upcoming_section = public.split('id="upcoming-heading"')[1].split("</section>")[0]
    assert current.title in current_section
    assert renewed.title not in current_section
    assert renewed.title in upcoming_section


def test_activation_refusal_is_shown_on_the_staff_page_not_a_500(client, editor):
    today = timezone.localdate()
    _tranas("nu", date(today.year - 1, 1, 1), date(today.year + 1, 12, 31), PeriodStatus.ACTIVE)
    new = _tranas("i-ar", date(today.year, 1, 1), date(today.year, 12, 31), PeriodStatus.ADOPTED)
    client.force_login(editor)

    response = client.post(reverse("promises:period_transition", args=[new.pk]), {"to": "active"})

    assert response.status_code == 200
    assert "Tranås har redan ett gällande medborgarlöfte" in response.content.decode()
    assert _statuses()["i-ar"] == PeriodStatus.ADOPTED
