"""Holding up under concurrency and behind a proxy (issue 13).

Concurrent writers: a real server process (``manage.py runserver``, what ``make run`` starts) on
the test database, 12 client threads × 25 logging POSTs by a signed-in reporter with real CSRF.
Every POST must be acknowledged and exactly that many events stored, on SQLite (a file, since WAL
needs one) and on PostgreSQL. The helpers here also measured ``make run`` by hand for the README.
"""

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpEvent
from municipalities.models import Role
from promises.models import PeriodStatus
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
THREADS = 12
POSTS_PER_THREAD = 25
PASSWORD = "samtidiga-skrivare-2026"


# --- A small HTTP client with cookies, as a browser talks to a real server -----------------------


@dataclass
class WebSession:
    """Cookies plus one HTTP request at a time against ``base_url`` (no redirects followed)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        parts = urlsplit(self.base_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        all_headers.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text


def sign_in(base_url: str, username: str, password: str) -> WebSession:
    """Sign in through the login form, CSRF token and all; the session is then signed in."""
    session = WebSession(base_url)
    login = reverse("site:login")
    _, _, page = session.request("GET", login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = session.request(
        "POST",
        login,
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    if status != 302 or "sessionid" not in session.cookies:
        raise AssertionError(f"Sign-in as {username} failed: {status} {headers.get('Location')}")
    return session


@dataclass
class LoadResult:
    statuses: Counter
    event_ids: list[int]
    seconds: float

    @property
    def acknowledged(self) -> int:
        return len(self.event_ids)


def log_concurrently(session, activity_pk, organisation_pk, threads, per_thread) -> LoadResult:
    """``threads`` clients sharing the signed-in session each send ``per_thread`` plain logging
    POSTs, all starting together. A POST is acknowledged when the portal redirects to the
    dashboard naming the new event (``?loggad=<id>``)."""
    path = reverse("staff:log_event", args=[activity_pk])
    today = timezone.localdate().isoformat()
    barrier = threading.Barrier(threads)
    statuses, event_ids, lock = Counter(), [], threading.Lock()

    def client(number):
        own = WebSession(session.base_url, dict(session.cookies))
        barrier.wait()
        for i in range(per_thread):
            form = {
                "quantity": "1",
                "occurred_on": today,
                "kind": "done",
                "organisation": str(organisation_pk),
                "summary": f"Samtidig {number}-{i}",
            }
            try:
                status, headers, _ = own.request("POST", path, form)
            except OSError as error:  # a refused or dropped connection is a lost write too
                status, headers = type(error).__name__, {}
            found = re.search(r"loggad=(\d+)", headers.get("Location") or "")
            with lock:
                statuses[status] += 1
                if status == 302 and found:
                    event_ids.append(int(found.group(1)))

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return LoadResult(statuses, event_ids, time.monotonic() - started)


# --- Concurrent writers against a real server process --------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_database_url(tmp_path) -> str:
    """The test database as the server process will reach it.

    SQLite: the test database lives in memory, so it is copied into a file (WAL needs a file);
    the server opens it with the settings' own OPTIONS. PostgreSQL: the test database itself.
    """
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "concurrent.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    if db["HOST"].startswith("/"):  # a Unix socket directory, as .ci/with-postgres uses
        return f"postgres://{auth}@/{db['NAME']}?host={db['HOST']}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{db['HOST']}{port}/{db['NAME']}"


def _wait_until_serving(process, base_url, log_path, deadline=30.0):
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        if process.poll() is not None:
            raise AssertionError("The server stopped: " + log_path.read_text())
        try:
            status, _, _ = WebSession(base_url).request("GET", reverse("site:health"))
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        time.sleep(0.2)
    raise AssertionError("The server did not answer /halsa/ with 200 in time.")


@pytest.fixture
def running_server(tmp_path):
    """Start ``manage.py runserver`` (threaded, as ``make run``) on the test database; its
    output goes to server.log in the test's temporary folder."""
    servers = []
    log = (tmp_path / "server.log").open("w")

    def start(database_url):
        port = _free_port()
        environment = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "SECRET_KEY": settings.SECRET_KEY,
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        servers.append(process)
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_serving(process, base_url, tmp_path / "server.log")
        return base_url

    yield start
    for process in servers:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log.close()


def _running_activity():
    """A police activity in an active period covering today, and its reporter (PBKDF2 password,
    so the server process, which uses the real hashers, can check it)."""
    today = timezone.localdate()
    period = factories.period(
        "0687",
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
        status=PeriodStatus.ACTIVE,
    )
    police = factories.police_organisation()
    activity = factories.activity(period, organisations=[police])
    reporter = factories.member(police, Role.REPORTER, "polis.samtidig")
    hasher = PBKDF2PasswordHasher()
    reporter.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    reporter.save(update_fields=["password"])
    return activity, police, reporter


def _events_in_server_database(database_url, activity_pk) -> tuple[int, int]:
    """(events, sum of quantities) for the activity, read where the server wrote them."""
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(
                "SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM followup_followupevent "
                "WHERE activity_id = ?",
                [activity_pk],
            ).fetchone()
    events = FollowUpEvent.objects.filter(activity_id=activity_pk)
    return events.count(), sum(events.values_list("quantity", flat=True))


@pytest.mark.django_db(transaction=True)
def test_concurrent_logging_posts_are_all_acknowledged_and_stored_exactly(running_server, tmp_path):
    activity, police, reporter = _running_activity()
    database_url = _server_database_url(tmp_path)
    base_url = running_server(database_url)
    session = sign_in(base_url, reporter.username, PASSWORD)

    result = log_concurrently(session, activity.pk, police.pk, THREADS, POSTS_PER_THREAD)

    total = THREADS * POSTS_PER_THREAD
    assert result.statuses == Counter({302: total}), result.statuses
    assert len(set(result.event_ids)) == total
    assert _events_in_server_database(database_url, activity.pk) == (total, total)


# --- Real client addresses behind a proxy -------------------------------------------------------

PROXY = "127.0.0.1"
CLIENT_A = "198.51.100.7"
CLIENT_B = "203.0.113.20"


def _failed_sign_in(client, username, **meta):
    return client.post(
        reverse("site:login"), {"username": username, "password": "fel-lösenord"}, **meta
    )


@pytest.mark.django_db
def test_client_address_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(client, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = [PROXY]
    factories.user("polis")

    _failed_sign_in(client, "polis", REMOTE_ADDR=CLIENT_B, HTTP_X_FORWARDED_FOR=CLIENT_A)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT_B]


@pytest.mark.django_db
def test_client_address_without_trusted_proxies_forwarded_for_is_never_read(client, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = []
    factories.user("polis")

    _failed_sign_in(client, "polis", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusted", "forwarded_for", "expected"),
    [
        ([PROXY], CLIENT_A, CLIENT_A),
        # What the client wrote itself is left of what nginx appended: ignored.
        ([PROXY], f"6.6.6.6, {CLIENT_A}", CLIENT_A),
        # Two trusted hops (a load balancer in 10.0.0.0/8, then nginx): the client is left of both.
        ([PROXY, "10.0.0.0/8"], f"6.6.6.6, {CLIENT_A}, 10.1.2.3", CLIENT_A),
        # Nothing usable forwarded: the proxy is all we know.
        ([PROXY], "", PROXY),
        ([PROXY], "inte-en-adress", PROXY),
    ],
)
def test_client_address_from_a_trusted_proxy_is_the_rightmost_untrusted_address(
    client, settings, trusted, forwarded_for, expected
):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = trusted
    factories.user("polis")

    _failed_sign_in(client, "polis", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [expected]


@pytest.mark.django_db
def test_client_address_lockout_of_one_client_behind_the_proxy_leaves_another_signing_in(
    client, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    user = factories.user("polis")
    user.set_password("rätt-lösenord-1")
    user.save()
    behind_proxy = {"REMOTE_ADDR": PROXY}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _failed_sign_in(client, "polis", HTTP_X_FORWARDED_FOR=CLIENT_A, **behind_proxy)
    correct = {"username": "polis", "password": "rätt-lösenord-1"}

    from_a = client.post(
        reverse("site:login"), correct, HTTP_X_FORWARDED_FOR=CLIENT_A, **behind_proxy
    )
    from_b = client.post(
        reverse("site:login"), correct, HTTP_X_FORWARDED_FOR=CLIENT_B, **behind_proxy
    )

    assert from_a.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in from_a.content.decode()
    assert (from_b.status_code, from_b["Location"]) == (302, reverse("staff:dashboard"))


# --- Honest health -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_with_a_migration_missing_from_the_database_answers_503(client):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="followup").order_by("-id").first().delete()

    response = client.get(reverse("site:health"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "not migrated"}


def _in_fresh_process(database_url: str) -> subprocess.CompletedProcess:
    """Request /halsa/ and the front page in a new process whose DATABASE_URL is the given one."""
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "health, page = Client().get('/halsa/'), Client().get('/')\n"
        "print(json.dumps([health.status_code, health.json(), page.status_code,"
        " 'Portalen är tillfälligt otillgänglig' in page.content.decode()]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_health_with_the_sqlite_file_missing_answers_503_and_creates_no_file(tmp_path):
    missing = tmp_path / "borta.sqlite3"

    result = _in_fresh_process(f"sqlite:///{missing}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '[503, {"status": "unavailable", "database": "missing"}, 503, true]'
    )
    assert not missing.exists()


def test_health_with_an_empty_sqlite_file_answers_503(tmp_path):
    empty = tmp_path / "tom.sqlite3"
    empty.touch()

    result = _in_fresh_process(f"sqlite:///{empty}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '[503, {"status": "unavailable", "database": "unavailable"}, 503, true]'
    )
