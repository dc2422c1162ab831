"""Open-data downloads are built once per data version and served as files; a client past its
limit gets 429 with Retry-After; a host whose render slots are all taken answers 503."""

import json
import threading
import time
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from followup.public import opendata
from followup.services import log_event
from municipalities.site import throttle
from promises.models import PeriodStatus
from tests import factories

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def built_files():
    return sorted((settings.BUILD_DIR / "opendata").rglob("*.json"))


def _events_url():
    return reverse("public:download", args=["handelser", "json"])


def test_download_is_built_once_and_then_read_from_its_file(client):
    factories.period_with_work("0687", events=2)
    first = body(client.get(_events_url()))
    [path] = built_files()
    # Mark the file: if the second answer carries the mark, it was read, not built again.
    path.write_text(first.replace('"Plats 0"', '"Plats ur filen"'), encoding="utf-8")

    second = client.get(_events_url())

    places = [row["plats"] for row in json.loads(body(second))["rader"]]
    assert places == ["Plats ur filen", "Plats 1"]
    assert built_files() == [path]


def test_download_after_a_write_is_a_new_file_and_the_old_one_is_gone(client):
    today = timezone.localdate()
    period = factories.period(
        "0687",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        status=PeriodStatus.ACTIVE,
    )
    activity = factories.activity(period, organisations=[factories.police_organisation()])
    client.get(_events_url())
    [before] = built_files()

    log_event(
        activity,
        by=factories.logger(),
        occurred_on=today,
        organisation=factories.police_organisation(),
        place="Nya torget",
    )
    response = client.get(_events_url())

    [after] = built_files()
    assert after != before
    assert [row["plats"] for row in json.loads(body(response))["rader"]] == ["Nya torget"]


def test_download_has_validators_and_answers_304_to_its_date(client):
    factories.period_with_work("0687")
    response = client.get(_events_url())
    body(response)

    again = client.get(_events_url(), headers={"If-Modified-Since": response["Last-Modified"]})
    by_etag = client.get(_events_url(), headers={"If-None-Match": response["ETag"]})

    [path] = built_files()
    assert response["Last-Modified"] == http_date(int(path.stat().st_mtime))
    assert response["ETag"].startswith('"')
    assert (again.status_code, by_etag.status_code) == (304, 304)


def test_download_kommun_and_country_are_separate_files(client):
    factories.period_with_work("0687")
    factories.period_with_work("0604")

    kommun = client.get(reverse("public:municipality_download", args=["tranas", "loften", "json"]))
    country = client.get(reverse("public:download", args=["loften", "json"]))

    assert [r["kommun_kod"] for r in json.loads(body(kommun))["rader"]] == ["0687"]
    assert [r["kommun_kod"] for r in json.loads(body(country))["rader"]] == ["0604", "0687"]
    assert [path.parent.name for path in built_files()] == ["sverige", "tranas"]


def test_download_past_the_client_limit_is_429_with_retry_after(client, settings):
    settings.EXPENSIVE_RATE_LIMIT = "2/m"
    factories.period_with_work("0687")
    url = reverse("public:download", args=["perioder", "csv"])
    statuses = [client.get(url).status_code for _ in range(2)]

    refused = client.get(url)
    other_client = client.get(url, REMOTE_ADDR="192.0.2.7")

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "För många förfrågningar" in refused.content.decode()
    assert other_client.status_code == 200


def test_download_when_every_render_slot_is_taken_is_503_with_retry_after(client, settings):
    settings.RENDER_SLOTS = 1
    factories.period_with_work("0687")

    with throttle.render_slot():
        response = client.get(_events_url())

    assert response.status_code == 503
    assert response["Retry-After"] == str(throttle.BUSY_RETRY_SECONDS)
    assert built_files() == []


def test_built_file_concurrent_first_requests_build_once(tmp_path):
    path = tmp_path / "handelser-sv.abc123.csv"
    builds = []
    start = threading.Barrier(4)

    def pieces():
        builds.append(1)
        time.sleep(0.2)  # long enough that the other threads arrive while it builds
        return ["a;b\r\n", "1;2\r\n"]

    def request():
        start.wait()
        opendata.built_file(path, pieces)

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(builds) == 1
    assert path.read_bytes() == b"a;b\r\n1;2\r\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [path.name]


def test_built_file_new_version_replaces_the_old_one(tmp_path):
    old = tmp_path / "perioder-sv.version1.json"
    new = tmp_path / "perioder-sv.version2.json"
    opendata.built_file(old, lambda: ["old"])

    opendata.built_file(new, lambda: ["new"])

    assert (old.exists(), new.read_text()) == (False, "new")


def test_published_report_pdf_past_the_client_limit_is_429(client, settings):
    settings.EXPENSIVE_RATE_LIMIT = "1/m"
    url = reverse("reports:published_pdf", args=["tranas", "2023-2024", 1])
    client.get(url)  # a 404 counts too: the limit is on asking, not on finding

    refused = client.get(url)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
