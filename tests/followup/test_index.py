from datetime import date

import pytest
from django.urls import reverse

from promises.models import Cadence, TargetKind
from tests import factories

pytestmark = pytest.mark.django_db


def make_period(code, *, events=2):
    period = factories.period(municipality_code=code)
    promise = factories.promise(period)
    activity = factories.activity(period, promise_=promise, target_quantity=30)
    factories.activity(period, promise_=promise, target_kind=TargetKind.ONGOING)
    factories.activity(period, target_quantity=4, cadence=Cadence.TERTIAL)
    for day in range(1, events + 1):
        factories.event(activity, date(2024, 1, day))
    return period


def test_index_shows_each_activity_with_done_target_and_status(client):
    period = make_period("0687")

    response = client.get(reverse("followup:index"))

    text = response.content.decode()
    assert "Tranås: Medborgarlöfte 2023–2024" in text
    assert "minst 30 trafikkontroller per år" in text
    assert "2 av 30 trafikkontroller (2024)" in text
    assert "Status: <strong>Ej uppnått</strong>" in text
    assert "Gemensamma aktiviteter" in text  # the activity without a promise
    assert period.promises.get().title in text


def test_index_hides_unpublished_periods(client):
    make_period("0687")
    factories.period(municipality_code="0604", title="Hemligt utkast", is_published=False)

    response = client.get(reverse("followup:index"))

    assert "Hemligt utkast" not in response.content.decode()


def test_index_escapes_user_text(client):
    period = make_period("0687")
    factories.activity(period, description="<script>alert(1)</script>")

    response = client.get(reverse("followup:index"))

    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count_does_not_grow_with_periods(count, client, django_assert_num_queries):
    for code in ["0687", "0604", "1452"][:count]:
        make_period(code, events=count * 3)

    # periods, promises, activities, their organisations, progress sums
    with django_assert_num_queries(5):
        response = client.get(reverse("followup:index"))

    assert response.content.decode().count('class="activity"') == 3 * count
