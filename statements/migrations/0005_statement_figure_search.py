from django.db import migrations, models

from config.db.search.migration import CreateSearchIndex


def fill_speaker_names(apps, schema_editor):
    Statement = apps.get_model("statements", "Statement")
    for statement in Statement.objects.select_related("speaker"):
        speaker = statement.speaker
        statement.speaker_names = " ".join([speaker.name, *speaker.aliases])
        statement.save(update_fields=["speaker_names"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_source_search"),
        ("statements", "0004_wordings_positions_vague_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="speaker_names",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The speaker's name and every alias, copied here so that a search for "
                "any spelling finds what they said (kept up to date by statements.signals).",
            ),
        ),
        migrations.RunPython(fill_speaker_names, migrations.RunPython.noop),
        CreateSearchIndex(
            table="statements_statement",
            columns=[
                ("text", "A"),
                ("speaker_names", "B"),
                ("speaker_label", "B"),
                ("venue", "C"),
                ("via", "C"),
            ],
            highlight="text",
        ),
        CreateSearchIndex(
            table="statements_figure",
            columns=[("label", "A"), ("measure", "B"), ("according_to", "C")],
            highlight="label",
        ),
    ]
