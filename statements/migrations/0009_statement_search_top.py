from django.db import migrations

from config.db.search.migration import CreateSearchTop


class Migration(migrations.Migration):
    """The kept ranking of the statements' common terms (PostgreSQL; config.db.search.top)."""

    dependencies = [("statements", "0008_date_basis_bounded_start")]

    operations = [CreateSearchTop(table="statements_statement")]
