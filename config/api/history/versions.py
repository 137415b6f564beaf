"""Reading a model's versions, each from one query, and naming their editors."""

from functools import cache

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import cached_property
from rest_framework import serializers

from config.api.row_plans import json_list, stored_time
from config.api.rows import history_table
from config.db.history import CHANGE_NAMES, is_tracked, m2m_history, m2m_relations
from config.db.router import read_connection

HIDDEN = {"id"}  # the database's own key means nothing outside it


def chosen_name_sql(user_column: str) -> str:
    """SQL for the display name the editor whose id is in `user_column` chose
    (the user's `editor_profile`), read with the change it names; null without an editor."""
    profiles = get_user_model()._meta.get_field("editor_profile").related_model._meta.db_table
    return (
        f"CASE WHEN {user_column} IS NULL THEN NULL ELSE "
        f"(SELECT display_name FROM {profiles} WHERE user_id = {user_column}) END"
    )


def public_name(user_id: int | None, chosen: str | None) -> str | None:
    """How the public history names an editor: the display name they chose, or "editor
    <number>" without one; never their login, half of what a password guesser needs. None for
    loads and scripts, which have no editor."""
    if user_id is None:
        return None
    return chosen or f"editor {user_id}"


class VersionReader:
    """Reads versions of one model's records, each shaped as VersionSerializer writes it, from
    one query: the version's own columns; its editor's display name (`public_name`); each
    relation by slug, the related record's or, when it has been deleted since, the slug its own
    history keeps last; each many-to-many relation as the version left it, a list of slugs in
    slug order (aggregated as JSON by the database). Values go through the database's
    converters, as the ORM's do. `page` reads a page of a record's versions with their count,
    `read` versions by history id (a cursor walk's page).
    """

    def __init__(self, model):
        self.model = model
        history = model.history.model
        self.table = history._meta.db_table
        self.slug_column = read_connection().ops.quote_name(history._meta.get_field("slug").column)
        self.fields = []  # (name, historical field, is a relation), in the record's order
        columns = []
        for field in model._meta.concrete_fields:
            try:
                kept = history._meta.get_field(field.name)
            except FieldDoesNotExist:  # a field history leaves out
                continue
            if field.name in HIDDEN:
                continue
            column = f"h.{read_connection().ops.quote_name(kept.column)}"
            if field.is_relation:
                columns.append(_slug_sql(field.related_model, column))
            else:
                columns.append(column)
            self.fields.append((field.name, kept, field.is_relation))
        self.relations = []
        for name, _accessor, _target in m2m_relations(model):
            field = model._meta.get_field(name)
            rows = m2m_history(model, field)._meta.db_table
            related = field.related_model
            target_column = f"l.{field.m2m_reverse_name()}"
            columns.append(json_list(
                [_slug_sql(related, target_column)],
                f"{rows} l LEFT JOIN {related._meta.db_table} r ON r.id = {target_column} "
                f"WHERE l.history_id = h.history_id",
                "r.slug",  # the related record's slug, as the ORM orders `{target}__slug`
            ))  # fmt: skip
            self.relations.append(name)
        self.columns = ", ".join([
            "h.history_id", "h.version", "h.history_date", "h.history_user_id", "h.history_type",
            "h.history_change_reason", chosen_name_sql("h.history_user_id"), *columns,
        ])  # fmt: skip

    @cached_property
    def converters(self) -> list[tuple]:
        """Per field, its name, the column the ORM reads it as and the converters it applies to
        the value as read (none for a relation, read as a slug)."""
        converted = []
        database = read_connection()
        for name, field, is_relation in self.fields:
            column = field.get_col("h")
            converters = [] if is_relation else (
                database.ops.get_db_converters(column) + field.get_db_converters(database)
            )  # fmt: skip
            converted.append((name, column, converters))
        return converted

    def read(self, keys: list[int]) -> list[dict]:
        """The versions `keys`, in that order."""
        if not keys:
            return []
        database = read_connection()
        sql = (
            f"SELECT {self.columns} FROM {self.table} h "
            f"WHERE h.history_id IN ({', '.join(['%s'] * len(keys))})"
        )
        with database.cursor() as cursor:
            cursor.execute(sql, list(keys))
            rows = {row[0]: row for row in cursor.fetchall()}
        return [self._version(rows[key], database) for key in keys if key in rows]

    def counted(self, cap: int) -> str:
        """SQL for the number of versions of the record whose slug is the parameter, counted up
        to `cap + 1`."""
        return (
            f"(SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {self.slug_column} = %s "
            f"LIMIT {cap + 1}) AS capped)"
        )

    def page(self, slug: str, window: slice, cap: int) -> tuple[int, list[dict]]:
        """The versions of the record `slug` in `window` of its history (newest first), and how
        many it has, counted up to `cap + 1`: from one query, the page's versions joined to the
        count (an empty page is one row of the count alone)."""
        versions = (
            f"SELECT * FROM {self.table} WHERE {self.slug_column} = %s "
            f"ORDER BY history_date DESC, history_id DESC "
            f"LIMIT {window.stop - window.start} OFFSET {window.start}"
        )
        sql = (
            f"SELECT {self.counted(cap)} AS total, {self.columns} FROM (SELECT 1) AS one "
            f"LEFT JOIN ({versions}) AS h ON 1 = 1 "
            f"ORDER BY h.history_date DESC, h.history_id DESC"
        )
        database = read_connection()
        with database.cursor() as cursor:
            cursor.execute(sql, [slug, slug])
            rows = cursor.fetchall()
        versions = [self._version(row[1:], database) for row in rows if row[1] is not None]
        return rows[0][0], versions

    def capped_count(self, slug: str, cap: int) -> int:
        """The record's number of versions, counted up to `cap + 1`."""
        with read_connection().cursor() as cursor:
            cursor.execute(f"SELECT {self.counted(cap)}", [slug])
            return cursor.fetchone()[0]

    def _version(self, row, database) -> dict:
        _key, version, when, user_id, change, reason, chosen_name, *values = row
        record = {}
        for (name, column, converters), value in zip(self.converters, values, strict=False):
            for converter in converters:
                value = converter(value, column, database)
            record[name] = value
        for name, value in zip(self.relations, values[len(self.fields) :], strict=True):
            record[name] = [item[0] for item in orjson.loads(value)]
        return {
            "version": version,
            "changed_at": CHANGED_AT.to_representation(stored_time(when)),
            "changed_by": public_name(user_id, chosen_name),
            "change": CHANGE_NAMES[change],
            "reason": reason,
            "record": record,
        }


CHANGED_AT = serializers.DateTimeField()  # writes `changed_at` as VersionSerializer does


def _slug_sql(model, key: str) -> str:
    """SQL for the slug of the record `key` (a column) of `model`: its own, or, when it has
    been deleted since, the last its history keeps (nothing for a model without a history)."""
    current = f"(SELECT slug FROM {model._meta.db_table} WHERE id = {key})"
    if not is_tracked(model):
        return current
    kept = (
        f"(SELECT v.slug FROM {history_table(model)} v WHERE v.id = {key} "
        f"ORDER BY v.history_date DESC, v.history_id DESC LIMIT 1)"
    )
    return f"coalesce({current}, {kept})"


def version_reader(model) -> VersionReader:
    """The model's reader, its SQL built once per process and database kind."""
    return _version_reader(model, read_connection().vendor)


@cache
def _version_reader(model, vendor: str) -> VersionReader:
    return VersionReader(model)
