"""Running it for real: health, database outages, production settings, migrations, backups."""

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from followup import services
from followup.models import ActivityYearTotal, Deviation, FollowUpEvent
from promises.models import Activity, PromisePeriod
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    """Run Python with Django set up in a fresh process with the given environment."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    environment.update(env)
    script = f"import django; django.setup(); {code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        # config.settings itself, not the test suite's tests.settings this process inherited.
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "medborgarloften.example.se",
    "DATABASE_URL": "postgres://portal@db.example.se/portal",
}


# --- Production settings ------------------------------------------------------------------------


def test_production_settings_start_with_every_required_value():
    result = run_django("print('ok')", **PRODUCTION)

    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr


def test_settings_without_debug_set_are_the_production_settings():
    env = {key: value for key, value in PRODUCTION.items() if key != "DEBUG"}

    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)",
        **env,
    )

    assert (result.returncode, result.stdout.strip()) == (0, "False 31536000 True"), result.stderr


def test_settings_with_nothing_set_refuse_to_start_and_say_how_to_develop():
    result = run_django("print('ok')")

    assert result.returncode != 0
    assert "SECRET_KEY is required. DEBUG is off unless set" in result.stderr
    assert "set DEBUG=1 (make run does)" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "The environment variable SECRET_KEY is required."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is required when DEBUG is off."),
        ("DATABASE_URL", "The environment variable DATABASE_URL is required."),
    ],
)
def test_production_settings_refuse_to_start_without_a_required_value(missing, message):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = run_django("print('ok')", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_refuse_a_malformed_value():
    result = run_django("print('ok')", **{**PRODUCTION, "DEBUG": "kanske"})

    assert result.returncode != 0
    assert "DEBUG='kanske' is not a boolean" in result.stderr


def test_production_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 64 + "\n")
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}

    result = run_django(
        "from django.conf import settings; print(len(settings.SECRET_KEY))",
        **env,
        SECRET_KEY_FILE=str(secret),
    )

    assert (result.returncode, result.stdout.strip()) == (0, "64"), result.stderr


def test_production_short_secret_key_is_refused():
    result = run_django("print('ok')", **{**PRODUCTION, "SECRET_KEY": "kort"})

    assert "SECRET_KEY must be at least 50 characters in production." in result.stderr


def test_production_static_files_have_hashed_names():
    result = run_django(
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        **PRODUCTION,
    )

    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


# --- Health -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("site:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def _pg_ctl(action: str) -> None:
    command = [f"{os.environ['PG_BIN_DIR']}/pg_ctl", "-D", os.environ["PG_DATA_DIR"], "-w"]
    command += ["-m", "fast", "stop"] if action == "stop" else ["-l", "/dev/null", "start"]
    options = os.environ.get("PG_START_OPTIONS")
    if action == "start" and options:
        command += ["-o", options]
    if os.environ.get("PG_OS_USER") and os.geteuid() == 0:
        command = ["runuser", "-u", os.environ["PG_OS_USER"], "--", *command]
    # The server user may not enter our working directory; its socket directory is its own.
    subprocess.run(
        command, check=True, capture_output=True, timeout=60, cwd=os.environ["PG_SOCKET_DIR"]
    )


@pytest.mark.skipif(
    not (ON_POSTGRES and os.environ.get("PG_DATA_DIR")),
    reason="stops and starts the throwaway PostgreSQL of .ci/with-postgres (the PostgreSQL run)",
)
@pytest.mark.django_db(transaction=True)
def test_database_outage_gives_503_and_the_portal_recovers_by_itself(client):
    factories.period(municipality_code="0687")
    assert client.get(reverse("public:index")).status_code == 200

    _pg_ctl("stop")
    try:
        health_down = client.get(reverse("site:health"))
        page_down = client.get(reverse("public:index"))
    finally:
        _pg_ctl("start")
    health_up = client.get(reverse("site:health"))
    page_up = client.get(reverse("public:index"))

    assert (health_down.status_code, health_down.json()["status"]) == (503, "unavailable")
    assert page_down.status_code == 503
    assert "Portalen är tillfälligt otillgänglig" in page_down.content.decode()
    assert "Traceback" not in page_down.content.decode()
    assert (health_up.status_code, page_up.status_code) == (200, 200)
    assert "Tranås" in page_up.content.decode()


# --- Migrations ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migrations_go_back_to_zero_and_forward_again_on_a_populated_database():
    activity = factories.activity()
    factories.event(activity, date(2023, 5, 1), quantity=3)
    out = io.StringIO()

    for app in ("followup", "promises", "municipalities"):
        call_command("migrate", app, "zero", stdout=out, verbosity=0)
    call_command("migrate", stdout=out, verbosity=0)

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "followup_followupevent" in tables
    assert PromisePeriod.objects.count() == 0
    assert factories.municipality("0687").name == "Tranås"  # reference data is back


# --- Backup and restore -------------------------------------------------------------------------


# Not data, so not in the backup (app labels or model labels): sign-in sessions, django-axes'
# lockout records, the task queue and the versions the page cache is keyed on.
NOT_IN_BACKUP = {"sessions", "axes", "django_tasks_db", "municipalities.DataVersion"}
# Written by `migrate` on the new database, so their ids may differ: compared by natural key.
BY_NATURAL_KEY = (ContentType, Permission)
# Not in the backup but rebuilt by the database's triggers as the events load: compared by
# content (ids and the rows left at zero by retractions may differ), as they must come back.
REBUILT = ActivityYearTotal
# What browsers submit (CRLF), a lone CR, a tab, a form feed and trailing spaces.
AWKWARD_TEXT = "Kontroll vid skolan.\r\nInga anmärkningar.\r\n\rTabb:\tsidbrytning:\x0c slut  "


def _value(obj, field):
    if field.is_relation and field.related_model in BY_NATURAL_KEY:
        related = getattr(obj, field.name)
        return related.natural_key() if related is not None else None
    return getattr(obj, field.attname)


def _every_row() -> dict[str, list[tuple]]:
    """Every field of every row of every model (many-to-many tables included) that a restore
    must bring back, as comparable plain values in a stable order."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if {model._meta.app_label, model._meta.label} & NOT_IN_BACKUP:
            continue
        if model is REBUILT:
            rows = model.objects.exclude(events=0)
            snapshot[model._meta.label] = sorted(
                rows.values_list("activity", "year", "events", "quantity")
            )
            continue
        # Rows whose own id a restore need not keep: recreated ones and many-to-many links.
        loose = model in BY_NATURAL_KEY or model._meta.auto_created
        fields = [f for f in model._meta.concrete_fields if not (loose and f.primary_key)]
        rows = [tuple(_value(obj, f) for f in fields) for obj in model._base_manager.order_by("pk")]
        snapshot[model._meta.label] = sorted(rows, key=repr) if loose else rows
    return snapshot


def _awkward_texts():
    """An event, a deviation and an admin log entry whose texts a lossy backup would change."""
    admin = factories.superuser("admin.backup")
    admin.user_permissions.add(Permission.objects.get(codename="view_activity"))
    activity = Activity.objects.filter(promise__period__municipality__code="0687").first()
    event = factories.event(activity, activity.promise.period.starts_on, summary=AWKWARD_TEXT)
    event.place = AWKWARD_TEXT[:20]
    event.save(update_fields=["place"])
    factories.deviation(activity, activity.promise.period.starts_on, text=AWKWARD_TEXT)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=str(activity.pk),
        object_repr=str(activity)[:200],
        action_flag=CHANGE,
        change_message=AWKWARD_TEXT,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_with_backup_data_restores_every_field_of_every_model_identically(tmp_path):
    call_command("load_demo", "--today", "2026-05-20", stdout=io.StringIO())
    event = FollowUpEvent.objects.counting().filter(is_demo=True).first()
    services.retract_event(event, by=event.logged_by, reason="Fel aktivitet")
    _awkward_texts()
    before = _every_row()
    backup = tmp_path / "backup.json"

    call_command("backup_data", str(backup), stdout=io.StringIO())
    call_command("flush", "--no-input", verbosity=0)
    assert FollowUpEvent.objects.count() == 0
    call_command("restore_data", str(backup), stdout=io.StringIO())

    after = _every_row()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        changed = [(old, new) for old, new in zip(rows, after[label], strict=False) if old != new]
        assert (len(after[label]), changed[:1]) == (len(rows), []), label
    assert len(before["admin.LogEntry"]) == 1
    assert (
        sum(
            1
            for text in [*FollowUpEvent.objects.values_list("summary", flat=True)]
            if text == AWKWARD_TEXT
        )
        == 1
    )
    assert Deviation.objects.filter(text=AWKWARD_TEXT).count() == 1
    assert LogEntry.objects.get().change_message == AWKWARD_TEXT
    assert len(before["followup.FollowUpEvent"]) > 300


def _pg(tool: str, *args: str) -> None:
    settings = connection.settings_dict
    subprocess.run(
        [f"{os.environ['PG_BIN_DIR']}/{tool}", "-h", settings["HOST"], "-U", settings["USER"]]
        + list(args),
        check=True,
        capture_output=True,
        timeout=120,
    )


def _table_contents(dbname: str, tables: list[str]) -> dict[str, list[tuple]]:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"], user=settings["USER"], dbname=dbname) as conn:
        return {
            table: conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in tables
        }


@pytest.mark.skipif(
    not (ON_POSTGRES and os.environ.get("PG_BIN_DIR")),
    reason="pg_dump and pg_restore against the throwaway PostgreSQL (the PostgreSQL run)",
)
@pytest.mark.django_db(transaction=True)
def test_backup_with_pg_dump_restores_into_an_empty_database_identically(tmp_path):
    call_command("load_demo", "--today", "2026-05-20", stdout=io.StringIO())
    source = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        tables = [
            name
            for name in connection.introspection.table_names(cursor)
            if name.startswith(("municipalities_", "promises_", "followup_", "auth_user"))
        ]
    dump = tmp_path / "portal.dump"

    _pg("pg_dump", "--format=custom", f"--file={dump}", source)
    _pg("createdb", "restored")
    try:
        _pg("pg_restore", "--no-owner", "--dbname=restored", str(dump))
        original, restored = _table_contents(source, tables), _table_contents("restored", tables)
    finally:
        _pg("dropdb", "restored")

    assert restored == original
    assert len(original["followup_followupevent"]) > 300
    assert len(original["followup_historicalfollowupevent"]) > 300
