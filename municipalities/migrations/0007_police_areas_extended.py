"""Loads the extended list of police areas (lokalpolisområden): about 260 kommuner instead of 33.

Runs the same idempotent loader as 0002 on the updated ``municipalities/data/lokalpolisomraden.csv``
(rows matched on region and name, and on police area and kommun; ``confidence``, ``source`` and
``note`` kept). On a fresh database 0002 has loaded the file already and this changes nothing.
On a database in use the reference data version moves on, so cached pages show the areas.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

from municipalities.reference import load_police_areas

MODEL_NAMES = ["PoliceRegion", "PoliceArea", "PoliceAreaCoverage", "Municipality", "Organisation"]


def forwards(apps, schema_editor):
    models = {name: apps.get_model("municipalities", name) for name in MODEL_NAMES}
    load_police_areas(*(models[name] for name in MODEL_NAMES))
    # Renew the pages of a database in use (one with data versions); a fresh one has none.
    DataVersion = apps.get_model("municipalities", "DataVersion")
    if not DataVersion.objects.exists():
        return
    renewed = DataVersion.objects.filter(scope="reference").update(
        counter=F("counter") + 1, changed_at=timezone.now()
    )
    if not renewed:
        DataVersion.objects.create(scope="reference", counter=1)


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0006_dataversion_national_derived")]

    # Going back leaves the rows, as 0002 does: later data (periods, members) may refer to them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
