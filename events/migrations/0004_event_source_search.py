from django.db import migrations

from config.db.search.migration import CreateSearchConfiguration, CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("events", "0003_date_intervals_and_event_kinds")]

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
