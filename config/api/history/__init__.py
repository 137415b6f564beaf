"""Every record's history and the change feed, both read from the history the models keep.

`HistoryMixin` gives a viewset `GET <type>/<slug>/history/`: the record's versions, newest
first, deleted records included. `ChangeFeedViewSet` is `GET /api/v1/changes/`: every create,
update and delete across all types in the order they happened, paged by an opaque cursor so a
mirror can poll it with `since` and stay in sync.
"""

from config.api.history.feed import (
    FEED_PARAMS,
    MAX_PAGE_SIZE,
    RANKED,
    TYPES,
    ChangeFeedViewSet,
    ChangePageSerializer,
    ChangeSerializer,
)
from config.api.history.records import (
    HistoryMixin,
    VersionPages,
    VersionSerializer,
)
from config.api.history.versions import (
    CHANGED_AT,
    HIDDEN,
    VersionReader,
    chosen_name_sql,
    public_name,
    version_reader,
)

__all__ = [
    "HIDDEN",
    "chosen_name_sql",
    "public_name",
    "VersionReader",
    "CHANGED_AT",
    "version_reader",
    "VersionSerializer",
    "HistoryMixin",
    "VersionPages",
    "TYPES",
    "RANKED",
    "MAX_PAGE_SIZE",
    "ChangeSerializer",
    "ChangePageSerializer",
    "FEED_PARAMS",
    "ChangeFeedViewSet",
]
