"""The dataset as a whole: the release it was last loaded from and the version every write bumps."""

import datetime

from django.db import models
from django.utils import timezone

from config.db.router import read_connection


class ReleaseBaseline(models.Model):
    """A record as the last dataset release loaded it: the common ancestor of a release merge.

    `load_dataset` compares three versions of each record: this one, the database's and the new
    release's. A field only the release changed is updated; a field only an editor changed is
    kept; a field both changed differently is a conflict. See statements.release.
    """

    model = models.CharField(max_length=60, help_text="App label and model, e.g. events.event.")
    key = models.CharField(max_length=120, help_text="The record's natural key (its slug).")
    fields = models.JSONField(help_text="The record's fields as the release gave them.")
    loaded_at = models.DateTimeField(default=timezone.now, help_text="When the release was loaded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="release_baseline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"


class LoadedRelease(models.Model):
    """The release last merged into the database, by its digest (one row).

    `load_dataset --if-empty`, which every start of `make run` and `make serve` runs, tells
    whether fixtures/ holds a release not loaded yet by comparing its digest with this one: one
    query, whatever the size of the dataset.
    """

    digest = models.CharField(
        max_length=64,
        help_text="SHA-256 over the release's file names and bytes (statements.release).",
    )
    loaded_at = models.DateTimeField(default=timezone.now, help_text="When it was loaded.")

    class Meta:
        verbose_name = "loaded release"

    def __str__(self) -> str:
        return f"release {self.digest[:12]} of {self.loaded_at:%Y-%m-%d %H:%M:%S}"


class DatasetVersion(models.Model):
    """One row whose `version` grows by one on every write to the dataset, from any process.

    Every save, delete and many-to-many change of a dataset record (a model whose history is
    kept) bumps it in the same transaction (events.signals), raw fixture loads included. The
    API derives its `ETag` and `Last-Modified` from it, and answers a conditional GET from it
    alone.
    """

    ROW = 1

    version = models.BigIntegerField(default=0, help_text="Grows by one on every write.")
    changed_at = models.DateTimeField(help_text="When the last write happened.")

    class Meta:
        verbose_name = "dataset version"

    def __str__(self) -> str:
        return f"version {self.version} of {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def current(cls) -> tuple[int, datetime.datetime | None]:
        """The version and the time of the last write, (0, None) before the first: read on every
        API request, so by one plain query rather than the ORM's (0.1 ms against 0.6). Read
        where the request's records are read (a replica's version names the replica's data)."""
        with read_connection().cursor() as cursor:
            cursor.execute(
                f"SELECT version, changed_at FROM {cls._meta.db_table} WHERE id = %s", [cls.ROW]
            )
            row = cursor.fetchone()
        if row is None:
            return 0, None
        version, changed_at = row
        if isinstance(changed_at, str):  # SQLite, without its column's converter
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if changed_at.tzinfo is None:  # SQLite stores UTC without an offset
            changed_at = changed_at.replace(tzinfo=datetime.UTC)
        return version, changed_at
