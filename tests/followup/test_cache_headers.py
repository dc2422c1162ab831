"""Public pages may be kept briefly by a shared cache (the nginx in front); staff pages and
anyone with a session never get a shared copy."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from tests import factories


def period_url(period):
    return reverse("public:period_detail", args=[period.municipality.slug, period.slug])


def directives(response):
    return sorted(part.strip() for part in response["Cache-Control"].split(","))


def test_cache_headers_public_page_is_kept_by_shared_caches_with_its_etag(client, db):
    period = factories.running_period()
    factories.activity(period)

    response = client.get(period_url(period))

    assert response.status_code == 200
    assert directives(response) == ["max-age=10", "public", "stale-while-revalidate=60"]
    assert response["ETag"].startswith('"')
    assert response["Vary"] == "HX-Request"
    assert not response.cookies


@pytest.mark.parametrize("prefix, language", [("", "sv"), ("/en", "en")])
def test_cache_headers_pages_do_not_vary_on_accept_language(client, db, prefix, language):
    # The URL alone picks the language; a Vary on Accept-Language would split a shared cache's
    # copy of each page by every browser's Accept-Language string.
    period = factories.running_period()

    response = client.get(prefix + period_url(period), headers={"accept-language": "en"})

    assert response["Vary"] == "HX-Request"
    assert response["Content-Language"] == language


def test_cache_headers_max_age_follows_the_setting(client, db, settings):
    settings.PUBLIC_CACHE_SECONDS = 3
    period = factories.running_period()

    response = client.get(period_url(period))

    assert get_max_age(response) == 3


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("public:index", []),
        ("public:feed", []),
        ("public:theme_detail", ["trafik"]),
        ("public:municipality_detail", ["tranas"]),
    ],
)
def test_cache_headers_every_public_page_kind_is_shared_cacheable(client, db, url_name, args):
    factories.running_period()

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    assert "public" in directives(response)


def test_cache_headers_not_modified_carries_the_same_cache_control(client, db):
    period = factories.running_period()
    first = client.get(period_url(period))

    again = client.get(period_url(period), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert directives(again) == ["max-age=10", "public", "stale-while-revalidate=60"]
    assert again["ETag"] == first["ETag"]


def test_cache_headers_signed_in_user_gets_a_private_answer(client, coordinator):
    period = factories.running_period()
    client.force_login(coordinator)

    response = client.get(period_url(period))

    assert response.status_code == 200
    assert directives(response) == ["no-cache", "private"]
    assert response.has_header("ETag")


def test_cache_headers_signed_in_user_gets_a_private_not_modified(client, coordinator):
    period = factories.running_period()
    client.force_login(coordinator)
    first = client.get(period_url(period))

    again = client.get(period_url(period), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert directives(again) == ["no-cache", "private"]


def test_cache_headers_any_session_cookie_makes_the_answer_private(client, db):
    # A session that has expired (or never was) still marks a staff browser: fail closed.
    period = factories.running_period()
    client.cookies["sessionid"] = "no-such-session"

    response = client.get(period_url(period))

    assert response.status_code == 200
    assert "public" not in directives(response)
    assert "private" in directives(response)


def test_cache_headers_public_copy_served_to_staff_is_marked_private(client, coordinator):
    # The rendered page is cached in the app for everyone; the headers are decided per request.
    period = factories.running_period()
    anonymous = client.get(period_url(period))
    client.force_login(coordinator)

    staff = client.get(period_url(period))

    assert "public" in directives(anonymous)
    assert directives(staff) == ["no-cache", "private"]
    assert staff.content == anonymous.content


def test_cache_headers_missing_page_is_not_shared_cacheable(client, db):
    response = client.get(reverse("public:municipality_detail", args=["finns-inte"]))

    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_cache_headers_staff_dashboard_is_never_shared_cacheable(client, police_reporter):
    client.force_login(police_reporter)

    response = client.get(reverse("staff:dashboard"))

    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
