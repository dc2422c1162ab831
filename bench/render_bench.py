"""Median render times of the documents, on temporary data that is rolled back afterwards.

    .venv/bin/python bench/render_bench.py [--runs 5]

(on the database DATABASE_URL names; `make bench` times the same documents at national scale)

Measures a decision memo (with its Bilaga) and a year's follow-up report of a period with 12
count activities and a year of events, the two timings the documents issue promises: a memo
under 1 s, such a report under 2 s. The first run of each warms up (fonts, templates) and is not
counted.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from followup.demo.loader import memo_fields
from followup.models import FollowUpEvent, ReportKind
from followup.reports.documents import render_report_pdf, report_data, report_span
from municipalities.models import Municipality, Organisation, OrganisationKind
from promises.documents.builders import memo_data, render_memo_pdf
from promises.models import Activity, Cadence, DecisionMemo, Promise, PromisePeriod, TargetKind

TRANAS_MEMO = memo_fields("tranas-2023-2024")
CADENCES = [Cadence.YEAR, Cadence.TERTIAL, Cadence.MONTH, Cadence.WEEK]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Mäter mediantiden för att skapa tjänsteskrivelsens och uppföljningsrapportens PDF."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Antal mätningar (standard 5).")

    def handle(self, *args, runs=5, **options):
        try:
            with transaction.atomic():
                memo, period = self._data()
                memo_times = self._time(lambda: render_memo_pdf(memo_data(memo)), runs)
                span = report_span(period, ReportKind.YEAR, 2024, today=date(2025, 1, 15))
                report_times = self._time(
                    lambda: render_report_pdf(report_data(period, span, today=date(2025, 1, 15))),
                    runs,
                )
                raise _Rollback
        except _Rollback:
            pass
        self._print("Tjänsteskrivelse med bilaga", memo_times, 1.0)
        self._print("Uppföljningsrapport helår, 12 aktiviteter", report_times, 2.0)

    def _time(self, render, runs):
        render()  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            render()
            times.append(time.perf_counter() - start)
        return times

    def _print(self, label, times, limit):
        median = statistics.median(times)
        verdict = "OK" if median < limit else "FÖR LÅNGSAMT"
        self.stdout.write(
            f"{label}: median {median:.3f} s över {len(times)} körningar "
            f"(min {min(times):.3f}, max {max(times):.3f}; mål < {limit:g} s) {verdict}"
        )

    def _data(self):
        municipality = Municipality.objects.get(code="0687")
        kommun = Organisation.objects.get(
            kind=OrganisationKind.MUNICIPALITY, municipality=municipality
        )
        user = get_user_model().objects.create_user(username="render-bench-temporary")
        period = PromisePeriod.objects.create(
            municipality=municipality,
            title="Medborgarlöfte 2023–2024 (mätning)",
            slug="render-bench-temporary",
            starts_on=date(2023, 1, 1),
            ends_on=date(2024, 12, 31),
            introduction=TRANAS_MEMO["summary"],
            situation_picture=TRANAS_MEMO["description"],
        )
        promises = [
            Promise.objects.create(period=period, position=n, title=f"Löfte {n} om tryggheten")
            for n in range(1, 4)
        ]
        events = []
        for position in range(1, 13):
            activity = Activity.objects.create(
                period=period,
                promise=promises[position % 3],
                position=position,
                description=f"Aktivitet {position}: kommunen och polisen genomför kontroller.",
                target_kind=TargetKind.COUNT,
                target_quantity=2 if CADENCES[position % 4] == Cadence.WEEK else 12,
                unit_singular="kontroll",
                unit_plural="kontroller",
                cadence=CADENCES[position % 4],
            )
            activity.responsible_organisations.set([kommun])
            day = date(2024, 1, 1)
            while day.year == 2024:
                events.append(
                    FollowUpEvent(
                        activity=activity, occurred_on=day, organisation=kommun, logged_by=user
                    )
                )
                day += timedelta(days=3)
        FollowUpEvent.objects.bulk_create(events)
        memo = DecisionMemo.objects.create(period=period, **TRANAS_MEMO)
        return memo, period


if __name__ == "__main__":
    Command().run_from_argv(["manage.py", "render_bench", *sys.argv[1:]])
