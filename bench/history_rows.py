"""The history a load leaves, written in bulk for bench/api_bench.py (its history and change feed
requests).

bench/dataset.py writes records without the ORM, so no history row is recorded. A database
loaded by `manage.py load_dataset` holds one version per record ("created", in load order, a
few milliseconds apart) and, for each version, the rows of its many-to-many relations as they
were; a later release adds a version to the records it changes. This writes the same by
INSERT ... SELECT from the records' own tables, in the order of statements.dataset.DATASET_MODELS:

- version 1 of every record, `history_date` one millisecond apart in load order (a million
  statements load in about 17 minutes), the reason naming the release;
- version 2 ("updated", a second release two weeks later) of one statement in twenty, with the
  same fields (what the record holds now);
- each version's many-to-many rows (a statement's topics, places and events it is about, an
  event's places, participants and topics).

At a million statements that is about 6.3 million rows; it runs once, when the statements'
history is empty.
"""

import datetime

from django.db import connection, transaction

from config.db.history import m2m_history, m2m_relations
from statements.dataset import DATASET_MODELS
from statements.models import Statement

LOADED = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
RELEASED = datetime.datetime(2026, 11, 15, 9, 0, tzinfo=datetime.UTC)
UPDATED_EVERY = 20  # one statement in twenty changed by the second release
HISTORY_ONLY = {"history_id", "history_date", "history_change_reason", "history_type",
                "history_user_id", "version"}  # fmt: skip


def moment(start: datetime.datetime, milliseconds: str) -> str:
    """SQL for `start` plus `milliseconds` (an SQL integer expression), stored as Django stores
    a datetime: on SQLite the text of the naive UTC time, microseconds only when not zero."""
    if connection.vendor == "postgresql":
        return f"TIMESTAMPTZ '{start.isoformat()}' + ({milliseconds}) * INTERVAL '1 millisecond'"
    epoch = int(start.timestamp())
    return (
        f"strftime('%Y-%m-%d %H:%M:%S', {epoch} + ({milliseconds}) / 1000, 'unixepoch') || "
        f"CASE WHEN ({milliseconds}) % 1000 = 0 THEN '' "
        f"ELSE printf('.%06d', (({milliseconds}) % 1000) * 1000) END"
    )


def quoted(column: str) -> str:
    return connection.ops.quote_name(column)


def version_rows(model, when: str, change: str, version: int, reason: str, where: str) -> str:
    """INSERT ... SELECT of one version of each record of `model` matching `where` (SQL)."""
    history = model.history.model
    columns = [
        field.column for field in history._meta.concrete_fields if field.column not in HISTORY_ONLY
    ]
    names = ", ".join(quoted(column) for column in columns)
    values = ", ".join(f"r.{quoted(column)}" for column in columns)
    return (
        f"INSERT INTO {history._meta.db_table} ({names}, history_date, history_change_reason, "
        f"history_type, history_user_id, version) "
        f"SELECT {values}, {when}, '{reason}', '{change}', NULL, {version} "
        f"FROM {model._meta.db_table} r WHERE {where} ORDER BY r.id"
    )


def relation_rows(model, version: int) -> list[str]:
    """INSERT ... SELECT of the many-to-many rows of each `version` of `model`'s records."""
    statements = []
    history = model.history.model._meta.db_table
    for name, _accessor, _target in m2m_relations(model):
        field = model._meta.get_field(name)
        through = field.remote_field.through._meta.db_table
        versions = m2m_history(model, field)._meta.db_table
        own, other = field.m2m_column_name(), field.m2m_reverse_name()
        statements.append(
            f"INSERT INTO {versions} (id, {own}, {other}, history_id) "
            f"SELECT l.id, l.{own}, l.{other}, h.history_id FROM {through} l "
            f"JOIN {history} h ON h.id = l.{own} AND h.version = {version} ORDER BY h.history_id"
        )
    return statements


def history_tables() -> list[str]:
    tables = []
    for model in DATASET_MODELS:
        tables.append(model.history.model._meta.db_table)
        for name, _accessor, _target in m2m_relations(model):
            tables.append(m2m_history(model, model._meta.get_field(name))._meta.db_table)
    return tables


def ensure_history(log=print) -> int:
    """Write the history of a load (see above) when the statements have none; return the
    number of version rows written (0 when there was a history already)."""
    if Statement.history.exists() or not Statement.objects.exists():
        return 0
    written, offset = 0, 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model in DATASET_MODELS:
            table = model._meta.db_table
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            (largest,) = cursor.fetchone()
            when = moment(LOADED, f"{offset} + r.id")
            cursor.execute(version_rows(model, when, "+", 1, "release 2026-11-01", "1 = 1"))
            written += cursor.rowcount
            offset += largest
            for sql in relation_rows(model, 1):
                cursor.execute(sql)
        # the second release: one statement in twenty
        when = moment(RELEASED, "r.id")
        changed = f"r.id % {UPDATED_EVERY} = 0"
        cursor.execute(version_rows(Statement, when, "~", 2, "release 2026-11-15", changed))
        written += cursor.rowcount
        for sql in relation_rows(Statement, 2):
            cursor.execute(sql)
    # statistics for the planner; on PostgreSQL the visibility map too (index-only scans)
    analyse = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        for table in history_tables():
            cursor.execute(f"{analyse} {table}")
    log(f"  {written:,} versions of records written to their history")
    return written
