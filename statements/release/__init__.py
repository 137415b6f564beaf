"""Dataset releases: the database written out as fixture files, and a release merged back in.

After the first load the database is the record; `fixtures/` is a release of it.

- `records`: the database's records as fixture fields (`fixture_rows()`), what the other parts
  compare and write;
- `reading`: a release read from its files into a temporary table (`Release`), where a plan
  marks what it writes and deletes;
- `export`: the database written out in the fixture layout (`export_release()`);
- `plan`: what merging a release does, compared with the database and the last release loaded
  (`plan_merge()`), with its changes and conflicts counted;
- `writing`: a plan written, a batch at a time, or refused as a whole (`apply_merge()`,
  `merge_release()`).

Every name the rest of the code uses is importable from here.
"""

from statements.release.export import (
    article_file,
    export_release,
    release_files,
    source_order,
    write_release,
)
from statements.release.plan import (
    CREATE,
    DELETE,
    UPDATE,
    Conflict,
    MergePlan,
    plan_merge,
)
from statements.release.reading import (
    Release,
    read_release,
    release_digest,
)
from statements.release.records import (
    BATCH,
    DERIVED,
    INTERVAL,
    LABELS,
    RELATIONS,
    Column,
    Key,
    ReleaseError,
    _sort_relations,
    chunks,
    fixture_objects,
    fixture_rows,
)
from statements.release.writing import (
    REFUSED,
    SlugIds,
    apply_merge,
    merge_release,
)

__all__ = [
    "LABELS",
    "DERIVED",
    "INTERVAL",
    "RELATIONS",
    "Key",
    "BATCH",
    "chunks",
    "ReleaseError",
    "Column",
    "fixture_rows",
    "_sort_relations",
    "fixture_objects",
    "Release",
    "read_release",
    "release_digest",
    "article_file",
    "source_order",
    "export_release",
    "write_release",
    "release_files",
    "Conflict",
    "CREATE",
    "UPDATE",
    "DELETE",
    "MergePlan",
    "plan_merge",
    "REFUSED",
    "apply_merge",
    "SlugIds",
    "merge_release",
]
