"""The national data version is derived from the kommun and reference rows (see
``municipalities.versioning.current``): its row is no longer written, so it goes.

Deleting it also frees the primary key 1 that migration 0003 inserted explicitly. On PostgreSQL
that insert did not move the id sequence on, so the first new version row collided with it.
"""

from django.db import migrations


def drop_national(apps, schema_editor):
    apps.get_model("municipalities", "DataVersion").objects.filter(scope="national").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0005_invitation_mail_schedule"),
    ]

    operations = [
        migrations.RunPython(drop_national, migrations.RunPython.noop),
    ]
