from datetime import date

from django.core.management.base import BaseCommand, CommandError

from followup.demo.follow_ups import load_demo
from municipalities import versioning
from municipalities.demo import logins_table
from promises.memos.demo import load_demo_memos


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today ska vara ett datum som ÅÅÅÅ-MM-DD, inte {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Läser in (eller läser om) demodata: personalkonton, medborgarlöftena ur källdokumenten "
        "och påhittad uppföljning. Kan köras flera gånger med samma resultat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="Dagens datum för den pågående demoperioden (ÅÅÅÅ-MM-DD). Standard: i dag.",
        )

    def handle(self, *args, today=None, **options):
        summary = load_demo(today=today)
        memos = load_demo_memos()
        # Parts of the demo are written directly, not through the services: renew every page.
        versioning.bump()

        self.stdout.write(
            f"Demodata inläst: {summary.periods} medborgarlöften, {summary.promises} löften, "
            f"{summary.activities} aktiviteter, {summary.events} händelser "
            f"({summary.retracted} återkallade därutöver), {summary.deviations} avvikelser, "
            f"{len(memos)} tjänsteskrivelser."
        )
        rows = logins_table()
        columns = [
            ("username", "Användarnamn"),
            ("role", "Roll"),
            ("organisation", "Organisation"),
            ("password", "Lösenord"),
        ]
        widths = [max(len(title), *(len(row[key]) for row in rows)) for key, title in columns]
        self.stdout.write("\nInloggningar för demo (personalsidorna finns under /personal/):")
        self.stdout.write(
            "  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True))
        )
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(
                "  ".join(row[key].ljust(w) for (key, _), w in zip(columns, widths, strict=True))
            )
