from django.db import migrations

from config.search.migration import CreateSearchTop


class Migration(migrations.Migration):
    """The kept ranking of the statements' common terms (PostgreSQL; config.search.top)."""

    dependencies = [("statements", "0007_editors_group")]

    operations = [CreateSearchTop(table="statements_statement")]
