from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from promises.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db


# --- Theme ------------------------------------------------------------------------------------


def test_theme_lists_kommuner_with_such_promises_and_national_totals(client):
    traffic = Theme.objects.get(slug="trafik")
    tranas = factories.running_period("0687")
    promise = factories.promise(tranas, title="En säker trafikmiljö.", theme=traffic)
    activity = factories.activity(tranas, promise_=promise)
    factories.event(activity, date(tranas.starts_on.year, 1, 2), quantity=7)
    aneby = factories.period("0604")
    factories.promise(aneby, title="Trafiken i Aneby.", theme=traffic)
    factories.promise(factories.period("0138"), title="Annat tema.")
    factories.promise(factories.period("1452", is_published=False), theme=traffic, title="Dold")

    response = client.get(reverse("public:theme_detail", args=["trafik"]))

    text = response.content.decode()
    names = [row["municipality"].name for row in response.context["rows"]]
    assert names == ["Aneby", "Tranås"]
    assert response.context["counts"].municipalities == 2
    assert response.context["counts"].active == 1
    assert "<strong>7</strong> trafikkontroller" in text
    assert "Annat tema." not in text
    assert "Dold" not in text


def test_theme_unknown_slug_is_friendly_404(client):
    response = client.get("/teman/finns-inte/")

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_theme_query_count_does_not_grow(count, client, django_assert_num_queries):
    traffic = Theme.objects.get(slug="trafik")
    for code in ["0687", "0604", "1452"][:count]:
        period = factories.period_with_work(code, activities=count, events=count)
        period.promises.update(theme=traffic)

    # theme, the kommuner counted and their page, their promises on the theme, the counts for
    # the whole theme, totals, the other themes + the data version (the ETag and cache key)
    with django_assert_num_queries(8):
        response = client.get(reverse("public:theme_detail", args=["trafik"]))

    assert len(response.context["rows"]) == count


# --- Static pages -----------------------------------------------------------------------------


def test_how_we_count_states_the_rules(client):
    response = client.get(reverse("public:how_we_count"))

    text = response.content.decode()
    assert "avrundat nedåt" in text  # expected to date
    assert "avrundas uppåt" in text  # prorated partial buckets
    assert "Ingen uppföljning registrerad" in text
    assert "Pågår" in text
    assert "Avslutad" in text
    assert "aldrig som ett genomsnitt av procent" in text


@pytest.mark.parametrize(
    ("name", "heading"),
    [("about", "Om tjänsten"), ("how_we_count", "Så räknar vi"), ("data", "Öppna data")],
)
def test_static_pages_have_title_description_and_heading(client, name, heading):
    response = client.get(reverse(f"public:{name}"))

    text = response.content.decode()
    assert f"<h1>{heading}</h1>" in text
    assert f"<title>{heading} – Medborgarlöften</title>" in text
    assert '<meta name="description" content="' in text


# --- Embed ------------------------------------------------------------------------------------


def test_embed_may_be_framed_by_other_sites(client):
    period = factories.period_with_work("0687")

    response = client.get(reverse("public:period_embed", args=["tranas", period.slug]))

    assert "frame-ancestors 'self' https:" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    text = response.content.decode()
    assert "0 av 1 aktivitet med mål uppnådd</p>" in text
    assert f'href="/kommuner/tranas/{period.slug}/" target="_blank"' in text


def test_other_pages_may_not_be_framed(client):
    period = factories.period_with_work("0687")

    response = client.get(reverse("public:period_detail", args=["tranas", period.slug]))

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_embed_of_unpublished_period_is_404(client):
    period = factories.period_with_work("0687", is_published=False)

    response = client.get(reverse("public:period_embed", args=["tranas", period.slug]))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_embed_query_count_does_not_grow(count, client, django_assert_num_queries):
    period = factories.period_with_work("0687", activities=count, events=count)

    # The period, its promises and activities, the progress sums, + the data version (the ETag
    # and cache key); the embed names no responsible organisations, so none are read.
    with django_assert_num_queries(5):
        client.get(reverse("public:period_embed", args=["tranas", period.slug]))


# --- Findability ------------------------------------------------------------------------------


def test_robots_keeps_staff_and_admin_out_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /personal/" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_published_periods_kommuner_themes_in_both_languages(client):
    period = factories.period_with_work("0687")
    hidden = factories.period_with_work("0604", is_published=False)

    response = client.get("/sitemap.xml")

    text = response.content.decode()
    assert f"<loc>http://testserver/kommuner/tranas/{period.slug}/</loc>" in text
    assert f"<loc>http://testserver/en/kommuner/tranas/{period.slug}/</loc>" in text
    assert "<loc>http://testserver/kommuner/tranas/</loc>" in text
    assert "<loc>http://testserver/teman/trafik/</loc>" in text
    assert "<loc>http://testserver/om/sa-raknar-vi/</loc>" in text
    assert hidden.slug not in text
    assert "/kommuner/aneby/" not in text


# --- Errors -----------------------------------------------------------------------------------


def test_unknown_page_is_friendly_404_with_search(client):
    response = client.get("/finns-inte/")

    text = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in text
    assert 'role="search"' in text


def test_500_page_renders_without_request_or_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    assert "<h1>Något gick fel</h1>" in response.content.decode()
    assert "Något gick fel" in render_to_string("500.html")


# --- Language ---------------------------------------------------------------------------------


def test_swedish_is_the_default_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})

    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Hitta din kommun" in text


def test_english_lives_under_en(client):
    response = client.get("/en/om/sa-raknar-vi/")

    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "<h1>How we count</h1>" in text


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    period = factories.period_with_work("0687")

    swedish = client.get(f"/kommuner/tranas/{period.slug}/").content.decode()
    english = client.get(f"/en/kommuner/tranas/{period.slug}/").content.decode()

    assert f'<a href="/en/kommuner/tranas/{period.slug}/" hreflang="en" lang="en">' in swedish
    assert f'<a href="/kommuner/tranas/{period.slug}/" hreflang="sv" lang="sv">' in english
    assert "Medborgarlöfte 2023–2024" in english  # promise texts stay as written


def test_english_pages_translate_status_and_targets(client):
    period = factories.period_with_work("0687")

    response = client.get(f"/en/kommuner/tranas/{period.slug}/")

    text = response.content.decode()
    assert "Status: <strong>Not achieved</strong>" in text
    assert "at least 30 trafikkontroller per year" in text


def test_english_pages_mark_swedish_promise_texts_with_lang(client):
    period = factories.period_with_work("0687")

    english = client.get(f"/en/kommuner/tranas/{period.slug}/").content.decode()
    swedish = client.get(f"/kommuner/tranas/{period.slug}/").content.decode()

    assert '<h3 class="activity-title" lang="sv">' in english
    assert f'<span lang="sv">{period.title}</span></h1>' in english
    assert swedish.count(' lang="sv"') == 1  # only <html lang="sv">
