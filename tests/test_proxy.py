"""The shipped nginx configuration (config/nginx/portal.conf) in front of a live server: its
cache of public pages, static files, and the open-data files it sends on X-Accel-Redirect.

nginx comes from Debian (`.ci/system-deps` installs it as root); without it these tests are
skipped, except in CI, where a missing nginx is a failure.
"""

import gzip
import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from bench.proxy import get, nginx_binary, render, running_nginx
from followup import services
from followup.public import downloads
from municipalities.models import Role
from municipalities.site import throttle
from tests import factories

MAX_AGE = 2


def test_proxy_render_refuses_a_missing_or_unknown_placeholder():
    template = "listen ${PORTAL_LISTEN}; root $document_root;"

    filled = render(template, {"PORTAL_LISTEN": "127.0.0.1:8080"})

    assert filled == "listen 127.0.0.1:8080; root $document_root;"
    with pytest.raises(ValueError, match="missing"):
        render(template, {})
    with pytest.raises(ValueError, match="unused"):
        render(template, {"PORTAL_LISTEN": "1", "PORTAL_TYPO": "2"})


@pytest.fixture
def proxy(live_server, settings, tmp_path):
    """nginx with the shipped configuration in front of the live server; its own empty cache."""
    if nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI (.ci/system-deps installs it as root)")
        pytest.skip("nginx is not installed (as root: apt-get install nginx)")
    settings.PUBLIC_CACHE_SECONDS = MAX_AGE
    app = live_server.url.removeprefix("http://")
    static_root = Path(django_settings.BASE_DIR) / "static"
    with running_nginx(app, static_root, tmp_path, workers=1) as (port, _files_port):
        yield port


def period_url(period):
    return reverse("public:period_detail", args=[period.municipality.slug, period.slug])


def log(activity, place):
    services.log_event(
        activity,
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=activity.responsible_organisations.first(),
        quantity=1,
        place=place,
    )


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_proxy_public_page_is_served_from_the_cache(proxy):
    period = factories.running_period()
    factories.activity(period)

    _, first, first_body = get(proxy, period_url(period))
    status, second, second_body = get(proxy, period_url(period))

    assert status == 200
    assert (first["X-Cache-Status"], second["X-Cache-Status"]) == ("MISS", "HIT")
    assert second_body == first_body
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]


def test_proxy_write_is_visible_within_max_age(proxy):
    period = factories.running_period()
    activity = factories.activity(period)
    get(proxy, period_url(period))
    cached_at = time.monotonic()

    log(activity, "Det nya torget")
    _, right_after, stale_body = get(proxy, period_url(period))
    # nginx counts whole seconds, so its copy may live up to one second past max-age.
    time.sleep(max(0.0, cached_at + MAX_AGE + 1.1 - time.monotonic()))
    # The first request after the copy expires may still get it (nginx renews it in the
    # background); the one after that has the write.
    bodies = [get(proxy, period_url(period))[2]]
    time.sleep(0.5)
    bodies.append(get(proxy, period_url(period))[2])
    seen_after = time.monotonic() - cached_at

    assert right_after["X-Cache-Status"] == "HIT"
    assert "Det nya torget" not in stale_body.decode()
    assert "Det nya torget" in bodies[-1].decode()
    assert seen_after < MAX_AGE + 3


def test_proxy_signed_in_staff_bypass_the_cache_and_see_a_write_at_once(proxy, coordinator):
    period = factories.running_period()
    activity = factories.activity(period)
    cookie = session_cookie(coordinator)
    get(proxy, period_url(period))

    log(activity, "Stationsgatan")
    _, anonymous, anonymous_body = get(proxy, period_url(period))
    _, staff, staff_body = get(proxy, period_url(period), Cookie=cookie)

    assert anonymous["X-Cache-Status"] == "HIT"
    assert "Stationsgatan" not in anonymous_body.decode()
    assert staff["X-Cache-Status"] == "BYPASS"
    assert staff["Cache-Control"] == "private, no-cache"
    assert "Stationsgatan" in staff_body.decode()


def test_proxy_staff_page_is_never_cached(proxy):
    reporter = factories.member(factories.police_organisation("Höglandet"), Role.REPORTER, "polis")
    cookie = session_cookie(reporter)

    status, headers, body = get(proxy, reverse("staff:dashboard"), Cookie=cookie)

    assert status == 200
    assert "X-Cache-Status" not in headers
    assert "polis" in body.decode()


def test_proxy_compresses_pages_for_clients_that_accept_gzip(proxy):
    period = factories.running_period()
    factories.activity(period)
    _, _, plain = get(proxy, period_url(period))

    _, headers, body = get(proxy, period_url(period), **{"Accept-Encoding": "gzip"})

    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert len(body) < len(plain) / 2


def test_proxy_sends_static_files_itself(proxy):
    on_disk = (Path(django_settings.BASE_DIR) / "static" / "css" / "portal.css").read_bytes()

    status, headers, body = get(proxy, "/static/css/portal.css")

    assert status == 200
    assert body == on_disk
    # Only nginx's static location says this; the app would not.
    assert headers["Cache-Control"] == "public, max-age=3600"
    assert "X-Cache-Status" not in headers


@pytest.fixture
def download_proxy(live_server, settings, tmp_path):
    """nginx as above, sending the open-data files the app names with X-Accel-Redirect."""
    if nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing in CI (.ci/system-deps installs it as root)")
        pytest.skip("nginx is not installed (as root: apt-get install nginx)")
    settings.PUBLIC_CACHE_SECONDS = MAX_AGE
    settings.DOWNLOADS_ACCEL_REDIRECT = "/_downloads/"
    downloads_root = throttle.build_dir("opendata")
    app = live_server.url.removeprefix("http://")
    static_root = Path(django_settings.BASE_DIR) / "static"
    with running_nginx(app, static_root, tmp_path, workers=1, downloads_root=downloads_root) as (
        port,
        _files_port,
    ):
        yield port


def test_proxy_sends_a_download_itself_with_the_apps_headers(download_proxy):
    factories.period_with_work("0687", events=3)

    status, headers, body = get(download_proxy, "/data/handelser-excel.csv")

    [path] = sorted(throttle.build_dir("opendata").rglob("*.csv"))
    assert status == 200
    assert body == path.read_bytes()
    assert body.decode("utf-8-sig").startswith("handelse_id;aktivitet_id;")
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="medborgarloften-sverige-handelser-excel.csv"'
    )
    assert headers["Last-Modified"] == http_date(int(path.stat().st_mtime))
    assert headers["ETag"] == downloads.etag_of(path.stat())
    assert headers["Cache-Control"] == f"public, max-age={MAX_AGE}"
    assert (headers["X-Data-Version"], headers["X-Data-Current"]) == (path.name.split(".")[1], "ja")
    # Sent by nginx's internal location, not relayed from the app through the cached location.
    assert "X-Accel-Redirect" not in headers and "X-Cache-Status" not in headers
    assert headers["Accept-Ranges"] == "bytes"


def test_proxy_download_answers_conditional_and_range_requests(download_proxy):
    factories.period_with_work("0687", events=3)
    _, first, body = get(download_proxy, "/data/handelser.json")

    by_etag = get(download_proxy, "/data/handelser.json", **{"If-None-Match": first["ETag"]})
    by_date = get(
        download_proxy, "/data/handelser.json", **{"If-Modified-Since": first["Last-Modified"]}
    )
    status, headers, part = get(download_proxy, "/data/handelser.json", Range="bytes=0-9")

    assert (by_etag[0], by_date[0]) == (304, 304)
    assert (status, part) == (206, body[:10])
    assert headers["Content-Type"] == "application/json; charset=utf-8"


def test_proxy_download_is_compressed_for_clients_that_accept_gzip(download_proxy):
    factories.period_with_work("0687", events=40)
    _, _, plain = get(download_proxy, "/data/handelser.csv")

    _, headers, body = get(download_proxy, "/data/handelser.csv", **{"Accept-Encoding": "gzip"})

    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain


def test_proxy_internal_download_location_is_not_reachable_from_outside(download_proxy):
    factories.period_with_work("0687")
    get(download_proxy, "/data/perioder.csv")
    [path] = sorted(throttle.build_dir("opendata").rglob("*.csv"))

    status, _, body = get(download_proxy, f"/_downloads/sverige/{path.name}")

    assert status == 404
    assert path.read_bytes() not in body
