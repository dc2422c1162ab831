"""``manage.py restore_data FILE``: read a backup_data file back into an empty, migrated database.

``loaddata`` in one transaction: all rows or none. Backups written before JSON (``.xml``) still
load, with what XML lost (CR in texts, the admin log) still lost.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from municipalities import versioning


class Command(BaseCommand):
    help = "Läser tillbaka en säkerhetskopia från backup_data i en tom, migrerad databas."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen som backup_data skrev")

    def handle(self, *args, path, **options):
        # The backup holds the history rows themselves; recording new ones while loading (which
        # django-simple-history does for many-to-many fields) would duplicate them.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", path, verbosity=0)
        versioning.bump()  # every public page is renewed
        self.stdout.write(f"Säkerhetskopian {path} är inläst.")
