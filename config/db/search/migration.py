"""The migration operation that builds a search index, and the check that keeps it whole.

`CreateSearchIndex` runs the PostgreSQL SQL on PostgreSQL and the SQLite SQL on SQLite; each
database gets only its own pieces. On SQLite, a later migration that alters the table rebuilds
it and drops its triggers with it: `ensure_sqlite_triggers` (run after every `migrate`) puts
them back and rebuilds the FTS5 contents.
"""

import logging

from django.db import migrations

from config.db.search import postgresql, sqlite
from config.db.search.index import SearchIndex

logger = logging.getLogger(__name__)
BACKENDS = {"postgresql": postgresql, "sqlite": sqlite}


class CreateSearchIndex(migrations.operations.base.Operation):
    """Create the full-text index of one table (a tsvector column or an FTS5 table)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, columns: list[tuple[str, str]], highlight: str):
        self.table, self.columns, self.highlight = table, columns, highlight

    @property
    def index(self) -> SearchIndex:
        return SearchIndex(
            table=self.table, columns=tuple(map(tuple, self.columns)), highlight=self.highlight
        )

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"table": self.table, "columns": self.columns, "highlight": self.highlight},
        )

    def state_forwards(self, app_label, state) -> None:
        pass  # the index is invisible to Django's model state

    def _run(self, schema_editor, forwards: bool) -> None:
        backend = BACKENDS.get(schema_editor.connection.vendor)
        if backend is None:
            return  # no full-text search there; SearchExpression refuses such queries clearly
        statements = backend.schema_sql(self.index)[0 if forwards else 1]
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._run(schema_editor, forwards=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._run(schema_editor, forwards=False)

    def describe(self) -> str:
        return f"Create the full-text search index of {self.table}"


class CreateSearchTop(migrations.operations.base.Operation):
    """PostgreSQL only: the kept ranking of a table's common terms (`{table}_top`, its terms
    table and the trigger that keeps it; config.db.search.top). Nothing on SQLite."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str):
        self.table = table

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"table": self.table})

    def state_forwards(self, app_label, state) -> None:
        pass  # invisible to Django's model state, like the index

    def _run(self, schema_editor, forwards: bool) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        index = SearchIndex(table=self.table, columns=(), highlight="")
        for statement in postgresql.top_schema_sql(index)[0 if forwards else 1]:
            schema_editor.execute(statement, params=None)

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._run(schema_editor, forwards=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._run(schema_editor, forwards=False)

    def describe(self) -> str:
        return f"Create the kept ranking of {self.table}'s common terms"


class CreateSearchConfiguration(migrations.RunSQL):
    """PostgreSQL only: the text search configuration every index uses (English with the
    Porter stemmer, like SQLite's FTS5; see config.db.search.postgresql)."""

    def __init__(self):
        super().__init__(postgresql.CONFIGURATION_SQL, postgresql.CONFIGURATION_REVERSE_SQL)

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {})

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def ensure_sqlite_triggers(using: str = "default", **kwargs) -> None:
    """post_migrate: recreate dropped FTS5 triggers (and refill the index) on SQLite."""
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in apps.get_models():
            index = getattr(model._default_manager.get_queryset(), "search_index", None)
            if index is None or not sqlite.missing_triggers(index, cursor):
                continue
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = %s", [sqlite.fts_table(index)]
            )
            if not cursor.fetchone()[0]:
                continue  # its migration has not run yet
            # expected after a migration rebuilt the table (every fresh database): not a warning
            logger.info("Recreating the search triggers of %s", index.table)
            for statement in sqlite.schema_sql(index)[0]:
                cursor.execute(statement)
