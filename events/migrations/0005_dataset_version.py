import django.utils.timezone
from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("events", "DatasetVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, version=0, changed_at=django.utils.timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0004_event_source_search")]

    operations = [
        migrations.CreateModel(
            name="DatasetVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.BigIntegerField(default=0, help_text="Grows by one on every write."),
                ),
                ("changed_at", models.DateTimeField(help_text="When the last write happened.")),
            ],
            options={"verbose_name": "dataset version"},
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
