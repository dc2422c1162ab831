"""Loads all 290 kommuner, 21 län, 7 police regions and the known police areas."""

from django.db import migrations

from municipalities.reference import load_reference_data

MODEL_NAMES = [
    "County",
    "PoliceRegion",
    "Municipality",
    "PoliceArea",
    "PoliceAreaCoverage",
    "Organisation",
]


def forwards(apps, schema_editor):
    load_reference_data({name: apps.get_model("municipalities", name) for name in MODEL_NAMES})


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]

    # Going back leaves the rows: the reference data is harmless and later data refers to it.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
