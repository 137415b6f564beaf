"""The migrations say what the models say: no change waits for a migration, and each search
index a model declares is the one its migrations build."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

from config.db.search.index import SearchIndex
from config.db.search.migration import CreateSearchIndex, CreateSearchTop


def declared_indexes() -> dict[str, tuple]:
    """table -> (columns, highlight, keeps_top) of every model's search index, as declared on its
    queryset (the whole index, where a setting can narrow the one searched)."""
    found = {}
    for model in apps.get_models():
        queryset = type(model._default_manager.get_queryset())
        index = getattr(queryset, "full_index", None) or getattr(queryset, "search_index", None)
        if isinstance(index, SearchIndex):
            found[index.table] = (index.columns, index.highlight, index.keeps_top)
    return found


def migrated_indexes() -> dict[str, tuple]:
    """table -> (columns, highlight, keeps_top) of the indexes the migrations build, in order."""
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the files, not the database
    built, kept = {}, set()
    for key in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(key):
            for operation in loader.graph.nodes[node].operations:
                if isinstance(operation, CreateSearchIndex):
                    built[operation.table] = (operation.index.columns, operation.highlight)
                elif isinstance(operation, CreateSearchTop):
                    kept.add(operation.table)
    return {table: (*index, table in kept) for table, index in built.items()}


def test_migrations_hold_every_model_change(db):
    # reads the applied migrations too (their history must be consistent); exits with status
    # 1 when a model changed and no migration says so
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as error:
        pytest.fail(f"a model change has no migration (makemigrations exited {error.code})")


def test_migrations_build_the_search_indexes_the_models_declare():
    declared = declared_indexes()

    assert (sorted(declared), migrated_indexes()) == (
        ["events_event", "events_source", "statements_figure", "statements_statement"],
        declared,
    )
