from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from promises.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


def names_listed(response):
    return [municipality.name for municipality in response.context["page"].object_list]


@pytest.mark.parametrize("query", ["tranas", "Tranås", "TRANÅS", "TRANAS", "  tranås "])
def test_index_search_folds_case_and_swedish_letters(client, query):
    response = client.get(reverse("public:index"), {"q": query})

    assert names_listed(response) == ["Tranås"]


def test_index_search_finds_o_typed_for_ö(client):
    response = client.get(reverse("public:index"), {"q": "hoor"})

    assert names_listed(response) == ["Höör"]


def test_index_search_matches_part_of_a_name(client):
    response = client.get(reverse("public:index"), {"q": "göteborg"})

    assert names_listed(response) == ["Göteborg"]


def test_index_filters_by_county(client):
    response = client.get(reverse("public:index"), {"lan": "06"})

    names = names_listed(response)
    assert "Tranås" in names
    assert "Tyresö" not in names
    assert response.context["page"].paginator.count == 13  # Jönköpings län


def test_index_filters_by_theme_of_published_promises(client):
    traffic = Theme.objects.get(slug="trafik")
    factories.promise(factories.period("0687"), theme=traffic)
    factories.promise(factories.period("0604"))  # another theme
    factories.promise(factories.period("0138", is_published=False), theme=traffic)

    response = client.get(reverse("public:index"), {"tema": "trafik"})

    assert names_listed(response) == ["Tranås"]


def test_index_filters_by_active_promise(client):
    factories.running_period("0687")
    factories.period("0604")  # ended
    factories.running_period("0138", is_published=False)

    response = client.get(reverse("public:index"), {"aktiv": "1"})

    assert names_listed(response) == ["Tranås"]
    assert "Gällande" in response.content.decode()


def test_index_counts_active_kommuner_activities_and_follow_ups_this_year(client):
    today = timezone.localdate()
    active = factories.period_with_work("0687", activities=2, period_=factories.running_period())
    factories.event(active.activities.first(), date(today.year, 1, 2))
    factories.period_with_work("0604", activities=3, events=4)  # ended in 2024
    factories.period_with_work("0138", period_=factories.running_period("0138", is_published=False))

    response = client.get(reverse("public:index"))

    counts = response.context["counts"]
    assert counts.municipalities_with_active_promise == 1
    assert counts.active_activities == 2
    assert counts.follow_ups_this_year == 3


def test_index_lists_latest_follow_ups_with_kommun_and_demo_label(client):
    period = factories.period_with_work("0687", activities=1, events=0)
    factories.event(period.activities.get(), date(2024, 5, 12), summary="Kontroll vid torget.")
    factories.event(period.activities.get(), date(2024, 5, 13), is_demo=True)

    response = client.get(reverse("public:index"))

    text = response.content.decode()
    assert "Kontroll vid torget." in text
    assert "12 maj 2024" in text
    assert text.count("Demoexempel") == 1


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "%", "'", "' OR 1=1 --", "ö" * 500, "a" * 500]
)
def test_index_bad_search_gives_normal_page_with_text_escaped(client, query):
    response = client.get(reverse("public:index"), {"q": query})

    text = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text
    assert response.context["page"].paginator.count == 0


def test_index_escapes_the_search_in_title_and_results(client):
    response = client.get(reverse("public:index"), {"q": "<script>x</script>"})

    text = response.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in text
    assert "<script>x" not in text


def test_index_long_search_is_shortened_with_a_note(client):
    response = client.get(reverse("public:index"), {"q": "a" * 500})

    assert response.context["query"] == "a" * 100
    assert response.context["notes"] == ["Sökningen var för lång och har kortats till 100 tecken."]


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"lan": "99"}, "Vi hittade inte länet du valde, så det filtret används inte."),
        ({"tema": "<b>"}, "Vi hittade inte temat du valde, så det filtret används inte."),
        ({"aktiv": "ja"}, "Filtret för aktiva medborgarlöften förstods inte och används inte."),
        ({"sida": "abc"}, "Sidan ”abc” finns inte. Du ser första sidan i stället."),
        ({"sida": "999"}, "Sidan ”999” finns inte. Du ser första sidan i stället."),
        ({"sida": "-1"}, "Sidan ”-1” finns inte. Du ser första sidan i stället."),
    ],
)
def test_index_malformed_filter_is_ignored_with_a_visible_note(client, params, note):
    response = client.get(reverse("public:index"), params)

    assert response.status_code == 200
    assert response.context["notes"] == [note]
    assert note in response.content.decode()
    assert response.context["page"].paginator.count == 290


def test_index_pages_through_kommuner(client):
    first = client.get(reverse("public:index"))

    second = client.get(reverse("public:index"), {"sida": "2"})

    assert second.context["page"].number == 2
    assert len(names_listed(second)) == 30
    assert set(names_listed(first)).isdisjoint(names_listed(second))
    assert 'href="?sida=3"' in second.content.decode()


def test_index_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(reverse("public:index"), {"q": "tranås"}, headers={"HX-Request": "true"})

    text = response.content.decode()
    assert "<html" not in text
    assert text.strip().startswith('<section id="results"')
    assert "Tranås" in text
    assert response["Vary"].count("HX-Request") == 1


def test_index_has_title_description_and_canonical(client):
    response = client.get(reverse("public:index"), {"q": "x"})

    text = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in text
    assert '<meta name="description" content="Sök din kommun' in text
    assert "<title>Sökning: x – Medborgarlöften i Sveriges kommuner</title>" in text


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count_does_not_grow(count, client, django_assert_num_queries):
    for code in ["0687", "0604", "1452"][:count]:
        factories.period_with_work(
            code, activities=count, events=count, period_=factories.running_period(code)
        )

    # counties, themes, three counts, kommuner count and page, latest follow-ups
    # + the data version (the ETag and cache key)
    with django_assert_num_queries(9):
        response = client.get(reverse("public:index"))

    assert len(response.context["latest_events"]) == min(8, count * count * count)


@pytest.mark.parametrize("count", [1, 3])
def test_index_htmx_query_count_does_not_grow(count, client, django_assert_num_queries):
    for code in ["0687", "0604", "1452"][:count]:
        factories.period_with_work(code, activities=count, events=count)

    # + the data version (the ETag and cache key)
    with django_assert_num_queries(5):
        client.get(reverse("public:index"), {"lan": "06"}, headers={"HX-Request": "true"})
