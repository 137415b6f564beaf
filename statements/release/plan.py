"""A merge's plan: `plan_merge()` compares three versions of each record, the release's, the
database's and the last release loaded (`ReleaseBaseline`), a batch of records at a time: what
only the release changed is taken, what only an editor changed is kept, and a field both changed
differently is a conflict. The plan counts its changes and conflicts and keeps the first few of
each (statements.checks.Findings); what it writes and what it deletes wait in the release's
tables.
"""

import json
from dataclasses import dataclass
from typing import TextIO

from statements.checks import SHOWN, Findings
from statements.dataset import DATASET_MODELS
from statements.release.reading import Release
from statements.release.records import BATCH, Key, _baseline_fields, _database_fields, chunks


@dataclass
class Conflict:
    model: str
    slug: str
    field: str
    database: object
    release: object

    def __str__(self) -> str:
        return (
            f"{self.model} {self.slug}: {self.field}: database {_show(self.database)}, "
            f"release {_show(self.release)}"
        )


CREATE, UPDATE, DELETE = "records to create", "records to update", "records to delete"


class MergePlan:
    """What a merge does: how many records it creates, updates and deletes, and the first
    `shown` of each (`changes`), its conflicts likewise (every one also written to `out`).
    The fields it writes and the keys of the records it deletes wait in the release's tables
    (`Release.mark()`, `Release.mark_deleted()`): memory holds neither, however large the
    release or the database."""

    def __init__(self, release: "Release", shown: int | None = SHOWN, out: TextIO | None = None):
        self.release = release
        self.changes = Findings(shown)
        self.conflicts = Findings(shown, out)

    def count(self, kind: str) -> int:
        return self.changes.counts.get(kind, 0)

    def summary(self) -> str:
        return (
            f"{self.count(CREATE)} to create, {self.count(UPDATE)} to update, "
            f"{self.count(DELETE)} to delete, {len(self.conflicts)} conflict(s)"
        )

    def lines(self) -> list[str]:
        """What the plan does, record by record: the first of each kind of change, then how
        many more, then its conflicts."""
        return self.changes.lines([CREATE, UPDATE, DELETE]) + self.conflicts.lines()

    def conflict(self, conflict: "Conflict") -> None:
        self.conflicts.add("conflicts", f"conflict {conflict}")

    def delete(self, keys: list[Key]) -> None:
        self.release.mark_deleted(keys)
        for label, slug in keys:
            self.changes.add(DELETE, f"delete {label} {slug}")


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


MISSING = object()


def plan_merge(
    release: Release,
    prefer: str | None = None,
    shown: int | None = SHOWN,
    out: TextIO | None = None,
) -> MergePlan:
    """Decide what merging `release` into the database does, changing nothing in the
    database: what it writes is marked in the release's table.

    `prefer` settles conflicts: "release" takes the release's value, "database" keeps the
    database's; with None, conflicts are only reported. The plan keeps the first `shown` of
    each kind of change and of the conflicts, and writes every conflict to `out`.
    """
    plan = MergePlan(release, shown, out)
    for batch in release.batches():  # the release's records, a batch at a time, in its order
        _plan_batch(plan, batch, prefer)
    # the database's records the release does not hold: removed, unless an editor made or
    # changed them since the last release
    for model in DATASET_MODELS:
        label = model._meta.label_lower
        slugs = model.objects.order_by("slug").values_list("slug", flat=True)
        for chunk in chunks(slugs.iterator(chunk_size=BATCH)):
            _plan_deletes(plan, label, chunk, prefer)
    return plan


# Each batch is planned in a function of its own, so that its records are let go before the
# next batch is read (a loop's variables would hold two batches at a time).


def _plan_batch(plan: MergePlan, batch: list[tuple[Key, dict]], prefer: str | None) -> None:
    """Plan a batch of the release's records; mark what it writes."""
    keys = [key for key, _fields in batch]
    current, baseline = _database_fields(keys), _baseline_fields(keys)
    writes = []
    for key, theirs in batch:
        write = _plan_record(plan, key, theirs, current.get(key), baseline.get(key), prefer)
        if write is not None:
            writes.append((key, *write))
    plan.release.mark(writes)


def _plan_deletes(plan: MergePlan, label: str, slugs: list[str], prefer: str | None) -> None:
    """Plan a batch of `label`'s records in the database: mark those the release no longer
    holds for deletion."""
    held = plan.release.holds(label, slugs)
    # an editor's own record (not in the last release) stays: only the others are read
    keys = [(label, slug) for slug in slugs if slug not in held]
    baseline = _baseline_fields(keys)
    current = _database_fields(list(baseline)) if baseline else {}
    deleted = []
    for key in (key for key in keys if key in baseline):
        if current[key] == baseline[key]:
            deleted.append(key)
        else:  # the release dropped a record an editor has changed since
            plan.conflict(Conflict(*key, "(record)", "changed", "removed"))
            if prefer == "release":
                deleted.append(key)
    plan.delete(deleted)


def _plan_record(
    plan: MergePlan, key: Key, theirs: dict, ours: dict | None, base: dict | None, prefer
) -> tuple[str, dict | None] | None:
    """Count in `plan` what merging the release's `theirs` into the database's `ours` does,
    given `base`, the last release's; return what to write, ("create", None: the release's
    fields) or ("update", the merged fields), or None."""
    if ours is None:
        if base is None:
            plan.changes.add(CREATE, f"create {key[0]} {key[1]}")
            return "create", None
        if theirs != base:  # an editor deleted what the release has changed since
            plan.conflict(Conflict(*key, "(record)", "deleted", "changed"))
            if prefer == "release":
                plan.changes.add(CREATE, f"create {key[0]} {key[1]}")
                return "create", None
        return None
    merged, taken = {}, []
    for name in dict.fromkeys([*ours, *theirs]):
        mine, new = ours.get(name, MISSING), theirs.get(name, MISSING)
        old = base.get(name, MISSING) if base is not None else MISSING
        if mine == new:
            merged[name] = mine
        elif base is not None and mine == old:
            merged[name] = new
            taken.append(name)
        elif base is not None and new == old:
            merged[name] = mine
        else:
            plan.conflict(Conflict(*key, name, _value(mine), _value(new)))
            merged[name] = new if prefer == "release" else mine
            if prefer == "release":
                taken.append(name)
    if not taken:
        return None
    plan.changes.add(UPDATE, f"update {key[0]} {key[1]}: {', '.join(taken)}")
    return "update", {k: v for k, v in merged.items() if v is not MISSING}


def _value(value):
    return None if value is MISSING else value
