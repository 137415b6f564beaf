"""A release read from its fixture files into a temporary table, where a merge's plan marks
what it writes and deletes."""

import hashlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from events.fixture_files import fixture_paths, read_fixture
from statements.models import citation_slug, position_slug, wording_slug
from statements.release.records import BATCH, LABELS, Key, ReleaseError, _sort_relations, chunks


class Release:
    """A release's records, read from its fixture files once into a table of this connection
    (`release_record`, temporary) and read back `BATCH` at a time: memory holds one file while
    it is read, and one batch after, whatever the size of the release. Use it as a context
    manager; the table goes with it.

    A merge's plan marks in the same table what it will write (`mark()`: the action, and the
    merged fields of an update), and the merge reads them back a model at a time (`changed()`).
    The records it deletes, which the release does not hold, wait in a second temporary table
    (`release_deletion`, `mark_deleted()`, read back by `deleted()`).
    """

    TABLE = "release_record"
    DELETIONS = "release_deletion"

    def __init__(self, directory: Path | None = None):
        self.directory = directory

    def __enter__(self) -> "Release":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.DELETIONS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.TABLE} (n integer PRIMARY KEY, "
                "model varchar(60) NOT NULL, slug varchar(200) NOT NULL, fields text NOT NULL, "
                "action varchar(6), merged text, UNIQUE (model, slug))"
            )
            # a model's records in the release's order: what a merge writes, model by model
            cursor.execute(f"CREATE INDEX {self.TABLE}_model_n ON {self.TABLE} (model, n)")
            # in the order the plan marks them: a model's records by slug
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.DELETIONS} (n integer PRIMARY KEY, "
                "model varchar(60) NOT NULL, slug varchar(200) NOT NULL)"
            )
            cursor.execute(f"CREATE INDEX {self.DELETIONS}_model_n ON {self.DELETIONS} (model, n)")
        self.deletions = 0
        try:
            self._read()
        except BaseException:
            self._drop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self._drop()

    def _drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.DELETIONS}")

    def _read(self) -> None:
        """Every record of the release's files into the table, in the files' order."""
        count = 0
        for path in fixture_paths(self.directory):
            records = []
            for obj in read_fixture(path):
                if obj["model"] not in LABELS:
                    raise ReleaseError(f"{path.name}: unknown model {obj['model']!r}", [])
                fields = dict(obj["fields"])
                _sort_relations(fields)
                if not fields.get("slug"):
                    fields = {"slug": _slug_for_new(obj["model"], fields)} | fields
                records.append(((obj["model"], fields["slug"]), fields))
            seen = set()
            for key, _fields in records:
                if key in seen:
                    raise self._twice(path, key)
                seen.add(key)
            for chunk in chunks(records):
                rows = [
                    (count + n, label, slug, json.dumps(fields, ensure_ascii=False))
                    for n, ((label, slug), fields) in enumerate(chunk)
                ]
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.executemany(
                            f"INSERT INTO {self.TABLE} (n, model, slug, fields) "
                            "VALUES (%s, %s, %s, %s)",
                            rows,
                        )
                except IntegrityError:  # an earlier file holds one of these: which one
                    held = self._held([key for key, _fields in chunk])
                    raise self._twice(path, next(key for key, _f in chunk if key in held)) from None
                count += len(chunk)
        with connection.cursor() as cursor:
            # a temporary table has no statistics until it is analyzed: without them
            # PostgreSQL reads the whole table for each batch's lookup
            cursor.execute(f"ANALYZE {self.TABLE}")
        self.count = count

    @staticmethod
    def _twice(path: Path, key: Key) -> ReleaseError:
        return ReleaseError(f"{path.name}: {key[0]} {key[1]} is in the release twice", [])

    def _held(self, keys: Iterable[Key]) -> set[Key]:
        """Those of `keys` the release holds."""
        held = set()
        with connection.cursor() as cursor:
            for label, group in itertools.groupby(sorted(keys), key=itemgetter(0)):
                for chunk in chunks(slug for _label, slug in group):
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT slug FROM {self.TABLE} WHERE model = %s AND slug IN ({marks})",
                        [label, *chunk],
                    )
                    held.update((label, slug) for (slug,) in cursor.fetchall())
        return held

    def holds(self, label: str, slugs: list[str]) -> set[str]:
        """Those of `label`'s `slugs` the release holds."""
        return {slug for _label, slug in self._held((label, slug) for slug in slugs)}

    def batches(self) -> Iterator[list[tuple[Key, dict]]]:
        """The release's records, (key, fields), `BATCH` at a time, in the files' order."""
        for rows in self._pages("model, slug, fields", "", []):
            yield [((model, slug), json.loads(fields)) for _n, model, slug, fields in rows]

    def _pages(
        self, columns: str, where: str, params: list, table: str = TABLE
    ) -> Iterator[list[tuple]]:
        """The rows of `table` (n, then `columns`) that `where` keeps, `BATCH` at a time, in
        their order (the release's table: the files' order)."""
        after = -1
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT n, {columns} FROM {table} WHERE {where} n > %s "
                    f"ORDER BY n LIMIT {BATCH}",
                    [*params, after],
                )
                rows = cursor.fetchall()
                if not rows:
                    return
                after = rows[-1][0]
                yield rows

    def mark(self, writes: list[tuple[Key, str, dict | None]]) -> None:
        """Mark what a merge writes: each (key, "create" or "update", the fields an update
        writes; None: the release's own). A batch's creates are marked in one statement a
        model (a first load creates every record), its updates one by one."""
        creates = defaultdict(list)
        updates = []
        for (label, slug), action, merged in writes:
            if merged is None:
                creates[label, action].append(slug)
            else:
                updates.append((action, json.dumps(merged, ensure_ascii=False), label, slug))
        with transaction.atomic(), connection.cursor() as cursor:
            for (label, action), slugs in creates.items():
                marks = ", ".join(["%s"] * len(slugs))
                cursor.execute(
                    f"UPDATE {self.TABLE} SET action = %s WHERE model = %s AND slug IN ({marks})",
                    [action, label, *slugs],
                )
            if updates:
                cursor.executemany(
                    f"UPDATE {self.TABLE} SET action = %s, merged = %s "
                    "WHERE model = %s AND slug = %s",
                    updates,
                )

    def changed(self, label: str) -> Iterator[list[tuple[str, dict]]]:
        """The marked records of `label`, (slug, the fields to write), `BATCH` at a time, in
        the files' order."""
        marked = "model = %s AND action IS NOT NULL AND"
        for rows in self._pages("slug, COALESCE(merged, fields)", marked, [label]):
            yield [(slug, json.loads(fields)) for _n, slug, fields in rows]

    def mark_deleted(self, keys: list[Key]) -> None:
        """Mark records of the database, which the release does not hold, for deletion."""
        rows = [(self.deletions + n, label, slug) for n, (label, slug) in enumerate(keys)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.DELETIONS} (n, model, slug) VALUES (%s, %s, %s)", rows
            )
        self.deletions += len(rows)

    def deleted(self, label: str) -> Iterator[list[str]]:
        """The slugs of `label`'s records marked for deletion, `BATCH` at a time, in the order
        they were marked."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.DELETIONS}")  # as the release's table, once filled
        for rows in self._pages("slug", "model = %s AND", [label], self.DELETIONS):
            yield [slug for _n, slug in rows]

    def __len__(self) -> int:
        return self.count


def read_release(directory: Path | None = None) -> Release:
    """The release in `directory` (default fixtures/), to use as a context manager:
    `with read_release(directory) as release: plan_merge(release)`."""
    return Release(directory)


def release_digest(directory: Path | None = None) -> str:
    """SHA-256 over the release's files, names and bytes: the release's identity."""
    digest = hashlib.sha256()
    for path in fixture_paths(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _slug_for_new(label: str, fields: dict) -> str:
    """A citation, wording or position added to a fixture by hand gets the slug the database
    would give it on creation (see their models' save())."""
    if label == "statements.citation":
        kind = next(name for name in ("statement", "event", "figure") if fields.get(name))
        return citation_slug(
            fields["source"][0], fields["start"], fields["end"], kind, fields[kind][0]
        )
    if label == "statements.wording":
        return wording_slug(fields["statement"][0], fields["source"][0])
    if label == "statements.position":
        return position_slug(fields["statement"][0], fields["issue"])
    raise ReleaseError(f"a {label} without a slug", [])
