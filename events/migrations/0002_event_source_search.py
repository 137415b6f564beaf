from django.db import migrations

from config.search.migration import CreateSearchConfiguration, CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        CreateSearchConfiguration(),
        CreateSearchIndex(
            table="events_source",
            columns=[("title", "A"), ("publisher", "B"), ("author", "B"), ("text", "C")],
            highlight="text",
        ),
        CreateSearchIndex(
            table="events_event",
            columns=[("title", "A"), ("summary", "B")],
            highlight="summary",
        ),
    ]
