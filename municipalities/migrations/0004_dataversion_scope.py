"""Data versions per scope: nationally, per kommun and for shared reference data.

The one existing row (the former single counter) becomes the national version.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0003_dataversion"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="scope",
            field=models.CharField(
                default="national", max_length=120, unique=True, verbose_name="omfattning"
            ),
            preserve_default=False,
        ),
    ]
