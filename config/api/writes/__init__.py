"""Writes: the base of every write serializer, and the viewset mixin that runs them.

A write is one transaction and one version in each changed record's history
(`one_version_each`), with the editor recorded as its author as the admin records one (DRF sets
the token's user on the request that simple-history's middleware holds). It fails whole: a
refused write changes nothing. Who may write is `config.api.permissions`; the If-Match check
is `config.api.preconditions`; the rules are the models' own (`full_clean()`) and those of
`statements.services`, the same code the admin runs.

A PUT or PATCH that changes nothing (the record as it stands, or an empty PATCH) saves nothing
(`WriteSerializer.write`): after the same If-Match check and validation as any other write, it
answers the record with the ETag it had, and records no version.
"""

from config.api.writes.fields import (
    MAX_LINKS,
    BooleanField,
    CharField,
    DateField,
    DecimalField,
    IntegerField,
    RecordSlugField,
    RecordSlugListField,
    SlugField,
    URLField,
)
from config.api.writes.serializers import (
    ClosedBodyMixin,
    WriteSerializer,
    unknown_fields,
)
from config.api.writes.taken_back import (
    ORIGIN,
    READ_ONLY_CHANGED,
    as_shown_taken_back,
)
from config.api.writes.views import (
    UNLINK_PARAMETER,
    Conflict,
    WriteViewSetMixin,
    unlink_asked,
)

__all__ = [
    "CharField",
    "SlugField",
    "URLField",
    "BooleanField",
    "IntegerField",
    "DecimalField",
    "DateField",
    "RecordSlugField",
    "MAX_LINKS",
    "RecordSlugListField",
    "ClosedBodyMixin",
    "unknown_fields",
    "WriteSerializer",
    "READ_ONLY_CHANGED",
    "ORIGIN",
    "as_shown_taken_back",
    "Conflict",
    "UNLINK_PARAMETER",
    "unlink_asked",
    "WriteViewSetMixin",
]
