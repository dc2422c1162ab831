import time

from django.core.management.base import BaseCommand, CommandError

from followup.demo.scale import generate_scale_data, reset_scale_data


class Command(BaseCommand):
    help = (
        "Skapar ett syntetiskt, nationellt dataset för prestandamätning (markerat som demodata). "
        "Tidigare syntetiska data tas bort först."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=290, help="antal kommuner")
        parser.add_argument("--years", type=int, default=10, help="antal år bakåt")
        parser.add_argument("--events", type=int, default=1_000_000, help="ungefärligt antal")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reset-only", action="store_true", help="ta bara bort")

    def handle(self, *args, municipalities, years, events, seed, reset_only, **options):
        if not 1 <= municipalities <= 290 or not 1 <= years <= 30 or events < 0:
            raise CommandError("Ange 1–290 kommuner, 1–30 år och ett icke-negativt antal.")
        started = time.monotonic()
        reset_scale_data()
        if reset_only:
            self.stdout.write("Syntetiska data borttagna.")
            return
        summary = generate_scale_data(
            municipalities=municipalities,
            years=years,
            events=events,
            seed=seed,
            progress=lambda n: (
                self.stderr.write(f"\r{n} händelser", ending="") if n % 100_000 < 5000 else None
            ),
        )
        self.stderr.write("")
        self.stdout.write(
            f"{summary.municipalities} kommuner, {summary.periods} perioder, "
            f"{summary.promises} löften, {summary.activities} aktiviteter, "
            f"{summary.events} händelser ({summary.retracted} återkallade) "
            f"på {time.monotonic() - started:.1f} s."
        )
