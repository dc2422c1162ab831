"""Build the open-data downloads now, outside any request.

    manage.py build_downloads                      # the national files, every language
    manage.py build_downloads --kommun tranas      # and Tranås' (repeatable)
    manage.py build_downloads --all-kommuner       # and every kommun's
    manage.py build_downloads --dataset handelser --format csv --language sv

Run it at deploy (after migrate) and wherever a file must exist before the first client asks:
a request that finds no file at all waits for the worker or answers 503 (followup.public
.downloads). Files already current are left alone; each built file is printed with its time.
By default only the national files: they are the expensive ones (a million events take ~20 s
per file), while a kommun's are built in well under a second when first asked for.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from followup.public.opendata import DATASETS_BY_SLUG, EXCEL_SUFFIX
from followup.public.tasks import build_downloads
from municipalities.models import Municipality

FORMAT_CHOICES = ("csv", "excel", "json")


class Command(BaseCommand):
    help = "Build the open-data downloads (national by default) at the current data version."

    def add_arguments(self, parser):
        parser.add_argument("--kommun", action="append", default=[], metavar="SLUG")
        parser.add_argument("--all-kommuner", action="store_true")
        parser.add_argument(
            "--dataset",
            action="append",
            default=[],
            metavar="NAME",
            help="Only this dataset (e.g. handelser, also its -excel CSV); repeatable.",
        )
        parser.add_argument(
            "--format",
            action="append",
            default=[],
            choices=FORMAT_CHOICES,
            help="Only this format (csv, excel: the semicolon CSV, json); repeatable.",
        )
        parser.add_argument("--language", action="append", default=[], metavar="CODE")

    def handle(self, *, kommun, all_kommuner, dataset, format, language, verbosity, **options):
        unknown = [name for name in dataset if name not in DATASETS_BY_SLUG]
        known_languages = {code for code, _name in settings.LANGUAGES}
        unknown += [code for code in language if code not in known_languages]
        if unknown:
            raise CommandError(f"Unknown dataset or language: {', '.join(unknown)}")
        places = [None]
        if all_kommuner:
            places += list(Municipality.objects.order_by("code"))
        elif kommun:
            found = {m.slug: m for m in Municipality.objects.filter(slug__in=kommun)}
            if missing := sorted(set(kommun) - set(found)):
                raise CommandError(f"No kommun with the slug {', '.join(missing)}")
            places += [found[slug] for slug in kommun]
        names = {name for slug in dataset for name in (slug, slug + EXCEL_SUFFIX)}
        log = self.stdout.write if verbosity else None
        written = build_downloads(
            places, language or None, names or None, kinds=format or None, log=log
        )
        if verbosity:
            self.stdout.write(f"{written} file(s) built; the others were current.")
