"""Open-data downloads are built once per data version outside the request and served as files:
a file one version behind is served at once while the worker rebuilds it, no file at all waits
for the worker or answers 503, a proxy in front sends the file itself (X-Accel-Redirect); a
client past its limit gets 429 with Retry-After."""

import json
import os
import threading
import time
from datetime import date, datetime
from datetime import time as dt_time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django_tasks_db.models import DBTaskResult

from followup.public import downloads, opendata
from followup.public.tasks import build_download
from followup.services import log_event
from municipalities.site.schedule import run_due_jobs
from promises.models import PeriodStatus
from tests import factories
from tests.mailbox import drain_tasks

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


def test_write_once_concurrent_builders_write_once_and_do_not_wait(tmp_path):
    path = tmp_path / "handelser-sv.abc123.csv"
    builds, results = [], []
    start = threading.Barrier(4)

    def pieces():
        builds.append(1)
        time.sleep(0.2)  # long enough that the other threads arrive while it builds
        return ["a;b\r\n", "1;2\r\n"]

    def builder():
        start.wait()
        results.append(downloads.write_once(path, tmp_path / "handelser-sv.csv.lock", pieces))

    threads = [threading.Thread(target=builder) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(builds) == 1
    assert sorted(results) == [False, False, False, True]
    assert path.read_bytes() == b"a;b\r\n1;2\r\n"
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [path.name]


def test_write_once_new_version_replaces_the_old_one(tmp_path):
    old = tmp_path / "perioder-sv.version1.json"
    new = tmp_path / "perioder-sv.version2.json"
    lock = tmp_path / "perioder-sv.json.lock"
    downloads.write_once(old, lock, lambda: ["old"])

    downloads.write_once(new, lock, lambda: ["new"])

    assert (old.exists(), new.read_text()) == (False, "new")


def test_published_report_pdf_past_the_client_limit_is_429(client, settings):
    settings.EXPENSIVE_RATE_LIMIT = "1/m"
    url = reverse("reports:published_pdf", args=["tranas", "2023-2024", 1])
    client.get(url)  # a 404 counts too: the limit is on asking, not on finding

    refused = client.get(url)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


# --- Built outside the request -----------------------------------------------------------------


def _log(period, place):
    log_event(
        period.activities.first(),
        by=factories.logger(),
        occurred_on=timezone.localdate(),
        organisation=factories.police_organisation(),
        place=place,
    )


def _running_with_activity(code="0687"):
    today = timezone.localdate()
    period = factories.period(
        code,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        status=PeriodStatus.ACTIVE,
    )
    factories.activity(period, organisations=[factories.police_organisation()])
    return period


def _kommun_events_url():
    return reverse("public:municipality_download", args=["tranas", "handelser", "json"])


def _places(response):
    return [row["plats"] for row in json.loads(body(response))["rader"]]


@pytest.fixture
def worker_queue(settings):
    """Builds go to the worker's queue (the database backend) instead of running at once."""
    settings.DOWNLOADS_TASK_BACKEND = "default"


def test_download_behind_is_served_at_once_and_one_rebuild_is_queued(client, worker_queue):
    period = _running_with_activity()
    downloads.build(downloads.download_for("handelser", "json", "tranas", "sv"))
    [old] = built_files()
    _log(period, "Nya torget")

    first = client.get(_kommun_events_url())
    second = client.get(_kommun_events_url())

    assert (first.status_code, _places(first), _places(second)) == (200, [], [])
    assert first["X-Data-Current"] == "nej"
    assert first["X-Data-Version"] == old.name.split(".")[1]
    assert first["Last-Modified"] == http_date(int(old.stat().st_mtime))
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "followup.public.tasks.build_download"
    assert queued.args_kwargs["kwargs"] == {
        "kommun": "tranas",
        "name": "handelser",
        "fmt": "json",
        "language": "sv",
    }


def test_download_after_the_worker_rebuilt_is_current_and_the_old_file_is_gone(
    client, worker_queue
):
    period = _running_with_activity()
    downloads.build(downloads.download_for("handelser", "json", "tranas", "sv"))
    [old] = built_files()
    _log(period, "Nya torget")
    client.get(_kommun_events_url())

    drain_tasks()
    response = client.get(_kommun_events_url())

    [new] = built_files()
    assert new != old
    assert _places(response) == ["Nya torget"]
    assert response["X-Data-Current"] == "ja"
    assert not downloads.download_for("handelser", "json", "tranas", "sv").queued_marker.exists()


def test_download_national_file_is_rebuilt_at_most_once_a_minute(client, worker_queue):
    period = _running_with_activity()
    downloads.build(downloads.download_for("handelser", "json", None, "sv"))
    [path] = built_files()
    _log(period, "Nya torget")

    fresh = client.get(_events_url())
    queued_while_fresh = DBTaskResult.objects.count()
    two_minutes_ago = time.time() - 120
    os.utime(path, (two_minutes_ago, two_minutes_ago))
    older = client.get(_events_url())

    assert (_places(fresh), _places(older)) == ([], [])
    assert (fresh["X-Data-Current"], older["X-Data-Current"]) == ("nej", "nej")
    assert queued_while_fresh == 0
    assert DBTaskResult.objects.count() == 1


def test_download_without_any_file_waits_for_the_worker_then_answers_503(
    client, worker_queue, monkeypatch
):
    monkeypatch.setattr(downloads, "BUILD_WAIT_SECONDS", 0.3)
    factories.period_with_work("0687")

    started = time.monotonic()
    response = client.get(_events_url())
    waited = time.monotonic() - started

    assert response.status_code == 503
    assert response["Retry-After"] == str(downloads.FIRST_BUILD_RETRY_SECONDS)
    page = response.content.decode()
    assert "<html" in page and 'lang="sv"' in page
    assert "Filen förbereds" in page and "byggs just nu" in page
    assert 0.3 <= waited < 5
    assert DBTaskResult.objects.count() == 1
    assert built_files() == []


def test_download_without_any_file_is_sent_once_the_worker_has_built_it(client, worker_queue):
    factories.period_with_work("0687", events=1)
    downloads.queue_build(downloads.download_for("handelser", "json", None, "sv"))

    drain_tasks()
    response = client.get(_events_url())

    assert (response.status_code, _places(response)) == (200, ["Plats 0"])
    assert response["X-Data-Current"] == "ja"


def test_download_queue_build_twice_queues_one_task(worker_queue):
    wanted = downloads.download_for("perioder", "csv", None, "sv")

    queued = [downloads.queue_build(wanted), downloads.queue_build(wanted)]

    assert queued == [True, False]
    assert DBTaskResult.objects.count() == 1


def test_download_behind_a_proxy_is_an_accel_redirect_with_the_files_headers(client, settings):
    settings.DOWNLOADS_ACCEL_REDIRECT = "/_downloads/"
    factories.period_with_work("0687")

    response = client.get(reverse("public:download", args=["handelser-excel", "csv"]))

    [path] = sorted((settings.BUILD_DIR / "opendata").rglob("*.csv"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_downloads/sverige/{path.name}"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="medborgarloften-sverige-handelser-excel.csv"'
    )
    assert response["Last-Modified"] == http_date(int(path.stat().st_mtime))
    assert response["ETag"] == downloads.etag_of(path.stat())
    assert response["Cache-Control"] == f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
    assert response["X-Data-Current"] == "ja"


def test_download_behind_a_proxy_answers_304_itself(client, settings):
    settings.DOWNLOADS_ACCEL_REDIRECT = "/_downloads/"
    factories.period_with_work("0687")
    first = client.get(_events_url())

    again = client.get(_events_url(), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert "X-Accel-Redirect" not in again


def test_build_download_task_builds_the_current_file_and_removes_older_ones():
    period = _running_with_activity()
    wanted = downloads.download_for("handelser", "csv", None, "en")
    old = downloads.build(wanted)
    _log(period, "Nya torget")

    built = build_download.call(kommun=None, name="handelser", fmt="csv", language="en")
    again = build_download.call(kommun=None, name="handelser", fmt="csv", language="en")

    [new] = sorted((settings.BUILD_DIR / "opendata").rglob("*.csv"))
    assert (built, again) == (True, False)
    assert new != old and not old.exists()
    assert new.name.startswith("handelser-en.")
    assert "Nya torget" in new.read_text(encoding="utf-8")
    assert "/en/kommuner/tranas/" not in new.read_text(encoding="utf-8")  # events have no URL


def test_build_downloads_command_builds_every_national_file_once(capsys):
    factories.period_with_work("0687")

    call_command("build_downloads")
    call_command("build_downloads", "--dataset", "perioder")

    files = sorted(_unversioned(p).removeprefix("sverige/") for p in opendata_files())
    datasets = len(opendata.DATASETS)
    assert len(files) == datasets * 3 * len(settings.LANGUAGES)
    assert "perioder-excel-sv.csv" in files and "aktiviteter-en.json" in files
    assert {p.parent.name for p in opendata_files()} == {"sverige"}
    out = capsys.readouterr().out
    assert f"{datasets * 3 * 2} file(s) built" in out
    assert "0 file(s) built" in out


def test_build_downloads_command_for_a_kommun_and_one_language():
    factories.period_with_work("0687")

    call_command("build_downloads", "--kommun", "tranas", "--dataset", "loften", "--language", "sv")

    names = ["loften-excel-sv.csv", "loften-sv.csv", "loften-sv.json"]
    assert sorted(_unversioned(p) for p in opendata_files()) == [
        f"{place}/{name}" for place in ("sverige", "tranas") for name in names
    ]


def _unversioned(path):
    stem, _version, suffix = path.name.split(".")
    return f"{path.parent.name}/{stem}.{suffix}"


def test_build_downloads_command_refuses_an_unknown_dataset_or_kommun():
    with pytest.raises(CommandError, match="finns-inte"):
        call_command("build_downloads", "--dataset", "finns-inte")
    with pytest.raises(CommandError, match="atlantis"):
        call_command("build_downloads", "--kommun", "atlantis")


def test_schedule_builds_the_national_downloads_after_midnight(settings):
    now = timezone.make_aware(datetime.combine(timezone.localdate(), dt_time(0, 6)))
    factories.period_with_work("0687")

    started = run_due_jobs(now)
    drain_tasks()

    assert "build_downloads" in started
    assert len(list(opendata_files())) == len(opendata.DATASETS) * 3 * len(settings.LANGUAGES)


def opendata_files():
    root = settings.BUILD_DIR / "opendata"
    return [p for p in root.rglob("*") if p.suffix in (".csv", ".json")] if root.exists() else []


def test_build_downloads_command_for_one_format():
    factories.period_with_work("0687")

    call_command(
        "build_downloads", "--dataset", "handelser", "--format", "excel", "--language", "sv"
    )

    assert [_unversioned(p) for p in opendata_files()] == ["sverige/handelser-excel-sv.csv"]
