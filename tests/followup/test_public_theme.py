"""The theme page one page of kommuner at a time, with the totals of the whole theme (issue 17)."""

from datetime import date

import pytest
from django.urls import reverse

from followup.public.views import THEME_MUNICIPALITIES_PER_PAGE
from municipalities.models import Municipality
from promises.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


def _theme_in(municipalities, theme):
    """One published promise on the theme in each kommun; the first kommun's period is running."""
    for index, municipality in enumerate(municipalities):
        period = (
            factories.running_period(municipality.code)
            if index == 0
            else factories.period(municipality.code)
        )
        factories.promise(period, title=f"Löfte i {municipality.name}", theme=theme)


def test_theme_page_lists_one_page_of_kommuner_and_counts_the_whole_theme(client):
    traffic = Theme.objects.get(slug="trafik")
    municipalities = list(
        Municipality.objects.order_by("name")[: THEME_MUNICIPALITIES_PER_PAGE + 1]
    )
    _theme_in(municipalities, traffic)
    url = reverse("public:theme_detail", args=["trafik"])

    first = client.get(url)
    second = client.get(url, {"sida": "2"})

    first_names = [row["municipality"].name for row in first.context["rows"]]
    second_names = [row["municipality"].name for row in second.context["rows"]]
    assert first_names == [m.name for m in municipalities[:THEME_MUNICIPALITIES_PER_PAGE]]
    assert second_names == [municipalities[-1].name]
    assert second.context["counts"].municipalities == THEME_MUNICIPALITIES_PER_PAGE + 1
    assert second.context["counts"].active == 1
    assert f"Löfte i {municipalities[-1].name}" in second.content.decode()
    assert f"Löfte i {municipalities[0].name}" not in second.content.decode()
    assert 'href="?sida=2" rel="next"' in first.content.decode()


def test_theme_page_keeps_a_kommuns_promises_together_and_links_each_period(client):
    traffic = Theme.objects.get(slug="trafik")
    older = factories.period("0687", starts_on=date(2019, 1, 1), ends_on=date(2020, 12, 31))
    newer = factories.running_period("0687")
    factories.promise(older, title="Äldre trafiklöfte", theme=traffic)
    factories.promise(newer, title="Nyare trafiklöfte", theme=traffic)
    factories.promise(newer, title="Ett annat tema")

    response = client.get(reverse("public:theme_detail", args=["trafik"]))

    [row] = response.context["rows"]
    assert [p.title for p in row["promises"]] == ["Nyare trafiklöfte", "Äldre trafiklöfte"]
    assert row["municipality"].active is True
    expected = reverse("public:period_detail", args=["tranas", newer.slug])
    assert f'<a href="{expected}">Nyare trafiklöfte</a>' in response.content.decode()


def test_theme_page_malformed_page_number_shows_the_first_page_with_a_note(client):
    traffic = Theme.objects.get(slug="trafik")
    _theme_in(list(Municipality.objects.order_by("name")[:2]), traffic)

    response = client.get(reverse("public:theme_detail", args=["trafik"]), {"sida": "tre"})

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert "Sidan ”tre” finns inte. Du ser första sidan i stället." in response.content.decode()


def test_theme_page_counts_only_published_promises(client):
    traffic = Theme.objects.get(slug="trafik")
    factories.promise(factories.running_period("0687"), title="Synligt", theme=traffic)
    hidden = factories.running_period("0604", is_published=False)
    factories.promise(hidden, title="Dolt", theme=traffic)

    response = client.get(reverse("public:theme_detail", args=["trafik"]))

    assert response.context["counts"].municipalities == 1
    assert response.context["counts"].active == 1
    assert [row["municipality"].name for row in response.context["rows"]] == ["Tranås"]
    assert "Dolt" not in response.content.decode()
