from django.core.management import call_command
from django.core.management.base import BaseCommand

# Everything the portal knows: users, memberships, organisations, periods, activities, events,
# deviations and all their history. XML keeps timestamps to the microsecond (JSON rounds them).
BACKUP_LABELS = ["auth.user", "municipalities", "promises", "followup"]
# Not data: the versions public pages are keyed on. Restoring moves them on anyway.
EXCLUDED = ["municipalities.DataVersion"]


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar portalens data till en XML-fil (för SQLite; med PostgreSQL används "
        "pg_dump). Sparade PDF:er ligger i MEDIA_ROOT och kopieras för sig."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Filen som skrivs, t.ex. backup-2026-11-23.xml")

    def handle(self, *args, path, **options):
        call_command(
            "dumpdata",
            *BACKUP_LABELS,
            *(f"--exclude={label}" for label in EXCLUDED),
            "--format",
            "xml",
            "-o",
            path,
            verbosity=0,
        )
        self.stdout.write(f"Säkerhetskopian är skriven till {path}.")
