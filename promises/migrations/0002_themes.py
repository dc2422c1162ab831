"""Seeds the national theme taxonomy used to filter promises across kommuner."""

from django.db import migrations

from promises.reference import load_themes


def forwards(apps, schema_editor):
    load_themes(apps.get_model("promises", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("promises", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
