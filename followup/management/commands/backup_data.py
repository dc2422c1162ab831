"""``manage.py backup_data FILE.json``: every row of the portal's data, byte for byte.

JSON, not XML: an XML parser turns the CRLF that browsers submit into LF (and XML 1.0 cannot
hold control characters at all), so an XML backup was not identical. Django's JSON encoder rounds
times to milliseconds; this one keeps the microseconds. Every model of every installed app is
included (the admin log too) except what is not data (``EXCLUDED``) and what ``migrate`` writes
on the new database (content types and permissions), which the rows refer to by natural key.
"""

import datetime

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

# Not data: sign-in sessions, django-axes' lockout records, the versions public pages are keyed
# on (restoring moves them on anyway) and the task queue (django_tasks_db, when installed: a
# restored queue would send old mail again), and the activities' yearly totals (kept by the
# database from the events: loading the events rebuilds them). App labels or model labels.
EXCLUDED = {"sessions", "axes", "django_tasks_db", "municipalities.DataVersion"}
EXCLUDED |= {"followup.ActivityYearTotal"}
# Created by `migrate` with ids of its own; referred to by natural key (app label, model, ...).
RECREATED_BY_MIGRATE = (ContentType, Permission)


def backed_up_models() -> list:
    """Every model whose rows the backup holds, in app order."""
    return [
        model
        for model in apps.get_models()
        if model not in RECREATED_BY_MIGRATE
        and model._meta.app_label not in EXCLUDED
        and model._meta.label not in EXCLUDED
    ]


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it rounds to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Plain ids for every relation except to content types and permissions: those are named by
    natural key, since the new database's `migrate` numbered them itself."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in RECREATED_BY_MIGRATE
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in RECREATED_BY_MIGRATE
        super().handle_m2m_field(obj, field)


def _rows():
    for model in backed_up_models():
        yield from model._base_manager.order_by("pk").iterator()


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar portalens data till en JSON-fil (för SQLite; med PostgreSQL används "
        "pg_dump). Sparade PDF:er ligger i MEDIA_ROOT och kopieras för sig."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen som skrivs, t.ex. backup-2026-11-23.json")

    def handle(self, *args, path, **options):
        if not path.endswith(".json"):
            raise CommandError("Ge filen ett namn som slutar på .json, t.ex. backup.json.")
        with open(path, "w", encoding="utf-8") as stream:
            BackupSerializer().serialize(_rows(), stream=stream, cls=ExactJSONEncoder)
        self.stdout.write(f"Säkerhetskopian är skriven till {path}.")
