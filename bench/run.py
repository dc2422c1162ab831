"""`make bench`: the portal's pages at three data sizes, and throughput under load.

Run against a throwaway PostgreSQL (``.ci/with-postgres``; ``DATABASE_URL`` must point at it,
everything in that database is overwritten). For each size (about 10 thousand, 100 thousand and
1 million follow-up events over 290 kommuner and ten years) the synthetic data set is generated
afresh, then every page type is requested in-process with Django's test client: the number of
queries, and the median and 95th percentile of the server time. Public pages are also asked
again with the ETag they answered (``If-None-Match``) and must answer 304. At the largest size
the national CSV file is built (as the worker builds it) in a child process to measure its
peak memory, and the period page and a trivial view (``/robots.txt``, which touches no
database) are served by gunicorn (3 workers on 127.0.0.1) and loaded by a bounded load generator
(keep-alive threads, fixed concurrency and duration).

One table is printed and written as JSON to ``bench/results/`` (``latest.json`` and a dated
copy). Options: ``--sizes 10000,100000`` (fewer or other sizes), ``--runs N``, ``--load-seconds N``.

Public reads at the proxy (``bench/proxy.py``): nginx, installed from Debian if missing, runs the
shipped ``config/nginx/portal.conf`` in front of gunicorn on loopback ports; wrk loads the period
page through nginx's cache and a static file of the same bytes sent by the same nginx (the
ceiling); the target is at least half the static rate. Then the overload row, the production
path: the national events CSV is built beforehand by ``manage.py build_downloads`` (as a deploy
does), gunicorn runs with ``DOWNLOADS_ACCEL_REDIRECT`` so nginx sends the file, and the period
page is timed through nginx idle and while 8 clients download that CSV in a loop: it must stay
within 2x its idle time, and the downloads must be answered 200 (a 429 past the per-client limit
is fine, a 5xx is not).

Before and after (``bench/compare_before.py``): the code of the commit before this round is
exported from git, given its own database with the same generated data at the largest size, and
each public page is timed on both versions in alternation, so that "no page slower than before"
is read from the same minutes and not from a median stored on another day.
"""

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench import compare_before, proxy  # noqa: E402 — after the repository is on the path

# The production settings, as gunicorn gets them; the test client's host name is allowed too.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-" + "x" * 60,
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
SIZES = [10_000, 100_000, 1_000_000]
LOAD_SECONDS = 10
LOAD_CONCURRENCY = 8
CSV_MEMORY_LIMIT_MB = 150
# The last run before this round's restructuring (commit 6004cae): no page may be slower.
BASELINE = "bench-20261129T194730Z.json"
BASELINE_TOLERANCE = 1.10


def setup_django():
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at a throwaway PostgreSQL (.ci/with-postgres).")
    import django

    django.setup()


# --- Choosing the pages --------------------------------------------------------------------------


def pick_targets():
    """Deterministic URLs: the kommun with most events, its current period, the busiest activity."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from followup.models import FollowUpEvent
    from followup.services import log_event
    from promises.models import Activity, PromisePeriod, Theme

    today = timezone.localdate()
    busiest = (
        FollowUpEvent.objects.values("activity__period__municipality")
        .annotate(n=Count("id"))
        .order_by("-n", "activity__period__municipality")
        .first()
    )
    period = (
        PromisePeriod.objects.published()
        .filter(municipality_id=busiest["activity__period__municipality"])
        .covering(today)
        .select_related("municipality")
        .order_by("-starts_on", "pk")
        .first()
    )
    activity = (
        Activity.objects.filter(period=period)
        .annotate(n=Count("events"))
        .order_by("-n", "pk")
        .first()
    )
    theme = Theme.objects.annotate(n=Count("promises")).order_by("-n", "pk").first()
    kommun, slug = period.municipality.slug, period.slug
    elsewhere = (
        Activity.objects.filter(period__in=PromisePeriod.objects.published().covering(today))
        .exclude(period__municipality=period.municipality)
        .select_related("period")
        .order_by("pk")
        .first()
    )

    # Logs as the services do for a signed-in editor (any organisation of an activity), so each
    # write renews its kommun's data version as a real one would.
    writer, _ = get_user_model().objects.get_or_create(
        username="bench-writer", defaults={"is_superuser": True}
    )

    def writes_to(activity):
        def write():
            log_event(
                activity,
                by=writer,
                occurred_on=min(today, activity.period.ends_on),
                organisation=activity.responsible_organisations.first(),
            )

        return write

    return {
        "period": period,
        "activity": activity,
        # An event logged in another kommun: the period's kommun's cached pages stay.
        "write_elsewhere": writes_to(elsewhere),
        # An event logged to the period's busiest activity: its kommun's pages are renewed.
        "write_here": writes_to(activity),
        "urls": {
            "index": reverse("public:index"),
            "kommun": reverse("public:municipality_detail", args=[kommun]),
            "period": reverse("public:period_detail", args=[kommun, slug]),
            "activity": reverse("public:activity_detail", args=[kommun, slug, activity.pk]),
            "theme": reverse("public:theme_detail", args=[theme.slug]),
            "feed": reverse("public:feed"),
            "csv (country)": reverse("public:download", args=["handelser", "csv"]),
        },
    }


# --- Timing --------------------------------------------------------------------------------------


def empty_caches():
    """Every cache emptied (pages, dashboard rows, the period page's cards): what a page costs
    rendered from nothing."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def percentile(values, q):
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def measure(call, runs, warmups, before=None):
    """Median and p95 in ms of ``call``, and its query count (which must not vary).

    ``before``, if given, runs ahead of each call, outside the timing and the query count.
    """
    return measure_alternately({"call": (call, before)}, runs, warmups)["call"]


def measure_alternately(rows, runs, warmups):
    """``measure`` of several rows (name → ``(call, before)``), taken in turn within each run, so
    that all of them meet the same minutes of this machine (whose speed drifts by tens of per
    cent within an hour) and their ratio compares code with code."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmups):
        for call, _before in rows.values():
            call()
    times = {name: [] for name in rows}
    counts = {name: set() for name in rows}
    for _ in range(runs):
        for name, (call, before) in rows.items():
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                call()
                times[name].append((time.perf_counter() - started) * 1000)
            counts[name].add(len(captured.captured_queries))
    return {
        name: {
            "queries": max(counts[name]),
            "queries_vary": len(counts[name]) > 1,
            "median_ms": round(statistics.median(times[name]), 2),
            "p95_ms": round(percentile(times[name], 95), 2),
            "runs": runs,
        }
        for name in rows
    }


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018 — read it, as a server would
    assert response.status_code in (200, 304), (url, response.status_code)
    return response


def conditional(client, url):
    """'304' when the page answers its own ETag/Last-Modified with 304, else what it did."""
    first = client.get(url)
    first.close()  # the validators are in the headers; a long download is not read
    headers = {}
    if first.has_header("ETag"):
        headers["if_none_match"] = first["ETag"]
    if first.has_header("Last-Modified"):
        headers["if_modified_since"] = first["Last-Modified"]
    if not headers:
        return "no validator"
    return str(fetch(client, url, **headers).status_code)


def _lpo_of_three_kommuner():
    """The police organisation (a local police area) that covers exactly three kommuner and is
    responsible for the most activities in periods followed up now; ties by id. None when the
    data has no such area."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery

    from municipalities.models import Organisation, PoliceAreaCoverage
    from promises.models import Activity, PeriodStatus

    kommuner = (
        PoliceAreaCoverage.objects.filter(police_area=OuterRef("police_area"))
        .order_by()
        .values("police_area")
        .annotate(n=Count("municipality", distinct=True))
        .values("n")
    )
    followed = (
        Activity.objects.filter(
            responsible_organisations=OuterRef("pk"),
            period__status__in=(PeriodStatus.ADOPTED, PeriodStatus.ACTIVE),
        )
        .order_by()
        .values("responsible_organisations")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Organisation.objects.police()
        .annotate(
            kommuner=Subquery(kommuner, output_field=IntegerField()),
            followed=Subquery(followed, output_field=IntegerField()),
        )
        .filter(kommuner=3)
        .order_by("-followed", "pk")
        .first()
    )


# Transaction control that is not the request's own work: the bench's rollback wrapper (BEGIN,
# ROLLBACK) and, inside it, the savepoint that the service's outermost atomic block becomes (in a
# real request: its BEGIN/COMMIT). Any other savepoint the code opens is counted.
_WRAPPER_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}


def request_statements(captured) -> list[str]:
    """The SQL a request sends, without transaction control: BEGIN/COMMIT/ROLLBACK and the
    outermost savepoint (opened and released or rolled back), which are the transaction a real
    request wraps its write in. Savepoints nested inside it are the code's own and count."""
    sqls = [query["sql"] for query in captured]
    outer = next((sql.split()[-1] for sql in sqls if sql.startswith("SAVEPOINT ")), None)
    own_control = {f"SAVEPOINT {outer}", f"RELEASE SAVEPOINT {outer}"}
    own_control.add(f"ROLLBACK TO SAVEPOINT {outer}")
    return [sql for sql in sqls if sql not in _WRAPPER_CONTROL and sql not in own_control]


def staff_pages(client, targets, runs, warmups):
    """The reporter's path: the staff dashboard and the logging POST.

    The dashboard is the one a police reporter sees: a member of the police organisation (a local
    police area) that covers three kommuner and answers for the most activities followed up now
    (``_lpo_of_three_kommuner``; where the data has no such area, the busiest activity's
    organisation, said in the row's note).

    The logging POST logs one event to the busiest activity (the largest progress aggregate), as
    a reporter of its organisation, with ``HX-Request`` (the answer is the re-rendered row). Each
    POST runs inside ``transaction.atomic()`` and is rolled back, so every size measures the same
    data. Its ``queries`` are the statements the request sends less transaction control
    (``request_statements``): the wrapper's BEGIN/ROLLBACK and the savepoint that the service's
    atomic block becomes inside it are left out, as a real request's BEGIN/COMMIT would be; a
    savepoint the code opens on its own is counted.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from municipalities.models import Membership, Role

    try:
        dashboard = reverse("staff:dashboard")
    except NoReverseMatch:
        return {
            "staff dashboard": {"note": "not on this branch yet"},
            "logging POST": {"note": "not on this branch yet"},
        }
    activity = targets["activity"]
    organisation = activity.responsible_organisations.first()
    user, _ = get_user_model().objects.get_or_create(username="bench-reporter")
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.REPORTER)
    staff = Client()
    staff.force_login(user)

    lpo = _lpo_of_three_kommuner()
    if lpo is None:
        reader, note = staff, "no police area covers three kommuner: the POST's reporter instead"
    else:
        police, _ = get_user_model().objects.get_or_create(username="bench-lpo-reporter")
        Membership.objects.get_or_create(user=police, organisation=lpo, role=Role.REPORTER)
        reader = Client()
        reader.force_login(police)
        note = f"a reporter of {lpo.name} (3 kommuner)"

    log_url = reverse("staff:log_event", args=[activity.pk])
    data = {"quantity": "1", "occurred_on": timezone.localdate().isoformat(), "kind": "done"}
    counts = set()

    def post():
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                response = staff.post(log_url, data, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code
            transaction.set_rollback(True)
        counts.add(len(request_statements(captured.captured_queries)))

    results = {
        "staff dashboard": measure(lambda: fetch(reader, dashboard), runs, warmups),
        # Every row rendered: the first visit after the cache is emptied (or after writes in
        # each of the reporter's kommuner).
        "staff dashboard, cache emptied": measure(
            lambda: fetch(reader, dashboard), runs, warmups, before=empty_caches
        ),
        "logging POST": measure(post, runs, warmups),
    }
    results["logging POST"]["queries"] = max(counts)
    results["logging POST"]["queries_vary"] = len(counts) > 1
    results["staff dashboard"]["url"] = dashboard
    results["staff dashboard"]["about"] = note
    results["staff dashboard, cache emptied"]["url"] = dashboard
    results["staff dashboard, cache emptied"]["about"] = note
    results["logging POST"]["url"] = log_url
    results["logging POST"]["about"] = "htmx; queries: statements less transaction control"
    return results


def documents(targets, runs, warmups, *, draft_report=False):
    """The decision memo and a year's follow-up report of the chosen period, as PDFs: the memo
    as a draft (PDF/UA-1), the report as published (archival PDF/A-2u), or with
    ``draft_report`` as a draft, the variant the code before this round wrote for both."""
    from django.db import transaction

    from followup.demo.loader import memo_fields
    from followup.models import ReportKind
    from followup.reports.documents import render_report_pdf, report_data, report_span
    from promises.documents.builders import memo_data, render_memo_pdf
    from promises.models import DecisionMemo

    period = targets["period"]
    today = date.today()
    results = {}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            memo = DecisionMemo.objects.create(period=period, **memo_fields("tranas-2023-2024"))
            results["memo PDF"] = measure(lambda: render_memo_pdf(memo_data(memo)), runs, warmups)
            year = period.starts_on.year
            span = report_span(period, ReportKind.YEAR, year, today=today)
            results["report PDF"] = measure(
                lambda: render_report_pdf(
                    report_data(period, span, today=today), draft=draft_report
                ),
                runs,
                warmups,
            )
            raise Rollback
    except Rollback:
        pass
    return results


# --- Memory of the national CSV ----------------------------------------------------------------


def high_water_mb():
    """This process's own peak resident memory (VmHWM), in MB. Not ru_maxrss: Linux carries the
    parent's peak into a child across exec, which would hide the child's own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def national_csv():
    """The national events CSV as the worker builds it (``followup.public.downloads``)."""
    from followup.public import downloads

    return downloads.download_for("handelser", "csv", None, "sv")


def remove_built(download):
    for path in download.built():
        path.unlink(missing_ok=True)


def build_afresh():
    """Build the national events CSV from nothing, as the worker does after a write."""
    from followup.public import downloads

    download = national_csv()
    remove_built(download)
    path = downloads.build(download)
    assert path is not None and path.stat().st_size > 0, path
    return path


def csv_memory_child(url):
    """In a child process: build the national CSV file and print peak memory before and after,
    in MB (the worker's cost; serving the built file costs no memory of note)."""
    setup_django()
    from django.test import Client

    client = Client()
    fetch(client, "/robots.txt")  # import what a request needs before measuring the baseline
    before = high_water_mb()
    path = build_afresh()
    after = high_water_mb()
    print(json.dumps({"baseline_mb": before, "peak_mb": after, "bytes": path.stat().st_size}))


def csv_memory(url):
    output = subprocess.run(
        [sys.executable, __file__, "--csv-memory", url],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = round(result["peak_mb"], 1)
    result["baseline_mb"] = round(result["baseline_mb"], 1)
    result["growth_mb"] = round(result["peak_mb"] - result["baseline_mb"], 1)
    return result


# --- Throughput under load -----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(port, path, seconds, concurrency):
    """Requests per second with ``concurrency`` keep-alive clients for ``seconds``."""
    deadline = time.monotonic() + seconds
    done, errors = [0] * concurrency, [0] * concurrency

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "rps": round(sum(done) / elapsed, 1),
        "requests": sum(done),
        "errors": sum(errors),
    }


def _get(port, path):
    """One GET on a fresh connection: the status and the Retry-After seconds, if any. The body
    is read and dropped a piece at a time (a national download is some 140 MB)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        while response.read(1 << 20):
            pass
        return response.status, int(response.getheader("Retry-After") or 0)
    except (OSError, http.client.HTTPException, ValueError):
        return "error", 1
    finally:
        connection.close()


def _median_ms(port, path, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        _get(port, path)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _download_loop(port, path, deadline):
    """One downloading client, in its own process: fetch ``path`` until ``deadline`` (monotonic,
    which is system-wide on Linux), waiting as a 429 or 503 asks. Returns the statuses."""
    statuses = []
    while time.monotonic() < deadline:
        status, retry_after = _get(port, path)
        statuses.append(status)
        time.sleep(min(retry_after, max(0, deadline - time.monotonic())))
    return statuses


def overload(port, period_path, download_path, seconds, downloaders=8):
    """The period page's median time idle, then while ``downloaders`` clients fetch the national
    download in a loop for ``seconds``, waiting as a 429 or 503 asks (Retry-After) like a
    well-behaved client; the limits are per client address. The file was built beforehand
    (``bench.proxy.build_downloads``) and is sent by nginx. Each downloader is its own process,
    as real clients are: threads here would make the timing wait for Python's GIL, not the
    server."""
    from concurrent.futures import ProcessPoolExecutor

    idle = _median_ms(port, period_path, 30)
    deadline = time.monotonic() + seconds
    with ProcessPoolExecutor(max_workers=downloaders) as pool:
        clients = [
            pool.submit(_download_loop, port, download_path, deadline) for _ in range(downloaders)
        ]
        time.sleep(1)
        loaded = _median_ms(port, period_path, 30)
        statuses = [status for client in clients for status in client.result()]
    counts = {str(status): statuses.count(status) for status in set(statuses)}
    ratio = round(loaded / idle, 2) if idle else None
    return {"idle_ms": idle, "loaded_ms": loaded, "ratio": ratio, "downloads": counts}


def _overload_ok(over) -> bool:
    """The period page within 2x its idle time while the downloads actually went through: some
    answered 200 and none failed (a 5xx, or no answer at all)."""
    downloads = over["downloads"]
    served = downloads.get("200", 0) > 0
    failed = any(code.startswith("5") or code == "error" for code in downloads)
    return over["ratio"] is not None and over["ratio"] <= 2 and served and not failed


def throughput(period_url, seconds, concurrency):
    port = free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "3"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        results = {"server": "gunicorn, 3 sync workers, 127.0.0.1", "concurrency": concurrency}
        for name, path in (("trivial (/robots.txt)", "/robots.txt"), ("period", period_url)):
            load(port, path, 2, concurrency)  # warm every worker
            results[name] = load(port, path, seconds, concurrency)
        trivial = results["trivial (/robots.txt)"]["rps"]
        results["ratio"] = round(results["period"]["rps"] / trivial, 2) if trivial else None
        # The overload row (national downloads) is measured through nginx only, where
        # production sends the files (bench.proxy.proxy_throughput).
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# --- The run -------------------------------------------------------------------------------------


def generate(events):
    from django.db import connection

    from followup.demo.scale import generate_scale_data, reset_scale_data

    started = time.monotonic()
    reset_scale_data()
    summary = generate_scale_data(municipalities=290, years=10, events=events)
    # What autovacuum does on a live server after a bulk load: fresh statistics for the planner
    # and a visibility map, so index-only scans need not visit the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return summary, round(time.monotonic() - started, 1)


def bench_size(events, runs, warmups):
    from django.test import Client

    summary, seconds = generate(events)
    print(
        f"\n== {summary.events} events ({summary.periods} periods, {summary.activities} "
        f"activities), generated in {seconds} s",
        flush=True,
    )
    targets = pick_targets()
    client = Client()
    pages = {}

    def cold(url):
        empty_caches()  # the page is rendered afresh: no page, no card kept
        return fetch(client, url)

    # The national CSV is built by the worker, not in a request: time the build, then serving it.
    result = measure(build_afresh, runs=2, warmups=0)
    pages["csv (country), build"] = result
    print(f"   {'csv (country), build':<16} {result}", flush=True)
    for name, url in targets["urls"].items():
        slow = name.startswith("csv")
        result = measure(
            lambda url=url: cold(url),
            runs=2 if slow else runs,
            warmups=0 if slow else warmups,
        )
        result["url"] = url
        result["conditional"] = conditional(client, url)
        pages[name] = result
        print(f"   {name:<16} {result}", flush=True)
    period_url = targets["urls"]["period"]
    result = measure(lambda: fetch(client, period_url), runs, warmups)
    result["url"] = period_url
    result["conditional"] = conditional(client, period_url)
    pages["period, cached"] = result
    print(f"   {'period, cached':<16} {result}", flush=True)
    # Another kommun logs an event before each request: the period's kommun's cached page stays.
    result = measure(
        lambda: fetch(client, period_url), runs, warmups, before=targets["write_elsewhere"]
    )
    result["url"] = period_url
    result["conditional"] = conditional(client, period_url)
    pages["period, other kommun writes"] = result
    print(f"   {'period, other kommun writes':<16} {result}", flush=True)
    # The first view after a write in its kommun (issue 17): the page is rendered again, and the
    # activity cards that the write did not change come from the cache (followup.public.cards).
    # Taken in turn with the page rendered from nothing, so that their ratio is of the same
    # minutes.
    both = measure_alternately(
        {
            "after": (lambda: fetch(client, period_url), targets["write_here"]),
            "rendered": (lambda: cold(period_url), None),
        },
        runs,
        warmups,
    )
    result = both["after"]
    result["url"] = period_url
    result["rendered_in_turn_ms"] = both["rendered"]["median_ms"]
    result["ratio_to_rendered"] = round(result["median_ms"] / both["rendered"]["median_ms"], 2)
    pages["period, after a write"] = result
    print(f"   {'period, after a write':<16} {result}", flush=True)
    for name, result in staff_pages(client, targets, runs, warmups).items():
        pages[name] = result
        print(f"   {name:<16} {result}", flush=True)
    for name, result in documents(targets, max(3, runs // 6), 1).items():
        pages[name] = result
        print(f"   {name:<16} {result}", flush=True)
    return {
        "events": summary.events,
        "periods": summary.periods,
        "activities": summary.activities,
        "generate_seconds": seconds,
        "pages": pages,
        "period_url": targets["urls"]["period"],
        "csv_url": targets["urls"]["csv (country)"],
    }


def table(results):
    sizes = results["sizes"]
    names = list(sizes[0]["pages"])
    head = ["page", *(f"q@{s['events']:,}" for s in sizes)]
    head += [f"med/p95 ms @{s['events']:,}" for s in sizes] + ["growth", "304"]
    rows = []
    for name in names:
        cells = [sizes[i]["pages"].get(name, {}) for i in range(len(sizes))]
        if "note" in cells[0]:
            rows.append([name, cells[0]["note"]])
            continue
        growth = cells[-1]["median_ms"] / cells[0]["median_ms"] if cells[0]["median_ms"] else 0
        rows.append(
            [
                name,
                *(str(c["queries"]) + ("*" if c["queries_vary"] else "") for c in cells),
                *(f"{c['median_ms']:.1f} / {c['p95_ms']:.1f}" for c in cells),
                f"{growth:.2f}x",
                cells[-1].get("conditional", "-"),
            ]
        )
    widths = [
        max(len(str(row[i])) for row in [head, *rows] if i < len(row)) for i in range(len(head))
    ]
    lines = [
        "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) for row in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdicts(results):
    sizes = results["sizes"]
    small, large = sizes[0]["pages"], sizes[-1]["pages"]
    public = ["index", "kommun", "period", "activity", "theme", "feed", "csv (country)"]
    checks = []
    same = all(len({s["pages"][p]["queries"] for s in sizes}) == 1 for p in public)
    checks.append(("public query counts equal at every size", same))
    period = large["period"]
    checks.append(
        (
            f"period rendered (cache emptied) median {period['median_ms']} ms < 30 ms",
            period["median_ms"] < 30,
        )
    )
    checks.append((f"period rendered p95 {period['p95_ms']} ms < 60 ms", period["p95_ms"] < 60))
    if "period, after a write" in large:
        after = large["period, after a write"]
        checks.append(
            (
                f"period, first view after a write, median {after['median_ms']} ms < 30 ms "
                f"(the page rendered from nothing in turn with it: {after['rendered_in_turn_ms']}"
                f" ms, ratio {after['ratio_to_rendered']})",
                after["median_ms"] < 30,
            )
        )
    for name in ("kommun", "theme", "index"):
        median = large[name]["median_ms"]
        checks.append((f"{name} rendered (cache emptied) median {median} ms < 30 ms", median < 30))
    growth = period["median_ms"] / small["period"]["median_ms"]
    checks.append((f"period growth {growth:.2f}x < 1.5x", growth < 1.5))
    for name, what in [
        ("period, cached", "period as served (cache by the kommun's data version)"),
        ("period, other kommun writes", "period as served while another kommun logs events"),
    ]:
        served = large[name]
        checks.append(
            (
                f"{what}: median {served['median_ms']} ms < 30 ms, "
                f"p95 {served['p95_ms']} ms < 60 ms",
                served["median_ms"] < 30 and served["p95_ms"] < 60,
            )
        )
    checks.extend(staff_checks(large))
    if "before" in results:
        checks.append(compare_before.check(results["before"]))
    checks.extend(against_baseline(large))
    cond = all(large[p]["conditional"] == "304" for p in public)
    checks.append(("public pages answer 304 to their own validator", cond))
    if "load" in results:
        ratio = results["load"]["ratio"]
        checks.append(
            (f"period/trivial throughput {ratio} >= 0.5", ratio is not None and ratio >= 0.5)
        )
    if "csv_memory" in results:
        peak = results["csv_memory"]["peak_mb"]
        checks.append((f"national CSV peak RSS {peak} MB < {CSV_MEMORY_LIMIT_MB} MB", peak < 150))
    if "proxy" in results:
        checks.append(proxy.check(results["proxy"]))
    if "overload" in results.get("proxy", {}):
        over = results["proxy"]["overload"]
        checks.append(
            (
                f"through nginx: period under 8 parallel national downloads {over['loaded_ms']} "
                f"ms <= 2x idle {over['idle_ms']} ms (downloads {over['downloads']})",
                _overload_ok(over),
            )
        )
    return checks


def staff_checks(large):
    """The reporter's path (issue 17): the logging POST and the dashboard at the largest size."""
    checks = []
    post = large.get("logging POST", {})
    if "median_ms" in post:
        checks.append(
            (
                f"logging POST {post['queries']} statements <= 8, median {post['median_ms']} ms"
                " < 15 ms",
                post["queries"] <= 8 and post["median_ms"] < 15,
            )
        )
    dashboard = large.get("staff dashboard", {})
    if "median_ms" in dashboard:
        checks.append(
            (
                f"staff dashboard ({dashboard.get('about', '')}) median "
                f"{dashboard['median_ms']} ms < 40 ms",
                dashboard["median_ms"] < 40,
            )
        )
    return checks


def against_baseline(large):
    """No page slower than before this round (issue 11), for the rows that
    bench/compare_before.py does not time in alternation (staff pages, PDFs): each median at
    the largest size against BASELINE's stored one, with BASELINE_TOLERANCE for this
    machine's run-to-run noise."""
    path = RESULTS / BASELINE
    if not path.exists():
        return []
    stored = json.loads(path.read_text())["sizes"][-1]["pages"]
    slower = [
        f"{name} {stored[name]['median_ms']} -> {now['median_ms']} ms"
        for name, now in large.items()
        if name not in compare_before.PAGES
        and "median_ms" in now
        and "median_ms" in stored.get(name, {})
        and now["median_ms"] > stored[name]["median_ms"] * BASELINE_TOLERANCE
    ]
    what = "; ".join(slower) if slower else "none"
    return [(f"staff pages and PDFs slower than {BASELINE} (more than 10 %): {what}", not slower)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--load-seconds", type=int, default=LOAD_SECONDS)
    parser.add_argument("--concurrency", type=int, default=LOAD_CONCURRENCY)
    parser.add_argument("--csv-memory", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.csv_memory:
        csv_memory_child(args.csv_memory)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    results = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "cpus": os.cpu_count(),
        "sizes": [],
    }
    for events in (int(s) for s in args.sizes.split(",")):
        results["sizes"].append(bench_size(events, args.runs, args.warmups))
    largest = results["sizes"][-1]
    print("\n== national CSV export, peak memory (child process)", flush=True)
    results["csv_memory"] = csv_memory(largest["csv_url"])
    print(f"   {results['csv_memory']}", flush=True)
    print("\n== throughput under load", flush=True)
    results["load"] = throughput(largest["period_url"], args.load_seconds, args.concurrency)
    print(f"   {results['load']}", flush=True)
    print("\n== public reads through nginx (config/nginx/portal.conf)", flush=True)
    results["proxy"] = proxy.proxy_throughput(
        largest["period_url"],
        args.load_seconds,
        args.concurrency,
        dict(os.environ),
        load,
        overload=overload,
    )
    print(f"   {results['proxy']}", flush=True)
    commit = compare_before.BEFORE_COMMIT
    print(f"\n== before this round ({commit}) and now, timed in alternation", flush=True)
    results["before"] = compare_before.compare(
        int(args.sizes.split(",")[-1]), runs=args.runs, warmups=args.warmups
    )
    results["seconds"] = round(time.monotonic() - started)
    results["checks"] = [{"check": text, "ok": ok} for text, ok in verdicts(results)]

    print("\n" + table(results))
    load_result = results["load"]
    print(
        f"\nThroughput ({load_result['server']}, {load_result['concurrency']} keep-alive clients, "
        f"{args.load_seconds} s): trivial {load_result['trivial (/robots.txt)']['rps']} req/s, "
        f"period {load_result['period']['rps']} req/s, ratio {load_result['ratio']}"
    )
    print("\n" + proxy.throughput_table(results) + "\n")
    print(compare_before.table(results["before"]) + "\n")
    memory = results["csv_memory"]
    print(
        f"National CSV ({memory['bytes']:,} bytes): peak RSS {memory['peak_mb']} MB "
        f"(baseline {memory['baseline_mb']} MB, +{memory['growth_mb']} MB while building)"
    )
    print("\nTargets:")
    for text, ok in verdicts(results):
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("latest.json", f"bench-{stamp}.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(
        f"\nWritten to bench/results/latest.json and bench/results/bench-{stamp}.json "
        f"({results['seconds']} s in all)."
    )


if __name__ == "__main__":
    main()
